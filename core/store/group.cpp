#include "core/store/group.h"

#include <cstring>

#include "core/expo/text_format.h"
#include "core/store/series_key.h"

namespace ferry::core::store {

StoredFamilyPtr makeStoredFamily(std::shared_ptr<const void> owner, const pb::MetricFamily& family,
                                 int64_t timestamp_nanos) {
  auto stored = std::make_shared<StoredFamily>(std::move(owner), family);
  stored->timestamp_nanos = timestamp_nanos;
  stored->keys.reserve(family.metric_size());
  stored->texts.reserve(family.metric_size());
  for (const auto& metric : family.metric()) {
    stored->keys.push_back(seriesSortKey(metric));
    std::string text;
    expo::appendMetricText(text, family.name(), family.type(), metric);
    stored->texts.push_back(std::move(text));
  }
  return stored;
}

StoredFamilyPtr makeStoredFamily(pb::MetricFamily family, int64_t timestamp_nanos) {
  auto owned = std::make_shared<const pb::MetricFamily>(std::move(family));
  const pb::MetricFamily& ref = *owned;
  return makeStoredFamily(std::move(owned), ref, timestamp_nanos);
}

StoredFamilyPtr makeTimestampFamily(const char* name, const model::LabelMap& labels,
                                    double value, int64_t timestamp_nanos) {
  pb::MetricFamily family;
  family.set_name(name);
  family.set_help(std::strcmp(name, kPushTimeName) == 0 ? kPushTimeHelp : kPushFailureTimeHelp);
  family.set_type(pb::GAUGE);
  pb::Metric* metric = family.add_metric();
  bool has_instance = labels.count("instance") > 0;
  for (const auto& [label_name, label_value] : labels) {
    if (!has_instance && label_name > "instance") {
      has_instance = true;  // insert instance="" at its sorted position
      auto* pair = metric->add_label();
      pair->set_name("instance");
      pair->set_value("");
    }
    auto* pair = metric->add_label();
    pair->set_name(label_name);
    pair->set_value(label_value);
  }
  if (!has_instance) {
    auto* pair = metric->add_label();
    pair->set_name("instance");
    pair->set_value("");
  }
  metric->mutable_gauge()->set_value(value);
  return makeStoredFamily(std::move(family), timestamp_nanos);
}

namespace {
double gaugeValue(const Group& group, const char* name) {
  auto it = group.families.find(name);
  if (it == group.families.end() || it->second->family.metric_size() == 0) return 0;
  return it->second->family.metric(0).gauge().value();
}
}  // namespace

double Group::pushTime() const { return gaugeValue(*this, kPushTimeName); }
double Group::failureTime() const { return gaugeValue(*this, kPushFailureTimeName); }

size_t Group::seriesCount() const {
  size_t n = 0;
  for (const auto& [name, family] : families) n += family->family.metric_size();
  return n;
}

bool isTimestampFamily(const std::string& name) {
  return name == kPushTimeName || name == kPushFailureTimeName;
}

}  // namespace ferry::core::store
