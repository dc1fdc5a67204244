#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <optional>
#include <string>

#include "core/http/app_context.h"
#include "core/http/exchange.h"

namespace ferry::core::http {

// Routes one request (core/http/router.h) and answers it. One instance per request.
class RequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RequestHandler(AppContext& context) : context_(context) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  // The web config's headers and basic auth, before any route runs (as the exporter-toolkit
  // wraps Pushgateway's whole handler), or the config's "auth" rights. False when a 401 or 403
  // was sent.
  bool admit(Exchange& exchange, const RouteMatch& match);
  // The config's "auth": identity and rights (core/auth). False when 401/403 was sent.
  bool admitByRights(Exchange& exchange, const RouteMatch& match);
  // 401 (with the WWW-Authenticate challenge, if any) or 403; the body is left unread.
  void refuse(Exchange& exchange, int status, const std::string& challenge);
  void dispatch(Exchange& exchange, const RouteMatch& match, const std::string& body);
  void handlePush(Exchange& exchange, const RouteMatch& match, const std::string& body);
  void handleScrape(Exchange& exchange);
  void handleQuit(Exchange& exchange);
  void handleApiStatus(Exchange& exchange);
  void handleApiMetrics(Exchange& exchange);
  void handleApiWipe(Exchange& exchange);
  // Reads the body (bounded by --push.max-body-bytes); false when an error answer was sent.
  bool readPlainBody(Exchange& exchange, std::string& body);
  // Reads and decompresses the body as Pushgateway's request decoder does.
  bool readDecodedBody(Exchange& exchange, std::string& body);

  AppContext& context_;
  // Who the request is, once admitted: set by the web config's basic auth or the "auth"
  // rights; nullopt when nothing identified it.
  std::optional<std::string> identity_;
};

class RequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit RequestHandlerFactory(AppContext& context) : context_(context) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RequestHandler(context_);
  }

 private:
  AppContext& context_;
};

}  // namespace ferry::core::http
