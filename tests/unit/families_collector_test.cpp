// The host side of the family builder: the C calls an input plugin makes, and what they build.
#include <google/protobuf/arena.h>
#include <gtest/gtest.h>

#include <cmath>
#include <ferry/families/family_collector.hpp>
#include <string>

namespace ferry::families {
namespace {

namespace pb = io::prometheus::client;

ferry_bytes bytes(const char* s) { return ferry_bytes{s, std::char_traits<char>::length(s)}; }

class Collector : public ::testing::Test {
 protected:
  ferry_family* family(const char* name, ferry_metric_type type, const char* help = nullptr) {
    ferry_family_info info{};
    info.struct_size = sizeof info;
    info.type = type;
    info.name = bytes(name);
    if (help) {
      info.flags = FERRY_FAMILY_HELP;
      info.help = bytes(help);
    }
    ferry_family* handle = nullptr;
    last_ = builder_->family(collector_.handle(), &info, &handle);
    return handle;
  }
  ferry_status series(ferry_family* f, const ferry_series& s) { return builder_->series(f, &s); }
  static ferry_series valueSeries(const ferry_label* labels, size_t count, double value) {
    ferry_series s{};
    s.struct_size = sizeof s;
    s.labels = labels;
    s.label_count = count;
    s.value = value;
    return s;
  }

