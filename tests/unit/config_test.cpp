// The command line: kingpin's syntax and error texts as the Pushgateway prints them, Ferry's own
// flags, the config file underneath, help/version, and the status API's "flags" object.
#include "core/config/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "config_test_support.h"

namespace ferry::core::config {
namespace {

using namespace std::chrono_literals;

using test_support::parse;

Options parsed(const std::vector<std::string>& args) {
  Options options;
  ParseOutcome outcome = parse(args, options);
  EXPECT_EQ(outcome.action, ParseOutcome::Action::kRun);
  return options;
}

// The ConfigError text of parsing args (fails the test when they parse).
std::string errorOf(const std::vector<std::string>& args, bool* usage_error = nullptr) {
  Options options;
  try {
    parse(args, options);
  } catch (const ConfigError& e) {
    if (usage_error != nullptr) *usage_error = e.usageError();
    return e.what();
  }
  ADD_FAILURE() << "parsed without error";
  return "";
}

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/ferry_config_test_XXXXXX";
    int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    close(fd);
    path_ = name;
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(CommandLineTest, NoArgumentsGiveThePushgatewayDefaults) {
  Options o = parsed({});
  EXPECT_EQ(o.listen_addresses, std::vector<std::string>{":9091"});
  EXPECT_FALSE(o.systemd_socket);
  EXPECT_EQ(o.web_config_file, "");
  EXPECT_EQ(o.telemetry_path, "/metrics");
  EXPECT_EQ(o.external_url, "");
  EXPECT_EQ(o.route_prefix, "");
  EXPECT_FALSE(o.enable_lifecycle);
  EXPECT_FALSE(o.enable_admin_api);
  EXPECT_EQ(o.persistence_file, "");
  EXPECT_EQ(o.persistence_interval, 5min);
  EXPECT_FALSE(o.disable_consistency_check);
  EXPECT_FALSE(o.enable_utf8_names);
  EXPECT_EQ(o.log_level, "info");
  EXPECT_EQ(o.log_format, "logfmt");
  EXPECT_EQ(o.max_body_bytes, size_t{64} << 20);
  EXPECT_EQ(o.max_connections, 0u);
  EXPECT_EQ(o.handler_threads, 64u);
  EXPECT_EQ(o.keep_alive_timeout, 15s);
  EXPECT_EQ(o.read_header_timeout, 30s);
  EXPECT_EQ(o.read_body_timeout, 30s);
  EXPECT_EQ(o.read_body_min_rate, 8192u);
  EXPECT_EQ(o.write_timeout, 60s);
  EXPECT_EQ(o.tls_handshake_timeout, 10s);
  EXPECT_EQ(o.max_header_bytes, size_t{1} << 20);
  ASSERT_EQ(o.inputs.size(), 2u);
  EXPECT_EQ(o.inputs[0].plugin, "protobuf");
  EXPECT_EQ(o.inputs[1].plugin, "text");
  EXPECT_EQ(o.storage.plugin, "memory");
  EXPECT_TRUE(o.explicitly_set.empty());
}

TEST(CommandLineTest, ValueFlagsTakeEqualsOrNextArgument) {
  Options a = parsed({"--web.telemetry-path=/m", "--web.route-prefix", "/r", "--log.level=debug",
                      "--log.format", "json", "--persistence.interval=2s", "--web.external-url",
                      "http://example.com/pg/"});
  EXPECT_EQ(a.telemetry_path, "/m");
  EXPECT_EQ(a.route_prefix, "/r");
  EXPECT_EQ(a.log_level, "debug");
  EXPECT_EQ(a.log_format, "json");
  EXPECT_EQ(a.persistence_interval, 2s);
  EXPECT_EQ(a.external_url, "http://example.com/pg/");
  // An empty value is a value, and "=" may appear in it.
  Options b = parsed({"--web.route-prefix=", "--web.external-url=http://h/?a=b"});
  EXPECT_EQ(b.route_prefix, "");
  EXPECT_EQ(b.external_url, "http://h/?a=b");
}

TEST(CommandLineTest, BoolFlagsTakeNoPrefixAndExplicitValues) {
  Options on = parsed(
      {"--web.enable-lifecycle", "--web.enable-admin-api", "--push.disable-consistency-check"});
  EXPECT_TRUE(on.enable_lifecycle);
  EXPECT_TRUE(on.enable_admin_api);
  EXPECT_TRUE(on.disable_consistency_check);
  Options off = parsed({"--no-web.enable-lifecycle", "--web.enable-admin-api=false",
                        "--push.disable-consistency-check=0"});
  EXPECT_FALSE(off.enable_lifecycle);
  EXPECT_FALSE(off.enable_admin_api);
  EXPECT_FALSE(off.disable_consistency_check);
  EXPECT_TRUE(parsed({"--web.enable-lifecycle=true"}).enable_lifecycle);
  EXPECT_TRUE(parsed({"--web.enable-lifecycle=T"}).enable_lifecycle);
  EXPECT_EQ(parsed({"--web.enable-lifecycle=1"}).explicitly_set.at("web.enable-lifecycle"), "true");
  EXPECT_FALSE(parsed({"--no-list-plugins"}).list_plugins);
  EXPECT_TRUE(parsed({"--list-plugins"}).list_plugins);
}

TEST(CommandLineTest, FerryFlags) {
  TempFile file("{}");
  Options o = parsed({"--config.file", file.path(), "--plugins.dir=/opt/p", "--plugin-help=text",
                      "--push.max-body-bytes=0", "--web.max-connections=4",
                      "--web.keep-alive-timeout=1m", "--web.handler-threads=8",
                      "--web.read-header-timeout=2s", "--web.read-body-timeout=1m30s",
                      "--web.read-body-min-rate=100", "--web.write-timeout=500ms",
                      "--web.tls-handshake-timeout=3s", "--web.max-header-bytes=65536"});
  EXPECT_EQ(o.config_file, file.path());
  EXPECT_EQ(o.plugin_dirs, (std::vector<std::string>{"/opt/p"}));
  EXPECT_EQ(o.plugin_help, "text");
  EXPECT_EQ(o.max_body_bytes, 0u);
  EXPECT_EQ(o.max_connections, 4u);
  EXPECT_EQ(o.keep_alive_timeout, 60s);
  EXPECT_EQ(o.handler_threads, 8u);
  EXPECT_EQ(o.read_header_timeout, 2s);
  EXPECT_EQ(o.read_body_timeout, 90s);
  EXPECT_EQ(o.read_body_min_rate, 100u);
  EXPECT_EQ(o.write_timeout, 500ms);
  EXPECT_EQ(o.tls_handshake_timeout, 3s);
  EXPECT_EQ(o.max_header_bytes, 65536u);
}

TEST(CommandLineTest, ListenAddressRepeatsAndReplacesTheDefault) {
  Options o =
      parsed({"--web.listen-address=127.0.0.1:19095", "--web.listen-address", "127.0.0.1:19096"});
  EXPECT_EQ(o.listen_addresses, (std::vector<std::string>{"127.0.0.1:19095", "127.0.0.1:19096"}));
  EXPECT_EQ(o.explicitly_set.at("web.listen-address"), "127.0.0.1:19095,127.0.0.1:19096");
}

TEST(CommandLineTest, LogLevelIsCaseInsensitiveAsInPromslog) {
  EXPECT_EQ(parsed({"--log.level=DEBUG"}).log_level, "debug");
  EXPECT_EQ(parsed({"--log.level=Warn"}).log_level, "warn");
}

TEST(CommandLineTest, ExplicitlySetRecordsFlagsAsGiven) {
  Options o = parsed({"--log.level=error", "--no-web.enable-lifecycle", "--web.route-prefix="});
  EXPECT_EQ(o.explicitly_set, (std::map<std::string, std::string>{{"log.level", "error"},
                                                                  {"web.enable-lifecycle", "false"},
                                                                  {"web.route-prefix", ""}}));
}

TEST(CommandLineTest, SyntaxErrorsUseKingpinTexts) {
  bool usage = false;
  EXPECT_EQ(errorOf({"--foo"}, &usage), "unknown long flag '--foo'");
  EXPECT_TRUE(usage);
  EXPECT_EQ(errorOf({"--foo=bar"}), "unknown long flag '--foo'");
  EXPECT_EQ(errorOf({"--no-web.telemetry-path"}), "unknown long flag '--no-web.telemetry-path'");
  EXPECT_EQ(errorOf({"--no-foo"}), "unknown long flag '--no-foo'");
  EXPECT_EQ(errorOf({"--web.telemetry-path"}), "expected argument for flag '--web.telemetry-path'");
  EXPECT_EQ(errorOf({"--web.telemetry-path", "--web.enable-lifecycle"}),
            "expected argument for flag '--web.telemetry-path'");
  EXPECT_EQ(errorOf({"--persistence.interval", "-5m"}),
            "expected argument for flag '--persistence.interval'");
  EXPECT_EQ(errorOf({"-x"}), "unknown short flag '-x'");
  EXPECT_EQ(errorOf({"-"}), "unknown short flag '-'");
  EXPECT_EQ(errorOf({"serve"}), "unexpected serve");
  EXPECT_EQ(errorOf({"--", "--web.enable-lifecycle"}), "unexpected --web.enable-lifecycle");
  EXPECT_EQ(errorOf({"--web.telemetry-path=/a", "--web.telemetry-path=/b"}),
            "flag 'web.telemetry-path' cannot be repeated");
  EXPECT_EQ(errorOf({"--web.enable-lifecycle", "--no-web.enable-lifecycle"}),
            "flag 'web.enable-lifecycle' cannot be repeated");
}

TEST(CommandLineTest, ValueErrorsUseThePushgatewayTexts) {
  EXPECT_EQ(errorOf({"--log.level=x"}), "unrecognized log level x");
  EXPECT_EQ(errorOf({"--log.format=JSON"}), "unrecognized log format JSON");
  EXPECT_EQ(errorOf({"--persistence.interval=bogus"}), R"(time: invalid duration "bogus")");
  EXPECT_EQ(errorOf({"--web.external-url=:foo"}),
            R"(invalid URL: parse ":foo": missing protocol scheme)");
}

TEST(CommandLineTest, FerryChecksNameTheFlag) {
  EXPECT_EQ(errorOf({"--web.telemetry-path=metrics"}),
            R"(--web.telemetry-path: must start with "/", got "metrics")");
  EXPECT_EQ(errorOf({"--web.telemetry-path="}),
            R"(--web.telemetry-path: must start with "/", got "")");
  EXPECT_EQ(errorOf({"--web.max-connections=-1"}),
            R"(--web.max-connections: expected a whole number (0 = no limit), got "-1")");
  EXPECT_EQ(
      errorOf({"--web.max-connections=99999999999999999999"}),
      R"(--web.max-connections: expected a whole number (0 = no limit), got "99999999999999999999")");
  EXPECT_EQ(errorOf({"--web.handler-threads=0"}),
            "--web.handler-threads: must be at least 1, got 0");
  EXPECT_EQ(errorOf({"--web.handler-threads=5000"}),
            "--web.handler-threads: at most 4096, got 5000");
  EXPECT_EQ(errorOf({"--web.read-header-timeout=0s"}),
            R"(--web.read-header-timeout: must be at least 1ms, got "0s")");
  EXPECT_EQ(errorOf({"--web.write-timeout=soon"}),
            R"(--web.write-timeout: time: invalid duration "soon")");
  EXPECT_EQ(errorOf({"--web.max-header-bytes=0"}),
            "--web.max-header-bytes: must be at least 1, got 0");
  EXPECT_EQ(errorOf({"--web.read-body-min-rate=1k"}),
            R"(--web.read-body-min-rate: expected a number of bytes, got "1k")");
  EXPECT_EQ(errorOf({"--push.max-body-bytes=1e6"}),
            R"(--push.max-body-bytes: expected a number of bytes (0 = unlimited), got "1e6")");
  EXPECT_EQ(
      errorOf({"--push.max-body-bytes=99999999999999999999"}),
      R"(--push.max-body-bytes: expected a number of bytes (0 = unlimited), got "99999999999999999999")");
  EXPECT_EQ(
      errorOf({"--web.keep-alive-timeout=1500ms"}),
      R"(--web.keep-alive-timeout: must be a whole number of seconds, at least 1s, got "1500ms")");
  EXPECT_EQ(errorOf({"--web.keep-alive-timeout=0"}),
            R"(--web.keep-alive-timeout: must be a whole number of seconds, at least 1s, got "0")");
  EXPECT_EQ(errorOf({"--web.keep-alive-timeout=x"}),
            R"(--web.keep-alive-timeout: time: invalid duration "x")");
  EXPECT_EQ(errorOf({"--web.enable-lifecycle=maybe"}),
            R"(--web.enable-lifecycle: expected true or false, got "maybe")");
  EXPECT_EQ(errorOf({"--no-web.enable-lifecycle=true"}),
            "--no-web.enable-lifecycle does not take a value");
}

TEST(CommandLineTest, ErrorsComeInCommandLineOrder) {
  EXPECT_EQ(errorOf({"--log.level=x", "--log.format=y"}), "unrecognized log level x");
  // Syntax is checked before values, as kingpin parses before it sets.
  EXPECT_EQ(errorOf({"--log.level=x", "--foo"}), "unknown long flag '--foo'");
}

TEST(CommandLineTest, DoubleDashEndsFlagsAndCanIntroduceAValue) {
  EXPECT_EQ(parsed({"--web.route-prefix", "--", "-odd"}).route_prefix, "-odd");
  EXPECT_EQ(parsed({"--"}).telemetry_path, "/metrics");
  EXPECT_EQ(errorOf({"--", "x"}), "unexpected x");
}

TEST(CommandLineTest, ImportCommandTakesOneFileAndTheUsualFlags) {
  Options o = parsed({"import-pushgateway", "pg.data", "--persistence.file=ferry.data"});
  EXPECT_EQ(o.import_file, "pg.data");
  EXPECT_EQ(o.storage.plugin, "file");
  EXPECT_EQ(parsed({"--plugins.dir=/p", "import-pushgateway", "pg.data"}).import_file, "pg.data");
  EXPECT_EQ(parsed({}).import_file, "");
  bool usage = false;
  EXPECT_EQ(errorOf({"import-pushgateway"}, &usage),
            "import-pushgateway: required argument 'FILE' not provided");
  EXPECT_TRUE(usage);
  EXPECT_EQ(errorOf({"import-pushgateway", "a", "b"}), "unexpected b");
  EXPECT_EQ(errorOf({"pg.data"}), "unexpected pg.data");
}

TEST(CommandLineTest, UnsupportedFlagsFailInsteadOfBeingIgnored) {
  bool usage = true;
  EXPECT_EQ(errorOf({"--web.systemd-socket"}, &usage),
            "--web.systemd-socket: systemd socket activation is not supported");
  EXPECT_FALSE(usage);
  EXPECT_EQ(errorOf({"--web.systemd-socket"}),
            "--web.systemd-socket: systemd socket activation is not supported");
  EXPECT_EQ(errorOf({"--push.enable-utf8-names"}),
            "--push.enable-utf8-names: UTF-8 metric and label names are not supported yet");
  EXPECT_EQ(errorOf({"--web.listen-address=vsock://:9091"}),
            R"(--web.listen-address: vsock addresses are not supported, got "vsock://:9091")");
  // Their defaults, given explicitly, are fine.
  Options o = parsed({"--web.config.file=", "--persistence.file=", "--no-web.systemd-socket",
                      "--push.enable-utf8-names=false"});
  EXPECT_EQ(o.persistence_file, "");
}

TEST(CommandLineTest, OptionsAreUntouchedOnError) {
  Options options;
  options.route_prefix = "/keep";
  EXPECT_THROW(parse({"--web.route-prefix=/new", "--log.level=x"}, options), ConfigError);
  EXPECT_EQ(options.route_prefix, "/keep");
}

TEST(CommandLineTest, HelpAndVersionPrintAndExitZero) {
  for (const char* flag : {"-h", "--help", "--help-long"}) {
    Options o;
    ParseOutcome outcome = parse({flag}, o);
    EXPECT_EQ(outcome.action, ParseOutcome::Action::kExit) << flag;
    EXPECT_EQ(outcome.exit_code, 0);
    EXPECT_EQ(outcome.output, usageText());
  }
  Options o;
  ParseOutcome man = parse({"--help-man"}, o);
  EXPECT_EQ(man.action, ParseOutcome::Action::kExit);
  EXPECT_EQ(man.output, manPageText());
  ParseOutcome version = parse({"--version"}, o);
  EXPECT_EQ(version.action, ParseOutcome::Action::kExit);
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.output, versionText());
  EXPECT_EQ(version.output.rfind(std::string("ferry, version ") + FERRY_VERSION + " (branch: ", 0),
            0u);
}

TEST(CommandLineTest, HelpAndVersionPrecedenceFollowsKingpin) {
  Options o;
  // --version, --help-long and --help-man run before syntax errors that come after them.
  EXPECT_EQ(parse({"--version", "--bogus"}, o).output, versionText());
  EXPECT_EQ(parse({"--help-man", "bogus"}, o).output, manPageText());
  EXPECT_EQ(parse({"--help-long", "--bogus"}, o).output, usageText());
  EXPECT_EQ(errorOf({"--bogus", "--version"}), "unknown long flag '--bogus'");
  // --help yields to any syntax error (as Pushgateway 1.5.1 shows), not to bad values.
  EXPECT_EQ(errorOf({"--help", "--bogus"}), "unknown long flag '--bogus'");
  EXPECT_EQ(errorOf({"-hx"}), "unknown short flag '-x'");
  EXPECT_EQ(parse({"--log.level=x", "--help"}, o).output, usageText());
  EXPECT_EQ(parse({"--web.config.file=x", "-h"}, o).output, usageText());
  EXPECT_EQ(parse({"--help", "--version"}, o).output, versionText());
  EXPECT_EQ(parse({"--no-help", "--no-version"}, o).action, ParseOutcome::Action::kRun);
}

TEST(CommandLineTest, FlagsOverrideTheConfigFile) {
  TempFile file(R"({
    // comments are allowed
    "listen": [":1", ":2"],
    "web": {"route_prefix": "/file", "telemetry_path": "/file-metrics"},
    "log": {"level": "warn"}
  })");
  Options o = parsed(
      {"--config.file=" + file.path(), "--web.route-prefix=/flag", "--web.listen-address=:3"});
  EXPECT_EQ(o.route_prefix, "/flag");
  EXPECT_EQ(o.telemetry_path, "/file-metrics");
  EXPECT_EQ(o.log_level, "warn");
  EXPECT_EQ(o.listen_addresses, std::vector<std::string>{":3"});  // replaced, not appended
  EXPECT_EQ(o.explicitly_set.count("log.level"), 0u);
}

TEST(CommandLineTest, ConfigFileErrorsNameTheFile) {
  TempFile file(R"({"push": {"max_bdy_bytes": 1}})");
  EXPECT_EQ(errorOf({"--config.file=" + file.path()}),
            file.path() + R"(: unknown key "push.max_bdy_bytes")");
  EXPECT_EQ(errorOf({"--config.file=/nonexistent/ferry.json"}),
            "/nonexistent/ferry.json: cannot read the config file: No such file or directory");
  EXPECT_EQ(errorOf({"--config.file=/tmp"}),
            "/tmp: cannot read the config file: it is a directory");
  // A flag's own error is reported before the file is read.
  EXPECT_EQ(errorOf({"--config.file=/nonexistent/ferry.json", "--log.level=x"}),
            "unrecognized log level x");
}

TEST(CommandLineTest, UnsupportedValuesFromTheConfigFileAlsoFail) {
  TempFile file(R"({"push": {"enable_utf8_names": true}})");
  EXPECT_EQ(errorOf({"--config.file=" + file.path()}),
            "--push.enable-utf8-names: UTF-8 metric and label names are not supported yet");
}

TEST(CommandLineTest, PersistenceFileSelectsTheFileStoragePlugin) {
  Options o = parsed({"--persistence.file=/tmp/pg.data", "--persistence.interval=2s"});
  EXPECT_EQ(o.storage.plugin, "file");
  EXPECT_EQ(o.storage.config, (nlohmann::json{{"path", "/tmp/pg.data"}, {"interval", "2s"}}));
  TempFile file(R"({"persistence": {"file": "/tmp/x"}})");
  EXPECT_EQ(parsed({"--config.file=" + file.path()}).storage.config["path"], "/tmp/x");
}

TEST(CommandLineTest, PersistenceFileConflictsWithAnotherStoragePlugin) {
  TempFile file(R"({"storage": {"plugin": "sqlite", "config": {"path": "/tmp/f.db"}}})");
  EXPECT_EQ(errorOf({"--config.file=" + file.path(), "--persistence.file=/tmp/pg.data"}),
            "--persistence.file: cannot be combined with the storage plugin \"sqlite\" of the "
            "config file; configure persistence in one place");
}

TEST(CommandLineTest, CheckConfigReadsTheFileItNames) {
  TempFile file(R"({"web": {"route_prefix": "/checked"}})");
  Options o = parsed({"--check-config", file.path()});
  EXPECT_EQ(o.check_config, file.path());
  EXPECT_EQ(o.route_prefix, "/checked");
  EXPECT_EQ(parsed({"--check-config", file.path(), "--config.file", file.path()}).route_prefix,
            "/checked");
  EXPECT_EQ(errorOf({"--check-config", file.path(), "--config.file=/other.json"}),
            "--check-config: checks \"" + file.path() +
                "\" but --config.file names \"/other.json\"; give one of them");
}

}  // namespace
}  // namespace ferry::core::config
