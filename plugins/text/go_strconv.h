// The number syntax of Go's text parser: which tokens are accepted and what values they yield,
// bit for bit, so a push means the same to Ferry as to Pushgateway.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ferry::plugins::text {

// expfmt's parseFloat: Go's strconv.ParseFloat(s, 64) after rejecting every token that contains
// 'p', 'P' or '_' (so no hexadecimal floats and no digit separators). Accepts an optional sign,
// decimal mantissas such as "1", "1.", ".5", exponents, "inf"/"infinity" with an optional sign
// and unsigned "nan", all case-insensitively. Overflow is an error; underflow yields (signed)
// zero or a subnormal. NaN has Go's bit pattern (math.NaN()).
std::optional<double> parseGoFloat(std::string_view s);

// strconv.ParseInt(s, 10, 64): optional sign, decimal digits only, overflow is an error.
std::optional<int64_t> parseGoInt64(std::string_view s);

// Go's uint64(f) conversion as compiled for amd64, the architecture of the reference binary.
// Out-of-range values have implementation-defined results in Go; this reproduces them instead of
// C++'s undefined behaviour: fractions truncate toward zero, negatives down to -2^63 wrap around
// (-1 gives 2^64-1), and NaN, ±Inf, values below -2^63 and values >= 2^64 all give 2^63.
uint64_t goFloatToUint64(double f);

}  // namespace ferry::plugins::text
