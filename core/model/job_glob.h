#pragma once

#include <string_view>

namespace ferry::core::model {

// Shell-style glob on job names, as the auth rights, the TTL rules and the limits use them:
// '*' any run of characters (also empty), '?' one character, everything else literal (no
// classes, no escapes). Iterative, O(pattern * text) at worst.
bool globMatch(std::string_view pattern, std::string_view text);

}  // namespace ferry::core::model
