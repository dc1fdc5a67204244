#pragma once

#include <string_view>

// The character classes of RFC 9110 that request heads are checked against.
namespace ferry::core::wire {

// tchar: ALPHA / DIGIT / "!#$%&'*+-.^_`|~" (method names, header field names).
bool isTokenByte(unsigned char c);
// 1*tchar.
bool isToken(std::string_view s);
// A byte below 0x20 or 0x7F anywhere in `s`.
bool containsControl(std::string_view s);
// field-value bytes: HTAB, SP, VCHAR and obs-text (0x80-0xFF); no other control byte. As Go's
// httpguts.ValidHeaderFieldValue.
bool isFieldValue(std::string_view s);
// A Host header value Go's httpguts.ValidHostHeader accepts (reg-name, IP literal, port).
bool isValidHost(std::string_view s);
// ASCII case-insensitive equality (header names, tokens).
bool equalsIgnoreCase(std::string_view a, std::string_view b);
// True if the comma-separated list `value` has `token` as an element (case-insensitive,
// optional white space around elements), as Go's hasToken for Connection and Expect.
bool hasToken(std::string_view value, std::string_view token);

}  // namespace ferry::core::wire
