#include "core/http/http_connection.h"

#include <sys/epoll.h>

#include <algorithm>
#include <climits>

#include "core/codec/bounded_output.h"
#include "core/codec/codec.h"
#include "core/http/connection_buffers.h"
#include "core/http/push_handlers.h"
#include "core/http/request_target.h"
#include "core/http/response_head.h"
#include "core/util/log.h"
#include "core/wire/tokens.h"

namespace ferry::core::http {
namespace {

// Reads one connection may do per turn of the loop before the others get theirs.
constexpr int kReadsPerTurn = 16;
constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
// Go's answer to plain HTTP on a TLS port, byte for byte.
constexpr char kPlainHttpOnTls[] =
    "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";

}  // namespace

HttpConnection::HttpConnection(ConnectionContext& context, net::EventLoop& loop,
                               std::unique_ptr<net::Transport> transport,
                               std::string remote_address, bool tls)
    : ctx_(context),
      loop_(loop),
      transport_(std::move(transport)),
      remote_address_(std::move(remote_address)),
      tls_(tls),
      parser_(context.limits.max_header_bytes + 4096) {
  ++ctx_.open_connections;
}

HttpConnection::~HttpConnection() {
  if (state_ != State::kClosed) --ctx_.open_connections;
}

void HttpConnection::start() {
  loop_.add(transport_->fd(), EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, this);
  idle_since_ = loop_.now();
  if (tls_) {
    state_ = State::kHandshake;
    setDeadline(loop_.now() + ctx_.limits.tls_handshake_timeout);
  } else {
    state_ = State::kIdle;
    setDeadline(loop_.now() + ctx_.limits.read_header_timeout);
  }
  // The request often arrives with the connection: try to read it right away.
  readable_ = true;
  advance();
}

bool HttpConnection::busy() const {
  return state_ == State::kAdmitting || state_ == State::kHandling || state_ == State::kWriting;
}

void HttpConnection::onEvents(uint32_t events) {
  if (state_ == State::kClosed) return;
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) readable_ = true;
  if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) writable_ = true;
  advance();
}

void HttpConnection::schedule() {
  if (scheduled_) return;
  scheduled_ = true;
  loop_.soon([self = shared_from_this()] {
    self->scheduled_ = false;
    self->advance();
  });
}

void HttpConnection::advance() {
  auto keep = shared_from_this();  // close() must not free this while it runs
  reads_this_turn_ = 0;
  try {
    for (;;) {
      bool progressed = false;
      switch (state_) {
        case State::kHandshake:
          progressed = stepHandshake();
          break;
        case State::kIdle:
        case State::kHead:
          progressed = readHead();
          break;
        case State::kBody:
          progressed = readBody();
          break;
        case State::kWriting:
          progressed = writeOut();
          break;
        case State::kLingering:
          progressed = linger();
          break;
        case State::kAdmitting:
        case State::kHandling:
        case State::kDelaying:
        case State::kClosed:
          return;
      }
      if (!progressed) return;
    }
  } catch (const std::exception& e) {
    util::logError("connection failed", {{"remote", remote_address_}, {"err", e.what()}});
    close();
  }
}

std::optional<net::IoResult> HttpConnection::readNow(bool raw) {
  if (!readable_ || !takeReadTurn()) return std::nullopt;
  net::IoResult result = raw ? transport_->drainRaw(scratch(), kScratchSize)
                             : transport_->read(scratch(), kScratchSize);
  if (result.status == net::IoStatus::kWouldBlock) {
    readable_ = false;
    return std::nullopt;
  }
  if (result.status == net::IoStatus::kOk && result.drained) readable_ = false;
  return result;
}

bool HttpConnection::takeReadTurn() {
  if (++reads_this_turn_ <= kReadsPerTurn) return true;
  schedule();  // the others first; this one continues on the next turn
  return false;
}

bool HttpConnection::stepHandshake() {
  auto result = transport_->handshake();
  switch (result.status) {
    case net::IoStatus::kOk:
      tls_peer_ = tlsPeerOf(static_cast<net::TlsTransport*>(transport_.get())->peerCertificate());
      state_ = State::kIdle;
      idle_since_ = loop_.now();
      setDeadline(loop_.now() + ctx_.limits.read_header_timeout);
      return true;
    case net::IoStatus::kWouldBlock:
      return false;
    case net::IoStatus::kClosed:
    case net::IoStatus::kError:
      break;
  }
  auto* tls = static_cast<net::TlsTransport*>(transport_.get());
  if (tls->plainHttp()) {
    util::logDebug("plain HTTP request on a TLS port", {{"remote", remote_address_}});
    transport_->writeRaw(kPlainHttpOnTls, sizeof kPlainHttpOnTls - 1);
    // Half-close and read what the client still sends, so that it reads the answer before
    // the connection is gone.
    transport_->shutdownRawWrite();
    state_ = State::kLingering;
    linger_left_ = ctx_.limits.linger_bytes;
    linger_received_ = 0;
    body_start_ = loop_.now();
    setDeadline(bodyDeadline());
    return true;
  }
  close();
  return true;
}

