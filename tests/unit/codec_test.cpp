// Content-Encoding selection, CRC-32C, the identity path and the snappy framing format.
// (gzip lives in codec_gzip_test.cpp.)
#include "core/codec/codec.h"

#include <gtest/gtest.h>
#include <snappy.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "codec_test_support.h"
#include "core/codec/crc32c.h"

namespace ferry::core::codec {
namespace {

using namespace std::string_literals;
using test_support::kNoLimit;
using test_support::randomBytes;
using test_support::sameBytes;

// ---- Content-Encoding -----------------------------------------------------------------------

TEST(ParseContentEncoding, MatchesPushgatewayHeadCaseInsensitively) {
  EXPECT_EQ(parseContentEncoding("gzip"), Encoding::kGzip);
  EXPECT_EQ(parseContentEncoding("GZIP"), Encoding::kGzip);
  EXPECT_EQ(parseContentEncoding("GZip"), Encoding::kGzip);
  EXPECT_EQ(parseContentEncoding(" gzip\t"), Encoding::kGzip);
  EXPECT_EQ(parseContentEncoding("snappy"), Encoding::kSnappy);
  EXPECT_EQ(parseContentEncoding("SNAPPY"), Encoding::kSnappy);
  EXPECT_EQ(parseContentEncoding("\tSnappy "), Encoding::kSnappy);
}

TEST(ParseContentEncoding, EverythingElseIsIdentity) {
  for (const char* value : {"", " ", "identity", "deflate", "br", "x-gzip", "gzip, identity",
                            "gzip;q=1", "gz", "gzipp", "snap", "g zip", "zstd"}) {
    EXPECT_EQ(parseContentEncoding(value), Encoding::kIdentity) << value;
  }
}

// ---- CRC-32C --------------------------------------------------------------------------------

uint32_t bitwiseCrc32c(std::string_view data) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) {
    c ^= b;
    for (int i = 0; i < 8; ++i) c = (c & 1u) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
  }
  return ~c;
}

TEST(Crc32c, KnownVectors) {
  // The check value of CRC-32C, then the iSCSI test vectors of RFC 3720 section B.4.
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(""), 0u);
  EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8A9136AAu);
  EXPECT_EQ(crc32c(std::string(32, '\xFF')), 0x62A8AB43u);
  std::string ascending, descending;
  for (int i = 0; i < 32; ++i) {
    ascending.push_back(static_cast<char>(i));
    descending.push_back(static_cast<char>(31 - i));
  }
  EXPECT_EQ(crc32c(ascending), 0x46DD794Eu);
  EXPECT_EQ(crc32c(descending), 0x113FDB5Cu);
}

TEST(Crc32c, AgreesWithBitwiseDefinitionForEveryLengthAndSplit) {
  const std::string data = randomBytes(200, 7);
  for (size_t len = 0; len <= data.size(); ++len) {
    const std::string_view prefix(data.data(), len);
    ASSERT_EQ(crc32c(prefix), bitwiseCrc32c(prefix)) << "length " << len;
  }
  for (size_t split = 0; split <= data.size(); ++split) {
    const std::string_view view(data);
    ASSERT_EQ(crc32c(view.substr(split), crc32c(view.substr(0, split))), crc32c(view))
        << "split " << split;
  }
}

TEST(Crc32c, SnappyMaskedChecksum) {
  // Values from an independent bitwise implementation of golang/snappy's crc().
  EXPECT_EQ(snappyMaskedCrc(""), 0xa282ead8u);
  EXPECT_EQ(snappyMaskedCrc("123456789"), 0xc78ab0e5u);
  EXPECT_EQ(snappyMaskedCrc("sn 1\n"), 0xda195d7cu);
}

// ---- identity -------------------------------------------------------------------------------

TEST(DecodeIdentity, PassesTheBodyThroughUnderTheLimit) {
  const std::string body = "some_metric 1\n"s + '\0' + "\xff";
  DecodeResult r = decodeBody(Encoding::kIdentity, body, body.size());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(sameBytes(r.body, body));
  r = decodeBody(Encoding::kIdentity, "", 0);
  ASSERT_TRUE(r.ok);
  EXPECT_TRUE(sameBytes(r.body, ""));
}

TEST(DecodeIdentity, RefusesABodyOverTheLimit) {
  const DecodeResult r = decodeBody(Encoding::kIdentity, "12345", 4);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "request body too large: limit is 4 bytes");
  EXPECT_TRUE(sameBytes(r.body, ""));
}

// ---- snappy framing format ------------------------------------------------------------------

std::string le32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return s;
}

