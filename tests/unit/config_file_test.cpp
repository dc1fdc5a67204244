// The JSON config file: every key, the pipeline, and errors that name the key's full path; plus
// the shipped config/ferry.json and the examples in docs/configuration.md.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/config/config.h"

namespace ferry::core::config {
namespace {

using namespace std::chrono_literals;

Options applied(const std::string& json) {
  Options o;
  applyConfigJson(json, "config.json", o);
  return o;
}

std::string errorOf(const std::string& json) {
  Options o;
  try {
    applyConfigJson(json, "config.json", o);
  } catch (const ConfigError& e) {
    EXPECT_FALSE(e.usageError());
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << json;
  return "";
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(ConfigFileTest, EmptyObjectKeepsDefaults) {
  Options o = applied("{}");
  EXPECT_EQ(o.listen_addresses, std::vector<std::string>{":9091"});
  EXPECT_EQ(o.inputs.size(), 2u);
  EXPECT_EQ(o.storage.plugin, "memory");
}

TEST(ConfigFileTest, EveryKey) {
  Options o = applied(R"({
    "listen": ["127.0.0.1:9091", "[::1]:9091"],
    "plugins": {"dir": "/opt/ferry/plugins"},
    "inputs": [{"plugin": "text", "config": {"strict": true}}],
    "storage": {"plugin": "sqlite", "config": {"path": "/var/lib/ferry/ferry.db"}},
    "push": {"consistency_check": false, "max_body_bytes": 1048576, "enable_utf8_names": true},
    "web": {"telemetry_path": "/m", "route_prefix": "/r", "external_url": "http://h/pg/",
            "enable_lifecycle": true, "enable_admin_api": true, "max_connections": 64,
            "keep_alive_timeout": "5s", "handler_threads": 3, "read_header_timeout": "1s",
            "read_body_timeout": "2s", "read_body_min_rate": 10, "write_timeout": "3s",
            "tls_handshake_timeout": "4s", "max_header_bytes": 4096},
    "persistence": {"file": "/tmp/pg.data", "interval": "1h30m"},
    "log": {"level": "DEBUG", "format": "json"}
  })");
  EXPECT_EQ(o.listen_addresses, (std::vector<std::string>{"127.0.0.1:9091", "[::1]:9091"}));
  EXPECT_EQ(o.plugin_dirs, (std::vector<std::string>{"/opt/ferry/plugins"}));
  ASSERT_EQ(o.inputs.size(), 1u);
  EXPECT_EQ(o.inputs[0].plugin, "text");
  EXPECT_EQ(o.inputs[0].config, nlohmann::json({{"strict", true}}));
  EXPECT_EQ(o.storage.plugin, "sqlite");
  EXPECT_EQ(o.storage.config.at("path"), "/var/lib/ferry/ferry.db");
  EXPECT_TRUE(o.disable_consistency_check);
  EXPECT_EQ(o.max_body_bytes, 1048576u);
  EXPECT_TRUE(o.enable_utf8_names);
  EXPECT_EQ(o.telemetry_path, "/m");
  EXPECT_EQ(o.route_prefix, "/r");
  EXPECT_EQ(o.external_url, "http://h/pg/");
  EXPECT_TRUE(o.enable_lifecycle);
  EXPECT_TRUE(o.enable_admin_api);
  EXPECT_EQ(o.max_connections, 64u);
  EXPECT_EQ(o.keep_alive_timeout, 5s);
  EXPECT_EQ(o.handler_threads, 3u);
  EXPECT_EQ(o.read_header_timeout, 1s);
  EXPECT_EQ(o.read_body_timeout, 2s);
  EXPECT_EQ(o.read_body_min_rate, 10u);
  EXPECT_EQ(o.write_timeout, 3s);
  EXPECT_EQ(o.tls_handshake_timeout, 4s);
  EXPECT_EQ(o.max_header_bytes, 4096u);
  EXPECT_EQ(o.persistence_file, "/tmp/pg.data");
  EXPECT_EQ(o.persistence_interval, 90min);
  EXPECT_EQ(o.log_level, "debug");
  EXPECT_EQ(o.log_format, "json");
  EXPECT_TRUE(o.explicitly_set.empty());  // the file is not the command line
}

TEST(ConfigFileTest, ListenTakesAStringAndPluginConfigDefaultsToEmpty) {
  Options o = applied(R"({"listen": ":8080", "storage": {"plugin": "memory"}})");
  EXPECT_EQ(o.listen_addresses, std::vector<std::string>{":8080"});
  EXPECT_EQ(o.storage.config, nlohmann::json::object());
}

TEST(ConfigFileTest, CommentsAreAllowed) {
  Options o = applied("// line comment\n{ /* block */ \"web\": {\"route_prefix\": \"/c\"} }\n");
  EXPECT_EQ(o.route_prefix, "/c");
}

TEST(ConfigFileTest, UnknownKeysNameTheirFullPath) {
  EXPECT_EQ(errorOf(R"({"lisen": ":1"})"), R"(config.json: unknown key "lisen")");
  EXPECT_EQ(errorOf(R"({"push": {"max_bdy_bytes": 1}})"),
            R"(config.json: unknown key "push.max_bdy_bytes")");
  EXPECT_EQ(errorOf(R"({"web": {"telemetry-path": "/m"}})"),
            R"(config.json: unknown key "web.telemetry-path")");
  EXPECT_EQ(errorOf(R"({"inputs": [{"plugin": "text"}, {"plugin": "protobuf", "confg": {}}]})"),
            R"(config.json: unknown key "inputs[1].confg")");
  EXPECT_EQ(errorOf(R"({"storage": {"plugin": "memory", "path": "/x"}})"),
            R"(config.json: unknown key "storage.path")");
  EXPECT_EQ(errorOf(R"({"plugins": {"directory": "/x"}})"),
            R"(config.json: unknown key "plugins.directory")");
  EXPECT_EQ(errorOf(R"({"persistence": {"path": "/x"}})"),
            R"(config.json: unknown key "persistence.path")");
  EXPECT_EQ(errorOf(R"({"log": {"lvl": "info"}})"), R"(config.json: unknown key "log.lvl")");
}

TEST(ConfigFileTest, WrongTypesNameTheKeyAndTheExpectedType) {
  EXPECT_EQ(errorOf(R"({"web": {"enable_lifecycle": "yes"}})"),
            R"(config.json: "web.enable_lifecycle": expected a boolean, got string "yes")");
  EXPECT_EQ(errorOf(R"({"push": {"max_body_bytes": -1}})"),
            R"(config.json: "push.max_body_bytes": expected an unsigned integer, got number -1)");
  EXPECT_EQ(errorOf(R"({"push": {"max_body_bytes": 1.5}})"),
            R"(config.json: "push.max_body_bytes": expected an unsigned integer, got number 1.5)");
  EXPECT_EQ(errorOf(R"({"push": []})"), R"(config.json: "push": expected an object, got array)");
  EXPECT_EQ(errorOf(R"({"listen": 9091})"),
            R"(config.json: "listen": expected a string or an array of strings, got number 9091)");
  EXPECT_EQ(errorOf(R"({"listen": [":1", 2]})"),
            R"(config.json: "listen[1]": expected a string, got number 2)");
  EXPECT_EQ(errorOf(R"({"web": {"route_prefix": null}})"),
            R"(config.json: "web.route_prefix": expected a string, got null)");
  EXPECT_EQ(errorOf(R"({"persistence": {"interval": 300}})"),
            R"(config.json: "persistence.interval": expected a string, got number 300)");
  EXPECT_EQ(errorOf(R"({"inputs": {"plugin": "text"}})"),
            R"(config.json: "inputs": expected an array, got object)");
  EXPECT_EQ(errorOf(R"({"inputs": ["text"]})"),
            R"(config.json: "inputs[0]": expected an object, got string "text")");
  EXPECT_EQ(errorOf(R"({"storage": {"plugin": "memory", "config": "x"}})"),
            R"(config.json: "storage.config": expected an object, got string "x")");
}

TEST(ConfigFileTest, ValuesFollowTheFlagRules) {
  EXPECT_EQ(errorOf(R"({"log": {"level": "loud"}})"),
            R"(config.json: "log.level": unrecognized log level loud)");
  EXPECT_EQ(errorOf(R"({"log": {"format": "text"}})"),
            R"(config.json: "log.format": unrecognized log format text)");
  EXPECT_EQ(errorOf(R"({"persistence": {"interval": "soon"}})"),
            R"(config.json: "persistence.interval": time: invalid duration "soon")");
  EXPECT_EQ(errorOf(R"({"web": {"telemetry_path": "metrics"}})"),
            R"(config.json: "web.telemetry_path": must start with "/", got "metrics")");
  EXPECT_EQ(errorOf(R"({"web": {"handler_threads": 0}})"),
            R"(config.json: "web.handler_threads": must be at least 1, got 0)");
  EXPECT_EQ(errorOf(R"({"web": {"read_body_timeout": "0"}})"),
            R"(config.json: "web.read_body_timeout": must be at least 1ms, got "0")");
  EXPECT_EQ(
      errorOf(R"({"web": {"keep_alive_timeout": "100ms"}})"),
      R"(config.json: "web.keep_alive_timeout": must be a whole number of seconds, at least 1s, got "100ms")");
  EXPECT_EQ(errorOf(R"({"web": {"external_url": ":x"}})"),
            R"(config.json: "web.external_url": invalid URL: parse ":x": missing protocol scheme)");
}

TEST(ConfigFileTest, PipelineRules) {
  EXPECT_EQ(errorOf(R"({"inputs": []})"),
            R"(config.json: "inputs": at least one input plugin is needed)");
  EXPECT_EQ(errorOf(R"({"listen": []})"),
            R"(config.json: "listen": at least one address is needed)");
  EXPECT_EQ(errorOf(R"({"storage": {"config": {}}})"),
            R"(config.json: "storage": missing key "plugin")");
  EXPECT_EQ(errorOf(R"({"inputs": [{"plugin": "text"}, {"plugin": "text"}]})"),
            R"(config.json: "inputs[1].plugin": input plugin "text" is listed twice)");
  EXPECT_EQ(
      errorOf(R"({"storage": {"plugin": "../evil"}})"),
      R"(config.json: "storage.plugin": a plugin name is letters, digits, '_' and '-', got "../evil")");
  EXPECT_EQ(
      errorOf(R"({"storage": {"plugin": ""}})"),
      R"(config.json: "storage.plugin": a plugin name is letters, digits, '_' and '-', got "")");
  EXPECT_EQ(errorOf(R"({"auth": [{"plugin": "basic"}]})"),
            R"(config.json: "auth": expected an object, got array)");
}

TEST(ConfigFileTest, SyntaxErrorsGiveLineAndColumn) {
  EXPECT_EQ(errorOf("{\n  \"listen\": \":1\",\n}\n"),
            "config.json:3:1: syntax error while parsing object key - unexpected '}'; expected "
            "string literal");
  EXPECT_EQ(errorOf(""),
            "config.json:1:1: syntax error while parsing value - unexpected end of input; "
            "expected '[', '{', or a literal");
  EXPECT_EQ(errorOf("{\"a\": \"\xff\"}").rfind("config.json:1:8: syntax error", 0), 0u);
}

TEST(ConfigFileTest, DuplicateKeysAreErrors) {
  EXPECT_EQ(errorOf(R"({"web": {"route_prefix": "/a", "route_prefix": "/b"}})"),
            R"(config.json: duplicate key "web.route_prefix")");
  EXPECT_EQ(errorOf(R"({"inputs": [{"plugin": "text"}, {"plugin": "protobuf",
                        "config": {"x": 1, "x": 2}}]})"),
            R"(config.json: duplicate key "inputs[1].config.x")");
  EXPECT_EQ(errorOf(R"({"listen": ":1", "listen": ":2"})"),
            R"(config.json: duplicate key "listen")");
}

