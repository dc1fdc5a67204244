#pragma once

#include <cstddef>

namespace ferry::core::ui {

// One file of core/ui/assets/, embedded by embed_assets.cmake at build time.
struct EmbeddedFile {
  const char* name;           // file name, e.g. "ferry.js"
  const unsigned char* data;  // `size` bytes
  size_t size;
  const char* sha256;  // hex SHA-256 of the bytes
};

// Sorted by name. Defined in the generated embedded_assets.cpp.
extern const EmbeddedFile kEmbeddedFiles[];
extern const size_t kEmbeddedFileCount;

}  // namespace ferry::core::ui
