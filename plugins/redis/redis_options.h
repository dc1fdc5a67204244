// The redis plugin's configuration keys.
#pragma once

#include <ferry/sdk.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ferry::plugins::redis {

struct Endpoint {
  std::string host;
  int port = 6379;
  // "host:port", or "[v6]:port" for an IPv6 address.
  std::string describe() const;
  bool operator==(const Endpoint& o) const { return host == o.host && port == o.port; }
};

// Parses "host:port" or "[v6]:port" (the port is required); throws sdk::configError naming
// `key`.
Endpoint parseEndpoint(const std::string& text, const std::string& key);

struct Credentials {
  std::string username;  // empty: AUTH with the password alone (requirepass)
  std::string password;  // empty: no AUTH
};

struct Options {
  // "url": redis://[user[:password]@][host[:port]][/db]; without a host, 127.0.0.1:6379. With
  // "sentinel", the host and port come from the sentinels, so the url has none:
  // redis://[user[:password]@]/db.
  Endpoint address{"127.0.0.1", 6379};
  Credentials credentials;  // from the url's user and password, or "password"
  int db = 0;
  // "prefix": every key Ferry writes starts with it, so one Redis database can hold several
  // independent stores (and other data).
  std::string prefix = "ferry:";
  struct Sentinel {
    std::string master;               // "master": the name the sentinels monitor
    std::vector<Endpoint> addresses;  // "addresses": ["host:port", ...]
    Credentials credentials;          // "password": the sentinels' own requirepass
  };
  std::optional<Sentinel> sentinel;
  // "timeouts": {"connect": ..., "command": ...}, Go durations.
  int connect_timeout_ms = 2000;
  int command_timeout_ms = 5000;
  // "wait": {"replicas": N, "timeout": ...}: after every commit, Redis's WAIT for N of its
  // replicas; fewer within the timeout fails the write (the push gets 503).
  int wait_replicas = 0;
  int wait_timeout_ms = 1000;
  // "feed": {"max_length": N}: commits kept in the change feed (approximately, XADD MAXLEN ~).
  // A replica that falls further behind resyncs from a snapshot.
  long long feed_max_length = 10000;

  // For messages and logs; never includes a password.
  std::string describe() const;
};

// Reads the keys above from `config` (checked against RedisStorage::kConfigKeys, defaults
// filled in); throws sdk::configError naming the key (nested keys as "timeouts.command") for a
// bad value or an unknown nested key.
Options parseOptions(sdk::Config& config);

}  // namespace ferry::plugins::redis