TEST(ConfigFileTest, TopLevelMustBeAnObject) {
  EXPECT_EQ(errorOf("[]"), "config.json: the top level must be an object, got array");
  EXPECT_EQ(errorOf("42"), "config.json: the top level must be an object, got number 42");
}

TEST(ConfigFileTest, OptionsAreUntouchedOnError) {
  Options o;
  EXPECT_THROW(applyConfigJson(R"({"web": {"route_prefix": "/x"}, "zzz": 1})", "c", o),
               ConfigError);
  EXPECT_EQ(o.route_prefix, "");
}

TEST(ConfigFileTest, ANumberBeyondADoubleIsAConfigError) {
  // Found by the config_json fuzz target: nlohmann throws out_of_range here, not parse_error.
  EXPECT_NE(errorOf(R"({"push": {"max_body_bytes": 1e999}})").find("number overflow"),
            std::string::npos);
}

TEST(ConfigFileTest, NestingIsBounded) {
  auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  Options o = applied(R"({"storage": {"plugin": "memory", "config": {"x": )" + nested(97) + "}}}");
  EXPECT_TRUE(o.storage.config.at("x").is_array());
  std::string path;
  for (int i = 0; i < 97; ++i) path += "[0]";
  EXPECT_EQ(
      errorOf(R"({"storage": {"plugin": "memory", "config": {"x": )" + nested(100000) + "}}}"),
      R"(config.json: "storage.config.x)" + path + R"(": nested deeper than 100 levels)");
}

