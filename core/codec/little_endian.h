#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ferry::core::codec {

// Little-endian integers as gzip (header fields, trailer), snappy (chunk checksums) and the
// CRC-32C loop read them, whatever the host's byte order. The caller checks the bounds.
inline uint32_t load16le(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8;
}
inline uint32_t load32le(const unsigned char* p) { return load16le(p) | load16le(p + 2) << 16; }

inline const unsigned char* bytesAt(std::string_view s, size_t pos) {
  return reinterpret_cast<const unsigned char*>(s.data() + pos);
}
inline uint32_t load16le(std::string_view s, size_t pos) { return load16le(bytesAt(s, pos)); }
inline uint32_t load32le(std::string_view s, size_t pos) { return load32le(bytesAt(s, pos)); }

}  // namespace ferry::core::codec
