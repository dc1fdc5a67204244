#pragma once

#include <cstddef>
#include <memory>

#include "core/codec/stream_decoder.h"

namespace ferry::core::codec {

// Decodes the snappy framing format the way github.com/golang/snappy's Reader does (see
// decodeBody).
std::unique_ptr<StreamDecoder> makeSnappyDecoder(size_t max_output_bytes);

}  // namespace ferry::core::codec
