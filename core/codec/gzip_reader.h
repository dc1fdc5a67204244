#pragma once

#include <cstddef>
#include <string_view>

#include "core/codec/codec.h"

namespace ferry::core::codec {

// Decodes gzip the way Go's gzip.Reader does in its default multistream mode (see decodeBody).
DecodeResult gunzip(std::string_view in, size_t max_output_bytes);

}  // namespace ferry::core::codec
