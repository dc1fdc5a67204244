// Request bodies with Content-Encoding: gzip (core/codec, Go's multistream gzip.Reader).
// Invariants:
//  - a refusal is one of Go's documented error texts (or the size limit's);
//  - the output limit is exact and never passed (codec_checks.h);
//  - what decodes was really there: compressing the output again (the core's own gzip
//    writer, used for responses) and decoding that gives the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/codec/codec.h"
#include "core/expo/gzip.h"
#include "tests/fuzz/codec_checks.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

bool documentedError(const std::string& error) {
  constexpr std::string_view kCorrupt = "flate: corrupt input before offset ";
  return error == "EOF" || error == "unexpected EOF" || error == "gzip: invalid header" ||
         error == "gzip: invalid checksum" || error.compare(0, kCorrupt.size(), kCorrupt) == 0 ||
         ferry::fuzz::isTooLarge(error, ferry::fuzz::kDecodeLimit);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ferry::core::codec::Encoding;
  const std::string_view body = ferry::fuzz::asView(data, size);
  const auto result =
      ferry::core::codec::decodeBody(Encoding::kGzip, body, ferry::fuzz::kDecodeLimit);
  if (!result.ok) {
    FUZZ_CHECK(documentedError(result.error), result.error);
    return 0;
  }
  ferry::fuzz::checkLimit(Encoding::kGzip, body, result, ferry::fuzz::kDecodeLimit);

  const std::string again = ferry::core::expo::gzipCompress(result.body);
  const auto decoded =
      ferry::core::codec::decodeBody(Encoding::kGzip, again, ferry::fuzz::kDecodeLimit);
  FUZZ_CHECK(decoded.ok && decoded.body == result.body,
             "re-compressed output does not decode to itself: " + decoded.error);
  return 0;
}
