#include "core/http/routes.h"

#include <exception>

#include "core/http/html_escape.h"
#include "core/telemetry/telemetry.h"
#include "core/util/log.h"

namespace ferry::core::http {

void RouteTable::add(RouteId id, Route route) { add(id, "", std::move(route)); }

void RouteTable::add(RouteId id, std::string_view method, Route route) {
  entries_.push_back({id, std::string(method), std::move(route)});
}

const Route* RouteTable::find(RouteId id, std::string_view method) const {
  const Route* any = nullptr;
  for (const auto& entry : entries_) {
    if (entry.id != id) continue;
    if (entry.method == method) return &entry.route;
    if (entry.method.empty()) any = &entry.route;
  }
  return any;
}

void answerRouterMatch(const RouteMatch& match, std::string_view method, Response& response) {
  switch (match.kind) {
    case RouteMatch::Kind::kRedirect: {
      response.setHeader("Location", match.location);
      if (method != "GET") {
        response.send(match.status);
        return;
      }
      // Go's http.Redirect writes a small HTML body for GET.
      std::string body = "<a href=\"";
      appendHtmlEscaped(body, match.location);
      body +=
          match.status == 301 ? "\">Moved Permanently</a>.\n\n" : "\">Temporary Redirect</a>.\n\n";
      response.send(match.status, std::move(body), "text/html; charset=utf-8");
      return;
    }
    case RouteMatch::Kind::kMethodNotAllowed:
      response.setHeader("Allow", match.allow);
      response.sendError(405, "Method Not Allowed");
      return;
    case RouteMatch::Kind::kOptions:
      response.setHeader("Allow", match.allow);
      response.send(200);
      return;
    case RouteMatch::Kind::kBadRequest:
      // Go's server answers a malformed request target this way and closes the connection.
      response.closeConnection();
      response.send(400, "400 Bad Request", "text/plain; charset=utf-8");
      return;
    case RouteMatch::Kind::kNotFound:
    case RouteMatch::Kind::kHandler:
      break;
  }
  response.sendError(404, "404 page not found");
}

void dispatch(const RouteTable& routes, telemetry::Telemetry& telemetry, const Request& request,
              Response& response) {
  const Route* route = nullptr;
  if (request.match.kind == RouteMatch::Kind::kHandler) {
    route = routes.find(request.match.route, request.method);
  }
  dispatch(route, telemetry, request, response);
}

void dispatch(const Route* route, telemetry::Telemetry& telemetry, const Request& request,
              Response& response) {
  try {
    if (route) {
      route->handler(request, response);
    } else {
      answerRouterMatch(request.match, request.method, response);
    }
  } catch (const std::exception& e) {
    util::logError("error handling request", {{"method", std::string(request.method)},
                                              {"path", std::string(request.target)},
                                              {"err", e.what()}});
  }
  if (!response.sent()) response.sendError(500, "internal server error");
  if (route && route->label)
    telemetry.countRequest(route->label, response.status(), request.method);
}

}  // namespace ferry::core::http
