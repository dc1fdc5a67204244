#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "core/expo/negotiation.h"
#include "core/store/store.h"

namespace ferry::core::store {

// Renders GET /metrics: Ferry's own families merged by name with every stored family, families
// sorted by name, series in the index's order. The stored part of the text and protobuf bodies
// is cached per store generation, so scrapes of an unchanged store only merge and copy.
class Exposition {
 public:
  explicit Exposition(const Store& store) : store_(store) {}

  // `own` must be sorted by name; families without metrics are skipped.
  std::string render(expo::Format format, const std::vector<pb::MetricFamily>& own);

  // The body of GET /api/v1/metrics.
  std::string renderApiMetrics();

 private:
  struct Block {
    std::string name;
    std::string help;
    pb::MetricType type;
    std::string header;  // text format: "# HELP"/"# TYPE" lines
    std::string body;    // text lines, or serialized Metric fields (tag 4) for protobuf
  };
  struct Cache {
    uint64_t generation = UINT64_MAX;
    std::vector<Block> blocks;
  };
  const std::vector<Block>& cached(bool protobuf);
  std::string renderText(const std::vector<pb::MetricFamily>& own);
  std::string renderDelimited(const std::vector<pb::MetricFamily>& own);
  std::string renderProtoText(expo::Format format, const std::vector<pb::MetricFamily>& own);

  const Store& store_;
  std::mutex mu_;
  Cache text_;
  Cache proto_;
};

}  // namespace ferry::core::store
