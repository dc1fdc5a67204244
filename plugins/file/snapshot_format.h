#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

// The `file` storage plugin's snapshot format, version 1: pure encode/decode functions, no I/O.
//
// All integers are little-endian. Offsets in bytes:
//
//   0   8  magic "FERRYSNP"
//   8   4  format version (u32) = 1
//   12  4  flags (u32) = 0; a newer writer sets bits this reader does not know
//   16  8  number of entries (u64)
//   24  8  total file length (u64), header and trailer included
//   32  4  CRC-32 (zlib) of bytes 0..31: a damaged header is named as such
//   36  …  entries, each: key length (u64), key bytes, value length (u64), value bytes
//   end 4  CRC-32 (zlib) of every byte before it
//
// Keys and values are opaque binary strings (any byte, including NUL). Entries are written in
// key order, so the same entries always give the same bytes. The header's length tells a
// truncated file from one with bytes appended; the checksums tell both from a flipped byte.
// A reader refuses a version or flag it does not know, and never guesses.
namespace ferry::plugins::file {

// std::less<> finds by std::string_view without building a key.
using Entries = std::map<std::string, std::string, std::less<>>;

inline constexpr std::string_view kSnapshotMagic = "FERRYSNP";
inline constexpr uint32_t kSnapshotVersion = 1;
inline constexpr size_t kSnapshotHeaderSize = 36;
inline constexpr size_t kSnapshotTrailerSize = 4;

// Why a snapshot could not be decoded. what() is a sentence for the operator that does not name
// the file (the caller knows it); kind() lets tests and callers tell the cases apart.
class SnapshotError : public std::runtime_error {
 public:
  enum class Kind {
    kEmpty,            // 0 bytes
    kNotASnapshot,     // wrong magic, not recognized
    kPushgatewayFile,  // wrong magic, looks like a Pushgateway persistence file (Go gob)
    kTruncated,        // shorter than its header says (or than a header)
    kTrailingBytes,    // longer than its header says
    kUnsupported,      // a newer format version or unknown flags
    kCorrupt,          // a checksum or the structure does not match
  };
  SnapshotError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// Exact size in bytes of the snapshot of `entries`.
uint64_t snapshotSize(const Entries& entries);

// Streams the snapshot of `entries` to `out` in pieces (header, then each length, key and
// value, then the trailer), so a large store is never copied into one buffer.
void writeSnapshot(const Entries& entries, const std::function<void(std::string_view)>& out);

// The whole snapshot as one string (tests, small stores).
std::string encodeSnapshot(const Entries& entries);

// Validates everything (magic, version, flags, both checksums, lengths, structure, no
// duplicate key) before returning any entry; throws SnapshotError otherwise.
Entries decodeSnapshot(std::string_view bytes);

// True if `bytes` start like the file Pushgateway's --persistence.file writes: a Go gob stream
// whose first message defines a type, with the Pushgateway's type names near the start.
bool looksLikePushgatewayFile(std::string_view bytes);

}  // namespace ferry::plugins::file
