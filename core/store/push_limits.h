#pragma once

#include <ferry/metrics.pb.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/lifecycle_policy.h"

namespace ferry::core::store {

// A push that would break a limit of "limits" (docs/configuration.md#limits).
struct LimitBreach {
  model::Limit limit;
  uint64_t value;       // the limit
  std::string reached;  // what the push would reach, e.g. "the push has 150 series"
};

// "limit max_series_per_push is 100: the push has 150 series" (the answer's text).
std::string describeBreach(const LimitBreach& breach);

// The limits of the push itself, checked on its sanitized families (grouping labels added):
// series per push, labels per series, label name and value length (in bytes). The first limit
// broken, or nullopt.
std::optional<LimitBreach> checkPushLimits(
    const std::vector<io::prometheus::client::MetricFamily*>& families,
    const model::LimitValues& limits);

// The breach when `reached` goes past limit `limit` of `limits` (0: unlimited) and the push
// would raise the figure from `before` (a store over a limit lowered since may still shrink).
std::optional<LimitBreach> checkCount(const model::LimitValues& limits, model::Limit limit,
                                      int64_t before, int64_t reached, std::string_view what);

}  // namespace ferry::core::store
