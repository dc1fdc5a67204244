#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

// Where a request body ends: Content-Length counting or chunked transfer coding (RFC 9112 §7.1),
// incrementally, without copying or allocating. Pure: bytes in, data spans out.
namespace ferry::core::wire {

class BodyFramer {
 public:
  enum class Status { kNeedMore, kDone, kError };
  struct Step {
    size_t consumed = 0;    // bytes of the input used (framing and data)
    std::string_view data;  // body data inside the consumed bytes (may be empty)
    Status status = Status::kNeedMore;
  };

  // A body of exactly `length` bytes.
  static BodyFramer contentLength(uint64_t length);
  // A chunked body. Chunk sizes have at most 16 hex digits; a chunk-size line's extensions
  // and the trailer section are bounded (kMaxChunkLine, kMaxTrailerBytes) and discarded.
  static BodyFramer chunked();

  static constexpr size_t kMaxChunkLine = 4096;      // as Go's maxLineLength
  static constexpr size_t kMaxTrailerBytes = 65536;  // the whole trailer section

  // Takes the next piece of the body from `input`. Call again with the rest of the input while
  // the status is kNeedMore and bytes are left; at kDone the body is complete and `consumed`
  // stops exactly at its end (what follows is the next request). At kError the framing is
  // broken and the connection cannot be used further.
  Step step(std::string_view input);

  // After kError: what was wrong (static text).
  std::string_view error() const { return error_; }
  // Body data bytes seen so far (chunked: the sum of the chunk sizes read).
  uint64_t received() const { return received_; }
  bool done() const { return state_ == State::kDone; }

 private:
  enum class State {
    kLength,        // Content-Length: data
    kSize,          // chunk-size hex digits
    kSizeSpace,     // white space after the size, before ';'
    kExtension,     // ";" and the extension, up to CR
    kSizeLf,        // LF after the chunk-size line's CR
    kData,          // chunk data
    kDataCr,        // CR after chunk data
    kDataLf,        // LF after chunk data
    kTrailerStart,  // the start of a trailer line or of the final CRLF
    kTrailerLine,   // inside a trailer field line
    kTrailerLf,     // LF after a trailer line's CR
    kFinalLf,       // LF of the final CRLF
    kDone,
    kError,
  };
  explicit BodyFramer(State state) : state_(state) {}
  Step fail(size_t consumed, std::string_view error);

  State state_;
  uint64_t remaining_ = 0;  // kLength / kData: data bytes still to come
  uint64_t size_ = 0;       // chunk size being read
  unsigned digits_ = 0;
  size_t line_bytes_ = 0;      // bytes of the current chunk-size line
  size_t trailer_bytes_ = 0;   // bytes of the trailer section so far
  bool trailer_name_ = false;  // kTrailerLine: still in the field name
  uint64_t received_ = 0;
  std::string_view error_;
};

}  // namespace ferry::core::wire
