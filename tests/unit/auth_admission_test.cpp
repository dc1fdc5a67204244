// Admission: the web config's users and the config's "auth" rights, decided once, and split
// into what can be decided without blocking and what needs a thread (bcrypt).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "core/auth/admission.h"

namespace ferry::core::auth {
namespace {

// bcrypt("secret"), cost 4.
constexpr char kSecret[] = "$2b$04$nIPCEX5W/gzXYwaBwY6xnO.BEAP3eitPaWkPl1YEtCiKr5rQf6wm2";
constexpr char kAliceSecret[] = "Basic YWxpY2U6c2VjcmV0";  // alice:secret
constexpr char kAliceWrong[] = "Basic YWxpY2U6d3Jvbmc=";   // alice:wrong

class WebConfigFile {
 public:
  explicit WebConfigFile(const std::string& yaml) {
    char name[] = "/tmp/ferry-admission-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) throw std::runtime_error("mkstemp");
    ::close(fd);
    path_ = name;
    std::ofstream(path_) << yaml;
  }
  ~WebConfigFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Request {
  std::string authorization;
  plugin_host::AuthRequestView view() const {
    plugin_host::AuthRequestView v;
    v.method = "GET";
    v.path = "/metrics";
    if (!authorization.empty()) v.headers.emplace_back("Authorization", authorization);
    v.remote_address = "127.0.0.1:5000";
    return v;
  }
};

config::Options::AuthOptions rightsFor(const std::string& identity, const std::string& kind) {
  config::Options::AuthOptions auth;
  auth.configured = true;
  auth.rights[identity][kind] = {"*"};
  return auth;
}

TEST(AdmissionTest, OpenWithoutWebUsersOrRights) {
  telemetry::Telemetry telemetry;
  Admission admission(std::nullopt, {}, nullptr, telemetry);
  auto decision = admission.quickDecision(Request{}.view(), RouteKind::kPush, "x");
  ASSERT_TRUE(decision.has_value());
  EXPECT_EQ(decision->status, 0);
  EXPECT_TRUE(admission.responseHeaders().empty());
}

TEST(AdmissionTest, WebUsersAsThePushgateway) {
  WebConfigFile file(std::string("basic_auth_users:\n  alice: ") + kSecret +
                     "\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n");
  web::WebConfigWatcher watcher(file.path());
  telemetry::Telemetry telemetry;
  Admission admission(std::nullopt, {}, &watcher, telemetry);
  EXPECT_EQ(admission.responseHeaders(),
            (std::vector<std::pair<std::string, std::string>>{{"X-Frame-Options", "deny"}}));

  // No credentials: decided at once, 401 with the Basic challenge.
  auto missing = admission.quickDecision(Request{}.view(), RouteKind::kHealth, "");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 401);
  EXPECT_EQ(missing->challenge, "Basic");

  // Credentials never verified need bcrypt: not decided without blocking.
  Request right{kAliceSecret};
  Request wrong{kAliceWrong};
  EXPECT_FALSE(admission.quickDecision(right.view(), RouteKind::kPush, "x").has_value());
  EXPECT_FALSE(admission.quickDecision(wrong.view(), RouteKind::kPush, "x").has_value());
  EXPECT_FALSE(admission.familiarCredentials(right.view()));
  EXPECT_FALSE(admission.familiarCredentials(wrong.view()));

  auto refused = admission.decide(wrong.view(), RouteKind::kPush, "x");
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.delay.count(), 0);  // no slow-down without "auth", as the Pushgateway
  auto accepted = admission.decide(right.view(), RouteKind::kPush, "x");
  EXPECT_EQ(accepted.status, 0);
  EXPECT_EQ(accepted.identity, "user:alice");

  // Verified once: from now on decided without bcrypt, and in the fast lane.
  auto cached = admission.quickDecision(right.view(), RouteKind::kPush, "x");
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->status, 0);
  EXPECT_TRUE(admission.familiarCredentials(right.view()));
  // A wrong password never is.
  EXPECT_FALSE(admission.quickDecision(wrong.view(), RouteKind::kPush, "x").has_value());
  EXPECT_FALSE(admission.familiarCredentials(wrong.view()));
}

TEST(AdmissionTest, RightsWithWebUsers) {
  WebConfigFile file(std::string("basic_auth_users:\n  alice: ") + kSecret + "\n");
  web::WebConfigWatcher watcher(file.path());
  telemetry::Telemetry telemetry;
  auto auth = rightsFor("user:alice", "scrape");
  auth.rights["anonymous"]["scrape"] = {"*"};
  Admission admission(auth, {}, &watcher, telemetry);
  ASSERT_TRUE(admission.rightsConfigured());

  // Health stays open without credentials, and anonymous may scrape.
  EXPECT_EQ(admission.quickDecision(Request{}.view(), RouteKind::kHealth, "")->status, 0);
  EXPECT_EQ(admission.quickDecision(Request{}.view(), RouteKind::kScrape, "")->status, 0);
  auto anonymous_push = admission.quickDecision(Request{}.view(), RouteKind::kPush, "x");
  ASSERT_TRUE(anonymous_push.has_value());
  EXPECT_EQ(anonymous_push->status, 401);
  // Router answers need no right.
  EXPECT_EQ(admission.quickDecision(Request{}.view(), std::nullopt, "")->status, 0);

  Request right{kAliceSecret};
  EXPECT_EQ(admission.decide(right.view(), RouteKind::kScrape, "").status, 0);
  auto forbidden = admission.quickDecision(right.view(), RouteKind::kPush, "x");
  ASSERT_TRUE(forbidden.has_value());
  EXPECT_EQ(forbidden->status, 403);
  EXPECT_EQ(forbidden->identity, "user:alice");

  // Wrong credentials are slowed down with "auth".
  Request wrong{kAliceWrong};
  auto first = admission.decide(wrong.view(), RouteKind::kScrape, "");
  auto second = admission.decide(wrong.view(), RouteKind::kScrape, "");
  EXPECT_EQ(first.status, 401);
  EXPECT_EQ(first.delay.count(), 100);
  EXPECT_EQ(second.delay.count(), 200);
}

}  // namespace
}  // namespace ferry::core::auth