std::string chunk(unsigned char type, std::string_view payload) {
  std::string s(1, static_cast<char>(type));
  const size_t n = payload.size();
  s.push_back(static_cast<char>(n & 0xFF));
  s.push_back(static_cast<char>((n >> 8) & 0xFF));
  s.push_back(static_cast<char>((n >> 16) & 0xFF));
  return s.append(payload);
}

std::string streamIdentifier() { return chunk(0xff, "sNaPpY"); }

std::string rawCompress(std::string_view data) {
  std::string block(snappy::MaxCompressedLength(data.size()), '\0');
  size_t length = 0;
  snappy::RawCompress(data.data(), data.size(), block.data(), &length);
  block.resize(length);
  return block;
}

std::string compressedChunk(std::string_view data) {
  return chunk(0x00, le32(snappyMaskedCrc(data)) + rawCompress(data));
}

std::string uncompressedChunk(std::string_view data) {
  return chunk(0x01, le32(snappyMaskedCrc(data)) + std::string(data));
}

// What golang/snappy's Writer produces: 64 KiB blocks, each its own compressed chunk.
std::string snappyFrame(std::string_view data) {
  std::string out = streamIdentifier();
  for (size_t pos = 0; pos < data.size(); pos += 65536) {
    out += compressedChunk(data.substr(pos, 65536));
  }
  return out;
}

// Every case also checks that the stream decoder, fed in pieces, gives the same result.
DecodeResult unsnappy(std::string_view body, size_t limit = kNoLimit) {
  test_support::expectSameInPieces(Encoding::kSnappy, body, limit);
  return decodeBody(Encoding::kSnappy, body, limit);
}

void expectSnappyError(std::string_view body, std::string_view error) {
  const DecodeResult r = unsnappy(body);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, error);
  EXPECT_TRUE(sameBytes(r.body, ""));
}

constexpr char kCorrupt[] = "snappy: corrupt input";
constexpr char kUnsupported[] = "snappy: unsupported input";

TEST(DecodeSnappy, WireVectorFromTheGoWriter) {
  // golang/snappy's Writer stores a 5-byte push as an uncompressed chunk (compression would not
  // save 12.5%); checksum from an independent implementation.
  const std::string wire = "\xff\x06\x00\x00sNaPpY\x01\x09\x00\x00\x7c\x5d\x19\xda"s + "sn 1\n";
  const DecodeResult r = unsnappy(wire);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(sameBytes(r.body, "sn 1\n"));
}

TEST(DecodeSnappy, RoundTripsCompressedChunks) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "metric_" + std::to_string(i % 97) + "{a=\"b\"} 1\n";
  for (const std::string& data : {std::string(), "x"s, text, randomBytes(200000, 3),
                                  std::string(65536, 'z'), std::string(65537, 'z')}) {
    const DecodeResult r = unsnappy(snappyFrame(data));
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(sameBytes(r.body, data));
  }
}

TEST(DecodeSnappy, MixesChunkTypesAndSkipsPaddingAndSkippableChunks) {
  const std::string body = streamIdentifier() + compressedChunk("alpha ") + chunk(0xfe, "\0\0\0"s) +
                           uncompressedChunk("beta ") + chunk(0x80, "ignored") +
                           streamIdentifier() + chunk(0xfd, "") + compressedChunk("") +
                           uncompressedChunk(std::string(65536, 'u')) + compressedChunk("gamma");
  const DecodeResult r = unsnappy(body);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(sameBytes(r.body, "alpha beta " + std::string(65536, 'u') + "gamma"));
}

TEST(DecodeSnappy, EmptyBodyAndBareIdentifierDecodeToNothing) {
  DecodeResult r = unsnappy("");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(sameBytes(r.body, ""));
  r = unsnappy(streamIdentifier());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(sameBytes(r.body, ""));
}

TEST(DecodeSnappy, AcceptsNonMinimalBlockLengthLikeGo) {
  // Literal "hello" whose length header 5 is spelled with six varint bytes: binary.Uvarint
  // takes it, libsnappy alone would not.
  const std::string block = "\x85\x80\x80\x80\x80\x00\x10hello"s;
  const DecodeResult r =
      unsnappy(streamIdentifier() + chunk(0x00, le32(snappyMaskedCrc("hello")) + block));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(sameBytes(r.body, "hello"));
}

TEST(DecodeSnappy, StreamMustStartWithTheIdentifier) {
  expectSnappyError(compressedChunk("x"), kCorrupt);
  expectSnappyError(chunk(0xfe, "pad") + streamIdentifier(), kCorrupt);
  expectSnappyError("plain text body\n", kCorrupt);
  expectSnappyError(chunk(0xff, "sNaPpZ"), kCorrupt);
  expectSnappyError(chunk(0xff, "sNaPp"), kCorrupt);
  expectSnappyError(chunk(0xff, "sNaPpYY"), kCorrupt);
}

