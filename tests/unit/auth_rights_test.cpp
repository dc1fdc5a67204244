// Rights matching (route kinds, job globs) and the failed-login slow-down table.
#include <gtest/gtest.h>

#include <string>

#include "core/auth/failure_throttle.h"
#include "core/auth/rights.h"
#include "core/model/job_glob.h"

namespace ferry::core::auth {
namespace {

using model::globMatch;
using std::chrono::milliseconds;

TEST(GlobMatchTest, StarQuestionAndLiterals) {
  EXPECT_TRUE(globMatch("ci-*", "ci-build"));
  EXPECT_TRUE(globMatch("ci-*", "ci-"));
  EXPECT_FALSE(globMatch("ci-*", "ci"));
  EXPECT_FALSE(globMatch("ci-*", "xci-build"));
  EXPECT_TRUE(globMatch("*", ""));
  EXPECT_TRUE(globMatch("*-nightly", "ci-x-nightly"));
  EXPECT_TRUE(globMatch("a*b*c", "aXXbYYbc"));
  EXPECT_FALSE(globMatch("a*b*c", "aXXbYYb"));
  EXPECT_TRUE(globMatch("job?", "job1"));
  EXPECT_FALSE(globMatch("job?", "job"));
  EXPECT_FALSE(globMatch("job?", "job12"));
  EXPECT_TRUE(globMatch("exact", "exact"));
  EXPECT_FALSE(globMatch("exact", "exact2"));
  EXPECT_FALSE(globMatch("[ab]", "a"));  // no classes: '[' is a literal
  EXPECT_TRUE(globMatch("[ab]", "[ab]"));
  // Many stars against a long miss stay bounded (no exponential backtracking).
  EXPECT_FALSE(globMatch("*a*a*a*a*a*a*a*a*b", std::string(5000, 'a')));
}

TEST(RightsTest, KindsAndJobs) {
  Rights rights({{"user:ci", {{"push", {"ci-*", "release"}}, {"delete", {"ci-*"}}}},
                 {"token:prom", {{"scrape", {"*"}}}},
                 {"user:ops", {{"admin", {"*"}}, {"push", {"*"}}, {"api_read", {"*"}}}},
                 {"anonymous", {{"health", {"*"}}}}});
  EXPECT_TRUE(rights.allows("user:ci", RouteKind::kPush, "ci-build"));
  EXPECT_TRUE(rights.allows("user:ci", RouteKind::kPush, "release"));
  EXPECT_FALSE(rights.allows("user:ci", RouteKind::kPush, "release2"));
  EXPECT_FALSE(rights.allows("user:ci", RouteKind::kPush, "other"));
  EXPECT_TRUE(rights.allows("user:ci", RouteKind::kDelete, "ci-x"));
  EXPECT_FALSE(rights.allows("user:ci", RouteKind::kDelete, "release"));
  EXPECT_FALSE(rights.allows("user:ci", RouteKind::kScrape));
  EXPECT_FALSE(rights.allows("user:ci", RouteKind::kAdmin));
  EXPECT_TRUE(rights.allows("token:prom", RouteKind::kScrape));
  EXPECT_FALSE(rights.allows("token:prom", RouteKind::kApiRead));
  EXPECT_FALSE(rights.allows("token:prom", RouteKind::kPush, "x"));
  EXPECT_TRUE(rights.allows("user:ops", RouteKind::kAdmin));
  EXPECT_TRUE(rights.allows("user:ops", RouteKind::kPush, ""));
  EXPECT_FALSE(rights.allows("user:ops", RouteKind::kLifecycle));
  EXPECT_TRUE(rights.allows("anonymous", RouteKind::kHealth));
  EXPECT_FALSE(rights.allows("anonymous", RouteKind::kScrape));
  EXPECT_FALSE(rights.allows("user:nobody", RouteKind::kHealth));
  EXPECT_FALSE(rights.allows("", RouteKind::kHealth));
}

TEST(RightsTest, UnknownKindIsRefused) {
  EXPECT_THROW(Rights({{"x", {{"wipe", {"*"}}}}}), std::invalid_argument);
}

TEST(RouteKindTest, NamesRoundTrip) {
  for (size_t i = 0; i < kRouteKindCount; ++i) {
    auto kind = static_cast<RouteKind>(i);
    EXPECT_EQ(parseRouteKind(routeKindName(kind)), kind);
  }
  EXPECT_FALSE(parseRouteKind("Push").has_value());
}

TEST(FailureThrottleTest, DelayDoublesUpToTheCap) {
  FailureThrottle throttle({milliseconds(100), milliseconds(1000), 10, std::chrono::seconds(600)});
  auto now = FailureThrottle::Clock::now();
  EXPECT_EQ(throttle.recordFailure("10.0.0.1", now), milliseconds(100));
  EXPECT_EQ(throttle.recordFailure("10.0.0.1", now), milliseconds(200));
  EXPECT_EQ(throttle.recordFailure("10.0.0.1", now), milliseconds(400));
  EXPECT_EQ(throttle.recordFailure("10.0.0.1", now), milliseconds(800));
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(throttle.recordFailure("10.0.0.1", now), milliseconds(1000));
  }
  // Another address starts at the beginning.
  EXPECT_EQ(throttle.recordFailure("10.0.0.2", now), milliseconds(100));
  // A success clears the address.
  throttle.recordSuccess("10.0.0.1");
  EXPECT_EQ(throttle.failures("10.0.0.1"), 0u);
  EXPECT_EQ(throttle.recordFailure("10.0.0.1", now), milliseconds(100));
}

TEST(FailureThrottleTest, QuietAddressStartsOver) {
  FailureThrottle throttle({milliseconds(100), milliseconds(1000), 10, std::chrono::seconds(60)});
  auto now = FailureThrottle::Clock::now();
  throttle.recordFailure("a", now);
  throttle.recordFailure("a", now);
  EXPECT_EQ(throttle.recordFailure("a", now + std::chrono::seconds(61)), milliseconds(100));
}

TEST(FailureThrottleTest, TableIsBoundedAndForgetsTheOldest) {
  FailureThrottle throttle({milliseconds(10), milliseconds(1000), 100, std::chrono::seconds(600)});
  auto start = FailureThrottle::Clock::now();
  for (int i = 0; i < 10000; ++i) {
    throttle.recordFailure("addr" + std::to_string(i), start + milliseconds(i));
    ASSERT_LE(throttle.size(), 100u);
  }
  EXPECT_EQ(throttle.size(), 100u);
  EXPECT_EQ(throttle.failures("addr0"), 0u);     // forgotten
  EXPECT_EQ(throttle.failures("addr9999"), 1u);  // the newest are kept
  EXPECT_EQ(throttle.failures("addr9900"), 1u);
}

}  // namespace
}  // namespace ferry::core::auth
