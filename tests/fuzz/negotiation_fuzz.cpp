// Header negotiation: Accept (response format), Accept-Encoding (gzip responses) and
// Content-Encoding (request body decoder).
// Input: "<Accept>\0<Accept-Encoding>\0<Content-Encoding>".
// Invariants:
//  - the Content-Type Ferry answers with, sent back as Accept, selects the same format;
//  - Accept-Encoding: once gzip is accepted, listing more encodings after it does not take
//    that back, and a list ending in gzip is always accepted;
//  - Content-Encoding is case-insensitive and ignores surrounding spaces and tabs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/codec/codec.h"
#include "core/expo/negotiation.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

std::string upperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace expo = ferry::core::expo;
  namespace codec = ferry::core::codec;
  using ferry::fuzz::printable;
  const auto fields = ferry::fuzz::splitFields(ferry::fuzz::asView(data, size), 3);

  const expo::Format format = expo::negotiate(fields[0]);
  const std::string_view content_type = expo::contentType(format);
  FUZZ_CHECK(!content_type.empty(), printable(fields[0]));
  FUZZ_CHECK(expo::negotiate(content_type) == format,
             printable(fields[0]) + " -> " + std::string(content_type));

  if (expo::acceptsGzip(fields[1])) {
    FUZZ_CHECK(expo::acceptsGzip(std::string(fields[1]) + ", identity"), printable(fields[1]));
  }
  FUZZ_CHECK(expo::acceptsGzip(std::string(fields[1]) + ",gzip"), printable(fields[1]));

  const codec::Encoding encoding = codec::parseContentEncoding(fields[2]);
  FUZZ_CHECK(codec::parseContentEncoding(" \t" + std::string(fields[2]) + "\t ") == encoding,
             printable(fields[2]));
  FUZZ_CHECK(codec::parseContentEncoding(upperAscii(fields[2])) == encoding, printable(fields[2]));
  return 0;
}
