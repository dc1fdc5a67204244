// Helpers the input and auth contracts share (not part of the kit's public API).
#pragma once

#include <ferry/detail/config_keys.hpp>
#include <string>
#include <utility>
#include <vector>

namespace ferry::testkit::common {

// `name` with every character gtest does not allow in a test name replaced by '_'.
std::string testNameOf(const std::string& name);

// The key the config tests add; no plugin can know it.
inline const char kUnknownKey[] = "ferry_testkit_no_such_key";

// `config` (a JSON object) with kUnknownKey added. Throws std::runtime_error if `config` is
// not a JSON object.
std::string withUnknownKey(const std::string& config);

// Configs made from `good` (one that fits the declared `keys`) that do not fit: an undeclared
// key added, each required key left out, each key given a value of a type it does not take. Each
// comes with the text the refusal must contain.
std::vector<std::pair<std::string, std::string>> configsThatDoNotFit(
    const sdk::detail::KeySpecs& keys, const std::string& good);

}  // namespace ferry::testkit::common
