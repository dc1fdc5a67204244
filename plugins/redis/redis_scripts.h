// The Lua scripts the plugin runs in Redis. A script runs atomically: nothing else happens in
// Redis between its first and last command, which is what makes a commit all-or-nothing and
// lets the conditional write compare and commit in one step.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "redis_connection.h"

namespace ferry::plugins::redis {

class Script {
 public:
  explicit Script(const char* source) : source_(source) {}
  // Runs the script with EVALSHA (loading it with SCRIPT LOAD when the server answers
  // NOSCRIPT: after a restart or a failover to a server that never saw it), then, in the same
  // round trip, the commands of `then` (e.g. WAIT). Returns the script's reply followed by one
  // reply per command of `then`. Throws Unreachable.
  std::vector<Reply> run(Connection& connection, const std::vector<std::string_view>& keys,
                         const std::vector<std::string_view>& args,
                         const std::vector<Args>& then = {});

 private:
  std::string sha();
  const char* source_;
  std::mutex mu_;
  std::string sha_;  // learnt from SCRIPT LOAD; the same on every server
};

// One commit: checks the position (conditional writes), applies the batch to the group hash,
// appends it to the feed stream and advances the position.
//   KEYS: group hash, feed stream, position hash
//   ARGV: "if" or "always", expected position, expected stamp, this commit's stamp, feed max
//         length, operations per feed entry, then per operation: kind ("p" put, "r" remove,
//         "w" wipe), key, value
//   reply: {"ok", position, stamp, time} or {"conflict", position, stamp}
extern Script commitScript;

// Takes, renews or gives up a lease.
//   KEYS: lease key   ARGV: holder id, ttl in ms ("0" gives it up)   reply: 1 held, 0 not
extern Script leaseScript;

}  // namespace ferry::plugins::redis
