// Connections to the current Redis primary, shared by the threads that call the plugin (the
// writer, the feed reader, scans). The primary is the url's server or, with "sentinel", the one
// the sentinels name; a connection that breaks or meets a replica makes the pool forget the
// primary, so the next acquire asks the sentinels again (this is how a failover is followed).
// Every server is checked once when first met: Redis Cluster and old versions are refused.
#pragma once

#include <ferry/sdk.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "redis_connection.h"
#include "redis_options.h"

namespace ferry::plugins::redis {

class ConnectionPool {
 public:
  ConnectionPool(const Options& options, const sdk::Host& host);

  // A connection on loan; it goes back to the pool when the handle dies, unless it broke or
  // the primary changed meanwhile.
  class Handle {
   public:
    Handle(ConnectionPool* pool, std::unique_ptr<Connection> connection, uint64_t generation,
           bool reused)
        : pool_(pool),
          connection_(std::move(connection)),
          generation_(generation),
          reused_(reused) {}
    Handle(Handle&&) = default;
    Handle& operator=(Handle&&) = delete;
    ~Handle();
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }
    // An idle connection from before: the server may have closed it meanwhile (a restart), so
    // a failure on it is worth one retry on a new connection.
    bool reused() const { return reused_; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
    uint64_t generation_;
    bool reused_;
  };

  // A connection to the primary. Throws Unreachable (no server, no primary), sdk::Error for a
  // server Ferry refuses to use (Cluster, too old, a replica named in "url").
  Handle acquire();
  // The primary stopped answering or turned out to be a replica (READONLY): drop every idle
  // connection; the next acquire finds the primary again.
  void primaryLost();

 private:
  Endpoint locate();
  Endpoint askSentinels();
  void checkServer(Connection& connection, bool first_meeting);

  const Options& options_;
  sdk::Host host_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::optional<Endpoint> primary_;
  uint64_t generation_ = 0;
  size_t next_sentinel_ = 0;       // the one that answered last is asked first
  std::set<std::string> checked_;  // servers already checked and logged
};

}  // namespace ferry::plugins::redis
