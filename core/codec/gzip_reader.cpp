#include "core/codec/gzip_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "core/codec/little_endian.h"

// The header and trailer are parsed here rather than by zlib's gzip mode because the client sees
// the error text: Go accepts what zlib would reject (reserved flag bits, any header-string
// length up to 511) and words its errors differently. zlib only inflates the raw deflate data.
namespace ferry::core::codec {
namespace {

constexpr unsigned char kId1 = 0x1f;
constexpr unsigned char kId2 = 0x8b;
constexpr unsigned char kMethodDeflate = 8;
constexpr unsigned kFlagHeaderCrc = 1u << 1;
constexpr unsigned kFlagExtra = 1u << 2;
constexpr unsigned kFlagName = 1u << 3;
constexpr unsigned kFlagComment = 1u << 4;
constexpr size_t kHeaderSize = 10;
constexpr size_t kTrailerSize = 8;
// Go reads header strings into its 512-byte Reader.buf and gives up when it is full.
constexpr size_t kMaxHeaderString = 512;
constexpr size_t kChunk = 64 * 1024;

constexpr char kErrEof[] = "EOF";
constexpr char kErrUnexpectedEof[] = "unexpected EOF";
constexpr char kErrHeader[] = "gzip: invalid header";
constexpr char kErrChecksum[] = "gzip: invalid checksum";

// A NUL-terminated FNAME/FCOMMENT field; the CRC covers the terminator.
const char* skipHeaderString(std::string_view in, size_t& pos, uLong& digest) {
  for (size_t i = 0;; ++i) {
    if (i >= kMaxHeaderString) return kErrHeader;
    if (pos + i >= in.size()) return kErrUnexpectedEof;
    if (in[pos + i] == '\0') {
      digest = crc32(digest, bytesAt(in, pos), static_cast<uInt>(i + 1));
      pos += i + 1;
      return nullptr;
    }
  }
}

// RFC 1952 member header, with Go's checks only: nullptr when `in` holds a complete header
// (of in.size() bytes or fewer: `pos` is its end), kErrUnexpectedEof when it needs more bytes,
// or the error text. Cheap on an incomplete header, so it can be asked again byte by byte.
const char* readHeader(std::string_view in, size_t& pos) {
  pos = 0;
  if (in.size() < kHeaderSize) return kErrUnexpectedEof;
  const Bytef* h = bytesAt(in, 0);
  if (h[0] != kId1 || h[1] != kId2 || h[2] != kMethodDeflate) return kErrHeader;
  const unsigned flags = h[3];
  uLong digest = crc32(0L, h, kHeaderSize);
  pos = kHeaderSize;
  if (flags & kFlagExtra) {
    if (in.size() - pos < 2) return kErrUnexpectedEof;
    const size_t extra_len = load16le(in, pos);
    if (in.size() - pos - 2 < extra_len) return kErrUnexpectedEof;
    digest = crc32(digest, bytesAt(in, pos), static_cast<uInt>(2 + extra_len));
    pos += 2 + extra_len;
  }
  if (flags & kFlagName) {
    if (const char* err = skipHeaderString(in, pos, digest)) return err;
  }
  if (flags & kFlagComment) {
    if (const char* err = skipHeaderString(in, pos, digest)) return err;
  }
  if (flags & kFlagHeaderCrc) {
    if (in.size() - pos < 2) return kErrUnexpectedEof;
    if (load16le(in, pos) != (digest & 0xFFFFu)) return kErrHeader;
    pos += 2;
  }
  return nullptr;
}

class GzipDecoder : public StreamDecoder {
 public:
  explicit GzipDecoder(size_t limit) : StreamDecoder(limit), buf_(new char[kChunk]) {
    zs_.zalloc = Z_NULL;
    zs_.zfree = Z_NULL;
    zs_.opaque = Z_NULL;
    zs_.next_in = Z_NULL;
    zs_.avail_in = 0;
    if (inflateInit2(&zs_, -MAX_WBITS) == Z_OK) {
      ready_ = true;
    } else {
      fail("flate: internal error: cannot initialise zlib");
    }
  }
  ~GzipDecoder() override {
    if (ready_) inflateEnd(&zs_);
  }
  GzipDecoder(const GzipDecoder&) = delete;
  GzipDecoder& operator=(const GzipDecoder&) = delete;

