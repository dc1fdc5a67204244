// The pieces under Router: Go's path/URL helpers and the httprouter-compatible tree.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/http/route_tree.h"
#include "core/http/url_path.h"

namespace ferry::core::http {
namespace {

TEST(CleanPath, MatchesGoPathClean) {
  // Cases from Go's path.Clean tests.
  const std::pair<const char*, const char*> cases[] = {
      {"", "."},
      {"abc", "abc"},
      {"abc/def", "abc/def"},
      {"a/b/c", "a/b/c"},
      {".", "."},
      {"..", ".."},
      {"../..", "../.."},
      {"../../abc", "../../abc"},
      {"/abc", "/abc"},
      {"/", "/"},
      {"abc/", "abc"},
      {"abc/def/", "abc/def"},
      {"/abc/", "/abc"},
      {"abc//def//ghi", "abc/def/ghi"},
      {"//abc", "/abc"},
      {"///abc", "/abc"},
      {"//abc//", "/abc"},
      {"abc//", "abc"},
      {"abc/./def", "abc/def"},
      {"/./abc/def", "/abc/def"},
      {"abc/.", "abc"},
      {"abc/def/ghi/../jkl", "abc/def/jkl"},
      {"abc/def/../ghi/../jkl", "abc/jkl"},
      {"abc/def/..", "abc"},
      {"abc/def/../..", "."},
      {"/abc/def/../..", "/"},
      {"abc/def/../../..", ".."},
      {"/abc/def/../../..", "/"},
      {"abc/def/../../../ghi/jkl/../../../mno", "../../mno"},
      {"abc/./../def", "def"},
      {"abc//./../def", "def"},
      {"abc/../../././../def", "../../def"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(cleanPath(in), want) << in;
}

TEST(CleanRequestPath, KeepsTrailingSlashLikeServeMux) {
  EXPECT_EQ(cleanRequestPath(""), "/");
  EXPECT_EQ(cleanRequestPath("metrics"), "/metrics");
  EXPECT_EQ(cleanRequestPath("/metrics/"), "/metrics/");
  EXPECT_EQ(cleanRequestPath("/a//b/"), "/a/b/");
  EXPECT_EQ(cleanRequestPath("/a/./"), "/a/");
  EXPECT_EQ(cleanRequestPath("/a/.."), "/");
  EXPECT_EQ(cleanRequestPath("/a/../"), "/");
  EXPECT_EQ(cleanRequestPath("/a/."), "/a");
}

TEST(CleanRequestPath, FastCheckAgreesWithCleaning) {
  // Every path over {'/', '.', 'a'} up to 8 bytes.
  std::vector<std::string> paths{"/"};
  for (size_t i = 0; i < paths.size(); ++i) {
    EXPECT_EQ(isCleanRequestPath(paths[i]), cleanRequestPath(paths[i]) == paths[i]) << paths[i];
    if (paths[i].size() < 8) {
      for (char c : {'/', '.', 'a'}) paths.push_back(paths[i] + c);
    }
  }
  EXPECT_GT(paths.size(), 3000u);
  EXPECT_FALSE(isCleanRequestPath(""));
  EXPECT_FALSE(isCleanRequestPath("a/b"));
}

TEST(JoinPath, MatchesGoPathJoin) {
  EXPECT_EQ(joinPath("", ""), "");
  EXPECT_EQ(joinPath("", "/metrics"), "/metrics");
  EXPECT_EQ(joinPath("", "metrics"), "metrics");
  EXPECT_EQ(joinPath("/pg", "/metrics"), "/pg/metrics");
  EXPECT_EQ(joinPath("/pg", "metrics/"), "/pg/metrics");
  EXPECT_EQ(joinPath("/pg", ""), "/pg");
  EXPECT_EQ(joinPath("/pg", "../x"), "/x");
}

TEST(PathEscaping, UnescapeAndEscape) {
  EXPECT_EQ(unescapePath("/a%2Fb%20c+d"), "/a/b c+d");
  EXPECT_EQ(unescapePath("%e2%82%AC"), "\xe2\x82\xac");
  EXPECT_FALSE(unescapePath("%").has_value());
  EXPECT_FALSE(unescapePath("%a").has_value());
  EXPECT_FALSE(unescapePath("%ag").has_value());
  EXPECT_EQ(escapePath("/a b/é?#%\"<>"), "/a%20b/%C3%A9%3F%23%25%22%3C%3E");
  EXPECT_EQ(escapePath("/AZaz09-_.~$&+,/:;=@"), "/AZaz09-_.~$&+,/:;=@");
  EXPECT_EQ(escapePath("!'()*[]"), "%21%27%28%29%2A%5B%5D");
}

TEST(PathEscaping, RawPathFieldAndEscapedPath) {
  EXPECT_EQ(rawPathField("/metrics", "/metrics"), "");
  EXPECT_EQ(rawPathField("/a%20b", "/a b"), "");
  EXPECT_EQ(rawPathField("/a%2fb", "/a/b"), "/a%2fb");
  EXPECT_EQ(rawPathField("/%6detrics", "/metrics"), "/%6detrics");
  EXPECT_EQ(rawPathField("/a!b", "/a!b"), "/a!b");  // '!' would be escaped by Go
  EXPECT_EQ(escapedPath("/a/b", "/a%2fb"), "/a%2fb");
  EXPECT_EQ(escapedPath("/a/b/", "/a%2fb"), "/a/b/");
  EXPECT_EQ(escapedPath("/a b", "/a<b"), "/a%20b");  // invalid raw form is ignored
}

TEST(RouteTree, ParamsCatchAllAndTrailingSlashRecommendations) {
  RouteTree t;
  t.add("/metrics/job/:job/*labels", 1);
  t.add("/metrics/job/:job", 2);
  t.add("/metrics/job@base64/:job/*labels", 3);
  t.add("/metrics/job@base64/:job", 4);
  t.add("/-/quit", 5);

  RouteTree::Lookup r = t.lookup("/metrics/job/x/a/b");
  EXPECT_EQ(r.handle, 1);
  ASSERT_EQ(r.params.size(), 2u);
  EXPECT_EQ(r.params[0].key, "job");
  EXPECT_EQ(r.params[0].value, "x");
  EXPECT_EQ(r.params[1].key, "labels");
  EXPECT_EQ(r.params[1].value, "/a/b");
  EXPECT_EQ(t.lookup("/metrics/job/x").handle, 2);
  EXPECT_EQ(t.lookup("/metrics/job/x/").params.back().value, "/");
  EXPECT_EQ(t.lookup("/metrics/job@base64/eA").handle, 4);

  EXPECT_EQ(t.lookup("/metrics/job/").handle, -1);
  EXPECT_TRUE(t.lookup("/metrics/job/").tsr);  // although "/metrics/job" has no route
  EXPECT_FALSE(t.lookup("/metrics/job@base64/").tsr);
  EXPECT_TRUE(t.lookup("/-/quit/").tsr);
  EXPECT_FALSE(t.lookup("/-/qui").tsr);

  EXPECT_EQ(t.findCaseInsensitivePath("/METRICS/JOB/X", true), "/metrics/job/X");
  EXPECT_EQ(t.findCaseInsensitivePath("/Metrics/Job/abc/a/b", true), "/metrics/job/abc/a/b");
  EXPECT_EQ(t.findCaseInsensitivePath("/metrics/JOB@BASE64/x/a/b", true), std::nullopt);
  EXPECT_EQ(t.findCaseInsensitivePath("/-/QUIT/", true), "/-/quit");
  EXPECT_EQ(t.findCaseInsensitivePath("/-/QUIT/", false), std::nullopt);
}

TEST(RouteTree, StaticSplitsAndRootHandle) {
  RouteTree t;
  t.add("/-/healthy", 1);
  t.add("/-/ready", 2);
  t.add("/metrics", 3);
  t.add("/static/*filepath", 4);
  t.add("/status", 5);
  t.add("/", 6);
  EXPECT_EQ(t.lookup("/").handle, 6);
  EXPECT_EQ(t.lookup("/-/ready").handle, 2);
  EXPECT_EQ(t.lookup("/status").handle, 5);
  EXPECT_EQ(t.lookup("/static/a/b.js").params[0].value, "/a/b.js");
  EXPECT_TRUE(t.lookup("/static").tsr);
  EXPECT_TRUE(t.lookup("/metrics/").tsr);
  EXPECT_FALSE(t.lookup("/metrics/job/").tsr);
  EXPECT_FALSE(t.lookup("/-/").tsr);
  EXPECT_EQ(t.findCaseInsensitivePath("/STATIC/X", true), "/static/X");
  EXPECT_EQ(t.findCaseInsensitivePath("/Status/", true), "/status");
  EXPECT_EQ(t.findCaseInsensitivePath("/\xc4\xb0ndex", true), std::nullopt);
}

TEST(RouteTree, ConflictsThrowLikeHttprouterPanics) {
  RouteTree t;
  t.add("/static/x", 1);
  EXPECT_THROW(t.add("/static/*filepath", 2), std::invalid_argument);
  RouteTree dup;
  dup.add("/a", 1);
  EXPECT_THROW(dup.add("/a", 2), std::invalid_argument);
  RouteTree wild;
  wild.add("/a/:x", 1);
  EXPECT_THROW(wild.add("/a/:y", 2), std::invalid_argument);
  EXPECT_THROW(wild.add("/a/b", 2), std::invalid_argument);
  EXPECT_NO_THROW(wild.add("/a/:x/c", 3));
  RouteTree bad;
  EXPECT_THROW(bad.add("x", 1), std::invalid_argument);
  EXPECT_THROW(bad.add("/a/:", 1), std::invalid_argument);
  EXPECT_THROW(bad.add("/a/*x/b", 1), std::invalid_argument);
  EXPECT_THROW(bad.add("/a/:x:y", 1), std::invalid_argument);
  EXPECT_THROW(bad.add("/a*x", 1), std::invalid_argument);
}

}  // namespace
}  // namespace ferry::core::http
