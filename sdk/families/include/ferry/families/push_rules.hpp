// The rules every push must pass that depend only on the push itself: the checks of
// client_golang's gather that the Pushgateway runs (names, value vs type, labels, UTF-8,
// duplicate series), with its messages, byte for byte. Ferry's store applies them to every push,
// whatever the input plugin, and the input kit applies them to a plugin's output, so a plugin
// whose families a push would refuse fails its kit tests.
#pragma once

#include <ferry/metrics.pb.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::families {

// The two gauges the Pushgateway keeps per group; pushed families of these names are dropped.
inline constexpr char kPushTimeName[] = "push_time_seconds";
inline constexpr char kPushFailureTimeName[] = "push_failure_time_seconds";
inline bool isTimestampFamily(std::string_view name) {
  return name == kPushTimeName || name == kPushFailureTimeName;
}

// "collected metric \"name\" { <metric in protobuf compact text> }": how client_golang names a
// series in its errors.
std::string describeMetric(const std::string& family_name,
                           const io::prometheus::client::Metric& metric);

// True if any sample carries a client timestamp (the Pushgateway refuses such pushes with
// "pushed metrics must not have timestamps").
bool hasTimestamps(const std::vector<io::prometheus::client::MetricFamily*>& families);

// Applies the Pushgateway's label rules to every sample (spec §2.4): grouping labels override
// same-named labels, instance="" is added when there is no instance, labels sorted by name
// (stable, so a repeated name keeps its order). Drops pushed push_time_seconds /
// push_failure_time_seconds families (the group's own gauges replace them).
void sanitizePush(std::vector<io::prometheus::client::MetricFamily*>& families,
                  const std::map<std::string, std::string>& grouping_labels);

// Everything client_golang's gather checks that depends only on the push itself: family name
// validity, value field vs type, label names (valid, not reserved, not repeated), label values
// valid UTF-8, no explicit quantile label on summaries, no duplicate series within the push.
// Appends one message per problem, in the Pushgateway's wording. Expects sanitized families.
void validatePush(const std::vector<io::prometheus::client::MetricFamily*>& families,
                  std::vector<std::string>& errors);

// client_golang's MultiError text: a single error as is, several as "N error(s) occurred:..."
std::string joinErrors(const std::vector<std::string>& errors);

}  // namespace ferry::families
