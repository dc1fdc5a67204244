#include "snapshot_format.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace ferry::plugins::file {
namespace {

using Kind = SnapshotError::Kind;

constexpr size_t kLengthSize = 8;
// Smallest possible entry: two lengths, empty key and value.
constexpr uint64_t kMinEntrySize = 2 * kLengthSize;

// zlib's crc32 takes a 32-bit length; feed larger inputs in pieces.
uint32_t crcUpdate(uint32_t crc, std::string_view data) {
  constexpr size_t kChunk = size_t{1} << 30;
  while (!data.empty()) {
    size_t n = std::min(data.size(), kChunk);
    crc = static_cast<uint32_t>(
        crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(n)));
    data.remove_prefix(n);
  }
  return crc;
}

uint32_t crcOf(std::string_view data) { return crcUpdate(crc32(0L, Z_NULL, 0), data); }

template <typename T>
void putLe(std::string& out, T value) {
  for (size_t i = 0; i < sizeof(T); ++i) {
    out += static_cast<char>(static_cast<unsigned char>(value >> (8 * i)));
  }
}

template <typename T>
T getLe(std::string_view bytes, size_t pos) {
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    value |= static_cast<T>(static_cast<unsigned char>(bytes[pos + i])) << (8 * i);
  }
  return value;
}

std::string hex32(uint32_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(v >> shift) & 0xF];
  return out;
}

[[noreturn]] void fail(Kind kind, const std::string& message) {
  throw SnapshotError(kind, message);
}

std::string bytesWord(uint64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

// Reads one Go gob unsigned integer: < 0x80 is the value itself, otherwise the byte is minus
// the count of big-endian bytes that follow.
bool readGobUint(std::string_view bytes, size_t& pos, uint64_t& value) {
  if (pos >= bytes.size()) return false;
  auto first = static_cast<unsigned char>(bytes[pos++]);
  if (first < 0x80) {
    value = first;
    return true;
  }
  size_t count = 256 - first;
  if (count > 8 || bytes.size() - pos < count) return false;
  value = 0;
  for (size_t i = 0; i < count; ++i) value = value << 8 | static_cast<unsigned char>(bytes[pos++]);
  return true;
}

}  // namespace

uint64_t snapshotSize(const Entries& entries) {
  uint64_t size = kSnapshotHeaderSize + kSnapshotTrailerSize;
  for (const auto& [key, value] : entries) size += kMinEntrySize + key.size() + value.size();
  return size;
}

void writeSnapshot(const Entries& entries, const std::function<void(std::string_view)>& out) {
  uint32_t crc = crc32(0L, Z_NULL, 0);
  auto emit = [&](std::string_view piece) {
    crc = crcUpdate(crc, piece);
    out(piece);
  };
  std::string header(kSnapshotMagic);
  putLe<uint32_t>(header, kSnapshotVersion);
  putLe<uint32_t>(header, 0);  // flags
  putLe<uint64_t>(header, entries.size());
  putLe<uint64_t>(header, snapshotSize(entries));
  putLe<uint32_t>(header, crcOf(header));
  emit(header);
  std::string length;
  for (const auto& [key, value] : entries) {
    length.clear();
    putLe<uint64_t>(length, key.size());
    emit(length);
    emit(key);
    length.clear();
    putLe<uint64_t>(length, value.size());
    emit(length);
    emit(value);
  }
  std::string trailer;
  putLe<uint32_t>(trailer, crc);
  out(trailer);
}

std::string encodeSnapshot(const Entries& entries) {
  std::string bytes;
  bytes.reserve(snapshotSize(entries));
  writeSnapshot(entries, [&](std::string_view piece) { bytes.append(piece); });
  return bytes;
}

