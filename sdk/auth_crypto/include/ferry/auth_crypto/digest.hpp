#pragma once

#include <string>
#include <string_view>

namespace ferry::auth_crypto {

// Lower-case hex SHA-256 of `data` (64 characters). Throws std::runtime_error only when
// OpenSSL has no SHA-256.
std::string sha256Hex(std::string_view data);

// Equality whose running time depends only on the sizes, never on where the bytes differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace ferry::auth_crypto
