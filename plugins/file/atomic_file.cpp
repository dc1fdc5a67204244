#include "atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace ferry::plugins::file {
namespace {

constexpr size_t kBufferSize = size_t{1} << 20;

[[noreturn]] void throwErrno(const std::string& call, const std::string& path, int err) {
  throw std::runtime_error(call + " " + path + ": " + std::strerror(err));
}

std::string directoryOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

// mkstemp's template, next to `path` so that rename() stays within one file system.
std::vector<char> tempTemplate(const std::string& path) {
  std::string name = path + ".tmp-XXXXXX";
  return std::vector<char>(name.c_str(), name.c_str() + name.size() + 1);  // with the NUL
}

void closeQuietly(int fd) {
  if (fd >= 0) ::close(fd);
}

void fsyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throwErrno("open", dir, errno);
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    throwErrno("fsync", dir, err);
  }
  ::close(fd);
}

}  // namespace

std::optional<std::string> readWholeFile(const std::string& path) {
  // O_NONBLOCK: a FIFO at `path` must not hang the start; fstat then refuses it.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throwErrno("open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    throwErrno("stat", path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw std::runtime_error(path + " is not a regular file");
  }
  std::string content;
  content.reserve(static_cast<size_t>(st.st_size));
  char chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      int err = errno;
      ::close(fd);
      throwErrno("read", path, err);
    }
    if (n == 0) break;
    content.append(chunk, static_cast<size_t>(n));
  }
  ::close(fd);
  return content;
}

void probeDirectory(const std::string& path) {
  std::vector<char> name = tempTemplate(path);
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    int err = errno;
    throwErrno("create a file in", directoryOf(path), err);
  }
  ::close(fd);
  if (::unlink(name.data()) != 0) {
    int err = errno;
    throwErrno("unlink", name.data(), err);
  }
}

size_t removeStaleTempFiles(const std::string& path) {
  const std::filesystem::path target(path);
  const std::string prefix = target.filename().string() + ".tmp-";
  const size_t name_size = prefix.size() + 6;  // mkstemp's XXXXXX
  size_t removed = 0;
  std::error_code ec;
  std::filesystem::directory_iterator it(directoryOf(path), ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() != name_size || name.compare(0, prefix.size(), prefix) != 0) continue;
    if (!it->is_regular_file(ec)) continue;
    if (::unlink(it->path().c_str()) == 0) ++removed;
  }
  return removed;
}

AtomicFileWriter::AtomicFileWriter(std::string path) : path_(std::move(path)) {
  std::vector<char> name = tempTemplate(path_);
  fd_ = ::mkstemp(name.data());  // mode 0600: the snapshot may hold anything clients pushed
  if (fd_ < 0) {
    int err = errno;
    throwErrno("create a file in", directoryOf(path_), err);
  }
  temp_path_ = name.data();
  buffer_.reserve(kBufferSize);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (committed_) return;
  closeQuietly(fd_);
  ::unlink(temp_path_.c_str());
}

void AtomicFileWriter::write(std::string_view data) {
  if (buffer_.size() + data.size() > kBufferSize) flushBuffer();
  if (data.size() >= kBufferSize) {
    writeAll(data);  // a large value goes straight through, without a copy
    return;
  }
  buffer_.append(data);
}

void AtomicFileWriter::flushBuffer() {
  writeAll(buffer_);
  buffer_.clear();
}

void AtomicFileWriter::writeAll(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throwErrno("write", temp_path_, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

void AtomicFileWriter::commit() {
  flushBuffer();
  if (::fsync(fd_) != 0) throwErrno("fsync", temp_path_, errno);
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throwErrno("close", temp_path_, errno);
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    int err = errno;
    throwErrno("rename " + temp_path_ + " to", path_, err);
  }
  committed_ = true;  // the temporary name is gone now, whatever happens next
  fsyncDirectory(directoryOf(path_));
}

}  // namespace ferry::plugins::file
