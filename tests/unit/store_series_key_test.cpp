// Sort keys of series and the compact per-family storage that keeps them (core/store).
#include <gtest/gtest.h>

#include <ferry/families/series_key.hpp>
#include <string>

#include "core/store/group.h"

namespace ferry::core::store {
namespace {

pb::Metric metricWith(std::initializer_list<std::pair<std::string, std::string>> labels) {
  pb::Metric metric;
  for (const auto& [name, value] : labels) {
    auto* pair = metric.add_label();
    pair->set_name(name);
    pair->set_value(value);
  }
  metric.mutable_gauge()->set_value(1);
  return metric;
}

TEST(SeriesSortKey, OrdersByLabelCountThenValuesThenNames) {
  auto one = families::seriesSortKey(metricWith({{"a", "z"}}));
  auto two = families::seriesSortKey(metricWith({{"a", "a"}, {"b", "a"}}));
  EXPECT_LT(one, two);
  EXPECT_LT(families::seriesSortKey(metricWith({{"a", "x"}, {"b", "y"}})),
            families::seriesSortKey(metricWith({{"a", "y"}, {"b", "a"}})));
  EXPECT_LT(families::seriesSortKey(metricWith({{"a", "x"}})),
            families::seriesSortKey(metricWith({{"b", "x"}})));
}

TEST(SeriesSortKey, ValuesWithZeroBytesKeepTheOrderAndStayDistinct) {
  const std::string zero("a\0b", 3);
  auto with_zero = families::seriesSortKey(metricWith({{"l", zero}, {"m", "x"}}));
  auto prefix = families::seriesSortKey(metricWith({{"l", "a"}, {"m", std::string("\0b", 2)}}));
  auto longer = families::seriesSortKey(metricWith({{"l", "a"}, {"m", "x"}}));
  EXPECT_NE(with_zero, prefix);
  // "a\0b" < "a\x01" and "a" < "a\0b", as the strings compare.
  EXPECT_LT(families::seriesSortKey(metricWith({{"l", "a"}})),
            families::seriesSortKey(metricWith({{"l", zero}})));
  EXPECT_LT(families::seriesSortKey(metricWith({{"l", zero}})),
            families::seriesSortKey(metricWith({{"l", std::string("a\x01", 2)}})));
  EXPECT_LT(longer, with_zero);
  std::string appended = "prefix";
  families::appendSeriesSortKey(appended, metricWith({{"l", zero}, {"m", "x"}}));
  EXPECT_EQ(appended, "prefix" + with_zero);
}

TEST(StoredFamily, KeepsKeysTextsAndFieldsPerSeries) {
  pb::MetricFamily family;
  family.set_name("temperature_celsius");
  family.set_help("Help with \\ and\nnewline.");
  family.set_type(pb::GAUGE);
  *family.add_metric() = metricWith({{"instance", ""}, {"job", "j"}, {"sensor", "s0"}});
  *family.add_metric() = metricWith({{"instance", ""}, {"job", "j"}, {"sensor", "s\"1"}});
  family.mutable_metric(1)->mutable_gauge()->set_value(22.25);
  auto stored = makeStoredFamily(family, 42);
  ASSERT_EQ(stored->size(), 2);
  EXPECT_EQ(stored->name(), "temperature_celsius");
  EXPECT_EQ(stored->help(), family.help());
  EXPECT_EQ(stored->timestampNanos(), 42);
  EXPECT_EQ(stored->bytes(), family.SerializeAsString());
  EXPECT_EQ(stored->key(0), families::seriesSortKey(family.metric(0)));
  EXPECT_EQ(stored->key(1), families::seriesSortKey(family.metric(1)));
  EXPECT_EQ(stored->text(0), "temperature_celsius{instance=\"\",job=\"j\",sensor=\"s0\"} 1\n");
  EXPECT_EQ(stored->text(1),
            "temperature_celsius{instance=\"\",job=\"j\",sensor=\"s\\\"1\"} 22.25\n");
  EXPECT_EQ(stored->metric(1).SerializeAsString(), family.metric(1).SerializeAsString());
  EXPECT_EQ(stored->message().SerializeAsString(), family.SerializeAsString());
  EXPECT_DOUBLE_EQ(stored->firstGaugeValue(), 1);
  EXPECT_EQ(stored->weak_from_this().lock(), stored);
}

TEST(StoredFamily, EmptyFamilyAndSharedHelp) {
  pb::MetricFamily family;
  family.set_name(kPushTimeName);
  family.set_help(kPushTimeHelp);
  family.set_type(pb::GAUGE);
  auto empty = makeStoredFamily(family, 0);
  EXPECT_EQ(empty->size(), 0);
  EXPECT_EQ(empty->help(), kPushTimeHelp);
  EXPECT_EQ(empty->bytes(), family.SerializeAsString());
  pb::MetricFamily no_help;
  no_help.set_name("x");
  no_help.set_type(pb::COUNTER);
  EXPECT_EQ(makeStoredFamily(no_help, 0)->help(), "");
  EXPECT_EQ(makeStoredFamily(no_help, 0)->bytes(), no_help.SerializeAsString());
}

}  // namespace
}  // namespace ferry::core::store
