// Routing behaviour of Pushgateway 1.5.1. Every expectation below was observed on the real
// binary (spec Appendix E5/E6/E7/E12/E16/E19 plus probes of the same setups, run with
// curl --path-as-is): instance "root" = no prefix, admin API on; instance "pg" =
// --web.external-url=http://example.com/pg/, admin API on; "pg2" = --web.route-prefix=pg2/
// --web.telemetry-path=/metrics/job/foo/.
#include "core/http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace ferry::core::http {
namespace {

const char* routeName(RouteId id) {
  switch (id) {
    case RouteId::kPush:
      return "push";
    case RouteId::kPushBase64:
      return "push64";
    case RouteId::kTelemetry:
      return "telemetry";
    case RouteId::kHealthy:
      return "healthy";
    case RouteId::kReady:
      return "ready";
    case RouteId::kQuit:
      return "quit";
    case RouteId::kQuitRootGet:
      return "quit-root-get";
    case RouteId::kIndex:
      return "index";
    case RouteId::kStatus:
      return "status";
    case RouteId::kStatic:
      return "static";
    case RouteId::kApiStatus:
      return "api-status";
    case RouteId::kApiMetrics:
      return "api-metrics";
    case RouteId::kApiWipe:
      return "api-wipe";
    case RouteId::kApiOptions:
      return "api-options";
    case RouteId::kApiGroups:
      return "api-groups";
    case RouteId::kApiGroup:
      return "api-group";
    case RouteId::kApiRights:
      return "api-rights";
    case RouteId::kApiRuntime:
      return "api-runtime";
  }
  return "?";
}

// One line per outcome so that a table of expectations stays readable.
std::string describe(const RouteMatch& m) {
  switch (m.kind) {
    case RouteMatch::Kind::kHandler: {
      std::string s = routeName(m.route);
      if (!m.job.empty()) s += " job=" + m.job;
      if (!m.labels.empty()) s += " labels=" + m.labels;
      if (!m.path_rest.empty()) s += " rest=" + m.path_rest;
      return s;
    }
    case RouteMatch::Kind::kRedirect:
      return std::to_string(m.status) + " " + m.location;
    case RouteMatch::Kind::kMethodNotAllowed:
      return "405 Allow: " + m.allow;
    case RouteMatch::Kind::kOptions:
      return "200 Allow: " + m.allow;
    case RouteMatch::Kind::kNotFound:
      return "404";
    case RouteMatch::Kind::kBadRequest:
      return "400";
  }
  return "?";
}

// Splits "path?query" the way an HTTP server hands the target over.
std::string route(const Router& r, std::string_view method, std::string_view target) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return describe(r.match(method, target));
  return describe(r.match(method, target.substr(0, q), target.substr(q + 1)));
}

class RouterTest : public ::testing::Test {
 protected:
  Router root_{RouterOptions{"", "/metrics", true}};
  Router pg_{RouterOptions{"/pg", "/metrics", true}};
  Router pg_no_admin_{RouterOptions{"/pg", "/metrics", false}};
};

// ---- E5: URL grammar at the routing level ------------------------------------------------------

TEST_F(RouterTest, E5PushRoutesCarryJobAndLabels) {
  EXPECT_EQ(route(root_, "POST", "/metrics/job@base64/dGVzdC9qb2I/path@base64/L3Zhci90bXA"),
            "push64 job=dGVzdC9qb2I labels=/path@base64/L3Zhci90bXA");
  EXPECT_EQ(route(root_, "POST", "/metrics/job/example/first_label@base64/=/second_label/foobar"),
            "push job=example labels=/first_label@base64/=/second_label/foobar");
  EXPECT_EQ(route(root_, "POST", "/metrics/job/example/a/b/"), "push job=example labels=/a/b/");
  EXPECT_EQ(route(root_, "POST", "/metrics/job/example/odd"), "push job=example labels=/odd");
  EXPECT_EQ(route(root_, "POST", "/metrics/job/example/lbl@base64/%21%21"),
            "push job=example labels=/lbl@base64/!!");
  EXPECT_EQ(route(root_, "POST", "/metrics/job@base64/="), "push64 job==");
  EXPECT_EQ(route(pg_, "POST", "/pg/metrics/job@base64/="), "push64 job==");
}

TEST_F(RouterTest, E5DoubleSlashIsCleanedFirst) {
  EXPECT_EQ(route(root_, "POST", "/metrics/job/example/first_label//second_label/foobar"),
            "301 /metrics/job/example/first_label/second_label/foobar");
  EXPECT_EQ(route(pg_, "POST", "/pg/metrics/job/example/first_label//second_label/foobar"),
            "301 /pg/metrics/job/example/first_label/second_label/foobar");
}

