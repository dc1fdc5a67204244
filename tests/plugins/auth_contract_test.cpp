// The first-party auth plugins (basic, token, cert) and the tests' third-party-style probe plugin
// against the auth contract of sdk/testkit.
#include <ferry/testkit/auth_contract.h>

#include <ferry/auth_crypto/bcrypt.hpp>
#include <ferry/auth_crypto/digest.hpp>
#include <string>
#include <vector>

namespace {

using ferry::testkit::AuthBackend;
using ferry::testkit::AuthCase;
using ferry::testkit::AuthContract;

std::vector<AuthBackend> backends() {
  std::vector<AuthBackend> out;
#ifdef FERRY_AUTH_BASIC_PLUGIN
  {
    // Cost 4 keeps the suite fast; the plugin accepts any cost.
    std::string hash = ferry::auth_crypto::hashBcrypt("s3cret", 4);
    AuthBackend b{"basic", FERRY_AUTH_BASIC_PLUGIN, R"({"users": {"ci": ")" + hash + "\"}}", {}};
    // "ci:s3cret", "ci:wrong", "nobody:s3cret" in base64.
    b.cases = {
        AuthCase::ok("right password", {{"Authorization", "Basic Y2k6czNjcmV0"}}, "user:ci"),
        AuthCase::ok("scheme in lower case", {{"authorization", "basic Y2k6czNjcmV0"}}, "user:ci"),
        AuthCase::denied("wrong password", {{"Authorization", "Basic Y2k6d3Jvbmc="}}),
        AuthCase::denied("unknown user", {{"Authorization", "Basic bm9ib2R5OnMzY3JldA=="}}),
        AuthCase::noCredentials("bearer is not basic", {{"Authorization", "Bearer x"}}),
        AuthCase::noCredentials("no header", {})};
    b.challenge = "Basic";
    out.push_back(b);
  }
#endif
#ifdef FERRY_AUTH_TOKEN_PLUGIN
  {
    std::string hash = ferry::auth_crypto::sha256Hex("t0ken");
    std::string other = ferry::auth_crypto::sha256Hex("other");
    AuthBackend b{"token",
                  FERRY_AUTH_TOKEN_PLUGIN,
                  R"({"tokens": {"prometheus": ")" + hash + R"(", "ci": ")" + other + "\"}}",
                  {}};
    b.cases = {
        AuthCase::ok("right token", {{"Authorization", "Bearer t0ken"}}, "token:prometheus"),
        AuthCase::ok("second token", {{"Authorization", "bearer other"}}, "token:ci"),
        AuthCase::denied("wrong token", {{"Authorization", "Bearer t0ke"}}),
        AuthCase::denied("the hash is not the token", {{"Authorization", "Bearer " + hash}}),
        AuthCase::noCredentials("basic is not bearer", {{"Authorization", "Basic Y2k6czNjcmV0"}}),
        AuthCase::noCredentials("no header", {})};
    b.challenge = "Bearer";
    out.push_back(b);
  }
#endif
#ifdef FERRY_AUTH_CERT_PLUGIN
  {
    AuthBackend b{"cert", FERRY_AUTH_CERT_PLUGIN, R"({"subjects": ["CN=ci", "CN=prom,O=x"]})", {}};
    constexpr uint32_t kVerified =
        FERRY_AUTH_TLS | FERRY_AUTH_TLS_PEER_CERT | FERRY_AUTH_TLS_PEER_VERIFIED;
    auto withPeer = [&](AuthCase c, const char* subject, uint32_t flags) {
      c.request.tls_peer_subject = subject;
      c.request.tls_flags = flags;
      return c;
    };
    b.cases = {
        withPeer(AuthCase::ok("listed subject", {}, "cert:CN=ci"), "CN=ci", kVerified),
        withPeer(AuthCase::ok("listed subject with O", {}, "cert:CN=prom,O=x"), "CN=prom,O=x",
                 kVerified),
        withPeer(AuthCase::denied("subject not listed", {}), "CN=intruder", kVerified),
        AuthCase::noCredentials("no client certificate", {{"Authorization", "Basic Y2k6czNjcmV0"}}),
        // Ferry never sends the subject of an unverified certificate, but the plugin must not
        // take one without the verified bit either (a host bug must not mint identities).
        withPeer(AuthCase::noCredentials("certificate presented, not verified", {}), "",
                 FERRY_AUTH_TLS | FERRY_AUTH_TLS_PEER_CERT),
        withPeer(AuthCase::noCredentials("subject without the verified bit", {}), "CN=ci",
                 FERRY_AUTH_TLS | FERRY_AUTH_TLS_PEER_CERT),
        withPeer(AuthCase::noCredentials("verified bit without a subject", {}), "", kVerified)};
    out.push_back(b);
  }
#endif
#ifdef FERRY_AUTH_PROBE_PLUGIN
  {
    // The tests' third-party-style plugin (tests/plugins/thirdparty) keeps the contract too.
    AuthBackend b{"probe", FERRY_AUTH_PROBE_PLUGIN, R"({"token": "t", "realm": "r"})", {}};
    AuthCase tls = AuthCase::ok("tls facts", {}, "probe:tls-flags=1:subject=");
    tls.request.tls_flags = FERRY_AUTH_TLS;
    b.cases = {AuthCase::ok("right token", {{"Authorization", "Bearer t"}}, "probe:bearer"),
               AuthCase::denied("wrong token", {{"Authorization", "Bearer x"}}),
               AuthCase::noCredentials("plain HTTP, no token", {}), tls};
    b.challenge = "Bearer realm=\"r\"";
    out.push_back(b);
  }
#endif
  return out;
}

#ifdef FERRY_AUTH_CERT_PLUGIN
// cert declares that its identities come from client certificates, so Ferry refuses to run it
// behind a web config that does not verify them; it has no HTTP challenge.
TEST(CertPlugin, DeclaresItUsesClientCertificatesAndNoChallenge) {
  const auto& library = ferry::testkit::PluginLibrary::loadAuth(FERRY_AUTH_CERT_PLUGIN);
  auto cert = ferry::testkit::AuthDriver::open(library, "{}");
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->flags(), FERRY_AUTH_USES_CLIENT_CERT);
  EXPECT_EQ(cert->challenge(), "");
}
#endif

#if defined(FERRY_AUTH_BASIC_PLUGIN) && defined(FERRY_AUTH_TOKEN_PLUGIN)
TEST(HttpAuthPlugins, DoNotClaimClientCertificates) {
  for (const char* path : {FERRY_AUTH_BASIC_PLUGIN, FERRY_AUTH_TOKEN_PLUGIN}) {
    const auto& library = ferry::testkit::PluginLibrary::loadAuth(path);
    EXPECT_EQ(library.auth().flags, 0u) << path;
  }
}
#endif

INSTANTIATE_TEST_SUITE_P(FirstParty, AuthContract, ::testing::ValuesIn(backends()),
                         ferry::testkit::authBackendName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(AuthContract);

}  // namespace
