#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/expo/json_api.h"
#include "metric_family_fixture.h"

namespace ferry::core::expo {
namespace {

using io::prometheus::client::MetricFamily;

using test::family;

std::string json(const ApiGroup& group) {
  std::string out;
  appendApiGroupJson(out, group);
  return out;
}

std::string jsonString(std::string_view s) {
  std::string out;
  appendJsonString(out, s);
  return out;
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

// Appendix E7, `curl -s $PG/api/v1/metrics | python3 -m json.tool` (key order preserved).
constexpr const char* kE7Capture = R"json(
{
    "status": "success",
    "data": [
        {
            "labels": {
                "instance": "host1",
                "job": "rich"
            },
            "last_push_successful": true,
            "my_counter_total": {
                "time_stamp": "2026-11-25T09:39:06.347172095Z",
                "type": "COUNTER",
                "help": "A counter.",
                "metrics": [
                    {
                        "labels": {
                            "code": "200",
                            "instance": "host1",
                            "job": "rich"
                        },
                        "value": "42"
                    }
                ]
            },
            "my_gauge": {
                "time_stamp": "2026-11-25T09:39:06.347172095Z",
                "type": "GAUGE",
                "metrics": [
                    {
                        "labels": {
                            "instance": "host1",
                            "job": "rich"
                        },
                        "value": "2398.283"
                    }
                ]
            },
            "my_hist": {
                "time_stamp": "2026-11-25T09:39:06.347172095Z",
                "type": "HISTOGRAM",
                "help": "A histogram.",
                "metrics": [
                    {
                        "buckets": {
                            "+Inf": "4",
                            "0.5": "1",
                            "1": "3"
                        },
                        "count": "4",
                        "labels": {
                            "instance": "host1",
                            "job": "rich"
                        },
                        "sum": "2.7"
                    }
                ]
            },
            "my_summary": {
                "time_stamp": "2026-11-25T09:39:06.347172095Z",
                "type": "SUMMARY",
                "help": "A summary.",
                "metrics": [
                    {
                        "count": "5",
                        "labels": {
                            "instance": "host1",
                            "job": "rich"
                        },
                        "quantiles": {
                            "0.5": "1.5",
                            "0.9": "2.5"
                        },
                        "sum": "10"
                    }
                ]
            },
            "my_untyped": {
                "time_stamp": "2026-11-25T09:39:06.347172095Z",
                "type": "UNTYPED",
                "metrics": [
                    {
                        "labels": {
                            "a": "b",
                            "instance": "host1",
                            "job": "rich"
                        },
                        "value": "7"
                    }
                ]
            },
            "push_failure_time_seconds": {
                "time_stamp": "2026-11-25T09:39:06.347172095Z",
                "type": "GAUGE",
                "help": "Last Unix time when changing this group in the Pushgateway failed.",
                "metrics": [
                    {
                        "labels": {
                            "instance": "host1",
                            "job": "rich"
                        },
                        "value": "0"
                    }
                ]
            },
            "push_time_seconds": {
                "time_stamp": "2026-11-25T09:39:06.347172095Z",
                "type": "GAUGE",
                "help": "Last Unix time when changing this group in the Pushgateway succeeded.",
                "metrics": [
                    {
                        "labels": {
                            "instance": "host1",
                            "job": "rich"
                        },
                        "value": "1.795599546347172e+09"
                    }
                ]
            }
        }
    ]
}
)json";

constexpr int64_t kE7Nanos = 1795599546347172095;  // 2026-11-25T09:39:06.347172095Z

TEST(ExpoJsonApi, E7RichGroupMatchesTheCapture) {
  const std::string labels = R"pb(label { name: "instance" value: "host1" }
                                  label { name: "job" value: "rich" })pb";
  std::vector<MetricFamily> families = {
      family(R"txt(name: "my_counter_total"
                  help: "A counter."
                  type: COUNTER
                  metric { label { name: "code" value: "200" })txt" +
             labels + "counter { value: 42 } }"),
      family(R"txt(name: "my_gauge" type: GAUGE metric {)txt" + labels +
             "gauge { value: 2398.283 } }"),
      family(R"txt(name: "my_hist" help: "A histogram." type: HISTOGRAM metric {)txt" + labels +
             R"txt( histogram { sample_count: 4 sample_sum: 2.7
                              bucket { cumulative_count: 1 upper_bound: 0.5 }
                              bucket { cumulative_count: 3 upper_bound: 1 }
                              bucket { cumulative_count: 4 upper_bound: inf } } })txt"),
      family(R"txt(name: "my_summary" help: "A summary." type: SUMMARY metric {)txt" + labels +
             R"txt( summary { sample_count: 5 sample_sum: 10
                            quantile { quantile: 0.5 value: 1.5 }
                            quantile { quantile: 0.9 value: 2.5 } } })txt"),
      family(R"txt(name: "my_untyped"
                  type: UNTYPED
                  metric { label { name: "a" value: "b" })txt" +
             labels + "untyped { value: 7 } }"),
      family(R"txt(name: "push_failure_time_seconds"
                  help: "Last Unix time when changing this group in the Pushgateway failed."
                  type: GAUGE
                  metric {)txt" +
             labels + "gauge { value: 0 } }"),
      family(R"txt(name: "push_time_seconds"
                  help: "Last Unix time when changing this group in the Pushgateway succeeded."
                  type: GAUGE
                  metric {)txt" +
             labels + "gauge { value: 1.795599546347172e+09 } }"),
  };
  ApiGroup group{{{"instance", "host1"}, {"job", "rich"}}, true, {}};
  // Reverse order on input: the output order must come from sorting.
  for (auto it = families.rbegin(); it != families.rend(); ++it) {
    group.families.push_back({&*it, kE7Nanos});
  }
  const auto capture = nlohmann::ordered_json::parse(kE7Capture);
  EXPECT_EQ(json(group), capture.at("data").at(0).dump());
}

