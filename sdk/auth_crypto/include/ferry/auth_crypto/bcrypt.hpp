#pragma once

#include <string>
#include <string_view>

namespace ferry::auth_crypto {

// True when `hash` is a bcrypt hash ("$2a$", "$2b$" or "$2y$", as Go's x/crypto/bcrypt
// accepts) of `password`. Runs the full bcrypt cost (slow on purpose); thread-safe. Any other
// hash format, or a malformed hash, gives false.
bool verifyBcrypt(std::string_view password, std::string_view hash);

// True when `hash` has the shape of a bcrypt hash: "$2a$", "$2b$" or "$2y$", two cost
// digits, '$' and 53 characters of salt and digest (60 in all). For checking configs at start.
bool isBcryptHash(std::string_view hash);

// A bcrypt hash with the given cost, for tests and tools; throws std::runtime_error.
std::string hashBcrypt(std::string_view password, int cost);

}  // namespace ferry::auth_crypto
