#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/wire/protocol_error.h"

// HTTP/1.1 request heads (RFC 9112 §2-§6, RFC 9110 §5), parsed as strictly as Go's net/http
// parses them and stricter where Go's leniency lets two parsers disagree about where a request
// ends (request smuggling). Pure: bytes in, a verdict out; no sockets, no clocks.
namespace ferry::core::wire {

// How the body of a request is delimited.
enum class Framing { kNone, kContentLength, kChunked };

// A header field as offsets into the head's bytes (offsets survive the caller's buffer
// growing while the head arrives).
struct FieldSpan {
  uint32_t name_begin;
  uint32_t name_size;
  uint32_t value_begin;
  uint32_t value_size;
};

// What the parser learnt from a complete head. Views are resolved with the bytes given to the
// parser's last parse() call.
struct RequestHead {
  std::string_view method;
  std::string_view target;  // the request-target, byte for byte (never normalised)
  int minor_version = 1;    // HTTP/1.x (the major version is always 1)
  Framing framing = Framing::kNone;
  uint64_t content_length = 0;      // kContentLength only
  bool keep_alive = true;           // the connection may carry another request after this one
  bool expect_continue = false;     // "Expect: 100-continue" on an HTTP/1.1 request with a body
  bool expect_unsupported = false;  // another Expect value: Go answers 417
};

// Parses one request head incrementally. The caller keeps every byte received since the
// request began in one buffer, appends what arrives and calls parse() with the whole buffer
// each time; the parser resumes where it stopped, so a head trickling in byte by byte costs
// O(size), and a bad line is refused as soon as it is complete. Memory: the field table, 16
// bytes per header field, nothing else.
class RequestHeadParser {
 public:
  enum class Status { kNeedMore, kDone, kError };

  // `max_head_bytes` bounds the request line, the header fields and the empty line together.
  explicit RequestHeadParser(size_t max_head_bytes) : max_head_bytes_(max_head_bytes) {}

  // `data` starts with the first byte of the request and holds everything received since;
  // bytes given before are unchanged. On kDone the head is data[0, headSize()); the rest
  // belongs to the body or the next request.
  Status parse(std::string_view data);

  // After kDone.
  const RequestHead& head() const { return head_; }
  size_t headSize() const { return head_size_; }
  const std::vector<FieldSpan>& fields() const { return fields_; }
  // After kError.
  const ProtocolError& error() const { return error_; }
  // The request-target as sent once the request line was split into its three parts (also
  // when it was then refused, for the log); "" before. A view into `data`.
  std::string_view target(std::string_view data) const {
    return data.substr(target_begin_, target_size_);
  }

  // Forgets the request, keeping the field table's memory, for the next request of the
  // connection.
  void reset();

 private:
  Status fail(ProtocolError error);
  bool parseRequestLine(std::string_view line);
  bool parseField(std::string_view data, size_t begin, size_t end);
  bool finish(std::string_view data);

  size_t max_head_bytes_;
  size_t line_begin_ = 0;  // start of the line being received
  size_t scanned_ = 0;     // bytes searched for the end of that line
  bool request_line_done_ = false;
  Status status_ = Status::kNeedMore;
  size_t head_size_ = 0;
  uint32_t method_size_ = 0;  // the method starts the head
  uint32_t target_begin_ = 0;
  uint32_t target_size_ = 0;
  RequestHead head_;
  std::vector<FieldSpan> fields_;
  ProtocolError error_;
};

}  // namespace ferry::core::wire
