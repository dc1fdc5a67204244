// The auth contract: identities, the two refusals, hostile headers and concurrent calls.
#include "ferry/testkit/auth_contract.h"

#include <atomic>
#include <random>
#include <thread>

#include "kit_common.h"

namespace ferry::testkit {

namespace detail {
int authContractLinkAnchor() { return 1; }
}  // namespace detail

namespace {

AuthCase makeCase(std::string label, HeaderList headers, ferry_status expected,
                  std::string identity) {
  AuthCase c;
  c.label = std::move(label);
  c.request.headers = std::move(headers);
  c.expected = expected;
  c.identity = std::move(identity);
  return c;
}

bool isAuthOutcome(ferry_status s) {
  return s == FERRY_OK || s == FERRY_AUTH_NO_CREDENTIALS || s == FERRY_AUTH_DENIED;
}

// Success if `got` is what `c` expects.
::testing::AssertionResult matches(const AuthCase& c, const AuthResult& got) {
  if (got.call.status != c.expected) {
    return ::testing::AssertionFailure()
           << c.label << ": expected " << statusName(c.expected) << ", got " << got.call.describe();
  }
  if (c.expected == FERRY_OK && got.identity != c.identity) {
    return ::testing::AssertionFailure() << c.label << ": identity " << printable(got.identity)
                                         << ", expected " << printable(c.identity);
  }
  if (c.expected != FERRY_OK && !got.identity.empty()) {
    return ::testing::AssertionFailure()
           << c.label << ": an identity was written with " << statusName(got.call.status);
  }
  return ::testing::AssertionSuccess();
}

}  // namespace

AuthCase AuthCase::ok(std::string label, HeaderList headers, std::string identity) {
  return makeCase(std::move(label), std::move(headers), FERRY_OK, std::move(identity));
}
AuthCase AuthCase::noCredentials(std::string label, HeaderList headers) {
  return makeCase(std::move(label), std::move(headers), FERRY_AUTH_NO_CREDENTIALS, "");
}
AuthCase AuthCase::denied(std::string label, HeaderList headers) {
  return makeCase(std::move(label), std::move(headers), FERRY_AUTH_DENIED, "");
}

void PrintTo(const AuthBackend& backend, std::ostream* os) { *os << backend.name; }

std::string authBackendName(const ::testing::TestParamInfo<AuthBackend>& info) {
  return common::testNameOf(info.param.name);
}

void AuthContract::SetUp() {
  try {
    library_ = &PluginLibrary::loadAuth(backend().library_path);
  } catch (const LoadError& e) {
    FAIL() << e.what();
  }
}

std::unique_ptr<AuthDriver> AuthContract::open() const {
  CallResult error;
  auto driver = AuthDriver::open(*library_, backend().config, &error);
  if (!driver) {
    ADD_FAILURE() << "create failed with config " << backend().config << ": " << error.message;
  }
  return driver;
}

TEST_P(AuthContract, DescriptorNamesThePlugin) {
  const ferry_plugin_descriptor& d = library().descriptor();
  EXPECT_EQ(std::string(d.name), backend().name);
  EXPECT_EQ(d.kind, FERRY_KIND_AUTH);
  ASSERT_NE(d.default_config, nullptr);
  CallResult error;
  EXPECT_NE(AuthDriver::open(library(), d.default_config, &error), nullptr)
      << "the plugin refuses its own default config " << d.default_config << ": " << error.message;
}

TEST_P(AuthContract, CasesCoverEveryOutcome) {
  bool ok = false, none = false, denied = false;
  for (const auto& c : backend().cases) {
    ok |= c.expected == FERRY_OK;
    none |= c.expected == FERRY_AUTH_NO_CREDENTIALS;
    denied |= c.expected == FERRY_AUTH_DENIED;
  }
  EXPECT_TRUE(ok) << "give at least one case that authenticates (AuthCase::ok)";
  EXPECT_TRUE(none) << "give at least one case without credentials (AuthCase::noCredentials)";
  EXPECT_TRUE(denied) << "give at least one case with wrong credentials (AuthCase::denied)";
}

TEST_P(AuthContract, CasesGiveTheirOutcome) {
  auto auth = open();
  ASSERT_NE(auth, nullptr);
  for (const auto& c : backend().cases) EXPECT_TRUE(matches(c, auth->authenticate(c.request)));
}

TEST_P(AuthContract, RequestWithoutHeadersHasNoCredentials) {
  auto auth = open();
  ASSERT_NE(auth, nullptr);
  AuthResult got = auth->authenticate(AuthRequest{});
  EXPECT_EQ(got.call.status, FERRY_AUTH_NO_CREDENTIALS) << got.call.describe();
  EXPECT_TRUE(got.identity.empty());
}

// Headers from the network are untrusted: any bytes, any length, duplicates.
TEST_P(AuthContract, GarbageHeadersNeverCrash) {
  auto auth = open();
  ASSERT_NE(auth, nullptr);
  std::mt19937 rng(7);
  auto randomText = [&](size_t max) {
    std::string s(rng() % max, '\0');
    for (char& c : s) c = static_cast<char>(rng() & 0xff);
    return s;
  };
  std::vector<std::string> names = {"Authorization", "authorization", "X-Api-Key", "Cookie"};
  for (const auto& c : backend().cases) {
    for (const auto& h : c.request.headers) names.push_back(h.first);
  }
  for (int i = 0; i < 2000; ++i) {
    AuthRequest request;
    for (int h = static_cast<int>(rng() % 4); h > 0; --h) {
      std::string name = rng() % 3 ? names[rng() % names.size()] : randomText(40);
      request.headers.emplace_back(name, randomText(rng() % 5 ? 80 : 5000));
    }
    AuthResult got = auth->authenticate(request);
    ASSERT_TRUE(isAuthOutcome(got.call.status)) << "request #" << i << ": " << got.call.describe();
  }
}

// authenticate runs on many threads at once on one instance.
TEST_P(AuthContract, ConcurrentCallsGiveTheSameOutcomes) {
  auto auth = open();
  ASSERT_NE(auth, nullptr);
  const auto& cases = backend().cases;
  ASSERT_FALSE(cases.empty());
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const AuthCase& c = cases[static_cast<size_t>(i + t) % cases.size()];
        if (!matches(c, auth->authenticate(c.request))) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0) << "outcomes differ when called concurrently";
}

