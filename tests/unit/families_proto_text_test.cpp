#include <gtest/gtest.h>

#include <ferry/families/proto_text.hpp>
#include <string>

#include "metric_family_fixture.h"

namespace ferry::families {
namespace {

using io::prometheus::client::MetricFamily;

using test::family;

std::string text(const MetricFamily& mf) {
  std::string out;
  appendProtoText(out, mf);
  return out;
}

std::string compact(const MetricFamily& mf) {
  std::string out;
  appendProtoCompactText(out, mf);
  return out;
}

const char* const kRichLabels = R"pb(
  label { name: "instance" value: "host1" }
  label { name: "job" value: "rich" })pb";

// Captured from 1.5.1 with Accept: ...;encoding=text (E9 shows the first lines of my_hist).
TEST(ExpoProtoText, E9HistogramMultiLine) {
  EXPECT_EQ(text(family(std::string(R"txt(name: "my_hist"
                                         help: "A histogram."
                                         type: HISTOGRAM
                                         metric {)txt") +
                        kRichLabels + R"txt(
      histogram {
        sample_count: 4 sample_sum: 2.7
        bucket { cumulative_count: 1 upper_bound: 0.5 }
        bucket { cumulative_count: 3 upper_bound: 1 }
        bucket { cumulative_count: 4 upper_bound: inf }
      } })txt")),
            "name: \"my_hist\"\n"
            "help: \"A histogram.\"\n"
            "type: HISTOGRAM\n"
            "metric: <\n"
            "  label: <\n"
            "    name: \"instance\"\n"
            "    value: \"host1\"\n"
            "  >\n"
            "  label: <\n"
            "    name: \"job\"\n"
            "    value: \"rich\"\n"
            "  >\n"
            "  histogram: <\n"
            "    sample_count: 4\n"
            "    sample_sum: 2.7\n"
            "    bucket: <\n"
            "      cumulative_count: 1\n"
            "      upper_bound: 0.5\n"
            "    >\n"
            "    bucket: <\n"
            "      cumulative_count: 3\n"
            "      upper_bound: 1\n"
            "    >\n"
            "    bucket: <\n"
            "      cumulative_count: 4\n"
            "      upper_bound: inf\n"
            "    >\n"
            "  >\n"
            ">\n"
            "\n");
}

TEST(ExpoProtoText, SummaryMultiLine) {
  EXPECT_EQ(text(family(std::string(R"txt(name: "my_summary"
                                         help: "A summary."
                                         type: SUMMARY
                                         metric {)txt") +
                        kRichLabels + R"txt(
      summary {
        sample_count: 5 sample_sum: 10
        quantile { quantile: 0.5 value: 1.5 }
        quantile { quantile: 0.9 value: 2.5 }
      } })txt")),
            "name: \"my_summary\"\n"
            "help: \"A summary.\"\n"
            "type: SUMMARY\n"
            "metric: <\n"
            "  label: <\n"
            "    name: \"instance\"\n"
            "    value: \"host1\"\n"
            "  >\n"
            "  label: <\n"
            "    name: \"job\"\n"
            "    value: \"rich\"\n"
            "  >\n"
            "  summary: <\n"
            "    sample_count: 5\n"
            "    sample_sum: 10\n"
            "    quantile: <\n"
            "      quantile: 0.5\n"
            "      value: 1.5\n"
            "    >\n"
            "    quantile: <\n"
            "      quantile: 0.9\n"
            "      value: 2.5\n"
            "    >\n"
            "  >\n"
            ">\n"
            "\n");
}

TEST(ExpoProtoText, E24CompactLines) {
  EXPECT_EQ(compact(family(R"pb(
              name: "pb_ex_total"
              type: COUNTER
              metric {
                label { name: "instance" value: "" }
                label { name: "job" value: "pbex" }
                counter {
                  value: 3
                  exemplar {
                    label { name: "trace_id" value: "abc" }
                    value: 1
                  }
                }
              })pb")),
            "name:\"pb_ex_total\" type:COUNTER metric:<label:<name:\"instance\" value:\"\" > "
            "label:<name:\"job\" value:\"pbex\" > counter:<value:3 exemplar:<label:<name:"
            "\"trace_id\" value:\"abc\" > value:1 > > > \n");
  EXPECT_EQ(compact(family(R"pb(
              name: "pb_native"
              help: "native hist"
              type: HISTOGRAM
              metric {
                label { name: "instance" value: "" }
                label { name: "job" value: "nh" }
                histogram {
                  sample_count: 5
                  sample_sum: 12.5
                  schema: 1
                  zero_threshold: 0.001
                  zero_count: 1
                  positive_span { offset: 0 length: 2 }
                  positive_delta: 2
                  positive_delta: -1
                }
              })pb")),
            "name:\"pb_native\" help:\"native hist\" type:HISTOGRAM metric:<label:<name:"
            "\"instance\" value:\"\" > label:<name:\"job\" value:\"nh\" > histogram:<"
            "sample_count:5 sample_sum:12.5 schema:1 zero_threshold:0.001 zero_count:1 "
            "positive_span:<offset:0 length:2 > positive_delta:2 positive_delta:-1 > > \n");
}

// The following outputs were captured from 1.5.1 (compact and multi-line).
TEST(ExpoProtoText, ExemplarTimestampAndFloatNativeHistogram) {
  EXPECT_EQ(compact(family(R"pb(
              name: "pb_ex_total"
              type: COUNTER
              metric {
                label { name: "instance" value: "" }
                label { name: "job" value: "nh" }
                counter {
                  value: 3
                  exemplar {
                    label { name: "trace_id" value: "abc" }
                    value: 1
                    timestamp { seconds: 1700000000 nanos: 123 }
                  }
                }
              })pb")),
            "name:\"pb_ex_total\" type:COUNTER metric:<label:<name:\"instance\" value:\"\" > "
            "label:<name:\"job\" value:\"nh\" > counter:<value:3 exemplar:<label:<name:"
            "\"trace_id\" value:\"abc\" > value:1 timestamp:<seconds:1700000000 nanos:123 > > > "
            "> \n");
  const MetricFamily fnative = family(R"pb(
    name: "pb_fnative"
    type: HISTOGRAM
    metric {
      label { name: "instance" value: "" }
      label { name: "job" value: "nh" }
      histogram {
        sample_count_float: 3.5
        sample_sum: -1.5
        schema: -2
        zero_threshold: 0
        zero_count_float: 0.5
        negative_span { offset: -3 length: 1 }
        negative_count: 1.5
        positive_span { offset: 1 length: 1 }
        positive_count: 1.5
      }
    })pb");
  EXPECT_EQ(compact(fnative),
            "name:\"pb_fnative\" type:HISTOGRAM metric:<label:<name:\"instance\" value:\"\" > "
            "label:<name:\"job\" value:\"nh\" > histogram:<sample_count_float:3.5 "
            "sample_sum:-1.5 schema:-2 zero_threshold:0 zero_count_float:0.5 "
            "negative_span:<offset:-3 length:1 > negative_count:1.5 positive_span:<offset:1 "
            "length:1 > positive_count:1.5 > > \n");
  EXPECT_EQ(text(fnative),
            "name: \"pb_fnative\"\n"
            "type: HISTOGRAM\n"
            "metric: <\n"
            "  label: <\n"
            "    name: \"instance\"\n"
            "    value: \"\"\n"
            "  >\n"
            "  label: <\n"
            "    name: \"job\"\n"
            "    value: \"nh\"\n"
            "  >\n"
            "  histogram: <\n"
            "    sample_count_float: 3.5\n"
            "    sample_sum: -1.5\n"
            "    schema: -2\n"
            "    zero_threshold: 0\n"
            "    zero_count_float: 0.5\n"
            "    negative_span: <\n"
            "      offset: -3\n"
            "      length: 1\n"
            "    >\n"
            "    negative_count: 1.5\n"
            "    positive_span: <\n"
            "      offset: 1\n"
            "      length: 1\n"
            "    >\n"
            "    positive_count: 1.5\n"
            "  >\n"
            ">\n"
            "\n");
}

TEST(ExpoProtoText, FloatSpellingsAndLargeCounts) {
  EXPECT_EQ(compact(family(R"pb(
              name: "pb_sum"
              type: SUMMARY
              metric {
                summary {
                  sample_count: 18446744073709551615
                  sample_sum: -0
                  quantile { quantile: 0.5 value: nan }
                }
              })pb")),
            "name:\"pb_sum\" type:SUMMARY metric:<summary:<sample_count:18446744073709551615 "
            "sample_sum:-0 quantile:<quantile:0.5 value:nan > > > \n");
  EXPECT_EQ(compact(family(R"pb(
              name: "f"
              type: UNTYPED
              metric { untyped { value: inf } }
              metric { untyped { value: -inf } }
              metric { untyped { value: 1234567 } }
              metric { untyped { value: 1e-05 } }
              metric { untyped { value: 1.7976931348623157e+308 } })pb")),
            "name:\"f\" type:UNTYPED metric:<untyped:<value:inf > > metric:<untyped:<"
            "value:-inf > > metric:<untyped:<value:1.234567e+06 > > metric:<untyped:<"
            "value:1e-05 > > metric:<untyped:<value:1.7976931348623157e+308 > > \n");
}

TEST(ExpoProtoText, StringEscapesAreOctalBytes) {
  const MetricFamily mf = family(R"pb(
    name: "fesc"
    help: "Help \\ with \n newline, \t tab, \303\251 and \"quote\" <&>."
    type: GAUGE
    metric {
      label { name: "a" value: "inst'a\"n\\ce1" }
      label { name: "b" value: "Bj\303\266rn" }
      label { name: "d" value: "a\tb\rc" }
      label { name: "u" value: "\001\177\342\200\250\342\200\251<&\"\\" }
      gauge { value: 1 }
    })pb");
  EXPECT_EQ(compact(mf),
            "name:\"fesc\" help:\"Help \\\\ with \\n newline, \\t tab, \\303\\251 and "
            "\\\"quote\\\" <&>.\" type:GAUGE metric:<label:<name:\"a\" value:"
            "\"inst'a\\\"n\\\\ce1\" > label:<name:\"b\" value:\"Bj\\303\\266rn\" > "
            "label:<name:\"d\" value:\"a\\tb\\rc\" > label:<name:\"u\" value:"
            "\"\\001\\177\\342\\200\\250\\342\\200\\251<&\\\"\\\\\" > gauge:<value:1 > > \n");
  std::string literal;
  appendProtoTextString(literal, std::string("\0\x1f ~\xff", 5));
  EXPECT_EQ(literal, "\"\\000\\037 ~\\377\"");
}

TEST(ExpoProtoText, PresenceDecidesWhatIsWritten) {
  // help set to "" is written (1.5.1 capture: `name:"pbhelp" help:"" type:GAUGE ...`); an
  // empty submessage still opens and closes (1.5.1 capture of an empty Gauge: `gauge:<> ` and
  // "  gauge: <\n  >\n"); proto3 Timestamp fields are skipped when zero.
  const MetricFamily mf = family(R"pb(
    name: "pbhelp"
    help: ""
    type: GAUGE
    metric { gauge {} }
    metric {
      counter {
        value: 0
        created_timestamp { seconds: 0 nanos: 5 }
      }
      timestamp_ms: -7
    })pb");
  EXPECT_EQ(compact(mf),
            "name:\"pbhelp\" help:\"\" type:GAUGE metric:<gauge:<> > metric:<counter:<value:0 "
            "created_timestamp:<nanos:5 > > timestamp_ms:-7 > \n");
  EXPECT_EQ(text(mf),
            "name: \"pbhelp\"\n"
            "help: \"\"\n"
            "type: GAUGE\n"
            "metric: <\n"
            "  gauge: <\n"
            "  >\n"
            ">\n"
            "metric: <\n"
            "  counter: <\n"
            "    value: 0\n"
            "    created_timestamp: <\n"
            "      nanos: 5\n"
            "    >\n"
            "  >\n"
            "  timestamp_ms: -7\n"
            ">\n"
            "\n");
  EXPECT_EQ(compact(MetricFamily()), "\n");
  EXPECT_EQ(text(MetricFamily()), "\n");
}

TEST(ExpoProtoText, AppendsAfterExistingOutput) {
  std::string out = "x";
  appendProtoCompactText(out, family(R"pb(name: "a" type: COUNTER)pb"));
  appendProtoCompactText(out, family(R"pb(name: "b" type: GAUGE)pb"));
  EXPECT_EQ(out, "xname:\"a\" type:COUNTER \nname:\"b\" type:GAUGE \n");
}

}  // namespace
}  // namespace ferry::families
