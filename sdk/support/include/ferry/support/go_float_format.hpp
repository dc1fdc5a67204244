#pragma once

#include <string>

// Go's strconv.FormatFloat(v, 'g', -1, 64): the float spelling of every Pushgateway output
// (text exposition, JSON API via fmt.Sprint, protobuf text via fmt.Fprint). Part of
// Ferry::support: helpers Ferry and its plugins share, not part of the plugin ABI.
namespace ferry::support {

// Shortest digits that round-trip to v; with x the decimal exponent of the first digit,
// exponent form "d.ddde±XX" (at least two exponent digits) iff x < -4 || x >= 6, plain decimal
// otherwise. Go uses 6 as the precision for this decision in shortest mode: 100000 →
// "100000", 1234567 → "1.234567e+06", 1e21 → "1e+21", 1e-05 → "1e-05", 0.0001 → "0.0001".
// Specials: "+Inf", "-Inf", "NaN"; negative zero is "-0".
void appendFloat(std::string& out, double v);
std::string formatFloat(double v);

// The same for a float32 value (FormatFloat(v, 'g', -1, 32)), used by the generic protobuf
// text writer for `float` fields.
void appendFloat32(std::string& out, float v);

}  // namespace ferry::support