TEST(ShippedConfigTest, FerryJsonIsTheDefaultPipeline) {
  Options o;
  applyConfigFile(FERRY_SOURCE_DIR "/config/ferry.json", o);
  Options defaults;
  EXPECT_EQ(o.listen_addresses, defaults.listen_addresses);
  ASSERT_EQ(o.inputs.size(), 2u);
  EXPECT_EQ(o.inputs[0].plugin, "protobuf");
  EXPECT_EQ(o.inputs[1].plugin, "text");
  EXPECT_EQ(o.storage.plugin, "memory");
  EXPECT_EQ(statusFlags(o), statusFlags(defaults));  // it restates the defaults, nothing else
  validateSupported(o);
}

TEST(ShippedConfigTest, LifecycleExample) {
  Options o;
  applyConfigFile(FERRY_SOURCE_DIR "/config/ferry-lifecycle.json", o);
  const auto& p = o.lifecycle;
  EXPECT_EQ(p.default_ttl, 0);
  EXPECT_EQ(p.max_ttl, 48 * 3600 * 1000000000LL);
  ASSERT_EQ(p.job_ttls.size(), 2u);
  EXPECT_EQ(p.job_ttls[0].match, "ci-*");
  EXPECT_EQ(p.job_ttls[0].ttl, 3600 * 1000000000LL);
  EXPECT_FALSE(p.hide_expired);
  EXPECT_EQ(p.limits[static_cast<size_t>(model::Limit::kMaxGroupsPerJob)], 1000u);
  EXPECT_EQ(p.limitsFor("batch-1")[static_cast<size_t>(model::Limit::kMaxSeriesPerPush)], 100000u);
  EXPECT_EQ(p.limitsFor("ci-1")[static_cast<size_t>(model::Limit::kMaxSeriesPerPush)], 10000u);
  // The TTL a push gets: the header, else the first job rule, else the default, clamped.
  EXPECT_EQ(p.ttlFor("ci-build", std::nullopt), 3600 * 1000000000LL);
  EXPECT_EQ(p.ttlFor("nightly-x", 1000000LL), 1000000000LL);             // raised to min 1s
  EXPECT_EQ(p.ttlFor("other", std::nullopt), 48 * 3600 * 1000000000LL);  // "never", capped
}

