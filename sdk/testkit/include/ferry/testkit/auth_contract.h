// The auth contract: the GoogleTest suite every Ferry auth plugin must pass.
//
//   #include <ferry/testkit/auth_contract.h>
//   using ferry::testkit::AuthBackend;
//   using ferry::testkit::AuthContract;
//   using ferry::testkit::AuthCase;
//   INSTANTIATE_TEST_SUITE_P(MyAuth, AuthContract,  // unqualified: gtest pastes the name
//       ::testing::Values(AuthBackend{"my-auth", "/path/auth-my-auth.so", R"({"users": ...})",
//           {AuthCase::ok("good token", {{"Authorization", "Bearer s3cret"}}, "ci"),
//            AuthCase::noCredentials("no header", {}),
//            AuthCase::denied("wrong token", {{"Authorization", "Bearer nope"}})}}),
//       ferry::testkit::authBackendName);
//
// and link the executable with ferry_auth_kit and GTest::gtest_main. The cases must include at
// least one of each outcome (checked).
#pragma once

#include <ferry/testkit/auth_driver.h>
#include <ferry/testkit/plugin_loader.h>
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace ferry::testkit {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// One request and the outcome it must have.
struct AuthCase {
  std::string label;
  AuthRequest request;
  ferry_status expected = FERRY_OK;  // FERRY_OK, FERRY_AUTH_NO_CREDENTIALS or FERRY_AUTH_DENIED
  std::string identity;              // with FERRY_OK: the identity the plugin must give

  static AuthCase ok(std::string label, HeaderList headers, std::string identity);
  static AuthCase noCredentials(std::string label, HeaderList headers);
  static AuthCase denied(std::string label, HeaderList headers);
};

struct AuthBackend {
  std::string name;          // the plugin's name as its descriptor gives it (checked)
  std::string library_path;  // absolute path of the plugin's .so
  std::string config = "{}";
  std::vector<AuthCase> cases;
  // The WWW-Authenticate challenge the plugin must declare with `config` (checked when set; a
  // declared challenge is always checked to be printable ASCII).
  std::string challenge{};
};

void PrintTo(const AuthBackend& backend, std::ostream* os);
std::string authBackendName(const ::testing::TestParamInfo<AuthBackend>& info);

class AuthContract : public ::testing::TestWithParam<AuthBackend> {
 protected:
  void SetUp() override;
  const AuthBackend& backend() const { return GetParam(); }
  const PluginLibrary& library() const { return *library_; }
  std::unique_ptr<AuthDriver> open() const;

 private:
  const PluginLibrary* library_ = nullptr;
};

namespace detail {
int authContractLinkAnchor();
[[maybe_unused]] static const int kAuthContractLinkAnchor = authContractLinkAnchor();
}  // namespace detail

}  // namespace ferry::testkit