TEST_F(RouterTest, E5PercentDecodingHappensBeforeRouting) {
  EXPECT_EQ(route(root_, "POST", "/metrics/job/example/path/a%2Fb"),
            "push job=example labels=/path/a/b");
  EXPECT_EQ(route(root_, "POST",
                  "/metrics/job/titan/name/%CE%A0%CF%81%CE%BF%CE%BC%CE%B7%CE%B8%CE%B5%CF%8D%CF%82"),
            "push job=titan labels=/name/Προμηθεύς");
}

TEST_F(RouterTest, E5EmptyJobSegment) {
  EXPECT_EQ(route(root_, "POST", "/metrics/job/"), "307 /metrics/job");
  EXPECT_EQ(route(root_, "PUT", "/metrics/job/"), "307 /metrics/job");
  EXPECT_EQ(route(root_, "POST", "/metrics/job"), "404");
  EXPECT_EQ(route(root_, "GET", "/metrics/job/"), "404");  // no GET route below /metrics
  EXPECT_EQ(route(root_, "GET", "/metrics/job"), "404");
  EXPECT_EQ(route(pg_, "POST", "/pg/metrics/job/"), "307 /pg/metrics/job");
  EXPECT_EQ(route(pg_, "POST", "/pg/metrics/job"), "404");
}

TEST_F(RouterTest, E5EmptyBase64JobSegment) {
  // Unlike ".../job/", ".../job@base64/" gets no redirect: the tree node differs.
  EXPECT_EQ(route(root_, "POST", "/metrics/job@base64/"), "404");
  EXPECT_EQ(route(root_, "POST", "/metrics/job@base64"), "404");
  EXPECT_EQ(route(root_, "GET", "/metrics/job@base64/"), "404");
}

// ---- E6: trailing slashes, 405/Allow, HEAD, /-/quit, API ---------------------------------------

TEST_F(RouterTest, E6TrailingSlashAfterJobMatchesTheLabelsRoute) {
  EXPECT_EQ(route(root_, "POST", "/metrics/job/trail/"), "push job=trail labels=/");
  EXPECT_EQ(route(root_, "POST", "/metrics/job/trail2/a/b/c/"), "push job=trail2 labels=/a/b/c/");
  EXPECT_EQ(route(pg_, "PUT", "/pg/metrics/job/trail/"), "push job=trail labels=/");
}

TEST_F(RouterTest, E6PushPathWithWrongMethod) {
  for (const char* method : {"GET", "PATCH", "HEAD"}) {
    EXPECT_EQ(route(root_, method, "/metrics/job/some_job"),
              "405 Allow: DELETE, OPTIONS, POST, PUT")
        << method;
    EXPECT_EQ(route(pg_, method, "/pg/metrics/job/x"), "405 Allow: DELETE, OPTIONS, POST, PUT")
        << method;
  }
  EXPECT_EQ(route(root_, "GET", "/metrics/job/x/"), "405 Allow: DELETE, OPTIONS, POST, PUT");
  EXPECT_EQ(route(root_, "GET", "/metrics/job/x/a/b/c/"), "405 Allow: DELETE, OPTIONS, POST, PUT");
}

TEST_F(RouterTest, E6HeadIsNotGet) {
  EXPECT_EQ(route(root_, "HEAD", "/metrics"), "405 Allow: GET, OPTIONS");
  EXPECT_EQ(route(pg_, "HEAD", "/pg/metrics"), "405 Allow: GET, OPTIONS");
  EXPECT_EQ(route(pg_, "HEAD", "/pg/"), "405 Allow: GET, OPTIONS");
  EXPECT_EQ(route(pg_, "HEAD", "/pg/api/v1/status"), "405 Allow: GET, OPTIONS");
  // No HEAD tree, so no trailing-slash or case redirects either.
  EXPECT_EQ(route(pg_, "HEAD", "/pg"), "404");
  EXPECT_EQ(route(pg_, "HEAD", "/pg/metrics/"), "404");
  EXPECT_EQ(route(pg_, "HEAD", "/pg/METRICS"), "404");
  EXPECT_EQ(route(pg_, "HEAD", "/pg/api/v1/status/"), "404");
  // ServeMux redirects come first, whatever the method.
  EXPECT_EQ(route(pg_, "HEAD", "/pg/api/v1"), "301 /pg/api/v1/");
}

