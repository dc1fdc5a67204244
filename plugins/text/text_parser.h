// Parser for the Prometheus text exposition format 0.0.4 that behaves exactly like the
// expfmt.TextParser of prometheus/common v0.38 used by Pushgateway 1.5.1: the same inputs are
// accepted, they yield the same MetricFamily messages, and rejected inputs get the same error
// text, byte for byte.
#pragma once

#include <ferry/metrics.pb.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::plugins::text {

struct ParseError {
  // The full text, e.g. "text format parsing error in line 3: second TYPE line for metric name
  // \"d2\", or TYPE reported after samples".
  std::string message;
};

// Parses a whole body. Clears `out`; on success fills it and returns std::nullopt, on failure
// leaves it empty and returns the error.
//
// `out` holds one family per metric name in the order the names were first seen (a HELP or TYPE
// line counts), without the families that got no sample. Samples of a name are merged even when
// they are not contiguous. Counters, gauges and untyped metrics get one Metric per sample line;
// summary and histogram lines with the same labels (other than `quantile`/`le`) fill one Metric,
// with quantiles and buckets in input order. Timestamps are kept in Metric.timestamp_ms.
std::optional<ParseError> parseText(std::string_view body,
                                    std::vector<io::prometheus::client::MetricFamily>& out);

// The same parse, each family of `out` handed to `each` in order, once the whole body parsed
// (nothing on failure). Faster than parseText(): the messages are built on a per-thread arena
// and never copied; they are valid during the call only.
std::optional<ParseError> parseTextEach(
    std::string_view body,
    const std::function<void(const io::prometheus::client::MetricFamily&)>& each);

}  // namespace ferry::plugins::text
