#include "core/config/config_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <utility>
#include <vector>

#include "core/config/auth_config.h"
#include "core/config/config_reader.h"
#include "core/config/lifecycle_config.h"
#include "core/config/option_values.h"

namespace ferry::core::config {
namespace {

using detail::describe;
using detail::pluginRef;
using detail::Reader;
using nlohmann::json;

constexpr std::uintmax_t kMaxConfigBytes = 16u << 20;  // far beyond any sane config
// Copying and comparing nlohmann values recurses; a bound keeps a hostile file from exhausting
// the stack, and no config needs a tenth of it.
constexpr size_t kMaxDepth = 100;

using detail::joinPath;

// Rejects duplicate keys while parsing (nlohmann would silently keep the last one), naming the
// key's full path, and nesting beyond kMaxDepth.
class StructureCheck {
 public:
  explicit StructureCheck(const std::string& source) : source_(source) {}

  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (stack_.size() >= kMaxDepth) {
          throw ConfigError(source_ + ": \"" + childPath() + "\": nested deeper than " +
                            std::to_string(kMaxDepth) + " levels");
        }
        stack_.push_back({event == json::parse_event_t::object_start, childPath(), {}, {}, 0});
        break;
      case json::parse_event_t::key: {
        Frame& frame = stack_.back();
        frame.key = parsed.get<std::string>();
        if (!frame.keys.insert(frame.key).second) {
          throw ConfigError(source_ + ": duplicate key \"" + childPath() + "\"");
        }
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        stack_.pop_back();
        elementDone();
        break;
      case json::parse_event_t::value:
        elementDone();
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool is_object;
    std::string path;
    std::set<std::string> keys;
    std::string key;  // the key whose value is being parsed (objects)
    size_t index;     // the element being parsed (arrays)
  };

  std::string childPath() const {
    if (stack_.empty()) return "";
    const Frame& f = stack_.back();
    if (f.is_object) return joinPath(f.path, f.key);
    return f.path + "[" + std::to_string(f.index) + "]";
  }

  void elementDone() {
    if (!stack_.empty() && !stack_.back().is_object) ++stack_.back().index;
  }

