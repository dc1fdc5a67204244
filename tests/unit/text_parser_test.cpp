// What the text format parser builds from valid bodies. Expected results are written in
// protobuf text format and compared with presence (an absent HELP differs from an empty one).
// Behaviours marked E<n> are observed on Pushgateway 1.5.1 (spec Appendix A).
#include "plugins/text/text_parser.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace ferry::plugins::text {
namespace {

using io::prometheus::client::MetricFamily;

std::vector<MetricFamily> parseOk(std::string_view body) {
  std::vector<MetricFamily> out;
  if (auto error = parseText(body, out)) ADD_FAILURE() << error->message;
  return out;
}

std::string dump(const std::vector<MetricFamily>& families) {
  std::string text;
  for (const auto& family : families) text += "{\n" + family.DebugString() + "}\n";
  return text;
}

// Parses `body` and expects exactly `want`, one protobuf text per family, in order.
void expectFamilies(std::string_view body, const std::vector<std::string>& want) {
  SCOPED_TRACE(std::string(body));
  const std::vector<MetricFamily> got = parseOk(body);
  ASSERT_EQ(got.size(), want.size()) << dump(got);
  for (size_t i = 0; i < want.size(); ++i) {
    MetricFamily expected;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(want[i], &expected)) << want[i];
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(got[i], expected))
        << "family " << i << "\n got:\n"
        << got[i].DebugString() << "want:\n"
        << expected.DebugString();
  }
}

uint64_t bitsOf(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}

TEST(TextParser, BodiesWithoutSamplesYieldNothing) {
  for (std::string_view body : {"", "   ", "\t", "\n\n", "# a comment\n", "#\n", "  # x y z\n"}) {
    EXPECT_TRUE(parseOk(body).empty()) << body;
  }
}

TEST(TextParser, UntypedWithoutTypeLine) {
  expectFamilies("m 1\n", {R"(name: "m" type: UNTYPED metric { untyped { value: 1 } })"});
}

TEST(TextParser, HelpAndTypeOfCountersAndGauges) {
  expectFamilies(
      "# HELP c A counter.\n# TYPE c counter\nc{a=\"x\"} 3\n# TYPE g gauge\ng -2.5\n"
      "# TYPE u untyped\nu 7\n",
      {R"(name: "c" help: "A counter." type: COUNTER
          metric { label { name: "a" value: "x" } counter { value: 3 } })",
       R"(name: "g" type: GAUGE metric { gauge { value: -2.5 } })",
       R"(name: "u" type: UNTYPED metric { untyped { value: 7 } })"});
}

TEST(TextParser, CommentsBlankLinesAndLeadingWhitespace) {  // E21
  expectFamilies("\n\n# just a comment\nblank 1\n\n",
                 {R"(name: "blank" type: UNTYPED metric { untyped { value: 1 } })"});
  expectFamilies("  lead 1\n", {R"(name: "lead" type: UNTYPED metric { untyped { value: 1 } })"});
  expectFamilies("tab\t1\n", {R"(name: "tab" type: UNTYPED metric { untyped { value: 1 } })"});
  // No blank is needed after '#'; blanks and tabs may separate every token.
  expectFamilies("#HELP m h\n \t# TYPE\tm\t gauge\n\tm\t{\ta\t=\t\"d\"\t,\t}\t4\t5\n",
                 {R"(name: "m" help: "h" type: GAUGE metric {
                       label { name: "a" value: "d" } gauge { value: 4 } timestamp_ms: 5 })"});
}

TEST(TextParser, LabelSetSyntaxVariants) {
  expectFamilies("m{a=\"b\",} 1\nm {a=\"c\"}2\nm{} 3\nm{a=\"\",b=\"x\"} 4\n",
                 {R"(name: "m" type: UNTYPED
                     metric { label { name: "a" value: "b" } untyped { value: 1 } }
                     metric { label { name: "a" value: "c" } untyped { value: 2 } }
                     metric { untyped { value: 3 } }
                     metric { label { name: "a" value: "" } label { name: "b" value: "x" }
                              untyped { value: 4 } })"});
}

TEST(TextParser, LabelsKeepInputOrder) {  // E21: sorting is the exposition's business
  expectFamilies("ord{b=\"a\",a=\"z\",_c=\"1\"} 2\n", {R"(name: "ord" type: UNTYPED metric {
                       label { name: "b" value: "a" } label { name: "a" value: "z" }
                       label { name: "_c" value: "1" } untyped { value: 2 } })"});
}

TEST(TextParser, TypeOrHelpWithoutSamplesDropsTheFamily) {  // E4
  expectFamilies("# HELP a x\n# TYPE b counter\n# HELP c\n# TYPE d\nm 1\n",
                 {R"(name: "m" type: UNTYPED metric { untyped { value: 1 } })"});
}

TEST(TextParser, HelpAfterSamplesIsAccepted) {  // E21
  expectFamilies("x 1\n# HELP x late help\n",
                 {R"(name: "x" help: "late help" type: UNTYPED metric { untyped { value: 1 } })"});
}

TEST(TextParser, NonContiguousSamplesOfAFamilyMerge) {  // E21
  expectFamilies("nc 1\nother 1\nnc{x=\"1\"} 2\n",
                 {R"(name: "nc" type: UNTYPED metric { untyped { value: 1 } }
                     metric { label { name: "x" value: "1" } untyped { value: 2 } })",
                  R"(name: "other" type: UNTYPED metric { untyped { value: 1 } })"});
}

