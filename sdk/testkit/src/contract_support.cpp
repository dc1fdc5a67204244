#include "contract_support.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace ferry::testkit::support {
namespace fs = std::filesystem;

::testing::AssertionResult sameContents(const ScanResult& scan, const StorageMap& expected) {
  if (!scan.call.ok()) {
    return ::testing::AssertionFailure() << "scan failed: " << scan.call.describe();
  }
  std::ostringstream diff;
  int shown = 0;
  constexpr int kMaxShown = 10;
  for (const auto& key : scan.duplicate_keys) {
    if (shown++ < kMaxShown) diff << "\n  key reported twice by one scan: " << printable(key);
  }
  for (const auto& [key, value] : expected) {
    auto found = scan.entries.find(key);
    if (found == scan.entries.end()) {
      if (shown++ < kMaxShown) diff << "\n  missing key " << printable(key);
    } else if (found->second != value) {
      if (shown++ < kMaxShown) {
        diff << "\n  key " << printable(key) << ": expected value " << printable(value) << ", got "
             << printable(found->second);
      }
    }
  }
  for (const auto& [key, value] : scan.entries) {
    if (!expected.count(key) && shown++ < kMaxShown) {
      diff << "\n  unexpected key " << printable(key) << " = " << printable(value);
    }
  }
  if (shown == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "store contents differ (" << scan.entries.size() << " entries, expected "
         << expected.size() << ", " << shown << " differences):" << diff.str();
}

std::string allBytes() {
  std::string out(256, '\0');
  for (int i = 0; i < 256; ++i) out[i] = static_cast<char>(i);
  return out;
}

std::string patternValue(size_t size, uint64_t seed) {
  std::string out(size, '\0');
  uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
  for (size_t i = 0; i < size; ++i) {
    // xorshift64: cheap, deterministic, every byte value shows up.
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out[i] = static_cast<char>(x >> 56);
  }
  return out;
}

std::string makeTempDir(const std::string& label) {
  const char* base = getenv("TMPDIR");
  std::string pattern =
      std::string(base && *base ? base : "/tmp") + "/ferry-kit-" + label + "-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  return std::string(buf.data());
}

void removeTree(const std::string& path) {
  std::error_code ec;
  // Tests may have made parts read-only; give write permission back before removing.
  for (auto it = fs::recursive_directory_iterator(path, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec))
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  }
  fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(path, ec);
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> regularFiles(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec)) names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

CallResult readAllChanges(StorageDriver& store, uint64_t after, std::vector<FeedCommit>& out,
                          uint64_t* last) {
  *last = after;
  // Bounded: a store that keeps delivering is broken, not busy (nobody writes meanwhile).
  for (int calls = 0; calls < 100000; ++calls) {
    size_t before = out.size();
    CallResult result = store.readChanges(*last, 0, out);
    if (!result.ok()) return result;
    if (out.size() == before) return result;
    *last = out.back().position;
  }
  return CallResult{FERRY_ERR_INTERNAL, "read_changes kept delivering commits"};
}

void applyCommits(StorageMap& state, const std::vector<FeedCommit>& commits) {
  for (const auto& commit : commits) {
    for (const auto& op : commit.ops) {
      if (op.kind == FERRY_STORAGE_PUT) {
        state[op.key] = op.value;
      } else if (op.kind == FERRY_STORAGE_REMOVE) {
        state.erase(op.key);
      } else if (op.kind == FERRY_STORAGE_WIPE) {
        state.clear();
      }
    }
  }
}

}  // namespace ferry::testkit::support
