// Ferry's JSON config file (core/config: applyConfigJson, including the "auth" section), read
// at start and by --check-config.
// Invariants:
//  - a bad file throws ConfigError naming the file, and nothing else escapes;
//  - a refused file leaves the options exactly as they were (applyConfigJson's promise);
//  - applying an accepted file is idempotent: applying it again changes nothing.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/config/config_file.h"
#include "core/config/options.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using ferry::core::config::Options;

std::string refs(const std::vector<Options::PluginRef>& list) {
  std::string out;
  for (const auto& ref : list) out += ref.plugin + ":" + ref.config.dump() + ";";
  return out;
}

// Every setting a config file can reach, as text.
std::string fingerprint(const Options& o) {
  std::string out;
  for (const auto& a : o.listen_addresses) out += a + ",";
  out += "|" + o.web_config_file + "|" + o.telemetry_path + "|" + o.external_url + "|" +
         o.route_prefix + "|" + std::to_string(o.enable_lifecycle) +
         std::to_string(o.enable_admin_api) + "|" + o.persistence_file + "|" +
         std::to_string(o.persistence_interval.count()) + "|" +
         std::to_string(o.disable_consistency_check) + std::to_string(o.enable_utf8_names) + "|" +
         o.log_level + "|" + o.log_format + "|";
  for (const auto& dir : o.plugin_dirs) out += dir + ",";
  out += "|" + std::to_string(o.max_body_bytes) + "|" + std::to_string(o.handler_threads) + "|" +
         std::to_string(o.keep_alive_timeout.count()) + "|" + refs(o.inputs) + "|" +
         refs({o.storage}) + "|" + std::to_string(o.systemd_socket) + "|";
  const auto& auth = o.auth;
  out += std::to_string(auth.configured) + refs(auth.plugins) +
         std::to_string(auth.protect_health) + std::to_string(auth.failure_delay.count()) + "," +
         std::to_string(auth.failure_delay_max.count()) + "," +
         std::to_string(auth.failure_max_addresses) + "|";
  for (const auto& [identity, kinds] : auth.rights) {
    out += identity + "{";
    for (const auto& [kind, jobs] : kinds) {
      out += kind + "[";
      for (const auto& job : jobs) out += job + ",";
      out += "]";
    }
    out += "}";
  }
  for (const auto& [flag, value] : o.explicitly_set) out += flag + "=" + value + ";";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ferry::core::config::applyConfigJson;
  using ferry::core::config::ConfigError;
  const std::string_view text = ferry::fuzz::asView(data, size);
  static const std::string kDefaults = fingerprint(Options{});

  Options options;
  try {
    applyConfigJson(text, "fuzz.json", options);
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    FUZZ_CHECK(message.rfind("fuzz.json", 0) == 0, message);
    FUZZ_CHECK(fingerprint(options) == kDefaults, "a refused file changed the options: " + message);
    return 0;
  }
  const std::string once = fingerprint(options);
  try {
    applyConfigJson(text, "fuzz.json", options);
  } catch (const ConfigError& e) {
    FUZZ_CHECK(false, std::string("an accepted file was refused the second time: ") + e.what());
  }
  FUZZ_CHECK(fingerprint(options) == once, "applying a file twice differs from once");
  return 0;
}
