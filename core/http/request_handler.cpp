#include "core/http/request_handler.h"

#include <cctype>
#include <chrono>
#include <cstring>
#include <ferry/support/go_quote.hpp>
#include <ferry/support/utf8.hpp>

#include "core/codec/codec.h"
#include "core/expo/gzip.h"
#include "core/expo/json_api.h"
#include "core/http/auth_request.h"
#include "core/http/html_escape.h"
#include "core/http/ui_api.h"
#include "core/http/ui_handler.h"
#include "core/model/model.h"
#include "core/util/log.h"

namespace ferry::core::http {
namespace {

constexpr char kCorsAllowHeaders[] = "Accept, Authorization, Content-Type, Origin";
constexpr char kCorsAllowMethods[] = "GET, POST, DELETE, OPTIONS";

void setApiHeaders(Exchange& exchange) {
  exchange.setHeader("Access-Control-Allow-Headers", kCorsAllowHeaders);
  exchange.setHeader("Access-Control-Allow-Methods", kCorsAllowMethods);
  exchange.setHeader("Access-Control-Allow-Origin", "*");
  exchange.setHeader("Access-Control-Expose-Headers", "Date");
  exchange.setHeader("Cache-Control", "no-cache, no-store, must-revalidate");
}

const char* handlerLabel(RouteId route, const std::string& method) {
  switch (route) {
    case RouteId::kPush:
    case RouteId::kPushBase64:
      return method == "DELETE" ? "delete" : "push";
    case RouteId::kHealthy:
      return "healthy";
    case RouteId::kReady:
      return "ready";
    case RouteId::kIndex:
    case RouteId::kStatus:
      return "status";
    case RouteId::kStatic:
      return "static";
    case RouteId::kApiStatus:
      return "api/v1/status";
    case RouteId::kApiMetrics:
      return "api/v1/metrics";
    case RouteId::kApiOptions:
      return "api/v1/options";
    case RouteId::kApiRights:
      return "api/v1/rights";
    case RouteId::kApiRuntime:
      return "api/v1/runtime";
    case RouteId::kApiWipe:
      return "wipe";
    default:
      return nullptr;  // scrapes, /-/quit and router answers are not counted
  }
}

// "name=\"value\"" (Go-quoted) of the first grouping label whose value is not UTF-8, or "".
std::string invalidUtf8Label(const model::LabelMap& labels) {
  for (const auto& [name, value] : labels) {
    if (!support::isValidUtf8(value)) return name + "=" + support::goQuote(value);
  }
  return {};
}

// Go's net/textproto refuses a header line that is not "token: value"; Poco would take the
// whole line as a header name.
bool malformedHeaderName(const Poco::Net::HTTPServerRequest& request) {
  for (const auto& [name, value] : request) {
    if (name.empty()) return true;
    for (unsigned char c : name) {
      bool token = std::isalnum(c) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
      if (!token || c == 0) return true;
    }
  }
  return false;
}

std::string remoteAddress(Exchange& exchange) {
  try {
    return exchange.request().clientAddress().toString();
  } catch (...) {
    return "unknown";
  }
}

}  // namespace

namespace {
std::string htmlEscaped(const std::string& text) {
  std::string out;
  appendHtmlEscaped(out, text);
  return out;
}
}  // namespace

void RequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                   Poco::Net::HTTPServerResponse& response) {
  Exchange exchange(request, response);
  RouteMatch match;
  try {
    if (malformedHeaderName(request)) {
      exchange.closeAfterResponse();
      exchange.send(400, "400 Bad Request: malformed MIME header line",
                    "text/plain; charset=utf-8");
      return;
    }
    std::optional<std::string> query = exchange.rawQuery();
    match = context_.router.match(exchange.method(), exchange.rawPath(),
                                  query ? std::optional<std::string_view>(*query) : std::nullopt);
    // Go's server answers a malformed request target before any handler, auth included.
    if (match.kind != RouteMatch::Kind::kBadRequest && !admit(exchange, match)) return;
    // Pushgateway reads (and decompresses) the body before its main router routes, so a bad
    // gzip body answers 400 even where the route would be a 404, 405 or redirect.
    std::string body;
    bool body_ok =
        match.main_router ? readDecodedBody(exchange, body) : readPlainBody(exchange, body);
    if (body_ok) dispatch(exchange, match, body);
  } catch (const std::exception& e) {
    util::logError("error handling request",
                   {{"method", exchange.method()}, {"path", request.getURI()}, {"err", e.what()}});
    if (!exchange.sent()) exchange.sendError(500, "internal server error");
  }
  if (match.kind == RouteMatch::Kind::kHandler && exchange.sent()) {
    if (const char* label = handlerLabel(match.route, exchange.method())) {
      context_.telemetry.countRequest(label, exchange.status(), exchange.method());
    }
  }
}

