#include "core/wire/body_framer.h"

#include "core/wire/tokens.h"

namespace ferry::core::wire {
namespace {

int hexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isControl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7F; }

}  // namespace

BodyFramer BodyFramer::contentLength(uint64_t length) {
  BodyFramer framer(length == 0 ? State::kDone : State::kLength);
  framer.remaining_ = length;
  return framer;
}

BodyFramer BodyFramer::chunked() { return BodyFramer(State::kSize); }

BodyFramer::Step BodyFramer::fail(size_t consumed, std::string_view error) {
  state_ = State::kError;
  error_ = error;
  return {consumed, {}, Status::kError};
}

BodyFramer::Step BodyFramer::step(std::string_view input) {
  size_t i = 0;
  while (i < input.size()) {
    if (state_ == State::kLength || state_ == State::kData) {
      const size_t n =
          remaining_ < input.size() - i ? static_cast<size_t>(remaining_) : input.size() - i;
      remaining_ -= n;
      received_ += n;
      if (remaining_ == 0) state_ = state_ == State::kLength ? State::kDone : State::kDataCr;
      Step step{i + n, input.substr(i, n), Status::kNeedMore};
      if (state_ == State::kDone) step.status = Status::kDone;
      return step;
    }
    const unsigned char c = static_cast<unsigned char>(input[i]);
    ++i;
    switch (state_) {
      case State::kSize:
      case State::kSizeSpace:
      case State::kExtension:
        if (++line_bytes_ > kMaxChunkLine) return fail(i, "chunk-size line too long");
        break;
      case State::kTrailerStart:
      case State::kTrailerLine:
      case State::kTrailerLf:
      case State::kFinalLf:
        if (++trailer_bytes_ > kMaxTrailerBytes) return fail(i, "trailer section too large");
        break;
      default:
        break;
    }
    switch (state_) {
      case State::kSize:
        if (int v = hexValue(c); v >= 0) {
          if (++digits_ > 16) return fail(i, "chunk size too large");
          size_ = size_ << 4 | static_cast<uint64_t>(v);
        } else if (digits_ == 0) {
          return fail(i, "invalid byte in chunk size");
        } else if (c == '\r') {
          state_ = State::kSizeLf;
        } else if (c == ' ' || c == '\t') {
          state_ = State::kSizeSpace;  // white space is only allowed before an extension
        } else if (c == ';') {
          state_ = State::kExtension;
        } else {
          return fail(i, "invalid byte in chunk size");
        }
        break;
      case State::kSizeSpace:
        if (c == ';') {
          state_ = State::kExtension;
        } else if (c != ' ' && c != '\t') {
          return fail(i, "invalid byte in chunk size");
        }
        break;
      case State::kExtension:
        // Extensions are ignored, as everywhere; their bytes must still be field text.
        if (c == '\r') {
          state_ = State::kSizeLf;
        } else if (isControl(c)) {
          return fail(i, "invalid byte in chunk extension");
        }
        break;
      case State::kSizeLf:
        if (c != '\n') return fail(i, "chunk-size line not ended by CRLF");
        line_bytes_ = 0;
        digits_ = 0;
        if (size_ == 0) {
          state_ = State::kTrailerStart;
        } else {
          remaining_ = size_;
          size_ = 0;
          state_ = State::kData;
        }
        break;
      case State::kDataCr:
        if (c != '\r') return fail(i, "chunk data not followed by CRLF");
        state_ = State::kDataLf;
        break;
      case State::kDataLf:
        if (c != '\n') return fail(i, "chunk data not followed by CRLF");
        state_ = State::kSize;
        break;
      case State::kTrailerStart:
        if (c == '\r') {
          state_ = State::kFinalLf;
        } else if (isTokenByte(c)) {
          state_ = State::kTrailerLine;
          trailer_name_ = true;
        } else {
          return fail(i, "invalid trailer field");
        }
        break;
      case State::kTrailerLine:
        if (trailer_name_) {
          if (c == ':') {
            trailer_name_ = false;
          } else if (!isTokenByte(c)) {
            return fail(i, "invalid trailer field");
          }
        } else if (c == '\r') {
          state_ = State::kTrailerLf;
        } else if (isControl(c)) {
          return fail(i, "invalid trailer field");
        }
        break;
      case State::kTrailerLf:
        if (c != '\n') return fail(i, "trailer field not ended by CRLF");
        state_ = State::kTrailerStart;
        break;
      case State::kFinalLf:
        if (c != '\n') return fail(i, "chunked body not ended by CRLF");
        state_ = State::kDone;
        return {i, {}, Status::kDone};
      case State::kDone:
        return {i - 1, {}, Status::kDone};
      case State::kError:
        return {i - 1, {}, Status::kError};
      case State::kLength:
      case State::kData:
        break;  // handled above
    }
  }
  if (state_ == State::kDone) return {i, {}, Status::kDone};
  if (state_ == State::kError) return {i, {}, Status::kError};
  return {i, {}, Status::kNeedMore};
}

}  // namespace ferry::core::wire