TEST_F(RouterTest, E6QuitWithoutPrefix) {
  EXPECT_EQ(route(root_, "GET", "/-/quit"), "quit-root-get");
  EXPECT_EQ(route(root_, "PUT", "/-/quit"), "quit");
  EXPECT_EQ(route(root_, "POST", "/-/quit"), "quit");
  EXPECT_EQ(route(root_, "DELETE", "/-/quit"), "405 Allow: GET, OPTIONS, POST, PUT");
  EXPECT_EQ(route(root_, "GET", "/-/quit/"), "301 /-/quit");
  EXPECT_EQ(route(root_, "POST", "/-/quit/"), "307 /-/quit");
}

TEST_F(RouterTest, E6HealthyWithWrongMethod) {
  EXPECT_EQ(route(root_, "POST", "/-/healthy"), "405 Allow: GET, OPTIONS");
  EXPECT_EQ(route(root_, "GET", "/-/healthy"), "healthy");
  EXPECT_EQ(route(root_, "GET", "/-/ready"), "ready");
  EXPECT_EQ(route(root_, "GET", "/-/"), "404");
  EXPECT_EQ(route(root_, "POST", "/-/"), "404");
}

TEST_F(RouterTest, E6AdminWipeWithWrongMethod) {
  EXPECT_EQ(route(root_, "GET", "/api/v1/admin/wipe"), "405 Allow: OPTIONS, PUT");
  EXPECT_EQ(route(pg_, "GET", "/pg/api/v1/admin/wipe"), "405 Allow: OPTIONS, PUT");
}

TEST_F(RouterTest, E6ApiOptionsOnAnyPath) {
  EXPECT_EQ(route(root_, "OPTIONS", "/api/v1/whatever"), "api-options rest=/whatever");
  EXPECT_EQ(route(pg_, "OPTIONS", "/pg/api/v1/x"), "api-options rest=/x");
  EXPECT_EQ(route(pg_, "OPTIONS", "/pg/api/v1/"), "api-options rest=/");
  EXPECT_EQ(route(pg_, "OPTIONS", "/pg/api/v1/status"), "api-options rest=/status");
  EXPECT_EQ(route(pg_, "OPTIONS", "/pg/api/v1/status/"), "api-options rest=/status/");
  EXPECT_EQ(route(pg_, "OPTIONS", "/pg/api/v1/admin/wipe/"), "api-options rest=/admin/wipe/");
  EXPECT_EQ(route(pg_, "OPTIONS", "/pg/api/v1"), "301 /pg/api/v1/");
  EXPECT_EQ(route(pg_, "OPTIONS", "/api/v1/status"), "404");
}

// Ferry's group API, beside the Pushgateway's /api/v1 routes.
TEST_F(RouterTest, GroupApi) {
  EXPECT_EQ(route(root_, "GET", "/api/v1/groups"), "api-groups");
  EXPECT_EQ(route(pg_, "GET", "/pg/api/v1/groups"), "api-groups");
  EXPECT_EQ(route(root_, "GET", "/api/v1/groups/am9i_2E"), "api-group rest=am9i_2E");
  EXPECT_EQ(route(root_, "OPTIONS", "/api/v1/groups"), "api-options rest=/groups");
}

TEST_F(RouterTest, E6ApiStatusWithWrongMethod) {
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    EXPECT_EQ(route(root_, method, "/api/v1/status"), "405 Allow: GET, OPTIONS") << method;
    EXPECT_EQ(route(pg_, method, "/pg/api/v1/status"), "405 Allow: GET, OPTIONS") << method;
  }
}

TEST_F(RouterTest, E6NotFound) {
  EXPECT_EQ(route(root_, "GET", "/api/v1/nonexistent"), "404");
  EXPECT_EQ(route(root_, "GET", "/nonexistent"), "404");
  EXPECT_EQ(route(root_, "GET", "/-/reload"), "404");
  EXPECT_EQ(route(root_, "POST", "/-/reload"), "404");
  EXPECT_EQ(route(root_, "GET", "/index.html"), "404");
  EXPECT_EQ(route(root_, "POST", "/index.html"), "404");
  for (const char* method : {"GET", "POST", "PUT", "DELETE", "HEAD"}) {
    EXPECT_EQ(route(pg_, method, "/pg/api/v1/x"), "404") << method;
  }
}

TEST_F(RouterTest, PprofIsNotRouted) {
  // Pushgateway serves Go's pprof here (GET /debug/pprof -> 301 /debug/pprof/); Ferry has none.
  EXPECT_EQ(route(root_, "GET", "/debug/pprof"), "404");
  EXPECT_EQ(route(root_, "GET", "/debug/pprof/"), "404");
  EXPECT_EQ(route(root_, "POST", "/debug/pprof"), "404");
}

// ---- E7: OPTIONS on the main router, admin wipe, API ------------------------------------------

