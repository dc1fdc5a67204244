#pragma once

#include <string>
#include <string_view>

namespace ferry::core::model {

// Go's strconv.IsPrint (Unicode 13.0.0 tables, as the Go 1.19 that built Pushgateway 1.5.1):
// letters, marks, numbers, punctuation, symbols and U+0020.
bool isPrintRune(char32_t r);

// Go's strconv.Quote, i.e. what fmt's %q prints for a string: double quotes around the bytes,
// `"` and `\` backslash-escaped, printable runes verbatim, \a \b \f \n \r \t \v, other control
// characters and invalid bytes as \xNN, other non-printable runes as \uNNNN / \UNNNNNNNN.
// Pushgateway's error messages quote user input this way, and Ferry answers with the same bytes.
std::string quoteGo(std::string_view in);

}  // namespace ferry::core::model
