#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/auth/rights.h"
#include "core/http/request.h"
#include "core/http/response.h"
#include "core/http/router.h"

namespace ferry::core::telemetry {
class Telemetry;
}

namespace ferry::core::http {

using Handler = std::function<void(const Request&, Response&)>;

// How the server runs one route: the handler and what the front door needs to know before
// calling it. Adding a route: a RouteId and its pattern in the Router, a handler (one file per
// family of verbs, taking only what it uses), and one add() line in builtinRoutes().
struct Route {
  Handler handler;
  // The "handler" label of pushgateway_http_requests_total; nullptr: not counted.
  const char* label = nullptr;
  // The right a request needs when "auth" is configured; nullopt: none (anyone may ask).
  std::optional<auth::RouteKind> right;
  // Cheap and never blocks (no store write, no rendering of the store): the handler may run on
  // the connection's I/O thread instead of a handler thread.
  bool quick = false;
};

// RouteId (and method) -> Route. Immutable once built; safe to read from many threads.
class RouteTable {
 public:
  // The route for `id`, whatever the method.
  void add(RouteId id, Route route);
  // The route for `id` with this method only (wins over the one for every method), e.g.
  // DELETE on the push path.
  void add(RouteId id, std::string_view method, Route route);

  // nullptr when nothing was added for `id`.
  const Route* find(RouteId id, std::string_view method) const;

 private:
  struct Entry {
    RouteId id;
    std::string method;  // "" for every method
    Route route;
  };
  std::vector<Entry> entries_;
};

// Answers a match that is not a handler (redirect, 405, OPTIONS, 404, 400) as Pushgateway's
// routers do.
void answerRouterMatch(const RouteMatch& match, std::string_view method, Response& response);

// Runs the route's handler (or the router's answer) and counts it in the request metrics;
// an exception becomes a 500 and a log line.
void dispatch(const RouteTable& routes, telemetry::Telemetry& telemetry, const Request& request,
              Response& response);
// The same with the route already found (nullptr: the router's answer).
void dispatch(const Route* route, telemetry::Telemetry& telemetry, const Request& request,
              Response& response);

}  // namespace ferry::core::http
