#pragma once

#include <cstddef>
#include <memory>

#include "core/codec/stream_decoder.h"

namespace ferry::core::codec {

// Decodes gzip the way Go's gzip.Reader does in its default multistream mode (see decodeBody).
std::unique_ptr<StreamDecoder> makeGzipDecoder(size_t max_output_bytes);

}  // namespace ferry::core::codec
