// An auth plugin that takes identities from client certificates (the first-party `cert`) runs
// only behind a web config that verifies them, at start, in --check-config (both build the
// admission) and on every web config reload; and the 401 challenge comes from what the plugins
// declare through the ABI, not from their names.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "core/auth/admission.h"
#include "core/auth/client_cert_policy.h"
#include "core/web/web_config.h"
#include "core/web/web_config_watcher.h"

namespace ferry::core::auth {
namespace {

namespace fs = std::filesystem;

web::WebConfig webConfig(const std::string& client_auth_type) {
  std::string yaml = "tls_server_config:\n  cert_file: s.crt\n  key_file: s.key\n";
  if (client_auth_type != "NoClientCert") yaml += "  client_ca_file: ca.crt\n";
  yaml += "  client_auth_type: " + client_auth_type + "\n";
  return web::parseWebConfig(yaml, "web.yml", "/etc/ferry");
}

TEST(ClientCertPolicy, OnlyVerifyingTypesAreAccepted) {
  for (const char* type : {"VerifyClientCertIfGiven", "RequireAndVerifyClientCert"}) {
    web::WebConfig config = webConfig(type);
    EXPECT_EQ(clientCertPolicyProblem("cert", &config, "web.yml"), "") << type;
  }
  for (const char* type :
       {"NoClientCert", "RequestClientCert", "RequireAnyClientCert", "RequireClientCert"}) {
    web::WebConfig config = webConfig(type);
    std::string problem = clientCertPolicyProblem("cert", &config, "web.yml");
    EXPECT_EQ(problem.rfind("auth plugin \"cert\" takes identities from TLS client certificates, "
                            "but the web config web.yml has client_auth_type " +
                                std::string(type),
                            0),
              0u)
        << problem;
    EXPECT_NE(problem.find("; use client_auth_type RequireAndVerifyClientCert (or "
                           "VerifyClientCertIfGiven) with client_ca_file in the web config's "
                           "tls_server_config, or remove \"cert\" from auth.plugins"),
              std::string::npos)
        << problem;
  }
}

TEST(ClientCertPolicy, SaysWhyForEachKindOfWebConfig) {
  web::WebConfig request = webConfig("RequestClientCert");
  EXPECT_NE(clientCertPolicyProblem("cert", &request, "web.yml")
                .find("which accepts a client certificate without verifying it: anyone could "
                      "present a self-signed certificate with any subject and get that "
                      "subject's rights"),
            std::string::npos);
  web::WebConfig none = webConfig("NoClientCert");
  EXPECT_NE(clientCertPolicyProblem("cert", &none, "web.yml")
                .find("has client_auth_type NoClientCert: Ferry never asks for a client "
                      "certificate"),
            std::string::npos);
  web::WebConfig unset = web::parseWebConfig(
      "tls_server_config:\n  cert_file: s.crt\n  key_file: s.key\n", "web.yml", "/etc");
  EXPECT_NE(clientCertPolicyProblem("cert", &unset, "web.yml")
                .find("has client_auth_type NoClientCert (the default)"),
            std::string::npos);
  web::WebConfig plain = web::parseWebConfig("basic_auth_users:\n  a: x\n", "web.yml", "/etc");
  EXPECT_NE(clientCertPolicyProblem("cert", &plain, "web.yml")
                .find("the web config web.yml has no tls_server_config: Ferry serves plain HTTP"),
            std::string::npos);
  EXPECT_NE(clientCertPolicyProblem("my-mtls", nullptr, "")
                .find("auth plugin \"my-mtls\" takes identities from TLS client certificates, "
                      "but no --web.config.file is given"),
            std::string::npos);
  // Without a file name (a reload names the file itself).
  EXPECT_NE(clientCertPolicyProblem("cert", &request, "")
                .find("but the web config has client_auth_type RequestClientCert"),
            std::string::npos);
}

config::Options authOptions(std::vector<std::string> plugins) {
  config::Options options;
  options.auth.configured = true;
  for (auto& name : plugins) {
    config::Options::PluginRef ref{name};
    if (name == "basic") ref.config = {{"users", nlohmann::json::object()}};
    if (name == "token") ref.config = {{"tokens", nlohmann::json::object()}};
    options.auth.plugins.push_back(ref);
  }
  return options;
}

std::string buildError(const config::Options& options, web::WebConfigWatcher* web_config) {
  plugin_host::PluginRegistry registry{FERRY_TEST_PLUGIN_DIR};
  telemetry::Telemetry telemetry;
  try {
    buildAdmission(options, registry, web_config, telemetry);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "(built)";
}

TEST(BuildAdmission, RefusesCertWithoutAWebConfig) {
  EXPECT_NE(buildError(authOptions({"basic", "cert"}), nullptr)
                .find("auth plugin \"cert\" takes identities from TLS client certificates, but "
                      "no --web.config.file is given"),
            std::string::npos);
  // The check follows the plugin's declaration, not a name: basic and token need no TLS.
  EXPECT_EQ(buildError(authOptions({"basic", "token"}), nullptr), "(built)");
}

std::string pem(int (*write)(BIO*, void*), void* object) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  write(bio.get(), object);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

// A directory with a self-signed server certificate (also used as the client CA), its key and
// web.yml; the watcher loads real TLS material.
class WebConfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ferry-auth-cc-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    EVP_PKEY* key = EVP_EC_gen("P-256");
    ASSERT_NE(key, nullptr);
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
    X509_set_pubkey(cert, key);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("ferry-test"), -1, -1, 0);
    X509_set_issuer_name(cert, X509_get_subject_name(cert));
    ASSERT_GT(X509_sign(cert, key, EVP_sha256()), 0);
    write("s.crt",
          pem([](BIO* b, void* c) { return PEM_write_bio_X509(b, static_cast<X509*>(c)); }, cert));
    write("ca.crt",
          pem([](BIO* b, void* c) { return PEM_write_bio_X509(b, static_cast<X509*>(c)); }, cert));
    write("s.key", pem(
                       [](BIO* b, void* k) {
                         return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY*>(k), nullptr,
                                                         nullptr, 0, nullptr, nullptr);
                       },
                       key));
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  std::string writeWebConfig(const std::string& client_auth_type, const std::string& pad = "") {
    write("web.yml",
          "tls_server_config:\n  cert_file: s.crt\n  key_file: s.key\n"
          "  client_ca_file: ca.crt\n  client_auth_type: " +
              client_auth_type + "\n" + pad);
    return (dir_ / "web.yml").string();
  }