TEST_F(RouterTest, E7AutomaticOptions) {
  EXPECT_EQ(route(root_, "OPTIONS", "/metrics/job/x"), "200 Allow: DELETE, OPTIONS, POST, PUT");
  EXPECT_EQ(route(pg_, "OPTIONS", "/pg/metrics/job/x"), "200 Allow: DELETE, OPTIONS, POST, PUT");
  EXPECT_EQ(route(pg_, "OPTIONS", "/pg/"), "200 Allow: GET, OPTIONS");
  EXPECT_EQ(route(pg_, "OPTIONS", "/pg/-/quit"), "200 Allow: OPTIONS, POST, PUT");
  EXPECT_EQ(route(pg_, "OPTIONS", "/-/quit"), "200 Allow: GET, OPTIONS");
  EXPECT_EQ(route(pg_, "OPTIONS", "/pg/metrics"), "200 Allow: GET, OPTIONS");
  // Automatic OPTIONS does no redirects: unknown paths are 404.
  EXPECT_EQ(route(pg_, "OPTIONS", "/pg"), "404");
  EXPECT_EQ(route(pg_, "OPTIONS", "/pg/metrics/"), "404");
  EXPECT_EQ(route(pg_, "OPTIONS", "/pg/METRICS"), "404");
  EXPECT_EQ(route(pg_, "OPTIONS", "/PG/metrics"), "404");
  EXPECT_EQ(route(pg_, "OPTIONS", "/metrics/job/x"), "404");
}

TEST_F(RouterTest, E7ApiHandlers) {
  EXPECT_EQ(route(root_, "PUT", "/api/v1/admin/wipe"), "api-wipe");
  EXPECT_EQ(route(root_, "GET", "/api/v1/status"), "api-status");
  EXPECT_EQ(route(root_, "GET", "/api/v1/metrics"), "api-metrics");
  EXPECT_EQ(route(pg_, "GET", "/pg/api/v1/status"), "api-status");
  EXPECT_EQ(route(pg_, "PUT", "/pg/api/v1/admin/wipe"), "api-wipe");
}

// ---- E12: route prefix /pg ---------------------------------------------------------------------

TEST_F(RouterTest, E12EverythingMovesUnderThePrefix) {
  EXPECT_EQ(route(pg_no_admin_, "GET", "/pg/-/healthy"), "healthy");
  EXPECT_EQ(route(pg_no_admin_, "GET", "/-/healthy"), "404");
  EXPECT_EQ(route(pg_no_admin_, "POST", "/pg/metrics/job/a"), "push job=a");
  EXPECT_EQ(route(pg_no_admin_, "POST", "/metrics/job/a"), "404");
  EXPECT_EQ(route(pg_no_admin_, "GET", "/pg/metrics"), "telemetry");
  EXPECT_EQ(route(pg_no_admin_, "GET", "/pg/api/v1/status"), "api-status");
  EXPECT_EQ(route(pg_no_admin_, "GET", "/api/v1/status"), "404");
  EXPECT_EQ(route(pg_no_admin_, "GET", "/pg/"), "index");
  EXPECT_EQ(route(pg_no_admin_, "GET", "/pg/status"), "status");
  EXPECT_EQ(route(pg_no_admin_, "GET", "/pg/static/functions.js"), "static rest=/functions.js");
  for (const char* method : {"GET", "POST", "PUT", "DELETE"}) {
    EXPECT_EQ(route(pg_, method, "/metrics/job/x"), "404") << method;
    EXPECT_EQ(route(pg_, method, "/api/v1/status"), "404") << method;
  }
}

TEST_F(RouterTest, E12QuitWithPrefix) {
  EXPECT_EQ(route(pg_no_admin_, "PUT", "/pg/-/quit"), "quit");
  EXPECT_EQ(route(pg_no_admin_, "POST", "/pg/-/quit"), "quit");
  EXPECT_EQ(route(pg_no_admin_, "GET", "/pg/-/quit"), "405 Allow: OPTIONS, POST, PUT");
  EXPECT_EQ(route(pg_no_admin_, "GET", "/-/quit"), "quit-root-get");
  EXPECT_EQ(route(pg_, "DELETE", "/pg/-/quit"), "405 Allow: OPTIONS, POST, PUT");
  EXPECT_EQ(route(pg_, "POST", "/-/quit"), "405 Allow: GET, OPTIONS");
  EXPECT_EQ(route(pg_, "PUT", "/-/quit"), "405 Allow: GET, OPTIONS");
  EXPECT_EQ(route(pg_, "DELETE", "/-/quit"), "405 Allow: GET, OPTIONS");
}

