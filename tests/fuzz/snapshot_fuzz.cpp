// The `file` storage plugin's snapshot format (plugins/file/snapshot_format.h), read at start
// from a file that a crash, a full disk or an operator may have damaged.
// Input: a mode byte, then the file. Mode 'F' first repairs what a fuzzer cannot guess (magic,
// version, flags, total length and both CRC-32s) so the entries behind them get fuzzed; any
// other mode decodes the bytes as they are.
// Invariants:
//  - a bad file throws SnapshotError of the kind that matches (kEmpty exactly for 0 bytes) and
//    nothing else;
//  - an accepted file holds exactly what encodeSnapshot writes for its entries: the same size,
//    the same bytes when its keys were in order, and the same entries when decoded again;
//  - writeSnapshot's pieces, snapshotSize and encodeSnapshot agree.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "plugins/file/snapshot_format.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace file = ferry::plugins::file;

void putLe(std::string& bytes, size_t at, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) bytes[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint32_t crcOf(std::string_view bytes) {
  return static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

void repair(std::string& bytes) {
  if (bytes.size() < file::kSnapshotHeaderSize + file::kSnapshotTrailerSize) return;
  bytes.replace(0, file::kSnapshotMagic.size(), file::kSnapshotMagic);
  putLe(bytes, 8, file::kSnapshotVersion, 4);
  putLe(bytes, 12, 0, 4);
  putLe(bytes, 24, bytes.size(), 8);
  putLe(bytes, 32, crcOf(std::string_view(bytes).substr(0, 32)), 4);
  const size_t body_end = bytes.size() - file::kSnapshotTrailerSize;
  putLe(bytes, body_end, crcOf(std::string_view(bytes).substr(0, body_end)), 4);
}

// Whether the entries appear in the file in key order (what the writer does).
bool keysInOrder(std::string_view bytes, const file::Entries& entries) {
  size_t pos = file::kSnapshotHeaderSize;
  auto it = entries.begin();
  for (; it != entries.end(); ++it) {
    uint64_t key_size = 0;
    for (int i = 0; i < 8; ++i)
      key_size |= uint64_t{static_cast<unsigned char>(bytes[pos + i])} << (8 * i);
    if (bytes.substr(pos + 8, key_size) != it->first) return false;
    pos += 8 + key_size + 8 + it->second.size();
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string bytes(ferry::fuzz::asView(data + 1, size - 1));
  if (data[0] == 'F') repair(bytes);

  file::Entries entries;
  try {
    entries = file::decodeSnapshot(bytes);
  } catch (const file::SnapshotError& e) {
    FUZZ_CHECK((e.kind() == file::SnapshotError::Kind::kEmpty) == bytes.empty(), e.what());
    FUZZ_CHECK(e.what()[0] != '\0', "an error without a message");
    return 0;
  }

  const std::string encoded = file::encodeSnapshot(entries);
  FUZZ_CHECK(encoded.size() == bytes.size() && file::snapshotSize(entries) == bytes.size(),
             "an accepted file is not the size its entries encode to");
  if (keysInOrder(bytes, entries)) {
    FUZZ_CHECK(encoded == bytes, "an accepted file in key order differs from its encoding");
  }
  std::string pieces;
  file::writeSnapshot(entries, [&pieces](std::string_view piece) { pieces.append(piece); });
  FUZZ_CHECK(pieces == encoded, "writeSnapshot and encodeSnapshot differ");
  file::Entries again;
  try {
    again = file::decodeSnapshot(encoded);
  } catch (const file::SnapshotError& e) {
    FUZZ_CHECK(false, std::string("an encoded snapshot does not decode: ") + e.what());
  }
  FUZZ_CHECK(again == entries, "entries changed through encode and decode");
  return 0;
}
