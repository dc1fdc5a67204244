#include "core/codec/snappy_stream.h"

#include <snappy.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/codec/bounded_output.h"
#include "core/codec/crc32c.h"

// Chunk handling follows github.com/golang/snappy's Reader.fill line by line, so the same bytes
// fail with the same error; libsnappy only decodes the block inside a compressed chunk.
namespace ferry::core::codec {
namespace {

constexpr unsigned char kChunkCompressed = 0x00;
constexpr unsigned char kChunkUncompressed = 0x01;
constexpr unsigned char kChunkStreamIdentifier = 0xff;
constexpr unsigned char kLastUnskippable = 0x7f;
constexpr size_t kChunkHeaderSize = 4;
constexpr size_t kChecksumSize = 4;
constexpr size_t kMaxBlockSize = 65536;
// golang/snappy refuses any chunk longer than its read buffer (maxEncodedLenOfMaxBlockSize plus
// the checksum) before looking at the chunk type.
constexpr size_t kMaxChunkLen = 76490 + kChecksumSize;
constexpr std::string_view kMagicBody = "sNaPpY";

constexpr char kErrCorrupt[] = "snappy: corrupt input";
constexpr char kErrUnsupported[] = "snappy: unsupported input";

inline uint32_t byteAt(std::string_view s, size_t i) { return static_cast<unsigned char>(s[i]); }
inline uint32_t load32le(std::string_view s, size_t pos) {
  return byteAt(s, pos) | byteAt(s, pos + 1) << 8 | byteAt(s, pos + 2) << 16 |
         byteAt(s, pos + 3) << 24;
}

// Go's binary.Uvarint: up to 10 bytes, non-minimal encodings allowed. False on truncation or
// overflow.
bool goUvarint(std::string_view s, uint64_t& value, size_t& length) {
  uint64_t x = 0;
  unsigned shift = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 10) return false;
    const uint64_t b = byteAt(s, i);
    if (b < 0x80) {
      if (i == 9 && b > 1) return false;
      value = x | b << shift;
      length = i + 1;
      return true;
    }
    x |= (b & 0x7f) << shift;
    shift += 7;
  }
  return false;
}

std::string minimalVarint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}

// Decodes one snappy block into `decoded` (kMaxBlockSize bytes); its length, or nullopt when
// the block is corrupt.
std::optional<size_t> decodeBlock(std::string_view block, char* decoded) {
  uint64_t length = 0;
  size_t header = 0;
  if (!goUvarint(block, length, header) || length > kMaxBlockSize) return std::nullopt;
  // libsnappy reads the length itself and accepts at most 5 varint bytes; golang/snappy accepts
  // any encoding of up to 10 bytes, so a non-minimal header is rewritten before decoding.
  const std::string minimal = minimalVarint(length);
  std::string rewritten;
  if (header != minimal.size()) {
    rewritten = minimal;
    rewritten.append(block.substr(header));
    block = rewritten;
  }
  if (!snappy::RawUncompress(block.data(), block.size(), decoded)) return std::nullopt;
  return static_cast<size_t>(length);
}

}  // namespace

DecodeResult unsnappyFramed(std::string_view in, size_t max_output_bytes) {
  DecodeResult result{false, {}, {}};
  auto fail = [&result](std::string error) {
    result.body.clear();
    result.error = std::move(error);
    return std::move(result);
  };
  BoundedOutput out(result.body, max_output_bytes);
  std::unique_ptr<char[]> decoded;
  bool seen_identifier = false;
  size_t pos = 0;
  // EOF exactly at a chunk boundary ends the stream, even before any stream identifier.
  while (pos < in.size()) {
    if (in.size() - pos < kChunkHeaderSize) return fail(kErrCorrupt);
    const unsigned char type = static_cast<unsigned char>(in[pos]);
    const size_t chunk_len =
        byteAt(in, pos + 1) | byteAt(in, pos + 2) << 8 | byteAt(in, pos + 3) << 16;
    pos += kChunkHeaderSize;
    if (!seen_identifier) {
      if (type != kChunkStreamIdentifier) return fail(kErrCorrupt);
      seen_identifier = true;
    }
    if (chunk_len > kMaxChunkLen) return fail(kErrUnsupported);
    const size_t left = in.size() - pos;

    if (type == kChunkCompressed) {
      if (chunk_len < kChecksumSize || left < chunk_len) return fail(kErrCorrupt);
      const uint32_t checksum = load32le(in, pos);
      if (!decoded) decoded.reset(new char[kMaxBlockSize]);
      const std::optional<size_t> n =
          decodeBlock(in.substr(pos + kChecksumSize, chunk_len - kChecksumSize), decoded.get());
      if (!n) return fail(kErrCorrupt);
      const std::string_view data(decoded.get(), *n);
      if (snappyMaskedCrc(data) != checksum) return fail(kErrCorrupt);
      if (!out.append(data.data(), data.size())) return fail(tooLargeError(out.limit()));
    } else if (type == kChunkUncompressed) {
      if (chunk_len < kChecksumSize || left < kChecksumSize) return fail(kErrCorrupt);
      const size_t n = chunk_len - kChecksumSize;
      if (n > kMaxBlockSize || left < chunk_len) return fail(kErrCorrupt);
      const std::string_view data = in.substr(pos + kChecksumSize, n);
      if (snappyMaskedCrc(data) != load32le(in, pos)) return fail(kErrCorrupt);
      if (!out.append(data.data(), data.size())) return fail(tooLargeError(out.limit()));
    } else if (type == kChunkStreamIdentifier) {
      if (chunk_len != kMagicBody.size() || left < chunk_len) return fail(kErrCorrupt);
      if (in.substr(pos, chunk_len) != kMagicBody) return fail(kErrCorrupt);
    } else if (type <= kLastUnskippable) {
      return fail(kErrUnsupported);  // reserved unskippable chunk 0x02-0x7f
    } else if (left < chunk_len) {
      return fail(kErrCorrupt);  // padding (0xfe) or reserved skippable (0x80-0xfd), cut short
    }
    pos += chunk_len;
  }
  result.ok = true;
  return result;
}

}  // namespace ferry::core::codec
