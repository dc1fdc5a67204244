#include "core/http/scrape_handler.h"

#include <memory>

#include "core/expo/gzip.h"
#include "core/expo/negotiation.h"
#include "core/store/exposition.h"
#include "core/telemetry/telemetry.h"

namespace ferry::core::http {

void ScrapeHandler::operator()(const Request& request, Response& response) const {
  expo::Format format = expo::negotiate(request.header("Accept"));
  auto own = telemetry_.families(store_.groupCount(), store_.seriesCount(), store_.expiredTotal());
  auto body = std::make_shared<store::Exposition::Body>(exposition_.render(format, own));
  if (expo::acceptsGzip(request.header("Accept-Encoding"))) {
    response.setHeader("Content-Encoding", "gzip");
    response.send(200, expo::gzipCompressPieces(body->pieces()), expo::contentType(format));
    return;
  }
  // The pieces point into the stored families that `body` pins until the response is written.
  std::vector<std::string_view> pieces = body->pieces();
  response.sendPieces(200, std::move(pieces), std::move(body), expo::contentType(format));
}

}  // namespace ferry::core::http
