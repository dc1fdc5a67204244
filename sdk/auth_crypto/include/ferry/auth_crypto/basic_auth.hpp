#pragma once

#include <ferry/auth_crypto/credential_cache.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::auth_crypto {

struct BasicCredentials {
  std::string user;
  std::string password;
};

// Go's Request.BasicAuth: "Basic " (any case) + standard base64 of "user:password". nullopt
// for anything else.
std::optional<BasicCredentials> parseBasicAuthorization(std::string_view header);

// Users -> bcrypt hashes (the web config's basic_auth_users, the "basic" auth plugin's
// "users"), checked as the exporter-toolkit does (an unknown user still costs one bcrypt run, so
// timing does not reveal which users exist). Thread-safe; bcrypt runs one at a time (as upstream)
// and only for credentials the cache has not seen verified.
class BasicAuthenticator {
 public:
  BasicAuthenticator(std::map<std::string, std::string> users,
                     std::shared_ptr<CredentialCache> cache);

  enum class Result { kOk, kNoCredentials, kDenied };
  // `authorization` is the request's Authorization header ("" when absent).
  Result check(std::string_view authorization, std::string* user = nullptr) const;
  // The answer when it needs no bcrypt run: kOk for credentials verified before (the cache),
  // kNoCredentials when the header holds no basic credentials; nullopt when check() would run
  // bcrypt (unknown users included), so a server can run that on a thread that may wait.
  std::optional<Result> checkCached(std::string_view authorization,
                                    std::string* user = nullptr) const;

  bool empty() const { return users_.empty(); }

 private:
  std::map<std::string, std::string> users_;
  std::shared_ptr<CredentialCache> cache_;
};

}  // namespace ferry::auth_crypto