  const std::string& source_;
  std::vector<Frame> stack_;
};

// "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..." becomes
// "<source>:3:5: syntax error ...", the form editors and humans both read.
std::string syntaxError(const std::string& source, const json::parse_error& e) {
  std::string what = e.what();
  size_t line_at = what.find("at line ");
  size_t column_at = what.find(", column ", line_at == std::string::npos ? 0 : line_at);
  size_t text_at = what.find(": ", column_at == std::string::npos ? 0 : column_at);
  if (line_at == std::string::npos || column_at == std::string::npos ||
      text_at == std::string::npos) {
    return source + ": byte " + std::to_string(e.byte) + ": " + what;
  }
  std::string line = what.substr(line_at + 8, column_at - line_at - 8);
  std::string column = what.substr(column_at + 9, text_at - column_at - 9);
  return source + ":" + line + ":" + column + ": " + what.substr(text_at + 2);
}

void applyListen(const Reader& r, const json& v, Options& o) {
  o.listen_addresses = r.strings(v, "listen");
  if (o.listen_addresses.empty()) r.fail("listen", "at least one address is needed");
}

void applyInputs(const Reader& r, const json& v, Options& o) {
  if (!v.is_array()) r.wrongType("inputs", v, "an array");
  if (v.empty()) r.fail("inputs", "at least one input plugin is needed");
  o.inputs.clear();
  std::set<std::string> seen;
  for (size_t i = 0; i < v.size(); ++i) {
    std::string path = "inputs[" + std::to_string(i) + "]";
    o.inputs.push_back(pluginRef(r, v[i], path));
    if (!seen.insert(o.inputs.back().plugin).second) {
      r.fail(path + ".plugin", "input plugin \"" + o.inputs.back().plugin + "\" is listed twice");
    }
  }
}

void applyPush(const Reader& r, const json& v, Options& o) {
  for (const auto& [key, value] : r.object(v, "push")) {
    std::string path = "push." + key;
    if (key == "consistency_check") {
      o.disable_consistency_check = !r.boolean(value, path);
    } else if (key == "max_body_bytes") {
      unsigned long long bytes = r.unsignedInt(value, path);
      if (bytes > std::numeric_limits<size_t>::max()) r.fail(path, "too large");
      o.max_body_bytes = static_cast<size_t>(bytes);
    } else if (key == "enable_utf8_names") {
      o.enable_utf8_names = r.boolean(value, path);
    } else {
      r.unknownKey(path);
    }
  }
}

void applyWeb(const Reader& r, const json& v, Options& o) {
  for (const auto& [key, value] : r.object(v, "web")) {
    std::string path = "web." + key;
    if (key == "telemetry_path") {
      const std::string& text = r.string(value, path);
      o.telemetry_path = r.checked(path, [&] { return detail::checkTelemetryPath(text); });
    } else if (key == "route_prefix") {
      o.route_prefix = r.string(value, path);
    } else if (key == "external_url") {
      const std::string& text = r.string(value, path);
      o.external_url = r.checked(path, [&] { return detail::checkExternalUrl(text); });
    } else if (key == "enable_lifecycle") {
      o.enable_lifecycle = r.boolean(value, path);
    } else if (key == "enable_admin_api") {
      o.enable_admin_api = r.boolean(value, path);
    } else if (key == "max_connections") {
      unsigned long long n = r.unsignedInt(value, path);
      o.max_connections = r.checked(path, [&] { return detail::checkMaxConnections(n); });
    } else if (key == "handler_threads") {
      unsigned long long n = r.unsignedInt(value, path);
      o.handler_threads = r.checked(path, [&] { return detail::checkHandlerThreads(n); });
    } else if (key == "keep_alive_timeout") {
      const std::string& text = r.string(value, path);
      o.keep_alive_timeout = r.checked(path, [&] { return detail::keepAliveTimeout(text); });
    } else if (key == "read_header_timeout" || key == "read_body_timeout" ||
               key == "write_timeout" || key == "tls_handshake_timeout") {
      const std::string& text = r.string(value, path);
      auto d = r.checked(path, [&] { return detail::positiveDuration(text); });
      if (key == "read_header_timeout") o.read_header_timeout = d;
      if (key == "read_body_timeout") o.read_body_timeout = d;
      if (key == "write_timeout") o.write_timeout = d;
      if (key == "tls_handshake_timeout") o.tls_handshake_timeout = d;
    } else if (key == "read_body_min_rate" || key == "max_header_bytes") {
      unsigned long long n = r.unsignedInt(value, path);
      size_t bytes = r.checked(path, [&] { return detail::checkPositiveByteCount(n); });
      (key == "read_body_min_rate" ? o.read_body_min_rate : o.max_header_bytes) = bytes;
    } else {
      r.unknownKey(path);
    }
  }
}

void applyPersistence(const Reader& r, const json& v, Options& o) {
  for (const auto& [key, value] : r.object(v, "persistence")) {
    std::string path = "persistence." + key;
    if (key == "file") {
      o.persistence_file = r.string(value, path);
    } else if (key == "interval") {
      const std::string& text = r.string(value, path);
      o.persistence_interval = r.checked(path, [&] { return detail::persistenceInterval(text); });
    } else {
      r.unknownKey(path);
    }
  }
}

void applyLog(const Reader& r, const json& v, Options& o) {
  for (const auto& [key, value] : r.object(v, "log")) {
    std::string path = "log." + key;
    if (key == "level") {
      const std::string& text = r.string(value, path);
      o.log_level = r.checked(path, [&] { return detail::canonicalLogLevel(text); });
    } else if (key == "format") {
      const std::string& text = r.string(value, path);
      o.log_format = r.checked(path, [&] { return detail::checkLogFormat(text); });
    } else {
      r.unknownKey(path);
    }
  }
}

void applyPlugins(const Reader& r, const json& v, Options& o) {
  for (const auto& [key, value] : r.object(v, "plugins")) {
    if (key == "dir") {
      o.plugin_dirs = r.strings(value, "plugins.dir");
      for (const auto& dir : o.plugin_dirs) {
        if (dir.empty()) r.fail("plugins.dir", "a folder is empty");
      }
    } else {
      r.unknownKey("plugins." + key);
    }
  }
}

}  // namespace

void applyConfigJson(std::string_view json_text, const std::string& source_name, Options& options) {
  json root;
  try {
    StructureCheck check(source_name);
    root = json::parse(
        json_text.begin(), json_text.end(),
        [&check](int depth, json::parse_event_t event, json& parsed) {
          return check(depth, event, parsed);
        },
        /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    throw ConfigError(syntaxError(source_name, e));
  } catch (const json::out_of_range& e) {
    // A number too large for a double (1e999): nlohmann reports it as out_of_range, not as a
    // parse error.
    throw ConfigError(source_name + ": " + e.what());
  }
  if (!root.is_object()) {
    throw ConfigError(source_name + ": the top level must be an object, got " + describe(root));
  }

  const Reader r(source_name);
  Options result = options;  // options change only if the whole file is valid
  for (const auto& [key, value] : root.items()) {
    if (key == "listen") {
      applyListen(r, value, result);
    } else if (key == "plugins") {
      applyPlugins(r, value, result);
    } else if (key == "inputs") {
      applyInputs(r, value, result);
    } else if (key == "storage") {
      result.storage = pluginRef(r, value, "storage");
    } else if (key == "push") {
      applyPush(r, value, result);
    } else if (key == "web") {
      applyWeb(r, value, result);
    } else if (key == "persistence") {
      applyPersistence(r, value, result);
    } else if (key == "log") {
      applyLog(r, value, result);
    } else if (key == "auth") {
      detail::applyAuth(r, value, result);
    } else if (key == "lifecycle") {
      detail::applyLifecycle(r, value, result);
    } else if (key == "limits") {
      detail::applyLimits(r, value, result);
    } else {
      r.unknownKey(key);
    }
  }
  options = std::move(result);
}

void applyConfigFile(const std::string& path, Options& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ConfigError(path + ": cannot read the config file: it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError(path + ": cannot read the config file: " + std::strerror(errno));
  }
  std::string text;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) {
      throw ConfigError(path + ": the config file is larger than 16 MiB");
    }
  }
  if (in.bad()) throw ConfigError(path + ": cannot read the config file: " + std::strerror(errno));
  applyConfigJson(text, path, options);
}

}  // namespace ferry::core::config
