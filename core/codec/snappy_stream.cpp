#include "core/codec/snappy_stream.h"

#include <snappy.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/codec/crc32c.h"
#include "core/codec/little_endian.h"

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

// Collects one chunk (header, then body) at a time and decodes it when complete, so memory is
// one chunk (at most kMaxChunkLen bytes) however the body is split.
class SnappyDecoder : public StreamDecoder {
 public:
  explicit SnappyDecoder(size_t limit) : StreamDecoder(limit) {}

  size_t decode(std::string_view input, size_t budget) override {
    size_t used = 0;
    while (used < input.size() && !failed()) {
      if (header_.size() < kChunkHeaderSize) {
        header_.push_back(input[used++]);
        if (header_.size() == kChunkHeaderSize) startChunk();
        continue;
      }
      // A chunk decodes to at most kMaxBlockSize bytes: stop between chunks once the budget is
      // spent.
      if (body_.empty() && budget == 0) return used;
      const size_t n = std::min(input.size() - used, chunk_len_ - body_.size());
      body_.append(input.data() + used, n);
      used += n;
      if (body_.size() == chunk_len_) {
        const size_t before = output().size();
        endChunk();
        const size_t produced = output().size() - before;
        budget -= std::min(budget, produced);
      }
    }
    return used;
  }

  // EOF exactly at a chunk boundary ends the stream, even before any stream identifier.
  bool finish() override {
    if (!failed() && !header_.empty()) fail(kErrCorrupt);
    return !failed();
  }

 private:
  // The checks golang/snappy makes before reading the chunk's body.
  void startChunk() {
    type_ = static_cast<unsigned char>(header_[0]);
    chunk_len_ = byteAt(header_, 1) | byteAt(header_, 2) << 8 | byteAt(header_, 3) << 16;
    body_.clear();
    if (!seen_identifier_) {
      if (type_ != kChunkStreamIdentifier) return fail(kErrCorrupt);
      seen_identifier_ = true;
    }
    if (chunk_len_ > kMaxChunkLen) return fail(kErrUnsupported);
    if ((type_ == kChunkCompressed || type_ == kChunkUncompressed) && chunk_len_ < kChecksumSize) {
      return fail(kErrCorrupt);
    }
    if (type_ == kChunkUncompressed && chunk_len_ - kChecksumSize > kMaxBlockSize) {
      return fail(kErrCorrupt);
    }
    if (type_ == kChunkStreamIdentifier && chunk_len_ != kMagicBody.size()) {
      return fail(kErrCorrupt);
    }
    if (type_ != kChunkCompressed && type_ != kChunkUncompressed &&
        type_ != kChunkStreamIdentifier && type_ <= kLastUnskippable) {
      return fail(kErrUnsupported);  // reserved unskippable chunk 0x02-0x7f
    }
    if (chunk_len_ == 0) endChunk();
  }

  void endChunk() {
    std::string_view in = body_;
    if (type_ == kChunkCompressed) {
      const uint32_t checksum = load32le(in, 0);
      if (!decoded_) decoded_.reset(new char[kMaxBlockSize]);
      const std::optional<size_t> n = decodeBlock(in.substr(kChecksumSize), decoded_.get());
      if (!n) return fail(kErrCorrupt);
      const std::string_view data(decoded_.get(), *n);
      if (snappyMaskedCrc(data) != checksum) return fail(kErrCorrupt);
      if (!emit(data.data(), data.size())) return;
    } else if (type_ == kChunkUncompressed) {
      const std::string_view data = in.substr(kChecksumSize);
      if (snappyMaskedCrc(data) != load32le(in, 0)) return fail(kErrCorrupt);
      if (!emit(data.data(), data.size())) return;
    } else if (type_ == kChunkStreamIdentifier) {
      if (in != kMagicBody) return fail(kErrCorrupt);
    }
    // Padding (0xfe) and reserved skippable chunks (0x80-0xfd) are skipped.
    header_.clear();
    body_.clear();
  }

  std::string header_;
  std::string body_;
  unsigned char type_ = 0;
  size_t chunk_len_ = 0;
  bool seen_identifier_ = false;
  std::unique_ptr<char[]> decoded_;
};

}  // namespace

std::unique_ptr<StreamDecoder> makeSnappyDecoder(size_t max_output_bytes) {
  return std::make_unique<SnappyDecoder>(max_output_bytes);
}

}  // namespace ferry::core::codec
