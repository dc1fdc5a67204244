#include "core/auth/rights.h"

#include <stdexcept>

#include "core/model/job_glob.h"

namespace ferry::core::auth {
namespace {

constexpr const char* kNames[kRouteKindCount] = {"push",  "delete",    "scrape", "api_read",
                                                 "admin", "lifecycle", "health"};

}  // namespace

const char* routeKindName(RouteKind kind) { return kNames[static_cast<size_t>(kind)]; }

std::optional<RouteKind> parseRouteKind(std::string_view name) {
  for (size_t i = 0; i < kRouteKindCount; ++i) {
    if (name == kNames[i]) return static_cast<RouteKind>(i);
  }
  return std::nullopt;
}

Rights::Rights(const Table& table) {
  for (const auto& [identity, kinds] : table) {
    Grants grants;
    for (const auto& [name, patterns] : kinds) {
      auto kind = parseRouteKind(name);
      if (!kind) throw std::invalid_argument("unknown route kind \"" + name + "\"");
      grants[static_cast<size_t>(*kind)] = patterns;
    }
    grants_.emplace(identity, std::move(grants));
  }
}

const std::vector<std::string>& Rights::patterns(std::string_view identity, RouteKind kind) const {
  static const std::vector<std::string> kNone;
  auto found = grants_.find(identity);
  return found == grants_.end() ? kNone : found->second[static_cast<size_t>(kind)];
}

bool Rights::allows(std::string_view identity, RouteKind kind, std::string_view job) const {
  auto found = grants_.find(identity);
  if (found == grants_.end()) return false;
  const auto& patterns = found->second[static_cast<size_t>(kind)];
  if (kind != RouteKind::kPush && kind != RouteKind::kDelete) return !patterns.empty();
  for (const auto& pattern : patterns) {
    if (model::globMatch(pattern, job)) return true;
  }
  return false;
}

}  // namespace ferry::core::auth
