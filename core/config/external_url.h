#pragma once

#include <string>
#include <string_view>

#include "core/config/options.h"

// --web.external-url and --web.route-prefix, resolved as Pushgateway 1.11.3 resolves them (Go's
// url.Parse, then computeRoutePrefix of its main.go). The one home of the route-prefix rule.
namespace ferry::core::config {

// The decoded path of a URL as Go's url.Parse yields it ("http://h/p%20g/" → "/p g/"; a URL with
// a scheme but no leading slash, "mailto:x", has none). Throws ConfigError with kingpin's text
// for --web.external-url, e.g. `invalid URL: parse ":x": missing protocol scheme`.
std::string externalUrlPath(std::string_view url);

// Pushgateway 1.11.3's computeRoutePrefix: the prefix (or else the path) with a leading "/"
// added if missing and one trailing "/" removed; "/" alone becomes "". Only one slash goes:
// "/pg//" gives "/pg/" (1.5.1 trimmed them all).
std::string computeRoutePrefix(std::string_view prefix, std::string_view external_url_path);

// The prefix every route is served under: computeRoutePrefix of --web.route-prefix and the
// external URL's path; "" or "/x" without a trailing slash. Throws ConfigError for a prefix that
// is not a clean path ("/", "/pg/", "//pg", "/a/../b"): the Pushgateway registers its routes
// under it, but its mux redirects every request for them to the cleaned path, so none can be
// reached; Ferry says so at startup instead.
std::string routePrefix(const Options& options);

}  // namespace ferry::core::config
