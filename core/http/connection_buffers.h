#pragma once

#include <cstddef>
#include <memory>
#include <string>

// The read buffer and buffer trimming shared by HttpConnection's read side
// (http_connection.cpp) and write side (http_connection_write.cpp).
namespace ferry::core::http {

inline constexpr size_t kScratchSize = 64 * 1024;
inline constexpr size_t kKeepBufferBytes = 64 * 1024;

// The loop thread's read buffer: bytes are read here and only what a request needs is kept.
inline char* scratch() {
  thread_local std::unique_ptr<char[]> buffer(new char[kScratchSize]);
  return buffer.get();
}

// Frees a buffer that grew for one large request instead of keeping it for the connection's
// life.
inline void trim(std::string& buffer) {
  if (buffer.capacity() > kKeepBufferBytes) std::string().swap(buffer);
}

}  // namespace ferry::core::http
