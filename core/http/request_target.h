#pragma once

#include <optional>
#include <string_view>

namespace ferry::core::http {

// The path and query of a request-target, as Go's url.ParseRequestURI splits them: the query
// is what follows the first '?'; a '#' is part of the path (a request carries no fragment);
// the absolute form ("http://host/p") keeps only the path after the authority ("/" if none).
struct TargetParts {
  std::string_view path;
  std::optional<std::string_view> query;
};
TargetParts splitTarget(std::string_view target);

}  // namespace ferry::core::http
