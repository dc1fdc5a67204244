// The `basic` auth plugin: HTTP basic auth against bcrypt hashes from its config,
// {"users": {"ci": "$2y$10$..."}}. A verified user gets the identity "user:<name>", the same
// identity the web config's basic_auth_users give, so the rights table names a user once
// whichever file holds the hash. The check (unknown users cost a bcrypt run too, and a cache
// of verified logins keyed by user, hash AND password, so CVE-2022-46146 cannot happen) is
// the one --web.config.file uses: sdk/auth_crypto.
#include <ferry/auth_crypto/basic_auth.hpp>
#include <ferry/auth_crypto/bcrypt.hpp>
#include <ferry/sdk.hpp>
#include <map>
#include <memory>
#include <string>

namespace ferry::plugins::basic {

class BasicAuth : public sdk::AuthPlugin {
 public:
  static inline const sdk::ConfigKeys kConfigKeys = {
      {"users", sdk::kStringMap,
       // The password of this example user is "change-me".
       sdk::required({{"ci", "$2b$10$8NrozpZ2Dl4Edyh.FIADueYQTVu2X8OT4vTV6jBz/ZhONYNP/dRom"}}),
       "User name -> bcrypt hash ($2a$, $2b$ or $2y$, e.g. from htpasswd -nbB), as in the web "
       "config's basic_auth_users. A user who logs in gets the identity user:<name>."},
  };

  BasicAuth(const sdk::Host&, sdk::Config& config)
      : users_(checkedUsers(config.get<std::map<std::string, std::string>>("users")),
               std::make_shared<auth_crypto::CredentialCache>()) {}

  // Concurrent calls are safe: BasicAuthenticator is thread-safe.
  sdk::AuthResult authenticate(const sdk::AuthRequest& request) override {
    std::string user;
    switch (users_.check(request.header("Authorization"), &user)) {
      case auth_crypto::BasicAuthenticator::Result::kOk:
        return sdk::AuthResult::ok("user:" + user);
      case auth_crypto::BasicAuthenticator::Result::kNoCredentials:
        return sdk::AuthResult::noCredentials();
      case auth_crypto::BasicAuthenticator::Result::kDenied:
        break;
    }
    return sdk::AuthResult::denied();
  }

  // As the Pushgateway's web config answers: a bare "Basic", no realm.
  std::string challenge() const override { return "Basic"; }

 private:
  static std::map<std::string, std::string> checkedUsers(std::map<std::string, std::string> users) {
    for (const auto& [name, hash] : users) {
      // Go's Request.BasicAuth splits at the first ':', so such a user could never log in.
      if (name.empty() || name.find(':') != std::string::npos) {
        throw sdk::configError("users: \"" + name + "\" is not a user name (empty or with ':')");
      }
      // Checked at start, as the exporter-toolkit does, rather than failing every login later.
      if (!auth_crypto::isBcryptHash(hash)) {
        throw sdk::configError("users." + name + ": not a bcrypt hash ($2a$, $2b$ or $2y$)");
      }
    }
    return users;
  }

  auth_crypto::BasicAuthenticator users_;
};

}  // namespace ferry::plugins::basic

FERRY_PLUGIN(ferry::plugins::basic::BasicAuth, "basic", "1.0.0",
             "HTTP basic auth with bcrypt hashes; identity user:<name>")
