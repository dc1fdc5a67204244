// gzip request bodies: Go compress/gzip semantics, error texts and the output limit.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <zlib.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "codec_test_support.h"
#include "core/codec/codec.h"

namespace ferry::core::codec {
namespace {

using namespace std::string_literals;
using test_support::kNoLimit;
using test_support::randomBytes;
using test_support::sameBytes;

constexpr char kEof[] = "EOF";
constexpr char kUnexpectedEof[] = "unexpected EOF";
constexpr char kInvalidHeader[] = "gzip: invalid header";
constexpr char kInvalidChecksum[] = "gzip: invalid checksum";

// zlib deflate; windowBits 31 writes a gzip member, -15 raw deflate data.
std::string deflateWith(std::string_view data, int window_bits, int level = 6) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2");
  }
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int ret = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (ret != Z_STREAM_END) throw std::runtime_error("deflate");
  return out;
}
std::string gzip(std::string_view data, int level = 6) { return deflateWith(data, 31, level); }
std::string rawDeflate(std::string_view data) { return deflateWith(data, -15); }

std::string le(uint32_t v, int bytes) {
  std::string s;
  for (int i = 0; i < bytes; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return s;
}
uint32_t crc(std::string_view data) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}
// A hand-made member: `header` (from magic to the optional fields) + deflate data + trailer.
std::string member(std::string_view header, std::string_view data) {
  return std::string(header) + rawDeflate(data) + le(crc(data), 4) +
         le(static_cast<uint32_t>(data.size()), 4);
}
std::string fixedHeader(unsigned char flags) {
  return "\x1f\x8b\x08"s + static_cast<char>(flags) + "\x00\x00\x00\x00\x00\xff"s;
}

// Every case also checks that the stream decoder, fed in pieces, gives the same result.
DecodeResult gunzipBody(std::string_view body, size_t limit = kNoLimit) {
  test_support::expectSameInPieces(Encoding::kGzip, body, limit);
  return decodeBody(Encoding::kGzip, body, limit);
}
void expectGzipError(std::string_view body, std::string_view error) {
  const DecodeResult r = gunzipBody(body);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, error);
  EXPECT_TRUE(sameBytes(r.body, ""));
}
// ---- decompression bomb ---------------------------------------------------------------------

// 1 GiB of zeros in about 1 MiB: one fully flushed deflate segment of 1 MiB of zeros repeated.
// A full flush forbids back-references across it and ends on a byte boundary, so any number of
// copies of the segment is valid deflate data.
std::string gzipBombOfZeros(size_t mebibytes) {
  const std::string zeros(1 << 20, '\0');
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
  auto step = [&zs](std::string_view in, int flush) {
    std::string out(deflateBound(&zs, in.size()) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, flush);
    out.resize(out.size() - zs.avail_out);
    return out;
  };
  const std::string first = step(zeros, Z_FULL_FLUSH);
  const std::string segment = step(zeros, Z_FULL_FLUSH);
  const std::string last = step("", Z_FINISH);
  deflateEnd(&zs);
  std::string bomb = fixedHeader(0) + first;
  uLong digest = crc(zeros);
  const uLong one = digest;
  for (size_t i = 1; i < mebibytes; ++i) {
    bomb += segment;
    digest = crc32_combine(digest, one, 1 << 20);
  }
  bomb +=
      last + le(static_cast<uint32_t>(digest), 4) + le(static_cast<uint32_t>(mebibytes << 20), 4);
  return bomb;
}

long peakRssKiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// AddressSanitizer keeps freed blocks in its quarantine (256 MiB by default) and adds shadow
// memory and redzones, so the resident size of an instrumented build says nothing about what
// the decoder holds; the uninstrumented build checks the bound.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kRssMeasuresTheDecoder = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kRssMeasuresTheDecoder = false;
#else
constexpr bool kRssMeasuresTheDecoder = true;
#endif
#else
constexpr bool kRssMeasuresTheDecoder = true;
#endif

