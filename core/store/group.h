#pragma once

#include <ferry/metrics.pb.h>

#include <cstdint>
#include <ferry/families/push_rules.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/model/grouping_key.h"

namespace ferry::core::store {

namespace pb = io::prometheus::client;

// The group's own gauges; their names are part of the push rules (a push never sets them).
using families::isTimestampFamily;
using families::kPushFailureTimeName;
using families::kPushTimeName;
inline constexpr char kPushTimeHelp[] =
    "Last Unix time when changing this group in the Pushgateway succeeded.";
inline constexpr char kPushFailureTimeHelp[] =
    "Last Unix time when changing this group in the Pushgateway failed.";

// One metric family of one group, immutable once stored. It keeps the family as serialized
// protobuf (the compact form storage plugins and protobuf scrapes need anyway) plus, per series,
// what the index and text scrapes need: the sort key and the text exposition lines. No protobuf
// objects are kept: they cost several times the serialized size in memory. A store holds one
// per family per group (100k series in 10k groups are 40k of these, half of them the
// push_time_seconds / push_failure_time_seconds gauges), so the per-family overhead counts:
// the series table, sort keys and text lines share one allocation, and the timestamp gauges'
// HELP is shared instead of copied.
// Created through makeStoredFamily() (or another shared_ptr): scrape caches keep the families
// they point into alive with shared_from_this().
class StoredFamily : public std::enable_shared_from_this<StoredFamily> {
 public:
  // Serializes and indexes a sanitized family (labels sorted by name).
  StoredFamily(const pb::MetricFamily& family, int64_t timestamp_nanos);

  const std::string& name() const { return name_; }
  const std::string& help() const { return *help_; }
  // Whether the pushed family set HELP at all: "" set (the Go client's protobuf for a metric
  // without Help) is exposed as "# HELP name ", never set as no HELP line.
  bool hasHelp() const;
  pb::MetricType type() const { return type_; }
  int64_t timestampNanos() const { return timestamp_nanos_; }
  int size() const { return size_; }

  // seriesSortKey() of series i.
  std::string_view key(int i) const {
    uint32_t begin = i == 0 ? 0 : table()[i - 1].key_end;
    return std::string_view(keys() + begin, table()[i].key_end - begin);
  }
  // The text format lines of series i.
  std::string_view text(int i) const {
    uint32_t begin = i == 0 ? 0 : table()[i - 1].text_end;
    return std::string_view(texts() + begin, table()[i].text_end - begin);
  }
  // Series i as MetricFamily field 4 (tag, length, Metric bytes), ready to splice into a
  // protobuf exposition.
  std::string_view metricField(int i) const {
    uint32_t begin = i == 0 ? metrics_begin_ : table()[i - 1].field_end;
    return std::string_view(bytes_.data() + begin, table()[i].field_end - begin);
  }
  // The serialized MetricFamily.
  const std::string& bytes() const { return bytes_; }

  // Parsed copies, for the rare readers that need objects (JSON API, error messages).
  pb::MetricFamily message() const;
  pb::Metric metric(int i) const;
  // The value of the first series if it is a gauge (push_time_seconds and friends), else 0.
  double firstGaugeValue() const { return first_gauge_; }
  // Heap bytes this family holds, approximately (what storing it costs; what freeing it gives
  // back).
  size_t memoryBytes() const;

 private:
  // Where series i ends; it begins where series i - 1 ends.
  struct Series {
    uint32_t key_end, text_end, field_end;
  };
  const Series* table() const { return reinterpret_cast<const Series*>(data_.get()); }
  const char* keys() const { return data_.get() + size_ * sizeof(Series); }
  const char* texts() const { return keys() + keys_size_; }

  std::string name_;
  const std::string* help_;  // help_storage_ or a shared constant (one stands for no HELP)
  std::unique_ptr<const std::string> help_storage_;
  pb::MetricType type_;
  int size_ = 0;
  uint32_t metrics_begin_ = 0;  // offset of the first metric field in bytes_
  uint32_t keys_size_ = 0;
  int64_t timestamp_nanos_;
  double first_gauge_ = 0;
  std::string bytes_;
  // Series table, then all sort keys, then all text lines.
  std::unique_ptr<char[]> data_;
};
using StoredFamilyPtr = std::shared_ptr<const StoredFamily>;

StoredFamilyPtr makeStoredFamily(const pb::MetricFamily& family, int64_t timestamp_nanos);

// push_time_seconds / push_failure_time_seconds of a group: the grouping labels plus
// instance="" when the key has none, sorted by name.
StoredFamilyPtr makeTimestampFamily(const char* name, const model::LabelMap& labels, double value,
                                    int64_t timestamp_nanos);

// The reason of a failed push kept with its group (the 400 message) is cut to this many bytes.
inline constexpr size_t kMaxFailureReasonBytes = 1024;

struct Group {
  std::string key;  // model::groupingKeyString(labels)
  model::LabelMap labels;
  // By family name; always holds the two timestamp families.
  std::map<std::string, StoredFamilyPtr> families;
  // Lifecycle, stored with the group (stored_group.proto), so every storage backend keeps it.
  int64_t ttl_nanos = 0;       // 0: no TTL
  int64_t deadline_nanos = 0;  // 0: none; else the last successful push + ttl_nanos
  bool expired = false;        // "expired": "hide": kept, served nowhere, until a push revives it
  std::string last_failure_reason;  // the message of the last failed push (bounded), or ""

  double pushTime() const;
  double failureTime() const;
  size_t seriesCount() const;
  // Arrival of the last successful / failed push in Unix nanoseconds; 0 if there was none.
  int64_t lastPushNanos() const;
  int64_t lastFailureNanos() const;
  // Families and series as pushed: without push_time_seconds and push_failure_time_seconds.
  size_t pushedFamilyCount() const;
  size_t pushedSeriesCount() const;
  // Heap bytes of the group, approximately.
  size_t memoryBytes() const;
};

// `reason` cut to kMaxFailureReasonBytes at a UTF-8 character boundary.
std::string boundedFailureReason(std::string_view reason);

// Every group by grouping key (transparent: found by string_view too).
using GroupMap = std::map<std::string, std::unique_ptr<Group>, std::less<>>;

}  // namespace ferry::core::store
