// The change feed as it sits in a Redis stream, turned back into commits.
//
// A commit at position P is one or more stream entries with IDs "P-0", "P-1", ...; the first
// carries the commit's stamp "s" (random, made by the writer), the previous commit's stamp
// "ps", the Redis clock "t" (microseconds) and the number of entries "n", then every entry
// carries operations as field pairs: "p" key "v" value (put), "r" key (remove), "w" "" (wipe).
//
// Positions alone show a trimmed feed (P+1 is missing); the stamps show a store that went back
// and forked: after a failover to a replica that had not seen the last commits, or a restore
// from an older snapshot, the next commit at P+1 follows a different commit P than the one a
// replica applied, and its "ps" says so.
#pragma once

#include <ferry/sdk.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "redis_connection.h"

namespace ferry::plugins::redis {

struct FeedCommit {
  uint64_t position = 0;
  std::string stamp;
  std::string previous_stamp;
  int64_t time_unix_nanos = 0;
  std::vector<sdk::StorageOp> ops;  // views into the replies the commit was read from
};

// Stream IDs as "P-S".
std::string streamId(uint64_t position, uint64_t sequence);

// Collects stream entries (from XRANGE replies, or the entries of one stream in an XREAD
// reply) into whole commits. Keeps the replies alive for the views in its commits.
class FeedAssembler {
 public:
  // Adds an array of [id, [field, value, ...]] entries. Throws sdk::feedGap for an entry that
  // does not fit the layout above (the feed was changed by something other than Ferry).
  void add(Reply entries_reply, const redisReply* entries);
  // Complete commits, in stream order.
  const std::vector<FeedCommit>& commits() const { return commits_; }
  // True if the last entry read belongs to a commit whose later entries were not read yet;
  // nextId() is where to continue.
  bool incomplete() const { return pending_; }
  std::string nextId() const { return streamId(pending_commit_.position, next_sequence_); }
  size_t entriesRead() const { return entries_read_; }

 private:
  void addEntry(const redisReply* entry);
  std::vector<Reply> replies_;
  std::vector<FeedCommit> commits_;
  bool pending_ = false;
  FeedCommit pending_commit_;
  uint64_t next_sequence_ = 0;
  uint64_t expected_entries_ = 0;
  size_t entries_read_ = 0;
};

// Checks that `commits` continue the feed directly from (position, stamp) and from each other;
// throws sdk::feedGap with a message that says what was lost.
void checkChain(uint64_t position, const std::string& stamp,
                const std::vector<FeedCommit>& commits);

}  // namespace ferry::plugins::redis
