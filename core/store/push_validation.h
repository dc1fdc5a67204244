#pragma once

#include <ferry/metrics.pb.h>

#include <string>
#include <vector>

#include "core/model/grouping_key.h"

namespace ferry::core::store {

// "collected metric \"name\" { <metric in protobuf compact text> }": how client_golang names a
// series in its errors.
std::string describeMetric(const std::string& family_name,
                           const io::prometheus::client::Metric& metric);

// True if any sample carries a client timestamp (Pushgateway rejects such pushes).
bool hasTimestamps(const std::vector<io::prometheus::client::MetricFamily*>& families);

// Applies Pushgateway's label rules to every sample (spec §2.4): grouping labels override
// same-named labels, instance="" is added when there is no instance, labels sorted by name.
// Drops pushed push_time_seconds / push_failure_time_seconds families (the group's own gauges
// replace them).
void sanitizePush(std::vector<io::prometheus::client::MetricFamily*>& families,
                  const model::LabelMap& grouping_labels);

// Everything client_golang's gather checks that depends only on the push itself: family name
// validity, value field vs type, label names (valid, not reserved, not repeated), label values
// valid UTF-8, no explicit quantile label on summaries, no duplicate series within the push.
// Appends one message per problem, in Pushgateway's wording. Expects sanitized families.
void validatePush(const std::vector<io::prometheus::client::MetricFamily*>& families,
                  std::vector<std::string>& errors);

// client_golang's MultiError text: a single error as is, several as "N error(s) occurred:..."
std::string joinErrors(const std::vector<std::string>& errors);

}  // namespace ferry::core::store
