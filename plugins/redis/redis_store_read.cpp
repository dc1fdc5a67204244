// The reading half of RedisStore: scans, snapshots and the change feed.
#include <functional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "redis_store.h"

namespace ferry::plugins::redis {

namespace {

constexpr size_t kFeedPage = 256;         // stream entries per XRANGE
constexpr const char* kScanPage = "512";  // hash fields per HSCAN
constexpr int kSnapshotAttempts = 5;

}  // namespace

void RedisStore::scanGroupsHash(Connection& c,
                                const std::function<bool(std::string_view, std::string_view)>& fn) {
  std::string cursor = "0";
  do {
    Reply r = c.command({"HSCAN", groups_key_, cursor, "COUNT", kScanPage});
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
        r->element[1]->type != REDIS_REPLY_ARRAY) {
      replyFailed(c, "HSCAN", r.get());
    }
    cursor = std::string(text(r->element[0]));
    const redisReply* pairs = r->element[1];
    for (size_t i = 0; i + 1 < pairs->elements; i += 2) {
      if (!fn(text(pairs->element[i]), text(pairs->element[i + 1]))) return;
    }
  } while (cursor != "0");
}

void RedisStore::scan(const sdk::ScanFn& fn) {
  bool delivered = false;
  withConnection("storage scan", delivered, [&](Connection& c) {
    // The ABI promises each key once; HSCAN may return one twice.
    std::unordered_set<std::string> seen;
    scanGroupsHash(c, [&](std::string_view key, std::string_view value) {
      if (!seen.emplace(key).second) return true;
      delivered = true;
      return fn(key, value);
    });
  });
}

size_t RedisStore::readFeedPage(Connection& c, FeedAssembler& feed, const std::string& from,
                                const std::string& to) {
  Reply r = c.command({"XRANGE", feed_key_, from, to, "COUNT", std::to_string(kFeedPage)});
  if (r->type != REDIS_REPLY_ARRAY) replyFailed(c, "XRANGE", r.get());
  const redisReply* entries = r.get();
  size_t got = entries->elements;
  feed.add(std::move(r), entries);
  // A commit cut by the page boundary is read to its end: commits are delivered whole.
  while (got == kFeedPage && feed.incomplete()) {
    Reply more =
        c.command({"XRANGE", feed_key_, feed.nextId(), to, "COUNT", std::to_string(kFeedPage)});
    if (more->type != REDIS_REPLY_ARRAY) replyFailed(c, "XRANGE", more.get());
    const redisReply* rest = more.get();
    got = rest->elements;
    feed.add(std::move(more), rest);
  }
  if (feed.incomplete()) {
    throw sdk::feedGap("the feed holds only part of the commit before stream ID " + feed.nextId());
  }
  return got;
}

uint64_t RedisStore::snapshot(const sdk::ScanFn& fn) {
  // Nothing reaches fn before the snapshot is complete, so a retry is always safe.
  return withConnection("storage snapshot", kNothingDelivered, [&](Connection& c) -> uint64_t {
    std::string last_failure;
    for (int attempt = 0; attempt < kSnapshotAttempts; ++attempt) {
      Position before = readPosition(c);
      std::unordered_map<std::string, std::string> state;
      scanGroupsHash(c, [&state](std::string_view key, std::string_view value) {
        state[std::string(key)] = std::string(value);
        return true;
      });
      Position after = readPosition(c);
      if (!(after == before)) {
        // Writes happened during the scan: every value read was committed at or before
        // `after`, and replaying the commits (before, after] over them gives exactly the state
        // at `after` (each key ends with its last write up to `after`).
        try {
          FeedAssembler feed;
          std::string to = streamId(after.position, UINT64_MAX);
          std::string from = streamId(before.position + 1, 0);
          while (readFeedPage(c, feed, from, to) == kFeedPage && !feed.commits().empty() &&
                 feed.commits().back().position < after.position) {
            from = streamId(feed.commits().back().position + 1, 0);
          }
          checkChain(before.position, before.stamp, feed.commits());
          if (feed.commits().empty() || feed.commits().back().position != after.position ||
              feed.commits().back().stamp != after.stamp) {
            throw sdk::feedGap("the feed does not reach position " +
                               std::to_string(after.position));
          }
          for (const auto& commit : feed.commits()) {
            for (const auto& op : commit.ops) {
              if (op.kind == FERRY_STORAGE_PUT) {
                state[std::string(op.key)] = std::string(op.value);
              } else if (op.kind == FERRY_STORAGE_REMOVE) {
                state.erase(std::string(op.key));
              } else {
                state.clear();
              }
            }
          }
        } catch (const sdk::Error& e) {
          if (e.status() != FERRY_ERR_FEED_GAP) throw;
          last_failure = e.what();
          host_.info("snapshot: " + last_failure + "; scanning again");
          continue;
        }
      }
      remember(after);
      for (const auto& [key, value] : state) {
        if (!fn(key, value)) break;
      }
      return after.position;
    }
    throw sdk::unavailable(
        "storage snapshot: the store kept changing faster than it could be "
        "read (" +
        std::to_string(kSnapshotAttempts) + " attempts; last: " + last_failure +
        "); raise \"feed.max_length\"");
  });
}

void RedisStore::readChanges(uint64_t after, uint32_t wait_ms,
                             const std::function<bool(const sdk::StorageCommit&)>& fn) {
  std::string stamp;
  if (!stampOf(after, stamp)) {
    throw sdk::feedGap("position " + std::to_string(after) +
                       " was not handed out by this instance; take a snapshot");
  }
  bool delivered = false;
  withConnection("reading the change feed", delivered, [&](Connection& c) {
    FeedAssembler feed;
    std::string from = streamId(after + 1, 0);
    readFeedPage(c, feed, from, "+");
    if (feed.entriesRead() == 0) {
      Position now = readPosition(c);
      if (now.position > after) {
        // A commit made between the XRANGE and reading the position is no gap: read again.
        // Nothing now means the commits after `after` were trimmed away.
        readFeedPage(c, feed, from, "+");
        if (feed.entriesRead() == 0) {
          throw sdk::feedGap("the feed no longer holds the commits after position " +
                             std::to_string(after) + " (the store is at " +
                             std::to_string(now.position) + ")");
        }
      } else {
        if (!(now == Position{after, stamp})) {
          throw sdk::feedGap("the store is at position " + std::to_string(now.position) +
                             ", behind or beside position " + std::to_string(after) +
                             " that this replica applied: it was reset, or went back in a "
                             "failover");
        }
        if (wait_ms == 0) return;
        // Only a wake-up: what came is then read with XRANGE like above.
        Reply r = c.blockingCommand({"XREAD", "BLOCK", std::to_string(wait_ms), "COUNT", "1",
                                     "STREAMS", feed_key_, streamId(after, UINT64_MAX)},
                                    static_cast<int>(wait_ms));
        if (r->type == REDIS_REPLY_NIL) return;
        if (r->type != REDIS_REPLY_ARRAY) replyFailed(c, "XREAD", r.get());
        readFeedPage(c, feed, from, "+");
      }
    }
    checkChain(after, stamp, feed.commits());
    sdk::StorageCommit out;
    for (const auto& commit : feed.commits()) {
      out.position = commit.position;
      out.commit_time_unix_nanos = commit.time_unix_nanos;
      out.ops = commit.ops;
      remember({commit.position, commit.stamp});
      delivered = true;
      if (!fn(out)) return;
    }
  });
}

}  // namespace ferry::plugins::redis
