#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/http/route_tree.h"

namespace ferry::core::http {

// What a request is for, once routed. Push and delete share a route: the handler looks at the
// method (PUT/POST push, DELETE deletes).
enum class RouteId {
  kPush,         // PUT/POST/DELETE P/metrics/job/:job[/*labels]
  kPushBase64,   // PUT/POST/DELETE P/metrics/job@base64/:job[/*labels]
  kTelemetry,    // GET path.Join(P, telemetry_path)
  kHealthy,      // GET P/-/healthy
  kReady,        // GET P/-/ready
  kQuit,         // PUT/POST P/-/quit (200 + shutdown, or 403 when lifecycle is disabled)
  kQuitRootGet,  // GET /-/quit, always at the root: 405 "Only POST or PUT requests allowed."
  kIndex,        // GET P/
  kStatus,       // GET P/status
  kStatic,       // GET P/static/*filepath
  kApiStatus,    // GET P/api/v1/status
  kApiMetrics,   // GET P/api/v1/metrics
  kApiWipe,      // PUT P/api/v1/admin/wipe (only with enable_admin_api)
  kApiOptions,   // OPTIONS P/api/v1/*path (200 + CORS headers)
  kApiGroups,    // GET P/api/v1/groups (Ferry's group API); DELETE: selector delete (only
                 // with enable_selector_delete)
  kApiGroup,     // GET P/api/v1/groups/:id
  kApiRights,    // GET P/api/v1/rights (Ferry: what the caller may do, for the web UI)
  kApiRuntime,   // GET P/api/v1/runtime (Ferry: build, plugins, storage health, store figures)
};

struct RouterOptions {
  std::string route_prefix;  // "" or "/x" without a trailing slash: see config::routePrefix()
  std::string telemetry_path = "/metrics";  // --web.telemetry-path, joined to the prefix
  bool enable_admin_api = false;
  // DELETE P/api/v1/groups?match[]= (--web.enable-admin-api or "auth"); without it that
  // request gets 405 (the path serves GET).
  bool enable_selector_delete = false;
};

struct RouteMatch {
  enum class Kind {
    kHandler,           // run the handler for `route`
    kRedirect,          // `status` 301/307 with `location` (see below for the body)
    kMethodNotAllowed,  // 405 "Method Not Allowed\n" with `allow`
    kOptions,           // 200, empty body, `allow`
    kNotFound,          // 404 "404 page not found\n"
    kBadRequest,        // 400: the request target is malformed (see Router::match)
  };
  Kind kind = Kind::kNotFound;
  RouteId route{};        // kHandler only
  int status = 0;         // 301/307, 405, 200 (kOptions), 404, 400; 0 for kHandler
  std::string location;   // kRedirect: complete Location value, escaped, with "?query" if any
  std::string allow;      // kMethodNotAllowed / kOptions, e.g. "DELETE, OPTIONS, POST, PUT"
  std::string job;        // kPush/kPushBase64: the job segment, percent-decoded
  std::string labels;     // kPush/kPushBase64: the rest after the job segment ("" or "/...")
  std::string path_rest;  // kStatic: the file path ("/x.js"); kApiGroup: the id; kApiOptions: the
                          // path after "P/api/v1" ("/whatever")
  // True when Pushgateway's main router (not ServeMux or the API router) answered. Only then
  // does Pushgateway run its Content-Encoding request-body decoder first, so a bad gzip body
  // turns even a 404/405/redirect from the main router into 400 with the gzip error.
  bool main_router = false;
};

// Pushgateway 1.5.1's routing, independent of the HTTP library: Go's http.ServeMux in front
// (path cleaning, "P/api/v1" -> "P/api/v1/"), httprouter for the main routes and a second
// httprouter under P/api/v1 (including its Location bug for trailing slashes: "GET
// /api/v1/status/" -> 301 "/status"). Ferry has no Go profiler, so P/debug/pprof/* is not
// routed (404) where Pushgateway serves pprof. Immutable after construction; match() is safe
// to call from many threads.
class Router {
 public:
  // Throws std::invalid_argument when the prefix is not normalized or the routes cannot be
  // built (Pushgateway panics at start-up in the same cases, e.g. a telemetry path equal to
  // another route, or one that is relative while the prefix is empty).
  explicit Router(RouterOptions options);

  // `raw_path` is the request-target path as sent (percent-encoded, without the query);
  // `raw_query` is what followed the first '?' (nullopt if there was no '?'), which redirects
  // carry over as Go does. Redirect responses: for GET Go also sends Content-Type
  // "text/html; charset=utf-8" and the body `<a href="LOCATION">Moved Permanently</a>.\n\n`
  // (LOCATION HTML-escaped; "Temporary Redirect" for 307), for HEAD the Content-Type only.
  //
  // kBadRequest is returned where Go's HTTP server rejects the request line before any
  // routing (it then answers "400 Bad Request" as body with Connection: close): a path that
  // is empty or does not start with '/', a control byte (< 0x20, 0x7F) in path or query, or a
  // '%' not followed by two hex digits. The target "*" gives kOptions (200, empty Allow) for
  // OPTIONS and kBadRequest otherwise.
  RouteMatch match(std::string_view method, std::string_view raw_path,
                   std::optional<std::string_view> raw_query = std::nullopt) const;

  const RouterOptions& options() const { return options_; }
  // path.Join(route_prefix, telemetry_path), where GET scrapes are served.
  const std::string& telemetryRoute() const { return telemetry_route_; }

 private:
  struct MethodTree {
    std::string method;
    RouteTree tree;
  };

  static void add(std::vector<MethodTree>& trees, std::string_view method, std::string_view pattern,
                  RouteId id);
  RouteMatch dispatch(const std::vector<MethodTree>& trees, std::string_view method,
                      std::string_view path, std::string_view raw_path_field,
                      std::optional<std::string_view> raw_query, bool main_router) const;

  RouterOptions options_;
  std::string telemetry_route_;
  std::string api_prefix_;       // P + "/api/v1": stripped before the API router sees the path
  std::string api_mux_pattern_;  // P + "/api/v1/": the ServeMux pattern of the API router
  std::vector<MethodTree> main_trees_;
  std::vector<MethodTree> api_trees_;
};

}  // namespace ferry::core::http
