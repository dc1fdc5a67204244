// Go's strconv number parsing and Go's float-to-integer conversion, bit for bit, so that a value
// means the same to Ferry as to the Pushgateway. Part of Ferry::support: helpers Ferry and its
// plugins share, not part of the plugin ABI. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ferry::support {

// The error Go's strconv functions return alongside a value.
enum class GoNumError {
  kNone,
  kSyntax,  // strconv.ErrSyntax: not a number literal; the value is 0
  kRange,   // strconv.ErrRange: the value is out of range; ParseFloat then gives ±Inf
};

struct GoFloat {
  double value = 0;
  GoNumError error = GoNumError::kNone;
};

// Go's strconv.ParseFloat(s, bit_size) for bit_size 32 or 64: decimal and hexadecimal
// (0x...p±d, exponent required) literals with optional sign, `_` digit separators where Go
// allows them, and case-insensitive "inf", "infinity", "nan" (the last one unsigned); no
// surrounding spaces. Magnitudes beyond the type give ±Inf with kRange; underflow gives zero
// or a subnormal without an error. With bit_size 32 the value is rounded to float32 once,
// directly from the literal. NaN has Go's bit pattern (math.NaN(), payload 1), which survives a
// protobuf round trip.
GoFloat parseGoFloat(std::string_view s, int bit_size);

// Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits only; nullopt for a syntax
// error or a value outside int64.
std::optional<int64_t> parseGoInt64(std::string_view s);

// Go's uint64(f) conversion as compiled for amd64, the architecture of the reference binary.
// Out-of-range values have implementation-defined results in Go; this reproduces them instead
// of C++'s undefined behaviour: fractions truncate toward zero, negatives down to -2^63 wrap
// around (-1 gives 2^64-1), and NaN, ±Inf, values below -2^63 and values >= 2^64 all give 2^63.
uint64_t goFloatToUint64(double f);

}  // namespace ferry::support
