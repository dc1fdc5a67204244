// The sqlite plugin's configuration keys.
#pragma once

#include <ferry/sdk.hpp>
#include <string>

namespace ferry::plugins::sqlite {

struct Options {
  // "path": the database file (required). Its directory must exist.
  std::string path;
  // "synchronous": "full" (default) fsyncs the WAL at every commit, so an acknowledged push
  // survives a power loss; "normal" fsyncs only at checkpoints: still safe against a process
  // crash or kill -9, but a power loss or OS crash may lose the last commits.
  bool synchronous_full = true;
  // "busy_timeout": how long a write waits for a lock held by another connection to the same
  // file before failing. A Go duration string ("5s", "250ms") or a number of milliseconds.
  int busy_timeout_ms = 5000;
};

// Reads the keys (declared in SqliteStorage::kConfigKeys, so unknown keys and values of the
// wrong type never get here) from `config`; throws sdk::configError naming the key for a value
// out of range.
Options parseOptions(sdk::Config& config);

}  // namespace ferry::plugins::sqlite
