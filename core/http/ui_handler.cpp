#include "core/http/ui_handler.h"

#include "core/expo/negotiation.h"
#include "core/ui/assets.h"

namespace ferry::core::http {
namespace {

// Only what the page itself needs: its own files and its own API. An operator's
// Content-Security-Policy from the web config file wins.
constexpr char kPagePolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

std::string_view trimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void sendAsset(const Request& request, Response& response, const ui::Asset& asset) {
  const bool gzip = !asset.gzip.empty() && expo::acceptsGzip(request.header("Accept-Encoding"));
  const std::string& etag = gzip ? asset.gzip_etag : asset.etag;
  // Revalidated on every use (a 304 costs one small round trip), so a new build's files are
  // never mixed with an old build's cached ones.
  response.setHeader("Cache-Control", "no-cache");
  response.setHeader("ETag", etag);
  response.setHeader("Vary", "Accept-Encoding");
  response.setHeader("X-Content-Type-Options", "nosniff");
  if (ifNoneMatchHits(request.header("If-None-Match"), etag)) {
    response.send(304);
    return;
  }
  // The embedded file lives as long as the program: sent as a piece, never copied.
  const std::string_view body = gzip ? asset.gzip : asset.body;
  if (gzip) response.setHeader("Content-Encoding", "gzip");
  response.sendPieces(200, {body}, nullptr, asset.content_type);
}

}  // namespace

bool ifNoneMatchHits(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    std::string_view tag = trimSpace(if_none_match.substr(0, comma));
    if_none_match =
        comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
    if (tag == "*") return true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (!tag.empty() && tag == etag) return true;
  }
  return false;
}

void serveUiPage(const Request& request, Response& response) {
  const ui::Asset* page = ui::findAsset("index.html");
  if (page == nullptr) {
    response.sendError(500, "the web UI was not built into this binary");
    return;
  }
  // The web config's headers are already set: an operator's policy wins.
  if (!response.hasHeader("Content-Security-Policy")) {
    response.setHeader("Content-Security-Policy", kPagePolicy);
  }
  response.setHeader("Referrer-Policy", "no-referrer");
  sendAsset(request, response, *page);
}

void serveUiFile(const Request& request, Response& response) {
  std::string_view name = request.match.path_rest;
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  const ui::Asset* asset = name.find('/') == std::string_view::npos ? ui::findAsset(name) : nullptr;
  if (asset == nullptr) {
    response.sendError(404, "404 page not found");
    return;
  }
  sendAsset(request, response, *asset);
}

}  // namespace ferry::core::http
