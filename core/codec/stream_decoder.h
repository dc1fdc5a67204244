#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/codec/codec.h"

namespace ferry::core::codec {

// A request body decoded as it arrives, with the limit on the decoded size: the encoded body is
// never held whole, and a decompression bomb stops at the limit. Results and error texts are
// exactly decodeBody()'s, however the input is split.
class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;

  // Decodes from `input`, producing at most about `budget` bytes of output in this call, so
  // that one call never takes long whatever the input holds. Returns the bytes of `input` used:
  // all of them, or fewer when the budget ran out (call again with the rest) or on an error.
  virtual size_t decode(std::string_view input, size_t budget) = 0;
  // The body ended here: false (with error()) when the encoding is cut short.
  virtual bool finish() = 0;

  bool failed() const { return !error_.empty(); }
  // The client-facing error text (Go's), "" while none.
  const std::string& error() const { return error_; }
  // True when the error is the output limit (413 rather than 400).
  bool tooLarge() const { return too_large_; }
  std::string& output() { return out_; }

 protected:
  explicit StreamDecoder(size_t limit) : limit_(limit) {}
  // Appends decoded bytes; false (and the error set) past the limit.
  bool emit(const char* data, size_t n);
  void fail(std::string error) {
    if (error_.empty()) error_ = std::move(error);
  }
  size_t room() const { return limit_ - out_.size(); }
  size_t limit() const { return limit_; }

 private:
  size_t limit_;
  std::string out_;
  std::string error_;
  bool too_large_ = false;
};

// The decoder for `encoding`, writing at most `max_output_bytes`.
std::unique_ptr<StreamDecoder> makeStreamDecoder(Encoding encoding, size_t max_output_bytes);

}  // namespace ferry::core::codec
