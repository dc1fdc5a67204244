#include "connection_pool.h"

#include <map>
#include <sstream>

namespace ferry::plugins::redis {

namespace {

constexpr size_t kMaxIdle = 8;

// INFO's "key:value" lines.
std::map<std::string, std::string> parseInfo(std::string_view info) {
  std::map<std::string, std::string> fields;
  std::istringstream in{std::string(info)};
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (line.empty() || line[0] == '#' || colon == std::string::npos) continue;
    fields[line.substr(0, colon)] = line.substr(colon + 1);
  }
  return fields;
}

int majorVersion(const std::string& version) {
  try {
    return std::stoi(version);
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

ConnectionPool::Handle::~Handle() {
  if (!connection_ || connection_->broken()) return;
  std::lock_guard lock(pool_->mu_);
  if (generation_ == pool_->generation_ && pool_->idle_.size() < kMaxIdle) {
    pool_->idle_.push_back(std::move(connection_));
  }
}

ConnectionPool::ConnectionPool(const Options& options, const sdk::Host& host)
    : options_(options), host_(host) {}

ConnectionPool::Handle ConnectionPool::acquire() {
  uint64_t generation;
  {
    std::lock_guard lock(mu_);
    generation = generation_;
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return Handle(this, std::move(connection), generation, true);
    }
  }
  // Connecting happens outside the lock: a slow server must not stall the other threads'
  // idle connections.
  Endpoint endpoint = locate();
  auto connection =
      std::make_unique<Connection>(endpoint, options_.credentials, options_.db, options_);
  bool first;
  {
    std::lock_guard lock(mu_);
    first = checked_.insert(endpoint.describe()).second;
  }
  try {
    checkServer(*connection, first);
  } catch (...) {
    if (first) {
      std::lock_guard lock(mu_);
      checked_.erase(endpoint.describe());
    }
    throw;
  }
  return Handle(this, std::move(connection), generation, false);
}

void ConnectionPool::primaryLost() {
  std::lock_guard lock(mu_);
  idle_.clear();
  ++generation_;
  if (options_.sentinel) primary_.reset();
}

Endpoint ConnectionPool::locate() {
  if (!options_.sentinel) return options_.address;
  {
    std::lock_guard lock(mu_);
    if (primary_) return *primary_;
  }
  Endpoint found = askSentinels();
  std::lock_guard lock(mu_);
  if (!primary_ || !(*primary_ == found)) {
    host_.info("redis primary \"" + options_.sentinel->master + "\" is " + found.describe());
  }
  primary_ = found;
  return found;
}

Endpoint ConnectionPool::askSentinels() {
  const auto& sentinel = *options_.sentinel;
  std::string failures;
  size_t count = sentinel.addresses.size();
  size_t start;
  {
    std::lock_guard lock(mu_);
    start = next_sentinel_;
  }
  for (size_t i = 0; i < count; ++i) {
    size_t index = (start + i) % count;
    const Endpoint& address = sentinel.addresses[index];
    try {
      Connection s(address, sentinel.credentials, 0, options_);
      Reply r = s.command({"SENTINEL", "get-master-addr-by-name", sentinel.master});
      if (r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
          r->element[0]->type == REDIS_REPLY_STRING && r->element[1]->type == REDIS_REPLY_STRING) {
        Endpoint primary{std::string(text(r->element[0])), 0};
        try {
          primary.port = std::stoi(std::string(text(r->element[1])));
        } catch (const std::exception&) {
        }
        if (primary.port > 0) {
          std::lock_guard lock(mu_);
          next_sentinel_ = index;
          return primary;
        }
      }
      std::string why = isError(r.get())
                            ? std::string(text(r.get()))
                            : "does not know a primary named \"" + sentinel.master + "\"";
      failures += "; sentinel " + address.describe() + ": " + why;
    } catch (const std::exception& e) {
      failures += std::string("; ") + e.what();
    }
  }
  throw Unreachable("no sentinel named the redis primary \"" + sentinel.master + "\"" + failures);
}

// Refuses what Ferry cannot work with, and says once per server what matters for durability.
void ConnectionPool::checkServer(Connection& connection, bool first_meeting) {
  std::string where = "redis " + connection.endpoint().describe();
  Reply info = connection.command({"INFO"});
  if (isError(info.get())) {
    throw sdk::ioError(where + ": INFO failed: " + std::string(text(info.get())));
  }
  auto fields = parseInfo(text(info.get()));
  if (fields["cluster_enabled"] == "1") {
    throw sdk::configError(
        where +
        " runs Redis Cluster, which Ferry does not support: every commit is one Lua script over "
        "the group hash, the change feed and the position key, which Cluster only allows "
        "within one hash slot (one node), so Cluster would add failure modes and no capacity. "
        "Use one primary with replicas and Sentinel (docs/configuration.md)");
  }
  const std::string& version = fields["redis_version"];
  if (majorVersion(version) < 5) {
    throw sdk::configError(where + " is Redis " + (version.empty() ? "(unknown)" : version) +
                           "; Ferry needs Redis 5.0 or later (streams)");
  }
  if (fields["role"] != "master") {
    std::string of = fields["master_host"] + ":" + fields["master_port"];
    if (options_.sentinel) {
      primaryLost();
      throw Unreachable(where + ", named primary by the sentinels, is a replica of " + of +
                        " (failover in progress?)");
    }
    throw sdk::ioError(where + " is a read-only replica of " + of +
                       "; point \"url\" at the primary, or use \"sentinel\"");
  }
  if (!first_meeting) return;
  host_.info(where + ": Redis " + version + ", AOF " +
             (fields["aof_enabled"] == "1" ? "on" : "off") + ", " + fields["connected_slaves"] +
             " replica(s), maxmemory-policy " + fields["maxmemory_policy"]);
  if (fields["aof_enabled"] != "1") {
    host_.warn(where +
               ": AOF is off, so a Redis restart loses what was pushed since its last RDB "
               "snapshot; set appendonly yes and appendfsync always (docs/configuration.md)");
  }
  if (fields["maxmemory"] != "0" && fields["maxmemory_policy"] != "noeviction") {
    host_.warn(where + ": maxmemory-policy " + fields["maxmemory_policy"] +
               " may evict Ferry's keys; use noeviction");
  }
  if (options_.wait_replicas > 0) {
    int replicas = 0;
    try {
      replicas = std::stoi(fields["connected_slaves"]);
    } catch (const std::exception&) {
    }
    if (replicas < options_.wait_replicas) {
      host_.warn(where + " has " + std::to_string(replicas) + " connected replica(s) but " +
                 "\"wait.replicas\" is " + std::to_string(options_.wait_replicas) +
                 ": writes will fail until enough replicas confirm them");
    }
  }
}

}  // namespace ferry::plugins::redis