bool HttpConnection::readHead() {
  for (;;) {
    if (!in_.empty()) {
      switch (parser_.parse(in_)) {
        case wire::RequestHeadParser::Status::kDone:
          onHead();
          return true;
        case wire::RequestHeadParser::Status::kError:
          protocolError(parser_.error());
          return true;
        case wire::RequestHeadParser::Status::kNeedMore:
          break;
      }
    }
    auto read = readNow(false);
    if (!read) return false;
    const net::IoResult& result = *read;
    if (result.status != net::IoStatus::kOk) {
      // The client went away between requests or in the middle of a head (Go closes
      // silently too).
      close();
      return true;
    }
    if (state_ == State::kIdle) {
      state_ = State::kHead;
      setDeadline(loop_.now() + ctx_.limits.read_header_timeout);
    }
    in_.append(scratch(), result.bytes);
  }
}

void HttpConnection::onHead() {
  const wire::RequestHead& head = parser_.head();
  keep_alive_ = head.keep_alive && !ctx_.stopping.load(std::memory_order_relaxed);
  // Without a body, what follows the head is the next request (pipelining); with one, the
  // body framer finds where it ends.
  if (head.framing == wire::Framing::kNone) next_.assign(in_, parser_.headSize());
  request_.method = head.method;
  request_.target = head.target;
  TargetParts parts = splitTarget(head.target);
  request_.path = parts.path;
  request_.query = parts.query;
  request_.headers.clear();
  const std::string_view data(in_);
  for (const auto& f : parser_.fields()) {
    request_.headers.push_back(
        {data.substr(f.name_begin, f.name_size), data.substr(f.value_begin, f.value_size)});
  }
  request_.remote_address = remote_address_;
  request_.tls = tls_ ? &tls_peer_ : nullptr;
  request_.body.clear();
  request_.match = ctx_.router.match(request_.method, request_.path, request_.query);
  if (request_.match.kind == RouteMatch::Kind::kBadRequest) {
    // Go's server refuses a target its URL parser refuses before any handler runs.
    protocolError({400, {}, "malformed request target"});
    return;
  }
  if (head.expect_unsupported) {
    Response answer;
    answer.send(417);
    respond(std::move(answer), true, head.framing != wire::Framing::kNone);
    return;
  }
  route_ = request_.match.kind == RouteMatch::Kind::kHandler
               ? ctx_.routes.find(request_.match.route, request_.method)
               : nullptr;
  std::optional<auth::RouteKind> kind = route_ ? route_->right : std::nullopt;
  std::string job;
  if (ctx_.admission.rightsConfigured() &&
      (kind == auth::RouteKind::kPush || kind == auth::RouteKind::kDelete)) {
    job = jobOf(request_.match);
  }
  auth_view_.method = request_.method;
  auth_view_.path = request_.target;
  auth_view_.headers.clear();
  for (const auto& field : request_.headers)
    auth_view_.headers.emplace_back(field.name, field.value);
  auth_view_.remote_address = remote_address_;
  auth_view_.tls_peer_subject = tls_peer_.subject;
  auth_view_.tls_flags = tls_peer_.flags;
  if (auto decision = ctx_.admission.quickDecision(auth_view_, kind, job)) {
    onAdmitted(*decision);
    return;
  }
  // bcrypt or an auth plugin has to run: on a thread, while the connection waits without one.
  state_ = State::kAdmitting;
  deadline_ = {};
  net::WorkerPool& pool =
      ctx_.admission.familiarCredentials(auth_view_) ? ctx_.handlers : ctx_.credential_checks;
  pool.submit([self = shared_from_this(), kind, job = std::move(job)] {
    auth::Decision decision;
    try {
      decision = self->ctx_.admission.decide(self->auth_view_, kind, job);
    } catch (const std::exception& e) {
      util::logError("credential check failed", {{"err", e.what()}});
      decision.status = 500;
    }
    self->loop_.post([self, decision] {
      if (self->state_ != State::kAdmitting) return;  // closed while waiting
      self->onAdmitted(decision);
      self->advance();
    });
  });
}

