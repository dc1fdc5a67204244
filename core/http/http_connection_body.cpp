// HttpConnection's body side: framing, streaming decode with the limit on the decoded size, and
// the hand-off of a complete body. The head, admission and the connection's life are in
// http_connection.cpp; answers and the lingering close in http_connection_write.cpp.
#include "core/codec/bounded_output.h"
#include "core/codec/codec.h"
#include "core/http/connection_buffers.h"
#include "core/http/http_connection.h"
#include "core/util/log.h"

namespace ferry::core::http {
namespace {

// Decoded bytes one step of a compressed body may produce before the loop serves others.
constexpr size_t kDecodeBudget = 256 * 1024;

}  // namespace

void HttpConnection::feedBody(std::string_view data) {
  while (!data.empty() && state_ == State::kBody) {
    auto step = framer_.step(data);
    data.remove_prefix(step.consumed);
    if (framer_.received() > ctx_.limits.max_body_bytes) {
      refuseBody(413, codec::tooLargeError(ctx_.limits.max_body_bytes), true);
      return;
    }
    if (!step.data.empty()) {
      if (!undecoded_.empty()) {
        undecoded_.append(step.data);
      } else {
        size_t used = decoder_->decode(step.data, kDecodeBudget);
        if (decoder_->failed()) {
          decodeFailed();
          return;
        }
        if (used < step.data.size()) undecoded_.assign(step.data.substr(used));
      }
    }
    if (step.status == wire::BodyFramer::Status::kError) {
      util::logWarn(
          "bad request body",
          {{"remote", remote_address_}, {"path", request_.target}, {"err", framer_.error()}});
      refuseBody(400, std::string("malformed chunked encoding: ") + std::string(framer_.error()),
                 true);
      return;
    }
    if (step.status == wire::BodyFramer::Status::kDone) {
      next_.assign(data.data(), data.size());  // the next request
      if (undecoded_.empty()) {
        onBodyComplete();
      } else {
        schedule();
      }
      return;
    }
  }
  // Decoding waits for its next turn before more is read.
  if (state_ == State::kBody && !undecoded_.empty()) schedule();
}

bool HttpConnection::readBody() {
  if (!undecoded_.empty()) {
    size_t used = decoder_->decode(undecoded_, kDecodeBudget);
    if (decoder_->failed()) {
      decodeFailed();
      return true;
    }
    undecoded_.erase(0, used);
    if (!undecoded_.empty()) {
      schedule();
      return false;
    }
  }
  if (framer_.done()) {
    onBodyComplete();
    return true;
  }
  auto read = readNow(false);
  if (!read) return false;
  const net::IoResult& result = *read;
  if (result.status != net::IoStatus::kOk) {
    // The body was cut short (a half-closed client still reads the answer).
    util::logWarn("cannot read request body", {{"method", request_.method},
                                               {"path", request_.target},
                                               {"remote", remote_address_},
                                               {"status", "400"}});
    Response answer;
    answer.sendError(400, "unexpected EOF");
    addWebHeaders(answer);
    respond(std::move(answer), true, false);
    return true;
  }
  feedBody(std::string_view(scratch(), result.bytes));
  if (state_ == State::kBody) setDeadline(bodyDeadline());
  return true;
}

void HttpConnection::decodeFailed() {
  util::logWarn("cannot decode request body", {{"method", request_.method},
                                               {"path", request_.target},
                                               {"remote", remote_address_},
                                               {"err", decoder_->error()}});
  const int status = decoder_->tooLarge() ? 413 : 400;
  countRefusedPush(status);
  // The rest of the body is unread unless the framing ended: then the connection can go on.
  const bool rest_unread = !framer_.done();
  Response answer;
  answer.sendError(status, decoder_->error());
  addWebHeaders(answer);
  respond(std::move(answer), rest_unread, rest_unread);
}

void HttpConnection::onBodyComplete() {
  if (!decoder_->finish()) {
    decodeFailed();
    return;
  }
  request_.body = std::move(decoder_->output());
  decoder_.reset();
  dispatchRequest();
}

}  // namespace ferry::core::http
