// The front door's request parser (core/wire: RequestHeadParser, BodyFramer, the protocol error
// answers). Input: one control byte, then the bytes a client sends. The control byte picks the
// head limit (bits 0-1: 64 bytes, 1 KiB, 64 KiB, 1 MiB) and the size of the pieces the bytes
// arrive in (bits 2-7: 1 to 64 bytes).
// Invariants:
//  - nothing throws or crashes, whatever the bytes;
//  - incremental parsing is exact: the head fed in pieces gives the same verdict, the same head
//    size, the same fields and the same error as the head given at once;
//  - a parsed head holds only what the grammar allows, byte for byte (no byte dropped or
//    normalised): a token method, a target without control bytes that is valid UTF-8, token
//    field names, field values without control bytes but HTAB and no surrounding white space,
//    one framing (never Transfer-Encoding with Content-Length), within the head limit;
//  - a refused head gets one of Go's statuses (400, 431, 501, 505) and a well-formed answer;
//  - body framing in pieces agrees with framing at once: same data, same end, same verdict; a
//    Content-Length body is exactly that many bytes, and a complete body never runs past the
//    bytes given.
//
// Build alone (libFuzzer, clang), from the repository root:
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -I. -Isdk/support/include \
//     tests/fuzz/http_request_parser_fuzz.cpp core/wire/*.cpp sdk/support/src/utf8.cpp \
//     -o http_request_parser_fuzz
//   ./http_request_parser_fuzz -max_len=4096 tests/fuzz/corpus/http_request_parser
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ferry/support/utf8.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/wire/body_framer.h"
#include "core/wire/protocol_error.h"
#include "core/wire/request_head_parser.h"
#include "core/wire/tokens.h"

namespace {

namespace wire = ferry::core::wire;
using Status = wire::RequestHeadParser::Status;

[[noreturn]] void invariantFailed(const char* condition, int line) {
  std::fprintf(stderr, "http_request_parser_fuzz.cpp:%d: invariant failed: %s\n", line, condition);
  std::abort();
}
#define CHECK(condition) \
  if (!(condition)) invariantFailed(#condition, __LINE__)

struct Verdict {
  Status status = Status::kNeedMore;
  size_t head_size = 0;
  std::vector<wire::FieldSpan> fields;
  wire::RequestHead head;
  wire::ProtocolError error;
};

Verdict verdictOf(const wire::RequestHeadParser& parser, Status status) {
  Verdict v;
  v.status = status;
  if (status == Status::kDone) {
    v.head_size = parser.headSize();
    v.fields = parser.fields();
    v.head = parser.head();
  } else if (status == Status::kError) {
    v.error = parser.error();
  }
  return v;
}

// The bytes arrive `piece` at a time; the parser always sees all of them from the start, as
// the connection's buffer holds them.
Verdict parseInPieces(wire::RequestHeadParser& parser, std::string_view data, size_t piece) {
  Status status = Status::kNeedMore;
  size_t given = 0;
  while (status == Status::kNeedMore && given < data.size()) {
    given = given + piece < data.size() ? given + piece : data.size();
    status = parser.parse(data.substr(0, given));
  }
  return verdictOf(parser, status);
}

bool sameFields(const std::vector<wire::FieldSpan>& a, const std::vector<wire::FieldSpan>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name_begin != b[i].name_begin || a[i].name_size != b[i].name_size ||
        a[i].value_begin != b[i].value_begin || a[i].value_size != b[i].value_size) {
      return false;
    }
  }
  return true;
}

bool sameHead(const wire::RequestHead& a, const wire::RequestHead& b) {
  return a.method == b.method && a.target == b.target && a.minor_version == b.minor_version &&
         a.framing == b.framing && a.content_length == b.content_length &&
         a.keep_alive == b.keep_alive && a.expect_continue == b.expect_continue &&
         a.expect_unsupported == b.expect_unsupported;
}

void checkParsedHead(const Verdict& v, std::string_view data, size_t limit) {
  CHECK(v.head_size >= 1 && v.head_size <= data.size() && v.head_size <= limit);
  CHECK(data[v.head_size - 1] == '\n');
  const wire::RequestHead& h = v.head;
  // Views into the bytes given, never copies: nothing was normalised.
  CHECK(h.method.data() == data.data());
  CHECK(h.target.data() > data.data() &&
        h.target.data() + h.target.size() <= data.data() + v.head_size);
  CHECK(wire::isToken(h.method));
  CHECK(!h.target.empty() && !wire::containsControl(h.target));
  CHECK(h.target.find(' ') == std::string_view::npos);
  CHECK(ferry::support::isValidUtf8(h.target));
  CHECK(h.minor_version >= 0 && h.minor_version <= 9);
  int lengths = 0;
  int encodings = 0;
  for (const wire::FieldSpan& f : v.fields) {
    CHECK(f.name_begin + f.name_size <= v.head_size && f.value_begin + f.value_size <= v.head_size);
    const std::string_view name = data.substr(f.name_begin, f.name_size);
    const std::string_view value = data.substr(f.value_begin, f.value_size);
    CHECK(wire::isToken(name));
    CHECK(data[f.name_begin + f.name_size] == ':');
    CHECK(wire::isFieldValue(value));
    CHECK(value.empty() || (value.front() != ' ' && value.front() != '\t' && value.back() != ' ' &&
                            value.back() != '\t'));
    if (wire::equalsIgnoreCase(name, "Content-Length")) ++lengths;
    if (wire::equalsIgnoreCase(name, "Transfer-Encoding")) ++encodings;
  }
  switch (h.framing) {
    case wire::Framing::kChunked:
      CHECK(encodings == 1 && lengths == 0 && h.minor_version >= 1);
      break;
    case wire::Framing::kContentLength:
      CHECK(encodings == 0 && lengths == 1 && h.content_length > 0);
      break;
    case wire::Framing::kNone:
      CHECK(encodings == 0 && lengths <= 1 && h.content_length == 0);
      break;
  }
  CHECK(!h.expect_continue || h.framing != wire::Framing::kNone);
}

