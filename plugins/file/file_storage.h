#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <ferry/sdk.hpp>
#include <ferry/store_lock.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "snapshot_format.h"

// The `file` storage plugin: Pushgateway's --persistence.file, done safely. The entries live in
// memory; a snapshot of all of them (snapshot_format.h) replaces the file atomically.
//
// - interval 0: every write() and wipe() saves before it returns, so an acknowledged push is
//   on disk (kill -9 and power loss lose nothing acknowledged).
// - interval > 0: a background thread saves at most once per interval after a change, at
//   lastSaveStart + interval (at once if that is past), as Pushgateway does; flush() and the
//   destructor save at once if anything changed. A crash loses at most the changes since the
//   last save.
// - At start a missing file means an empty store; any other file must decode completely, or
//   create fails naming the file and the problem, and the file is left exactly as it was.
namespace ferry::plugins::file {

class FileStorage : public sdk::StoragePlugin {
 public:
  static inline const sdk::ConfigKeys kConfigKeys = {
      {"path", sdk::kString, sdk::required("ferry.snapshot"),
       "The snapshot file. Its directory must exist and be writable; a relative path is "
       "relative to the directory Ferry starts in."},
      {"interval", sdk::kDuration, "5m",
       "The longest a change waits to be saved: 0 saves every change before it is answered "
       "(nothing acknowledged is lost); more saves at most once per interval and at shutdown."},
  };

  FileStorage(const sdk::Host& host, sdk::Config& config);
  ~FileStorage() override;

  void write(const std::vector<sdk::StorageOp>& ops) override;
  void scan(const std::function<bool(std::string_view, std::string_view)>& fn) override;
  void wipe() override;
  void flush() override;

 private:
  // Reads and validates the snapshot; false if there is none yet. Throws sdk::ioError.
  bool load();
  // After a change: save now (interval 0) or wake the saver. Throws sdk::ioError.
  void changed();
  // Writes the snapshot of the current entries; throws sdk::ioError naming the file.
  void save();
  bool dirty();
  void saverLoop();

  sdk::Host host_;
  std::string path_;
  // Held for the instance's lifetime; released last, after the destructor's final save.
  std::unique_ptr<sdk::StoreLock> lock_;
  std::chrono::nanoseconds interval_{0};

  std::shared_mutex entries_mu_;
  Entries entries_;
  // Bumped under entries_mu_ with every change; a save records the generation it wrote.
  std::atomic<uint64_t> change_generation_{0};

  std::mutex save_mu_;  // one save at a time, so an older snapshot never replaces a newer one

  std::mutex control_mu_;  // guards the fields below
  std::condition_variable control_cv_;
  uint64_t saved_generation_ = 0;
  std::chrono::steady_clock::time_point last_save_start_;
  bool stop_ = false;
  std::thread saver_;
};

}  // namespace ferry::plugins::file
