// Untrusted bodies: mutated valid bodies and pathological shapes must give either families or
// a well-formed error, never a crash or a hang. Deterministic seeds keep failures reproducible;
// sizes are bounded so the whole file runs in seconds.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/text/text_parser.h"

namespace ferry::plugins::text {
namespace {

using io::prometheus::client::MetricFamily;

const std::vector<std::string> kSeeds = {
    "# HELP m Some help.\n# TYPE m counter\nm{a=\"1\",b=\"x\"} 1\nm{a=\"2\"} 2.5e3\n",
    "# TYPE g gauge\ng 1 1600000000000\ng{x=\"y\"} -Inf\n",
    "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"0.9\",l=\"v\"} 2\ns_sum 3\ns_count 4\n",
    "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n",
    "\n\n# just a comment\n  lead 1\ntab\t1\nx{  a = \"b\" , } NaN\n",
    "# HELP esc Help with \\\\ backslash and \\n newline.\nesc{v=\"q\\\"uote\\\\back\\nnl\"} 1\n",
    "nc 1\nother 1\nnc{x=\"1\"} 2\n# HELP nc late\n# TYPE gh gauge_histogram\ngh 1\n",
    "u{v=\"\xc3\xa9\xe2\x82\xac\"} +1.5E-3\n",
};

// Bytes that matter to the grammar, plus some that only matter to UTF-8 and quoting.
constexpr char kAlphabetBytes[] =
    " \t\n#{}\"\\=,.+-eE0123456789aZ_:pPnNiIql\xff\xc3\xa9\x80\xe2\x00";
constexpr std::string_view kAlphabet(kAlphabetBytes, sizeof kAlphabetBytes - 1);

// The parser's contract on any input.
void checkContract(std::string_view body) {
  std::vector<MetricFamily> out(1);
  const auto error = parseText(body, out);
  if (error) {
    ASSERT_TRUE(out.empty());
    ASSERT_EQ(error->message.rfind("text format parsing error in line ", 0), 0u) << error->message;
    return;
  }
  for (const auto& family : out) {
    ASSERT_FALSE(family.name().empty());
    ASSERT_GT(family.metric_size(), 0);
    ASSERT_TRUE(family.has_type());
  }
}

std::string mutate(std::mt19937& rng, std::string body) {
  std::uniform_int_distribution<int> ops(1, 4);
  const int count = ops(rng);
  for (int i = 0; i < count; ++i) {
    const size_t pos = std::uniform_int_distribution<size_t>(0, body.size())(rng);
    const char c = kAlphabet[std::uniform_int_distribution<size_t>(0, kAlphabet.size() - 1)(rng)];
    switch (std::uniform_int_distribution<int>(0, 4)(rng)) {
      case 0:
        if (!body.empty()) body[std::min(pos, body.size() - 1)] = c;
        break;
      case 1:
        body.insert(pos, 1, c);
        break;
      case 2:
        if (!body.empty()) body.erase(std::min(pos, body.size() - 1), 1);
        break;
      case 3: {  // flip one bit
        if (!body.empty())
          body[std::min(pos, body.size() - 1)] ^= static_cast<char>(1 << (pos % 8));
        break;
      }
      default:  // truncate
        body.resize(pos);
        break;
    }
  }
  return body;
}

TEST(TextParserRobustness, MutatedBodies) {
  std::mt19937 rng(20240611);
  int errors = 0;
  constexpr int kRuns = 20000;
  for (int i = 0; i < kRuns; ++i) {
    const std::string& seed = kSeeds[static_cast<size_t>(i) % kSeeds.size()];
    const std::string body = mutate(rng, seed);
    std::vector<MetricFamily> out;
    if (parseText(body, out)) ++errors;
    ASSERT_NO_FATAL_FAILURE(checkContract(body)) << "body: " << body;
  }
  // Both outcomes must be exercised, or the mutations test nothing.
  EXPECT_GT(errors, kRuns / 10);
  EXPECT_LT(errors, kRuns);
}

TEST(TextParserRobustness, ConcatenatedMutations) {
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string body;
    for (int j = 0; j < 5; ++j) body += mutate(rng, kSeeds[rng() % kSeeds.size()]);
    ASSERT_NO_FATAL_FAILURE(checkContract(body)) << "body: " << body;
  }
}

TEST(TextParserRobustness, PathologicalShapes) {
  const std::string n(200000, 'n');
  const std::vector<std::string> bodies = {
      std::string(200000, '{'),
      std::string(200000, '#'),
      std::string(200000, '\\'),
      std::string(200000, '"'),
      std::string(200000, ' '),
      std::string(200000, '\n'),
      std::string(200000, '\0'),
      "m{a=\"" + std::string(200000, '\\'),
      "m{a=\"" + std::string(200000, 'x'),
      "# HELP m " + std::string(200000, '\\'),
      "m " + std::string(200000, '1') + "\n",
      "m 1 " + std::string(200000, '9') + "\n",
      "m 0." + std::string(200000, '0') + "1e200000\n",
      n + " 1\n",
      "# TYPE " + n + " summary\n" + n + "_count 1\n",
      std::string("m 1\0 2\n", 7),
  };
  for (const auto& body : bodies) ASSERT_NO_FATAL_FAILURE(checkContract(body));
}

// One line with very many labels must not make every later line pay for it (a hash set
// cleared per line costs its bucket count, not its size).
TEST(TextParserRobustness, ManyLabelsThenManyLines) {
  std::string body = "wide{";
  for (int i = 0; i < 50000; ++i) body += "l" + std::to_string(i) + "=\"x\",";
  body += "} 1\n";
  for (int i = 0; i < 100000; ++i) body += "narrow{a=\"1\",b=\"2\"} 1\n";
  std::vector<MetricFamily> out;
  ASSERT_FALSE(parseText(body, out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].metric_size(), 100000);
}

TEST(TextParserRobustness, ManySummaryGroupsAndFamilies) {
  std::string body = "# TYPE s summary\n";
  for (int i = 0; i < 20000; ++i) {
    body += "s{id=\"" + std::to_string(i) + "\",quantile=\"0.5\"} 1\n";
    body += "f" + std::to_string(i) + "_count 1\n";
  }
  std::vector<MetricFamily> out;
  ASSERT_FALSE(parseText(body, out));
  ASSERT_EQ(out.size(), 20001u);
  EXPECT_EQ(out[0].metric_size(), 20000);
}

}  // namespace
}  // namespace ferry::plugins::text
