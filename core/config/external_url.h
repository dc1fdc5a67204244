#pragma once

#include <string>
#include <string_view>

#include "core/config/options.h"

// --web.external-url and --web.route-prefix, resolved as the Pushgateway resolves them (Go's
// url.Parse, then computeRoutePrefix of main.go).
namespace ferry::core::config {

// The decoded path of a URL as Go's url.Parse yields it ("http://h/p%20g/" → "/p g/"; a URL with
// a scheme but no leading slash, "mailto:x", has none). Throws ConfigError with kingpin's text
// for --web.external-url, e.g. `invalid URL: parse ":x": missing protocol scheme`.
std::string externalUrlPath(std::string_view url);

// Pushgateway's computeRoutePrefix: prefix (or else the path) with a leading "/" and no trailing
// "/"; "/" alone becomes "".
std::string computeRoutePrefix(std::string_view prefix, std::string_view external_url_path);

// The prefix every route is served under: --web.route-prefix, or else the external URL's path.
std::string routePrefix(const Options& options);

// The prefix the web UI uses in its links: the external URL's path only.
std::string externalPathPrefix(const Options& options);

}  // namespace ferry::core::config
