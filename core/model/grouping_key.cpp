#include "core/model/grouping_key.h"

#include <cstddef>
#include <ferry/support/go_quote.hpp>
#include <ferry/support/names.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "core/model/base64.h"

namespace ferry::core::model {
namespace {

GroupingKeyResult failure(std::string error) {
  GroupingKeyResult result;
  result.error = std::move(error);
  return result;
}

std::vector<std::string_view> splitOnSlash(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t slash = s.find('/', start);
    if (slash == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Pushgateway's splitLabels().
std::optional<std::string> splitLabels(std::string_view labels_string, LabelMap& out) {
  if (labels_string.size() <= 1) return std::nullopt;
  const std::vector<std::string_view> components = splitOnSlash(labels_string.substr(1));
  if (components.size() % 2 != 0) {
    return "odd number of components in label string " + support::goQuote(labels_string);
  }
  for (size_t i = 0; i + 1 < components.size(); i += 2) {
    std::string_view name = components[i];
    const std::string_view value = components[i + 1];
    const bool is_base64 = endsWith(name, kBase64Suffix);
    if (is_base64) name.remove_suffix(kBase64Suffix.size());
    if (!support::isValidLabelName(name) ||
        name.substr(0, support::kReservedLabelPrefix.size()) == support::kReservedLabelPrefix) {
      return "improper label name " + support::goQuote(name);
    }
    if (!is_base64) {
      out[std::string(name)] = std::string(value);
      continue;
    }
    size_t bad_index = 0;
    std::optional<std::string> decoded = decodeBase64Url(value, &bad_index);
    if (!decoded) {
      return "invalid base64 encoding for label " + std::string(name) + "=" +
             support::goQuote(value) + ": " + base64ErrorText(bad_index);
    }
    out[std::string(name)] = std::move(*decoded);
  }
  return std::nullopt;
}

}  // namespace

GroupingKeyResult parseGroupingKey(std::string_view job_segment, bool job_is_base64,
                                   std::string_view labels_string) {
  std::string job;
  if (job_is_base64) {
    size_t bad_index = 0;
    std::optional<std::string> decoded = decodeBase64Url(job_segment, &bad_index);
    if (!decoded) {
      return failure("invalid base64 encoding in job name " + support::goQuote(job_segment) + ": " +
                     base64ErrorText(bad_index));
    }
    job = std::move(*decoded);
  } else {
    job = std::string(job_segment);
  }

  GroupingKeyResult result;
  if (std::optional<std::string> error = splitLabels(labels_string, result.labels)) {
    return failure(std::move(*error));
  }
  if (job.empty()) return failure("job name is required");
  result.labels["job"] = std::move(job);
  result.ok = true;
  return result;
}

std::string groupingKeyString(const LabelMap& labels) {
  // std::map<std::string, ...> already iterates in bytewise (unsigned char) order, which is the
  // order Go's sort.Strings gives.
  std::string key;
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) key.push_back(kSeparatorByte);
    first = false;
    key += name;
    key.push_back(kSeparatorByte);
    key += value;
  }
  return key;
}

std::string_view jobOf(const LabelMap& labels) {
  auto job = labels.find("job");
  return job == labels.end() ? std::string_view() : std::string_view(job->second);
}

}  // namespace ferry::core::model
