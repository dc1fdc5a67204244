// Ferry plugin SDK: an exclusive lock on a storage plugin's store, so that two Ferry processes
// (or two plugin instances in one process) never write the same files at once. Header-only,
// POSIX (flock), compiled into the plugin.
//
// Two writers on one snapshot file or database would each believe they own it: pushes
// acknowledged by one would silently vanish when the other saves, and a clean-up of leftovers
// could delete the other's in-progress save. StoreLock turns that into a refusal at start.
//
// The lock is `flock(LOCK_EX | LOCK_NB)` on "<store path>.lock", a small file next to the store
// that holds the owner's pid (for the error message only). The kernel releases the lock when
// the process exits, however it exits (kill -9 included), so a stale lock file never blocks a
// restart. The file itself is left in place: removing it would race with a process that is
// just taking the lock. flock locks belong to an open file description, so a second instance
// in the same process is refused too.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ferry/sdk.hpp>
#include <string>

namespace ferry::sdk {

class StoreLock {
 public:
  // Locks "<store_path>.lock". Throws sdk::Error(FERRY_ERR_IO) naming the store when another
  // process or instance holds it, or when the lock file cannot be created.
  explicit StoreLock(const std::string& store_path) : path_(store_path + ".lock") {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      throw ioError("cannot lock the store " + store_path + ": cannot open " + path_ + ": " +
                    std::strerror(errno));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      const std::string owner = readOwner();
      ::close(fd_);
      if (error == EWOULDBLOCK) {
        throw ioError("the store " + store_path + " is in use by another Ferry" +
                      (owner.empty() ? std::string() : " (pid " + owner + ")") +
                      ": only one process may use a store at a time (lock " + path_ + ")");
      }
      throw ioError("cannot lock the store " + store_path + ": flock " + path_ + ": " +
                    std::strerror(error));
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    // The pid only improves the message a second process prints; failing to write it is fine.
    if (::ftruncate(fd_, 0) == 0) {
      [[maybe_unused]] ssize_t written = ::pwrite(fd_, pid.data(), pid.size(), 0);
    }
  }
  ~StoreLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string readOwner() const {
    char buffer[32] = {};
    ssize_t n = ::pread(fd_, buffer, sizeof(buffer) - 1, 0);
    std::string owner(buffer, n > 0 ? static_cast<size_t>(n) : 0);
    while (!owner.empty() && (owner.back() == '\n' || owner.back() == ' ')) owner.pop_back();
    return owner;
  }

  std::string path_;
  int fd_ = -1;
};

}  // namespace ferry::sdk
