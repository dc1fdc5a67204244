#pragma once

#include <ferry/metrics.pb.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Pushgateway's protobuf push format: a stream of varint-length-delimited
// io.prometheus.client.MetricFamily messages, selected by Content-Type.
namespace ferry::plugins::protobuf {

// True iff Go's mime.ParseMediaType accepts the header and yields the media type
// application/vnd.google.protobuf with proto=io.prometheus.client.MetricFamily and
// encoding=delimited. Like Go: the media type and parameter names are case-insensitive,
// parameter values are not; parameter order, whitespace, quoting, extra parameters and RFC 2231
// encoded/continued values do not matter; a syntax error or a parameter repeated with another
// value makes the whole header fall back to the text format (false).
bool isDelimitedProtobuf(std::string_view content_type);

struct ParseError {
  std::string message;
};

// Reads length-delimited MetricFamily messages until the body ends and replaces `out` with them.
// A family whose name was seen before replaces the earlier one in place: the result keeps the
// position of a name's first occurrence and the content of its last (Pushgateway keys a map by
// name, so only the "last wins" part is observable there). On error `out` is left empty.
//
// Errors, following Go's protodelim (Pushgateway HEAD) texts:
//   "unexpected EOF"                                 body ends inside a length or a message
//   "proto: variable length integer overflow"        length varint longer than 64 bits
//   "proto: : message size N exceeded unmarshaler's maximum configured size 9223372036854775807"
//                                                    length above 2^63-1 (Go's exact wording)
//   "proto: cannot parse invalid wire-format data"   a message that does not parse
//   "invalid metric name \"x\""                      empty name or not [a-zA-Z_:][a-zA-Z0-9_:]*
// (Go randomly writes the "proto: " prefix with non-breaking spaces per build; this uses plain
// spaces.) The name check is stricter than Pushgateway, which stores such families and then
// breaks every scrape; its text is prometheus/common's protobuf decoder's. A declared length is
// checked against the bytes left before anything is allocated, so a huge length is only an
// "unexpected EOF". Label names are not checked here: the core's consistency check does that.
// `replaced`, if given, is set to whether a later family replaced an earlier one of its name.
std::optional<ParseError> parseDelimited(std::string_view body,
                                         std::vector<io::prometheus::client::MetricFamily>& out,
                                         bool* replaced = nullptr);

// The inverse: each family as a varint length followed by its serialized bytes. Unknown fields
// kept by parseDelimited are written back.
std::string toDelimited(const std::vector<io::prometheus::client::MetricFamily>& families);

}  // namespace ferry::plugins::protobuf
