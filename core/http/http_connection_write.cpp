// HttpConnection's write side: answers, the write loop, keep-alive or close after an answer, and
// the lingering close that lets a refused client read its answer. The read side and the
// connection's life are in http_connection.cpp.
#include <sys/epoll.h>

#include <algorithm>
#include <climits>

#include "core/http/connection_buffers.h"
#include "core/http/http_connection.h"
#include "core/http/response_head.h"
#include "core/util/log.h"
#include "core/wire/tokens.h"

namespace ferry::core::http {

void HttpConnection::addWebHeaders(Response& response) const {
  // Never replaces a value already set.
  for (const auto& [name, value] : web_headers_) {
    bool present = false;
    for (const auto& header : response.headers()) {
      present = present || wire::equalsIgnoreCase(header.first, name);
    }
    if (!present) response.setHeader(name, value);
  }
}

void HttpConnection::onResponse(Response response) {
  if (state_ == State::kClosed) return;
  const bool close_after =
      !keep_alive_ || response.closeRequested() || ctx_.stopping.load(std::memory_order_relaxed);
  respond(std::move(response), close_after, false);
}

void HttpConnection::countRefusedPush(int status) const {
  const bool push_route =
      request_.match.kind == RouteMatch::Kind::kHandler &&
      (request_.match.route == RouteId::kPush || request_.match.route == RouteId::kPushBase64) &&
      (request_.method == "PUT" || request_.method == "POST");
  if (!push_route) return;
  const char* reason = status == 413                    ? "body_too_large"
                       : status == 401 || status == 403 ? "auth"
                                                        : "body";
  ctx_.telemetry.countPushRejected(reason);
}

void HttpConnection::refuseBody(int status, const std::string& message, bool linger_after) {
  util::logWarn("cannot read request body", {{"method", request_.method},
                                             {"path", request_.target},
                                             {"remote", remote_address_},
                                             {"status", std::to_string(status)},
                                             {"err", message}});
  countRefusedPush(status);
  Response answer;
  answer.sendError(status, message);
  addWebHeaders(answer);
  respond(std::move(answer), true, linger_after);
}

void HttpConnection::respond(Response response, bool close_after, bool linger_after) {
  const wire::RequestHead& head = parser_.head();
  ResponseFraming framing;
  framing.minor_version = head.minor_version;
  framing.keep_alive = !close_after;
  framing.head_request = request_.method == "HEAD";
  out_ = std::move(response);
  out_head_.clear();  // keeps its capacity from the previous answer
  appendHead(out_, framing, out_head_);
  out_iov_.clear();
  out_iov_.push_back({out_head_.data(), out_head_.size()});
  if (!framing.head_request) {
    if (out_.inPieces()) {
      for (auto piece : out_.pieces()) {
        if (!piece.empty()) out_iov_.push_back({const_cast<char*>(piece.data()), piece.size()});
      }
    } else if (!out_.body().empty()) {
      out_iov_.push_back({const_cast<char*>(out_.body().data()), out_.body().size()});
    }
  }
  startWriting(close_after, linger_after);
}

void HttpConnection::writeRaw(std::string bytes, bool linger_after) {
  out_ = Response();
  out_head_ = std::move(bytes);
  out_iov_.assign(1, iovec{out_head_.data(), out_head_.size()});
  startWriting(true, linger_after);
}

void HttpConnection::startWriting(bool close_after, bool linger_after) {
  out_next_ = 0;
  close_after_write_ = close_after || linger_after;
  linger_after_write_ = linger_after;
  state_ = State::kWriting;
  setDeadline(loop_.now() + ctx_.limits.write_timeout);
}

void HttpConnection::protocolError(const wire::ProtocolError& error) {
  util::logWarn("bad request", {{"remote", remote_address_},
                                {"path", parser_.target(in_)},
                                {"status", std::to_string(error.status)},
                                {"err", error.reason}});
  writeRaw(wire::protocolErrorResponse(error), true);
}

bool HttpConnection::writeOut() {
  while (out_next_ < out_iov_.size()) {
    if (!writable_) return false;
    const int count = static_cast<int>(std::min<size_t>(out_iov_.size() - out_next_, IOV_MAX));
    size_t asked = 0;
    for (int i = 0; i < count; ++i) asked += out_iov_[out_next_ + i].iov_len;
    auto result = transport_->write(&out_iov_[out_next_], count);
    if (result.status == net::IoStatus::kWouldBlock) {
      writable_ = false;
      return false;
    }
    if (result.status != net::IoStatus::kOk) {
      close();
      return true;
    }
    size_t left = result.bytes;
    while (left > 0 && out_next_ < out_iov_.size()) {
      iovec& iov = out_iov_[out_next_];
      size_t n = std::min(left, iov.iov_len);
      iov.iov_base = static_cast<char*>(iov.iov_base) + n;
      iov.iov_len -= n;
      left -= n;
      if (iov.iov_len == 0) ++out_next_;
    }
    setDeadline(loop_.now() + ctx_.limits.write_timeout);
    // A short write on a plain socket means its buffer is full: wait for the next edge.
    if (!tls_ && result.bytes < asked) writable_ = false;
  }
  auto flushed = transport_->flush();
  if (flushed.status == net::IoStatus::kWouldBlock) {
    writable_ = false;
    return false;
  }
  if (flushed.status != net::IoStatus::kOk) {
    close();
    return true;
  }
  afterWrite();
  return true;
}

void HttpConnection::afterWrite() {
  out_ = Response();
  out_iov_.clear();
  out_head_.clear();
  if (linger_after_write_) {
    startLinger();
    return;
  }
  if (close_after_write_ || ctx_.stopping.load(std::memory_order_relaxed)) {
    close();
    return;
  }
  // Keep-alive: the next request, maybe already here (pipelined).
  parser_.reset();
  decoder_.reset();
  undecoded_.clear();
  read_body_ = false;
  request_.body.clear();
  trim(request_.body);
  in_.swap(next_);
  next_.clear();
  trim(next_);
  trim(in_);
  idle_since_ = loop_.now();
  if (in_.empty()) {
    state_ = State::kIdle;
    setDeadline(loop_.now() + ctx_.limits.keep_alive_timeout);
  } else {
    state_ = State::kHead;
    setDeadline(loop_.now() + ctx_.limits.read_header_timeout);
  }
}

void HttpConnection::startLinger() {
  const wire::RequestHead& head = parser_.head();
  uint64_t left = ctx_.limits.linger_bytes;
  if (head.framing == wire::Framing::kContentLength && parser_.headSize() > 0) {
    // What the client announced, plus room for a pipelined request or two.
    const uint64_t announced = head.content_length + 65536;
    left = std::min(left, announced);
  }
  transport_->shutdownWrite();
  state_ = State::kLingering;
  linger_left_ = left;
  linger_received_ = 0;
  body_start_ = loop_.now();
  setDeadline(bodyDeadline());
  // The body may already be waiting in the socket.
  readable_ = true;
}

bool HttpConnection::linger() {
  for (;;) {
    auto read = readNow(true);
    if (!read) return false;
    const net::IoResult& result = *read;
    if (result.status != net::IoStatus::kOk) {
      close();
      return true;
    }
    linger_received_ += result.bytes;
    if (linger_received_ >= linger_left_) {
      close();
      return true;
    }
    setDeadline(bodyDeadline());
  }
}

}  // namespace ferry::core::http