  fs::path dir_;
};

TEST_F(WebConfigFiles, CertStartsWithAVerifyingWebConfigAndNotWithAnother) {
  web::WebConfigWatcher verifying(writeWebConfig("RequireAndVerifyClientCert"));
  EXPECT_EQ(buildError(authOptions({"cert"}), &verifying), "(built)");
  web::WebConfigWatcher any(writeWebConfig("RequireAnyClientCert"));
  std::string error = buildError(authOptions({"cert"}), &any);
  EXPECT_NE(error.find("but the web config " + (dir_ / "web.yml").string() +
                       " has client_auth_type RequireAnyClientCert, which accepts a client "
                       "certificate without verifying it"),
            std::string::npos)
      << error;
}

TEST_F(WebConfigFiles, AReloadThatStopsVerifyingIsRefused) {
  web::WebConfigWatcher watcher(writeWebConfig("RequireAndVerifyClientCert"));
  plugin_host::PluginRegistry registry{FERRY_TEST_PLUGIN_DIR};
  telemetry::Telemetry telemetry;
  auto gate = buildAdmission(authOptions({"cert"}), registry, &watcher, telemetry);
  ASSERT_NE(gate, nullptr);
  // A different size makes the change visible even within the file system's time resolution.
  writeWebConfig("RequireAnyClientCert", "# stop verifying\n");
  watcher.checkNow();
  EXPECT_EQ(watcher.current()->config.tls.client_auth_type, "RequireAndVerifyClientCert");
  // A reload that keeps verifying goes through.
  writeWebConfig("VerifyClientCertIfGiven", "# still verifying, other size\n\n");
  watcher.checkNow();
  EXPECT_EQ(watcher.current()->config.tls.client_auth_type, "VerifyClientCertIfGiven");
}

TEST_F(WebConfigFiles, ReloadsAreFreeWithoutCertificatePlugins) {
  web::WebConfigWatcher watcher(writeWebConfig("RequireAndVerifyClientCert"));
  plugin_host::PluginRegistry registry{FERRY_TEST_PLUGIN_DIR};
  telemetry::Telemetry telemetry;
  auto gate = buildAdmission(authOptions({"token"}), registry, &watcher, telemetry);
  writeWebConfig("RequireAnyClientCert", "# no cert plugin\n");
  watcher.checkNow();
  EXPECT_EQ(watcher.current()->config.tls.client_auth_type, "RequireAnyClientCert");
}

// The 401 challenge lists what the configured plugins declare, in config order, each once.
TEST(AdmissionChallenge, ComesFromThePluginsDeclarations) {
  plugin_host::PluginRegistry registry{FERRY_TEST_PLUGIN_DIR};
  telemetry::Telemetry telemetry;
  auto challengeOf = [&](std::vector<std::string> plugins) {
    auto gate = buildAdmission(authOptions(std::move(plugins)), registry, nullptr, telemetry);
    plugin_host::AuthRequestView anonymous;
    anonymous.remote_address = "127.0.0.1:1";
    Decision d = gate->decide(anonymous, RouteKind::kPush, "job");
    EXPECT_EQ(d.status, 401);
    return d.challenge;
  };
  EXPECT_EQ(challengeOf({"basic", "token"}), "Basic, Bearer");
  EXPECT_EQ(challengeOf({"token", "basic", "token"}), "Bearer, Basic");
  EXPECT_EQ(challengeOf({"token"}), "Bearer");
}

}  // namespace
}  // namespace ferry::core::auth
