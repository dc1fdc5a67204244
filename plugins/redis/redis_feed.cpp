#include "redis_feed.h"

namespace ferry::plugins::redis {

namespace {

[[noreturn]] void malformed(const std::string& why) {
  throw sdk::feedGap("the feed stream holds an entry Ferry did not write (" + why +
                     "); resyncing from a snapshot");
}

bool parseUnsigned(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 20) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t next = v * 10 + static_cast<uint64_t>(c - '0');
    if (next / 10 != v) return false;
    v = next;
  }
  out = v;
  return true;
}

void parseId(std::string_view id, uint64_t& position, uint64_t& sequence) {
  size_t dash = id.find('-');
  if (dash == std::string_view::npos || !parseUnsigned(id.substr(0, dash), position) ||
      !parseUnsigned(id.substr(dash + 1), sequence)) {
    malformed("stream ID " + std::string(id));
  }
}

}  // namespace

std::string streamId(uint64_t position, uint64_t sequence) {
  return std::to_string(position) + "-" + std::to_string(sequence);
}

void FeedAssembler::add(Reply entries_reply, const redisReply* entries) {
  if (!entries || entries->type != REDIS_REPLY_ARRAY) malformed("not an array of entries");
  for (size_t i = 0; i < entries->elements; ++i) addEntry(entries->element[i]);
  replies_.push_back(std::move(entries_reply));
}

void FeedAssembler::addEntry(const redisReply* entry) {
  if (entry->type != REDIS_REPLY_ARRAY || entry->elements != 2 ||
      entry->element[1]->type != REDIS_REPLY_ARRAY) {
    malformed("not [id, fields]");
  }
  ++entries_read_;
  uint64_t position = 0;
  uint64_t sequence = 0;
  parseId(text(entry->element[0]), position, sequence);
  const redisReply* fields = entry->element[1];
  size_t i = 0;
  auto field = [&](size_t k) { return text(fields->element[k]); };
  if (sequence == 0) {
    if (pending_) malformed("commit " + std::to_string(pending_commit_.position) + " is cut short");
    pending_commit_ = FeedCommit();
    pending_commit_.position = position;
    if (fields->elements < 8 || field(0) != "s" || field(2) != "ps" || field(4) != "t" ||
        field(6) != "n") {
      malformed("commit " + std::to_string(position) + " has no header");
    }
    pending_commit_.stamp = std::string(field(1));
    pending_commit_.previous_stamp = std::string(field(3));
    uint64_t micros = 0;
    if (!parseUnsigned(field(5), micros) || !parseUnsigned(field(7), expected_entries_) ||
        expected_entries_ == 0) {
      malformed("commit " + std::to_string(position) + " has a bad header");
    }
    pending_commit_.time_unix_nanos = static_cast<int64_t>(micros) * 1000;
    pending_ = true;
    next_sequence_ = 0;
    i = 8;
  } else if (!pending_ || position != pending_commit_.position || sequence != next_sequence_) {
    malformed("entry " + std::string(text(entry->element[0])) + " continues no commit");
  }
  while (i < fields->elements) {
    std::string_view kind = field(i);
    if (i + 1 >= fields->elements) malformed("an operation without a key");
    if (kind == "p") {
      if (i + 3 >= fields->elements || field(i + 2) != "v") malformed("a put without a value");
      pending_commit_.ops.push_back({FERRY_STORAGE_PUT, field(i + 1), field(i + 3)});
      i += 4;
    } else if (kind == "r") {
      pending_commit_.ops.push_back({FERRY_STORAGE_REMOVE, field(i + 1), {}});
      i += 2;
    } else if (kind == "w") {
      pending_commit_.ops.push_back({FERRY_STORAGE_WIPE, {}, {}});
      i += 2;
    } else {
      malformed("unknown operation \"" + std::string(kind) + "\"");
    }
  }
  ++next_sequence_;
  if (next_sequence_ == expected_entries_) {
    commits_.push_back(std::move(pending_commit_));
    pending_ = false;
  }
}

void checkChain(uint64_t position, const std::string& stamp,
                const std::vector<FeedCommit>& commits) {
  const std::string* previous = &stamp;
  for (const auto& commit : commits) {
    if (commit.position != position + 1) {
      throw sdk::feedGap("the feed no longer holds the commits after position " +
                         std::to_string(position) + " (it continues at " +
                         std::to_string(commit.position) +
                         "; trimmed past this replica, see \"feed.max_length\")");
    }
    if (commit.previous_stamp != *previous) {
      throw sdk::feedGap("commit " + std::to_string(commit.position) +
                         " does not follow the commit at " + std::to_string(position) +
                         " that this replica knows: the store went back (a failover to a "
                         "replica that had not seen it, or a restore) and moved on");
    }
    position = commit.position;
    previous = &commit.stamp;
  }
}

}  // namespace ferry::plugins::redis
