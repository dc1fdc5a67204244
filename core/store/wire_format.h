#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// The two protobuf wire-format primitives the store writes by hand: where it splices cached
// message bytes together (groups for storage, families for scrapes) instead of building and
// serializing whole messages.
namespace ferry::core::store::wire {

inline void appendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

// Field `field` with wire type 2 (length-delimited): tag, length, bytes.
inline void appendLengthDelimited(std::string& out, uint32_t field, std::string_view bytes) {
  appendVarint(out, (field << 3) | 2);
  appendVarint(out, bytes.size());
  out.append(bytes);
}

// Field `field` with wire type 0 (varint).
inline void appendVarintField(std::string& out, uint32_t field, uint64_t value) {
  appendVarint(out, field << 3);
  appendVarint(out, value);
}

}  // namespace ferry::core::store::wire
