// The `file` storage plugin's snapshot format (plugins/file/snapshot_format.h): round trips,
// the pinned layout, and a specific error for every kind of damage.
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "file_test_support.h"
#include "snapshot_format.h"

namespace ferry::plugins::file {
namespace {

using Kind = SnapshotError::Kind;
using testing::kPushgatewayFileStart;

Entries sample() {
  return {
      {"job\xFF"
       "a",
       "value-a"},
      {std::string("k\0ey", 4), std::string("v\0\xFF\x01", 4)},
      {"", "empty key"},
      {"empty value", ""},
      {"big", std::string(300000, '\x7F')},
  };
}

template <typename T>
void putLe(std::string& bytes, size_t pos, T value) {
  for (size_t i = 0; i < sizeof(T); ++i) {
    bytes[pos + i] = static_cast<char>(static_cast<unsigned char>(value >> (8 * i)));
  }
}

uint32_t crcOf(std::string_view data) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

// Recomputes both checksums after a test edited the bytes on purpose, so the edit gets past
// them and reaches the check behind.
std::string reseal(std::string bytes) {
  putLe<uint32_t>(bytes, 32, crcOf(std::string_view(bytes).substr(0, 32)));
  putLe<uint32_t>(bytes, bytes.size() - 4,
                  crcOf(std::string_view(bytes).substr(0, bytes.size() - 4)));
  return bytes;
}

// Decodes and returns the error; fails the test if decoding succeeds.
SnapshotError errorOf(std::string_view bytes) {
  try {
    decodeSnapshot(bytes);
  } catch (const SnapshotError& e) {
    return e;
  }
  ADD_FAILURE() << "decoded without error";
  return SnapshotError(Kind::kCorrupt, "");
}

TEST(SnapshotFormatTest, RoundTripsBinaryKeysAndValues) {
  Entries entries = sample();
  std::string bytes = encodeSnapshot(entries);
  EXPECT_EQ(bytes.size(), snapshotSize(entries));
  EXPECT_EQ(decodeSnapshot(bytes), entries);
}

TEST(SnapshotFormatTest, RoundTripsAnEmptyStore) {
  std::string bytes = encodeSnapshot({});
  EXPECT_EQ(bytes.size(), kSnapshotHeaderSize + kSnapshotTrailerSize);
  EXPECT_TRUE(decodeSnapshot(bytes).empty());
}

TEST(SnapshotFormatTest, SameEntriesGiveSameBytes) {
  Entries a = sample();
  Entries b(a.rbegin(), a.rend());
  EXPECT_EQ(encodeSnapshot(a), encodeSnapshot(b));
}

TEST(SnapshotFormatTest, StreamingWriterGivesTheSameBytes) {
  std::string streamed;
  size_t pieces = 0;
  writeSnapshot(sample(), [&](std::string_view piece) {
    streamed.append(piece);
    ++pieces;
  });
  EXPECT_EQ(streamed, encodeSnapshot(sample()));
  EXPECT_GT(pieces, 5u);  // never one buffer with everything in it
}

// The layout documented in snapshot_format.h, byte for byte.
TEST(SnapshotFormatTest, LayoutIsPinned) {
  std::string bytes = encodeSnapshot({{"k", "vv"}});
  std::string expected_start = std::string("FERRYSNP") +
                               std::string("\x01\0\0\0", 4) +          // version 1
                               std::string("\0\0\0\0", 4) +            // flags
                               std::string("\x01\0\0\0\0\0\0\0", 8) +  // 1 entry
                               std::string("\x3B\0\0\0\0\0\0\0", 8);   // 59 bytes in all
  ASSERT_EQ(bytes.size(), 59u);
  EXPECT_EQ(bytes.substr(0, 32), expected_start);
  EXPECT_EQ(bytes.substr(36, 19), std::string("\x01\0\0\0\0\0\0\0k\x02\0\0\0\0\0\0\0vv", 19));
  std::string header_crc(4, '\0'), trailer_crc(4, '\0');
  putLe<uint32_t>(header_crc, 0, crcOf(bytes.substr(0, 32)));
  putLe<uint32_t>(trailer_crc, 0, crcOf(bytes.substr(0, 55)));
  EXPECT_EQ(bytes.substr(32, 4), header_crc);
  EXPECT_EQ(bytes.substr(55, 4), trailer_crc);
}

TEST(SnapshotFormatTest, EmptyFileIsNamedAsSuch) {
  auto e = errorOf("");
  EXPECT_EQ(e.kind(), Kind::kEmpty);
  EXPECT_STREQ(e.what(), "the file is empty (0 bytes)");
}

TEST(SnapshotFormatTest, TruncationIsDetectedAtEveryOffset) {
  std::string bytes = encodeSnapshot(sample());
  for (size_t size = 1; size < bytes.size(); size += (size < 200 ? 1 : 997)) {
    SCOPED_TRACE(size);
    auto e = errorOf(std::string_view(bytes).substr(0, size));
    EXPECT_EQ(e.kind(), Kind::kTruncated);
    EXPECT_EQ(std::string(e.what()).rfind("truncated: ", 0), 0u) << e.what();
  }
  EXPECT_STREQ(errorOf(bytes.substr(0, 20)).what(),
               "truncated: 20 bytes, shorter than the 36-byte header");
  EXPECT_STREQ(errorOf(bytes.substr(0, 1000)).what(),
               ("truncated: 1000 bytes of the " + std::to_string(bytes.size()) +
                " bytes its header announces")
                   .c_str());
}

TEST(SnapshotFormatTest, AppendedBytesAreDetected) {
  auto e = errorOf(encodeSnapshot({{"k", "v"}}) + "xy");
  EXPECT_EQ(e.kind(), Kind::kTrailingBytes);
  EXPECT_STREQ(e.what(),
               "2 bytes after the end of the snapshot (58 bytes announced by its header)");
}

// CRC-32 catches every burst of up to 32 bits, so every single damaged byte must be found.
TEST(SnapshotFormatTest, EveryFlippedByteIsDetected) {
  std::string bytes = encodeSnapshot({{"job\xFFx", "payload"}, {"k2", "v2"}});
  for (size_t pos = 0; pos < bytes.size(); ++pos) {
    SCOPED_TRACE(pos);
    std::string damaged = bytes;
    damaged[pos] = static_cast<char>(damaged[pos] ^ 0x5A);
    auto e = errorOf(damaged);
    if (pos < 8) {
      EXPECT_EQ(e.kind(), Kind::kNotASnapshot);
    } else if (pos < 12) {
      EXPECT_EQ(e.kind(), Kind::kUnsupported);
    } else if (pos < 36) {
      EXPECT_EQ(e.kind(), Kind::kCorrupt);
      EXPECT_STREQ(e.what(), "corrupt: the header's checksum does not match");
    } else {
      EXPECT_EQ(e.kind(), Kind::kCorrupt);
      EXPECT_EQ(std::string(e.what()).rfind("corrupt: checksum mismatch (stored 0x", 0), 0u)
          << e.what();
    }
  }
}

TEST(SnapshotFormatTest, GarbageAndWrongMagicAreNotSnapshots) {
  for (std::string bytes :
       {std::string("garbage-not-a-snapshot"), std::string("x"),
        "FERRYSNQ" + encodeSnapshot({}).substr(8), std::string("\x89PNG\r\n")}) {
    SCOPED_TRACE(bytes);
    auto e = errorOf(bytes);
    EXPECT_EQ(e.kind(), Kind::kNotASnapshot);
    EXPECT_STREQ(e.what(), "not a Ferry snapshot (it does not start with \"FERRYSNP\")");
  }
}

TEST(SnapshotFormatTest, NewerVersionIsRefused) {
  std::string bytes = encodeSnapshot({{"k", "v"}});
  putLe<uint32_t>(bytes, 8, 2);
  auto e = errorOf(reseal(bytes));
  EXPECT_EQ(e.kind(), Kind::kUnsupported);
  EXPECT_STREQ(e.what(),
               "unsupported format version 2 (this Ferry reads version 1; the file was written by "
               "a newer Ferry)");
  putLe<uint32_t>(bytes, 8, 0);
  EXPECT_STREQ(errorOf(reseal(bytes)).what(),
               "unsupported format version 0 (this Ferry reads version 1)");
}

TEST(SnapshotFormatTest, UnknownFlagsAreRefused) {
  std::string bytes = encodeSnapshot({{"k", "v"}});
  putLe<uint32_t>(bytes, 12, 4);
  auto e = errorOf(reseal(bytes));
  EXPECT_EQ(e.kind(), Kind::kUnsupported);
  EXPECT_STREQ(e.what(),
               "unsupported format flags 0x00000004 (the file was written by a newer Ferry)");
}

// What a faulty writer could produce with correct checksums: still refused, never a crash or a
// huge allocation.
TEST(SnapshotFormatTest, InconsistentStructureBehindValidChecksumsIsRefused) {
  std::string two = encodeSnapshot({{"a", std::string(20, '1')}, {"b", "2"}});
  std::string more = two;
  putLe<uint64_t>(more, 16, 3);  // one entry more than there is
  EXPECT_STREQ(errorOf(reseal(more)).what(),
               "corrupt: entry 2 has no key length before the end of the entries");
  std::string fewer = two;
  putLe<uint64_t>(fewer, 16, 1);
  EXPECT_STREQ(errorOf(reseal(fewer)).what(),
               "corrupt: 18 bytes after the 1 entries the header announces");
  std::string huge = two;
  putLe<uint64_t>(huge, 16, uint64_t{1} << 60);
  EXPECT_STREQ(errorOf(reseal(huge)).what(),
               "corrupt: the header announces 1152921504606846976 entries in 95 bytes, which "
               "cannot be");
  std::string long_key = two;
  putLe<uint64_t>(long_key, 36, 1000);
  EXPECT_STREQ(errorOf(reseal(long_key)).what(),
               "corrupt: entry 0's key runs past the end of the entries");
  std::string duplicate = two;
  duplicate[36 + 8 + 1 + 8 + 20 + 8] = 'a';  // second key "b" becomes "a"
  EXPECT_STREQ(errorOf(reseal(duplicate)).what(), "corrupt: entry 1 repeats a key");
}

TEST(SnapshotFormatTest, PushgatewayFileIsRecognized) {
  EXPECT_TRUE(looksLikePushgatewayFile(kPushgatewayFileStart));
  auto e = errorOf(kPushgatewayFileStart);
  EXPECT_EQ(e.kind(), Kind::kPushgatewayFile);
  EXPECT_STREQ(e.what(),
               "not a Ferry snapshot: it looks like a Pushgateway persistence file (Go gob)");
  EXPECT_FALSE(looksLikePushgatewayFile("garbage-not-gob"));
  EXPECT_FALSE(looksLikePushgatewayFile("MetricGroup"));
  EXPECT_FALSE(looksLikePushgatewayFile(""));
  EXPECT_FALSE(looksLikePushgatewayFile(encodeSnapshot({{"MetricGroup", ""}})));
  // Cut after its first message (0x29 bytes long), it is still recognized.
  EXPECT_TRUE(looksLikePushgatewayFile(kPushgatewayFileStart.substr(0, 42)));
}

}  // namespace
}  // namespace ferry::plugins::file
