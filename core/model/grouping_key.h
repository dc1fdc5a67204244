#pragma once

#include <map>
#include <string>
#include <string_view>

namespace ferry::core::model {

// Grouping labels of a push URL: sorted by name (bytewise), always contains "job" once parsed.
using LabelMap = std::map<std::string, std::string>;

// Marks a base64-encoded job ("job@base64") or label value ("name@base64") in a push URL.
inline constexpr std::string_view kBase64Suffix = "@base64";

// Prometheus' label separator byte, used between the parts of a grouping key string.
inline constexpr char kSeparatorByte = '\xFF';

struct GroupingKeyResult {
  bool ok = false;
  LabelMap labels;    // set when ok
  std::string error;  // the exact 400 body text (without the trailing newline) when !ok
};

// Parses the grouping key of a push/delete URL (spec §1.3), in Pushgateway's order: decode the
// job (if base64), split and validate the labels string, then require a non-empty job.
//   job_segment:   the single, already percent-decoded path segment after "job" or "job@base64";
//   job_is_base64: true for the "job@base64" route;
//   labels_string: everything after the job segment including its leading '/', possibly empty.
// Rules: a labels string of length <= 1 has no labels; otherwise it is split on '/' after its
// first byte and must have an even number of components. A name ending in "@base64" has the
// suffix stripped and its value base64-decoded. Names must match ^[a-zA-Z_][a-zA-Z0-9_]*$ and
// not start with "__". A later duplicate name wins; the job segment overrides a "job" pair.
// Decoded bytes are returned as they are, valid UTF-8 or not, exactly as Pushgateway accepts
// them here: rejecting invalid UTF-8 label values is the consistency check's job.
//
// Error texts are Pushgateway's byte for byte, with one deliberate fix: for an undecodable
// base64 job name Pushgateway prints the (empty) failed decode result in the quotes, e.g.
// `invalid base64 encoding in job name "": ...`; Ferry prints the value the client sent.
GroupingKeyResult parseGroupingKey(std::string_view job_segment, bool job_is_base64,
                                   std::string_view labels_string);

// Canonical key: names sorted bytewise, "name\xFFvalue\xFFname\xFFvalue" with no trailing
// separator; the empty map gives "". Also the group's key in persisted state.
std::string groupingKeyString(const LabelMap& labels);

// The value of the "job" label, "" when there is none.
std::string_view jobOf(const LabelMap& labels);

}  // namespace ferry::core::model