  google::protobuf::Arena arena_;
  FamilyCollector collector_{&arena_};
  const ferry_family_builder* builder_ = FamilyCollector::builder();
  ferry_status last_ = FERRY_OK;
};

TEST_F(Collector, FamiliesAndSeriesBecomeMessages) {
  ferry_label labels[] = {{bytes("code"), bytes("200")}};
  ferry_family* jobs = family("jobs_total", FERRY_METRIC_COUNTER, "Jobs.");
  ASSERT_EQ(last_, FERRY_OK);
  ferry_series s = valueSeries(labels, 1, 3);
  s.flags = FERRY_SERIES_TIMESTAMP;
  s.timestamp_ms = 1700000000000;
  ASSERT_EQ(series(jobs, s), FERRY_OK);
  ferry_family* up = family("up", FERRY_METRIC_GAUGE);
  ASSERT_EQ(series(up, valueSeries(nullptr, 0, 1)), FERRY_OK);
  // The same name again continues the family, in its first place.
  ASSERT_EQ(family("jobs_total", FERRY_METRIC_COUNTER, "Jobs."), jobs);
  ASSERT_EQ(series(jobs, valueSeries(nullptr, 0, 4)), FERRY_OK);
  ASSERT_EQ(collector_.status(), FERRY_OK);
  const auto& families = collector_.families();
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(families[0]->name(), "jobs_total");
  EXPECT_TRUE(families[0]->has_help());
  EXPECT_FALSE(families[1]->has_help());
  ASSERT_EQ(families[0]->metric_size(), 2);
  EXPECT_EQ(families[0]->metric(0).label(0).name(), "code");
  EXPECT_EQ(families[0]->metric(0).counter().value(), 3);
  EXPECT_EQ(families[0]->metric(0).timestamp_ms(), 1700000000000);
  EXPECT_FALSE(families[0]->metric(1).has_timestamp_ms());
  EXPECT_EQ(families[1]->metric(0).gauge().value(), 1);
}

TEST_F(Collector, HistogramsKeepWhatIsSetAndNothingElse) {
  ferry_family* h = family("latency_seconds", FERRY_METRIC_HISTOGRAM);
  ferry_bucket buckets[] = {{0.1, 1, 0, nullptr}, {INFINITY, 3, 0, nullptr}};
  ferry_bucket_span spans[] = {{-2, 2}};
  int64_t deltas[] = {1, 1};
  ferry_histogram hist{};
  hist.struct_size = sizeof hist;
  hist.flags = FERRY_AGGREGATE_COUNT | FERRY_HISTOGRAM_NATIVE;  // no sum
  hist.sample_count = 3;
  hist.buckets = buckets;
  hist.bucket_count = 2;
  hist.schema = 3;
  hist.zero_threshold = 1e-128;
  hist.zero_count = 1;
  hist.positive_spans = spans;
  hist.positive_span_count = 1;
  hist.positive_deltas = deltas;
  hist.positive_delta_count = 2;
  ferry_series s = valueSeries(nullptr, 0, 0);
  s.histogram = &hist;
  ASSERT_EQ(series(h, s), FERRY_OK);
  const pb::Histogram& got = collector_.families()[0]->metric(0).histogram();
  EXPECT_EQ(got.sample_count(), 3u);
  EXPECT_FALSE(got.has_sample_sum());
  EXPECT_FALSE(got.has_sample_count_float());
  ASSERT_EQ(got.bucket_size(), 2);
  EXPECT_EQ(got.bucket(1).cumulative_count(), 3u);
  EXPECT_TRUE(std::isinf(got.bucket(1).upper_bound()));
  EXPECT_EQ(got.schema(), 3);
  EXPECT_EQ(got.zero_count(), 1u);
  ASSERT_EQ(got.positive_span_size(), 1);
  EXPECT_EQ(got.positive_span(0).offset(), -2);
  EXPECT_EQ(got.positive_delta_size(), 2);
}

TEST_F(Collector, AFamilyAgainWithAnotherTypeIsInvalidInputAndStopsEverything) {
  family("x", FERRY_METRIC_GAUGE);
  ferry_family* again = family("x", FERRY_METRIC_COUNTER);
  EXPECT_EQ(last_, FERRY_ERR_INVALID_INPUT);
  EXPECT_EQ(again, nullptr);
  EXPECT_EQ(collector_.message(),
            "metric family \"x\" is given twice, with another type, HELP or unit");
  family("y", FERRY_METRIC_GAUGE);  // every later call is refused with the first failure
  EXPECT_EQ(last_, FERRY_ERR_INVALID_INPUT);
}

TEST_F(Collector, MisuseIsAnInternalError) {
  ferry_family* c = family("c", FERRY_METRIC_COUNTER);
  ferry_summary summary{};
  summary.struct_size = sizeof summary;
  ferry_series s = valueSeries(nullptr, 0, 1);
  s.summary = &summary;
  EXPECT_EQ(series(c, s), FERRY_ERR_INTERNAL);
  EXPECT_EQ(collector_.message(), "series() of counter family \"c\": a summary given");
}

TEST_F(Collector, NullArraysAreRefusedNotRead) {
  ferry_family* g = family("g", FERRY_METRIC_GAUGE);
  EXPECT_EQ(series(g, valueSeries(nullptr, 3, 1)), FERRY_ERR_INTERNAL);
  EXPECT_EQ(collector_.message(), "series() of gauge family \"g\": labels are NULL");
}

TEST_F(Collector, DelimitedBytesReplaceAFamilyOfTheirName) {
  ferry_family* a = family("a", FERRY_METRIC_GAUGE);
  ASSERT_EQ(series(a, valueSeries(nullptr, 0, 1)), FERRY_OK);
  pb::MetricFamily replacement;
  replacement.set_name("a");
  replacement.set_type(pb::UNTYPED);
  replacement.add_metric()->mutable_untyped()->set_value(7);
  std::string frame = replacement.SerializeAsString();
  std::string delimited = std::string(1, static_cast<char>(frame.size())) + frame;
  ASSERT_EQ(builder_->delimited(collector_.handle(), {delimited.data(), delimited.size()}),
            FERRY_OK);
  ASSERT_EQ(collector_.families().size(), 1u);
  EXPECT_EQ(collector_.families()[0]->type(), pb::UNTYPED);
  EXPECT_EQ(collector_.families()[0]->metric(0).untyped().value(), 7);
  std::string cut = delimited.substr(0, delimited.size() - 1);
  EXPECT_EQ(builder_->delimited(collector_.handle(), {cut.data(), cut.size()}), FERRY_ERR_INTERNAL);
  EXPECT_NE(collector_.message().find("malformed delimited families"), std::string::npos);
}

}  // namespace
}  // namespace ferry::families
