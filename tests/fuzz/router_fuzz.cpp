// Request routing (core/http: Router, RouteTree and the Go net/url and path helpers).
// Input: "<config>\0<method>\0<raw path>[\0<raw query>]". An empty config uses the default
// routes and the prefix "/pg" with the admin API; otherwise the config is a route prefix, or
// an external URL when it contains "://", and after a space a telemetry path.
// Invariants:
//  - nothing throws, except std::invalid_argument for a configuration Pushgateway refuses;
//  - every answer is well formed: a handler has no status, push routes a non-empty job, a
//    redirect 301/307 and a Location starting with '/', 405 and OPTIONS an Allow list;
//  - a redirect never points at itself (a client would loop);
//  - the path helpers agree with each other: isCleanRequestPath(p) iff cleanRequestPath(p) == p,
//    cleaning is idempotent, and unescapePath undoes escapePath and escapedPath.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/config/external_url.h"
#include "core/config/options.h"
#include "core/http/router.h"
#include "core/http/url_path.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using ferry::core::http::RouteMatch;
using ferry::core::http::Router;
using ferry::core::http::RouterOptions;
using ferry::fuzz::printable;

const Router& defaultRouter() {
  static const Router router{RouterOptions{}};
  return router;
}

const Router& prefixedRouter() {
  static const Router router{RouterOptions{"/pg", "/metrics", true}};
  return router;
}

void checkPathHelpers(std::string_view path) {
  namespace h = ferry::core::http;
  const std::string clean = h::cleanRequestPath(path);
  FUZZ_CHECK(h::isCleanRequestPath(path) == (clean == path), printable(path));
  FUZZ_CHECK(h::cleanRequestPath(clean) == clean, printable(path));
  const std::string cleaned = h::cleanPath(path);
  FUZZ_CHECK(h::cleanPath(cleaned) == cleaned, printable(path));

  const std::string escaped = h::escapePath(path);
  const auto unescaped = h::unescapePath(escaped);
  FUZZ_CHECK(unescaped && *unescaped == path, "escapePath does not round-trip " + printable(path));
  if (const auto decoded = h::unescapePath(path)) {
    const std::string kept = h::escapedPath(*decoded, path);
    const auto back = h::unescapePath(kept);
    FUZZ_CHECK(back && *back == *decoded, "escapedPath changed the meaning of " + printable(path));
    (void)h::rawPathField(path, *decoded);
  }
  try {
    (void)ferry::core::config::externalUrlPath(path);
  } catch (const ferry::core::config::ConfigError&) {
    // Go's url.Parse refuses it too; refusing is an answer, crashing is not.
  }
}

void checkMatch(const Router& router, std::string_view method, std::string_view path,
                std::optional<std::string_view> query) {
  const RouteMatch m = router.match(method, path, query);
  const std::string what = printable(method) + " " + printable(path);
  switch (m.kind) {
    case RouteMatch::Kind::kHandler:
      FUZZ_CHECK(m.status == 0, what);
      if (m.route == ferry::core::http::RouteId::kPush ||
          m.route == ferry::core::http::RouteId::kPushBase64) {
        FUZZ_CHECK(!m.job.empty(), what);
      }
      break;
    case RouteMatch::Kind::kRedirect: {
      FUZZ_CHECK(
          (m.status == 301 || m.status == 307) && !m.location.empty() && m.location[0] == '/',
          what + " -> " + printable(m.location));
      const size_t q = m.location.find('?');
      const std::string_view location(m.location);
      const std::optional<std::string_view> next_query =
          q == std::string::npos ? std::nullopt : std::optional(location.substr(q + 1));
      const RouteMatch next = router.match(method, location.substr(0, q), next_query);
      FUZZ_CHECK(next.kind != RouteMatch::Kind::kRedirect || next.location != m.location,
                 what + " redirects to itself: " + printable(m.location));
      break;
    }
    case RouteMatch::Kind::kMethodNotAllowed:
      FUZZ_CHECK(m.status == 405 && !m.allow.empty(), what);
      break;
    case RouteMatch::Kind::kOptions:
      FUZZ_CHECK(m.status == 200, what);
      break;
    case RouteMatch::Kind::kNotFound:
      FUZZ_CHECK(m.status == 404, what);
      break;
    case RouteMatch::Kind::kBadRequest:
      FUZZ_CHECK(m.status == 400, what);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = ferry::fuzz::asView(data, size);
  const auto fields = ferry::fuzz::splitFields(input, 4);
  size_t separators = 0;
  for (char c : input) separators += c == '\0';
  const std::optional<std::string_view> query =
      separators >= 3 ? std::optional(fields[3]) : std::nullopt;
  const std::string_view method = fields[1];
  const std::string_view path = fields[2];

  checkPathHelpers(path);
  if (fields[0].empty()) {
    checkMatch(defaultRouter(), method, path, query);
    checkMatch(prefixedRouter(), method, path, query);
    return 0;
  }

  const std::string_view config = fields[0];
  const size_t space = config.find(' ');
  const std::string_view where = config.substr(0, space);
  const bool is_url = where.find("://") != std::string_view::npos;
  RouterOptions options;
  if (space != std::string_view::npos)
    options.telemetry_path = std::string(config.substr(space + 1));
  try {
    ferry::core::config::Options flags;
    (is_url ? flags.external_url : flags.route_prefix) = std::string(where);
    options.route_prefix = ferry::core::config::routePrefix(flags);
  } catch (const ferry::core::config::ConfigError&) {
    // A bad URL, or a prefix that is not a clean path: Ferry stops at startup with a message.
    return 0;
  }
  const std::string& prefix = options.route_prefix;
  FUZZ_CHECK(prefix.empty() || (prefix[0] == '/' && prefix.back() != '/'), printable(prefix));
  std::optional<Router> router;
  try {
    router.emplace(std::move(options));
  } catch (const std::invalid_argument&) {
    return 0;  // e.g. a telemetry path that collides with another route, as Pushgateway refuses
  }
  checkMatch(*router, method, path, query);
  return 0;
}
