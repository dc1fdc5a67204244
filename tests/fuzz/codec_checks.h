#pragma once

// Invariants every request-body decoder (core/codec) must keep, whatever the format.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/codec/codec.h"
#include "tests/fuzz/fuzz_support.h"

namespace ferry::fuzz {

// Far above any fuzz input's decoded size except a bomb's: keeps every run fast.
inline constexpr size_t kDecodeLimit = size_t{1} << 20;

inline bool isTooLarge(const std::string& error, size_t limit) {
  return error == "request body too large: limit is " + std::to_string(limit) + " bytes";
}

// The limit is exact: a body that decoded to n bytes decodes to the same n bytes under the limit
// n and is refused as too large under n - 1; nothing is ever longer than the limit.
inline void checkLimit(core::codec::Encoding encoding, std::string_view body,
                       const core::codec::DecodeResult& result, size_t limit) {
  using core::codec::decodeBody;
  if (!result.ok) return;
  FUZZ_CHECK(result.body.size() <= limit, "decoded past the limit");
  const size_t n = result.body.size();
  const auto exact = decodeBody(encoding, body, n);
  FUZZ_CHECK(exact.ok && exact.body == result.body,
             "decoding under the limit of its own size failed: " + exact.error);
  if (n == 0) return;
  const auto smaller = decodeBody(encoding, body, n - 1);
  FUZZ_CHECK(!smaller.ok && isTooLarge(smaller.error, n - 1),
             "a limit one byte too small was not refused as too large: " + smaller.error);
}

}  // namespace ferry::fuzz
