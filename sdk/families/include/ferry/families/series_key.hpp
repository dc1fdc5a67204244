#pragma once

#include <ferry/metrics.pb.h>

#include <string>

namespace ferry::families {

// The key that orders the series of one family the way Pushgateway's exposition does (number
// of labels first, then label values position by position, labels sorted by name), with the
// label names as a final tie-break so that the order is total and deterministic (Go leaves
// ties unordered). Two series have equal keys iff they have the same label set, so the key also
// detects duplicate series. Expects the metric's labels sorted by name.
std::string seriesSortKey(const io::prometheus::client::Metric& metric);
// The same key appended to `out` (no temporary string per series).
void appendSeriesSortKey(std::string& out, const io::prometheus::client::Metric& metric);

}  // namespace ferry::families
