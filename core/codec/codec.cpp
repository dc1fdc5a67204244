#include "core/codec/codec.h"

#include "core/codec/bounded_output.h"
#include "core/codec/gzip_reader.h"
#include "core/codec/snappy_stream.h"

namespace ferry::core::codec {
namespace {

bool isOptionalWhitespace(char c) { return c == ' ' || c == '\t'; }

bool equalsAsciiLower(std::string_view value, std::string_view lower) {
  if (value.size() != lower.size()) return false;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

}  // namespace

// Go's strings.ToLower is Unicode-aware, but no non-ASCII rune lowers into the letters of "gzip"
// or "snappy", so an ASCII comparison accepts exactly the same values.
Encoding parseContentEncoding(std::string_view header_value) {
  while (!header_value.empty() && isOptionalWhitespace(header_value.front())) {
    header_value.remove_prefix(1);
  }
  while (!header_value.empty() && isOptionalWhitespace(header_value.back())) {
    header_value.remove_suffix(1);
  }
  if (equalsAsciiLower(header_value, "gzip")) return Encoding::kGzip;
  if (equalsAsciiLower(header_value, "snappy")) return Encoding::kSnappy;
  return Encoding::kIdentity;
}

DecodeResult decodeBody(Encoding e, std::string_view body, size_t max_output_bytes) {
  switch (e) {
    case Encoding::kGzip:
      return gunzip(body, max_output_bytes);
    case Encoding::kSnappy:
      return unsnappyFramed(body, max_output_bytes);
    case Encoding::kIdentity:
      break;
  }
  if (body.size() > max_output_bytes) return {false, {}, tooLargeError(max_output_bytes)};
  return {true, std::string(body), {}};
}

}  // namespace ferry::core::codec