TEST(DecodeGzip, BombFailsWithBoundedMemory) {
  const std::string bomb = gzipBombOfZeros(1024);
  ASSERT_LT(bomb.size(), 2u << 20);
  const long rss_before = peakRssKiB();
  const DecodeResult r = decodeBody(Encoding::kGzip, bomb, 8u << 20);
  test_support::expectSameInPieces(Encoding::kGzip, bomb, 8u << 20);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "request body too large: limit is 8388608 bytes");
  EXPECT_TRUE(sameBytes(r.body, ""));
  // Decoding the whole bomb would touch 1 GiB; the limit allows 8 MiB plus string slack.
  if (kRssMeasuresTheDecoder) {
    EXPECT_LT(peakRssKiB() - rss_before, 64 * 1024);
  }
}

TEST(DecodeGzip, BombConstructionIsValidGzip) {
  // The same construction, small enough to decode completely: proves the bomb above is refused
  // for its size, not for being malformed.
  const DecodeResult r = gunzipBody(gzipBombOfZeros(16), 16u << 20);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(sameBytes(r.body, std::string(16u << 20, '\0')));
}

// ---- round trips ----------------------------------------------------------------------------

TEST(DecodeGzip, RoundTrips) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "gz_metric{i=\"" + std::to_string(i) + "\"} 1\n";
  for (const std::string& data : {std::string(), "gz_metric 1\n"s, text, randomBytes(300000, 5)}) {
    for (int level : {0, 1, 9}) {
      const DecodeResult r = gunzipBody(gzip(data, level));
      ASSERT_TRUE(r.ok) << r.error;
      EXPECT_TRUE(sameBytes(r.body, data));
    }
  }
}

TEST(DecodeGzip, ConcatenatedMembersAreReadAsOneStream) {
  const DecodeResult r = gunzipBody(gzip("a 1\n") + gzip("") + gzip("b 2\n", 9));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(sameBytes(r.body, "a 1\nb 2\n"));
}

TEST(DecodeGzip, OptionalHeaderFieldsAreSkipped) {
  // FEXTRA, FNAME, FCOMMENT and a correct FHCRC (CRC-32 of every header byte before it).
  std::string header = fixedHeader(0x1e) + le(3, 2) + "xyz" + "name.txt"s + '\0' + "c"s + '\0';
  header += le(crc(header) & 0xFFFF, 2);
  DecodeResult r = gunzipBody(member(header, "payload"));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(sameBytes(r.body, "payload"));
  // Go ignores FTEXT and the reserved flag bits that zlib would reject.
  r = gunzipBody(member(fixedHeader(0xe1), "payload"));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(sameBytes(r.body, "payload"));
  // The longest name Go's 512-byte buffer holds.
  r = gunzipBody(member(fixedHeader(0x08) + std::string(511, 'n') + '\0', "x"));
  ASSERT_TRUE(r.ok) << r.error;
}

// ---- errors ---------------------------------------------------------------------------------

TEST(DecodeGzip, HeaderErrorsUseGoTexts) {
  expectGzipError("", kEof);                      // E10: GET with gzip and no body
  expectGzipError("not gzip\n", kUnexpectedEof);  // E10: 9 bytes, less than a header
  expectGzipError("not gzip at all\n", kInvalidHeader);
  expectGzipError("\x1f\x8b\x07\x00\x00\x00\x00\x00\x00\xff"s + rawDeflate("x"), kInvalidHeader);
  expectGzipError("\x1f\x8c\x08\x00\x00\x00\x00\x00\x00\xff"s + rawDeflate("x"), kInvalidHeader);
  // A name with no terminator in Go's 512-byte buffer, or cut off by the end of the body.
  expectGzipError(member(fixedHeader(0x08) + std::string(512, 'n') + '\0', "x"), kInvalidHeader);
  expectGzipError(fixedHeader(0x08) + "name", kUnexpectedEof);
  expectGzipError(fixedHeader(0x10) + "comment", kUnexpectedEof);
  // FEXTRA longer than what follows, or its length cut in half.
  expectGzipError(fixedHeader(0x04) + le(100, 2) + "short", kUnexpectedEof);
  expectGzipError(fixedHeader(0x04) + "\x05", kUnexpectedEof);
  // Wrong header CRC, and a missing one.
  const std::string h = fixedHeader(0x02);
  expectGzipError(member(h + le((crc(h) + 1) & 0xFFFF, 2), "x"), kInvalidHeader);
  expectGzipError(h + "\x01", kUnexpectedEof);
}

