#pragma once

// The basic-auth check lives in sdk/auth_crypto, shared with the "basic" auth plugin, so the
// web config's basic_auth_users and the plugin's users behave alike.
#include <ferry/auth_crypto/basic_auth.hpp>

#include "core/web/credential_cache.h"

namespace ferry::core::web {
using auth_crypto::BasicAuthenticator;
using auth_crypto::BasicCredentials;
using auth_crypto::parseBasicAuthorization;
}  // namespace ferry::core::web