TEST(ExpoJsonApi, EscapedGroupMatchesTheCaptureByteForByte) {
  // Pushed to 1.5.1 as text to /metrics/job/esc/u/%01%7F%E2%80%A8%E2%80%A9%3C%26%22%5C.
  const std::string group_labels =
      R"pb(label { name: "instance" value: "" }
           label { name: "job" value: "esc" }
           label { name: "u" value: "\001\177\342\200\250\342\200\251<&\"\\" })pb";
  const MetricFamily fesc = family(R"pb(
    name: "fesc"
    help: "Help \\ with \n newline, \t tab, \303\251 and \"quote\" <&>."
    type: GAUGE
    metric {
      label { name: "a" value: "inst'a\"n\\ce1" }
      label { name: "b" value: "Bj\303\266rn" }
      label { name: "c" value: "<tag>&" }
      label { name: "d" value: "a\tb\rc" }
      label { name: "e" value: "x\ny" }
      label { name: "instance" value: "" }
      label { name: "job" value: "esc" }
      label { name: "u" value: "\001\177\342\200\250\342\200\251<&\"\\" }
      gauge { value: 1 }
    })pb");
  const MetricFamily failure = family(R"txt(name: "push_failure_time_seconds"
                  help: "Last Unix time when changing this group in the Pushgateway failed."
                  type: GAUGE
                  metric {)txt" + group_labels +
                                      "gauge { value: 0 } }");
  const MetricFamily success = family(R"txt(name: "push_time_seconds"
                  help: "Last Unix time when changing this group in the Pushgateway succeeded."
                  type: GAUGE
                  metric {)txt" + group_labels +
                                      "gauge { value: 1.7956027346434844e+09 } }");
  constexpr int64_t kNanos = 1795602734643484372;
  const ApiGroup group{{{"job", "esc"}, {"u", "\x01\x7f\xe2\x80\xa8\xe2\x80\xa9<&\"\\"}},
                       true,
                       {{&success, kNanos}, {&fesc, kNanos}, {&failure, kNanos}}};
  const std::string u = R"(\u0001<DEL>\u2028\u2029\u003c\u0026\"\\)";
  const std::string expected = replaceAll(
      R"({"fesc":{"time_stamp":"2026-11-25T10:32:14.643484372Z","type":"GAUGE",)"
      R"("help":"Help \\ with \n newline, \t tab, é and \"quote\" \u003c\u0026\u003e.",)"
      R"("metrics":[{"labels":{"a":"inst'a\"n\\ce1","b":"Björn","c":"\u003ctag\u003e\u0026",)"
      R"("d":"a\tb\rc","e":"x\ny","instance":"","job":"esc","u":"<U>"},"value":"1"}]},)"
      R"("labels":{"job":"esc","u":"<U>"},"last_push_successful":true,)"
      R"("push_failure_time_seconds":{"time_stamp":"2026-11-25T10:32:14.643484372Z",)"
      R"("type":"GAUGE","help":"Last Unix time when changing this group in the Pushgateway )"
      R"(failed.","metrics":[{"labels":{"instance":"","job":"esc","u":"<U>"},"value":"0"}]},)"
      R"("push_time_seconds":{"time_stamp":"2026-11-25T10:32:14.643484372Z","type":"GAUGE",)"
      R"("help":"Last Unix time when changing this group in the Pushgateway succeeded.",)"
      R"("metrics":[{"labels":{"instance":"","job":"esc","u":"<U>"},)"
      R"("value":"1.7956027346434844e+09"}]}})",
      "<U>", u);
  EXPECT_EQ(json(group), replaceAll(expected, "<DEL>", "\x7f"));
}

