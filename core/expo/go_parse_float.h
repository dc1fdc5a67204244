#pragma once

#include <optional>
#include <string_view>

namespace ferry::core::expo {

// Go's strconv.ParseFloat(s, bit_size) for bit_size 32 or 64: decimal and hexadecimal
// (0x...p±d, exponent required) literals with optional sign, `_` digit separators where
// Go allows them, and case-insensitive "inf", "infinity", "nan" (the last one unsigned); no
// surrounding spaces. Returns nullopt where Go reports a syntax error. Out-of-range magnitudes
// give ±Inf (Go's value alongside ErrRange) and underflow gives zero; with bit_size 32 the
// value is rounded to float32 once, directly from the literal.
std::optional<double> parseGoFloat(std::string_view s, int bit_size);

}  // namespace ferry::core::expo