TEST(DecodeGzip, EveryTruncationIsUnexpectedEof) {
  const std::string body = gzip("truncate me somewhere, anywhere at all\n" + randomBytes(3000, 9));
  for (size_t cut = 1; cut < body.size(); ++cut) {
    const DecodeResult r = gunzipBody(std::string_view(body).substr(0, cut));
    ASSERT_FALSE(r.ok) << "cut " << cut;
    ASSERT_EQ(r.error, kUnexpectedEof) << "cut " << cut;
  }
}

TEST(DecodeGzip, TrailerMismatchIsInvalidChecksum) {
  std::string body = gzip("checksummed\n");
  body[body.size() - 8] = static_cast<char>(body[body.size() - 8] ^ 0x01);  // CRC-32
  expectGzipError(body, kInvalidChecksum);
  body = gzip("checksummed\n");
  body[body.size() - 4] = static_cast<char>(body[body.size() - 4] + 1);  // ISIZE
  expectGzipError(body, kInvalidChecksum);
  // A bad second member fails the whole body.
  body = gzip("second\n");
  body[body.size() - 1] = 1;
  expectGzipError(gzip("first\n") + body, kInvalidChecksum);
}

TEST(DecodeGzip, BytesAfterAMemberFollowGoMultistreamRules) {
  const std::string body = gzip("x 1\n");
  expectGzipError(body + "\n", kUnexpectedEof);
  expectGzipError(body + std::string(9, '\0'), kUnexpectedEof);
  expectGzipError(body + std::string(10, '\0'), kInvalidHeader);
  expectGzipError(body + "trailing garbage\n", kInvalidHeader);
}

TEST(DecodeGzip, CorruptDeflateDataNamesTheOffset) {
  // Block type 3 is reserved: detected in the first deflate byte.
  expectGzipError(fixedHeader(0) + "\x07" + std::string(20, '\0'),
                  "flate: corrupt input before offset 1");
  // Stored block whose NLEN is not the complement of LEN: detected after 5 bytes.
  expectGzipError(fixedHeader(0) + "\x01\x05\x00\x00\x00hello" + std::string(8, '\0'),
                  "flate: corrupt input before offset 5");
  // The same after a stored block holding "x 1": the texts and offsets Pushgateway 1.5.1 sent
  // back for these bodies (its text parser reports a read error in the middle of a line).
  const std::string stored = fixedHeader(0) + "\x00\x03\x00\xfc\xffx 1"s;
  expectGzipError(stored + "\x07" + std::string(20, '\0'), "flate: corrupt input before offset 9");
  expectGzipError(stored + "\x01\x05\x00\x00\x00hello" + std::string(8, '\0'),
                  "flate: corrupt input before offset 13");
}

TEST(DecodeGzip, EnforcesTheOutputLimitAcrossMembers) {
  const std::string body = gzip("12345") + gzip("67890");
  DecodeResult r = gunzipBody(body, 10);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(sameBytes(r.body, "1234567890"));
  r = gunzipBody(body, 9);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "request body too large: limit is 9 bytes");
  EXPECT_TRUE(sameBytes(r.body, ""));
  r = gunzipBody(gzip(""), 0);
  EXPECT_TRUE(r.ok) << r.error;
  r = gunzipBody(gzip("a"), 0);
  EXPECT_EQ(r.error, "request body too large: limit is 0 bytes");
}

}  // namespace
}  // namespace ferry::core::codec
