#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::model {

// The limits of "limits" in the config (docs/configuration.md). 0 means unlimited.
enum class Limit {
  kMaxSeriesPerPush,
  kMaxSeriesPerGroup,
  kMaxGroups,
  kMaxGroupsPerJob,
  kMaxSeries,
  kMaxLabelNameLength,
  kMaxLabelValueLength,
  kMaxLabelsPerSeries,
};
inline constexpr size_t kLimitCount = 8;

// "max_series_per_push", ...: the config key, the name in messages and in telemetry.
const char* limitName(Limit limit);
// For the limits of the whole store (max_groups, max_series) a per-job value makes no sense.
bool limitPerJob(Limit limit);
// The HTTP status of a push refused by this limit: 413 for limits of the push and its group
// (the push is too large), 507 for the store's (the store is full).
int limitStatus(Limit limit);

using LimitValues = std::array<uint64_t, kLimitCount>;

// Everything about a group's lifecycle that the config decides, in one place for every storage
// backend: the TTL a push gets, what happens at the deadline, and the limits.
struct LifecyclePolicy {
  // TTLs in nanoseconds; 0 means no TTL (never expires).
  int64_t default_ttl = 0;
  int64_t min_ttl = 1000000000;  // 1s
  int64_t max_ttl = 0;           // 0: no cap
  struct JobTtl {
    std::string match;  // job glob, as the auth rights: '*' and '?'
    int64_t ttl = 0;
  };
  std::vector<JobTtl> job_ttls;  // first match wins
  bool hide_expired = false;     // "expired": "hide" instead of "delete"

  LimitValues limits{};  // all 0: unlimited
  struct JobLimits {
    std::string match;
    std::array<std::optional<uint64_t>, kLimitCount> values;  // only per-job limits
  };
  std::vector<JobLimits> job_limits;  // first match wins

  // The TTL of a push to `job`: the requested one (Ferry-TTL) or the job's or the default,
  // clamped into [min_ttl, max_ttl]. A TTL of 0 (never) stays 0 unless max_ttl caps it.
  int64_t ttlFor(std::string_view job, std::optional<int64_t> requested) const;
  // The limits that apply to a push to `job`.
  LimitValues limitsFor(std::string_view job) const;
  bool hasLimits() const;
};

// The value of a Ferry-TTL request header: a Go duration, not negative ("0s": never expire,
// if the policy allows it). `error` names the header and the value when it does not parse.
struct RequestedTtl {
  bool ok = true;
  std::optional<int64_t> ttl_nanos;  // nullopt: no header
  std::string error;
};
RequestedTtl parseRequestedTtl(const std::optional<std::string>& header);

}  // namespace ferry::core::model
