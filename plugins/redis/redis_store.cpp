#include "redis_store.h"

#include "redis_scripts.h"

namespace ferry::plugins::redis {

namespace {

constexpr size_t kStampsKept = 4096;   // positions a replica may still ask about
constexpr int kOpsPerFeedEntry = 128;  // keeps each XADD well below Lua's unpack limit

const char* kindCode(ferry_storage_op_kind kind) {
  switch (kind) {
    case FERRY_STORAGE_PUT:
      return "p";
    case FERRY_STORAGE_REMOVE:
      return "r";
    case FERRY_STORAGE_WIPE:
      return "w";
  }
  throw sdk::Error(FERRY_ERR_INVALID_INPUT,
                   "unknown storage operation " + std::to_string(static_cast<int>(kind)));
}

bool parsePosition(std::string_view s, uint64_t& out) {
  if (s.empty()) {
    out = 0;
    return true;
  }
  try {
    size_t used = 0;
    out = std::stoull(std::string(s), &used);
    return used == s.size();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

RedisStore::RedisStore(Options options, const sdk::Host& host)
    : options_(std::move(options)),
      host_(host),
      pool_(options_, host_),
      groups_key_(options_.prefix + "groups"),
      feed_key_(options_.prefix + "feed"),
      meta_key_(options_.prefix + "meta"),
      random_(std::random_device{}()) {
  holder_id_ = newStamp() + newStamp();
}

void RedisStore::probe() {
  try {
    pool_.acquire();
  } catch (const Unreachable& e) {
    pool_.primaryLost();
    host_.warn(std::string(e.what()) + "; every store call will try again");
  }
}

std::string RedisStore::newStamp() {
  static const char kHex[] = "0123456789abcdef";
  std::lock_guard lock(mu_);
  uint64_t bits = random_();
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, bits >>= 4) s[i] = kHex[bits & 0xF];
  return s;
}

void RedisStore::remember(const Position& p) {
  std::lock_guard lock(mu_);
  stamps_[p.position] = p.stamp;
  while (stamps_.size() > kStampsKept) stamps_.erase(stamps_.begin());
}

bool RedisStore::stampOf(uint64_t position, std::string& stamp) {
  std::lock_guard lock(mu_);
  auto it = stamps_.find(position);
  if (it == stamps_.end()) return false;
  stamp = it->second;
  return true;
}

RedisStore::Position RedisStore::readPosition(Connection& connection) {
  Reply r = connection.command({"HMGET", meta_key_, "pos", "s"});
  if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) replyFailed(connection, "HMGET", r.get());
  Position p;
  if (!parsePosition(text(r->element[0]), p.position)) {
    throw sdk::ioError("redis key " + meta_key_ + " holds a bad position \"" +
                       std::string(text(r->element[0])) + "\"");
  }
  p.stamp = std::string(text(r->element[1]));
  return p;
}

// ---- writes ----------------------------------------------------------------------------------

uint64_t RedisStore::commit(bool conditional, uint64_t expected,
                            const std::vector<sdk::StorageOp>& ops) {
  std::string expected_stamp;
  if (conditional && !stampOf(expected, expected_stamp)) {
    throw sdk::conflict("position " + std::to_string(expected) +
                        " was not handed out by this instance; read the changes first");
  }
  std::string stamp = newStamp();
  std::string expected_text = std::to_string(expected);
  std::string max_length = std::to_string(options_.feed_max_length);
  std::string per_entry = std::to_string(kOpsPerFeedEntry);
  std::vector<std::string_view> args{
      conditional ? "if" : "always", expected_text, expected_stamp, stamp, max_length, per_entry};
  args.reserve(args.size() + ops.size() * 3);
  for (const auto& op : ops) {
    args.push_back(kindCode(op.kind));
    args.push_back(op.key);
    args.push_back(op.value);
  }
  std::vector<Args> then;
  std::string wait_replicas = std::to_string(options_.wait_replicas);
  std::string wait_timeout = std::to_string(options_.wait_timeout_ms);
  if (options_.wait_replicas > 0) then.push_back({"WAIT", wait_replicas, wait_timeout});

  // One retry on a new connection: a failover or a restart breaks the first. Running the same
  // script again is safe: it sees its own stamp as the last commit and reports that commit.
  for (int attempt = 0;; ++attempt) {
    try {
      auto connection = pool_.acquire();
      std::vector<Reply> replies =
          commitScript.run(*connection, {groups_key_, feed_key_, meta_key_}, args, then);
      const redisReply* r = replies[0].get();
      if (hasErrorCode(r, "READONLY")) {
        pool_.primaryLost();
        if (attempt == 0) continue;
      }
      if (r->type != REDIS_REPLY_ARRAY || r->elements < 3) replyFailed(*connection, "commit", r);
      Position now;
      if (!parsePosition(text(r->element[1]), now.position)) {
        replyFailed(*connection, "commit", r);
      }
      now.stamp = std::string(text(r->element[2]));
      if (text(r->element[0]) == "conflict") {
        throw sdk::conflict("the store is at position " + std::to_string(now.position) + ", not " +
                            std::to_string(expected));
      }
      remember(now);
      if (!then.empty()) {
        const redisReply* w = replies[1].get();
        if (w->type != REDIS_REPLY_INTEGER) replyFailed(*connection, "WAIT", w);
        if (w->integer < options_.wait_replicas) {
          throw sdk::unavailable("redis " + connection->endpoint().describe() +
                                 ": committed at position " + std::to_string(now.position) +
                                 ", but only " + std::to_string(w->integer) + " of " +
                                 wait_replicas + " replicas confirmed it within " + wait_timeout +
                                 " ms (\"wait\"); it may be lost if the primary fails now");
        }
      }
      return now.position;
    } catch (const Unreachable& e) {
      pool_.primaryLost();
      if (attempt > 0) throw sdk::unavailable(std::string("storage write: ") + e.what());
    }
  }
}

void RedisStore::write(const std::vector<sdk::StorageOp>& ops) {
  for (const auto& op : ops) {
    if (op.kind == FERRY_STORAGE_WIPE) {
      throw sdk::Error(FERRY_ERR_INVALID_INPUT, "write() takes no wipe; call wipe()");
    }
  }
  if (!ops.empty()) commit(false, 0, ops);
}

void RedisStore::wipe() { commit(false, 0, {sdk::StorageOp{FERRY_STORAGE_WIPE, {}, {}}}); }

uint64_t RedisStore::writeIf(uint64_t expected, const std::vector<sdk::StorageOp>& ops) {
  return commit(true, expected, ops);
}

bool RedisStore::lease(std::string_view name, uint32_t ttl_ms) {
  std::string key = options_.prefix + "lease:" + std::string(name);
  std::string ttl = std::to_string(ttl_ms);
  return withConnection("lease", kNothingDelivered, [&](Connection& c) {
    std::vector<Reply> replies = leaseScript.run(c, {key}, {holder_id_, ttl});
    const redisReply* r = replies[0].get();
    if (r->type != REDIS_REPLY_INTEGER) replyFailed(c, "lease", r);
    return r->integer == 1;
  });
}

}  // namespace ferry::plugins::redis