TEST_F(RouterTest, E12WipeNeedsTheAdminApi) {
  EXPECT_EQ(route(pg_no_admin_, "PUT", "/pg/api/v1/admin/wipe"), "404");
  EXPECT_EQ(route(pg_no_admin_, "GET", "/pg/api/v1/admin/wipe"), "404");
  Router no_admin{RouterOptions{}};
  EXPECT_EQ(route(no_admin, "PUT", "/api/v1/admin/wipe"), "404");
  EXPECT_EQ(route(no_admin, "OPTIONS", "/api/v1/admin/wipe"), "api-options rest=/admin/wipe");
}

TEST_F(RouterTest, E12PrefixWithoutTrailingSlash) {
  EXPECT_EQ(route(pg_, "GET", "/pg"), "301 /pg/");
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    EXPECT_EQ(route(pg_, method, "/pg"), "404") << method;
    EXPECT_EQ(route(pg_, method, "/pg/"), "405 Allow: GET, OPTIONS") << method;
    EXPECT_EQ(route(pg_, method, "/pg/metrics"), "405 Allow: GET, OPTIONS") << method;
  }
}

TEST_F(RouterTest, E12CaseAndSlashFixesUnderThePrefix) {
  EXPECT_EQ(route(pg_, "GET", "/pg/metrics/"), "301 /pg/metrics");
  EXPECT_EQ(route(pg_, "GET", "/pg/METRICS"), "301 /pg/metrics");
  EXPECT_EQ(route(pg_, "GET", "/PG/metrics"), "301 /pg/metrics");
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    EXPECT_EQ(route(pg_, method, "/pg/metrics/"), "404") << method;
    EXPECT_EQ(route(pg_, method, "/pg/METRICS"), "404") << method;
    EXPECT_EQ(route(pg_, method, "/PG/metrics"), "404") << method;
  }
}

// ---- E16: percent-decoding of the job segment --------------------------------------------------

TEST_F(RouterTest, E16EncodedSlashInJobSplitsTheSegment) {
  EXPECT_EQ(route(root_, "POST", "/metrics/job/j%2Fslash"), "push job=j labels=/slash");
  EXPECT_EQ(route(root_, "POST", "/metrics/job/x/instance@base64/"),
            "push job=x labels=/instance@base64/");
  EXPECT_EQ(route(root_, "PUT", "/metrics/job/x/instance/"), "push job=x labels=/instance/");
}

// ---- E19: redirects ----------------------------------------------------------------------------

TEST_F(RouterTest, E19TelemetryTrailingSlash) {
  EXPECT_EQ(route(root_, "GET", "/metrics/"), "301 /metrics");
  EXPECT_EQ(route(root_, "POST", "/metrics/"), "404");
}

TEST_F(RouterTest, E19ApiTrailingSlashLocationBug) {
  EXPECT_EQ(route(root_, "GET", "/api/v1/status/"), "301 /status");
  EXPECT_EQ(route(pg_, "GET", "/pg/api/v1/status/"), "301 /status");
  EXPECT_EQ(route(pg_, "PUT", "/pg/api/v1/admin/wipe/"), "307 /admin/wipe");
  EXPECT_EQ(route(pg_, "GET", "/pg/api/v1/admin/wipe/"), "404");
  EXPECT_EQ(route(root_, "POST", "/api/v1/status/"), "404");  // no POST tree in the API router
  EXPECT_EQ(route(pg_, "DELETE", "/pg/api/v1/admin/wipe/"), "404");
}

TEST_F(RouterTest, E19ApiRootRedirectsAndIsNotFound) {
  for (const char* method : {"GET", "POST", "PUT", "DELETE"}) {
    EXPECT_EQ(route(root_, method, "/api/v1"), "301 /api/v1/") << method;
    EXPECT_EQ(route(root_, method, "/api/v1/"), "404") << method;
    EXPECT_EQ(route(pg_, method, "/pg/api/v1"), "301 /pg/api/v1/") << method;
    EXPECT_EQ(route(pg_, method, "/pg/api/v1/"), "404") << method;
  }
  EXPECT_EQ(route(root_, "GET", "/api//v1"), "301 /api/v1/");  // cleaned, then slash added
}

TEST_F(RouterTest, E19Base64DeleteWithPadding) {
  EXPECT_EQ(route(root_, "DELETE", "/metrics/job@base64/Zm9v=/a@base64/YmFy="),
            "push64 job=Zm9v= labels=/a@base64/YmFy=");
}

