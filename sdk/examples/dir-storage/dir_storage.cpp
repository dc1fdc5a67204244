// dir-storage: a storage plugin that keeps each stored entry in its own file in a directory.
// A file is written to a temporary name and renamed into place, so a reader (scan) or a crash
// sees the old entry or the new one, never half of one; every file carries a checksum, so a
// damaged store is refused at start instead of being read as empty or short.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <ferry/sdk.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using ferry::sdk::ioError;

constexpr char kMagic[4] = {'F', 'D', 'S', '1'};
constexpr size_t kHeaderSize = 4 + 8 + 8 + 8;  // magic, key size, value size, checksum

uint64_t fnv1a(std::string_view data, uint64_t hash = 14695981039346656037ull) {
  for (unsigned char c : data) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

void putU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
uint64_t getU64(const std::string& in, size_t at) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[at + i]);
  return v;
}

// The file of a key: its 64-bit hash in hex (keys are binary and may be long). The key is
// kept inside the file, so a hash collision is detected, never silently overwritten.
std::string fileName(std::string_view key) {
  static const char kHex[] = "0123456789abcdef";
  std::string name;
  for (uint64_t h = fnv1a(key), i = 0; i < 16; ++i, h >>= 4) name += kHex[h & 0xf];
  return name + ".entry";
}

struct Entry {
  std::string key, value;
};

// Reads and checks one entry file. Returns false if it does not exist (removed meanwhile).
bool readEntry(const fs::path& path, Entry& entry) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!fs::exists(path)) return false;
    throw ioError("cannot read " + path.string());
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, 4) != 0) {
    throw ioError(path.string() + " is not a dir-storage entry file");
  }
  uint64_t key_size = getU64(bytes, 4), value_size = getU64(bytes, 12);
  if (key_size > bytes.size() || value_size != bytes.size() - kHeaderSize - key_size) {
    throw ioError(path.string() + " is truncated or has trailing bytes");
  }
  entry.key = bytes.substr(kHeaderSize, key_size);
  entry.value = bytes.substr(kHeaderSize + key_size);
  if (fnv1a(entry.value, fnv1a(entry.key)) != getU64(bytes, 20)) {
    throw ioError(path.string() + " has a bad checksum");
  }
  return true;
}

// The open directory, locked: a second instance on the same directory (in this process or
// another) would overwrite acknowledged writes, so it is refused. The kernel drops the lock
// when the process dies, however it dies.
struct DirLock {
  int fd;
  explicit DirLock(const fs::path& dir)
      : fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd < 0) throw ioError("\"dir\" " + dir.string() + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      throw ioError("\"dir\" " + dir.string() + ": another instance has the store open");
    }
  }
  ~DirLock() { ::close(fd); }
};

class DirStorage : public ferry::sdk::StoragePlugin {
 public:
  static inline const ferry::sdk::ConfigKeys kConfigKeys = {
      {"dir", ferry::sdk::kString, ferry::sdk::required("groups"),
       "An existing, writable directory: one file per stored group."},
      {"sync", ferry::sdk::kBool, true,
       "fsync every file and the directory before a write returns; false: a killed process "
       "loses nothing, a power cut may."},
  };

  DirStorage(const ferry::sdk::Host& host, ferry::sdk::Config& config)
      : dir_(config.get<std::string>("dir")), sync_(config.get<bool>("sync")), lock_(dir_) {
    if (access(dir_.c_str(), W_OK) != 0) throw ioError(dir_.string() + " is not writable");
    // Every entry is checked now: a damaged store fails here and is left as it is.
    size_t count = 0;
    Entry entry;
    for (const auto& file : fs::directory_iterator(dir_)) {
      if (file.path().extension() != ".entry") continue;
      if (!file.is_regular_file()) throw ioError(file.path().string() + " is not a file");
      if (readEntry(file.path(), entry) && fileName(entry.key) != file.path().filename()) {
        throw ioError(file.path().string() + " holds a key that belongs to another file");
      }
      ++count;
    }
    host.info("dir storage " + dir_.string() + ": " + std::to_string(count) + " entries");
  }

  // One writer thread calls this; scans may run meanwhile and see each file old or new.
  void write(const std::vector<ferry::sdk::StorageOp>& ops) override {
    for (const auto& op : ops) {
      fs::path path = dir_ / fileName(op.key);
      if (op.kind == FERRY_STORAGE_REMOVE) {
        std::error_code ec;
        fs::remove(path, ec);
        if (ec) throw ioError("cannot remove " + path.string() + ": " + ec.message());
        continue;
      }
      Entry existing;
      if (fs::exists(path) && readEntry(path, existing) && existing.key != op.key) {
        throw ioError("two keys hash to " + path.string() + "; this example cannot store both");
      }
      std::string bytes(kMagic, 4);
      putU64(bytes, op.key.size());
      putU64(bytes, op.value.size());
      putU64(bytes, fnv1a(op.value, fnv1a(op.key)));
      bytes.append(op.key).append(op.value);
      writeAtomically(path, bytes);
    }
    if (sync_) syncDirectory(false);
  }

  void scan(const std::function<bool(std::string_view, std::string_view)>& fn) override {
    std::set<fs::path> seen;  // readdir may list a file replaced during the scan twice
    Entry entry;
    for (const auto& file : fs::directory_iterator(dir_)) {
      if (file.path().extension() != ".entry" || !seen.insert(file.path().filename()).second) {
        continue;
      }
      if (readEntry(file.path(), entry) && !fn(entry.key, entry.value)) return;
    }
  }

  void wipe() override {
    for (const auto& file : fs::directory_iterator(dir_)) {
      if (file.path().extension() == ".entry") fs::remove(file.path());
    }
    syncDirectory(false);
  }

  // With sync off, files were written without fsync: flush makes the whole file system durable.
  void flush() override { syncDirectory(!sync_); }

 private:
  void writeAtomically(const fs::path& path, const std::string& bytes) {
    fs::path temp = path.string() + ".tmp";
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw ioError("cannot create " + temp.string() + ": " + std::strerror(errno));
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    bool ok = done == bytes.size() && (!sync_ || ::fsync(fd) == 0);
    ok = ::close(fd) == 0 && ok;
    if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
      int error = errno;
      ::unlink(temp.c_str());
      throw ioError("cannot write " + path.string() + ": " + std::strerror(error));
    }
  }

  // Makes renames and removals durable, and with `everything` also unsynced file contents.
  void syncDirectory(bool everything) {
    if ((everything ? ::syncfs(lock_.fd) : ::fsync(lock_.fd)) != 0) {
      throw ioError("cannot sync " + dir_.string() + ": " + std::strerror(errno));
    }
  }

  const fs::path dir_;
  const bool sync_;  // fsync every file and the directory before write returns
  DirLock lock_;
};

}  // namespace

FERRY_PLUGIN(DirStorage, "dir", "1.0.0", "One checksummed file per entry in a directory")