TEST(ExpoJsonApi, E24NativeHistogramAndSummaryCaptures) {
  const std::string labels = R"pb(label { name: "instance" value: "" }
                                  label { name: "job" value: "nh" })pb";
  const MetricFamily native = family(
      R"txt(name: "pb_native" help: "native hist" type: HISTOGRAM metric {)txt" + labels + R"txt(
      histogram { sample_count: 5 sample_sum: 12.5 schema: 1 zero_threshold: 0.001
                  zero_count: 1 positive_span { offset: 0 length: 2 }
                  positive_delta: 2 positive_delta: -1 } })txt");
  const MetricFamily summary =
      family(R"txt(name: "pb_sum" type: SUMMARY metric {)txt" + labels + R"txt(
      summary { sample_count: 18446744073709551615 sample_sum: -0
                quantile { quantile: 0.5 value: nan } } })txt");
  constexpr int64_t kNanos = 1795602783440910624;
  const ApiGroup group{{{"job", "nh"}}, true, {{&summary, kNanos}, {&native, kNanos}}};
  EXPECT_EQ(json(group),
            R"({"labels":{"job":"nh"},"last_push_successful":true,)"
            R"("pb_native":{"time_stamp":"2026-11-25T10:33:03.440910624Z","type":"HISTOGRAM",)"
            R"("help":"native hist","metrics":[{"buckets":{},"count":"5",)"
            R"("labels":{"instance":"","job":"nh"},"sum":"12.5"}]},)"
            R"("pb_sum":{"time_stamp":"2026-11-25T10:33:03.440910624Z","type":"SUMMARY",)"
            R"("metrics":[{"count":"18446744073709551615","labels":{"instance":"","job":"nh"},)"
            R"("quantiles":{"0.5":"NaN"},"sum":"-0"}]}})");
}

// The group API's families: the same object with its name, and native histograms decoded.
TEST(ExpoJsonApi, FamilyWithNameAndDecodedNativeBuckets) {
  const MetricFamily native = family(R"txt(name: "nh" type: HISTOGRAM metric {
      histogram { sample_count: 5 sample_sum: 12.5 schema: 1 zero_threshold: 0.001
                  zero_count: 1 positive_span { offset: 0 length: 2 }
                  positive_span { offset: 1 length: 1 }
                  positive_delta: 2 positive_delta: -1 positive_delta: 3
                  negative_span { offset: -1 length: 1 } negative_delta: 4 } })txt");
  std::string out;
  appendApiFamilyJson(out, {&native, 0}, {true, true});
  // schema 1: base sqrt(2); bucket i is (2^((i-1)/2), 2^(i/2)]; counts 2, 1, then 4 after a gap.
  EXPECT_EQ(out, R"({"name":"nh","time_stamp":"1970-01-01T00:00:00Z","type":"HISTOGRAM",)"
                 R"("metrics":[{"buckets":{},"count":"5","labels":{},"native":{"schema":1,)"
                 R"("zero_threshold":"0.001","zero_count":"1","positive":[)"
                 R"({"lower":"0.7071067811865476","upper":"1","count":"2"},)"
                 R"({"lower":"1","upper":"1.4142135623730951","count":"1"},)"
                 R"({"lower":"2","upper":"2.8284271247461903","count":"4"}],"negative":[)"
                 R"({"lower":"-0.7071067811865476","upper":"-0.5","count":"4"}]},"sum":"12.5"}]})");
  // Without the options: exactly what /api/v1/metrics prints.
  std::string plain;
  appendApiFamilyJson(plain, {&native, 0});
  EXPECT_EQ(plain.find("native"), std::string::npos);
  EXPECT_EQ(plain.find("name"), std::string::npos);
}