TEST_F(RouterTest, E19CaseInsensitiveFixedPath) {
  EXPECT_EQ(route(root_, "GET", "/METRICS"), "301 /metrics");
  EXPECT_EQ(route(root_, "GET", "/METRICS/"), "301 /metrics");
  EXPECT_EQ(route(root_, "POST", "/Metrics/job/abc"), "307 /metrics/job/abc");
  EXPECT_EQ(route(root_, "GET", "/Metrics/job/abc"), "404");
  EXPECT_EQ(route(root_, "POST", "/METRICS"), "404");
  EXPECT_EQ(route(root_, "GET", "/Static/x"), "301 /static/x");
  EXPECT_EQ(route(root_, "POST", "/Static/x"), "404");
  EXPECT_EQ(route(root_, "GET", "/STATUS"), "301 /status");
  EXPECT_EQ(route(root_, "GET", "/-/Healthy/"), "301 /-/healthy");
  EXPECT_EQ(route(root_, "POST", "/-/Healthy/"), "404");
  // httprouter keeps a stale rune byte after a parameter: after "job/" it happens to be the
  // '/' the next node needs, after "job@base64/" it is '@', so this one is not fixed.
  EXPECT_EQ(route(root_, "POST", "/Metrics/Job/abc/a/b"), "307 /metrics/job/abc/a/b");
  EXPECT_EQ(route(root_, "POST", "/metrics/JOB@BASE64/x/a/b"), "404");
  EXPECT_EQ(route(root_, "POST", "/metrics/JOB@BASE64/x"), "307 /metrics/job@base64/x");
}

TEST_F(RouterTest, E19OtherTrailingSlashes) {
  EXPECT_EQ(route(root_, "GET", "/static"), "301 /static/");
  EXPECT_EQ(route(root_, "POST", "/static"), "404");
  EXPECT_EQ(route(root_, "GET", "/static/"), "static rest=/");
  EXPECT_EQ(route(root_, "POST", "/static/"), "405 Allow: GET, OPTIONS");
  EXPECT_EQ(route(root_, "GET", "/status/"), "301 /status");
  EXPECT_EQ(route(root_, "POST", "/status/"), "404");
  EXPECT_EQ(route(root_, "GET", "/"), "index");
  EXPECT_EQ(route(root_, "POST", "/"), "405 Allow: GET, OPTIONS");
}

TEST_F(RouterTest, E19DotDotIsCleaned) {
  EXPECT_EQ(route(root_, "GET", "/metrics/../-/healthy"), "301 /-/healthy");
  EXPECT_EQ(route(pg_, "GET", "/pg/metrics/../-/healthy"), "301 /pg/-/healthy");
}

// ---- ServeMux cleaning and percent-decoding (probed) ------------------------------------------

TEST_F(RouterTest, CleaningRedirectsForEveryMethod) {
  for (const char* method : {"GET", "PUT", "HEAD", "OPTIONS", "PATCH"}) {
    EXPECT_EQ(route(root_, method, "/metrics//job"), "301 /metrics/job") << method;
    EXPECT_EQ(route(root_, method, "/metrics/./x"), "301 /metrics/x") << method;
    EXPECT_EQ(route(root_, method, "/a/../metrics"), "301 /metrics") << method;
    EXPECT_EQ(route(root_, method, "/metrics/."), "301 /metrics") << method;
    EXPECT_EQ(route(root_, method, "/metrics/.."), "301 /") << method;
    EXPECT_EQ(route(root_, method, "/metrics/job/a/.."), "301 /metrics/job") << method;
    EXPECT_EQ(route(root_, method, "/."), "301 /") << method;
    EXPECT_EQ(route(root_, method, "/.."), "301 /") << method;
    EXPECT_EQ(route(root_, method, "//"), "301 /") << method;
  }
}

TEST_F(RouterTest, RedirectLocationsAreReEscaped) {
  EXPECT_EQ(route(root_, "PUT", "/metrics/job/a%20b//c"), "301 /metrics/job/a%20b/c");
  EXPECT_EQ(route(root_, "PUT", "/metrics/job/%21%2A//x"), "301 /metrics/job/%21%2A/x");
  EXPECT_EQ(route(root_, "GET", "/metrics/job/a%3Fb//c"), "301 /metrics/job/a%3Fb/c");
  EXPECT_EQ(route(root_, "GET", "/metrics/job/'()*!//x"), "301 /metrics/job/%27%28%29%2A%21/x");
  EXPECT_EQ(route(root_, "GET", "/metrics/job/\xc3\xa4//x"), "301 /metrics/job/%C3%A4/x");
  EXPECT_EQ(route(root_, "GET", "/metrics/job/a#b//c"), "301 /metrics/job/a%23b/c");
  EXPECT_EQ(route(root_, "GET", "/metrics/job/$&+,:;=@~//x"), "301 /metrics/job/$&+,:;=@~/x");
}

