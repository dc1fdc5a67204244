#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "core/expo/text_format.h"
#include "metric_family_fixture.h"

namespace ferry::core::expo {
namespace {

using io::prometheus::client::MetricFamily;

using test::family;

std::string render(const MetricFamily& mf) {
  std::string out;
  appendFamilyText(out, mf);
  return out;
}

TEST(ExpoTextFormat, E1OwnMetricsAndAPushedSample) {
  EXPECT_EQ(render(family(R"pb(
              name: "push_time_seconds"
              help: "Last Unix time when changing this group in the Pushgateway succeeded."
              type: GAUGE
              metric {
                label { name: "instance" value: "" }
                label { name: "job" value: "some_job" }
                gauge { value: 1.7955995008926704e+09 }
              })pb")),
            "# HELP push_time_seconds Last Unix time when changing this group in the "
            "Pushgateway succeeded.\n"
            "# TYPE push_time_seconds gauge\n"
            "push_time_seconds{instance=\"\",job=\"some_job\"} 1.7955995008926704e+09\n");
  EXPECT_EQ(render(family(R"pb(
              name: "pushgateway_http_push_duration_seconds"
              help: "HTTP request duration for pushes to the Pushgateway."
              type: SUMMARY
              metric {
                label { name: "method" value: "post" }
                summary {
                  sample_count: 1
                  sample_sum: 0.000627887
                  quantile { quantile: 0.1 value: 0.000627887 }
                  quantile { quantile: 0.5 value: 0.000627887 }
                  quantile { quantile: 0.9 value: 0.000627887 }
                }
              })pb")),
            "# HELP pushgateway_http_push_duration_seconds HTTP request duration for pushes to "
            "the Pushgateway.\n"
            "# TYPE pushgateway_http_push_duration_seconds summary\n"
            "pushgateway_http_push_duration_seconds{method=\"post\",quantile=\"0.1\"} "
            "0.000627887\n"
            "pushgateway_http_push_duration_seconds{method=\"post\",quantile=\"0.5\"} "
            "0.000627887\n"
            "pushgateway_http_push_duration_seconds{method=\"post\",quantile=\"0.9\"} "
            "0.000627887\n"
            "pushgateway_http_push_duration_seconds_sum{method=\"post\"} 0.000627887\n"
            "pushgateway_http_push_duration_seconds_count{method=\"post\"} 1\n");
  EXPECT_EQ(render(family(R"pb(
              name: "some_metric"
              type: UNTYPED
              metric {
                label { name: "instance" value: "" }
                label { name: "job" value: "some_job" }
                untyped { value: 3.14 }
              })pb")),
            "# TYPE some_metric untyped\nsome_metric{instance=\"\",job=\"some_job\"} 3.14\n");
}

TEST(ExpoTextFormat, E7RichGroup) {
  std::string out;
  appendFamilyText(out, family(R"pb(
                     name: "my_counter_total"
                     help: "A counter."
                     type: COUNTER
                     metric {
                       label { name: "code" value: "200" }
                       label { name: "instance" value: "host1" }
                       label { name: "job" value: "rich" }
                       counter { value: 42 }
                     })pb"));
  appendFamilyText(out, family(R"pb(
                     name: "my_gauge"
                     type: GAUGE
                     metric {
                       label { name: "instance" value: "host1" }
                       label { name: "job" value: "rich" }
                       gauge { value: 2398.283 }
                     })pb"));
  appendFamilyText(out, family(R"pb(
                     name: "my_hist"
                     help: "A histogram."
                     type: HISTOGRAM
                     metric {
                       label { name: "instance" value: "host1" }
                       label { name: "job" value: "rich" }
                       histogram {
                         sample_count: 4
                         sample_sum: 2.7
                         bucket { cumulative_count: 1 upper_bound: 0.5 }
                         bucket { cumulative_count: 3 upper_bound: 1 }
                         bucket { cumulative_count: 4 upper_bound: inf }
                       }
                     })pb"));
  appendFamilyText(out, family(R"pb(
                     name: "my_summary"
                     help: "A summary."
                     type: SUMMARY
                     metric {
                       label { name: "instance" value: "host1" }
                       label { name: "job" value: "rich" }
                       summary {
                         sample_count: 5
                         sample_sum: 10
                         quantile { quantile: 0.5 value: 1.5 }
                         quantile { quantile: 0.9 value: 2.5 }
                       }
                     })pb"));
  appendFamilyText(out, family(R"pb(
                     name: "my_untyped"
                     type: UNTYPED
                     metric {
                       label { name: "a" value: "b" }
                       label { name: "instance" value: "host1" }
                       label { name: "job" value: "rich" }
                       untyped { value: 7 }
                     })pb"));
  EXPECT_EQ(out,
            "# HELP my_counter_total A counter.\n"
            "# TYPE my_counter_total counter\n"
            "my_counter_total{code=\"200\",instance=\"host1\",job=\"rich\"} 42\n"
            "# TYPE my_gauge gauge\n"
            "my_gauge{instance=\"host1\",job=\"rich\"} 2398.283\n"
            "# HELP my_hist A histogram.\n"
            "# TYPE my_hist histogram\n"
            "my_hist_bucket{instance=\"host1\",job=\"rich\",le=\"0.5\"} 1\n"
            "my_hist_bucket{instance=\"host1\",job=\"rich\",le=\"1\"} 3\n"
            "my_hist_bucket{instance=\"host1\",job=\"rich\",le=\"+Inf\"} 4\n"
            "my_hist_sum{instance=\"host1\",job=\"rich\"} 2.7\n"
            "my_hist_count{instance=\"host1\",job=\"rich\"} 4\n"
            "# HELP my_summary A summary.\n"
            "# TYPE my_summary summary\n"
            "my_summary{instance=\"host1\",job=\"rich\",quantile=\"0.5\"} 1.5\n"
            "my_summary{instance=\"host1\",job=\"rich\",quantile=\"0.9\"} 2.5\n"
            "my_summary_sum{instance=\"host1\",job=\"rich\"} 10\n"
            "my_summary_count{instance=\"host1\",job=\"rich\"} 5\n"
            "# TYPE my_untyped untyped\n"
            "my_untyped{a=\"b\",instance=\"host1\",job=\"rich\"} 7\n");
}

TEST(ExpoTextFormat, E21SynthesizesTheInfBucket) {
  EXPECT_EQ(render(family(R"pb(
              name: "h"
              type: HISTOGRAM
              metric {
                label { name: "instance" value: "" }
                label { name: "job" value: "p2" }
                histogram {
                  sample_count: 1
                  sample_sum: 1
                  bucket { cumulative_count: 1 upper_bound: 1 }
                }
              })pb")),
            "# TYPE h histogram\n"
            "h_bucket{instance=\"\",job=\"p2\",le=\"1\"} 1\n"
            "h_bucket{instance=\"\",job=\"p2\",le=\"+Inf\"} 1\n"
            "h_sum{instance=\"\",job=\"p2\"} 1\n"
            "h_count{instance=\"\",job=\"p2\"} 1\n");
  // Any +Inf bucket counts, not just the last one (expfmt sets infSeen per bucket).
  std::string out;
  appendMetricText(out, "h", io::prometheus::client::HISTOGRAM,
                   family(R"pb(
                     metric {
                       histogram {
                         sample_count: 2
                         bucket { cumulative_count: 2 upper_bound: inf }
                         bucket { cumulative_count: 1 upper_bound: 5 }
                       }
                     })pb")
                       .metric(0));
  EXPECT_EQ(out, "h_bucket{le=\"+Inf\"} 2\nh_bucket{le=\"5\"} 1\nh_sum 0\nh_count 2\n");
}

TEST(ExpoTextFormat, E24NativeHistogramShowsOnlyInfSumCount) {
  EXPECT_EQ(render(family(R"pb(
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
            "# HELP pb_native native hist\n"
            "# TYPE pb_native histogram\n"
            "pb_native_bucket{instance=\"\",job=\"nh\",le=\"+Inf\"} 5\n"
            "pb_native_sum{instance=\"\",job=\"nh\"} 12.5\n"
            "pb_native_count{instance=\"\",job=\"nh\"} 5\n");
}

TEST(ExpoTextFormat, E16AndE4Escapes) {
  EXPECT_EQ(render(family(R"pb(
              name: "esc"
              help: "Help with \\ backslash and \n newline."
              type: UNTYPED
              metric {
                label { name: "instance" value: "" }
                label { name: "job" value: "esc" }
                label { name: "v" value: "q\"uote\\back\nnl" }
                untyped { value: 1 }
              })pb")),
            "# HELP esc Help with \\\\ backslash and \\n newline.\n"
            "# TYPE esc untyped\n"
            "esc{instance=\"\",job=\"esc\",v=\"q\\\"uote\\\\back\\nnl\"} 1\n");
  // Captured from 1.5.1: tabs, CR, control bytes, UTF-8 and quotes in HELP are left alone.
  EXPECT_EQ(render(family(R"pb(
              name: "fesc"
              help: "Help \\ with \n newline, \t tab, \303\251 and \"quote\" <&>."
              type: GAUGE
              metric {
                label { name: "a" value: "inst'a\"n\\ce1" }
                label { name: "b" value: "Bj\303\266rn" }
                label { name: "c" value: "<tag>&" }
                label { name: "d" value: "a\tb\rc" }
                label { name: "e" value: "x\ny" }
                label { name: "u" value: "\001\177\342\200\250<&\"\\" }
                gauge { value: 1 }
              })pb")),
            "# HELP fesc Help \\\\ with \\n newline, \t tab, \xc3\xa9 and \"quote\" <&>.\n"
            "# TYPE fesc gauge\n"
            "fesc{a=\"inst'a\\\"n\\\\ce1\",b=\"Bj\xc3\xb6rn\",c=\"<tag>&\",d=\"a\tb\rc\","
            "e=\"x\\ny\",u=\"\x01\x7f\xe2\x80\xa8<&\\\"\\\\\"} 1\n");
}

TEST(ExpoTextFormat, EscapeHelpers) {
  std::string out;
  escapeLabelValue(out, "a\\b\"c\nd\re");
  EXPECT_EQ(out, "a\\\\b\\\"c\\nd\re");
  out.clear();
  escapeHelp(out, "a\\b\"c\nd");
  EXPECT_EQ(out, "a\\\\b\"c\\nd");
  out.clear();
  escapeLabelValue(out, "");
  EXPECT_EQ(out, "");
}

TEST(ExpoTextFormat, E23AndE4FloatValues) {
  const std::pair<double, const char*> cases[] = {
      {1234567, "1.234567e+06"},
      {0.00001234, "1.234e-05"},
      {100000, "100000"},
      {1e21, "1e+21"},
      {9e9, "9e+09"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
      {std::numeric_limits<double>::infinity(), "+Inf"},
      {-std::numeric_limits<double>::infinity(), "-Inf"},
      {-0.0, "0"},  // the text format hard-codes f == 0 (captured: `negz ... 0`)
      {-1, "-1"},
  };
  for (const auto& [value, expected] : cases) {
    std::string out;
    appendTextFloat(out, value);
    EXPECT_EQ(out, expected);
  }
  // Label values formatted from floats go through the same writer.
  std::string out;
  appendMetricText(out, "s", io::prometheus::client::SUMMARY,
                   family(R"pb(
                     metric {
                       summary {
                         sample_count: 18446744073709551615
                         sample_sum: -0
                         quantile { quantile: -0 value: nan }
                       }
                     })pb")
                       .metric(0));
  EXPECT_EQ(out, "s{quantile=\"0\"} NaN\ns_sum 0\ns_count 1.8446744073709552e+19\n");
}

TEST(ExpoTextFormat, HeaderHelpPresence) {
  std::string out;
  appendFamilyHeader(out, "x", nullptr, io::prometheus::client::COUNTER);
  EXPECT_EQ(out, "# TYPE x counter\n");
  out.clear();
  const std::string empty;
  appendFamilyHeader(out, "x", &empty, io::prometheus::client::COUNTER);
  EXPECT_EQ(out, "# HELP x \n# TYPE x counter\n");
  out.clear();
  const std::string help = "some\\help\n";
  appendFamilyHeader(out, "x", &help, io::prometheus::client::SUMMARY);
  EXPECT_EQ(out, "# HELP x some\\\\help\\n\n# TYPE x summary\n");
  // 1.5.1 captured: a protobuf push with help set to "" gets "# HELP pbhelp \n".
  EXPECT_EQ(render(family(R"pb(name: "pbhelp"
                               help: ""
                               type: GAUGE
                               metric {
                                 label { name: "instance" value: "" }
                                 label { name: "job" value: "pbh" }
                                 gauge { value: 5 }
                               })pb")),
            "# HELP pbhelp \n# TYPE pbhelp gauge\npbhelp{instance=\"\",job=\"pbh\"} 5\n");
  EXPECT_EQ(render(family(R"pb(name: "nohelp"
                               type: GAUGE
                               metric { gauge { value: 5 } })pb")),
            "# TYPE nohelp gauge\nnohelp 5\n");
}

TEST(ExpoTextFormat, GaugeHistogramRendersAsHistogram) {
  EXPECT_EQ(render(family(R"pb(
              name: "gh"
              type: GAUGE_HISTOGRAM
              metric {
                histogram {
                  sample_count: 3
                  sample_sum: 1.5
                  bucket { cumulative_count: 2 upper_bound: 1 }
                }
              })pb")),
            "# TYPE gh histogram\n"
            "gh_bucket{le=\"1\"} 2\ngh_bucket{le=\"+Inf\"} 3\ngh_sum 1.5\ngh_count 3\n");
}

TEST(ExpoTextFormat, FloatHistogramCountsFollowUpstream) {
  // 1.5.1 printed 0 for all counts of this family; current expfmt prints the float counts.
  EXPECT_EQ(render(family(R"pb(
              name: "pb_fhist"
              type: HISTOGRAM
              metric {
                histogram {
                  sample_count_float: 7.5
                  sample_sum: 3.25
                  bucket { cumulative_count_float: 2.5 upper_bound: 1 }
                  bucket { cumulative_count_float: 6 upper_bound: 2 }
                }
              })pb")),
            "# TYPE pb_fhist histogram\n"
            "pb_fhist_bucket{le=\"1\"} 2.5\npb_fhist_bucket{le=\"2\"} 6\n"
            "pb_fhist_bucket{le=\"+Inf\"} 7.5\npb_fhist_sum 3.25\npb_fhist_count 7.5\n");
}

TEST(ExpoTextFormat, MetricsThatDoNotMatchTheTypeAreSkipped) {
  const MetricFamily mf = family(R"pb(
    name: "c"
    type: COUNTER
    metric {
      label { name: "a" value: "1" }
      gauge { value: 1 }
    }
    metric {
      label { name: "a" value: "2" }
      counter { value: 2 }
    }
    metric { label { name: "a" value: "3" } })pb");
  EXPECT_FALSE(metricMatchesType(mf.type(), mf.metric(0)));
  EXPECT_TRUE(metricMatchesType(mf.type(), mf.metric(1)));
  EXPECT_FALSE(metricMatchesType(mf.type(), mf.metric(2)));
  EXPECT_EQ(render(mf), "# TYPE c counter\nc{a=\"2\"} 2\n");
  EXPECT_TRUE(metricMatchesType(io::prometheus::client::GAUGE_HISTOGRAM,
                                family("metric { histogram {} }").metric(0)));
}

TEST(ExpoTextFormat, TimestampsAreNeverWritten) {
  EXPECT_EQ(render(family(R"pb(name: "t"
                               type: GAUGE
                               metric {
                                 gauge { value: 1 }
                                 timestamp_ms: 1234
                               })pb")),
            "# TYPE t gauge\nt 1\n");
}

TEST(ExpoTextFormat, EmptyOrNamelessFamiliesProduceNothing) {
  EXPECT_EQ(render(family(R"pb(name: "empty" help: "h" type: GAUGE)pb")), "");
  EXPECT_EQ(render(family(R"pb(type: GAUGE
                               metric { gauge { value: 1 } })pb")),
            "");
}

TEST(ExpoTextFormat, UnknownTypeValuesAreNotRendered) {
  const auto bogus = static_cast<io::prometheus::client::MetricType>(42);
  EXPECT_FALSE(isTextRenderableType(bogus));
  std::string out;
  const std::string help = "help";
  appendFamilyHeader(out, "x", &help, bogus);
  appendMetricText(out, "x", bogus, family("metric { gauge { value: 1 } }").metric(0));
  EXPECT_EQ(out, "");
  for (int t = 0; t <= 5; ++t) {
    EXPECT_TRUE(isTextRenderableType(static_cast<io::prometheus::client::MetricType>(t)));
  }
}

}  // namespace
}  // namespace ferry::core::expo
