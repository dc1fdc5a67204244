#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/model/lifecycle_policy.h"

// The settings Ferry runs with: every Pushgateway 1.11 flag, Ferry's own flags, and the plugin
// pipeline that only the config file can describe. Defaults are Pushgateway's.
namespace ferry::core::config {

// A startup or config error. main() prints what() and exits non-zero; the text names the flag,
// the config key (with its full path) or the file and line, so the user knows what to fix.
class ConfigError : public std::runtime_error {
 public:
  // usage_error: a command-line syntax error, where kingpin would append ", try --help".
  explicit ConfigError(const std::string& message, bool usage_error = false)
      : std::runtime_error(message), usage_error_(usage_error) {}

  bool usageError() const { return usage_error_; }

 private:
  bool usage_error_;
};

struct Options {
  std::vector<std::string> listen_addresses{":9091"};  // --web.listen-address (repeatable)
  bool systemd_socket = false;                         // --web.systemd-socket
  std::string web_config_file;                         // --web.config.file
  std::string telemetry_path = "/metrics";             // --web.telemetry-path
  std::string external_url;                            // --web.external-url
  std::string route_prefix;                            // --web.route-prefix
  bool enable_lifecycle = false;                       // --web.enable-lifecycle
  bool enable_admin_api = false;                       // --web.enable-admin-api
  std::string persistence_file;                        // --persistence.file
  std::chrono::nanoseconds persistence_interval =
      std::chrono::minutes(5);             // --persistence.interval
  bool disable_consistency_check = false;  // --push.disable-consistency-check
  bool enable_utf8_names = false;          // --push.enable-utf8-names
  std::string log_level = "info";          // --log.level debug|info|warn|error
  std::string log_format = "logfmt";       // --log.format logfmt|json

  // Ferry's own flags.
  std::string config_file;  // --config.file
  // --plugins.dir (repeatable): folders searched for plugins before Ferry's own
  std::vector<std::string> plugin_dirs;
  bool list_plugins = false;  // --list-plugins
  std::string plugin_help;    // --plugin-help NAME
  std::string check_config;   // --check-config FILE (validate, then exit)
  std::string import_file;    // `ferry import-pushgateway FILE`: import FILE, then exit
  // --push.max-body-bytes; 0: no limit of its own (the front door's hard ceiling applies).
  size_t max_body_bytes = size_t{64} << 20;
  size_t max_connections = 0;                   // --web.max-connections (0: open-file limit)
  unsigned handler_threads = 64;                // --web.handler-threads
  std::chrono::seconds keep_alive_timeout{15};  // --web.keep-alive-timeout
  std::chrono::nanoseconds read_header_timeout =
      std::chrono::seconds(30);  // --web.read-header-timeout
  std::chrono::nanoseconds read_body_timeout = std::chrono::seconds(30);  // --web.read-body-timeout
  size_t read_body_min_rate = 8192;                                   // --web.read-body-min-rate
  std::chrono::nanoseconds write_timeout = std::chrono::seconds(60);  // --web.write-timeout
  std::chrono::nanoseconds tls_handshake_timeout =
      std::chrono::seconds(10);               // --web.tls-handshake-timeout
  size_t max_header_bytes = size_t{1} << 20;  // --web.max-header-bytes

  // The pipeline, from the config file only.
  struct PluginRef {
    std::string plugin;
    nlohmann::json config = nlohmann::json::object();
  };
  std::vector<PluginRef> inputs{{"protobuf"}, {"text"}};
  PluginRef storage{"memory"};

  // "auth" (docs/configuration.md): who may do what. Absent: Ferry is open as Pushgateway is.
  struct AuthOptions {
    bool configured = false;         // the config file has an "auth" section
    std::vector<PluginRef> plugins;  // asked in order for an identity
    // identity ("user:ci", "token:prom", "cert:CN=x", "anonymous") -> route kind ("push",
    // "delete", "scrape", "api_read", "admin", "lifecycle", "health") -> job patterns. Kinds
    // without jobs, and `true`, hold {"*"}.
    std::map<std::string, std::map<std::string, std::vector<std::string>>> rights;
    bool protect_health = false;  // /-/healthy and /-/ready need the "health" right
    // Slow-down of repeated failed logins per client address.
    std::chrono::milliseconds failure_delay{100};       // after the first failure; doubles
    std::chrono::milliseconds failure_delay_max{2000};  // cap per request (at most 10s)
    size_t failure_max_addresses = 10000;               // addresses remembered
  };
  AuthOptions auth;

  // "lifecycle" and "limits" (docs/configuration.md), --push.default-ttl and --push.max-ttl:
  // group TTLs, what expiry does, and the limits of pushes and of the store. The defaults keep
  // the Pushgateway's behaviour: no TTL, no limit.
  model::LifecyclePolicy lifecycle;

  // Flags given on the command line: name → value as given (repeated values comma-joined,
  // bools "true"/"false"), so startup can log what the operator changed.
  std::map<std::string, std::string> explicitly_set;
};

struct ParseOutcome {
  enum class Action { kRun, kExit } action;
  int exit_code;
  std::string output;  // for kExit: help or version text, for stdout
};

}  // namespace ferry::core::config
