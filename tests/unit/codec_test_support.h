#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "core/codec/codec.h"
#include "core/codec/stream_decoder.h"

namespace ferry::core::codec::test_support {

// The decode limit of a test that is not about the limit.
constexpr size_t kNoLimit = SIZE_MAX;

inline std::string randomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

// Compares bodies without gtest printing megabytes on a mismatch.
inline ::testing::AssertionResult sameBytes(std::string_view actual, std::string_view expected) {
  if (actual == expected) return ::testing::AssertionSuccess();
  size_t i = 0;
  while (i < actual.size() && i < expected.size() && actual[i] == expected[i]) ++i;
  return ::testing::AssertionFailure() << "got " << actual.size() << " bytes, expected "
                                       << expected.size() << "; first difference at byte " << i;
}

// Decodes `body` as the front door does: handed to the stream decoder in pieces of `piece` bytes,
// each call allowed about `budget` bytes of output.
inline DecodeResult decodeInPieces(Encoding encoding, std::string_view body, size_t limit,
                                   size_t piece, size_t budget) {
  auto decoder = makeStreamDecoder(encoding, limit);
  size_t pos = 0;
  while (pos < body.size() && !decoder->failed()) {
    const size_t before = decoder->output().size();
    const size_t used = decoder->decode(body.substr(pos, piece), budget);
    pos += used;
    if (used == 0 && decoder->output().size() == before && !decoder->failed()) {
      ADD_FAILURE() << "the decoder made no progress at byte " << pos;
      break;
    }
  }
  if (!decoder->failed()) decoder->finish();
  if (decoder->failed()) return {false, {}, decoder->error()};
  return {true, std::move(decoder->output()), {}};
}

// The same result as decodeBody() on the whole body, for every way of splitting it.
inline void expectSameInPieces(Encoding encoding, std::string_view body, size_t limit) {
  const DecodeResult whole = decodeBody(encoding, body, limit);
  const bool small = body.size() <= 20000 && whole.body.size() <= 65536;
  for (size_t piece : {size_t{1}, size_t{3}, size_t{4096}, body.size() + 1}) {
    for (size_t budget : {size_t{1}, size_t{65536}, SIZE_MAX}) {
      // Tiny steps over megabytes would only make the test slow.
      if (!small && (piece < 4096 || budget == 1)) continue;
      SCOPED_TRACE("piece " + std::to_string(piece) + ", budget " + std::to_string(budget));
      const DecodeResult split = decodeInPieces(encoding, body, limit, piece, budget);
      EXPECT_EQ(split.ok, whole.ok);
      EXPECT_EQ(split.error, whole.error);
      EXPECT_TRUE(sameBytes(split.body, whole.body));
    }
  }
}

}  // namespace ferry::core::codec::test_support
