#pragma once

#include <ferry/metrics.pb.h>

#include <string>
#include <string_view>

// The two protobuf text encodings the Pushgateway serves by Accept header (and the compact text
// of one series that its push errors quote), as produced by
// golang/protobuf v1.3 (the version Debian's 1.5.1 is built with) through expfmt:
//   encoding=text          fmt.Fprintln(w, proto.MarshalTextString(mf))
//   encoding=compact-text  fmt.Fprintln(w, mf.String()), i.e. proto.CompactTextString(mf)
//
// Fields appear in .proto declaration order (Go's struct order), set fields only; nested
// messages as `name: <` ... `>` (2-space indent per level) or `name:<... > ` in compact form;
// strings byte-wise with \n \r \t \" \\ and three-digit octal escapes for every other byte
// outside 0x20..0x7e; enums by name; doubles as formatFloat() but infinities and NaN spelled
// `inf`, `-inf`, `nan`. Fields of Ferry's model that client_model 0.3.0 does not know
// (created_timestamp, histogram exemplars, unit) are written by name as current client_model
// does; unknown fields of the message are not written (Go v1.3 would dump them raw).
namespace ferry::families {

// Multi-line form of one family, ending with the blank line that Fprintln adds.
void appendProtoText(std::string& out, const io::prometheus::client::MetricFamily& mf);

// One line per family: `name:"x" type:COUNTER metric:<...> ` followed by "\n".
void appendProtoCompactText(std::string& out, const io::prometheus::client::MetricFamily& mf);

// One Metric in compact text without a trailing newline, the way client_golang's errors print a
// series ("label:<name:\"job\" value:\"x\" > gauge:<value:1 > ").
void appendProtoCompactTextMetric(std::string& out, const io::prometheus::client::Metric& metric);

// A protobuf text string literal (quotes included) with golang/protobuf's escaping.
void appendProtoTextString(std::string& out, std::string_view bytes);

}  // namespace ferry::families