TEST_F(RouterTest, EncodedCharactersRouteDecoded) {
  EXPECT_EQ(route(root_, "GET", "/%6detrics"), "telemetry");
  EXPECT_EQ(route(root_, "PUT", "/%6detrics"), "405 Allow: GET, OPTIONS");
  EXPECT_EQ(route(root_, "GET", "/metrics%2F"), "301 /metrics");
  EXPECT_EQ(route(root_, "PUT", "/metrics%2F"), "404");
  EXPECT_EQ(route(root_, "PUT", "/metrics/job/%00x"), std::string("push job=") + '\0' + "x");
  EXPECT_EQ(route(root_, "GET", "/metrics/job/%00x"), "405 Allow: DELETE, OPTIONS, POST, PUT");
  EXPECT_EQ(route(root_, "PUT", "/metrics/job/%C3%A9/"), "push job=é labels=/");
  EXPECT_EQ(route(root_, "GET",
                  "/metrics/job/a\xff"
                  "b"),
            "405 Allow: DELETE, OPTIONS, POST, PUT");
}

TEST_F(RouterTest, ApiStripPrefixNeedsTheRawPrefix) {
  EXPECT_EQ(route(root_, "GET", "/api/v1/%73tatus"), "api-status");
  EXPECT_EQ(route(root_, "PUT", "/api/v1/%73tatus"), "405 Allow: GET, OPTIONS");
  EXPECT_EQ(route(root_, "GET", "/api%2Fv1/status"), "404");
  EXPECT_EQ(route(root_, "PUT", "/api%2Fv1/status"), "404");
  EXPECT_EQ(route(root_, "GET", "/%61pi/v1/status"), "404");
  EXPECT_FALSE(root_.match("GET", "/%61pi/v1/status").main_router);
}

TEST_F(RouterTest, QueryStrings) {
  EXPECT_EQ(route(root_, "GET", "/api/v1/status?x=1"), "api-status");
  EXPECT_EQ(route(root_, "GET", "/metrics/?a=b"), "301 /metrics?a=b");
  EXPECT_EQ(route(root_, "PUT", "/metrics/?a=b"), "404");
  EXPECT_EQ(route(root_, "GET", "/metrics/job/a//b?q=1"), "301 /metrics/job/a/b?q=1");
  EXPECT_EQ(route(root_, "PUT", "/metrics/job/a//b?q=1"), "301 /metrics/job/a/b?q=1");
  EXPECT_EQ(route(root_, "GET", "/METRICS?x"), "301 /metrics?x");
  // An empty query survives httprouter's redirect (URL.ForceQuery) but not ServeMux's.
  EXPECT_EQ(route(root_, "GET", "/metrics/?"), "301 /metrics?");
  EXPECT_EQ(route(root_, "GET", "/metrics//?"), "301 /metrics/");
  EXPECT_EQ(route(root_, "GET", "/api/v1?"), "301 /api/v1/");
  EXPECT_EQ(route(root_, "GET", "/api/v1?a=%20"), "301 /api/v1/?a=%20");
}

TEST_F(RouterTest, MalformedTargetsAreBadRequests) {
  EXPECT_EQ(route(root_, "GET", "/metrics/job/%zz"), "400");
  EXPECT_EQ(route(root_, "PUT", "/metrics/job/a%2"), "400");
  EXPECT_EQ(route(root_, "PUT", "/metrics/job/a%"), "400");
  EXPECT_EQ(route(root_, "GET",
                  "/metrics/job/a\x7f"
                  "b"),
            "400");
  EXPECT_EQ(route(root_, "GET",
                  "/metrics/job/a\x01"
                  "b"),
            "400");
  EXPECT_EQ(route(root_, "GET", "/metrics?a\tb"), "400");
  EXPECT_EQ(route(root_, "GET", ""), "400");
  EXPECT_EQ(route(root_, "GET", "metrics"), "400");
  EXPECT_EQ(route(root_, "GET", "*"), "400");
  EXPECT_EQ(route(root_, "OPTIONS", "*"), "200 Allow: ");
}

TEST_F(RouterTest, ConnectIsNotCleaned) {
  EXPECT_EQ(route(root_, "CONNECT", "/metrics//x"), "404");
  EXPECT_EQ(route(root_, "CONNECT", "/metrics"), "405 Allow: GET, OPTIONS");
}

