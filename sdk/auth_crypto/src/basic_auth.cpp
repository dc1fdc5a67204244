#include <cctype>
#include <ferry/auth_crypto/basic_auth.hpp>
#include <ferry/auth_crypto/bcrypt.hpp>

namespace ferry::auth_crypto {
namespace {

// bcrypt of "fakepassword", the exporter-toolkit's stand-in for unknown users.
constexpr char kFakeHash[] = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

// One bcrypt at a time, as the exporter-toolkit does: a flood of wrong or unknown credentials
// then costs one core, not all of them (each check is ~50-100 ms at cost 10). Verified logins
// are served from the cache and never wait here.
std::mutex& bcryptMutex() {
  static std::mutex mu;
  return mu;
}

int base64Value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Go's base64.StdEncoding (padding required; '\r' and '\n' are skipped).
std::optional<std::string> decodeStdBase64(std::string_view in) {
  std::string clean;
  for (char c : in) {
    if (c != '\r' && c != '\n') clean += c;
  }
  if (clean.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < clean.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      unsigned char c = static_cast<unsigned char>(clean[i + j]);
      if (c == '=' && i + 4 == clean.size() && j >= 2) {
        v[j] = 0;
        ++pad;
      } else {
        if (pad > 0) return std::nullopt;  // data after padding
        v[j] = base64Value(c);
        if (v[j] < 0) return std::nullopt;
      }
    }
    unsigned bits = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out += static_cast<char>((bits >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((bits >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(bits & 0xFF);
  }
  return out;
}

}  // namespace

std::optional<BasicCredentials> parseBasicAuthorization(std::string_view header) {
  constexpr std::string_view kPrefix = "Basic ";
  if (header.size() < kPrefix.size()) return std::nullopt;
  for (size_t i = 0; i < kPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) !=
        std::tolower(static_cast<unsigned char>(kPrefix[i]))) {
      return std::nullopt;
    }
  }
  auto decoded = decodeStdBase64(header.substr(kPrefix.size()));
  if (!decoded) return std::nullopt;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

BasicAuthenticator::BasicAuthenticator(std::map<std::string, std::string> users,
                                       std::shared_ptr<CredentialCache> cache)
    : users_(std::move(users)), cache_(std::move(cache)) {
  if (!cache_) cache_ = std::make_shared<CredentialCache>();
}

std::optional<BasicAuthenticator::Result> BasicAuthenticator::checkCached(
    std::string_view authorization, std::string* user) const {
  auto credentials = parseBasicAuthorization(authorization);
  if (!credentials) return Result::kNoCredentials;
  auto found = users_.find(credentials->user);
  if (found == users_.end()) return std::nullopt;
  if (!cache_->contains(
          CredentialCache::keyFor(credentials->user, found->second, credentials->password))) {
    return std::nullopt;
  }
  if (user) *user = credentials->user;
  return Result::kOk;
}

BasicAuthenticator::Result BasicAuthenticator::check(std::string_view authorization,
                                                     std::string* user) const {
  auto credentials = parseBasicAuthorization(authorization);
  if (!credentials) return Result::kNoCredentials;
  auto found = users_.find(credentials->user);
  bool known = found != users_.end();
  const std::string hash = known ? found->second : std::string(kFakeHash);
  auto key = CredentialCache::keyFor(credentials->user, hash, credentials->password);
  // A hit needs this user, this stored hash and this exact password to have passed bcrypt.
  if (known && cache_->contains(key)) {
    if (user) *user = credentials->user;
    return Result::kOk;
  }
  bool verified;
  {
    std::lock_guard<std::mutex> lock(bcryptMutex());
    verified = verifyBcrypt(credentials->password, hash);
  }
  if (!known || !verified) return Result::kDenied;
  cache_->insert(key);
  if (user) *user = credentials->user;
  return Result::kOk;
}

}  // namespace ferry::auth_crypto