TEST(DecodeSnappy, TruncationIsCorruptExceptAtChunkBoundaries) {
  const std::string chunks[] = {streamIdentifier(), compressedChunk("hello hello hello hello"),
                                uncompressedChunk("world"), chunk(0xfe, "pad")};
  std::string body;
  std::set<size_t> boundaries;
  for (const std::string& c : chunks) boundaries.insert((body += c).size());
  for (size_t cut = 1; cut < body.size(); ++cut) {
    const DecodeResult r = unsnappy(std::string_view(body).substr(0, cut));
    if (boundaries.count(cut)) {
      EXPECT_TRUE(r.ok) << "cut " << cut << ": " << r.error;
    } else {
      EXPECT_FALSE(r.ok) << "cut " << cut;
      EXPECT_EQ(r.error, kCorrupt) << "cut " << cut;
    }
  }
}

TEST(DecodeSnappy, ChecksumMismatchIsCorrupt) {
  std::string good = compressedChunk("payload");
  std::string bad = good;
  bad[4] = static_cast<char>(bad[4] ^ 1);
  expectSnappyError(streamIdentifier() + bad, kCorrupt);
  bad = uncompressedChunk("payload");
  bad.back() = 'X';
  expectSnappyError(streamIdentifier() + bad, kCorrupt);
}

TEST(DecodeSnappy, BadBlocksAreCorrupt) {
  const std::string id = streamIdentifier();
  // Chunks too short to hold a checksum.
  expectSnappyError(id + chunk(0x00, "abc"), kCorrupt);
  expectSnappyError(id + chunk(0x01, "abc"), kCorrupt);
  // Checksum but no block length.
  expectSnappyError(id + chunk(0x00, le32(snappyMaskedCrc(""))), kCorrupt);
  // Block claiming more than 65536 bytes.
  expectSnappyError(id + chunk(0x00, le32(0) + "\x81\x80\x04"s + std::string(100, 'a')), kCorrupt);
  // Block length overflowing 32 bits, and a 10-byte varint overflowing 64.
  expectSnappyError(id + chunk(0x00, le32(0) + "\x80\x80\x80\x80\x10\x00"s), kCorrupt);
  expectSnappyError(id + chunk(0x00, le32(0) + "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02"s),
                    kCorrupt);
  // Copy before the start of the output, literal longer than the block, length mismatch.
  expectSnappyError(id + chunk(0x00, le32(0) + "\x04\x01\x01"s), kCorrupt);
  expectSnappyError(id + chunk(0x00, le32(0) + "\x05\x10hel"s), kCorrupt);
  expectSnappyError(id + chunk(0x00, le32(snappyMaskedCrc("hello")) + "\x06\x10hello"s), kCorrupt);
  // Uncompressed chunk with more than 65536 bytes of data.
  expectSnappyError(id + uncompressedChunk(std::string(65537, 'u')), kCorrupt);
}

TEST(DecodeSnappy, ReservedUnskippableAndOversizedChunksAreUnsupported) {
  const std::string id = streamIdentifier();
  expectSnappyError(id + chunk(0x02, "x"), kUnsupported);
  expectSnappyError(id + chunk(0x7f, ""), kUnsupported);
  // Longer than golang/snappy's 76494-byte chunk buffer, whatever the type.
  const std::string huge(76495, 'p');
  expectSnappyError(id + chunk(0xfe, huge), kUnsupported);
  expectSnappyError(id + chunk(0x00, huge), kUnsupported);
  expectSnappyError(id + "\x80\xff\xff\xff"s, kUnsupported);
  EXPECT_TRUE(unsnappy(id + chunk(0xfe, std::string(76494, 'p'))).ok);
}

TEST(DecodeSnappy, EnforcesTheOutputLimit) {
  const std::string data = randomBytes(100000, 11) + std::string(100000, 'a');
  const std::string frame = snappyFrame(data);
  DecodeResult r = unsnappy(frame, data.size());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(sameBytes(r.body, data));
  r = unsnappy(frame, data.size() - 1);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "request body too large: limit is 199999 bytes");
  EXPECT_TRUE(sameBytes(r.body, ""));
  r = unsnappy(streamIdentifier() + uncompressedChunk("abc"), 2);
  EXPECT_EQ(r.error, "request body too large: limit is 2 bytes");
}

}  // namespace
}  // namespace ferry::core::codec
