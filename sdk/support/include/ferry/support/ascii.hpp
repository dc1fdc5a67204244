// ASCII character classes as the Go standard library and Prometheus' name rules use them: only the
// ASCII ranges, whatever the C locale says. Part of Ferry::support, not of the plugin ABI.
#pragma once

namespace ferry::support {

constexpr bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace ferry::support
