#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::auth {

// What a request does, as the rights table names it ("auth.rights" in the config).
enum class RouteKind { kPush, kDelete, kScrape, kApiRead, kAdmin, kLifecycle, kHealth };
constexpr size_t kRouteKindCount = 7;

// "push", "delete", "scrape", "api_read", "admin", "lifecycle", "health".
const char* routeKindName(RouteKind kind);
std::optional<RouteKind> parseRouteKind(std::string_view name);

// Identity -> route kinds -> job patterns. Immutable after construction; thread-safe reads.
// The identity "anonymous" holds what a request without credentials may do.
class Rights {
 public:
  using Table = std::map<std::string, std::map<std::string, std::vector<std::string>>>;
  // Throws std::invalid_argument for a route kind it does not know.
  explicit Rights(const Table& table);

  // True when `identity` may do `kind`; for push and delete, on this job (other kinds ignore
  // `job`). An identity not in the table may do nothing.
  bool allows(std::string_view identity, RouteKind kind, std::string_view job = {}) const;

  // The job patterns `identity` holds for `kind` ({"*"} for `true`); empty when it may not.
  const std::vector<std::string>& patterns(std::string_view identity, RouteKind kind) const;

 private:
  using Grants = std::array<std::vector<std::string>, kRouteKindCount>;  // empty: not allowed
  std::map<std::string, Grants, std::less<>> grants_;
};

}  // namespace ferry::core::auth