bool RequestHandler::admit(Exchange& exchange, const RouteMatch& match) {
  std::shared_ptr<const web::WebState> state;
  if (context_.web_config) {
    state = context_.web_config->current();
    for (const auto& [name, value] : state->config.headers) exchange.setHeader(name, value);
  }
  if (context_.auth) return admitByRights(exchange, match);
  if (!state || state->basic_auth->empty()) return true;
  std::string user;
  auto result = state->basic_auth->check(exchange.header("Authorization"), &user);
  if (result == web::BasicAuthenticator::Result::kOk) {
    identity_ = "user:" + user;
    return true;
  }
  context_.telemetry.countAuthFailure(result == web::BasicAuthenticator::Result::kDenied);
  if (result == web::BasicAuthenticator::Result::kDenied) {
    // Never the password: the user name only.
    util::logWarn("authentication failed",
                  {{"remote", remoteAddress(exchange)},
                   {"user", web::parseBasicAuthorization(exchange.header("Authorization"))->user},
                   {"path", exchange.request().getURI()}});
  }
  refuse(exchange, 401, "Basic");
  return false;
}

bool RequestHandler::admitByRights(Exchange& exchange, const RouteMatch& match) {
  auto& request = exchange.request();
  auto kind = routeKindOf(match, exchange.method());
  std::string job;
  if (kind == auth::RouteKind::kPush || kind == auth::RouteKind::kDelete) job = jobOf(match);
  std::string remote = remoteAddress(exchange);
  TlsPeer tls = tlsPeerOf(request);
  const std::string& uri = request.getURI();
  plugin_host::AuthRequestView view;
  view.method = exchange.method();
  view.path = uri;
  for (const auto& [name, value] : request) view.headers.emplace_back(name, value);
  view.remote_address = remote;
  view.tls_peer_subject = tls.subject;
  view.tls_flags = tls.flags;
  auth::Decision decision = context_.auth->decide(view, kind, job);
  if (decision.status == 0) {
    identity_ = std::move(decision.identity);
    return true;
  }
  context_.auth->wait(decision.delay);
  refuse(exchange, decision.status, decision.challenge);
  return false;
}

void RequestHandler::refuse(Exchange& exchange, int status, const std::string& challenge) {
  // The body is not read: close rather than leave it in the connection.
  if ((exchange.request().hasContentLength() && exchange.request().getContentLength64() > 0) ||
      exchange.request().getChunkedTransferEncoding()) {
    exchange.closeAfterResponse();
  }
  if (status == 401) {
    if (!challenge.empty()) exchange.setHeader("WWW-Authenticate", challenge);
    exchange.sendError(401, "Unauthorized");
  } else {
    exchange.sendError(403, "Forbidden");
  }
}

