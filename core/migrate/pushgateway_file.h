#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/grouping_key.h"

// The Pushgateway's persistence file (spec §6.2) as plain data: one gob value of type
// map[string]MetricGroup with MetricGroup{Labels map[string]string; Metrics
// map[string]TimestampedMetricFamily} and TimestampedMetricFamily{Timestamp time.Time;
// GobbableMetricFamily *MetricFamily}. Struct fields are matched by name, as Go's decoder does,
// and fields or type descriptors this reader does not need are skipped, so files of every
// Pushgateway version from 1.5 to 1.11 read the same.
namespace ferry::core::migrate {

struct PushgatewayFamily {
  int64_t timestamp_nanos = 0;  // Unix ns of the write that last set the family; 0 if unset
  std::string proto;            // proto.Marshal(MetricFamily)
  bool has_proto = false;       // false when the pointer was nil
};

struct PushgatewayGroup {
  model::LabelMap labels;
  std::map<std::string, PushgatewayFamily> families;  // by the Metrics map key
};

// Groups by the Pushgateway's own grouping-key string, as in the file. Throws GobError (offset
// and problem) for anything that is not such a file: truncation, garbage, unexpected types.
std::map<std::string, PushgatewayGroup> readPushgatewayFile(std::string_view data);

// True if `data` starts with a complete, well-formed gob type definition message (length,
// negative type id, wireType), as every Pushgateway file does and a Ferry snapshot or an empty
// file never does. For telling formats apart, not a validation of the rest.
bool looksLikeGob(std::string_view data);

}  // namespace ferry::core::migrate
