#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ferry::core::migrate {

// Decodes the bytes of Go's time.Time.MarshalBinary (also its GobEncode): version 1 is
// {1, int64 seconds since 0001-01-01 UTC, int32 nanoseconds, int16 zone offset in minutes},
// big-endian; version 2 appends an int8 seconds offset. Returns Unix nanoseconds; Go's zero
// time (0001-01-01, "never set") gives 0. On malformed bytes or a time outside what int64 Unix
// nanoseconds can hold returns false and sets `error`.
bool decodeGoTime(std::string_view bytes, int64_t& unix_nanos, std::string& error);

}  // namespace ferry::core::migrate
