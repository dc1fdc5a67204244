#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string_view>
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
  struct Block;

 public:
  // A rendered exposition as pieces: the cached blocks are not copied into one string (a
  // 100k-series body is ~10 MB, and every concurrent scrape would hold its own copy).
  class Body {
   public:
    const std::vector<std::string_view>& pieces() const { return pieces_; }
    size_t size() const;
    std::string join() const;

   private:
    friend class Exposition;
    std::string_view own(std::string text);
    std::shared_ptr<const std::vector<Block>> blocks_;  // keeps the cached pieces alive
    std::deque<std::string> owned_;                     // deque: stable element addresses
    std::vector<std::string_view> pieces_;
  };

  explicit Exposition(const Store& store) : store_(store) {}

  // `own` must be sorted by name; families without metrics are skipped.
  Body render(expo::Format format, const std::vector<pb::MetricFamily>& own);

  // The body of GET /api/v1/metrics.
  std::string renderApiMetrics();

 private:
  struct Block {
    std::string name;
    std::string help;
    pb::MetricType type;
    std::string header;  // text format: "# HELP"/"# TYPE" lines
    std::shared_ptr<const std::string> body;  // text lines, or Metric fields (tag 4) for protobuf
  };
  struct Cache {
    uint64_t generation = UINT64_MAX;
    std::shared_ptr<const std::vector<Block>> blocks;
    // The block of each family and the index version it was rendered from: a write re-renders
    // only the families it changed.
    std::map<std::string, std::pair<uint64_t, std::shared_ptr<const std::string>>> rendered;
  };
  std::shared_ptr<const std::vector<Block>> cached(bool protobuf);
  void renderText(const std::vector<pb::MetricFamily>& own, Body& body);
  void renderDelimited(const std::vector<pb::MetricFamily>& own, Body& body);
  void renderProtoText(expo::Format format, const std::vector<pb::MetricFamily>& own, Body& body);

  const Store& store_;
  std::mutex mu_;
  Cache text_;
  Cache proto_;
};

}  // namespace ferry::core::store
