// Go's quoting of strings and runes, byte for byte. The Pushgateway's error messages quote user
// input with fmt's %q and %#v (strconv.Quote) or, for durations, with the time package's own
// quote, and Ferry answers with the same bytes. Part of Ferry::support: helpers Ferry and its
// plugins share, not part of the plugin ABI. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace ferry::support {

// Go's strconv.IsPrint with the tables of Go 1.19 (Unicode 13.0.0), the toolchain that built
// Pushgateway 1.5.1: letters, marks, numbers, punctuation, symbols and U+0020. The version
// matters: U+0870, for one, is printed raw by newer Go versions but escaped by Pushgateway
// 1.5.1.
bool goIsPrint(char32_t r);

// Go's strconv.Quote, i.e. what fmt's %q and %#v print for a string: double quotes around the
// bytes, `"` and `\` backslash-escaped, printable runes verbatim, \a \b \f \n \r \t \v, other
// control characters and invalid bytes as \xNN, other non-printable runes as \uNNNN or
// \UNNNNNNNN. E.g. "a\"b\\\xff\u200b".
std::string goQuote(std::string_view in);

// Go's strconv.QuoteRune, i.e. fmt's %q of a rune (or of a byte, which Go formats as the rune
// of that value): '=', '\'', '\n', '\x00', '\u0080', 'ÿ'.
std::string goQuoteRune(char32_t r);

// The time package's own quote, which time.ParseDuration uses in its errors: every byte below
// U+0020 or above U+007F as \xNN (so "µ" is "\xc2\xb5"), `"` and `\` backslash-escaped.
std::string goTimeQuote(std::string_view in);

}  // namespace ferry::support