void checkRefusal(const Verdict& v) {
  const int status = v.error.status;
  CHECK(status == 400 || status == 431 || status == 501 || status == 505);
  CHECK(!v.error.reason.empty());
  const std::string answer = wire::protocolErrorResponse(v.error);
  CHECK(answer.rfind("HTTP/1.1 " + std::to_string(status) + " ", 0) == 0);
  const size_t end = answer.find("\r\n\r\n");
  CHECK(end != std::string::npos && answer.find("Connection: close\r\n") < end);
  CHECK(!wire::containsControl(answer.substr(0, answer.find("\r\n"))));
}

struct Framed {
  std::string data;
  size_t consumed = 0;
  wire::BodyFramer::Status status = wire::BodyFramer::Status::kNeedMore;
  uint64_t received = 0;
};

Framed frame(wire::BodyFramer framer, std::string_view input, size_t piece) {
  Framed out;
  size_t available = 0;  // bytes that have arrived
  while (out.status == wire::BodyFramer::Status::kNeedMore) {
    if (out.consumed == available) {
      if (available == input.size()) break;
      available = available + piece < input.size() ? available + piece : input.size();
    }
    const wire::BodyFramer::Step step =
        framer.step(input.substr(out.consumed, available - out.consumed));
    CHECK(step.consumed <= available - out.consumed);
    CHECK(step.data.empty() ||
          (step.data.data() >= input.data() + out.consumed &&
           step.data.data() + step.data.size() <= input.data() + out.consumed + step.consumed));
    out.data.append(step.data);
    out.consumed += step.consumed;
    out.status = step.status;
    // No progress while bytes are waiting would loop forever on a real connection.
    CHECK(step.consumed > 0 || step.status != wire::BodyFramer::Status::kNeedMore ||
          out.consumed == available);
  }
  out.received = framer.received();
  return out;
}

void checkBody(const wire::RequestHead& head, std::string_view rest, size_t piece) {
  if (head.framing == wire::Framing::kNone) return;
  const auto make = [&] {
    return head.framing == wire::Framing::kChunked
               ? wire::BodyFramer::chunked()
               : wire::BodyFramer::contentLength(head.content_length);
  };
  const Framed whole = frame(make(), rest, rest.size() > 0 ? rest.size() : 1);
  const Framed pieces = frame(make(), rest, piece);
  CHECK(whole.status == pieces.status);
  CHECK(whole.data == pieces.data);
  if (whole.status != wire::BodyFramer::Status::kError) {
    CHECK(whole.consumed == pieces.consumed);
    CHECK(whole.received == pieces.received);
  }
  CHECK(whole.consumed <= rest.size());
  if (head.framing == wire::Framing::kContentLength) {
    const uint64_t expected = head.content_length < rest.size() ? head.content_length : rest.size();
    CHECK(whole.data.size() == expected);
    CHECK(whole.data == rest.substr(0, expected));
    CHECK((whole.status == wire::BodyFramer::Status::kDone) ==
          (head.content_length <= rest.size()));
  } else if (whole.status == wire::BodyFramer::Status::kDone) {
    CHECK(whole.received == whole.data.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size < 1) return 0;
  static constexpr size_t kLimits[] = {64, 1024, 65536, 1 << 20};
  const size_t limit = kLimits[bytes[0] & 3];
  const size_t piece = 1 + (bytes[0] >> 2);
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);

  wire::RequestHeadParser at_once(limit);
  const Verdict whole = verdictOf(at_once, at_once.parse(data));
  wire::RequestHeadParser incremental(limit);
  const Verdict pieces = parseInPieces(incremental, data, piece);

  CHECK(whole.status == pieces.status);
  CHECK(whole.head_size == pieces.head_size);
  CHECK(sameFields(whole.fields, pieces.fields));
  CHECK(sameHead(whole.head, pieces.head));
  CHECK(whole.error.status == pieces.error.status);
  CHECK(whole.error.reason == pieces.error.reason && whole.error.detail == pieces.error.detail);

  if (whole.status == Status::kDone) {
    checkParsedHead(whole, data, limit);
    checkBody(whole.head, data.substr(whole.head_size), piece);
  } else if (whole.status == Status::kError) {
    checkRefusal(whole);
  } else {
    // Waiting for more is only right below the limit.
    CHECK(data.size() < limit);
  }

  // A parser that was reset reads the next request as a new one.
  incremental.reset();
  const Verdict again = verdictOf(incremental, incremental.parse(data));
  CHECK(again.status == whole.status && again.head_size == whole.head_size);
  CHECK(sameFields(again.fields, whole.fields));
  return 0;
}
