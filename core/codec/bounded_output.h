#pragma once

#include <cstddef>
#include <string>

namespace ferry::core::codec {

// The text of the error for a body whose decoded size passes the limit.
inline std::string tooLargeError(size_t limit) {
  return "request body too large: limit is " + std::to_string(limit) + " bytes";
}

// Decoded bytes with a hard size limit. Decoders append chunk by chunk and stop at the first
// refusal, so a decompression bomb costs at most `limit` bytes (plus the string's growth slack)
// however large it claims to be.
class BoundedOutput {
 public:
  BoundedOutput(std::string& out, size_t limit) : out_(out), limit_(limit) {}

  // False (and nothing appended) if the result would exceed the limit.
  bool append(const char* data, size_t n) {
    if (n > limit_ - out_.size()) return false;
    out_.append(data, n);
    return true;
  }
  // How many more bytes fit; decoders use it to size their next step.
  size_t room() const { return limit_ - out_.size(); }
  size_t limit() const { return limit_; }

 private:
  std::string& out_;
  size_t limit_;
};

}  // namespace ferry::core::codec
