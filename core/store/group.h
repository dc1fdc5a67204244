#pragma once

#include <ferry/metrics.pb.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/model/grouping_key.h"

namespace ferry::core::store {

namespace pb = io::prometheus::client;

inline constexpr char kPushTimeName[] = "push_time_seconds";
inline constexpr char kPushFailureTimeName[] = "push_failure_time_seconds";
inline constexpr char kPushTimeHelp[] =
    "Last Unix time when changing this group in the Pushgateway succeeded.";
inline constexpr char kPushFailureTimeHelp[] =
    "Last Unix time when changing this group in the Pushgateway failed.";

// One metric family of one group, immutable once stored. It keeps the family as serialized
// protobuf (the compact form storage plugins and protobuf scrapes need anyway) plus, per series,
// what the index and text scrapes need: the sort key and the text exposition lines. No protobuf
// objects are kept: they cost several times the serialized size in memory.
class StoredFamily {
 public:
  // Serializes and indexes a sanitized family (labels sorted by name).
  StoredFamily(const pb::MetricFamily& family, int64_t timestamp_nanos);

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  pb::MetricType type() const { return type_; }
  int64_t timestampNanos() const { return timestamp_nanos_; }
  int size() const { return static_cast<int>(series_.size()); }

  // seriesSortKey() of series i.
  std::string_view key(int i) const { return slice(keys_, series_[i].key_off, series_[i].key_len); }
  // The text format lines of series i.
  std::string_view text(int i) const {
    return slice(texts_, series_[i].text_off, series_[i].text_len);
  }
  // Series i as MetricFamily field 4 (tag, length, Metric bytes), ready to splice into a
  // protobuf exposition.
  std::string_view metricField(int i) const {
    return slice(bytes_, series_[i].field_off, series_[i].field_len);
  }
  // The serialized MetricFamily.
  const std::string& bytes() const { return bytes_; }

  // Parsed copies, for the rare readers that need objects (JSON API, error messages).
  pb::MetricFamily message() const;
  pb::Metric metric(int i) const;
  // The value of the first series if it is a gauge (push_time_seconds and friends), else 0.
  double firstGaugeValue() const { return first_gauge_; }

 private:
  struct Series {
    uint32_t key_off, key_len, text_off, text_len, field_off, field_len;
  };
  static std::string_view slice(const std::string& s, uint32_t off, uint32_t len) {
    return std::string_view(s.data() + off, len);
  }

  std::string name_;
  std::string help_;
  pb::MetricType type_;
  int64_t timestamp_nanos_;
  double first_gauge_ = 0;
  std::string bytes_;
  std::string keys_;
  std::string texts_;
  std::vector<Series> series_;
};
using StoredFamilyPtr = std::shared_ptr<const StoredFamily>;

StoredFamilyPtr makeStoredFamily(const pb::MetricFamily& family, int64_t timestamp_nanos);

// push_time_seconds / push_failure_time_seconds of a group: the grouping labels plus
// instance="" when the key has none, sorted by name.
StoredFamilyPtr makeTimestampFamily(const char* name, const model::LabelMap& labels,
                                    double value, int64_t timestamp_nanos);

struct Group {
  std::string key;  // model::groupingKeyString(labels)
  model::LabelMap labels;
  // By family name; always holds the two timestamp families.
  std::map<std::string, StoredFamilyPtr> families;

  double pushTime() const;
  double failureTime() const;
  size_t seriesCount() const;
};

bool isTimestampFamily(const std::string& name);

}  // namespace ferry::core::store
