#include "core/config/lifecycle_config.h"

#include "core/config/go_duration.h"

namespace ferry::core::config::detail {
namespace {

int64_t ttl(const Reader& r, const json& v, const std::string& path) {
  const std::string& text = r.string(v, path);
  return r.checked(path, [&] { return parseTtl(text); }).count();
}

std::string jobPattern(const Reader& r, const json& v, const std::string& path) {
  const std::string& pattern = r.string(v, path);
  if (pattern.empty()) r.fail(path, "empty job pattern");
  return pattern;
}

void applyTtl(const Reader& r, const json& v, model::LifecyclePolicy& p) {
  for (const auto& [key, value] : r.object(v, "lifecycle.ttl")) {
    std::string path = "lifecycle.ttl." + key;
    if (key == "default") {
      p.default_ttl = ttl(r, value, path);
    } else if (key == "min") {
      p.min_ttl = ttl(r, value, path);
    } else if (key == "max") {
      p.max_ttl = ttl(r, value, path);
    } else if (key == "jobs") {
      if (!value.is_array()) r.wrongType(path, value, "an array");
      p.job_ttls.clear();
      for (size_t i = 0; i < value.size(); ++i) {
        std::string rule_path = path + "[" + std::to_string(i) + "]";
        model::LifecyclePolicy::JobTtl rule;
        bool has_match = false, has_ttl = false;
        for (const auto& [rule_key, rule_value] : r.object(value[i], rule_path)) {
          if (rule_key == "match") {
            rule.match = jobPattern(r, rule_value, rule_path + ".match");
            has_match = true;
          } else if (rule_key == "ttl") {
            rule.ttl = ttl(r, rule_value, rule_path + ".ttl");
            has_ttl = true;
          } else {
            r.unknownKey(rule_path + "." + rule_key);
          }
        }
        if (!has_match) r.fail(rule_path, "missing key \"match\"");
        if (!has_ttl) r.fail(rule_path, "missing key \"ttl\"");
        p.job_ttls.push_back(std::move(rule));
      }
    } else {
      r.unknownKey(path);
    }
  }
}

std::optional<model::Limit> limitNamed(const std::string& name) {
  for (size_t i = 0; i < model::kLimitCount; ++i) {
    auto limit = static_cast<model::Limit>(i);
    if (name == model::limitName(limit)) return limit;
  }
  return std::nullopt;
}

uint64_t limitValue(const Reader& r, const json& v, const std::string& path) {
  return r.unsignedInt(v, path);
}

}  // namespace

void applyLifecycle(const Reader& r, const json& v, Options& o) {
  for (const auto& [key, value] : r.object(v, "lifecycle")) {
    std::string path = "lifecycle." + key;
    if (key == "ttl") {
      applyTtl(r, value, o.lifecycle);
    } else if (key == "expired") {
      const std::string& mode = r.string(value, path);
      if (mode != "delete" && mode != "hide") {
        r.fail(path, "expected \"delete\" or \"hide\", got \"" + mode + "\"");
      }
      o.lifecycle.hide_expired = mode == "hide";
    } else {
      r.unknownKey(path);
    }
  }
}

void applyLimits(const Reader& r, const json& v, Options& o) {
  model::LifecyclePolicy& p = o.lifecycle;
  for (const auto& [key, value] : r.object(v, "limits")) {
    std::string path = "limits." + key;
    if (key == "jobs") {
      if (!value.is_array()) r.wrongType(path, value, "an array");
      p.job_limits.clear();
      for (size_t i = 0; i < value.size(); ++i) {
        std::string rule_path = path + "[" + std::to_string(i) + "]";
        model::LifecyclePolicy::JobLimits rule;
        bool has_match = false;
        for (const auto& [rule_key, rule_value] : r.object(value[i], rule_path)) {
          std::string key_path = rule_path + "." + rule_key;
          if (rule_key == "match") {
            rule.match = jobPattern(r, rule_value, key_path);
            has_match = true;
          } else if (auto limit = limitNamed(rule_key)) {
            if (!model::limitPerJob(*limit)) {
              r.fail(key_path, "a limit of the whole store; it cannot differ per job");
            }
            rule.values[static_cast<size_t>(*limit)] = limitValue(r, rule_value, key_path);
          } else {
            r.unknownKey(key_path);
          }
        }
        if (!has_match) r.fail(rule_path, "missing key \"match\"");
        p.job_limits.push_back(std::move(rule));
      }
    } else if (auto limit = limitNamed(key)) {
      p.limits[static_cast<size_t>(*limit)] = limitValue(r, value, path);
    } else {
      r.unknownKey(path);
    }
  }
}

void checkLifecycle(const Options& o) {
  const model::LifecyclePolicy& p = o.lifecycle;
  if (p.max_ttl > 0 && p.min_ttl > p.max_ttl) {
    throw ConfigError("lifecycle: the minimum TTL (" +
                      formatGoDuration(std::chrono::nanoseconds(p.min_ttl)) +
                      ") is larger than the maximum TTL (" +
                      formatGoDuration(std::chrono::nanoseconds(p.max_ttl)) +
                      ", --push.max-ttl or \"lifecycle.ttl.max\")");
  }
}

}  // namespace ferry::core::config::detail
