// --web.external-url and --web.route-prefix: Go's url.Parse path and errors (the error texts
// were checked against Pushgateway 1.5.1) and computeRoutePrefix of Pushgateway 1.11.3's main.go.
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
  EXPECT_EQ(externalUrlPath("HTTP://h:1/x?y#z"), "/x");
  EXPECT_EQ(externalUrlPath("http://h/x%2Fy/"), "/x/y/");
  EXPECT_EQ(externalUrlPath("//h/x"), "/x");  // an authority without a scheme
  EXPECT_EQ(externalUrlPath("///x"), "///x");
  EXPECT_EQ(externalUrlPath("a:b/c"), "");  // opaque
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
  EXPECT_EQ(computeRoutePrefix("//", ""), "/");
  EXPECT_EQ(computeRoutePrefix("//pg//", ""), "//pg/");
}

TEST(RoutePrefixTest, UsesRoutePrefixOrElseTheExternalUrlPath) {
  Options o;
  EXPECT_EQ(routePrefix(o), "");
  o.external_url = "http://example.com/";
  EXPECT_EQ(routePrefix(o), "");
  o.external_url = "http://example.com/pg/";
  EXPECT_EQ(routePrefix(o), "/pg");
  o.external_url = "http://example.com/p%20g/";
  EXPECT_EQ(routePrefix(o), "/p g");
  o.external_url = "example.com/pg";
  EXPECT_EQ(routePrefix(o), "/example.com/pg");
  o.external_url = "mailto:x@example.com";
  EXPECT_EQ(routePrefix(o), "");
  o.external_url = "http://example.com/pg/";
  o.route_prefix = "/internal";
  EXPECT_EQ(routePrefix(o), "/internal");  // the flag wins
  o.route_prefix = "a/b/";
  EXPECT_EQ(routePrefix(o), "/a/b");
  o.route_prefix = "/";
  EXPECT_EQ(routePrefix(o), "");  // "/" is not empty, so the external URL does not count
}

// The Pushgateway would register its routes under these and then redirect every request for
// them to a cleaned path that has no route; Ferry refuses them at startup.
TEST(RoutePrefixTest, RefusesAPrefixNoRouteCouldBeReachedUnder) {
  for (const char* flag : {"//", "/pg//", "//pg", "/a//b", "/a/./b", "/a/..", "/.."}) {
    Options o;
    o.route_prefix = flag;
    EXPECT_THROW(routePrefix(o), ConfigError) << flag;
  }
  Options o;
  o.route_prefix = "/pg//";
  try {
    routePrefix(o);
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "--web.route-prefix \"/pg//\" gives the route prefix \"/pg/\", which is not a clean "
              "path (an empty, \".\" or \"..\" segment), so no route under it could be reached");
    EXPECT_FALSE(e.usageError());
  }
  o.route_prefix.clear();
  o.external_url = "http://example.com/pg//";
  EXPECT_THROW(routePrefix(o), ConfigError);
}

}  // namespace
}  // namespace ferry::core::config
