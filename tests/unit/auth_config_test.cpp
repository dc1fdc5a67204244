// The config file's "auth" section: shape, defaults and errors naming the key.
#include <gtest/gtest.h>

#include <string>

#include "core/config/config.h"

namespace ferry::core::config {
namespace {

std::string errorOf(const std::string& json) {
  Options o;
  try {
    applyConfigJson(json, "config.json", o);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(AuthConfigTest, AbsentMeansOpen) {
  Options o;
  applyConfigJson("{}", "config.json", o);
  EXPECT_FALSE(o.auth.configured);
}

TEST(AuthConfigTest, FullSection) {
  Options o;
  applyConfigJson(R"({"auth": {
      "plugins": [{"plugin": "token", "config": {"tokens": {}}}, {"plugin": "cert"}],
      "rights": {"user:ci": {"push": ["ci-*"], "delete": ["ci-*"], "scrape": false},
                 "token:prom": {"scrape": true},
                 "anonymous": {}},
      "protect_health": true,
      "failure_delay": {"initial": "50ms", "max": "3s", "max_addresses": 500}}})",
                  "config.json", o);
  EXPECT_TRUE(o.auth.configured);
  ASSERT_EQ(o.auth.plugins.size(), 2u);
  EXPECT_EQ(o.auth.plugins[0].plugin, "token");
  EXPECT_EQ(o.auth.plugins[1].plugin, "cert");
  EXPECT_EQ(o.auth.rights.at("user:ci").at("push"), std::vector<std::string>{"ci-*"});
  EXPECT_EQ(o.auth.rights.at("user:ci").count("scrape"), 0u);  // false: not granted
  EXPECT_EQ(o.auth.rights.at("token:prom").at("scrape"), std::vector<std::string>{"*"});
  EXPECT_TRUE(o.auth.rights.at("anonymous").empty());
  EXPECT_TRUE(o.auth.protect_health);
  EXPECT_EQ(o.auth.failure_delay, std::chrono::milliseconds(50));
  EXPECT_EQ(o.auth.failure_delay_max, std::chrono::milliseconds(3000));
  EXPECT_EQ(o.auth.failure_max_addresses, 500u);
}

TEST(AuthConfigTest, ErrorsNameTheKey) {
  EXPECT_EQ(errorOf(R"({"auth": []})"), R"(config.json: "auth": expected an object, got array)");
  EXPECT_EQ(errorOf(R"({"auth": {"plugin": []}})"), R"(config.json: unknown key "auth.plugin")");
  EXPECT_EQ(errorOf(R"({"auth": {"plugins": {}}})"),
            R"(config.json: "auth.plugins": expected an array, got object)");
  EXPECT_EQ(errorOf(R"({"auth": {"plugins": [{"config": {}}]}})"),
            R"(config.json: "auth.plugins[0]": missing key "plugin")");
  EXPECT_EQ(errorOf(R"({"auth": {"rights": {"user:ci": {"wipe": true}}}})"),
            R"(config.json: "auth.rights.user:ci.wipe": unknown route kind; known: push, )"
            R"(delete, scrape, api_read, admin, lifecycle, health)");
  EXPECT_EQ(errorOf(R"({"auth": {"rights": {"user:ci": {"scrape": ["x"]}}}})"),
            R"(config.json: "auth.rights.user:ci.scrape": job patterns only apply to "push" )"
            R"(and "delete"; use true)");
  EXPECT_EQ(errorOf(R"({"auth": {"rights": {"user:ci": {"push": "ci-*"}}}})"),
            R"(config.json: "auth.rights.user:ci.push": expected true, false or an array of )"
            R"(job patterns, got string "ci-*")");
  EXPECT_EQ(errorOf(R"({"auth": {"rights": {"user:ci": {"push": [""]}}}})"),
            R"(config.json: "auth.rights.user:ci.push[0]": empty job pattern)");
  EXPECT_EQ(errorOf(R"({"auth": {"failure_delay": {"max": "1m"}}})"),
            R"(config.json: "auth.failure_delay.max": at most 10s: a longer delay only ties up )"
            R"(HTTP threads)");
  EXPECT_EQ(errorOf(R"({"auth": {"failure_delay": {"initial": "bogus"}}})"),
            R"(config.json: "auth.failure_delay.initial": time: invalid duration "bogus")");
  EXPECT_EQ(errorOf(R"({"auth": {"failure_delay": {"initial": "5s", "max": "1s"}}})"),
            R"(config.json: "auth.failure_delay.initial": greater than auth.failure_delay.max)");
  EXPECT_EQ(errorOf(R"({"auth": {"failure_delay": {"max_addresses": 0}}})"),
            R"(config.json: "auth.failure_delay.max_addresses": between 1 and 1000000)");
  EXPECT_EQ(errorOf(R"({"auth": {"protect_health": 1}})"),
            R"(config.json: "auth.protect_health": expected a boolean, got number 1)");
}

}  // namespace
}  // namespace ferry::core::config
