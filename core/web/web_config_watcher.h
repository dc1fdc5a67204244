#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/web/basic_auth.h"
#include "core/web/tls_material.h"
#include "core/web/web_config.h"

namespace ferry::core::web {

// One loaded version of the web config file.
struct WebState {
  WebConfig config;
  std::shared_ptr<const TlsMaterial> tls;  // null: plain HTTP
  std::unique_ptr<BasicAuthenticator> basic_auth;
};

// --web.config.file, re-read when it or a file it names changes (checked at most once a
// second, from whichever thread asks first), like the exporter-toolkit re-reads it per request.
// A reload that fails keeps the previous version and logs an error. Switching between plain
// HTTP and TLS needs a restart (the listening sockets are made once); such a reload is refused
// in the same way. Thread-safe.
class WebConfigWatcher {
 public:
  // Loads the file; throws WebConfigError when it is invalid.
  explicit WebConfigWatcher(std::string path);

  // The current version, after a reload if a file changed.
  std::shared_ptr<const WebState> current();
  bool tlsEnabled() const { return tls_enabled_; }
  const std::string& path() const { return path_; }
  // Forces the change check on the next current() (tests).
  void checkNow() { next_check_ms_.store(0); }
  // A check every reloaded version must pass: it returns "" or why the version is refused
  // (the previous one is kept, as for an invalid file). Set before serving; not thread-safe.
  using ReloadCheck = std::function<std::string(const WebConfig&)>;
  void checkEveryReload(ReloadCheck check) { reload_check_ = std::move(check); }

 private:
  struct Stamp {
    std::string file;
    int64_t mtime_ns = 0;
    int64_t size = -1;
    bool operator==(const Stamp& o) const {
      return file == o.file && mtime_ns == o.mtime_ns && size == o.size;
    }
  };
  std::shared_ptr<const WebState> loadState() const;
  std::vector<Stamp> stamps(const WebConfig& config) const;

  std::string path_;
  bool tls_enabled_ = false;
  std::shared_ptr<CredentialCache> cache_ = std::make_shared<CredentialCache>();
  std::shared_ptr<const WebState> state_;  // std::atomic_load/atomic_store
  std::mutex reload_mu_;
  std::vector<Stamp> stamps_;  // under reload_mu_
  std::atomic<int64_t> next_check_ms_{0};
  ReloadCheck reload_check_;
};

}  // namespace ferry::core::web
