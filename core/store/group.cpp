#include "core/store/group.h"

#include <cstring>
#include <ferry/families/series_key.hpp>

#include "core/expo/text_format.h"
#include "core/store/wire_format.h"

namespace ferry::core::store {

namespace {

// The help_ of a family without HELP: told apart from an empty HELP by its address, so that
// the distinction costs no member.
const std::string kNoHelp;

// HELP strings most families share, kept once instead of once per family.
const std::string* sharedHelp(const pb::MetricFamily& family) {
  static const std::string kEmpty;
  static const std::string kPushTime = kPushTimeHelp;
  static const std::string kPushFailureTime = kPushFailureTimeHelp;
  if (!family.has_help()) return &kNoHelp;
  const std::string& help = family.help();
  if (help.empty()) return &kEmpty;
  if (help == kPushTime) return &kPushTime;
  if (help == kPushFailureTime) return &kPushFailureTime;
  return nullptr;
}

size_t varintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

}  // namespace

StoredFamily::StoredFamily(const pb::MetricFamily& family, int64_t timestamp_nanos)
    : name_(family.name()),
      help_(sharedHelp(family)),
      type_(family.type()),
      size_(family.metric_size()),
      timestamp_nanos_(timestamp_nanos) {
  if (!help_) {
    help_storage_ = std::make_unique<const std::string>(family.help());
    help_ = help_storage_.get();
  }
  // MetricFamily written field by field, so that each metric's offsets are known; sized first
  // so that it is allocated once.
  size_t total = 0;
  for (const auto& metric : family.metric()) {
    size_t size = metric.ByteSizeLong();
    total += 1 + varintSize(size) + size;
  }
  total += 1 + varintSize(name_.size()) + name_.size();
  if (hasHelp()) total += 1 + varintSize(help_->size()) + help_->size();
  total += 1 + varintSize(static_cast<uint64_t>(type_));
  bytes_.reserve(total);
  wire::appendLengthDelimited(bytes_, 1, name_);
  if (hasHelp()) wire::appendLengthDelimited(bytes_, 2, *help_);
  wire::appendVarintField(bytes_, 3, static_cast<uint64_t>(type_));
  metrics_begin_ = static_cast<uint32_t>(bytes_.size());
  // Keys and text lines are built in per-thread scratch buffers, then copied once into the
  // family's single allocation.
  thread_local std::string keys;
  thread_local std::string texts;
  thread_local std::vector<Series> table;
  keys.clear();
  texts.clear();
  table.clear();
  for (const auto& metric : family.metric()) {
    Series series{};
    size_t size = metric.GetCachedSize();
    wire::appendVarint(bytes_, (4 << 3) | 2);
    wire::appendVarint(bytes_, size);
    size_t at = bytes_.size();
    bytes_.resize(at + size);
    metric.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(&bytes_[at]));
    series.field_end = static_cast<uint32_t>(bytes_.size());
    families::appendSeriesSortKey(keys, metric);
    series.key_end = static_cast<uint32_t>(keys.size());
    expo::appendMetricText(texts, name_, type_, metric);
    series.text_end = static_cast<uint32_t>(texts.size());
    table.push_back(series);
  }
  if (size_ > 0) {
    size_t table_bytes = table.size() * sizeof(Series);
    data_.reset(new char[table_bytes + keys.size() + texts.size()]);
    std::memcpy(data_.get(), table.data(), table_bytes);
    std::memcpy(data_.get() + table_bytes, keys.data(), keys.size());
    std::memcpy(data_.get() + table_bytes + keys.size(), texts.data(), texts.size());
    keys_size_ = static_cast<uint32_t>(keys.size());
  }
  if (family.metric_size() > 0 && family.metric(0).has_gauge()) {
    first_gauge_ = family.metric(0).gauge().value();
  }
  // Scratch buffers grown by one huge push are not kept per thread forever.
  if (keys.capacity() > (1u << 20)) std::string().swap(keys);
  if (texts.capacity() > (1u << 20)) std::string().swap(texts);
  if (table.capacity() > (1u << 16)) std::vector<Series>().swap(table);
}

bool StoredFamily::hasHelp() const { return help_ != &kNoHelp; }

size_t StoredFamily::memoryBytes() const {
  // The object with its shared_ptr control block, the serialized family, the series table with
  // keys and text lines, and the strings that outgrew the small-string buffer.
  size_t bytes = sizeof(StoredFamily) + 16 + bytes_.capacity();
  if (size_ > 0) {
    bytes += static_cast<size_t>(size_) * sizeof(Series) + keys_size_ + table()[size_ - 1].text_end;
  }
  if (name_.capacity() > 15) bytes += name_.capacity();
  if (help_storage_ && help_storage_->capacity() > 15) bytes += help_storage_->capacity();
  return bytes;
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

StoredFamilyPtr makeTimestampFamily(const char* name, const model::LabelMap& labels, double value,
                                    int64_t timestamp_nanos) {
  // One message per thread, cleared and refilled: every push builds one of these, and a
  // cleared message keeps its label objects and string buffers for the next.
  thread_local pb::MetricFamily family;
  family.Clear();
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

const StoredFamily* familyNamed(const Group& group, const char* name) {
  auto it = group.families.find(name);
  return it == group.families.end() ? nullptr : it->second.get();
}

double gaugeValue(const Group& group, const char* name) {
  const StoredFamily* family = familyNamed(group, name);
  return family ? family->firstGaugeValue() : 0;
}

// The gauge holds the time in seconds once set; its family records the write's exact arrival.
int64_t gaugeNanos(const Group& group, const char* name) {
  const StoredFamily* family = familyNamed(group, name);
  return family && family->firstGaugeValue() > 0 ? family->timestampNanos() : 0;
}

}  // namespace

double Group::pushTime() const { return gaugeValue(*this, kPushTimeName); }
double Group::failureTime() const { return gaugeValue(*this, kPushFailureTimeName); }
int64_t Group::lastPushNanos() const { return gaugeNanos(*this, kPushTimeName); }
int64_t Group::lastFailureNanos() const { return gaugeNanos(*this, kPushFailureTimeName); }

size_t Group::seriesCount() const {
  size_t n = 0;
  for (const auto& [name, family] : families) n += family->size();
  return n;
}

size_t Group::pushedFamilyCount() const {
  size_t n = 0;
  for (const auto& [name, family] : families) n += isTimestampFamily(name) ? 0 : 1;
  return n;
}

size_t Group::pushedSeriesCount() const {
  size_t n = 0;
  for (const auto& [name, family] : families) {
    if (!isTimestampFamily(name)) n += family->size();
  }
  return n;
}

size_t Group::memoryBytes() const {
  size_t bytes = sizeof(Group) + key.capacity() + last_failure_reason.capacity();
  for (const auto& [name, value] : labels) bytes += 64 + name.capacity() + value.capacity();
  for (const auto& [name, family] : families) bytes += 64 + family->memoryBytes();
  return bytes;
}

std::string boundedFailureReason(std::string_view reason) {
  if (reason.size() <= kMaxFailureReasonBytes) return std::string(reason);
  size_t end = kMaxFailureReasonBytes;
  // Back off over continuation bytes to the start of the character that does not fit.
  while (end > 0 && (static_cast<unsigned char>(reason[end]) & 0xC0) == 0x80) --end;
  return std::string(reason.substr(0, end));
}

}  // namespace ferry::core::store
