#pragma once

#include <cstddef>
#include <string_view>

#include "core/codec/codec.h"

namespace ferry::core::codec {

// Decodes the snappy framing format the way github.com/golang/snappy's Reader does (see
// decodeBody).
DecodeResult unsnappyFramed(std::string_view in, size_t max_output_bytes);

}  // namespace ferry::core::codec
