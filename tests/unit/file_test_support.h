#pragma once

// Helpers for the `file` storage plugin's tests: a private temporary directory, whole-file
// reads and writes, and the plugin opened through the real host (storage-file.so).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/plugin_host/plugin_instance.h"
#include "core/plugin_host/plugin_registry.h"

namespace ferry::plugins::file::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ferry-file-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // Names of everything in the directory (to see that no temporary file is left behind).
  std::set<std::string> names() const {
    std::set<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
      out.insert(entry.path().filename().string());
    }
    return out;
  }

 private:
  std::filesystem::path path_;
};

inline std::string readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void writeBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

inline bool exists(const std::string& path) { return std::filesystem::exists(path); }

// The first 64 bytes of a file written by Pushgateway 1.5.1's --persistence.file: a Go gob
// stream that starts by defining its GroupingKeyToMetricGroup map type.
inline const std::string kPushgatewayFileStart = [] {
  static const char kBytes[] =
      "\x29\xff\x8d\x04\x01\x01\x18"
      "GroupingKeyToMetricGroup"
      "\x01\xff\x8e\x00\x01\x0c\x01\xff\x82\x00\x00\x25\xff\x81\x03\x01\x02\xff\x82\x00\x01\x02"
      "\x01\x06"
      "Labels"
      "\x01\xff\x84";
  return std::string(kBytes, sizeof kBytes - 1);
}();

using core::plugin_host::PluginError;
using core::plugin_host::StoragePluginInstance;

// Opens storage-file.so from the build's plugin directory.
class FilePlugin {
 public:
  // Loaded at once, so that a test's unprivileged child (runUnprivileged) needs no access to
  // the build tree.
  FilePlugin()
      : registry_(FERRY_TEST_PLUGIN_DIR), library_(registry_.require(FERRY_KIND_STORAGE, "file")) {}

  std::unique_ptr<StoragePluginInstance> open(const nlohmann::json& config) {
    return std::make_unique<StoragePluginInstance>(library_, config.dump());
  }
  std::unique_ptr<StoragePluginInstance> open(const std::string& path,
                                              const std::string& interval) {
    return open(nlohmann::json{{"path", path}, {"interval", interval}});
  }
  // The message create() failed with, or "" if it succeeded.
  std::string openError(const nlohmann::json& config) {
    try {
      open(config);
    } catch (const PluginError& e) {
      return e.what();
    }
    return "";
  }

 private:
  core::plugin_host::PluginRegistry registry_;
  std::shared_ptr<core::plugin_host::PluginLibrary> library_;
};

inline StoragePluginInstance::Op putOp(std::string key, std::string value) {
  return {FERRY_STORAGE_PUT, std::move(key), std::move(value)};
}
inline StoragePluginInstance::Op removeOp(std::string key) {
  return {FERRY_STORAGE_REMOVE, std::move(key), {}};
}

}  // namespace ferry::plugins::file::testing
