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

// One metric family of one group, immutable once stored, with what scrapes need precomputed:
// each series' sort key and its text exposition lines. The family message itself usually lives
// in the protobuf arena of the push that brought it (one allocation block for a whole push
// instead of one heap allocation per label); `owner` keeps that arena alive.
struct StoredFamily {
  StoredFamily(std::shared_ptr<const void> owner, const pb::MetricFamily& family)
      : owner(std::move(owner)), family(family) {}
  std::shared_ptr<const void> owner;
  const pb::MetricFamily& family;  // labels sanitized and sorted by name
  int64_t timestamp_nanos = 0;     // arrival time of the write that set this family
  std::vector<std::string> keys;   // seriesSortKey() per metric
  std::vector<std::string> texts;  // text format lines per metric
};
using StoredFamilyPtr = std::shared_ptr<const StoredFamily>;

// Precomputes keys and text for a sanitized family owned by `owner` (e.g. its arena).
StoredFamilyPtr makeStoredFamily(std::shared_ptr<const void> owner, const pb::MetricFamily& family,
                                 int64_t timestamp_nanos);
// The same for a family that is not in an arena.
StoredFamilyPtr makeStoredFamily(pb::MetricFamily family, int64_t timestamp_nanos);

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