TEST(ConfigFileTest, LifecycleErrorsNameTheKey) {
  EXPECT_EQ(errorOf(R"({"lifecycle": {"expired": "drop"}})"),
            R"(config.json: "lifecycle.expired": expected "delete" or "hide", got "drop")");
  EXPECT_EQ(errorOf(R"({"lifecycle": {"ttl": {"jobs": [{"match": "a", "ttl": "1d"}]}}})"),
            R"(config.json: "lifecycle.ttl.jobs[0].ttl": time: unknown unit "d" in duration "1d")");
  EXPECT_EQ(errorOf(R"({"lifecycle": {"ttl": {"jobs": [{"ttl": "1h"}]}}})"),
            R"(config.json: "lifecycle.ttl.jobs[0]": missing key "match")");
}

// Every ```json block in docs/configuration.md must be a valid config (other fences hold
// examples of errors or shell sessions).
TEST(ShippedConfigTest, DocumentationExamplesAreValid) {
  std::istringstream doc(readFile(FERRY_SOURCE_DIR "/docs/configuration.md"));
  int blocks = 0;
  std::string line, block;
  bool in_block = false;
  while (std::getline(doc, line)) {
    if (!in_block && line == "```json") {
      in_block = true;
      block.clear();
    } else if (in_block && line == "```") {
      in_block = false;
      ++blocks;
      Options o;
      EXPECT_NO_THROW(applyConfigJson(block, "docs example " + std::to_string(blocks), o)) << block;
    } else if (in_block) {
      block += line + "\n";
    }
  }
  EXPECT_GE(blocks, 3);
}

}  // namespace
}  // namespace ferry::core::config
