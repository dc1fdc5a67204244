#include "core/store/push_limits.h"

#include <ferry/support/go_quote.hpp>

namespace ferry::core::store {
namespace {

uint64_t limitOf(const model::LimitValues& limits, model::Limit limit) {
  return limits[static_cast<size_t>(limit)];
}

// A label name or value in a message: quoted, and cut so that a huge one stays readable.
std::string quotedPrefix(const std::string& text) {
  constexpr size_t kShown = 64;
  if (text.size() <= kShown) return support::goQuote(text);
  return support::goQuote(text.substr(0, kShown)) + "...";
}

}  // namespace

std::string describeBreach(const LimitBreach& breach) {
  return std::string("limit ") + model::limitName(breach.limit) + " is " +
         std::to_string(breach.value) + ": " + breach.reached;
}

std::optional<LimitBreach> checkPushLimits(
    const std::vector<io::prometheus::client::MetricFamily*>& families,
    const model::LimitValues& limits) {
  using model::Limit;
  const uint64_t max_series = limitOf(limits, Limit::kMaxSeriesPerPush);
  const uint64_t max_labels = limitOf(limits, Limit::kMaxLabelsPerSeries);
  const uint64_t max_name = limitOf(limits, Limit::kMaxLabelNameLength);
  const uint64_t max_value = limitOf(limits, Limit::kMaxLabelValueLength);
  uint64_t series = 0;
  for (const auto* family : families) series += static_cast<uint64_t>(family->metric_size());
  if (max_series > 0 && series > max_series) {
    return LimitBreach{Limit::kMaxSeriesPerPush, max_series,
                       "the push has " + std::to_string(series) + " series"};
  }
  if (max_labels == 0 && max_name == 0 && max_value == 0) return std::nullopt;
  for (const auto* family : families) {
    for (const auto& metric : family->metric()) {
      const auto labels = static_cast<uint64_t>(metric.label_size());
      if (max_labels > 0 && labels > max_labels) {
        return LimitBreach{
            Limit::kMaxLabelsPerSeries, max_labels,
            "a series of " + family->name() + " has " + std::to_string(labels) + " labels"};
      }
      for (const auto& label : metric.label()) {
        if (max_name > 0 && label.name().size() > max_name) {
          return LimitBreach{Limit::kMaxLabelNameLength, max_name,
                             "label name " + quotedPrefix(label.name()) + " is " +
                                 std::to_string(label.name().size()) + " bytes long"};
        }
        if (max_value > 0 && label.value().size() > max_value) {
          return LimitBreach{Limit::kMaxLabelValueLength, max_value,
                             "the value of label " + quotedPrefix(label.name()) + " is " +
                                 std::to_string(label.value().size()) + " bytes long"};
        }
      }
    }
  }
  return std::nullopt;
}

std::optional<LimitBreach> checkCount(const model::LimitValues& limits, model::Limit limit,
                                      int64_t before, int64_t reached, std::string_view what) {
  const uint64_t value = limitOf(limits, limit);
  if (value == 0 || reached <= before || reached <= static_cast<int64_t>(value)) {
    return std::nullopt;
  }
  std::string text(what);
  const size_t at = text.find("%d");
  if (at != std::string::npos) text.replace(at, 2, std::to_string(reached));
  return LimitBreach{limit, value, std::move(text)};
}

}  // namespace ferry::core::store
