// The `token` auth plugin: bearer tokens, stored in the config only as SHA-256 hashes,
// {"tokens": {"prometheus": "<64 hex digits: sha256 of the token>"}}. A request with
// "Authorization: Bearer <token>" whose hash matches gets the identity "token:<name>".
// The config never holds a usable secret; the comparison runs over every entry in constant
// time, so neither timing nor the order of entries tells which hash was close.
#include <cctype>
#include <ferry/auth_crypto/digest.hpp>
#include <ferry/sdk.hpp>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ferry::plugins::token {

class TokenAuth : public sdk::AuthPlugin {
 public:
  static inline const sdk::ConfigKeys kConfigKeys = {
      {"tokens", sdk::kStringMap,
       // The SHA-256 of the example token "change-me".
       sdk::required(
           {{"prometheus", "e2186dbdb1bb4193608605e84f33208765b5693b55edd4f730a719a100eeea6f"}}),
       "Token name -> SHA-256 of the token as 64 hex digits (printf %s TOKEN | sha256sum). A "
       "request with Authorization: Bearer TOKEN gets the identity token:<name>."},
  };

  TokenAuth(const sdk::Host&, sdk::Config& config) {
    auto tokens = config.get<std::map<std::string, std::string>>("tokens");
    for (auto& [name, hash] : tokens) {
      if (name.empty()) throw sdk::configError("tokens: a token name is empty");
      std::string lower;
      for (char c : hash) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      bool hex = lower.size() == 64;
      for (char c : lower) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
      if (!hex) {
        throw sdk::configError("tokens." + name +
                               ": expected the SHA-256 of the token as 64 hex digits (e.g. "
                               "printf %s TOKEN | sha256sum)");
      }
      hashes_.emplace_back(std::move(lower), "token:" + name);
    }
  }

  // Concurrent calls are safe: hashes_ never changes after the constructor.
  sdk::AuthResult authenticate(const sdk::AuthRequest& request) override {
    std::string_view header = request.header("Authorization");
    // RFC 6750: the scheme is case-insensitive, one space, then the token.
    constexpr std::string_view kScheme = "bearer ";
    if (header.size() < kScheme.size()) return sdk::AuthResult::noCredentials();
    for (size_t i = 0; i < kScheme.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) {
        return sdk::AuthResult::noCredentials();  // another scheme: another plugin's
      }
    }
    std::string presented = auth_crypto::sha256Hex(header.substr(kScheme.size()));
    const std::string* identity = nullptr;
    for (const auto& [hash, name] : hashes_) {
      // No early exit: every entry is compared.
      if (auth_crypto::constantTimeEquals(presented, hash) && identity == nullptr) {
        identity = &name;
      }
    }
    if (identity == nullptr) return sdk::AuthResult::denied();
    return sdk::AuthResult::ok(*identity);
  }

  std::string challenge() const override { return "Bearer"; }

 private:
  std::vector<std::pair<std::string, std::string>> hashes_;  // sha256 hex -> identity
};

}  // namespace ferry::plugins::token

FERRY_PLUGIN(ferry::plugins::token::TokenAuth, "token", "1.0.0",
             "Bearer tokens stored as SHA-256 hashes; identity token:<name>")
