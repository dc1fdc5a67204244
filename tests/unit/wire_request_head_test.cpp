// The request head parser against RFC 9112 and Go 1.19's net/http (the answers marked "Go" were
// observed on the Pushgateway 1.5.1 binary with raw sockets).
#include <gtest/gtest.h>

#include <string>

#include "core/wire/protocol_error.h"
#include "core/wire/request_head_parser.h"

namespace ferry::core::wire {
namespace {

constexpr size_t kLimit = (1 << 20) + 4096;

struct Outcome {
  RequestHeadParser::Status status;
  RequestHead head;  // without its views: see `method` and `target`
  std::string method;
  std::string target;
  ProtocolError error;
  size_t head_size = 0;
  std::vector<std::pair<std::string, std::string>> fields;
};

Outcome collect(RequestHeadParser& parser, const std::string& data, RequestHeadParser::Status s) {
  Outcome out{s, parser.head(), {}, {}, parser.error(), parser.headSize(), {}};
  // The parser's views point into `data`, which the caller may free: keep copies.
  out.method = std::string(parser.head().method);
  out.target = std::string(parser.head().target);
  out.head.method = {};
  out.head.target = {};
  if (s == RequestHeadParser::Status::kDone) {
    for (const auto& f : parser.fields()) {
      out.fields.emplace_back(data.substr(f.name_begin, f.name_size),
                              data.substr(f.value_begin, f.value_size));
    }
  }
  return out;
}

// Parses `data` in one call.
Outcome parseAll(const std::string& data, size_t limit = kLimit) {
  RequestHeadParser parser(limit);
  auto s = parser.parse(data);
  return collect(parser, data, s);
}

// Parses `data` one byte at a time, as a trickling client sends it; the buffer grows (and moves)
// between calls.
Outcome parseBytewise(const std::string& data, size_t limit = kLimit) {
  RequestHeadParser parser(limit);
  std::string buffer;
  auto s = RequestHeadParser::Status::kNeedMore;
  for (char c : data) {
    buffer.push_back(c);
    buffer.shrink_to_fit();
    s = parser.parse(buffer);
    if (s != RequestHeadParser::Status::kNeedMore) break;
  }
  return collect(parser, buffer, s);
}

std::string answer(const std::string& data) {
  auto out = parseAll(data);
  EXPECT_EQ(out.status, RequestHeadParser::Status::kError) << data;
  return protocolErrorResponse(out.error);
}

std::string goPlain400() {
  return "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
         "Connection: close\r\n\r\n400 Bad Request";
}

std::string go400(const std::string& detail) {
  return "HTTP/1.1 400 Bad Request: " + detail +
         "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
         "400 Bad Request: " +
         detail;
}

TEST(RequestHeadParser, ParsesASimpleRequest) {
  const std::string data =
      "PUT /metrics/job/x HTTP/1.1\r\nHost: h:9091\r\nContent-Length: 4\r\n"
      "X-Tab:\t a b \t\r\n\r\nx 1\n";
  for (auto out : {parseAll(data), parseBytewise(data)}) {
    ASSERT_EQ(out.status, RequestHeadParser::Status::kDone);
    EXPECT_EQ(out.method, "PUT");
    EXPECT_EQ(out.target, "/metrics/job/x");
    EXPECT_EQ(out.head.minor_version, 1);
    EXPECT_EQ(out.head.framing, Framing::kContentLength);
    EXPECT_EQ(out.head.content_length, 4u);
    EXPECT_TRUE(out.head.keep_alive);
    EXPECT_FALSE(out.head.expect_continue);
    EXPECT_EQ(out.head_size, data.size() - 4);
    ASSERT_EQ(out.fields.size(), 3u);
    EXPECT_EQ(out.fields[0], (std::pair<std::string, std::string>{"Host", "h:9091"}));
    EXPECT_EQ(out.fields[2], (std::pair<std::string, std::string>{"X-Tab", "a b"}));
  }
}

TEST(RequestHeadParser, WaitsForTheEmptyLine) {
  RequestHeadParser parser(kLimit);
  EXPECT_EQ(parser.parse("GET / HTTP/1.1\r\nHost: x\r\n"), RequestHeadParser::Status::kNeedMore);
  EXPECT_EQ(parser.parse("GET / HTTP/1.1\r\nHost: x\r\n\r"), RequestHeadParser::Status::kNeedMore);
  EXPECT_EQ(parser.parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), RequestHeadParser::Status::kDone);
}

TEST(RequestHeadParser, StopsAtTheEndOfTheHead) {
  // A pipelined second request is not part of the first head.
  const std::string first = "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n";
  auto out = parseAll(first + "DELETE /metrics/job/victim HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(out.status, RequestHeadParser::Status::kDone);
  EXPECT_EQ(out.head_size, first.size());
  EXPECT_EQ(out.head.framing, Framing::kNone);
}

TEST(RequestHeadParser, ResetParsesTheNextRequest) {
  RequestHeadParser parser(kLimit);
  ASSERT_EQ(parser.parse("GET /a HTTP/1.1\r\nHost: x\r\nA: 1\r\n\r\n"),
            RequestHeadParser::Status::kDone);
  parser.reset();
  const std::string second = "POST /b HTTP/1.0\r\n\r\n";
  ASSERT_EQ(parser.parse(second), RequestHeadParser::Status::kDone);
  EXPECT_EQ(parser.head().target, "/b");
  EXPECT_TRUE(parser.fields().empty());
  EXPECT_FALSE(parser.head().keep_alive);
}

TEST(RequestHeadParser, AcceptsBareLineFeedsAsGoDoes) {
  auto out = parseAll("GET /-/healthy HTTP/1.1\nHost: x\n\n");
  ASSERT_EQ(out.status, RequestHeadParser::Status::kDone);
  EXPECT_EQ(out.fields.size(), 1u);
}

TEST(RequestHeadParser, KeepsEveryByteOfTheTarget) {
  // Raw UTF-8 in the target is kept (a raw UTF-8 job name pushes with the Pushgateway).
  auto out = parseAll(
      "PUT /metrics/job/j\xc3\xb6"
      "b?q=\xe2\x82\xac HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(out.status, RequestHeadParser::Status::kDone);
  EXPECT_EQ(out.target,
            "/metrics/job/j\xc3\xb6"
            "b?q=\xe2\x82\xac");
  // Bytes that are not UTF-8 are refused, never dropped: "wi\xffpe" must not become "wipe".
  EXPECT_EQ(answer("PUT /api/v1/admin/wi\xffpe HTTP/1.1\r\nHost: x\r\n\r\n"), goPlain400());
  EXPECT_EQ(answer("GET /a\xc3 HTTP/1.1\r\nHost: x\r\n\r\n"), goPlain400());
  EXPECT_EQ(answer("GET /a?q=\xed\xa0\x80 HTTP/1.1\r\nHost: x\r\n\r\n"), goPlain400());
  auto absolute = parseAll("GET http://x/-/healthy#f HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(absolute.status, RequestHeadParser::Status::kDone);
  EXPECT_EQ(absolute.target, "http://x/-/healthy#f");
}

TEST(RequestHeadParser, RefusesBadRequestLinesAsGo) {
  for (const char* line :
       {"GE\xffT /-/healthy HTTP/1.1", "GET  /-/healthy HTTP/1.1", "GET /-/healthy  HTTP/1.1",
        "GET /a b HTTP/1.1", "GET /-/healthy", "GET", "", "get /x http/1.1", "GET /x HTTP/1.10",
        "GET /x HTTP/1.1 ", "GET /x HTTP/1.1\r", "GET /\x01x HTTP/1.1", "GET /x\x7f HTTP/1.1",
        "GET /\rx HTTP/1.1", "G(T /x HTTP/1.1", "GET /x\tHTTP/1.1"}) {
    SCOPED_TRACE(line);
    EXPECT_EQ(answer(std::string(line) + "\r\nHost: x\r\n\r\n"), goPlain400());
  }
  // Leading empty lines are not skipped (Go answers 400 too).
  EXPECT_EQ(answer("\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"), goPlain400());
}

TEST(RequestHeadParser, KeepsTheTargetOfARefusedRequestForTheLog) {
  const std::string data = "PUT /api/v1/admin/wi\xffpe HTTP/1.1\r\nHost: x\r\n\r\n";
  RequestHeadParser parser(kLimit);
  ASSERT_EQ(parser.parse(data), RequestHeadParser::Status::kError);
  EXPECT_EQ(parser.target(data), "/api/v1/admin/wi\xffpe");
  RequestHeadParser unsplit(kLimit);
  ASSERT_EQ(unsplit.parse("GARBAGE\r\n"), RequestHeadParser::Status::kError);
  EXPECT_EQ(unsplit.target("GARBAGE\r\n"), "");
}

TEST(RequestHeadParser, RefusesOtherMajorVersionsWith505) {
  EXPECT_EQ(answer("GET /-/healthy HTTP/9.9\r\nHost: x\r\n\r\n"),
            "HTTP/1.1 505 HTTP Version Not Supported: unsupported protocol version\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
            "505 HTTP Version Not Supported: unsupported protocol version");
  EXPECT_EQ(answer("PRI * HTTP/2.0\r\n\r\n").substr(0, 13), "HTTP/1.1 505 ");
  auto minor = parseAll("GET /-/healthy HTTP/1.5\r\nHost: x\r\n\r\n");
  ASSERT_EQ(minor.status, RequestHeadParser::Status::kDone);
  EXPECT_EQ(minor.head.minor_version, 5);
  EXPECT_TRUE(minor.head.keep_alive);
}

TEST(RequestHeadParser, RefusesBadHeaderNames) {
  for (const char* field : {"Content-Le\xffngth: 5", "Host : x", "X Y: z", "(x): y", ": empty",
                            "X\x01: y", "X\x7f: y"}) {
    SCOPED_TRACE(field);
    EXPECT_EQ(answer(std::string("GET / HTTP/1.1\r\nHost: x\r\n") + field + "\r\n\r\n"),
              go400("invalid header name"));
  }
  EXPECT_EQ(answer("GET / HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n"), goPlain400());
}

TEST(RequestHeadParser, RefusesControlBytesInValues) {
  for (std::string value : {std::string("b\x01"
                                        "c"),
                            std::string("b\x7f"
                                        "c"),
                            std::string("b\0c", 3), std::string("b\rc"), std::string("\x1b[0m")}) {
    SCOPED_TRACE(value);
    EXPECT_EQ(answer("GET / HTTP/1.1\r\nHost: x\r\nX-A: " + value + "\r\n\r\n"),
              go400("invalid header value"));
  }
  // A bare CR never splits a line (Go words this one "malformed Host header").
  EXPECT_EQ(answer("GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n"), go400("invalid header value"));
  // obs-text (0x80-0xFF) is allowed in values, as in Go.
  EXPECT_EQ(parseAll("GET / HTTP/1.1\r\nHost: x\r\nX-A: b\xff"
                     "c\r\n\r\n")
                .status,
            RequestHeadParser::Status::kDone);
}

TEST(RequestHeadParser, RefusesLineFolding) {
  // Go unfolds these; a proxy in front may not, so Ferry refuses them (RFC 9112 §5.2).
  EXPECT_EQ(answer("GET / HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n"),
            go400("obsolete line folding in a header field"));
  EXPECT_EQ(answer("GET / HTTP/1.1\r\nHost: x\r\nX-A: b\r\n\tc\r\n\r\n"),
            go400("obsolete line folding in a header field"));
  EXPECT_EQ(answer("GET / HTTP/1.1\r\n Host: x\r\n\r\n"), goPlain400());
}

TEST(RequestHeadParser, ChecksHostAsGo) {
  EXPECT_EQ(answer("GET / HTTP/1.1\r\n\r\n"), go400("missing required Host header"));
  EXPECT_EQ(answer("GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"), goPlain400());
  EXPECT_EQ(answer("GET / HTTP/1.1\r\nHost: x y\r\n\r\n"), go400("malformed Host header"));
  EXPECT_EQ(answer("GET / HTTP/1.1\r\nHost: x\xff\r\n\r\n"), go400("malformed Host header"));
  for (const char* host : {"", "[::1]:9091", "a.b-c_d~e%2F:1", "x!$&'()*+,;="}) {
    SCOPED_TRACE(host);
    EXPECT_EQ(parseAll(std::string("GET / HTTP/1.1\r\nHost: ") + host + "\r\n\r\n").status,
              RequestHeadParser::Status::kDone);
  }
  // HTTP/1.0 needs no Host.
  EXPECT_EQ(parseAll("GET / HTTP/1.0\r\n\r\n").status, RequestHeadParser::Status::kDone);
}

TEST(RequestHeadParser, RefusesEveryAmbiguousFraming) {
  const std::string go501 =
      "HTTP/1.1 501 Not Implemented\r\nContent-Type: text/plain; charset=utf-8\r\n"
      "Connection: close\r\n\r\nUnsupported transfer encoding";
  for (const char* te : {"Transfer-Encoding: gzip, chunked", "Transfer-Encoding: chunked, identity",
                         "Transfer-Encoding: xchunked", "Transfer-Encoding: chunked, chunked",
                         "Transfer-Encoding: identity", "Transfer-Encoding: ",
                         "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
                         "Transfer-Encoding: chunked\r\ntransfer-encoding: gzip"}) {
    SCOPED_TRACE(te);
    EXPECT_EQ(answer(std::string("POST / HTTP/1.1\r\nHost: x\r\n") + te + "\r\n\r\n"), go501);
  }
  EXPECT_EQ(answer("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                   "Content-Length: 5\r\n\r\n"),
            go400("both Transfer-Encoding and Content-Length"));
  EXPECT_EQ(answer("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
            go400("Transfer-Encoding in an HTTP/1.0 request"));
  EXPECT_EQ(answer("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n"),
            go400("more than one Content-Length header field"));
  for (const char* cl : {"+1", "-1", "1,1", "1 1", "0x10", "", "9223372036854775808",
                         "99999999999999999999999", "1\xff"}) {
    SCOPED_TRACE(cl);
    EXPECT_EQ(
        answer(std::string("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ") + cl + "\r\n\r\n"),
        goPlain400());
  }
}

TEST(RequestHeadParser, AcceptsValidFraming) {
  auto chunked = parseAll("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked \r\n\r\n");
  ASSERT_EQ(chunked.status, RequestHeadParser::Status::kDone);
  EXPECT_EQ(chunked.head.framing, Framing::kChunked);
  auto length =
      parseAll("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9223372036854775807\r\n\r\n");
  ASSERT_EQ(length.status, RequestHeadParser::Status::kDone);
  EXPECT_EQ(length.head.content_length, 9223372036854775807u);
  auto zero = parseAll("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 000\r\n\r\n");
  ASSERT_EQ(zero.status, RequestHeadParser::Status::kDone);
  EXPECT_EQ(zero.head.framing, Framing::kNone);
}

TEST(RequestHeadParser, ConnectionAndExpect) {
  auto close = parseAll("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Close\r\n\r\n");
  EXPECT_FALSE(close.head.keep_alive);
  auto http10 = parseAll("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
  EXPECT_TRUE(http10.head.keep_alive);
  auto expect =
      parseAll("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-Continue\r\n\r\n");
  EXPECT_TRUE(expect.head.expect_continue);
  EXPECT_FALSE(expect.head.expect_unsupported);
  // Without a body there is nothing to continue with (and nothing to refuse, as Go).
  auto no_body = parseAll("GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_FALSE(no_body.head.expect_continue);
  EXPECT_FALSE(no_body.head.expect_unsupported);
  auto other = parseAll("GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n");
  EXPECT_TRUE(other.head.expect_unsupported);
  auto http10_expect =
      parseAll("PUT / HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_FALSE(http10_expect.head.expect_continue);
  EXPECT_FALSE(http10_expect.head.expect_unsupported);
}

TEST(RequestHeadParser, LimitsTheWholeHead) {
  const std::string start = "GET /";
  const std::string end = " HTTP/1.1\r\nHost: x\r\n\r\n";
  const size_t limit = 4096;
  std::string fits = start + std::string(limit - start.size() - end.size(), 'a') + end;
  ASSERT_EQ(fits.size(), limit);
  EXPECT_EQ(parseAll(fits, limit).status, RequestHeadParser::Status::kDone);
  EXPECT_EQ(parseBytewise(fits, limit).status, RequestHeadParser::Status::kDone);
  std::string over = start + std::string(limit - start.size() - end.size() + 1, 'a') + end;
  for (auto out : {parseAll(over, limit), parseBytewise(over, limit)}) {
    ASSERT_EQ(out.status, RequestHeadParser::Status::kError);
    EXPECT_EQ(protocolErrorResponse(out.error),
              "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; "
              "charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large");
  }
  // A request line without end is refused once it passes the limit, not when it ends.
  RequestHeadParser parser(limit);
  EXPECT_EQ(parser.parse("GET /" + std::string(limit, 'a')), RequestHeadParser::Status::kError);
}

TEST(RequestHeadParser, AcceptsWhatGoAcceptsUpToOneMegabyte) {
  // A 78 KB URL with 10,000 label pairs, and 10,000 header fields.
  std::string url = "/metrics/job/j";
  for (int i = 0; i < 10000; ++i) url += "/l" + std::to_string(i) + "/v";
  std::string head = "PUT " + url + " HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 10000; ++i) head += "X-F-" + std::to_string(i) + ": value\r\n";
  head += "\r\n";
  ASSERT_LT(head.size(), kLimit);
  auto out = parseAll(head);
  ASSERT_EQ(out.status, RequestHeadParser::Status::kDone);
  EXPECT_EQ(out.target, url);
  EXPECT_EQ(out.fields.size(), 10001u);
}

TEST(RequestHeadParser, BytewiseAndWholeAgreeOnEveryCase) {
  const char* cases[] = {"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                         "GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n c\r\n\r\n",
                         "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
                         "GET / HTTP/1.1\nHost: x\n\n",
                         "GET / HTTP/1.1\r\nHost: x\r\nBad\x01: v\r\n\r\n",
                         "GET /\x00 HTTP/1.1\r\n\r\n"};
  for (const char* c : cases) {
    SCOPED_TRACE(c);
    auto whole = parseAll(c);
    auto bytewise = parseBytewise(c);
    EXPECT_EQ(whole.status, bytewise.status);
    EXPECT_EQ(whole.head_size, bytewise.head_size);
    EXPECT_EQ(whole.error.status, bytewise.error.status);
    EXPECT_EQ(whole.error.reason, bytewise.error.reason);
    EXPECT_EQ(whole.fields, bytewise.fields);
  }
}

}  // namespace
}  // namespace ferry::core::wire
