// The input contract: what every input plugin must do with good, bad and hostile bodies.
#include "ferry/testkit/input_contract.h"

#include <google/protobuf/arena.h>

#include <atomic>
#include <ferry/families/family_collector.hpp>
#include <ferry/families/push_rules.hpp>
#include <random>
#include <thread>

#include "kit_common.h"

namespace ferry::testkit {

namespace detail {
int inputContractLinkAnchor() { return 1; }
}  // namespace detail

void PrintTo(const InputBackend& backend, std::ostream* os) { *os << backend.name; }

std::string inputBackendName(const ::testing::TestParamInfo<InputBackend>& info) {
  return common::testNameOf(info.param.name);
}

::testing::AssertionResult isCleanOutcome(const ParseResult& result) {
  if (result.call.status == FERRY_ERR_INVALID_INPUT) {
    if (result.call.message.empty()) {
      return ::testing::AssertionFailure() << "FERRY_ERR_INVALID_INPUT without a message";
    }
    return ::testing::AssertionSuccess();
  }
  if (result.call.status != FERRY_OK) {
    return ::testing::AssertionFailure()
           << "parse returned " << result.call.describe()
           << "; a body is either parsed (FERRY_OK) or refused (FERRY_ERR_INVALID_INPUT)";
  }
  DecodedFamilies decoded = decodeDelimitedFamilies(result.output);
  if (!decoded.ok) {
    return ::testing::AssertionFailure() << "FERRY_OK with malformed output: " << decoded.error
                                         << "; output " << printable(result.output);
  }
  return ::testing::AssertionSuccess();
}

void InputContract::SetUp() {
  try {
    library_ = &PluginLibrary::loadInput(backend().library_path);
  } catch (const LoadError& e) {
    FAIL() << e.what();
  }
}

std::unique_ptr<InputDriver> InputContract::open() const {
  CallResult error;
  auto driver = InputDriver::open(*library_, backend().config, &error);
  if (!driver) {
    ADD_FAILURE() << "create failed with config " << backend().config << ": " << error.message;
  }
  return driver;
}

namespace {

// Why a push to /metrics/job/testkit of the families in `delimited` would be refused, by the
// rules Ferry applies to every push (Ferry::families' push rules, the same code): "" if it would
// be taken.
std::string pushRefusal(const std::string& delimited) {
  google::protobuf::Arena arena;
  families::FamilyCollector collector(&arena);
  if (!collector.addDelimited(delimited)) return "malformed output: " + collector.message();
  std::vector<io::prometheus::client::MetricFamily*> list = collector.takeFamilies();
  if (families::hasTimestamps(list)) return "pushed metrics must not have timestamps";
  families::sanitizePush(list, {{"job", "testkit"}});
  std::vector<std::string> errors;
  families::validatePush(list, errors);
  return errors.empty() ? std::string() : families::joinErrors(errors);
}

// Every body the suite has: the backend's good and bad ones.
std::vector<InputSample> allSamples(const InputBackend& backend) {
  std::vector<InputSample> all = backend.good;
  all.insert(all.end(), backend.bad.begin(), backend.bad.end());
  return all;
}

std::string someContentType(const InputBackend& backend) {
  return backend.accepted_types.empty() ? std::string() : backend.accepted_types.front();
}

}  // namespace

TEST_P(InputContract, DescriptorNamesThePlugin) {
  const ferry_plugin_descriptor& d = library().descriptor();
  EXPECT_EQ(std::string(d.name), backend().name);
  EXPECT_EQ(d.kind, FERRY_KIND_INPUT);
  ASSERT_NE(d.default_config, nullptr);
  CallResult error;
  EXPECT_NE(InputDriver::open(library(), d.default_config, &error), nullptr)
      << "the plugin refuses its own default config " << d.default_config << ": " << error.message;
}

TEST_P(InputContract, SuiteHasSamples) {
  EXPECT_FALSE(backend().accepted_types.empty()) << "give at least one accepted Content-Type";
  EXPECT_FALSE(backend().good.empty()) << "give at least one good body";
  EXPECT_FALSE(backend().bad.empty()) << "give at least one bad body";
}

TEST_P(InputContract, AcceptsItsContentTypes) {
  auto input = open();
  ASSERT_NE(input, nullptr);
  for (const auto& type : backend().accepted_types) {
    EXPECT_TRUE(input->accepts(type)) << "Content-Type \"" << type << "\"";
  }
  for (const auto& type : backend().rejected_types) {
    EXPECT_FALSE(input->accepts(type)) << "Content-Type \"" << type << "\"";
  }
}

TEST_P(InputContract, GoodBodiesGiveDelimitedFamilies) {
  auto input = open();
  ASSERT_NE(input, nullptr);
  for (const auto& sample : backend().good) {
    ParseResult result = input->parse(sample.content_type, sample.body);
    ASSERT_TRUE(result.call.ok()) << sample.label << ": " << result.call.describe();
    DecodedFamilies decoded = decodeDelimitedFamilies(result.output);
    ASSERT_TRUE(decoded.ok) << sample.label << ": " << decoded.error;
    if (!sample.families.empty()) {
      EXPECT_EQ(decoded.names, sample.families) << sample.label;
    }
  }
}

// A good body's families pass the rules Ferry applies to every push (names, labels, UTF-8,
// duplicate series, no timestamps): what the plugin gives, a push must be able to take.
TEST_P(InputContract, GoodBodiesGiveFamiliesAPushTakes) {
  auto input = open();
  ASSERT_NE(input, nullptr);
  for (const auto& sample : backend().good) {
    ParseResult result = input->parse(sample.content_type, sample.body);
    ASSERT_TRUE(result.call.ok()) << sample.label << ": " << result.call.describe();
    EXPECT_EQ(pushRefusal(result.output), "")
        << sample.label << ": Ferry would refuse a push of these families";
  }
}

// A bad body is refused, with a message: by the plugin (FERRY_ERR_INVALID_INPUT), or by the
// rules Ferry applies to every push (a name that is not valid, one series twice, ...), which a
// plugin need not check itself.
TEST_P(InputContract, BadBodiesAreRefusedWithAMessage) {
  auto input = open();
  ASSERT_NE(input, nullptr);
  for (const auto& sample : backend().bad) {
    ParseResult result = input->parse(sample.content_type, sample.body);
    std::string message = result.call.message;
    if (result.call.ok()) {
      message = pushRefusal(result.output);
      EXPECT_FALSE(message.empty())
          << sample.label << ": parsed, and a push of its families would be taken";
    } else {
      EXPECT_EQ(result.call.status, FERRY_ERR_INVALID_INPUT)
          << sample.label << ": " << result.call.describe();
      EXPECT_FALSE(message.empty()) << sample.label << ": no message for the client";
    }
    EXPECT_NE(message.find(sample.message), std::string::npos)
        << sample.label << ": message \"" << message << "\" lacks \"" << sample.message << "\"";
  }
}

TEST_P(InputContract, EmptyBodyIsParsedOrRefused) {
  auto input = open();
  ASSERT_NE(input, nullptr);
  EXPECT_TRUE(isCleanOutcome(input->parse(someContentType(backend()), "")));
}

// A body cut anywhere (a client that died mid-request) is parsed or refused, never worse.
TEST_P(InputContract, EveryPrefixOfAGoodBodyIsParsedOrRefused) {
  auto input = open();
  ASSERT_NE(input, nullptr);
  for (const auto& sample : backend().good) {
    size_t step = sample.body.size() / 400 + 1;  // at most about 400 prefixes per body
    for (size_t n = 0; n < sample.body.size(); n += step) {
      ASSERT_TRUE(isCleanOutcome(input->parse(sample.content_type, sample.body.substr(0, n))))
          << sample.label << " cut to " << n << " bytes";
    }
  }
}

// Random bytes and randomly damaged good bodies: no crash, no status other than OK or
// INVALID_INPUT, and FERRY_OK output is always well formed.
TEST_P(InputContract, BinaryGarbageNeverCrashes) {
  auto input = open();
  ASSERT_NE(input, nullptr);
  std::mt19937 rng(20240605);
  std::string type = someContentType(backend());
  for (int i = 0; i < 1500; ++i) {
    std::string body(rng() % 600, '\0');
    for (char& c : body) c = static_cast<char>(rng() & 0xff);
    ASSERT_TRUE(isCleanOutcome(input->parse(type, body))) << "random body #" << i;
  }
  std::vector<InputSample> samples = allSamples(backend());
  for (size_t s = 0; s < samples.size(); ++s) {
    for (int i = 0; i < 300 && !samples[s].body.empty(); ++i) {
      std::string body = samples[s].body;
      for (int flips = 1 + static_cast<int>(rng() % 4); flips > 0; --flips) {
        body[rng() % body.size()] = static_cast<char>(rng() & 0xff);
      }
      ASSERT_TRUE(isCleanOutcome(input->parse(samples[s].content_type, body)))
          << samples[s].label << " damaged, round " << i << ": " << printable(body);
    }
  }
}

// parse runs on many threads at once on one instance: each call must give what it gives alone.
TEST_P(InputContract, ConcurrentParseGivesTheSameResults) {
  auto input = open();
  ASSERT_NE(input, nullptr);
  std::vector<InputSample> samples = allSamples(backend());
  ASSERT_FALSE(samples.empty());
  std::vector<ParseResult> expected;
  for (const auto& s : samples) expected.push_back(input->parse(s.content_type, s.body));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 250; ++i) {
        size_t k = static_cast<size_t>(i + t) % samples.size();
        ParseResult got = input->parse(samples[k].content_type, samples[k].body);
        bool same = got.call.status == expected[k].call.status &&
                    got.call.message == expected[k].call.message &&
                    got.output == expected[k].output;
        if (!same) ++mismatches;
        (void)input->accepts(samples[k].content_type);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0) << "parse results differ when called concurrently";
}

