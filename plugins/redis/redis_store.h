// The store in Redis, as the storage ABI sees it.
//
// Keys (all under "prefix"):
//   <prefix>groups     hash: grouping key -> serialized group (the bytes the core writes)
//   <prefix>feed       stream: one commit per write batch (see redis_feed.h)
//   <prefix>meta       hash: pos (last commit's position), s (its stamp), t (its time)
//   <prefix>lease:<n>  string: the holder of lease n, with a TTL
//
// Every write is one Lua script (redis_scripts.h) over the first three, so the group hash,
// the feed and the position never disagree. Reads never block Redis: scans use HSCAN, and a
// snapshot taken while others write is made consistent by replaying the feed over it.
#pragma once

#include <ferry/sdk.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "connection_pool.h"
#include "redis_feed.h"
#include "redis_options.h"

namespace ferry::plugins::redis {

class RedisStore {
 public:
  RedisStore(Options options, const sdk::Host& host);

  // Connects once to check the server (refuses Cluster, old versions, a replica in "url").
  // An unreachable server is not an error here: it is logged and retried by every call.
  void probe();

  void write(const std::vector<sdk::StorageOp>& ops);
  void wipe();
  void scan(const sdk::ScanFn& fn);
  uint64_t snapshot(const sdk::ScanFn& fn);
  void readChanges(uint64_t after, uint32_t wait_ms,
                   const std::function<bool(const sdk::StorageCommit&)>& fn);
  uint64_t writeIf(uint64_t expected, const std::vector<sdk::StorageOp>& ops);
  bool lease(std::string_view name, uint32_t ttl_ms);

  const Options& options() const { return options_; }

 private:
  struct Position {
    uint64_t position = 0;
    std::string stamp;
    bool operator==(const Position& o) const { return position == o.position && stamp == o.stamp; }
  };
  uint64_t commit(bool conditional, uint64_t expected, const std::vector<sdk::StorageOp>& ops);
  Position readPosition(Connection& connection);
  // Walks the groups hash with HSCAN, calling fn(key, value) for every pair returned (a pair
  // may come twice when the hash changes during the walk) until fn returns false.
  void scanGroupsHash(Connection& connection,
                      const std::function<bool(std::string_view, std::string_view)>& fn);
  // Adds one page of feed entries from stream ID `from` to `to` ("+": the end) to `feed`, and
  // the rest of a commit the page cut. Returns the size of the last page read.
  size_t readFeedPage(Connection& connection, FeedAssembler& feed, const std::string& from,
                      const std::string& to);
  // Runs fn with a connection, turning an unreachable server into sdk::unavailable (and making
  // the pool look for the primary again). `delivered` says whether fn gave the caller results.
  template <typename Fn>
  auto withConnection(const char* what, const bool& delivered, Fn&& fn);
  // `delivered` for a call that hands the caller nothing before it returns.
  static constexpr bool kNothingDelivered = false;
  void remember(const Position& p);
  // The stamp of a position this instance handed out; false if it does not know it.
  bool stampOf(uint64_t position, std::string& stamp);
  std::string newStamp();

  Options options_;
  sdk::Host host_;
  ConnectionPool pool_;
  std::string groups_key_;
  std::string feed_key_;
  std::string meta_key_;
  std::string holder_id_;  // this instance, as a lease holder
  std::mutex mu_;
  std::map<uint64_t, std::string> stamps_;  // recent positions handed out -> their stamps
  std::mt19937_64 random_;
};

template <typename Fn>
auto RedisStore::withConnection(const char* what, const bool& delivered, Fn&& fn) {
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    try {
      auto connection = pool_.acquire();
      reused = connection.reused();
      return fn(*connection);
    } catch (const Unreachable& e) {
      pool_.primaryLost();
      // Once: a connection that sat idle may have been closed by a restart. Never after the
      // caller was given results: it would get them twice.
      if (attempt == 0 && reused && !delivered) continue;
      throw sdk::unavailable(std::string(what) + ": " + e.what());
    }
  }
}

}  // namespace ferry::plugins::redis
