#include "core/codec/gzip_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "core/codec/bounded_output.h"

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

inline const Bytef* bytesAt(std::string_view in, size_t pos) {
  return reinterpret_cast<const Bytef*>(in.data() + pos);
}
inline uint32_t load16le(std::string_view in, size_t pos) {
  const Bytef* p = bytesAt(in, pos);
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8;
}
inline uint32_t load32le(std::string_view in, size_t pos) {
  return load16le(in, pos) | load16le(in, pos + 2) << 16;
}

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

// RFC 1952 member header, with Go's checks only. Returns nullptr or the error text.
const char* readHeader(std::string_view in, size_t& pos) {
  if (in.size() - pos < kHeaderSize) return kErrUnexpectedEof;
  const Bytef* h = bytesAt(in, pos);
  if (h[0] != kId1 || h[1] != kId2 || h[2] != kMethodDeflate) return kErrHeader;
  const unsigned flags = h[3];
  uLong digest = crc32(0L, h, kHeaderSize);
  pos += kHeaderSize;
  if (flags & kFlagExtra) {
    if (in.size() - pos < 2) return kErrUnexpectedEof;
    const size_t extra_len = load16le(in, pos);
    digest = crc32(digest, bytesAt(in, pos), 2);
    pos += 2;
    if (in.size() - pos < extra_len) return kErrUnexpectedEof;
    digest = crc32(digest, bytesAt(in, pos), static_cast<uInt>(extra_len));
    pos += extra_len;
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

class RawInflater {
 public:
  RawInflater() : buf_(new char[kChunk]) {
    zs_.zalloc = Z_NULL;
    zs_.zfree = Z_NULL;
    zs_.opaque = Z_NULL;
    zs_.next_in = Z_NULL;
    zs_.avail_in = 0;
    ready_ = inflateInit2(&zs_, -MAX_WBITS) == Z_OK;
  }
  ~RawInflater() {
    if (ready_) inflateEnd(&zs_);
  }
  RawInflater(const RawInflater&) = delete;
  RawInflater& operator=(const RawInflater&) = delete;

  bool ready() const { return ready_; }

  // Inflates the deflate data of one member starting at `pos` into `out`, and moves `pos` just
  // past it. Returns an empty string or the error text; `crc` and `size` describe the output.
  std::string inflateMember(std::string_view in, size_t& pos, BoundedOutput& out, uint32_t& crc,
                            uint32_t& size) {
    inflateReset(&zs_);
    zs_.next_in = Z_NULL;  // drop what the previous member left unread: it was its trailer
    zs_.avail_in = 0;
    const size_t start = pos;
    const size_t available = in.size() - start;
    size_t fed = 0;
    crc = 0;
    size = 0;
    for (;;) {
      if (zs_.avail_in == 0 && fed < available) {
        const size_t n = std::min<size_t>(available - fed, std::numeric_limits<uInt>::max());
        zs_.next_in = const_cast<Bytef*>(bytesAt(in, start + fed));
        zs_.avail_in = static_cast<uInt>(n);
        fed += n;
      }
      // One byte more than the limit allows is enough to know the limit is passed.
      const size_t room = out.room();
      const size_t want = room >= kChunk ? kChunk : room + 1;
      zs_.next_out = reinterpret_cast<Bytef*>(buf_.get());
      zs_.avail_out = static_cast<uInt>(want);
      const int ret = inflate(&zs_, Z_NO_FLUSH);
      const size_t produced = want - zs_.avail_out;
      if (produced > 0) {
        if (!out.append(buf_.get(), produced)) return tooLargeError(out.limit());
        crc = static_cast<uint32_t>(
            crc32(crc, reinterpret_cast<const Bytef*>(buf_.get()), static_cast<uInt>(produced)));
        size += static_cast<uint32_t>(produced);  // ISIZE is the length modulo 2^32
      }
      switch (ret) {
        case Z_STREAM_END:
          pos = start + (fed - zs_.avail_in);
          return {};
        case Z_OK:
        case Z_BUF_ERROR:
          // Stopping with output space left means zlib wants more input: refill, or, when all
          // of it was given, the body ended before the final block did.
          if (zs_.avail_out > 0) {
            if (zs_.avail_in > 0) return "flate: internal error: inflate stalled";
            if (fed == available) return kErrUnexpectedEof;
          }
          break;
        case Z_DATA_ERROR:
          return "flate: corrupt input before offset " + std::to_string(zs_.total_in);
        default:
          return std::string("flate: internal error: ") + (zs_.msg ? zs_.msg : "zlib failure");
      }
    }
  }

 private:
  z_stream zs_{};
  bool ready_ = false;
  std::unique_ptr<char[]> buf_;
};

}  // namespace

DecodeResult gunzip(std::string_view in, size_t max_output_bytes) {
  DecodeResult result{false, {}, {}};
  auto fail = [&result](std::string error) {
    result.body.clear();
    result.error = std::move(error);
    return std::move(result);
  };
  // Go reports an empty body from gzip.NewReader, before anything is decoded.
  if (in.empty()) return fail(kErrEof);
  RawInflater inflater;
  if (!inflater.ready()) return fail("flate: internal error: cannot initialise zlib");
  BoundedOutput out(result.body, max_output_bytes);
  size_t pos = 0;
  // Multistream: members follow each other until the input ends exactly after a trailer.
  while (pos < in.size()) {
    if (const char* err = readHeader(in, pos)) return fail(err);
    uint32_t crc = 0;
    uint32_t size = 0;
    std::string err = inflater.inflateMember(in, pos, out, crc, size);
    if (!err.empty()) return fail(std::move(err));
    if (in.size() - pos < kTrailerSize) return fail(kErrUnexpectedEof);
    if (load32le(in, pos) != crc || load32le(in, pos + 4) != size) return fail(kErrChecksum);
    pos += kTrailerSize;
  }
  result.ok = true;
  return result;
}

}  // namespace ferry::core::codec
