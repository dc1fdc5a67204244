#include "core/config/flag_table.h"

#include "core/config/go_duration.h"
#include "core/config/option_values.h"

namespace ferry::core::config::detail {
namespace {

std::string boolText(bool b) { return b ? "true" : "false"; }

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ',';
    out += v;
  }
  return out;
}

// Shorthands for the table: a bool flag, a value flag, and an action flag.
FlagSpec boolFlag(std::string_view name, std::string_view help, bool pushgateway,
                  void (*set)(Options&, const std::string&), std::string (*get)(const Options&)) {
  return {name, help, "", true, false, false, pushgateway, FlagAction::kNone, 0, set, nullptr, get};
}

FlagSpec valueFlag(std::string_view name, std::string_view help, std::string_view placeholder,
                   bool pushgateway, void (*set)(Options&, const std::string&),
                   std::string (*get)(const Options&)) {
  return {name, help, placeholder, false, false, false, pushgateway, FlagAction::kNone,
          0,    set,  nullptr,     get};
}

FlagSpec actionFlag(std::string_view name, std::string_view help, FlagAction action, bool hidden,
                    char short_name) {
  return {name, help, "", true, false, hidden, true, action, short_name, nullptr, nullptr, nullptr};
}

std::vector<FlagSpec> buildTable() {
  std::vector<FlagSpec> t;
  t.push_back(actionFlag("help",
                         "Show context-sensitive help (also try --help-long and --help-man).",
                         FlagAction::kHelp, false, 'h'));
  t.push_back(actionFlag("help-long", "Generate long help.", FlagAction::kHelpLong, true, 0));
  t.push_back(actionFlag("help-man", "Generate a man page.", FlagAction::kHelpMan, true, 0));

  t.push_back(boolFlag(
      "web.systemd-socket",
      "Use systemd socket activation listeners instead of port listeners (Linux only). Not "
      "supported by Ferry.",
      true, [](Options& o, const std::string& v) { o.systemd_socket = v == "true"; },
      [](const Options& o) { return boolText(o.systemd_socket); }));
  FlagSpec listen = valueFlag(
      "web.listen-address",
      "Addresses on which to expose metrics and web interface. Repeatable for multiple "
      "addresses. Examples: `:9091` or `[::1]:9091`.",
      ":9091", true, [](Options& o, const std::string& v) { o.listen_addresses.push_back(v); },
      [](const Options& o) { return joined(o.listen_addresses); });
  listen.repeatable = true;
  listen.reset = [](Options& o) { o.listen_addresses.clear(); };
  t.push_back(listen);
  t.push_back(valueFlag(
      "web.config.file", "Path to configuration file that can enable TLS or authentication.",
      "\"\"", true, [](Options& o, const std::string& v) { o.web_config_file = v; },
      [](const Options& o) { return o.web_config_file; }));
  t.push_back(valueFlag(
      "web.telemetry-path", "Path under which to expose metrics.", "\"/metrics\"", true,
      [](Options& o, const std::string& v) { o.telemetry_path = checkTelemetryPath(v); },
      [](const Options& o) { return o.telemetry_path; }));
  t.push_back(valueFlag(
      "web.external-url", "The URL under which Ferry is externally reachable.", "", true,
      [](Options& o, const std::string& v) { o.external_url = checkExternalUrl(v); },
      [](const Options& o) { return o.external_url; }));
  t.push_back(valueFlag(
      "web.route-prefix",
      "Prefix for the internal routes of web endpoints. Defaults to the path of "
      "--web.external-url.",
      "\"\"", true, [](Options& o, const std::string& v) { o.route_prefix = v; },
      [](const Options& o) { return o.route_prefix; }));
  t.push_back(boolFlag(
      "web.enable-lifecycle", "Enable shutdown via HTTP request.", true,
      [](Options& o, const std::string& v) { o.enable_lifecycle = v == "true"; },
      [](const Options& o) { return boolText(o.enable_lifecycle); }));
  t.push_back(boolFlag(
      "web.enable-admin-api",
      "Enable API endpoints for admin control actions: PUT /api/v1/admin/wipe and the "
      "selector delete DELETE /api/v1/groups?match[]= (which \"auth\" also enables).",
      true, [](Options& o, const std::string& v) { o.enable_admin_api = v == "true"; },
      [](const Options& o) { return boolText(o.enable_admin_api); }));
  t.push_back(valueFlag(
      "persistence.file",
      "File to persist metrics (the file storage plugin). If empty, metrics are only kept in "
      "memory.",
      "\"\"", true, [](Options& o, const std::string& v) { o.persistence_file = v; },
      [](const Options& o) { return o.persistence_file; }));
  t.push_back(valueFlag(
      "persistence.interval", "The minimum interval at which to write out the persistence file.",
      "5m", true,
      [](Options& o, const std::string& v) { o.persistence_interval = persistenceInterval(v); },
      [](const Options& o) { return formatGoDuration(o.persistence_interval); }));
  t.push_back(boolFlag(
      "push.disable-consistency-check", "Do not check consistency of pushed metrics. DANGEROUS.",
      true, [](Options& o, const std::string& v) { o.disable_consistency_check = v == "true"; },
      [](const Options& o) { return boolText(o.disable_consistency_check); }));
  t.push_back(boolFlag(
      "push.enable-utf8-names",
      "Allow UTF-8 characters in metric and label names. Not supported yet by Ferry.", true,
      [](Options& o, const std::string& v) { o.enable_utf8_names = v == "true"; },
      [](const Options& o) { return boolText(o.enable_utf8_names); }));
  t.push_back(valueFlag(
      "log.level",
      "Only log messages with the given severity or above. One of: [debug, info, warn, error]",
      "info", true, [](Options& o, const std::string& v) { o.log_level = canonicalLogLevel(v); },
      [](const Options& o) { return o.log_level; }));
  t.push_back(valueFlag(
      "log.format", "Output format of log messages. One of: [logfmt, json]", "logfmt", true,
      [](Options& o, const std::string& v) { o.log_format = checkLogFormat(v); },
      [](const Options& o) { return o.log_format; }));

  t.push_back(valueFlag(
      "config.file",
      "Ferry's JSON config file (pipeline, plugins and defaults for these flags). Flags given "
      "here override it. Empty: built-in defaults.",
      "\"\"", false, [](Options& o, const std::string& v) { o.config_file = v; },
      [](const Options& o) { return o.config_file; }));
  t.push_back(valueFlag(
      "check-config",
      "Validate this config file (with the other flags), load the plugins it names and check "
      "their config, and exit. The store is not opened, so this works beside a running Ferry "
      "on the same store.",
      "FILE", false, [](Options& o, const std::string& v) { o.check_config = v; },
      [](const Options& o) { return o.check_config; }));
  FlagSpec plugins_dir = valueFlag(
      "plugins.dir",
      "A folder searched for plugins before Ferry's own (lib/ferry/plugins next to the "
      "binary's bin/), which is always searched last. Repeatable: searched in order.",
      "\"\"", false,
      [](Options& o, const std::string& v) {
        if (!v.empty()) o.plugin_dirs.push_back(v);
      },
      [](const Options& o) { return joined(o.plugin_dirs); });
  plugins_dir.repeatable = true;
  plugins_dir.reset = [](Options& o) { o.plugin_dirs.clear(); };
  t.push_back(plugins_dir);
  t.push_back(boolFlag(
      "list-plugins",
      "List every file in the plugin folders: the plugins, and why any other file is not one "
      "(or not used). Exits 1 when a .so file was refused.",
      false, [](Options& o, const std::string& v) { o.list_plugins = v == "true"; },
      [](const Options& o) { return boolText(o.list_plugins); }));
  t.push_back(valueFlag(
      "plugin-help", "Show what the named plugin is and the configuration it takes, and exit.",
      "NAME", false, [](Options& o, const std::string& v) { o.plugin_help = v; },
      [](const Options& o) { return o.plugin_help; }));
  t.push_back(valueFlag(
      "push.max-body-bytes",
      "Largest push body accepted, in bytes, as sent and after decompression; larger pushes get "
      "413. 0 means no limit of Ferry's own: the hard ceiling of 256 MiB still applies (a body "
      "is held in memory while it is parsed).",
      "67108864", false,
      [](Options& o, const std::string& v) { o.max_body_bytes = parseByteCount(v); },
      [](const Options& o) { return std::to_string(o.max_body_bytes); }));
  t.push_back(valueFlag(
      "push.default-ttl",
      "Time to live of a group after its last successful push, unless a job rule of the config "
      "file or the pusher's Ferry-TTL header says otherwise. 0s: groups never expire (as in the "
      "Pushgateway).",
      "0s", false,
      [](Options& o, const std::string& v) { o.lifecycle.default_ttl = parseTtl(v).count(); },
      [](const Options& o) {
        return formatGoDuration(std::chrono::nanoseconds(o.lifecycle.default_ttl));
      }));
  t.push_back(valueFlag(
      "push.max-ttl",
      "Longest time to live a group may get (Ferry-TTL, job rules and the default are capped to "
      "it). 0s: no cap.",
      "0s", false,
      [](Options& o, const std::string& v) { o.lifecycle.max_ttl = parseTtl(v).count(); },
      [](const Options& o) {
        return formatGoDuration(std::chrono::nanoseconds(o.lifecycle.max_ttl));
      }));
  t.push_back(valueFlag(
      "web.max-connections",
      "Open connections at most; 0: as many as the open-file limit allows (Ferry raises its "
      "soft limit to the hard limit at start). When full, the longest-idle keep-alive "
      "connection is closed for a new one. Idle and slow connections hold no thread.",
      "0", false,
      [](Options& o, const std::string& v) { o.max_connections = parseMaxConnections(v); },
      [](const Options& o) { return std::to_string(o.max_connections); }));
  t.push_back(valueFlag(
      "web.handler-threads",
      "Threads that run request handlers (pushes, scrapes, the API): the most requests handled "
      "at once. Further requests wait for a thread without holding one.",
      "64", false,
      [](Options& o, const std::string& v) { o.handler_threads = parseHandlerThreads(v); },
      [](const Options& o) { return std::to_string(o.handler_threads); }));
  t.push_back(valueFlag(
      "web.keep-alive-timeout",
      "How long an idle keep-alive connection is kept open (whole seconds, Go duration syntax).",
      "15s", false,
      [](Options& o, const std::string& v) { o.keep_alive_timeout = keepAliveTimeout(v); },
      [](const Options& o) { return formatGoDuration(o.keep_alive_timeout); }));
  t.push_back(valueFlag(
      "web.read-header-timeout",
      "Longest time to receive a request line and its header fields, from their first byte (or "
      "from the connection's start); then 408 and the connection is closed.",
      "30s", false,
      [](Options& o, const std::string& v) { o.read_header_timeout = positiveDuration(v); },
      [](const Options& o) { return formatGoDuration(o.read_header_timeout); }));
  t.push_back(valueFlag(
      "web.read-body-timeout",
      "Longest time to receive a request body, plus one second for every "
      "--web.read-body-min-rate bytes received; then 408 and the connection is closed.",
      "30s", false,
      [](Options& o, const std::string& v) { o.read_body_timeout = positiveDuration(v); },
      [](const Options& o) { return formatGoDuration(o.read_body_timeout); }));
  t.push_back(valueFlag(
      "web.read-body-min-rate",
      "Bytes per second of body that extend --web.read-body-timeout: a body arriving slower "
      "than this on average is cut off.",
      "8192", false,
      [](Options& o, const std::string& v) { o.read_body_min_rate = positiveByteCount(v); },
      [](const Options& o) { return std::to_string(o.read_body_min_rate); }));
  t.push_back(valueFlag(
      "web.write-timeout",
      "An answer the client takes none of for this long is dropped with its connection.", "1m",
      false, [](Options& o, const std::string& v) { o.write_timeout = positiveDuration(v); },
      [](const Options& o) { return formatGoDuration(o.write_timeout); }));
  t.push_back(valueFlag(
      "web.tls-handshake-timeout",
      "Longest time for the TLS handshake of a connection (with --web.config.file).", "10s", false,
      [](Options& o, const std::string& v) { o.tls_handshake_timeout = positiveDuration(v); },
      [](const Options& o) { return formatGoDuration(o.tls_handshake_timeout); }));
  t.push_back(valueFlag(
      "web.max-header-bytes",
      "Largest request line plus header fields, in bytes (Go's MaxHeaderBytes, with the same "
      "4096 bytes of slack); larger requests get 431.",
      "1048576", false,
      [](Options& o, const std::string& v) { o.max_header_bytes = positiveByteCount(v); },
      [](const Options& o) { return std::to_string(o.max_header_bytes); }));

  t.push_back(actionFlag("version", "Show application version.", FlagAction::kVersion, false, 0));
  return t;
}

}  // namespace

const std::vector<FlagSpec>& flagTable() {
  static const std::vector<FlagSpec> kTable = buildTable();
  return kTable;
}

const FlagSpec* findLongFlag(std::string_view name) {
  for (const auto& spec : flagTable()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const FlagSpec* findShortFlag(char name) {
  for (const auto& spec : flagTable()) {
    if (spec.short_name != 0 && spec.short_name == name) return &spec;
  }
  return nullptr;
}

}  // namespace ferry::core::config::detail
