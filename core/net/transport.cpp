#include "core/net/transport.h"

#include <openssl/err.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ferry::core::net {
namespace {

// The most TLS sends at once: one full record.
constexpr size_t kTlsRecord = 16384;

bool wouldBlock(int err) { return err == EAGAIN || err == EWOULDBLOCK; }

IoResult sendv(int fd, const iovec* iov, int count) {
  for (;;) {
    msghdr msg{};
    msg.msg_iov = const_cast<iovec*>(iov);
    msg.msg_iovlen = static_cast<size_t>(count);
    ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
    if (n >= 0) return {IoStatus::kOk, static_cast<size_t>(n)};
    if (errno == EINTR) continue;
    if (wouldBlock(errno)) return {IoStatus::kWouldBlock, 0};
    return {IoStatus::kError, 0};
  }
}

}  // namespace

Transport::~Transport() {
  if (fd_ >= 0) ::close(fd_);
}

void Transport::shutdownWrite() { shutdownRawWrite(); }

void Transport::shutdownRawWrite() { ::shutdown(fd_, SHUT_WR); }

IoResult Transport::writeRaw(const char* data, size_t size) {
  iovec iov{const_cast<char*>(data), size};
  return sendv(fd_, &iov, 1);
}

IoResult Transport::drainRaw(char* buffer, size_t capacity) {
  for (;;) {
    ssize_t n = ::recv(fd_, buffer, capacity, 0);
    if (n > 0) return {IoStatus::kOk, static_cast<size_t>(n), static_cast<size_t>(n) < capacity};
    if (n == 0) return {IoStatus::kClosed, 0, true};
    if (errno == EINTR) continue;
    if (wouldBlock(errno)) return {IoStatus::kWouldBlock, 0, true};
    return {IoStatus::kError, 0, true};
  }
}

IoResult PlainTransport::read(char* buffer, size_t capacity) { return drainRaw(buffer, capacity); }

IoResult PlainTransport::write(const iovec* iov, int count) { return sendv(fd_, iov, count); }

TlsTransport::TlsTransport(int fd, SSL_CTX* context) : Transport(fd) {
  ssl_ = SSL_new(context);
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd) != 1) {
    if (ssl_) SSL_free(ssl_);
    ERR_clear_error();
    throw std::runtime_error("cannot create a TLS session");
  }
  SSL_set_mode(ssl_, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_set_accept_state(ssl_);
}

TlsTransport::~TlsTransport() { SSL_free(ssl_); }

IoResult TlsTransport::fromError(int ret) {
  int err = SSL_get_error(ssl_, ret);
  ERR_clear_error();
  wants_write_ = err == SSL_ERROR_WANT_WRITE;
  switch (err) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      return {IoStatus::kWouldBlock, 0, true};
    case SSL_ERROR_ZERO_RETURN:
      return {IoStatus::kClosed, 0, true};
    case SSL_ERROR_SYSCALL:
      // errno 0: the peer closed the socket without close_notify.
      return {errno == 0 ? IoStatus::kClosed : IoStatus::kError, 0, true};
    default:
      return {IoStatus::kError, 0, true};
  }
}

IoResult TlsTransport::handshake() {
  if (!started_) {
    // Go's http.Server looks at the first record header: five bytes of a plain HTTP request
    // get "400 Bad Request" in plain text instead of a TLS alert.
    unsigned char head[5];
    ssize_t n = ::recv(fd_, head, sizeof head, MSG_PEEK);
    if (n == 0) return {IoStatus::kClosed, 0, true};
    if (n < 0) {
      if (errno == EINTR || wouldBlock(errno)) return {IoStatus::kWouldBlock, 0, true};
      return {IoStatus::kError, 0, true};
    }
    if (head[0] != 0x16 && n < 5) return {IoStatus::kWouldBlock, 0, true};  // wait for five
    if (n == 5) {
      static const char* const kPlain[] = {"GET /", "HEAD ", "POST ", "PUT /", "OPTIO"};
      for (const char* prefix : kPlain) {
        if (std::memcmp(head, prefix, 5) == 0) {
          plain_http_ = true;
          return {IoStatus::kError, 0, true};
        }
      }
    }
    started_ = true;
  }
  ERR_clear_error();
  int ret = SSL_do_handshake(ssl_);
  if (ret != 1) return fromError(ret);
  wants_write_ = false;
  return {};
}

IoResult TlsTransport::read(char* buffer, size_t capacity) {
  ERR_clear_error();
  int n = SSL_read(ssl_, buffer, static_cast<int>(capacity > INT32_MAX ? INT32_MAX : capacity));
  if (n > 0) {
    wants_write_ = false;
    return {IoStatus::kOk, static_cast<size_t>(n), false};
  }
  return fromError(n);
}

IoResult TlsTransport::flush() {
  while (!staged_.empty()) {
    ERR_clear_error();
    int n = SSL_write(ssl_, staged_.data(), static_cast<int>(staged_.size()));
    if (n <= 0) return fromError(n);
    wants_write_ = false;
    staged_.erase(0, static_cast<size_t>(n));
  }
  return {};
}

IoResult TlsTransport::write(const iovec* iov, int count) {
  IoResult pending = flush();
  if (pending.status != IoStatus::kOk) return pending;
  // Small pieces are gathered into one record: one SSL_write per piece would make one record
  // (and one send) per scrape line run.
  size_t taken = 0;
  for (int i = 0; i < count && staged_.size() < kTlsRecord; ++i) {
    size_t n = std::min(iov[i].iov_len, kTlsRecord - staged_.size());
    staged_.append(static_cast<const char*>(iov[i].iov_base), n);
    taken += n;
    if (n < iov[i].iov_len) break;
  }
  IoResult sent = flush();
  if (sent.status == IoStatus::kWouldBlock || sent.status == IoStatus::kOk) {
    return {IoStatus::kOk, taken};
  }
  return sent;
}

void TlsTransport::shutdownWrite() {
  ERR_clear_error();
  SSL_shutdown(ssl_);  // close_notify, best effort: the socket is half-closed right after
  ERR_clear_error();
  Transport::shutdownWrite();
}

}  // namespace ferry::core::net
