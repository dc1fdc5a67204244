#include "core/codec/codec.h"

#include "core/codec/bounded_output.h"
#include "core/codec/gzip_reader.h"
#include "core/codec/snappy_stream.h"
#include "core/codec/stream_decoder.h"

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

// Identity: the body as it is, under the same limit.
class IdentityDecoder : public StreamDecoder {
 public:
  explicit IdentityDecoder(size_t limit) : StreamDecoder(limit) {}
  size_t decode(std::string_view input, size_t) override {
    if (failed()) return 0;
    if (!emit(input.data(), input.size())) return 0;
    return input.size();
  }
  bool finish() override { return !failed(); }
};

}  // namespace

bool StreamDecoder::emit(const char* data, size_t n) {
  if (n > room()) {
    too_large_ = true;
    fail(tooLargeError(limit_));
    return false;
  }
  out_.append(data, n);
  return true;
}

std::unique_ptr<StreamDecoder> makeStreamDecoder(Encoding encoding, size_t max_output_bytes) {
  switch (encoding) {
    case Encoding::kGzip:
      return makeGzipDecoder(max_output_bytes);
    case Encoding::kSnappy:
      return makeSnappyDecoder(max_output_bytes);
    case Encoding::kIdentity:
      break;
  }
  return std::make_unique<IdentityDecoder>(max_output_bytes);
}

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
  auto decoder = makeStreamDecoder(e, max_output_bytes);
  decoder->decode(body, SIZE_MAX);
  if (!decoder->failed()) decoder->finish();
  if (decoder->failed()) return {false, {}, decoder->error()};
  return {true, std::move(decoder->output()), {}};
}

}  // namespace ferry::core::codec