TEST(ExpoJsonApi, FloatHistogramCountsFollowPushgateway110) {
  // 1.5.1 printed {"buckets":{"1":"0","2":"0"},"count":"0",...} for this family.
  const MetricFamily fhist = family(R"pb(
    name: "pb_fhist"
    type: HISTOGRAM
    metric {
      histogram {
        sample_count_float: 7.5
        sample_sum: 3.25
        bucket { cumulative_count_float: 2.5 upper_bound: 1 }
        bucket { cumulative_count_float: 6 upper_bound: 2 }
        bucket { cumulative_count: 9 cumulative_count_float: -1 upper_bound: inf }
        bucket { cumulative_count: 3 upper_bound: 1 }
      }
    })pb");
  const ApiGroup group{{}, false, {{&fhist, 0}}};
  EXPECT_EQ(json(group), R"({"labels":{},"last_push_successful":false,)"
                         R"("pb_fhist":{"time_stamp":"1970-01-01T00:00:00Z","type":"HISTOGRAM",)"
                         R"("metrics":[{"buckets":{"+Inf":"9","1":"3","2":"6"},"count":"7.5",)"
                         R"("labels":{},"sum":"3.25"}]}})");
}

TEST(ExpoJsonApi, GroupKeysSortTogetherAndFamiliesWin) {
  const MetricFamily a = family(R"pb(name: "a_metric"
                                     type: UNTYPED
                                     metric { untyped { value: 1 } })pb");
  const MetricFamily labels = family(R"pb(name: "labels"
                                          type: GAUGE
                                          metric { gauge { value: 2 } })pb");
  const MetricFamily z = family(R"pb(name: "Z"
                                     type: COUNTER
                                     metric { counter { value: 3 } })pb");
  const ApiGroup group{{{"job", "x"}}, true, {{&labels, 0}, {nullptr, 0}, {&a, 0}, {&z, 0}}};
  EXPECT_EQ(json(group), R"({"Z":{"time_stamp":"1970-01-01T00:00:00Z","type":"COUNTER",)"
                         R"("metrics":[{"labels":{},"value":"3"}]},)"
                         R"("a_metric":{"time_stamp":"1970-01-01T00:00:00Z","type":"UNTYPED",)"
                         R"("metrics":[{"labels":{},"value":"1"}]},)"
                         R"("labels":{"time_stamp":"1970-01-01T00:00:00Z","type":"GAUGE",)"
                         R"("metrics":[{"labels":{},"value":"2"}]},"last_push_successful":true})");
}

TEST(ExpoJsonApi, MapsKeepTheLastDuplicateAndSortBytewise) {
  const MetricFamily mf = family(R"pb(
    name: "s"
    type: SUMMARY
    metric {
      label { name: "b" value: "1" }
      label { name: "a" value: "x" }
      label { name: "b" value: "2" }
      summary {
        sample_count: 1
        sample_sum: 2
        quantile { quantile: 0.9 value: 1 }
        quantile { quantile: 0.5 value: 2 }
        quantile { quantile: 0.9 value: 3 }
        quantile { quantile: 1e-05 value: 4 }
      }
    })pb");
  const ApiGroup group{{{"job", "first"}, {"a", "x"}, {"job", "second"}}, true, {{&mf, 0}}};
  EXPECT_EQ(json(group),
            R"({"labels":{"a":"x","job":"second"},"last_push_successful":true,)"
            R"("s":{"time_stamp":"1970-01-01T00:00:00Z","type":"SUMMARY","metrics":[{"count":"1",)"
            R"("labels":{"a":"x","b":"2"},"quantiles":{"0.5":"2","0.9":"3","1e-05":"4"},)"
            R"("sum":"2"}]}})");
}

TEST(ExpoJsonApi, ValueComesFromWhicheverFieldIsSet) {
  // Pushgateway's getValue: gauge, else counter, else untyped, else 0 — whatever the type.
  const MetricFamily mf = family(R"pb(
    name: "m"
    type: COUNTER
    metric { gauge { value: 1.5 } }
    metric {
      untyped { value: 2 }
      counter { value: 3 }
    }
    metric { summary { sample_count: 1 } })pb");
  const MetricFamily gh = family(R"pb(name: "gh"
                                      type: GAUGE_HISTOGRAM
                                      metric { histogram { sample_count: 4 } })pb");
  const MetricFamily summary_without_summary = family(R"pb(name: "s"
                                                           type: SUMMARY
                                                           metric { gauge { value: 1 } })pb");
  const MetricFamily no_metrics = family(R"pb(name: "n" type: UNTYPED)pb");
  const ApiGroup group{
      {}, true, {{&mf, 0}, {&gh, 0}, {&summary_without_summary, 0}, {&no_metrics, 0}}};
  EXPECT_EQ(json(group),
            R"({"gh":{"time_stamp":"1970-01-01T00:00:00Z","type":"GAUGE_HISTOGRAM",)"
            R"("metrics":[{"labels":{},"value":"0"}]},"labels":{},"last_push_successful":true,)"
            R"("m":{"time_stamp":"1970-01-01T00:00:00Z","type":"COUNTER","metrics":[)"
            R"({"labels":{},"value":"1.5"},{"labels":{},"value":"3"},{"labels":{},"value":"0"}]},)"
            R"("n":{"time_stamp":"1970-01-01T00:00:00Z","type":"UNTYPED","metrics":[]},)"
            R"("s":{"time_stamp":"1970-01-01T00:00:00Z","type":"SUMMARY","metrics":[{"count":"0",)"
            R"("labels":{},"quantiles":{},"sum":"0"}]}})");
}

