// Body framing: Content-Length and chunked (RFC 9112 §6-§7), strict where a lenient reader
// could be made to disagree with a proxy about where a body ends.
#include <gtest/gtest.h>

#include <string>

#include "core/wire/body_framer.h"

namespace ferry::core::wire {
namespace {

struct Framed {
  BodyFramer::Status status = BodyFramer::Status::kNeedMore;
  std::string body;
  size_t consumed = 0;  // bytes of the input used when the framer stopped
  std::string error;
};

// Feeds `input` in pieces of `piece` bytes (0: all at once).
Framed frame(BodyFramer framer, const std::string& input, size_t piece = 0) {
  Framed out;
  size_t pos = 0;
  while (pos < input.size()) {
    size_t n = piece == 0 ? input.size() - pos : std::min(piece, input.size() - pos);
    std::string_view chunk(input.data() + pos, n);
    while (!chunk.empty()) {
      auto step = framer.step(chunk);
      out.body.append(step.data);
      chunk.remove_prefix(step.consumed);
      pos += step.consumed;
      out.status = step.status;
      if (step.status != BodyFramer::Status::kNeedMore) {
        out.consumed = pos;
        out.error = std::string(framer.error());
        return out;
      }
      if (step.consumed == 0) break;
    }
  }
  out.consumed = pos;
  return out;
}

TEST(BodyFramer, ContentLengthStopsAtTheEnd) {
  for (size_t piece : {0, 1, 3}) {
    auto out = frame(BodyFramer::contentLength(5), "hello GET / HTTP/1.1", piece);
    EXPECT_EQ(out.status, BodyFramer::Status::kDone);
    EXPECT_EQ(out.body, "hello");
    EXPECT_EQ(out.consumed, 5u);
  }
  auto empty = BodyFramer::contentLength(0);
  EXPECT_TRUE(empty.done());
  auto partial = frame(BodyFramer::contentLength(10), "hello");
  EXPECT_EQ(partial.status, BodyFramer::Status::kNeedMore);
  EXPECT_EQ(partial.body, "hello");
}

TEST(BodyFramer, DecodesChunksWithExtensionsAndTrailers) {
  const std::string body =
      "5\r\nhello\r\n"
      "6;name=value;quoted=\"a b\"\r\n world\r\n"
      "A ; ext\r\n0123456789\r\n"
      "0\r\nX-Trailer: yes\r\nOther:\r\n\r\n";
  for (size_t piece : {0, 1, 2, 7}) {
    SCOPED_TRACE(piece);
    auto out = frame(BodyFramer::chunked(), body + "NEXT", piece);
    EXPECT_EQ(out.status, BodyFramer::Status::kDone);
    EXPECT_EQ(out.body, "hello world0123456789");
    EXPECT_EQ(out.consumed, body.size());
  }
}

TEST(BodyFramer, CountsReceivedData) {
  auto framer = BodyFramer::chunked();
  auto step = framer.step("ff\r\nabc");
  EXPECT_EQ(step.data, "abc");
  EXPECT_EQ(framer.received(), 3u);
}

TEST(BodyFramer, RefusesBadChunkSizes) {
  for (const char* bad : {"zz\r\n", "\r\n", "-1\r\n", "0x5\r\n", "5 \r\nhello\r\n0\r\n\r\n",
                          "5\nhello\r\n0\r\n\r\n", "5\r\rhello", " 5\r\n", "5\t\r\n",
                          "11111111111111111\r\n", "+5\r\n", "5;\x01\r\n", "5;ext\n"}) {
    SCOPED_TRACE(bad);
    auto out = frame(BodyFramer::chunked(), bad);
    EXPECT_EQ(out.status, BodyFramer::Status::kError);
    EXPECT_FALSE(out.error.empty());
    auto bytewise = frame(BodyFramer::chunked(), bad, 1);
    EXPECT_EQ(bytewise.status, BodyFramer::Status::kError);
  }
  // Sixteen hex digits still fit.
  auto big = frame(BodyFramer::chunked(), "ffffffffffffffff\r\nabc");
  EXPECT_EQ(big.status, BodyFramer::Status::kNeedMore);
  EXPECT_EQ(big.body, "abc");
}

TEST(BodyFramer, RefusesDataNotEndedByCrlf) {
  for (const char* bad : {"3\r\nabcX\r\n0\r\n\r\n", "3\r\nabc\n0\r\n\r\n", "3\r\nabc\rX"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(frame(BodyFramer::chunked(), bad).status, BodyFramer::Status::kError);
  }
}

TEST(BodyFramer, RefusesBadTrailers) {
  for (const char* bad : {"0\r\nX Y: z\r\n\r\n", "0\r\nnocolon\r\n\r\n", "0\r\nX: a\x01\r\n\r\n",
                          "0\r\nX: a\n\r\n", "0\r\n\n", "0\r\n :x\r\n\r\n"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(frame(BodyFramer::chunked(), bad).status, BodyFramer::Status::kError);
  }
}

TEST(BodyFramer, BoundsLinesAndTrailers) {
  std::string long_extension = "1;" + std::string(BodyFramer::kMaxChunkLine, 'x') + "\r\n";
  EXPECT_EQ(frame(BodyFramer::chunked(), long_extension).status, BodyFramer::Status::kError);
  std::string trailers = "0\r\n";
  while (trailers.size() < BodyFramer::kMaxTrailerBytes + 100) trailers += "X-T: vvvvvvvv\r\n";
  EXPECT_EQ(frame(BodyFramer::chunked(), trailers + "\r\n").status, BodyFramer::Status::kError);
  // Many small chunks are fine: the bound is per line, not per body.
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "1\r\na\r\n";
  many += "0\r\n\r\n";
  auto out = frame(BodyFramer::chunked(), many);
  EXPECT_EQ(out.status, BodyFramer::Status::kDone);
  EXPECT_EQ(out.body.size(), 10000u);
}

TEST(BodyFramer, StaysDoneAndStaysBroken) {
  auto framer = BodyFramer::chunked();
  auto done = framer.step("0\r\n\r\nGET");
  EXPECT_EQ(done.status, BodyFramer::Status::kDone);
  EXPECT_EQ(done.consumed, 5u);
  EXPECT_EQ(framer.step("GET").consumed, 0u);
  auto broken = BodyFramer::chunked();
  EXPECT_EQ(broken.step("q").status, BodyFramer::Status::kError);
  EXPECT_EQ(broken.step("0\r\n\r\n").status, BodyFramer::Status::kError);
}

}  // namespace
}  // namespace ferry::core::wire
