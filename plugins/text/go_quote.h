// Go's formatting of text for error messages, reproduced byte for byte: Pushgateway sends the
// parser's error strings to the client verbatim, and they embed input quoted with fmt's %q and
// %c verbs.
#pragma once

#include <string>
#include <string_view>

namespace ferry::plugins::text {

// strconv.IsPrint of Go 1.19 (Unicode 13.0.0).
bool goIsPrint(char32_t rune);

// utf8.ValidString: no overlong forms, no surrogates, nothing above U+10FFFF.
bool goValidUtf8(std::string_view s);

// fmt.Sprintf("%q", s) for a string: strconv.Quote, e.g. "a\"b\\\xff\u200b".
std::string goQuote(std::string_view s);

// fmt.Sprintf("%q", b) for a byte: the byte taken as a rune and quoted as a rune literal,
// e.g. '=', '\'', '\n', '\u0080', 'ÿ'.
std::string goQuoteByte(unsigned char b);

// fmt.Sprintf("%c", b) for a byte: the byte taken as a rune, encoded in UTF-8.
std::string goCharOfByte(unsigned char b);

}  // namespace ferry::plugins::text
