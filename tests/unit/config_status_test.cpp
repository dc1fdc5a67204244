// The status API's "flags" object and the --help / --help-man texts, all built from the one flag
// table.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>

#include "core/config/config.h"

namespace ferry::core::config {
namespace {

using namespace std::chrono_literals;

// The "flags" of Pushgateway 1.5.1 with default flags (spec Appendix E25, listening on :9091),
// without the Debian-only web.local-assets, plus 1.11's push.enable-utf8-names.
const std::map<std::string, std::string> kPushgatewayDefaults = {
    {"log.format", "logfmt"},
    {"log.level", "info"},
    {"persistence.file", ""},
    {"persistence.interval", "5m0s"},
    {"push.disable-consistency-check", "false"},
    {"push.enable-utf8-names", "false"},
    {"web.config.file", ""},
    {"web.enable-admin-api", "false"},
    {"web.enable-lifecycle", "false"},
    {"web.external-url", ""},
    {"web.listen-address", ":9091"},
    {"web.route-prefix", ""},
    {"web.systemd-socket", "false"},
    {"web.telemetry-path", "/metrics"},
};

const std::map<std::string, std::string> kFerryDefaults = {
    {"check-config", ""},
    {"config.file", ""},
    {"list-plugins", "false"},
    {"plugin-help", ""},
    {"plugins.dir", ""},
    {"push.default-ttl", "0s"},
    {"push.max-body-bytes", "67108864"},
    {"push.max-ttl", "0s"},
    {"web.handler-threads", "64"},
    {"web.keep-alive-timeout", "15s"},
    {"web.max-connections", "0"},
    {"web.max-header-bytes", "1048576"},
    {"web.read-body-min-rate", "8192"},
    {"web.read-body-timeout", "30s"},
    {"web.read-header-timeout", "30s"},
    {"web.tls-handshake-timeout", "10s"},
    {"web.write-timeout", "1m0s"},
};

TEST(StatusFlagsTest, DefaultsMatchThePushgatewayCapturePlusFerryFlags) {
  std::map<std::string, std::string> want = kPushgatewayDefaults;
  want.insert(kFerryDefaults.begin(), kFerryDefaults.end());
  EXPECT_EQ(statusFlags(Options{}), want);
}

TEST(StatusFlagsTest, ShowsEffectiveValuesFormattedAsTheStatusApiDoes) {
  Options o;
  o.listen_addresses = {"127.0.0.1:19095", "127.0.0.1:19096"};
  o.persistence_interval = 2s;
  o.enable_admin_api = true;
  o.log_level = "debug";
  o.keep_alive_timeout = 90s;
  auto flags = statusFlags(o);
  EXPECT_EQ(flags.at("web.listen-address"), "127.0.0.1:19095,127.0.0.1:19096");
  EXPECT_EQ(flags.at("persistence.interval"), "2s");
  EXPECT_EQ(flags.at("web.enable-admin-api"), "true");
  EXPECT_EQ(flags.at("log.level"), "debug");
  EXPECT_EQ(flags.at("web.keep-alive-timeout"), "1m30s");
}

TEST(StatusFlagsTest, KingpinBoilerplateIsLeftOut) {
  auto flags = statusFlags(Options{});
  for (const char* name : {"help", "help-long", "help-man", "version"}) {
    EXPECT_EQ(flags.count(name), 0u) << name;
  }
}

TEST(UsageTest, ListsEveryFlagInKingpinLayout) {
  const std::string usage = usageText();
  EXPECT_EQ(usage.rfind("usage: ferry [<flags>]\n\n", 0), 0u);
  EXPECT_NE(usage.find(
                "\nFlags:\n  -h, --[no-]help                Show context-sensitive help (also try\n"
                "                                 --help-long and --help-man).\n"),
            std::string::npos)
      << usage;
  EXPECT_NE(usage.find("\n      --web.listen-address=:9091 ...  \n"
                       "                                 Addresses on which"),
            std::string::npos);
  EXPECT_NE(usage.find("\n      --web.telemetry-path=\"/metrics\"  \n"), std::string::npos);
  EXPECT_NE(usage.find("\n      --persistence.interval=5m  The minimum interval"),
            std::string::npos);
  EXPECT_NE(usage.find("\n      --log.level=info           Only log messages"), std::string::npos);
  EXPECT_NE(usage.find("\n      --web.external-url=        The URL under which"),
            std::string::npos);
  EXPECT_NE(usage.find("\n      --[no-]version             Show application version.\n\n"),
            std::string::npos);
  // Every flag of the status API is documented, hidden kingpin flags are not.
  for (const auto& [name, value] : statusFlags(Options{})) {
    EXPECT_TRUE(usage.find("--" + name + "=") != std::string::npos ||
                usage.find("--[no-]" + name + " ") != std::string::npos)
        << name;
  }
  EXPECT_EQ(usage.find("help-man "), std::string::npos);
  // kingpin's 80-column layout.
  std::istringstream lines(usage);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("=") == std::string::npos) {
      EXPECT_LE(line.size(), 80u) << line;
    }
  }
}

TEST(UsageTest, ManPageIsRoff) {
  const std::string man = manPageText();
  EXPECT_EQ(man.rfind(".TH ferry 1 \"ferry " + std::string(FERRY_VERSION) + "\" \"\"\n", 0), 0u);
  EXPECT_NE(man.find(".SH \"OPTIONS\"\n.TP\n\\fB-h, --help\\fR\n"), std::string::npos);
  EXPECT_NE(man.find(".TP\n\\fB--web.listen-address=:9091\\fR\nAddresses on which"),
            std::string::npos);
  EXPECT_NE(man.find(".TP\n\\fB--web.enable-lifecycle\\fR\nEnable shutdown via HTTP request.\n"),
            std::string::npos);
}

TEST(VersionTest, VersionBlockHasThePushgatewayShape) {
  const std::string text = versionText();
  const BuildInfo& b = buildInfo();
  EXPECT_EQ(b.version, FERRY_VERSION);
  EXPECT_EQ(text, "ferry, version " + b.version + " (branch: " + b.branch +
                      ", revision: " + b.revision + ")\n  build user:       " + b.build_user +
                      "\n  build date:       " + b.build_date + "\n  compiler:         " +
                      b.compiler + "\n  platform:         " + b.platform + "\n");
  // Go's layout: 20230409-10:14:32.
  ASSERT_EQ(b.build_date.size(), 17u) << b.build_date;
  EXPECT_EQ(b.build_date[8], '-');
  EXPECT_NE(b.platform.find('/'), std::string::npos);
}

}  // namespace
}  // namespace ferry::core::config
