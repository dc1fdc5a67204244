// UTF-8 exactly as Go's unicode/utf8 package reads and writes it. Part of Ferry::support:
// helpers Ferry and its plugins share, not part of the plugin ABI.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ferry::support {

// The replacement character Go's decoder reports for every invalid byte.
inline constexpr char32_t kRuneError = 0xFFFD;

struct DecodedRune {
  char32_t rune;
  size_t width;  // bytes consumed; 1 for an invalid byte (rune is then kRuneError), 0 at end
};

// Decodes the first code point of `in` exactly like Go's utf8.DecodeRuneInString: overlong
// forms, surrogates, values above U+10FFFF and truncated sequences each yield
// {kRuneError, 1}, so a caller walking a byte string never skips a byte it has not seen.
// Pure function, thread-safe.
DecodedRune decodeRune(std::string_view in);

// Appends the UTF-8 form of `r` (Go's utf8.AppendRune; fmt's %c); invalid code points
// (surrogates, > U+10FFFF) are written as U+FFFD, as Go does.
void appendRune(std::string& out, char32_t r);

// Go's utf8.ValidString: well-formed UTF-8 with no surrogates and nothing above U+10FFFF.
bool isValidUtf8(std::string_view in);

}  // namespace ferry::support
