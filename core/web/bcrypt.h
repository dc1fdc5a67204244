#pragma once

// bcrypt lives in sdk/auth_crypto, shared with the "basic" auth plugin.
#include <ferry/auth_crypto/bcrypt.hpp>

namespace ferry::core::web {
using auth_crypto::hashBcrypt;
using auth_crypto::verifyBcrypt;
}  // namespace ferry::core::web
