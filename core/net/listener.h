#pragma once

#include <Poco/Net/ServerSocket.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <utility>

namespace ferry::core::net {

// Splits a Go listen address (":9091", "127.0.0.1:0", "[::1]:9091") into host and port; throws
// std::invalid_argument.
std::pair<std::string, uint16_t> splitListenAddress(const std::string& address);

// A listening socket (Poco's ServerSocket), non-blocking, accepted from by the event loops.
class Listener {
 public:
  // Binds without SO_REUSEPORT and listens; throws std::runtime_error naming the address.
  explicit Listener(const std::string& address);

  int fd() const;
  // "host:port" actually bound (resolves port 0).
  std::string boundAddress() const;

  // One pending connection: its descriptor (non-blocking, close-on-exec, TCP_NODELAY) and the
  // peer's "host:port", or -1 with errno set (EAGAIN when none is waiting).
  int accept(std::string& peer);

 private:
  Poco::Net::ServerSocket socket_;
};

// Raises the soft limit of open files to the hard limit, as Go does at start, so that many
// connections fit. Returns the soft limit in effect.
uint64_t raiseOpenFileLimit();

}  // namespace ferry::core::net