Entries decodeSnapshot(std::string_view bytes) {
  const uint64_t size = bytes.size();
  if (size == 0) fail(Kind::kEmpty, "the file is empty (0 bytes)");
  std::string_view head = bytes.substr(0, kSnapshotMagic.size());
  if (head != kSnapshotMagic.substr(0, head.size())) {
    if (looksLikePushgatewayFile(bytes)) {
      fail(Kind::kPushgatewayFile,
           "not a Ferry snapshot: it looks like a Pushgateway persistence file (Go gob)");
    }
    fail(Kind::kNotASnapshot,
         "not a Ferry snapshot (it does not start with \"" + std::string(kSnapshotMagic) + "\")");
  }
  if (size < kSnapshotHeaderSize) {
    fail(Kind::kTruncated, "truncated: " + bytesWord(size) + ", shorter than the " +
                               std::to_string(kSnapshotHeaderSize) + "-byte header");
  }
  // The version is checked before the header checksum: a newer format may lay out the rest of
  // its header differently, and "newer version" is the useful message then.
  const auto version = getLe<uint32_t>(bytes, 8);
  if (version != kSnapshotVersion) {
    fail(Kind::kUnsupported,
         "unsupported format version " + std::to_string(version) + " (this Ferry reads version " +
             std::to_string(kSnapshotVersion) +
             (version > kSnapshotVersion ? "; the file was written by a newer Ferry)" : ")"));
  }
  const auto header_crc = getLe<uint32_t>(bytes, 32);
  if (crcOf(bytes.substr(0, 32)) != header_crc) {
    fail(Kind::kCorrupt, "corrupt: the header's checksum does not match");
  }
  const auto flags = getLe<uint32_t>(bytes, 12);
  if (flags != 0) {
    fail(Kind::kUnsupported,
         "unsupported format flags " + hex32(flags) + " (the file was written by a newer Ferry)");
  }
  const auto count = getLe<uint64_t>(bytes, 16);
  const auto total = getLe<uint64_t>(bytes, 24);
  const uint64_t min_total = kSnapshotHeaderSize + kSnapshotTrailerSize;
  if (total < min_total || (total - min_total) / kMinEntrySize < count) {
    fail(Kind::kCorrupt, "corrupt: the header announces " + std::to_string(count) + " entries in " +
                             bytesWord(total) + ", which cannot be");
  }
  if (size < total) {
    fail(Kind::kTruncated,
         "truncated: " + bytesWord(size) + " of the " + bytesWord(total) + " its header announces");
  }
  if (size > total) {
    fail(Kind::kTrailingBytes, bytesWord(size - total) + " after the end of the snapshot (" +
                                   bytesWord(total) + " announced by its header)");
  }
  const size_t body_end = static_cast<size_t>(total) - kSnapshotTrailerSize;
  const auto stored_crc = getLe<uint32_t>(bytes, body_end);
  const uint32_t computed_crc = crcOf(bytes.substr(0, body_end));
  if (stored_crc != computed_crc) {
    fail(Kind::kCorrupt, "corrupt: checksum mismatch (stored " + hex32(stored_crc) + ", computed " +
                             hex32(computed_crc) + ")");
  }

  // The checksum matched, so what follows can only fail for a file that a faulty writer made;
  // still every length is checked against the bytes that are there.
  Entries entries;
  size_t pos = kSnapshotHeaderSize;
  auto field = [&](uint64_t index, const char* what) -> std::string_view {
    if (body_end - pos < kLengthSize) {
      fail(Kind::kCorrupt, "corrupt: entry " + std::to_string(index) + " has no " + what +
                               " length before the end of the entries");
    }
    const auto length = getLe<uint64_t>(bytes, pos);
    pos += kLengthSize;
    if (body_end - pos < length) {
      fail(Kind::kCorrupt, "corrupt: entry " + std::to_string(index) + "'s " + what +
                               " runs past the end of the entries");
    }
    std::string_view data = bytes.substr(pos, static_cast<size_t>(length));
    pos += static_cast<size_t>(length);
    return data;
  };
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view key = field(i, "key");
    std::string_view value = field(i, "value");
    if (!entries.emplace(std::string(key), std::string(value)).second) {
      fail(Kind::kCorrupt, "corrupt: entry " + std::to_string(i) + " repeats a key");
    }
  }
  if (pos != body_end) {
    fail(Kind::kCorrupt, "corrupt: " + bytesWord(body_end - pos) + " after the " +
                             std::to_string(count) + " entries the header announces");
  }
  return entries;
}

bool looksLikePushgatewayFile(std::string_view bytes) {
  // A gob stream is a sequence of (length, type id, payload) messages; a stream starts by
  // defining its types, and a type definition carries a negative type id (gob's signed
  // integers keep the sign in the lowest bit).
  size_t pos = 0;
  uint64_t length = 0;
  uint64_t type_id = 0;
  if (!readGobUint(bytes, pos, length) || length == 0 || length > bytes.size() - pos) {
    return false;
  }
  if (!readGobUint(bytes, pos, type_id) || (type_id & 1) == 0) return false;
  // Pushgateway's map type is GroupingKeyToMetricGroup; its values are MetricGroup.
  return bytes.substr(0, 4096).find("MetricGroup") != std::string_view::npos;
}

}  // namespace ferry::plugins::file