// Ferry sends the challenge as a response header: one line of printable ASCII, no padding.
TEST_P(AuthContract, ChallengeIsAHeaderValue) {
  auto auth = open();
  ASSERT_NE(auth, nullptr);
  std::string challenge = auth->challenge();
  for (char c : challenge) {
    ASSERT_TRUE(c >= 0x20 && c <= 0x7e)
        << "the challenge " << printable(challenge) << " has a byte Ferry refuses";
  }
  if (!challenge.empty()) {
    EXPECT_NE(challenge.front(), ' ') << printable(challenge);
    EXPECT_NE(challenge.back(), ' ') << printable(challenge);
  }
  if (!backend().challenge.empty()) {
    EXPECT_EQ(challenge, backend().challenge);
  }
}

TEST_P(AuthContract, UnknownConfigKeyIsRefused) {
  CallResult error;
  auto auth = AuthDriver::open(library(), common::withUnknownKey(backend().config), &error);
  EXPECT_EQ(auth, nullptr) << "create accepted an unknown config key";
  EXPECT_NE(error.message.find(common::kUnknownKey), std::string::npos)
      << "the message should name the key: " << error.message;
}

// With declared keys (ABI 1.2) a config that leaves out a required key or gives a key a value
// of another type is refused, naming the key, before the plugin is created (as Ferry does).
TEST_P(AuthContract, DeclaredConfigKeysAreEnforced) {
  if (!library().configKeys()) {
    GTEST_SKIP() << "the plugin does not declare its config keys (it checks its config itself)";
  }
  for (const auto& [config, expected] :
       common::configsThatDoNotFit(*library().configKeys(), backend().config)) {
    CallResult error;
    EXPECT_EQ(AuthDriver::open(library(), config, &error), nullptr) << "accepted " << config;
    EXPECT_NE(error.message.find(expected), std::string::npos)
        << config << ": the message should say " << expected << ", got: " << error.describe();
  }
}

TEST_P(AuthContract, MalformedConfigIsRefused) {
  for (const char* config : {"{not json", "[1, 2]", "\"text\""}) {
    CallResult error;
    EXPECT_EQ(AuthDriver::open(library(), config, &error), nullptr) << config;
    EXPECT_FALSE(error.message.empty()) << config << ": refused without a message";
  }
}

}  // namespace ferry::testkit
