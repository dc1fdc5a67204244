#include <crypt.h>
#include <openssl/crypto.h>

#include <ferry/auth_crypto/bcrypt.hpp>
#include <memory>
#include <stdexcept>
#include <string>

namespace ferry::auth_crypto {

bool verifyBcrypt(std::string_view password, std::string_view hash) {
  if (hash.size() < 7 || !(hash.substr(0, 4) == "$2a$" || hash.substr(0, 4) == "$2b$" ||
                           hash.substr(0, 4) == "$2y$")) {
    return false;
  }
  // crypt() takes C strings: a NUL inside would silently shorten the password.
  if (password.find('\0') != std::string_view::npos || hash.find('\0') != std::string_view::npos) {
    return false;
  }
  // bcrypt only reads the first 72 bytes; Go's bcrypt does the same (before Go 1.22's check).
  std::string pw(password);
  std::string setting(hash);
  auto data = std::make_unique<crypt_data>();  // ~32 KiB: not on the stack of an HTTP thread
  data->initialized = 0;
  const char* out = crypt_r(pw.c_str(), setting.c_str(), data.get());
  // libxcrypt returns "*0"/"*1" (or NULL) on a malformed setting.
  if (out == nullptr || out[0] == '*') return false;
  std::string_view result(out);
  return result.size() == hash.size() &&
         CRYPTO_memcmp(result.data(), hash.data(), hash.size()) == 0;
}

bool isBcryptHash(std::string_view hash) {
  if (hash.size() != 60) return false;
  std::string_view prefix = hash.substr(0, 4);
  if (prefix != "$2a$" && prefix != "$2b$" && prefix != "$2y$") return false;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return digit(hash[4]) && digit(hash[5]) && hash[6] == '$';
}

std::string hashBcrypt(std::string_view password, int cost) {
  auto data = std::make_unique<crypt_data>();
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2y$", static_cast<unsigned long>(cost), nullptr, 0, salt, sizeof salt) ==
      nullptr) {
    throw std::runtime_error("cannot make a bcrypt salt");
  }
  std::string pw(password);
  const char* out = crypt_r(pw.c_str(), salt, data.get());
  if (out == nullptr || out[0] == '*') throw std::runtime_error("bcrypt failed");
  return out;
}

}  // namespace ferry::auth_crypto
