#pragma once

#include <string_view>

#include "core/http/request.h"
#include "core/http/response.h"

namespace ferry::core::http {

// GET P/ and P/status: the web UI's page (core/ui/assets/index.html). The page is static; it
// reads everything it shows from /api/v1/*, with URLs relative to itself, so it works under any
// route prefix or external URL.
void serveUiPage(const Request& request, Response& response);

// GET P/static/*filepath: one embedded UI file (the router's path_rest is "/name"). 404 as
// Pushgateway's file server for anything else.
void serveUiFile(const Request& request, Response& response);

// True when an If-None-Match value names `etag` (or is "*"); weak tags ("W/...") compare by
// their opaque part, as RFC 9110 asks for GET.
bool ifNoneMatchHits(std::string_view if_none_match, std::string_view etag);

}  // namespace ferry::core::http
