#include "core/store/group.h"

#include <cstring>

#include "core/expo/text_format.h"
#include "core/store/series_key.h"
#include "core/store/wire_format.h"

namespace ferry::core::store {


StoredFamily::StoredFamily(const pb::MetricFamily& family, int64_t timestamp_nanos)
    : name_(family.name()),
      help_(family.help()),
      type_(family.type()),
      timestamp_nanos_(timestamp_nanos) {
  // MetricFamily written field by field, so that each metric's offsets are known.
  wire::appendLengthDelimited(bytes_, 1, name_);
  if (family.has_help()) wire::appendLengthDelimited(bytes_, 2, help_);
  wire::appendVarintField(bytes_, 3, static_cast<uint64_t>(type_));
  series_.reserve(family.metric_size());
  for (const auto& metric : family.metric()) {
    Series series{};
    series.field_off = static_cast<uint32_t>(bytes_.size());
    size_t size = metric.ByteSizeLong();
    wire::appendVarint(bytes_, (4 << 3) | 2);
    wire::appendVarint(bytes_, size);
    size_t at = bytes_.size();
    bytes_.resize(at + size);
    metric.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(&bytes_[at]));
    series.field_len = static_cast<uint32_t>(bytes_.size() - series.field_off);
    series.key_off = static_cast<uint32_t>(keys_.size());
    keys_ += seriesSortKey(metric);
    series.key_len = static_cast<uint32_t>(keys_.size() - series.key_off);
    series.text_off = static_cast<uint32_t>(texts_.size());
    expo::appendMetricText(texts_, name_, type_, metric);
    series.text_len = static_cast<uint32_t>(texts_.size() - series.text_off);
    series_.push_back(series);
  }
  if (family.metric_size() > 0 && family.metric(0).has_gauge()) {
    first_gauge_ = family.metric(0).gauge().value();
  }
  bytes_.shrink_to_fit();
  keys_.shrink_to_fit();
  texts_.shrink_to_fit();
}

pb::MetricFamily StoredFamily::message() const {
  pb::MetricFamily family;
  family.ParseFromString(bytes_);
  return family;
}

pb::Metric StoredFamily::metric(int i) const {
  // Skip the field's tag and length varints to reach the Metric bytes.
  std::string_view field = metricField(i);
  size_t at = 1;
  while (at < field.size() && (static_cast<unsigned char>(field[at]) & 0x80)) ++at;
  ++at;
  pb::Metric metric;
  metric.ParseFromArray(field.data() + at, static_cast<int>(field.size() - at));
  return metric;
}

StoredFamilyPtr makeStoredFamily(const pb::MetricFamily& family, int64_t timestamp_nanos) {
  return std::make_shared<const StoredFamily>(family, timestamp_nanos);
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
  return makeStoredFamily(family, timestamp_nanos);
}

namespace {
double gaugeValue(const Group& group, const char* name) {
  auto it = group.families.find(name);
  return it == group.families.end() ? 0 : it->second->firstGaugeValue();
}
}  // namespace

double Group::pushTime() const { return gaugeValue(*this, kPushTimeName); }
double Group::failureTime() const { return gaugeValue(*this, kPushFailureTimeName); }

size_t Group::seriesCount() const {
  size_t n = 0;
  for (const auto& [name, family] : families) n += family->size();
  return n;
}

bool isTimestampFamily(const std::string& name) {
  return name == kPushTimeName || name == kPushFailureTimeName;
}

}  // namespace ferry::core::store
