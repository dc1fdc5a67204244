#include "core/config/auth_config.h"

#include <set>

#include "core/config/go_duration.h"

namespace ferry::core::config::detail {
namespace {

// Above this a failed login would hold an HTTP thread for too long: the delay exists to slow a
// guesser down, not to let one tie up the server.
constexpr std::chrono::milliseconds kMaxFailureDelay{10000};

bool knownKind(const std::string& kind) {
  for (const char* k : kAuthRouteKinds) {
    if (kind == k) return true;
  }
  return false;
}

std::string kindList() {
  std::string out;
  for (const char* k : kAuthRouteKinds) out += std::string(out.empty() ? "" : ", ") + k;
  return out;
}

std::map<std::string, std::vector<std::string>> grants(const Reader& r, const json& v,
                                                       const std::string& path) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [kind, value] : r.object(v, path)) {
    std::string kind_path = path + "." + kind;
    if (!knownKind(kind)) r.fail(kind_path, "unknown route kind; known: " + kindList());
    if (value.is_boolean()) {
      if (value.get<bool>()) out[kind] = {"*"};
      continue;
    }
    if (!value.is_array()) r.wrongType(kind_path, value, "true, false or an array of job patterns");
    if (kind != "push" && kind != "delete") {
      r.fail(kind_path, "job patterns only apply to \"push\" and \"delete\"; use true");
    }
    std::vector<std::string> patterns;
    for (size_t i = 0; i < value.size(); ++i) {
      const std::string& pattern = r.string(value[i], kind_path + "[" + std::to_string(i) + "]");
      if (pattern.empty()) r.fail(kind_path + "[" + std::to_string(i) + "]", "empty job pattern");
      patterns.push_back(pattern);
    }
    if (!patterns.empty()) out[kind] = std::move(patterns);
  }
  return out;
}

std::chrono::milliseconds delay(const Reader& r, const json& v, const std::string& path) {
  const std::string& text = r.string(v, path);
  std::chrono::nanoseconds d;
  try {
    d = parseGoDuration(text);
  } catch (const ConfigError& e) {
    r.fail(path, e.what());
  }
  if (d.count() < 0) r.fail(path, "must not be negative");
  if (d > kMaxFailureDelay) r.fail(path, "at most 10s: a longer delay only ties up HTTP threads");
  return std::chrono::duration_cast<std::chrono::milliseconds>(d);
}

void applyFailureDelay(const Reader& r, const json& v, Options::AuthOptions& a) {
  for (const auto& [key, value] : r.object(v, "auth.failure_delay")) {
    std::string path = "auth.failure_delay." + key;
    if (key == "initial") {
      a.failure_delay = delay(r, value, path);
    } else if (key == "max") {
      a.failure_delay_max = delay(r, value, path);
    } else if (key == "max_addresses") {
      unsigned long long n = r.unsignedInt(value, path);
      if (n < 1 || n > 1000000) r.fail(path, "between 1 and 1000000");
      a.failure_max_addresses = static_cast<size_t>(n);
    } else {
      r.unknownKey(path);
    }
  }
  if (a.failure_delay > a.failure_delay_max) {
    r.fail("auth.failure_delay.initial", "greater than auth.failure_delay.max");
  }
}

}  // namespace

void applyAuth(const Reader& r, const json& v, Options& o) {
  Options::AuthOptions a;
  a.configured = true;
  for (const auto& [key, value] : r.object(v, "auth")) {
    std::string path = "auth." + key;
    if (key == "plugins") {
      if (!value.is_array()) r.wrongType(path, value, "an array");
      for (size_t i = 0; i < value.size(); ++i) {
        a.plugins.push_back(pluginRef(r, value[i], path + "[" + std::to_string(i) + "]"));
      }
    } else if (key == "rights") {
      for (const auto& [identity, grant] : r.object(value, path)) {
        if (identity.empty()) r.fail(path, "an identity is empty");
        a.rights[identity] = grants(r, grant, path + "." + identity);
      }
    } else if (key == "protect_health") {
      a.protect_health = r.boolean(value, path);
    } else if (key == "failure_delay") {
      applyFailureDelay(r, value, a);
    } else {
      r.unknownKey(path);
    }
  }
  o.auth = std::move(a);
}

}  // namespace ferry::core::config::detail
