#include "core/http/ui_api.h"

#include <gtest/gtest.h>

#include "core/auth/rights.h"

namespace ferry::core {
namespace {

using nlohmann::json;

TEST(UiRights, WithoutAuthThePushgatewayRulesApply) {
  json open = http::rightsData(nullptr, false, std::nullopt);
  EXPECT_EQ(open["identity"], nullptr);
  EXPECT_EQ(open["auth"], false);
  EXPECT_EQ(open["can"]["delete_group"], true);
  EXPECT_EQ(open["can"]["delete_selector"], false);
  EXPECT_EQ(open["can"]["wipe"], false);

  json admin = http::rightsData(nullptr, true, std::string("user:alice"));
  EXPECT_EQ(admin["identity"], "user:alice");
  EXPECT_EQ(admin["can"]["wipe"], true);
  // DELETE /api/v1/groups?match[]= is routed with the admin API.
  EXPECT_EQ(admin["can"]["delete_selector"], true);
}

TEST(UiRights, WithAuthTheRightsTableDecides) {
  auth::Rights rights({{"user:ci", {{"push", {"ci-*"}}, {"delete", {"ci-*", "nightly"}}}},
                       {"user:ops", {{"delete", {"*"}}, {"admin", {"*"}}}},
                       {"anonymous", {}}});
  json ci = http::rightsData(&rights, true, std::string("user:ci"));
  EXPECT_EQ(ci["auth"], true);
  EXPECT_EQ(ci["can"]["delete_group"], "some");
  EXPECT_EQ(ci["can"]["delete_jobs"], json::array({"ci-*", "nightly"}));
  // Routed with "auth"; the server checks the delete right on every matched job.
  EXPECT_EQ(ci["can"]["delete_selector"], true);
  EXPECT_EQ(http::rightsData(&rights, false, std::string("user:ci"))["can"]["delete_selector"],
            true);
  EXPECT_EQ(ci["can"]["wipe"], false);

  json ops = http::rightsData(&rights, true, std::string("user:ops"));
  EXPECT_EQ(ops["can"]["delete_group"], true);
  EXPECT_EQ(ops["can"]["wipe"], true);
  // The admin right is not enough where the admin API is off: the route does not exist.
  EXPECT_EQ(http::rightsData(&rights, false, std::string("user:ops"))["can"]["wipe"], false);

  json anonymous = http::rightsData(&rights, true, std::nullopt);
  EXPECT_EQ(anonymous["can"]["delete_group"], false);
  EXPECT_EQ(anonymous["can"]["delete_jobs"], json::array());
  EXPECT_EQ(anonymous["can"]["delete_selector"], false);
  EXPECT_EQ(http::rightsData(&rights, true, std::string("user:nobody"))["can"]["delete_group"],
            false);
}

TEST(UiRuntime, SecretsInPluginConfigsAreHidden) {
  json config = {{"path", "/var/lib/ferry/ferry.db"},
                 {"password", "hunter2"},
                 {"redis_password", "x"},
                 {"apiToken", "t"},
                 {"client_secret", "s"},
                 {"private_key", "k"},
                 {"key_prefix", "ferry:"},
                 {"tls", {{"auth", true}, {"credentials", {{"user", "u"}}}}},
                 {"url", "redis://user:pw@db:6379/0"},
                 {"urls", {"rediss://:pw@a:1", "redis://b:2"}},
                 {"timeout_ms", 5}};
  json shown = http::redactedConfig(config);
  EXPECT_EQ(shown["path"], "/var/lib/ferry/ferry.db");
  EXPECT_EQ(shown["password"], "<hidden>");
  EXPECT_EQ(shown["redis_password"], "<hidden>");
  EXPECT_EQ(shown["apiToken"], "<hidden>");
  EXPECT_EQ(shown["client_secret"], "<hidden>");
  EXPECT_EQ(shown["private_key"], "<hidden>");
  EXPECT_EQ(shown["key_prefix"], "ferry:");
  EXPECT_EQ(shown["tls"]["auth"], true);  // a switch, not a secret
  EXPECT_EQ(shown["tls"]["credentials"], "<hidden>");
  EXPECT_EQ(shown["url"], "redis://user:<hidden>@db:6379/0");
  EXPECT_EQ(shown["urls"], json::array({"rediss://:<hidden>@a:1", "redis://b:2"}));
  EXPECT_EQ(shown["timeout_ms"], 5);
  EXPECT_EQ(shown.dump().find("hunter2"), std::string::npos);
  EXPECT_EQ(shown.dump().find("pw"), std::string::npos);
}

TEST(UiRuntime, AnswersAreValidJsonEvenForInvalidUtf8) {
  std::string body = http::apiSuccess(json{{"x", std::string("a\xff")}});
  json parsed = json::parse(body);
  EXPECT_EQ(parsed["status"], "success");
  EXPECT_EQ(parsed["data"]["x"], "a\xEF\xBF\xBD");
}

}  // namespace
}  // namespace ferry::core