TEST_F(RouterTest, MainRouterFlag) {
  EXPECT_TRUE(root_.match("GET", "/metrics").main_router);
  EXPECT_TRUE(root_.match("GET", "/nonexistent").main_router);
  EXPECT_TRUE(root_.match("GET", "/metrics/").main_router);  // httprouter's redirect
  EXPECT_TRUE(root_.match("POST", "/-/healthy").main_router);
  EXPECT_FALSE(root_.match("GET", "/metrics//x").main_router);  // ServeMux's redirect
  EXPECT_FALSE(root_.match("GET", "/api/v1").main_router);
  EXPECT_FALSE(root_.match("GET", "/api/v1/status").main_router);
  EXPECT_FALSE(root_.match("GET", "/api/v1/nonexistent").main_router);
  EXPECT_FALSE(root_.match("GET", "/%zz").main_router);
}

// ---- Telemetry path and prefix configuration --------------------------------------------------

TEST(RouterConfig, TelemetryPathIsJoinedAndCanShadowPushPaths) {
  // pg2: --web.route-prefix=pg2/ --web.telemetry-path=/metrics/job/foo/
  const Router r{RouterOptions{"/pg2", "/metrics/job/foo/", false}};
  EXPECT_EQ(r.telemetryRoute(), "/pg2/metrics/job/foo");
  EXPECT_EQ(route(r, "GET", "/pg2/metrics/job/foo"), "telemetry");
  EXPECT_EQ(route(r, "GET", "/pg2/metrics/job/foo/"), "301 /pg2/metrics/job/foo");
  EXPECT_EQ(route(r, "GET", "/pg2/metrics/job/bar"), "405 Allow: DELETE, OPTIONS, POST, PUT");
  EXPECT_EQ(route(r, "GET", "/pg2/metrics"), "404");
  EXPECT_EQ(route(r, "GET", "/pg2/metrics/"), "404");
  EXPECT_EQ(route(r, "GET", "/pg2/METRICS/JOB/FOO"), "301 /pg2/metrics/job/foo");
  EXPECT_EQ(route(r, "GET", "/pg2/metrics/job/foo/a/b"), "405 Allow: DELETE, OPTIONS, POST, PUT");
  EXPECT_EQ(route(r, "PUT", "/pg2/metrics/job/foo"), "push job=foo");
  EXPECT_EQ(route(r, "PUT", "/pg2/metrics/job/foo/"), "push job=foo labels=/");
  EXPECT_EQ(route(r, "PUT", "/pg2/metrics"), "404");
  EXPECT_EQ(route(r, "PUT", "/pg2/METRICS/JOB/FOO"), "307 /pg2/metrics/job/FOO");
  EXPECT_EQ(route(r, "PUT", "/pg2/-/healthy"), "405 Allow: GET, OPTIONS");
}

TEST(RouterConfig, StartupErrorsWherePushgatewayPanics) {
  // "panic: path must begin with '/' in path 'metrics'"
  EXPECT_THROW(Router(RouterOptions{"", "metrics", false}), std::invalid_argument);
  // "panic: wildcard route '*filepath' conflicts with existing children in path
  // '/static/*filepath'"
  EXPECT_THROW(Router(RouterOptions{"", "/static/x", false}), std::invalid_argument);
  EXPECT_THROW(Router(RouterOptions{"", "/status", false}), std::invalid_argument);
  EXPECT_THROW(Router(RouterOptions{"", "/-/quit", false}), std::invalid_argument);
  EXPECT_THROW(Router(RouterOptions{"", "/", false}), std::invalid_argument);
  EXPECT_THROW(Router(RouterOptions{"pg", "/metrics", false}), std::invalid_argument);
  EXPECT_THROW(Router(RouterOptions{"/pg/", "/metrics", false}), std::invalid_argument);
  EXPECT_NO_THROW(Router(RouterOptions{"/pg", "metrics", false}));
  EXPECT_EQ(Router(RouterOptions{"/pg", "metrics", false}).telemetryRoute(), "/pg/metrics");
  EXPECT_EQ(Router(RouterOptions{"", "/prom/", false}).telemetryRoute(), "/prom");
}

TEST(RouterConfig, MovedTelemetryPathFreesMetrics) {
  const Router r{RouterOptions{"", "/prom", false}};
  EXPECT_EQ(route(r, "GET", "/prom"), "telemetry");
  EXPECT_EQ(route(r, "GET", "/metrics"), "404");
  EXPECT_EQ(route(r, "PUT", "/metrics/job/x"), "push job=x");
}

// The prefix of --web.external-url=http://example.com/p%20g/ is decoded (config::routePrefix).
TEST(RouterConfig, DecodedPrefixRoutesDecodedPaths) {
  const Router r{RouterOptions{"/p g", "/metrics", false}};
  EXPECT_EQ(route(r, "GET", "/p%20g/metrics"), "telemetry");
  EXPECT_EQ(route(r, "GET", "/p%20g"), "301 /p%20g/");
}

}  // namespace
}  // namespace ferry::core::http
