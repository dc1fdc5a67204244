// --web.external-url and --web.route-prefix: Go's url.Parse path and errors (the error texts
// were checked against Pushgateway 1.5.1) and main.go's computeRoutePrefix.
#include <gtest/gtest.h>

#include <string>

#include "core/config/external_url.h"
#include "core/config/options.h"

namespace ferry::core::config {
namespace {

TEST(ExternalUrlTest, PathIsDecodedPathOfTheUrl) {
  EXPECT_EQ(externalUrlPath(""), "");
  EXPECT_EQ(externalUrlPath("http://example.com/pg/"), "/pg/");
  EXPECT_EQ(externalUrlPath("http://example.com"), "");
  EXPECT_EQ(externalUrlPath("https://user:pw@example.com:8443/a/b?x=1#frag"), "/a/b");
  EXPECT_EQ(externalUrlPath("http://example.com/p%20g/"), "/p g/");
  EXPECT_EQ(externalUrlPath("http://[::1]:9091/pg"), "/pg");
  EXPECT_EQ(externalUrlPath("http://[fe80::1%25en0]/z"), "/z");
  EXPECT_EQ(externalUrlPath("/relative/"), "/relative/");
  EXPECT_EQ(externalUrlPath("example.com/pg"), "example.com/pg");
  EXPECT_EQ(externalUrlPath("mailto:someone"), "");  // opaque: no path
  EXPECT_EQ(externalUrlPath("file:///srv/pg"), "/srv/pg");
  EXPECT_EQ(externalUrlPath("http://h/a?"), "/a");
}

TEST(ExternalUrlTest, RejectsWithKingpinAndGoTexts) {
  const std::pair<std::string, std::string> cases[] = {
      {":foo", R"(invalid URL: parse ":foo": missing protocol scheme)"},
      {"http://a b/", R"(invalid URL: parse "http://a b/": invalid character " " in host name)"},
      {"http://h/%zz", R"(invalid URL: parse "http://h/%zz": invalid URL escape "%zz")"},
      {"http://h/%z", R"(invalid URL: parse "http://h/%z": invalid URL escape "%z")"},
      {"http://h:port/", R"(invalid URL: parse "http://h:port/": invalid port ":port" after host)"},
      {"1a:b", R"(invalid URL: parse "1a:b": first path segment in URL cannot contain colon)"},
      {"http://[::1/", R"(invalid URL: parse "http://[::1/": missing ']' in host)"},
      {"http://u^x@h/", R"(invalid URL: parse "http://u^x@h/": net/url: invalid userinfo)"},
      {"http://h/#%zz", R"(invalid URL: parse "http://h/#%zz": invalid URL escape "%zz")"},
      {"http://h/\x01",
       R"(invalid URL: parse "http://h/\x01": net/url: invalid control character in URL)"},
      {"http://%41/", R"(invalid URL: parse "http://%41/": invalid URL escape "%41")"},
      {"http://[fe80::1%en0]/",
       R"(invalid URL: parse "http://[fe80::1%en0]/": invalid URL escape "%en")"},
  };
  for (const auto& [url, message] : cases) {
    SCOPED_TRACE(url);
    try {
      externalUrlPath(url);
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.what(), message);
    }
  }
}

TEST(RoutePrefixTest, FollowsComputeRoutePrefix) {
  EXPECT_EQ(computeRoutePrefix("", ""), "");
  EXPECT_EQ(computeRoutePrefix("/", ""), "");
  EXPECT_EQ(computeRoutePrefix("", "/"), "");
  EXPECT_EQ(computeRoutePrefix("pg", ""), "/pg");
  EXPECT_EQ(computeRoutePrefix("/pg/", ""), "/pg");
  EXPECT_EQ(computeRoutePrefix("", "/pg/"), "/pg");
  EXPECT_EQ(computeRoutePrefix("/route", "/external/"), "/route");
  // 1.11 removes one trailing slash (1.5.1 trimmed them all).
  EXPECT_EQ(computeRoutePrefix("/pg//", ""), "/pg/");
}

TEST(RoutePrefixTest, UsesRoutePrefixOrElseTheExternalUrlPath) {
  Options o;
  EXPECT_EQ(routePrefix(o), "");
  EXPECT_EQ(externalPathPrefix(o), "");
  o.external_url = "http://example.com/pg/";
  EXPECT_EQ(routePrefix(o), "/pg");
  EXPECT_EQ(externalPathPrefix(o), "/pg");
  o.route_prefix = "/internal";
  EXPECT_EQ(routePrefix(o), "/internal");
  EXPECT_EQ(externalPathPrefix(o), "/pg");  // the UI links keep the external path
}

}  // namespace
}  // namespace ferry::core::config