  size_t decode(std::string_view input, size_t budget) override {
    size_t used = 0;
    while (used < input.size() && !failed()) {
      std::string_view rest = input.substr(used);
      switch (state_) {
        case State::kHeader:
          used += takeHeaderByte(rest[0]);
          break;
        case State::kData: {
          if (budget == 0) return used;
          size_t produced = 0;
          used += inflateSome(rest, budget, produced);
          budget -= std::min(budget, produced);
          break;
        }
        case State::kTrailer:
          trailer_.push_back(rest[0]);
          ++used;
          if (trailer_.size() == kTrailerSize) checkTrailer();
          break;
      }
    }
    return used;
  }

  bool finish() override {
    if (failed()) return false;
    // Multistream: the body may end only right after a trailer (or be empty, which Go reports
    // as "EOF" from gzip.NewReader).
    if (state_ == State::kHeader && header_.empty()) {
      if (!member_seen_) fail(kErrEof);
    } else {
      fail(kErrUnexpectedEof);
    }
    return !failed();
  }

 private:
  enum class State { kHeader, kData, kTrailer };

  size_t takeHeaderByte(char c) {
    header_.push_back(c);
    size_t end = 0;
    const char* err = readHeader(header_, end);
    if (err == kErrUnexpectedEof) return 1;
    if (err != nullptr) {
      fail(err);
      return 1;
    }
    header_.clear();
    member_seen_ = true;
    inflateReset(&zs_);
    zs_.next_in = Z_NULL;
    zs_.avail_in = 0;
    crc_ = 0;
    size_ = 0;
    state_ = State::kData;
    return 1;
  }

  // Inflates from `in` until the member's deflate data ends, the input is used up or about
  // `budget` bytes came out. Returns the input bytes used.
  size_t inflateSome(std::string_view in, size_t budget, size_t& produced) {
    const size_t n = std::min<size_t>(in.size(), std::numeric_limits<uInt>::max());
    zs_.next_in = const_cast<Bytef*>(bytesAt(in, 0));
    zs_.avail_in = static_cast<uInt>(n);
    for (;;) {
      // One byte more than the limit allows is enough to know the limit is passed.
      const size_t room_left = room();
      size_t want = room_left >= kChunk ? kChunk : room_left + 1;
      if (budget - produced < want) want = std::max<size_t>(budget - produced, 1);
      zs_.next_out = reinterpret_cast<Bytef*>(buf_.get());
      zs_.avail_out = static_cast<uInt>(want);
      const int ret = inflate(&zs_, Z_NO_FLUSH);
      const size_t out = want - zs_.avail_out;
      const size_t used = n - zs_.avail_in;
      if (out > 0) {
        if (!emit(buf_.get(), out)) return used;
        crc_ = static_cast<uint32_t>(
            crc32(crc_, reinterpret_cast<const Bytef*>(buf_.get()), static_cast<uInt>(out)));
        size_ += static_cast<uint32_t>(out);  // ISIZE is the length modulo 2^32
        produced += out;
      }
      switch (ret) {
        case Z_STREAM_END:
          state_ = State::kTrailer;
          trailer_.clear();
          return used;
        case Z_OK:
        case Z_BUF_ERROR:
          // Stopping with output space left means zlib wants more input.
          if (zs_.avail_out > 0) {
            if (zs_.avail_in > 0) {
              fail("flate: internal error: inflate stalled");
              return used;
            }
            return used;
          }
          if (produced >= budget) return used;
          break;
        case Z_DATA_ERROR:
          fail("flate: corrupt input before offset " + std::to_string(zs_.total_in));
          return used;
        default:
          fail(std::string("flate: internal error: ") + (zs_.msg ? zs_.msg : "zlib failure"));
          return used;
      }
    }
  }

  void checkTrailer() {
    if (load32le(trailer_, 0) != crc_ || load32le(trailer_, 4) != size_) {
      fail(kErrChecksum);
      return;
    }
    state_ = State::kHeader;
  }

  z_stream zs_{};
  bool ready_ = false;
  std::unique_ptr<char[]> buf_;
  State state_ = State::kHeader;
  std::string header_;   // the member header received so far (at most ~66 KB: FEXTRA)
  std::string trailer_;  // CRC-32 and ISIZE
  bool member_seen_ = false;
  uint32_t crc_ = 0;
  uint32_t size_ = 0;
};

}  // namespace

std::unique_ptr<StreamDecoder> makeGzipDecoder(size_t max_output_bytes) {
  return std::make_unique<GzipDecoder>(max_output_bytes);
}

}  // namespace ferry::core::codec