void RequestHandler::dispatch(Exchange& exchange, const RouteMatch& match,
                              const std::string& body) {
  switch (match.kind) {
    case RouteMatch::Kind::kRedirect:
      exchange.setHeader("Location", match.location);
      if (exchange.method() == "GET") {
        // Go's http.Redirect writes a small HTML body for GET.
        exchange.send(match.status,
                      "<a href=\"" + htmlEscaped(match.location) + "\">" +
                          (match.status == 301 ? "Moved Permanently" : "Temporary Redirect") +
                          "</a>.\n\n",
                      "text/html; charset=utf-8");
      } else {
        exchange.send(match.status, "");
      }
      return;
    case RouteMatch::Kind::kMethodNotAllowed:
      exchange.setHeader("Allow", match.allow);
      exchange.sendError(405, "Method Not Allowed");
      return;
    case RouteMatch::Kind::kOptions:
      exchange.setHeader("Allow", match.allow);
      exchange.send(200, "");
      return;
    case RouteMatch::Kind::kNotFound:
      exchange.sendError(404, "404 page not found");
      return;
    case RouteMatch::Kind::kBadRequest:
      // Go's server answers a malformed request target this way and closes the connection.
      exchange.closeAfterResponse();
      exchange.send(400, "400 Bad Request", "text/plain; charset=utf-8");
      return;
    case RouteMatch::Kind::kHandler:
      break;
  }
  switch (match.route) {
    case RouteId::kPush:
    case RouteId::kPushBase64:
      handlePush(exchange, match, body);
      return;
    case RouteId::kTelemetry:
      handleScrape(exchange);
      return;
    case RouteId::kHealthy:
    case RouteId::kReady:
      exchange.send(200, "OK", "text/plain; charset=utf-8");
      return;
    case RouteId::kQuit:
      handleQuit(exchange);
      return;
    case RouteId::kQuitRootGet:
      exchange.send(405, "Only POST or PUT requests allowed.", "text/plain; charset=utf-8");
      return;
    case RouteId::kIndex:
    case RouteId::kStatus:
      serveUiPage(exchange);
      return;
    case RouteId::kStatic:
      serveUiFile(exchange, match.path_rest);
      return;
    case RouteId::kApiStatus:
      handleApiStatus(exchange);
      return;
    case RouteId::kApiMetrics:
      handleApiMetrics(exchange);
      return;
    case RouteId::kApiWipe:
      handleApiWipe(exchange);
      return;
    case RouteId::kApiOptions:
      setApiHeaders(exchange);
      exchange.send(200, "");
      return;
    case RouteId::kApiRights:
      setApiHeaders(exchange);
      exchange.send(200,
                    apiSuccess(rightsData(context_.auth ? &context_.auth->rights() : nullptr,
                                          context_.router.options().enable_admin_api, identity_)),
                    "application/json");
      return;
    case RouteId::kApiRuntime:
      setApiHeaders(exchange);
      exchange.send(200, apiSuccess(runtimeData(context_)), "application/json");
      return;
  }
  exchange.sendError(404, "404 page not found");
}

bool RequestHandler::readPlainBody(Exchange& exchange, std::string& body) {
  switch (exchange.readBody(context_.max_body_bytes, body)) {
    case Exchange::BodyRead::kOk:
      return true;
    case Exchange::BodyRead::kTooLarge:
      exchange.closeAfterResponse();
      exchange.sendError(413, "request body too large: limit is " +
                                  std::to_string(context_.max_body_bytes) + " bytes");
      return false;
    case Exchange::BodyRead::kFailed:
      exchange.closeAfterResponse();
      exchange.sendError(400, "unexpected EOF");
      return false;
  }
  return false;
}

bool RequestHandler::readDecodedBody(Exchange& exchange, std::string& body) {
  std::string raw;
  if (!readPlainBody(exchange, raw)) {
    util::logWarn("cannot read request body", {{"method", exchange.method()},
                                               {"path", exchange.request().getURI()},
                                               {"remote", remoteAddress(exchange)},
                                               {"status", std::to_string(exchange.status())}});
    return false;
  }
  auto encoding = codec::parseContentEncoding(exchange.header("Content-Encoding"));
  if (encoding == codec::Encoding::kIdentity) {
    body = std::move(raw);
    return true;
  }
  size_t limit = context_.max_body_bytes == 0 ? SIZE_MAX : context_.max_body_bytes;
  auto decoded = codec::decodeBody(encoding, raw, limit);
  if (!decoded.ok) {
    util::logWarn("cannot decode request body", {{"method", exchange.method()},
                                                 {"path", exchange.request().getURI()},
                                                 {"remote", remoteAddress(exchange)},
                                                 {"err", decoded.error}});
    bool too_large = decoded.error.rfind("request body too large", 0) == 0;
    exchange.sendError(too_large ? 413 : 400, decoded.error);
    return false;
  }
  body = std::move(decoded.body);
  return true;
}

