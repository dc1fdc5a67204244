// Ferry plugin SDK: a header-only C++17 layer over the C ABI in ferry/plugin_abi.h.
//
// A plugin is one class derived from InputPlugin, StoragePlugin or AuthPlugin, with a
// constructor `(const ferry::sdk::Host&, ferry::sdk::Config&)`, plus one line:
//
//   FERRY_PLUGIN(MyPlugin, FERRY_KIND_INPUT, "my-format", "1.0.0", "What it does", R"({})")
//
// Everything in this header is compiled into the plugin, never into the host, so it may use
// the plugin's own standard library freely. Exceptions thrown by plugin code are caught at the
// boundary and turned into a ferry_status plus message: throw ferry::sdk::Error (or any
// std::exception) to report a failure.
#pragma once

#include <ferry/plugin_abi.h>

#include <cctype>
#include <exception>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ferry::sdk {

inline ferry_bytes toBytes(std::string_view s) { return ferry_bytes{s.data(), s.size()}; }
inline std::string_view toView(ferry_bytes b) {
  return b.size == 0 ? std::string_view() : std::string_view(b.data, b.size);
}

// A failure with a status. The message reaches the HTTP client (for FERRY_ERR_INVALID_INPUT)
// or the log.
class Error : public std::runtime_error {
 public:
  Error(ferry_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  ferry_status status() const noexcept { return status_; }

 private:
  ferry_status status_;
};

// Shorthands for the common failures.
inline Error invalidInput(const std::string& message) {
  return Error(FERRY_ERR_INVALID_INPUT, message);
}
inline Error configError(const std::string& message) { return Error(FERRY_ERR_CONFIG, message); }
inline Error ioError(const std::string& message) { return Error(FERRY_ERR_IO, message); }

// The host's services. Cheap to copy; valid for the plugin instance's lifetime.
class Host {
 public:
  explicit Host(const ferry_host* host) : host_(host) {}
  void log(ferry_log_level level, std::string_view message) const {
    if (host_ && host_->log) host_->log(host_->host_ctx, level, toBytes(message));
  }
  void debug(std::string_view m) const { log(FERRY_LOG_DEBUG, m); }
  void info(std::string_view m) const { log(FERRY_LOG_INFO, m); }
  void warn(std::string_view m) const { log(FERRY_LOG_WARN, m); }
  void error(std::string_view m) const { log(FERRY_LOG_ERROR, m); }
  const ferry_host* raw() const { return host_; }

 private:
  const ferry_host* host_;
};

// Output bytes of one call; the host copies what is written.
class Output {
 public:
  Output(const ferry_host* host, ferry_sink* sink) : host_(host), sink_(sink) {}
  void write(std::string_view data) { host_->sink_write(sink_, toBytes(data)); }

 private:
  const ferry_host* host_;
  ferry_sink* sink_;
};

// A plugin's JSON configuration. Reading a key marks it as known; after the constructor the
// SDK rejects every key that was never read, so a typo in a config file is an error that names
// the key instead of a silently ignored setting.
class Config {
 public:
  explicit Config(nlohmann::json json) : json_(std::move(json)) {
    if (!json_.is_object()) throw configError("plugin config must be a JSON object");
  }
  bool has(const std::string& key) const { return json_.contains(key); }
  template <typename T>
  T get(const std::string& key, T fallback) {
    known_.insert(key);
    if (!json_.contains(key)) return fallback;
    return convert<T>(key);
  }
  template <typename T>
  T require(const std::string& key) {
    known_.insert(key);
    if (!json_.contains(key)) throw configError("missing required key \"" + key + "\"");
    return convert<T>(key);
  }
  const nlohmann::json& raw() const { return json_; }
  // Throws for the first key that no get/require asked for.
  void rejectUnknownKeys() const {
    for (auto it = json_.begin(); it != json_.end(); ++it) {
      if (!known_.count(it.key())) throw configError("unknown key \"" + it.key() + "\"");
    }
  }