TEST(ExpoJsonApi, Rfc3339Nano) {
  EXPECT_EQ(formatRfc3339Nano(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(formatRfc3339Nano(kE7Nanos), "2026-11-25T09:39:06.347172095Z");
  EXPECT_EQ(formatRfc3339Nano(1795599546500000000), "2026-11-25T09:39:06.5Z");
  EXPECT_EQ(formatRfc3339Nano(1795599546000001000), "2026-11-25T09:39:06.000001Z");
  EXPECT_EQ(formatRfc3339Nano(-1), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(formatRfc3339Nano(951782400000000000), "2000-02-29T00:00:00Z");
  EXPECT_EQ(formatRfc3339Nano(1709251199000000000), "2024-02-29T23:59:59Z");
  EXPECT_EQ(formatRfc3339Nano(4107542400000000000), "2100-03-01T00:00:00Z");
  EXPECT_EQ(formatRfc3339Nano(std::numeric_limits<int64_t>::max()),
            "2262-04-11T23:47:16.854775807Z");
  EXPECT_EQ(formatRfc3339Nano(std::numeric_limits<int64_t>::min()),
            "1677-09-21T00:12:43.145224192Z");
}

TEST(ExpoJsonApi, StringEscapingLikeGo119) {
  EXPECT_EQ(jsonString(""), R"("")");
  EXPECT_EQ(jsonString("plain ascii ~"), R"("plain ascii ~")");
  EXPECT_EQ(jsonString("\"\\/"), R"("\"\\/")");
  EXPECT_EQ(jsonString("\n\r\t\b\f\x0b"), R"("\n\r\t\u0008\u000c\u000b")");
  EXPECT_EQ(jsonString(std::string("\0\x1f\x7f", 3)), "\"\\u0000\\u001f\x7f\"");
  EXPECT_EQ(jsonString("<a href=\"x\">&amp;</a>"),
            R"("\u003ca href=\"x\"\u003e\u0026amp;\u003c/a\u003e")");
  EXPECT_EQ(jsonString("Bj\xc3\xb6rn \xf0\x9f\x98\x80 \xe2\x82\xac"),
            "\"Bj\xc3\xb6rn \xf0\x9f\x98\x80 \xe2\x82\xac\"");
  EXPECT_EQ(jsonString("\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaa"), "\"\\u2028\\u2029\xe2\x80\xaa\"");
  // Captured from 1.5.1: grouping label a%FFb%C3 is listed as "a\ufffdb\ufffd".
  EXPECT_EQ(jsonString("a\xff"
                       "b\xc3"),
            R"("a\ufffdb\ufffd")");
  // Every byte of an invalid sequence is replaced on its own, like utf8.DecodeRuneInString.
  EXPECT_EQ(jsonString("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");            // surrogate
  EXPECT_EQ(jsonString("\xc0\x80"), R"("\ufffd\ufffd")");                      // overlong NUL
  EXPECT_EQ(jsonString("\xe0\x9f\xbf"), R"("\ufffd\ufffd\ufffd")");            // overlong
  EXPECT_EQ(jsonString("\xf4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")");  // > U+10FFFF
  EXPECT_EQ(jsonString("\xf0\x9f\x98"), R"("\ufffd\ufffd\ufffd")");            // truncated
  EXPECT_EQ(jsonString("\xe2\x80"), R"("\ufffd\ufffd")");                      // truncated U+2028
  EXPECT_EQ(jsonString("x\xc3("), R"("x\ufffd(")");
}

}  // namespace
}  // namespace ferry::core::expo
