#pragma once

#include <ferry/metrics.pb.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Building blocks of the JSON API (/api/v1/metrics, /api/v1/status), byte-compatible with
// what Pushgateway 1.5.1 marshals with Go's encoding/json.
namespace ferry::core::expo {

// Go's time.Time.Format(time.RFC3339Nano) in UTC: "2026-11-25T09:39:06.347172095Z", trailing
// zeros of the fraction trimmed, no fraction at all for whole seconds.
std::string formatRfc3339Nano(int64_t unix_nanos);

// A JSON string literal (quotes included) escaped like Go 1.19's encoding/json.Marshal:
// `"` and `\` backslashed; \n \r \t short; other bytes below 0x20 and the HTML-sensitive
// < > & as \u00XX; U+2028 and U+2029 as \u2028 \u2029; every byte of an invalid UTF-8
// sequence as \ufffd; everything else (including DEL and valid non-ASCII) as is.
void appendJsonString(std::string& out, std::string_view s);

struct ApiFamily {
  const io::prometheus::client::MetricFamily* family;  // null entries are skipped
  int64_t timestamp_nanos;  // arrival of the write that last set this family
};

struct ApiGroup {
  std::vector<std::pair<std::string, std::string>> labels;  // grouping labels
  bool last_push_successful;
  std::vector<ApiFamily> families;  // includes push_time_seconds / push_failure_time_seconds
};

// One element of the /api/v1/metrics "data" array. Go marshals the group as a map, so all of
// its keys — "labels", "last_push_successful" and one per family name — come out sorted
// bytewise together, and a family named "labels" or "last_push_successful" replaces that
// entry. Family objects keep the struct order time_stamp, type, help (omitted when empty),
// metrics. Metric objects are maps again (sorted keys): labels and value for counter, gauge,
// untyped and any other type (value from whichever of gauge/counter/untyped is set, else 0);
// count, labels, quantiles, sum for summaries; buckets, count, labels, sum for histograms.
// All numbers are strings: floats as formatFloat(), counts as integers. Duplicate label
// names, quantiles or bucket bounds keep the last one, as Go's map assignment does.
//
// Histogram counts follow Pushgateway 1.10+: a positive float count (float histograms) is
// printed as a float instead of the integer count (1.5.1 printed the zero integer count).
// Native histograms print "buckets":{} as 1.5.1 does.
void appendApiGroupJson(std::string& out, const ApiGroup& group);

struct ApiFamilyOptions {
  // Adds "name" first: for a list of families (the group API), where no map key carries it.
  bool with_name = false;
  // Adds to each histogram metric with native buckets a readable "native" object: schema,
  // zero_threshold, zero_count and the decoded buckets ("positive"/"negative": lower, upper,
  // count), instead of leaving readers to decode spans and deltas.
  bool native_histograms = false;
};

// One family object as in /api/v1/metrics (time_stamp, type, help, metrics), with the options'
// additions. The group API shows families with this, so both APIs print a family alike.
void appendApiFamilyJson(std::string& out, const ApiFamily& family,
                         const ApiFamilyOptions& options = {});

}  // namespace ferry::core::expo