 private:
  template <typename T>
  T convert(const std::string& key) const {
    try {
      return json_.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
      throw configError("bad value for key \"" + key + "\": " + json_.at(key).dump());
    }
  }
  nlohmann::json json_;
  std::set<std::string> known_;
};

// ---- plugin base classes --------------------------------------------------------------------

class InputPlugin {
 public:
  static constexpr ferry_plugin_kind kKind = FERRY_KIND_INPUT;
  virtual ~InputPlugin() = default;
  // True if this plugin parses bodies of this Content-Type (the header may be empty).
  virtual bool accepts(std::string_view content_type) const = 0;
  // Writes delimited io.prometheus.client.MetricFamily messages to `out`. Throw
  // invalidInput(...) for a body that is wrong. Called concurrently.
  virtual void parse(std::string_view content_type, std::string_view body, Output& out) = 0;
};

struct StorageOp {
  ferry_storage_op_kind kind;
  std::string_view key;
  std::string_view value;
};

class StoragePlugin {
 public:
  static constexpr ferry_plugin_kind kKind = FERRY_KIND_STORAGE;
  virtual ~StoragePlugin() = default;
  // Applies the batch in order, durably if the backend promises durability.
  virtual void write(const std::vector<StorageOp>& ops) = 0;
  // Calls fn for every entry; fn returns false to stop.
  virtual void scan(const std::function<bool(std::string_view, std::string_view)>& fn) = 0;
  virtual void wipe() = 0;
  virtual void flush() {}
  // FERRY_STORAGE_* bits a plugin class declares by hiding this constant, e.g.
  //   static constexpr uint32_t kStorageFlags = FERRY_STORAGE_VOLATILE;
  static constexpr uint32_t kStorageFlags = 0;
};

struct AuthRequest {
  std::string_view method;
  std::string_view path;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view remote_address;
  // RFC 2253 subject of the client certificate; Ferry sets it only when the TLS handshake
  // verified the certificate against the web config's client CAs, and leaves it empty otherwise.
  std::string_view tls_peer_subject;
  uint32_t tls_flags = 0;  // FERRY_AUTH_TLS_* bits (ferry/plugin_abi.h)
  // True when the client certificate was verified: only then does it name anyone.
  bool tlsPeerVerified() const {
    return (tls_flags & FERRY_AUTH_TLS_PEER_VERIFIED) != 0 && !tls_peer_subject.empty();
  }
  // Value of the first header with this name (case-insensitive), or empty.
  std::string_view header(std::string_view name) const {
    for (const auto& h : headers) {
      if (h.first.size() != name.size()) continue;
      bool same = true;
      for (size_t i = 0; i < name.size() && same; ++i) {
        same = std::tolower(static_cast<unsigned char>(h.first[i])) ==
               std::tolower(static_cast<unsigned char>(name[i]));
      }
      if (same) return h.second;
    }
    return {};
  }
};

struct AuthResult {
  ferry_status status;   // FERRY_OK, FERRY_AUTH_NO_CREDENTIALS or FERRY_AUTH_DENIED
  std::string identity;  // set with FERRY_OK
  static AuthResult ok(std::string id) { return {FERRY_OK, std::move(id)}; }
  static AuthResult noCredentials() { return {FERRY_AUTH_NO_CREDENTIALS, {}}; }
  static AuthResult denied() { return {FERRY_AUTH_DENIED, {}}; }
};

class AuthPlugin {
 public:
  static constexpr ferry_plugin_kind kKind = FERRY_KIND_AUTH;
  virtual ~AuthPlugin() = default;
  virtual AuthResult authenticate(const AuthRequest& request) = 0;  // called concurrently
  // The WWW-Authenticate challenge Ferry sends with a 401 so that clients know to offer this
  // plugin's credentials, e.g. "Basic" or R"(Bearer realm="ferry")"; "" for none (credentials
  // HTTP cannot ask for, such as client certificates). Asked once, after the constructor.
  virtual std::string challenge() const { return {}; }
  // FERRY_AUTH_* bits a plugin class declares by hiding this constant, e.g.
  //   static constexpr uint32_t kAuthFlags = FERRY_AUTH_USES_CLIENT_CERT;
  static constexpr uint32_t kAuthFlags = 0;
};

// ---- the boundary: C functions that wrap a plugin class -------------------------------------

namespace detail {

inline void setError(const ferry_host* host, ferry_error* err, std::string_view message) {
  if (host && host->error_set && err) host->error_set(err, toBytes(message));
}

// Runs fn, turning every exception into a status and an error message.
template <typename Fn>
ferry_status guarded(const ferry_host* host, ferry_error* err, Fn&& fn) noexcept {
  try {
    fn();
    return FERRY_OK;
  } catch (const Error& e) {
    setError(host, err, e.what());
    return e.status();
  } catch (const std::exception& e) {
    setError(host, err, e.what());
    return FERRY_ERR_INTERNAL;
  } catch (...) {
    setError(host, err, "unknown exception in plugin");
    return FERRY_ERR_INTERNAL;
  }
}

template <typename P>
struct Instance {
  ferry_host host;  // copied: the host's struct outlives the instance, but copying is cheap
  std::unique_ptr<P> plugin;
};

template <typename P>
void* create(const ferry_host* host, ferry_bytes config_json, ferry_error* err) noexcept {
  Instance<P>* result = nullptr;
  guarded(host, err, [&] {
    std::string_view text = toView(config_json);
    nlohmann::json json = text.empty() ? nlohmann::json::object()
                                       : nlohmann::json::parse(text.begin(), text.end());
    Config config(std::move(json));
    auto inst = std::make_unique<Instance<P>>();
    inst->host = *host;
    inst->plugin = std::make_unique<P>(Host(&inst->host), config);
    config.rejectUnknownKeys();
    result = inst.release();
  });
  return result;
}

template <typename P>
void destroy(void* instance) noexcept {
  try {
    delete static_cast<Instance<P>*>(instance);
  } catch (...) {
  }
}

template <typename P>
Instance<P>& self(void* instance) {
  return *static_cast<Instance<P>*>(instance);
}

// Input
template <typename P>
int inputAccepts(void* instance, ferry_bytes content_type) noexcept {
  try {
    return self<P>(instance).plugin->accepts(toView(content_type)) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}
template <typename P>
ferry_status inputParse(void* instance, ferry_bytes content_type, ferry_bytes body,
                        ferry_sink* out, ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] {
    Output output(&inst.host, out);
    inst.plugin->parse(toView(content_type), toView(body), output);
  });
}

// Storage
template <typename P>
ferry_status storageWrite(void* instance, const ferry_storage_op* ops, size_t count,
                          ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] {
    std::vector<StorageOp> batch;
    batch.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      batch.push_back(StorageOp{ops[i].kind, toView(ops[i].key), toView(ops[i].value)});
    }
    inst.plugin->write(batch);
  });
}
template <typename P>
ferry_status storageScan(void* instance, ferry_scan_fn fn, void* cb_ctx,
                         ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] {
    inst.plugin->scan([&](std::string_view key, std::string_view value) {
      return fn(cb_ctx, toBytes(key), toBytes(value)) == 0;
    });
  });
}
template <typename P>
ferry_status storageWipe(void* instance, ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] { inst.plugin->wipe(); });
}
template <typename P>
ferry_status storageFlush(void* instance, ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] { inst.plugin->flush(); });
}

