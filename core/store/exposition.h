#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/expo/negotiation.h"
#include "core/store/store.h"

namespace ferry::core::store {

// Renders GET /metrics: Ferry's own families merged by name with every stored family, families
// sorted by name, series in the index's order. The stored part of the text and protobuf bodies
// is cached per store generation, so scrapes of an unchanged store only merge and copy.
class Exposition {
  struct Chunk;
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
    void append(const Chunk& chunk);
    void reservePieces(size_t own_families);  // room for every piece of blocks_ and `own`
    std::shared_ptr<const std::vector<Block>> blocks_;
    std::vector<StoredFamilyPtr> pinned_;  // the families the blocks' pieces point into
    std::deque<std::string> owned_;        // deque: stable element addresses
    std::vector<std::string_view> pieces_;
  };

  explicit Exposition(const Store& store);
  ~Exposition();
  Exposition(const Exposition&) = delete;
  Exposition& operator=(const Exposition&) = delete;

  // `own` must be sorted by name; families without metrics are skipped.
  Body render(expo::Format format, const std::vector<pb::MetricFamily>& own);

  // The body of GET /api/v1/metrics.
  std::string renderApiMetrics();

  // Whether a rendered text or protobuf cache is held (tests).
  bool holdsCache();

 private:
  // A family's series in exposition order: text lines, or Metric fields (tag 4) for protobuf.
  // They are not copied: the pieces point into the stored families (adjacent series of one
  // family merged into one piece). A copy of every text line was a tenth of the memory with
  // 100k series stored. The cache holds no reference to the families, not even a weak one (a
  // weak_ptr keeps a make_shared family's memory allocated, and 30k such leftovers after a wipe
  // kept ~70 MB of freed pages from going back to the system): it is used only while the
  // store's generation (or the family's index version) shows they are alive, and each Body pins
  // them with shared_from_this() while it is sent.
  struct Chunk {
    std::vector<std::string_view> pieces;
    std::vector<const StoredFamily*> families;
    size_t size = 0;
  };
  struct Block {
    std::string name;
    bool has_help;
    std::string help;
    pb::MetricType type;
    std::string header;  // text format: "# HELP"/"# TYPE" lines
    std::shared_ptr<const Chunk> body;
  };
  struct Cache {
    uint64_t generation = UINT64_MAX;
    std::shared_ptr<const std::vector<Block>> blocks;
    // The block of each family and the index version it was rendered from: a write re-renders
    // only the families it changed.
    std::map<std::string, std::pair<uint64_t, std::shared_ptr<const Chunk>>> rendered;
  };
  // Drops the caches rendered for an older store generation. Run by the store's memory trimmer
  // after the store shrank a lot: otherwise they were freed only at the next scrape, after the
  // trim, and their memory (1M series: ~12 MiB of piece lists and blocks) stayed with the process.
  void releaseStale();
  // The blocks for the current store state, with their families pinned in `body`.
  void cached(bool protobuf, Body& body);
  void renderText(const std::vector<pb::MetricFamily>& own, Body& body);
  void renderDelimited(const std::vector<pb::MetricFamily>& own, Body& body);
  void renderProtoText(expo::Format format, const std::vector<pb::MetricFamily>& own, Body& body);

  const Store& store_;
  std::mutex mu_;
  Cache text_;
  Cache proto_;
  uint64_t releaser_;  // the store's id for releaseStale()
};

}  // namespace ferry::core::store
