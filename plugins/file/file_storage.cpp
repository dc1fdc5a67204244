#include "file_storage.h"

#include <algorithm>
#include <exception>
#include <ferry/support/go_duration.hpp>
#include <map>
#include <optional>

#include "atomic_file.h"

namespace ferry::plugins::file {
namespace {

std::string inQuotes(const std::string& s) { return "\"" + s + "\""; }

// The saver re-checks at least this often, so no wait_until ever meets an absurd deadline
// (an interval may be up to 292 years).
constexpr std::chrono::hours kLongestWait{1};

std::string groups(size_t n) { return std::to_string(n) + (n == 1 ? " group" : " groups"); }

}  // namespace

FileStorage::FileStorage(const sdk::Host& host, sdk::Config& config) : host_(host) {
  path_ = config.get<std::string>("path");
  if (path_.empty()) throw sdk::configError("\"path\" must name the snapshot file, got \"\"");
  interval_ = config.duration("interval");
  if (interval_.count() < 0) {
    throw sdk::configError("\"interval\" must not be negative, got " +
                           inQuotes(config.get<std::string>("interval")));
  }
  const bool found = load();
  try {
    probeDirectory(path_);
  } catch (const std::exception& e) {
    throw sdk::ioError("the snapshot " + inQuotes(path_) + " could not be saved: cannot " +
                       e.what());
  }
  // Before the clean-up below: another process's temp files are not leftovers.
  lock_ = std::make_unique<sdk::StoreLock>(path_);
  if (size_t stale = removeStaleTempFiles(path_)) {
    host_.info("removed " + std::to_string(stale) +
               " temporary file(s) of saves interrupted by a "
               "crash, next to " +
               path_);
  }
  if (found) {
    host_.info("loaded " + groups(entries_.size()) + " from " + path_);
  } else {
    host_.info("no snapshot at " + path_ + " yet; starting with an empty store");
  }
  last_save_start_ = std::chrono::steady_clock::now();
  if (interval_.count() > 0) saver_ = std::thread([this] { saverLoop(); });
}

FileStorage::~FileStorage() {
  {
    std::lock_guard lock(control_mu_);
    stop_ = true;
  }
  control_cv_.notify_all();
  if (saver_.joinable()) saver_.join();
  if (!dirty()) return;
  try {
    save();
  } catch (const std::exception& e) {
    host_.error(e.what());
  }
}

bool FileStorage::load() {
  std::optional<std::string> bytes;
  try {
    bytes = readWholeFile(path_);
  } catch (const std::exception& e) {
    throw sdk::ioError("cannot read the snapshot " + inQuotes(path_) + ": " + e.what() +
                       "; the file was not modified");
  }
  if (!bytes) return false;
  try {
    entries_ = decodeSnapshot(*bytes);
  } catch (const SnapshotError& e) {
    std::string message = "cannot load the snapshot " + inQuotes(path_) + ": " + e.what() +
                          ". The file was not modified; ";
    if (e.kind() == SnapshotError::Kind::kPushgatewayFile) {
      message +=
          "to migrate it, run: ferry import-pushgateway " + path_ + " (see docs/configuration.md)";
    } else {
      message += "restore it from a backup, or move it away to start with an empty store";
    }
    throw sdk::ioError(message);
  }
  return true;
}

void FileStorage::write(const std::vector<sdk::StorageOp>& ops) {
  for (const auto& op : ops) {
    if (op.kind != FERRY_STORAGE_PUT && op.kind != FERRY_STORAGE_REMOVE) {
      throw sdk::invalidInput("unknown storage operation " +
                              std::to_string(static_cast<int>(op.kind)));
    }
  }
  // What each key held before this batch (nullopt: absent), to put back if the save fails.
  // Only a save made here can fail the write (interval 0); the saver's failures are retried.
  const bool saves_now = interval_.count() == 0;
  std::map<std::string, std::optional<std::string>, std::less<>> before;
  {
    std::unique_lock lock(entries_mu_);
    for (const auto& op : ops) {
      auto it = entries_.find(op.key);
      if (saves_now && before.find(op.key) == before.end()) {
        std::optional<std::string> old;
        if (it != entries_.end()) old = std::move(it->second);  // overwritten or erased below
        before.emplace(std::string(op.key), std::move(old));
      }
      if (op.kind == FERRY_STORAGE_PUT) {
        if (it != entries_.end()) {
          it->second.assign(op.value);
        } else {
          entries_.emplace(std::string(op.key), std::string(op.value));
        }
      } else if (it != entries_.end()) {
        entries_.erase(it);
      }
    }
    change_generation_.fetch_add(1);
  }
  try {
    changed();
  } catch (...) {
    // The host keeps its memory as it was when a write fails; so does the map, or a later save
    // would store a change nobody acknowledged.
    std::unique_lock lock(entries_mu_);
    for (auto& [key, value] : before) {
      if (value) {
        entries_.insert_or_assign(key, std::move(*value));
      } else if (auto it = entries_.find(key); it != entries_.end()) {
        entries_.erase(it);
      }
    }
    change_generation_.fetch_add(1);
    throw;
  }
}

void FileStorage::scan(const std::function<bool(std::string_view, std::string_view)>& fn) {
  std::shared_lock lock(entries_mu_);
  for (const auto& [key, value] : entries_) {
    if (!fn(key, value)) break;
  }
}

void FileStorage::wipe() {
  Entries before;
  {
    std::unique_lock lock(entries_mu_);
    before.swap(entries_);
    change_generation_.fetch_add(1);
  }
  try {
    changed();
  } catch (...) {
    std::unique_lock lock(entries_mu_);
    entries_.swap(before);
    change_generation_.fetch_add(1);
    throw;
  }
}

void FileStorage::flush() {
  if (dirty()) save();
}

void FileStorage::changed() {
  if (interval_.count() == 0) {
    // On failure the caller puts the entries back as they were before the change.
    save();
    return;
  }
  { std::lock_guard lock(control_mu_); }  // a saver between its check and its wait sees it
  control_cv_.notify_one();
}

bool FileStorage::dirty() {
  std::lock_guard lock(control_mu_);
  return change_generation_.load() != saved_generation_;
}

void FileStorage::save() {
  std::lock_guard save_lock(save_mu_);
  {
    std::lock_guard lock(control_mu_);
    last_save_start_ = std::chrono::steady_clock::now();
  }
  uint64_t generation = 0;
  size_t count = 0;
  try {
    AtomicFileWriter out(path_);
    {
      // Only streaming into the page cache happens under the lock; fsync and rename come after
      // it, so writers wait for a memory copy, not for the disk.
      std::shared_lock lock(entries_mu_);
      generation = change_generation_.load();
      count = entries_.size();
      writeSnapshot(entries_, [&](std::string_view piece) { out.write(piece); });
    }
    out.commit();
  } catch (const std::exception& e) {
    throw sdk::ioError("cannot save the snapshot " + inQuotes(path_) + ": " + e.what() +
                       " (the previous snapshot is unchanged)");
  }
  {
    std::lock_guard lock(control_mu_);
    saved_generation_ = std::max(saved_generation_, generation);
  }
  if (interval_.count() > 0) {
    host_.debug("saved " + groups(count) + " to " + path_);
  }
}

void FileStorage::saverLoop() {
  std::unique_lock lock(control_mu_);
  while (!stop_) {
    if (change_generation_.load() == saved_generation_) {
      control_cv_.wait_for(lock, kLongestWait);
      continue;
    }
    auto since_last = std::chrono::steady_clock::now() - last_save_start_;
    if (since_last < interval_) {
      auto wait = std::min<std::chrono::nanoseconds>(interval_ - since_last, kLongestWait);
      control_cv_.wait_for(lock, wait, [this] { return stop_; });
      continue;
    }
    lock.unlock();
    try {
      save();
    } catch (const std::exception& e) {
      // Retried one interval later; the previous snapshot is still whole.
      host_.error(e.what());
    }
    lock.lock();
  }
}

}  // namespace ferry::plugins::file