TEST_P(InputContract, UnknownConfigKeyIsRefused) {
  CallResult error;
  auto input = InputDriver::open(library(), common::withUnknownKey(backend().config), &error);
  EXPECT_EQ(input, nullptr) << "create accepted an unknown config key";
  EXPECT_NE(error.message.find(common::kUnknownKey), std::string::npos)
      << "the message should name the key: " << error.message;
}

// With declared keys (ABI 1.2) a config that leaves out a required key or gives a key a value
// of another type is refused, naming the key, before the plugin is created (as Ferry does).
TEST_P(InputContract, DeclaredConfigKeysAreEnforced) {
  if (!library().configKeys()) {
    GTEST_SKIP() << "the plugin does not declare its config keys (it checks its config itself)";
  }
  for (const auto& [config, expected] :
       common::configsThatDoNotFit(*library().configKeys(), backend().config)) {
    CallResult error;
    EXPECT_EQ(InputDriver::open(library(), config, &error), nullptr) << "accepted " << config;
    EXPECT_NE(error.message.find(expected), std::string::npos)
        << config << ": the message should say " << expected << ", got: " << error.describe();
  }
}

TEST_P(InputContract, MalformedConfigIsRefused) {
  for (const char* config : {"{not json", "[1, 2]", "\"text\""}) {
    CallResult error;
    EXPECT_EQ(InputDriver::open(library(), config, &error), nullptr) << config;
    EXPECT_FALSE(error.message.empty()) << config << ": refused without a message";
  }
}

}  // namespace ferry::testkit
