#include "core/wire/request_head_parser.h"

#include <cstring>
#include <ferry/support/utf8.hpp>

#include "core/wire/tokens.h"

namespace ferry::core::wire {
namespace {

// Go's plain 400 (an error that is not a statusError): "400 Bad Request".
ProtocolError badRequest(std::string_view reason) { return {400, {}, reason}; }
// Go's statusError form: "400 Bad Request: <detail>".
ProtocolError badRequestDetail(std::string_view detail) { return {400, detail, detail}; }

std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "HTTP/" DIGIT "." DIGIT, as Go's ParseHTTPVersion.
bool parseVersion(std::string_view v, int& major, int& minor) {
  if (v.size() != 8 || v.substr(0, 5) != "HTTP/" || v[6] != '.') return false;
  if (v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9') return false;
  major = v[5] - '0';
  minor = v[7] - '0';
  return true;
}

// Content-Length: 1*DIGIT up to 2^63-1 (Go's ParseUint(cl, 10, 63)); no sign, no list.
bool parseContentLength(std::string_view v, uint64_t& out) {
  if (v.empty()) return false;
  uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (n > (uint64_t{INT64_MAX} - digit) / 10) return false;
    n = n * 10 + digit;
  }
  out = n;
  return true;
}

}  // namespace

RequestHeadParser::Status RequestHeadParser::fail(ProtocolError error) {
  error_ = error;
  status_ = Status::kError;
  return status_;
}

void RequestHeadParser::reset() {
  line_begin_ = 0;
  scanned_ = 0;
  request_line_done_ = false;
  status_ = Status::kNeedMore;
  head_size_ = 0;
  method_size_ = 0;
  target_begin_ = 0;
  target_size_ = 0;
  head_ = RequestHead();
  fields_.clear();
  // A huge head's table is not kept for the rest of a keep-alive connection.
  if (fields_.capacity() > 64) std::vector<FieldSpan>().swap(fields_);
  error_ = ProtocolError();
}

RequestHeadParser::Status RequestHeadParser::parse(std::string_view data) {
  if (status_ != Status::kNeedMore) return status_;
  for (;;) {
    // The whole head, its last newline included, must fit in max_head_bytes_.
    const size_t limit = data.size() < max_head_bytes_ ? data.size() : max_head_bytes_;
    const void* newline =
        scanned_ < limit ? std::memchr(data.data() + scanned_, '\n', limit - scanned_) : nullptr;
    if (newline == nullptr) {
      scanned_ = limit;
      if (data.size() >= max_head_bytes_) {
        return fail({431, {}, "request line and header fields larger than the limit"});
      }
      return Status::kNeedMore;
    }
    const size_t end = static_cast<size_t>(static_cast<const char*>(newline) - data.data());
    // CRLF ends a line; so does a bare LF (RFC 9112 §2.2 allows it, as Go does). Any other CR
    // is left in the line, where every check below refuses it.
    size_t line_end = end;
    if (line_end > line_begin_ && data[line_end - 1] == '\r') --line_end;
    const std::string_view line = data.substr(line_begin_, line_end - line_begin_);
    if (!request_line_done_) {
      if (!parseRequestLine(line)) return status_;
      request_line_done_ = true;
    } else if (line.empty()) {
      head_size_ = end + 1;
      if (!finish(data)) return status_;
      status_ = Status::kDone;
      return status_;
    } else if (!parseField(data, line_begin_, line_end)) {
      return status_;
    }
    line_begin_ = end + 1;
    scanned_ = line_begin_;
  }
}

bool RequestHeadParser::parseRequestLine(std::string_view line) {
  // method SP request-target SP HTTP-version, split at the first two spaces as Go does: any
  // other space makes the version invalid.
  const size_t sp1 = line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) {
    fail(badRequest("malformed request line"));
    return false;
  }
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  // Views are re-resolved in finish(): the caller's buffer may move until the head is complete.
  target_begin_ = static_cast<uint32_t>(line_begin_ + sp1 + 1);
  target_size_ = static_cast<uint32_t>(target.size());
  if (method.empty() || !isToken(method)) {
    fail(badRequest("invalid method"));
    return false;
  }
  int major = 0;
  if (!parseVersion(version, major, head_.minor_version)) {
    fail(badRequest("malformed HTTP version"));
    return false;
  }
  // The target is kept byte for byte. Raw UTF-8 passes, as in Go (a push URL with a raw
  // UTF-8 job works with the Pushgateway); control bytes and bytes that are not UTF-8 (0xFF,
  // which a lenient parser might drop and so turn into another path) never do.
  if (target.empty() || containsControl(target)) {
    fail(badRequest("invalid request target"));
    return false;
  }
  if (!support::isValidUtf8(target)) {
    fail(badRequest("request target is not valid UTF-8"));
    return false;
  }
  if (major != 1) {
    fail({505, "unsupported protocol version", "unsupported protocol version"});
    return false;
  }
  method_size_ = static_cast<uint32_t>(method.size());
  return true;
}

