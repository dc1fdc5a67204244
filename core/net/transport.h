#pragma once

#include <openssl/ssl.h>
#include <sys/uio.h>

#include <cstddef>
#include <memory>
#include <string>

// A connection's byte stream over a non-blocking socket: plain TCP, or TLS with OpenSSL on the
// SSL_CTX of the server's Poco context. Owned and used by one event-loop thread.
namespace ferry::core::net {

enum class IoStatus {
  kOk,          // `bytes` moved
  kWouldBlock,  // nothing now; wait for the socket
  kClosed,      // the peer closed (EOF, TLS close_notify)
  kError,       // reset, protocol error: the connection is finished
};

struct IoResult {
  IoStatus status = IoStatus::kOk;
  size_t bytes = 0;
  // kOk read: the socket is known to be drained (a short plain read), so an edge-triggered
  // reader may wait for the next event.
  bool drained = false;
};

class Transport {
 public:
  explicit Transport(int fd) : fd_(fd) {}
  virtual ~Transport();  // closes the socket
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  int fd() const { return fd_; }

  // Brings the stream up (the TLS handshake); kOk once done. kWouldBlock: call again when the
  // socket is readable (or writable, see wantsWrite()).
  virtual IoResult handshake() { return {}; }
  virtual IoResult read(char* buffer, size_t capacity) = 0;
  // Takes bytes from `iov`; `bytes` says how many were taken. TLS may take bytes it has not
  // sent yet: flush() sends them.
  virtual IoResult write(const iovec* iov, int count) = 0;
  // Sends what write() took but could not send yet; kOk when nothing is left.
  virtual IoResult flush() { return {}; }
  // The last kWouldBlock was waiting for the socket to become writable (TLS may need to
  // write while reading and the other way round).
  virtual bool wantsWrite() const { return false; }
  // Half-close: no more bytes from us (TLS: close_notify first). Reading still works on the
  // raw socket through drainRaw().
  virtual void shutdownWrite();
  // Reads and discards raw bytes (lingering close); like read().
  IoResult drainRaw(char* buffer, size_t capacity);
  // Writes bytes on the socket itself, bypassing TLS (the plain-HTTP answer on a TLS port).
  IoResult writeRaw(const char* data, size_t size);
  // Half-closes the socket itself, bypassing TLS.
  void shutdownRawWrite();

 protected:
  int fd_;
};

// Plain TCP.
class PlainTransport : public Transport {
 public:
  using Transport::Transport;
  IoResult read(char* buffer, size_t capacity) override;
  IoResult write(const iovec* iov, int count) override;
};

// TLS over the socket, server side.
class TlsTransport : public Transport {
 public:
  // Throws std::runtime_error when OpenSSL cannot make the session.
  TlsTransport(int fd, SSL_CTX* context);
  ~TlsTransport() override;

  // Before the first TLS byte: a plain HTTP request ("GET /", "HEAD ", "POST ", "PUT /",
  // "OPTIO" as the first five bytes, Go's test) makes handshake() answer kError with
  // plainHttp() set, so the server can answer it as Go does.
  IoResult handshake() override;
  IoResult read(char* buffer, size_t capacity) override;
  IoResult write(const iovec* iov, int count) override;
  IoResult flush() override;
  bool wantsWrite() const override { return wants_write_; }
  void shutdownWrite() override;
  // The client certificate the handshake received (null without one); lives as long as the
  // transport.
  const X509* peerCertificate() const { return SSL_get0_peer_certificate(ssl_); }
  bool plainHttp() const { return plain_http_; }

 private:
  IoResult fromError(int ret);

  SSL* ssl_ = nullptr;
  bool started_ = false;  // the first bytes were looked at
  bool plain_http_ = false;
  bool wants_write_ = false;
  std::string staged_;  // taken by write(), not yet accepted by SSL_write
};

}  // namespace ferry::core::net