TEST(TextParser, FamiliesComeInFirstSeenOrderCountingHelpLines) {
  expectFamilies("# HELP b x\na 1\nb 2\na 3\n",
                 {R"(name: "b" help: "x" type: UNTYPED metric { untyped { value: 2 } })",
                  R"(name: "a" type: UNTYPED metric { untyped { value: 1 } }
                     metric { untyped { value: 3 } })"});
}

TEST(TextParser, DuplicateSeriesAndDoubleUnderscoreLabelsPassTheParser) {  // E4
  expectFamilies("dup{a=\"1\"} 1\ndup{a=\"1\"} 2\ngood{__reserved=\"x\"} 1\n",
                 {R"(name: "dup" type: UNTYPED
                     metric { label { name: "a" value: "1" } untyped { value: 1 } }
                     metric { label { name: "a" value: "1" } untyped { value: 2 } })",
                  R"(name: "good" type: UNTYPED
                     metric { label { name: "__reserved" value: "x" } untyped { value: 1 } })"});
}

TEST(TextParser, EscapesInLabelValuesAndHelp) {  // E16
  expectFamilies(
      "# HELP esc Help with \\\\ backslash and \\n newline.\nesc{v=\"q\\\"uote\\\\back\\nnl\"} 1\n",
      {R"(name: "esc" help: "Help with \\ backslash and \n newline." type: UNTYPED
          metric { label { name: "v" value: "q\"uote\\back\nnl" } untyped { value: 1 } })"});
  // HELP keeps quotes, trailing blanks and UTF-8 as written.
  expectFamilies("# HELP m  say \"hi\" \xc3\xa9 \t\nm{v=\"\xe2\x82\xac\"} 1\n",
                 {R"(name: "m" help: "say \"hi\" \303\251 \t" type: UNTYPED
                     metric { label { name: "v" value: "\342\202\254" } untyped { value: 1 } })"});
}

TEST(TextParser, SpecialAndEdgeFloatValues) {  // E4, E21
  const auto families = parseOk(
      "nan_m NaN\ninf_m +Inf\nninf_m -Inf\nz -0\nu 1e-400\nnu -1e-400\nsub 3e-324\nbig "
      "1.7976931348623157e308\ne 1E3\np +.5\nd 5.\n");
  ASSERT_EQ(families.size(), 11u);
  const auto value = [&](size_t i) { return families[i].metric(0).untyped().value(); };
  EXPECT_EQ(bitsOf(value(0)), 0x7FF8000000000001u);  // Go's math.NaN()
  EXPECT_EQ(value(1), INFINITY);
  EXPECT_EQ(value(2), -INFINITY);
  EXPECT_EQ(bitsOf(value(3)), 0x8000000000000000u);
  EXPECT_EQ(bitsOf(value(4)), 0u);
  EXPECT_EQ(bitsOf(value(5)), 0x8000000000000000u);
  EXPECT_EQ(bitsOf(value(6)), 1u);  // rounds to the smallest subnormal, no range error
  EXPECT_EQ(value(7), 1.7976931348623157e308);
  EXPECT_EQ(value(8), 1000.0);
  EXPECT_EQ(value(9), 0.5);
  EXPECT_EQ(value(10), 5.0);
}

TEST(TextParser, TimestampsAreKept) {  // the store, not the parser, rejects them (E3)
  expectFamilies("ts 1 1600000000000\nts 2 -5\nts 3 +7\nts{a=\"b\"} 4 0\n",
                 {R"(name: "ts" type: UNTYPED
                     metric { untyped { value: 1 } timestamp_ms: 1600000000000 }
                     metric { untyped { value: 2 } timestamp_ms: -5 }
                     metric { untyped { value: 3 } timestamp_ms: 7 }
                     metric { label { name: "a" value: "b" } untyped { value: 4 }
                              timestamp_ms: 0 })"});
}

TEST(TextParser, SummaryLinesWithTheSameLabelsFillOneMetric) {
  expectFamilies(
      "# TYPE s summary\n"
      "s{quantile=\"0.5\",a=\"1\",b=\"x\"} 10\n"
      "s{b=\"x\",a=\"2\",quantile=\"0.5\"} 20\n"
      "s_sum{a=\"1\",b=\"x\"} 100\n"
      "s{b=\"x\",quantile=\"0.9\",a=\"1\"} 11\n"
      "s_count{b=\"x\",a=\"1\"} 7\n"
      "s_sum{a=\"2\",b=\"x\"} 200\n"
      "s_count{a=\"2\",b=\"x\"} 8.9\n",
      {R"(name: "s" type: SUMMARY
          metric { label { name: "a" value: "1" } label { name: "b" value: "x" }
                   summary { sample_count: 7 sample_sum: 100
                             quantile { quantile: 0.5 value: 10 }
                             quantile { quantile: 0.9 value: 11 } } }
          metric { label { name: "b" value: "x" } label { name: "a" value: "2" }
                   summary { sample_count: 8 sample_sum: 200
                             quantile { quantile: 0.5 value: 20 } } })"});
}

TEST(TextParser, SummaryWithoutQuantilesAndPlainSamples) {  // E21
  expectFamilies("# TYPE s summary\ns_sum 1\ns_count 1\n", {R"(name: "s" type: SUMMARY
                     metric { summary { sample_count: 1 sample_sum: 1 } })"});
  // A sample named like the family itself, without quantile, only creates the metric.
  expectFamilies("# TYPE s summary\ns{a=\"b\"} 5\n", {R"(name: "s" type: SUMMARY
                     metric { label { name: "a" value: "b" } summary { } })"});
}

TEST(TextParser, HistogramLinesWithTheSameLabelsFillOneMetric) {  // E21
  expectFamilies(
      "# HELP h A histogram.\n# TYPE h histogram\n"
      "h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 3\nh_sum 4.5\nh_count 3\n"
      "h_bucket{x=\"y\",le=\"0.5\"} 0\nh_count{x=\"y\"} 0\n",
      {R"(name: "h" help: "A histogram." type: HISTOGRAM
          metric { histogram { sample_count: 3 sample_sum: 4.5
                               bucket { upper_bound: 1 cumulative_count: 1 }
                               bucket { upper_bound: inf cumulative_count: 3 } } }
          metric { label { name: "x" value: "y" } histogram { sample_count: 0
                   bucket { upper_bound: 0.5 cumulative_count: 0 } } })"});
}

TEST(TextParser, HistogramBucketWithoutLeIsLostButTheFamilyStays) {  // E21
  expectFamilies("# TYPE hh histogram\nhh_bucket 1\n",
                 {R"(name: "hh" type: HISTOGRAM metric { histogram { } })"});
}

TEST(TextParser, CountsAndBucketCountsConvertLikeGoOnAmd64) {  // checked on 1.5.1
  const auto families = parseOk(
      "# TYPE h histogram\nh_count -1\nh_bucket{le=\"1\"} NaN\nh_bucket{le=\"2\"} +Inf\n"
      "h_bucket{le=\"3\"} -Inf\nh_bucket{le=\"4\"} 1e20\nh_bucket{le=\"5\"} -1e19\n"
      "h_bucket{le=\"6\"} 1e19\nh_bucket{le=\"7\"} -0.5\nh_bucket{le=\"8\"} 2.9\n");
  ASSERT_EQ(families.size(), 1u);
  const auto& histogram = families[0].metric(0).histogram();
  EXPECT_EQ(histogram.sample_count(), 18446744073709551615u);
  const uint64_t want[] = {9223372036854775808u,
                           9223372036854775808u,
                           9223372036854775808u,
                           9223372036854775808u,
                           9223372036854775808u,
                           10000000000000000000u,
                           0u,
                           2u};
  ASSERT_EQ(histogram.bucket_size(), 8);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(histogram.bucket(i).cumulative_count(), want[i]) << i;
}

TEST(TextParser, SuffixedNamesJoinOnlyAnEarlierSummaryOrHistogram) {
  // x_count before the TYPE line starts its own family, and an exact name always wins.
  expectFamilies("x_count 1\n# TYPE x summary\nx_count 2\nx_sum 3\n",
                 {R"(name: "x_count" type: UNTYPED metric { untyped { value: 1 } }
                     metric { untyped { value: 2 } })",
                  R"(name: "x" type: SUMMARY metric { summary { sample_sum: 3 } })"});
  // _bucket belongs to histograms only; counters absorb nothing.
  expectFamilies("# TYPE s summary\ns_bucket 1\n# TYPE c counter\nc_count 2\n",
                 {R"(name: "s_bucket" type: UNTYPED metric { untyped { value: 1 } })",
                  R"(name: "c_count" type: UNTYPED metric { untyped { value: 2 } })"});
  // "_count" alone is a name, not a suffix.
  expectFamilies("# TYPE _ summary\n_count 1\n",
                 {R"(name: "_count" type: UNTYPED metric { untyped { value: 1 } })"});
}

TEST(TextParser, LeOfSummariesAndQuantileOfHistogramsAreOrdinaryLabels) {
  // A repeated quantile or le is no duplicate label: the last one counts.
  expectFamilies(
      "# TYPE h histogram\nh_bucket{quantile=\"x\",le=\"1\",le=\"2\"} 1\n"
      "# TYPE s summary\ns{le=\"x\",quantile=\"1\",quantile=\"2\"} 1\n",
      {R"(name: "h" type: HISTOGRAM metric { label { name: "quantile" value: "x" }
            histogram { bucket { upper_bound: 2 cumulative_count: 1 } } })",
       R"(name: "s" type: SUMMARY metric { label { name: "le" value: "x" }
            summary { quantile { quantile: 2 value: 1 } } })"});
}

TEST(TextParser, GroupedMetricKeepsTheLastTimestamp) {
  expectFamilies("# TYPE s summary\ns_sum 1 10\ns_count 2 20\n", {R"(name: "s" type: SUMMARY
                     metric { summary { sample_count: 2 sample_sum: 1 } timestamp_ms: 20 })"});
}

TEST(TextParser, TypeNamesAreMatchedLikeGoStringsToUpper) {
  expectFamilies(
      "# TYPE a Counter\na 1\n# TYPE b GAUGE\nb 1\n# TYPE c coun\\ter\nc 1\n"
      "# TYPE d \xc5\xbfummary\nd_sum 1\n# TYPE e h\xc4\xb1stogram\ne_count 1\n",
      {R"(name: "a" type: COUNTER metric { counter { value: 1 } })",
       R"(name: "b" type: GAUGE metric { gauge { value: 1 } })",
       R"(name: "c" type: COUNTER metric { counter { value: 1 } })",
       R"(name: "d" type: SUMMARY metric { summary { sample_sum: 1 } })",
       R"(name: "e" type: HISTOGRAM metric { histogram { sample_count: 1 } })"});
}

TEST(TextParser, GaugeHistogramSamplesKeepLabelsButLoseTheirValue) {  // checked on 1.5.1
  expectFamilies("# TYPE gh gauge_histogram\ngh{le=\"1\"} 1 5\n",
                 {R"(name: "gh" type: GAUGE_HISTOGRAM
                     metric { label { name: "le" value: "1" } timestamp_ms: 5 })"});
}

TEST(TextParser, OutputIsClearedFirst) {
  std::vector<MetricFamily> out(3);
  ASSERT_FALSE(parseText("a 1\n", out));
  EXPECT_EQ(out.size(), 1u);
  ASSERT_TRUE(parseText("a 1\nb", out));
  EXPECT_TRUE(out.empty());
}

TEST(TextParser, LargeBody) {
  std::string body;
  constexpr int kFamilies = 1000;
  constexpr int kPerFamily = 100;
  for (int f = 0; f < kFamilies; ++f) {
    body += "# HELP fam_" + std::to_string(f) + " Family " + std::to_string(f) + ".\n";
    body += "# TYPE fam_" + std::to_string(f) + " gauge\n";
    for (int s = 0; s < kPerFamily; ++s) {
      body += "fam_" + std::to_string(f) + "{instance=\"i" + std::to_string(s) +
              "\",zone=\"z\",x=\"a\\\\b\"} " + std::to_string(f * kPerFamily + s) + "\n";
    }
  }
  const auto families = parseOk(body);
  ASSERT_EQ(families.size(), static_cast<size_t>(kFamilies));
  for (int f = 0; f < kFamilies; ++f) {
    const auto& family = families[f];
    ASSERT_EQ(family.name(), "fam_" + std::to_string(f));
    ASSERT_EQ(family.metric_size(), kPerFamily);
    const auto& last = family.metric(kPerFamily - 1);
    ASSERT_EQ(last.label(2).value(), "a\\b");
    ASSERT_EQ(last.gauge().value(), f * kPerFamily + kPerFamily - 1);
  }
}

TEST(TextParser, HugeLabelValueAndManyLabels) {
  const std::string big(1 << 20, 'v');
  auto families = parseOk("m{a=\"" + big + "\"} 1\n");
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].metric(0).label(0).value(), big);

  std::string labels;
  constexpr int kLabels = 20000;  // far past the pairwise duplicate check
  for (int i = 0; i < kLabels; ++i) labels += "l" + std::to_string(i) + "=\"x\",";
  families = parseOk("m{" + labels + "} 1\n");
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].metric(0).label_size(), kLabels);

  std::vector<MetricFamily> out;
  const auto error = parseText("m{" + labels + "l7=\"y\"} 1\n", out);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message,
            "text format parsing error in line 1: duplicate label names for metric \"m\"");
}

}  // namespace
}  // namespace ferry::plugins::text
