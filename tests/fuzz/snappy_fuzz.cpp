// Request bodies with Content-Encoding: snappy (core/codec, golang/snappy's framed Reader).
// Invariants:
//  - a refusal is one of golang/snappy's error texts (or the size limit's);
//  - the output limit is exact and never passed (codec_checks.h);
//  - what decodes was really there: the output written again as a framed stream (stream
//    identifier, then compressed chunks of at most 64 KiB with masked CRC-32C) decodes to the
//    same bytes.
#include <snappy.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/codec/codec.h"
#include "core/codec/crc32c.h"
#include "tests/fuzz/codec_checks.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

void appendLe(std::string& out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

std::string frame(std::string_view data) {
  std::string out("\xff\x06\x00\x00sNaPpY", 10);
  for (size_t pos = 0; pos < data.size();) {
    const std::string_view block = data.substr(pos, std::min<size_t>(65536, data.size() - pos));
    std::string compressed;
    snappy::Compress(block.data(), block.size(), &compressed);
    out += '\x00';
    appendLe(out, static_cast<uint32_t>(compressed.size() + 4), 3);
    appendLe(out, ferry::core::codec::snappyMaskedCrc(block), 4);
    out += compressed;
    pos += block.size();
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ferry::core::codec::Encoding;
  const std::string_view body = ferry::fuzz::asView(data, size);
  const auto result =
      ferry::core::codec::decodeBody(Encoding::kSnappy, body, ferry::fuzz::kDecodeLimit);
  if (!result.ok) {
    FUZZ_CHECK(result.error == "snappy: corrupt input" ||
                   result.error == "snappy: unsupported input" ||
                   ferry::fuzz::isTooLarge(result.error, ferry::fuzz::kDecodeLimit),
               result.error);
    return 0;
  }
  ferry::fuzz::checkLimit(Encoding::kSnappy, body, result, ferry::fuzz::kDecodeLimit);

  const auto decoded = ferry::core::codec::decodeBody(Encoding::kSnappy, frame(result.body),
                                                      ferry::fuzz::kDecodeLimit);
  FUZZ_CHECK(decoded.ok && decoded.body == result.body,
             "re-framed output does not decode to itself: " + decoded.error);
  return 0;
}
