#pragma once

// The cache of verified logins lives in sdk/auth_crypto, shared with the "basic" auth plugin.
#include <ferry/auth_crypto/credential_cache.hpp>

namespace ferry::core::web {
using auth_crypto::CredentialCache;
}  // namespace ferry::core::web