// Auth
template <typename P>
ferry_status authAuthenticate(void* instance, const ferry_auth_request* request,
                              ferry_sink* identity, ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  ferry_status result = FERRY_ERR_INTERNAL;
  ferry_status call = guarded(&inst.host, err, [&] {
    AuthRequest req;
    req.method = toView(request->method);
    req.path = toView(request->path);
    for (size_t i = 0; i < request->header_count; ++i) {
      req.headers.emplace_back(toView(request->headers[i].name),
                               toView(request->headers[i].value));
    }
    req.remote_address = toView(request->remote_address);
    req.tls_peer_subject = toView(request->tls_peer_subject);
    req.tls_flags = request->tls_flags;
    AuthResult r = inst.plugin->authenticate(req);
    if (r.status == FERRY_OK) inst.host.sink_write(identity, toBytes(r.identity));
    result = r.status;
  });
  return call == FERRY_OK ? result : call;
}

template <typename P>
void authChallenge(void* instance, ferry_sink* out) noexcept {
  auto& inst = self<P>(instance);
  // No challenge is the safe answer to a failure: the 401 itself is unchanged.
  try {
    std::string challenge = inst.plugin->challenge();
    if (!challenge.empty()) inst.host.sink_write(out, toBytes(challenge));
  } catch (const std::exception& e) {
    Host(&inst.host).error(std::string("challenge() failed: ") + e.what());
  } catch (...) {
    Host(&inst.host).error("challenge() failed");
  }
}

template <typename P>
const void* vtableFor() {
  if constexpr (std::is_base_of_v<InputPlugin, P>) {
    static const ferry_input_vtable vt = {sizeof(ferry_input_vtable), &inputAccepts<P>,
                                          &inputParse<P>};
    return &vt;
  } else if constexpr (std::is_base_of_v<StoragePlugin, P>) {
    static const ferry_storage_vtable vt = {sizeof(ferry_storage_vtable), &storageWrite<P>,
                                            &storageScan<P>, &storageWipe<P>,
                                            &storageFlush<P>, P::kStorageFlags};
    return &vt;
  } else {
    static_assert(std::is_base_of_v<AuthPlugin, P>,
                  "a Ferry plugin derives from InputPlugin, StoragePlugin or AuthPlugin");
    static const ferry_auth_vtable vt = {sizeof(ferry_auth_vtable), &authAuthenticate<P>,
                                         P::kAuthFlags, &authChallenge<P>};
    return &vt;
  }
}

}  // namespace detail
}  // namespace ferry::sdk

// Registers plugin class CLASS under NAME. Use once per shared library, at namespace scope.
#define FERRY_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION, DEFAULT_CONFIG_JSON)                   \
  extern "C" FERRY_PLUGIN_EXPORT const ferry_plugin_descriptor* ferry_plugin_entry_v1(void) { \
    static const ferry_plugin_descriptor descriptor = {                                      \
        sizeof(ferry_plugin_descriptor),                                                     \
        FERRY_ABI_MAJOR,                                                                     \
        FERRY_ABI_MINOR,                                                                     \
        CLASS::kKind,                                                                        \
        NAME,                                                                                \
        VERSION,                                                                             \
        DESCRIPTION,                                                                         \
        DEFAULT_CONFIG_JSON,                                                                 \
        &::ferry::sdk::detail::create<CLASS>,                                                \
        &::ferry::sdk::detail::destroy<CLASS>,                                               \
        ::ferry::sdk::detail::vtableFor<CLASS>()};                                           \
    return &descriptor;                                                                      \
  }