bool RequestHeadParser::parseField(std::string_view data, size_t begin, size_t end) {
  const std::string_view line = data.substr(begin, end - begin);
  if (line.front() == ' ' || line.front() == '\t') {
    // Go refuses leading white space before the first field and unfolds later ones
    // (obs-fold); RFC 9112 §5.2 lets a server refuse both, and a proxy that unfolds
    // differently could be told another story.
    fail(fields_.empty() ? badRequest("white space before the first header field")
                         : badRequestDetail("obsolete line folding in a header field"));
    return false;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    fail(badRequest("header line without a colon"));
    return false;
  }
  // No white space between the name and the colon (RFC 9112 §5.1: refuse with 400).
  const std::string_view name = line.substr(0, colon);
  if (name.empty() || !isToken(name)) {
    fail(badRequestDetail("invalid header name"));
    return false;
  }
  const std::string_view raw_value = line.substr(colon + 1);
  const std::string_view value = trimOws(raw_value);
  if (!isFieldValue(value)) {
    fail(badRequestDetail("invalid header value"));
    return false;
  }
  const size_t value_begin =
      begin + colon + 1 + static_cast<size_t>(value.data() - raw_value.data());
  fields_.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(name.size()),
                     static_cast<uint32_t>(value_begin), static_cast<uint32_t>(value.size())});
  return true;
}

bool RequestHeadParser::finish(std::string_view data) {
  head_.method = data.substr(0, method_size_);
  head_.target = data.substr(target_begin_, target_size_);
  const bool http11 = head_.minor_version >= 1;
  int hosts = 0;
  int lengths = 0;
  int encodings = 0;
  std::string_view host;
  std::string_view length;
  std::string_view encoding;
  std::string_view expect;
  bool expect_seen = false;
  bool close = false;
  bool keep_alive = false;
  for (const FieldSpan& f : fields_) {
    const std::string_view name = data.substr(f.name_begin, f.name_size);
    const std::string_view value = data.substr(f.value_begin, f.value_size);
    if (equalsIgnoreCase(name, "Host")) {
      ++hosts;
      host = value;
    } else if (equalsIgnoreCase(name, "Content-Length")) {
      ++lengths;
      length = value;
    } else if (equalsIgnoreCase(name, "Transfer-Encoding")) {
      ++encodings;
      encoding = value;
    } else if (equalsIgnoreCase(name, "Connection")) {
      close = close || hasToken(value, "close");
      keep_alive = keep_alive || hasToken(value, "keep-alive");
    } else if (equalsIgnoreCase(name, "Expect") && !expect_seen) {
      expect_seen = true;  // Go looks at the first Expect field only
      expect = value;
    }
  }
  if (hosts > 1) {
    fail(badRequest("more than one Host header field"));
    return false;
  }
  if (hosts == 0 && http11 && head_.method != "CONNECT") {
    fail(badRequestDetail("missing required Host header"));
    return false;
  }
  if (hosts == 1 && !isValidHost(host)) {
    fail(badRequestDetail("malformed Host header"));
    return false;
  }
  if (encodings > 0) {
    // Only a single "chunked", as Go and nginx accept: every other coding, list or repetition
    // is a way to make two parsers disagree on where the body ends.
    if (!http11) {
      fail(badRequestDetail("Transfer-Encoding in an HTTP/1.0 request"));
      return false;
    }
    if (encodings > 1 || !equalsIgnoreCase(encoding, "chunked")) {
      fail({501, {}, "unsupported Transfer-Encoding"});
      return false;
    }
    if (lengths > 0) {
      fail(badRequestDetail("both Transfer-Encoding and Content-Length"));
      return false;
    }
    head_.framing = Framing::kChunked;
  } else if (lengths > 0) {
    if (lengths > 1) {
      fail(badRequestDetail("more than one Content-Length header field"));
      return false;
    }
    if (!parseContentLength(length, head_.content_length)) {
      fail(badRequest("invalid Content-Length"));
      return false;
    }
    head_.framing = head_.content_length > 0 ? Framing::kContentLength : Framing::kNone;
  }
  head_.keep_alive = http11 ? !close : keep_alive && !close;
  const bool continue_expected = hasToken(expect, "100-continue");
  head_.expect_continue = continue_expected && http11 && head_.framing != Framing::kNone;
  head_.expect_unsupported = !continue_expected && !expect.empty();
  return true;
}

}  // namespace ferry::core::wire
