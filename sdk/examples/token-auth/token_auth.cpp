// token-auth: an auth plugin with a static list of bearer tokens. A request with
// "Authorization: Bearer <token>" gets the identity the list gives that token.
#include <ferry/sdk.hpp>
#include <map>
#include <string>

class TokenAuth : public ferry::sdk::AuthPlugin {
 public:
  static inline const ferry::sdk::ConfigKeys kConfigKeys = {
      {"tokens", ferry::sdk::kStringMap, nlohmann::json::object(),
       "Token -> identity. A request with an unknown token is denied."}};

  TokenAuth(const ferry::sdk::Host&, ferry::sdk::Config& config)
      : tokens_(config.get<std::map<std::string, std::string>>("tokens")) {}

  // Called concurrently: it only reads tokens_, which never changes after the constructor.
  ferry::sdk::AuthResult authenticate(const ferry::sdk::AuthRequest& request) override {
    constexpr std::string_view kScheme = "Bearer ";
    std::string_view header = request.header("Authorization");
    if (header.substr(0, kScheme.size()) != kScheme) {
      return ferry::sdk::AuthResult::noCredentials();  // let another auth plugin try
    }
    auto found = tokens_.find(std::string(header.substr(kScheme.size())));
    if (found == tokens_.end()) return ferry::sdk::AuthResult::denied();
    return ferry::sdk::AuthResult::ok(found->second);
  }

  // Sent with every 401 (WWW-Authenticate), so clients know to offer a bearer token.
  std::string challenge() const override { return "Bearer"; }

 private:
  const std::map<std::string, std::string> tokens_;  // token -> identity
};

FERRY_PLUGIN(TokenAuth, "token", "1.0.0", "Bearer tokens from a static list")
