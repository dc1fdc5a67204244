#include "core/web/web_config_watcher.h"

#include <sys/stat.h>

#include "core/util/log.h"

namespace ferry::core::web {
namespace {

int64_t steadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

WebConfigWatcher::WebConfigWatcher(std::string path) : path_(std::move(path)) {
  auto state = loadState();
  tls_enabled_ = state->tls != nullptr;
  stamps_ = stamps(state->config);
  std::atomic_store(&state_, std::move(state));
  next_check_ms_.store(steadyMillis() + 1000);
}

std::shared_ptr<const WebState> WebConfigWatcher::loadState() const {
  auto state = std::make_shared<WebState>();
  state->config = loadWebConfigFile(path_);
  if (state->config.tls.configured()) state->tls = TlsMaterial::load(state->config.tls, path_);
  state->basic_auth = std::make_unique<BasicAuthenticator>(state->config.users, cache_);
  return state;
}

std::vector<WebConfigWatcher::Stamp> WebConfigWatcher::stamps(const WebConfig& config) const {
  std::vector<Stamp> out;
  for (const std::string* file :
       {&path_, &config.tls.cert_file, &config.tls.key_file, &config.tls.client_ca_file}) {
    if (file->empty()) continue;
    Stamp stamp{*file};
    struct stat st {};
    if (::stat(file->c_str(), &st) == 0) {
      stamp.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
      stamp.size = static_cast<int64_t>(st.st_size);
    }
    out.push_back(stamp);
  }
  return out;
}

std::shared_ptr<const WebState> WebConfigWatcher::current() {
  int64_t now = steadyMillis();
  int64_t due = next_check_ms_.load(std::memory_order_relaxed);
  // One thread per second does the check; the others keep serving with the current version.
  if (now >= due && next_check_ms_.compare_exchange_strong(due, now + 1000)) {
    std::unique_lock<std::mutex> lock(reload_mu_, std::try_to_lock);
    if (lock.owns_lock()) {
      auto old = std::atomic_load(&state_);
      auto seen = stamps(old->config);
      if (!(seen == stamps_)) {
        stamps_ = seen;  // a broken file is reported once, not every second
        try {
          auto next = loadState();
          if ((next->tls != nullptr) != tls_enabled_) {
            throw WebConfigError("web config " + path_ +
                                 ": switching between HTTP and HTTPS needs a restart");
          }
          if (reload_check_) {
            std::string problem = reload_check_(next->config);
            if (!problem.empty()) throw WebConfigError("web config " + path_ + ": " + problem);
          }
          stamps_ = stamps(next->config);
          std::atomic_store(&state_, std::move(next));
          util::logInfo("reloaded the web config", {{"file", path_}});
        } catch (const std::exception& e) {
          util::logError("cannot reload the web config, keeping the previous one",
                         {{"file", path_}, {"err", e.what()}});
        }
      }
    }
  }
  return std::atomic_load(&state_);
}

}  // namespace ferry::core::web
