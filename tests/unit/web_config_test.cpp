#include "core/web/web_config.h"

#include <gtest/gtest.h>

#include <string>

namespace ferry::core::web {
namespace {

std::string errorOf(const std::string& yaml) {
  try {
    parseWebConfig(yaml, "web.yml", "/etc/ferry");
  } catch (const WebConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(WebConfigTest, EmptyFileIsPlainHttpWithoutAuth) {
  WebConfig c = parseWebConfig("", "web.yml", "/d");
  EXPECT_FALSE(c.tls.configured());
  EXPECT_TRUE(c.users.empty());
  EXPECT_TRUE(c.headers.empty());
  EXPECT_TRUE(c.http2);
}

TEST(WebConfigTest, ParsesTheExporterToolkitKeys) {
  WebConfig c = parseWebConfig(R"(
tls_server_config:
  cert_file: server.crt
  key_file: /abs/server.key
  client_ca_file: ca.crt
  client_auth_type: RequireAndVerifyClientCert
  min_version: TLS13
  max_version: TLS13
  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
  curve_preferences: [X25519, CurveP256]
  prefer_server_cipher_suites: false
http_server_config:
  http2: false
  headers:
    X-Frame-Options: deny
    Strict-Transport-Security: max-age=31536000
basic_auth_users:
  alice: $2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi
)",
                               "web.yml", "/etc/ferry");
  EXPECT_EQ(c.tls.cert_file, "/etc/ferry/server.crt");  // relative to the file's directory
  EXPECT_EQ(c.tls.key_file, "/abs/server.key");
  EXPECT_EQ(c.tls.client_ca_file, "/etc/ferry/ca.crt");
  EXPECT_EQ(c.tls.client_auth_type, "RequireAndVerifyClientCert");
  EXPECT_EQ(c.tls.min_version, 0x0304);
  EXPECT_EQ(c.tls.max_version, 0x0304);
  EXPECT_EQ(c.tls.cipher_suites, std::vector<std::string>{"ECDHE-RSA-AES128-GCM-SHA256"});
  EXPECT_EQ(c.tls.curve_preferences, (std::vector<std::string>{"X25519", "P-256"}));
  EXPECT_FALSE(c.tls.prefer_server_cipher_suites);
  EXPECT_FALSE(c.http2);
  ASSERT_EQ(c.headers.size(), 2u);
  EXPECT_EQ(c.users.at("alice").substr(0, 4), "$2y$");
}

TEST(WebConfigTest, UnknownKeysAreNamed) {
  EXPECT_EQ(errorOf("foo: 1\n"), "web config web.yml: line 1: unknown key \"foo\"");
  EXPECT_EQ(errorOf("tls_server_config:\n  cert_file: a\n  key_file: b\n  certfile: c\n"),
            "web config web.yml: line 4: unknown key \"certfile\" in \"tls_server_config\"");
  EXPECT_EQ(errorOf("http_server_config:\n  http3: true\n"),
            "web config web.yml: line 2: unknown key \"http3\" in \"http_server_config\"");
}

TEST(WebConfigTest, InvalidYamlAndTypes) {
  EXPECT_NE(errorOf("basic_auth_users: [\n").find("invalid YAML"), std::string::npos);
  EXPECT_EQ(errorOf("- a\n- b\n"), "web config web.yml: line 1: the file must be a YAML mapping");
  EXPECT_EQ(errorOf("basic_auth_users: [a]\n"),
            "web config web.yml: line 1: \"basic_auth_users\" must be a mapping");
  EXPECT_EQ(errorOf("basic_auth_users:\n  a: [x]\n"),
            "web config web.yml: line 2: \"a\" must be a string");
  EXPECT_EQ(errorOf("http_server_config:\n  http2: maybe\n"),
            "web config web.yml: line 2: \"http2\" must be true or false");
  EXPECT_EQ(errorOf("basic_auth_users:\n  a: x\n  a: y\n"),
            "web config web.yml: line 3: key \"a\" is set twice in \"basic_auth_users\"");
}

TEST(WebConfigTest, TlsChecksOfTheExporterToolkit) {
  EXPECT_EQ(errorOf("tls_server_config:\n  key_file: k\n"),
            "web config web.yml: line 2: missing cert_file");
  EXPECT_EQ(errorOf("tls_server_config:\n  cert_file: c\n"),
            "web config web.yml: line 2: missing key_file");
  EXPECT_EQ(
      errorOf("tls_server_config:\n  cert_file: c\n  key_file: k\n  client_auth_type: Maybe\n"),
      "web config web.yml: line 2: Invalid ClientAuth: Maybe");
  EXPECT_EQ(errorOf("tls_server_config:\n  cert_file: c\n  key_file: k\n  client_ca_file: ca\n"),
            "web config web.yml: line 2: Client CA's have been configured without a Client Auth "
            "Policy");
  EXPECT_EQ(errorOf("tls_server_config:\n  min_version: TLS14\n"),
            "web config web.yml: line 2: unknown TLS version: TLS14");
  EXPECT_EQ(errorOf("tls_server_config:\n  cipher_suites: [TLS_FOO]\n"),
            "web config web.yml: line 2: unknown cipher: TLS_FOO");
  EXPECT_EQ(errorOf("tls_server_config:\n  curve_preferences: [P999]\n"),
            "web config web.yml: line 2: unknown curve: P999");
  EXPECT_EQ(errorOf("tls_server_config:\n  client_allowed_sans: [a]\n"),
            "web config web.yml: line 2: \"client_allowed_sans\" in \"tls_server_config\" is not "
            "supported by Ferry");
}

TEST(WebConfigTest, OnlyTheToolkitsHeadersCanBeSet) {
  EXPECT_EQ(errorOf("http_server_config:\n  headers:\n    Server: x\n"),
            "web config web.yml: line 3: HTTP header \"Server\" can not be configured");
  EXPECT_EQ(errorOf("http_server_config:\n  headers:\n    X-Frame-Options: allow\n"),
            "web config web.yml: line 3: invalid value for X-Frame-Options. Expected one of: "
            "\"deny\", \"sameorigin\", but got: \"allow\"");
}

TEST(WebConfigTest, MissingFile) {
  try {
    loadWebConfigFile("/nonexistent/web.yml");
    FAIL() << "no error";
  } catch (const WebConfigError& e) {
    EXPECT_STREQ(e.what(), "web config /nonexistent/web.yml: cannot open the file");
  }
}

}  // namespace
}  // namespace ferry::core::web
