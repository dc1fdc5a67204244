#include "core/model/lifecycle_policy.h"

#include <algorithm>
#include <ferry/support/go_duration.hpp>
#include <ferry/support/go_quote.hpp>

#include "core/model/job_glob.h"

namespace ferry::core::model {

const char* limitName(Limit limit) {
  static constexpr const char* kNames[kLimitCount] = {
      "max_series_per_push",    "max_series_per_group", "max_groups",
      "max_groups_per_job",     "max_series",           "max_label_name_length",
      "max_label_value_length", "max_labels_per_series"};
  return kNames[static_cast<size_t>(limit)];
}

bool limitPerJob(Limit limit) { return limit != Limit::kMaxGroups && limit != Limit::kMaxSeries; }

int limitStatus(Limit limit) {
  switch (limit) {
    case Limit::kMaxGroups:
    case Limit::kMaxGroupsPerJob:
    case Limit::kMaxSeries:
      return 507;
    default:
      return 413;
  }
}

int64_t LifecyclePolicy::ttlFor(std::string_view job, std::optional<int64_t> requested) const {
  int64_t ttl = default_ttl;
  if (requested) {
    ttl = *requested;
  } else {
    for (const auto& rule : job_ttls) {
      if (globMatch(rule.match, job)) {
        ttl = rule.ttl;
        break;
      }
    }
  }
  if (ttl <= 0) return max_ttl;  // "never", unless the policy caps every TTL
  ttl = std::max(ttl, min_ttl);
  if (max_ttl > 0) ttl = std::min(ttl, max_ttl);
  return ttl;
}

LimitValues LifecyclePolicy::limitsFor(std::string_view job) const {
  LimitValues values = limits;
  for (const auto& rule : job_limits) {
    if (!globMatch(rule.match, job)) continue;
    for (size_t i = 0; i < kLimitCount; ++i) {
      if (rule.values[i]) values[i] = *rule.values[i];
    }
    break;
  }
  return values;
}

bool LifecyclePolicy::hasLimits() const {
  for (uint64_t v : limits) {
    if (v != 0) return true;
  }
  return !job_limits.empty();
}

RequestedTtl parseRequestedTtl(const std::optional<std::string>& header) {
  RequestedTtl out;
  if (!header) return out;
  try {
    auto ttl = support::parseGoDuration(*header);
    if (ttl.count() < 0) {
      return {false, std::nullopt,
              "invalid Ferry-TTL header " + support::goQuote(*header) + ": negative duration"};
    }
    out.ttl_nanos = ttl.count();
  } catch (const support::GoDurationError& e) {
    return {false, std::nullopt, std::string("invalid Ferry-TTL header: ") + e.what()};
  }
  return out;
}

}  // namespace ferry::core::model
