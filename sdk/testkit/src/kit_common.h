// Helpers the input and auth contracts share (not part of the kit's public API).
#pragma once

#include <string>

namespace ferry::testkit::common {

// `name` with every character gtest does not allow in a test name replaced by '_'.
std::string testNameOf(const std::string& name);

// The key the config tests add; no plugin can know it.
inline const char kUnknownKey[] = "ferry_testkit_no_such_key";

// `config` (a JSON object) with kUnknownKey added. Throws std::runtime_error if `config` is
// not a JSON object.
std::string withUnknownKey(const std::string& config);

}  // namespace ferry::testkit::common