void RequestHandler::handlePush(Exchange& exchange, const RouteMatch& match,
                                const std::string& body) {
  auto started = std::chrono::steady_clock::now();
  const std::string& method = exchange.method();
  auto key = model::parseGroupingKey(match.job, match.route == RouteId::kPushBase64, match.labels);
  pipeline::Outcome outcome;
  if (!key.ok) {
    outcome = {400, key.error};
  } else if (std::string invalid = invalidUtf8Label(key.labels); !invalid.empty()) {
    // Pushgateway accepts such a key, fails the push in its consistency check and still
    // creates the group, with a label value no scrape can carry. Refuse it up front.
    outcome = {400, "grouping label " + invalid + " is not valid UTF-8"};
  } else if (method == "DELETE") {
    outcome = context_.pipeline.remove(key.labels);
  } else {
    outcome =
        context_.pipeline.push(key.labels, method == "PUT", exchange.header("Content-Type"), body);
  }
  if (outcome.status >= 400) {
    util::logWarn("push rejected", {{"method", method},
                                    {"path", exchange.request().getURI()},
                                    {"remote", remoteAddress(exchange)},
                                    {"status", std::to_string(outcome.status)},
                                    {"err", outcome.message}});
    exchange.sendError(outcome.status, outcome.message);
  } else {
    exchange.send(outcome.status, "");
  }
  if (method != "DELETE") {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    context_.telemetry.observePush(method == "PUT" ? "put" : "post", seconds, body.size());
  }
}

void RequestHandler::handleScrape(Exchange& exchange) {
  expo::Format format = expo::negotiate(exchange.header("Accept"));
  auto own = context_.telemetry.families(context_.store.groupCount(), context_.store.seriesCount());
  auto body = context_.exposition.render(format, own);
  if (expo::acceptsGzip(exchange.header("Accept-Encoding"))) {
    exchange.setHeader("Content-Encoding", "gzip");
    exchange.send(200, expo::gzipCompressPieces(body.pieces()), expo::contentType(format));
  } else {
    exchange.sendPieces(200, body.pieces(), expo::contentType(format));
  }
}

void RequestHandler::handleQuit(Exchange& exchange) {
  if (!context_.enable_lifecycle) {
    exchange.send(403, "Lifecycle API is not enabled.", "text/plain; charset=utf-8");
    return;
  }
  exchange.closeAfterResponse();
  exchange.send(200, "Requesting termination... Goodbye!", "text/plain; charset=utf-8");
  util::logWarn("received termination request via web service, exiting gracefully...");
  if (context_.request_shutdown) context_.request_shutdown();
}

void RequestHandler::handleApiStatus(Exchange& exchange) {
  std::string out = "{\"status\":\"success\",\"data\":{\"build_information\":{";
  const std::pair<const char*, std::string> build[] = {
      {"branch", ""},    {"buildDate", __DATE__ " " __TIME__},
      {"buildUser", ""}, {"goVersion", std::string("none (C++, ") + __VERSION__ + ")"},
      {"revision", ""},  {"version", FERRY_VERSION}};
  bool first = true;
  for (const auto& [key, value] : build) {
    if (!first) out += ',';
    first = false;
    expo::appendJsonString(out, key);
    out += ':';
    expo::appendJsonString(out, value);
  }
  out += "},\"flags\":{";
  first = true;
  for (const auto& [key, value] : context_.status_flags) {
    if (!first) out += ',';
    first = false;
    expo::appendJsonString(out, key);
    out += ':';
    expo::appendJsonString(out, value);
  }
  out += "},\"start_time\":";
  expo::appendJsonString(out, expo::formatRfc3339Nano(context_.start_time_nanos));
  out += "}}";
  setApiHeaders(exchange);
  exchange.send(200, out, "application/json");
}

void RequestHandler::handleApiMetrics(Exchange& exchange) {
  setApiHeaders(exchange);
  exchange.send(200, context_.exposition.renderApiMetrics(), "application/json");
}

void RequestHandler::handleApiWipe(Exchange& exchange) {
  auto outcome = context_.pipeline.wipe();
  if (outcome.status >= 400) {
    exchange.sendError(outcome.status, outcome.message);
    return;
  }
  util::logInfo("wiped every group", {{"remote", remoteAddress(exchange)}});
  exchange.send(202, "");
}

}  // namespace ferry::core::http