void HttpConnection::onAdmitted(const auth::Decision& decision) {
  const wire::RequestHead& head = parser_.head();
  const bool has_body = head.framing != wire::Framing::kNone;
  web_headers_ = ctx_.admission.responseHeaders();
  if (decision.status != 0) {
    countRefusedPush(decision.status);
    // Refused before any body byte was read: the body stays unread, so the connection closes
    // after the answer, lingering so that the client reads the answer instead of a reset.
    Response answer;
    if (decision.status == 401) {
      if (!decision.challenge.empty()) answer.setHeader("WWW-Authenticate", decision.challenge);
      answer.sendError(401, "Unauthorized");
    } else if (decision.status == 403) {
      answer.sendError(403, "Forbidden");
    } else {
      answer.sendError(500, "internal server error");
    }
    if (decision.delay.count() > 0) {
      delayed_ = std::move(answer);
      delayed_close_ = has_body;
      state_ = State::kDelaying;
      setDeadline(loop_.now() + decision.delay);
      return;
    }
    addWebHeaders(answer);
    respond(std::move(answer), has_body, has_body);
    return;
  }
  if (decision.identity.empty()) {
    request_.identity.reset();
  } else {
    request_.identity = decision.identity;
  }
  if (!has_body) {
    dispatchRequest();
    return;
  }
  const size_t limit = ctx_.limits.max_body_bytes;
  if (head.framing == wire::Framing::kContentLength && head.content_length > limit) {
    refuseBody(413, codec::tooLargeError(limit), true);
    return;
  }
  // With "auth", router answers (404, 405, redirects) need no right, so their bodies are never
  // read or decompressed: anyone could make the server do that work otherwise.
  if (request_.match.kind != RouteMatch::Kind::kHandler && ctx_.admission.rightsConfigured()) {
    Response answer;
    dispatch(ctx_.routes, ctx_.telemetry, request_, answer);
    addWebHeaders(answer);
    respond(std::move(answer), true, true);
    return;
  }
  // Pushgateway decompresses bodies for its main router only (see RouteMatch::main_router).
  codec::Encoding encoding = request_.match.main_router
                                 ? codec::parseContentEncoding(request_.header("Content-Encoding"))
                                 : codec::Encoding::kIdentity;
  decoder_ = codec::makeStreamDecoder(encoding, limit);
  if (encoding == codec::Encoding::kIdentity && head.framing == wire::Framing::kContentLength) {
    decoder_->output().reserve(static_cast<size_t>(head.content_length));
  }
  framer_ = head.framing == wire::Framing::kChunked
                ? wire::BodyFramer::chunked()
                : wire::BodyFramer::contentLength(head.content_length);
  undecoded_.clear();
  read_body_ = true;
  state_ = State::kBody;
  body_start_ = loop_.now();
  setDeadline(bodyDeadline());
  if (head.expect_continue) {
    // Only now, when the body will be read: a refused request never invites its body.
    iovec iov{const_cast<char*>(kContinue), sizeof kContinue - 1};
    transport_->write(&iov, 1);
    transport_->flush();
  }
  feedBody(std::string_view(in_).substr(parser_.headSize()));
}

void HttpConnection::dispatchRequest() {
  const Route* route = route_;
  // The web config's headers are set before the handler runs, as the exporter-toolkit does:
  // a handler may replace them or leave an operator's value alone.
  Response answer;
  addWebHeaders(answer);
  if (route == nullptr || route->quick) {
    // Router answers and quick handlers are answered right here, without a thread hand-off.
    dispatch(route, ctx_.telemetry, request_, answer);
    onResponse(std::move(answer));
    return;
  }
  state_ = State::kHandling;
  deadline_ = {};
  ctx_.handlers.submit([self = shared_from_this(), route, answer = std::move(answer)]() mutable {
    dispatch(route, self->ctx_.telemetry, self->request_, answer);
    self->loop_.post([self, answer = std::move(answer)]() mutable {
      self->onResponse(std::move(answer));
      self->advance();
    });
  });
}

HttpConnection::Clock::time_point HttpConnection::bodyDeadline() const {
  // The base timeout, plus a second for every body_min_rate bytes that arrived: a slow but
  // steady upload goes on, a trickle of a few bytes now and then does not.
  uint64_t received = state_ == State::kLingering ? linger_received_ : framer_.received();
  auto extra = std::chrono::seconds(received / std::max<uint64_t>(ctx_.limits.body_min_rate, 1));
  return body_start_ + ctx_.limits.read_body_timeout + extra;
}

void HttpConnection::setDeadline(Clock::time_point deadline) {
  deadline_ = deadline;
  loop_.wakeAt(deadline);
}

void HttpConnection::checkDeadline(Clock::time_point now) {
  if (state_ == State::kClosed || deadline_ == Clock::time_point{} || now < deadline_) return;
  switch (state_) {
    case State::kDelaying: {
      Response answer = std::move(delayed_);
      addWebHeaders(answer);
      respond(std::move(answer), delayed_close_, delayed_close_);
      advance();
      return;
    }
    case State::kHead:
    case State::kBody:
      util::logWarn("request timed out",
                    {{"remote", remote_address_},
                     {"while", state_ == State::kHead ? "reading the head" : "reading the body"}});
      writeRaw(wire::protocolErrorResponse({408, {}, "request timed out"}), false);
      advance();
      return;
    case State::kHandshake:
    case State::kIdle:
    case State::kWriting:
    case State::kLingering:
      close();
      return;
    case State::kAdmitting:
    case State::kHandling:
    case State::kClosed:
      return;
  }
}

void HttpConnection::stop() {
  switch (state_) {
    case State::kAdmitting:
    case State::kHandling:
    case State::kWriting:
      return;  // finishes its answer, then closes (ctx_.stopping)
    default:
      close();
  }
}

void HttpConnection::close() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  deadline_ = {};
  loop_.remove(transport_->fd());
  transport_.reset();
  --ctx_.open_connections;
  out_ = Response();
  out_iov_.clear();
  std::string().swap(in_);
  std::string().swap(next_);
  std::string().swap(request_.body);
  decoder_.reset();
}

}  // namespace ferry::core::http
