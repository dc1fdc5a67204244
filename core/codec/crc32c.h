#pragma once

#include <cstdint>
#include <string_view>

namespace ferry::core::codec {

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) as used by the snappy framing format.
// `crc` continues a previous result, so crc32c(b, crc32c(a)) == crc32c(a + b).
uint32_t crc32c(std::string_view data, uint32_t crc = 0);

// The checksum stored in snappy frames: CRC-32C of the uncompressed bytes, rotated right by 15
// and offset by 0xa282ead8, so that data containing embedded CRCs does not checksum to itself.
uint32_t snappyMaskedCrc(std::string_view data);

}  // namespace ferry::core::codec
