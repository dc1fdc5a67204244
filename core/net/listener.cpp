#include "core/net/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace ferry::core::net {
namespace {

Poco::Net::ServerSocket bindSocket(const std::string& address) {
  auto [host, port] = splitListenAddress(address);
  Poco::Net::ServerSocket socket;
  // Binds without SO_REUSEPORT (Poco's convenience constructor sets it, and then a second
  // Ferry on the same port would silently share the traffic instead of failing).
  try {
    if (host.empty()) {
      try {
        socket.bind6(Poco::Net::SocketAddress(
                         Poco::Net::IPAddress::wildcard(Poco::Net::IPAddress::IPv6), port),
                     true, false, false);
      } catch (const Poco::Exception&) {
        socket = Poco::Net::ServerSocket();
        socket.bind(Poco::Net::SocketAddress(port), true, false);
      }
    } else {
      socket.bind(Poco::Net::SocketAddress(host, port), true, false);
    }
    socket.listen(4096);
    socket.setBlocking(false);
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + address + ": " + e.displayText());
  }
  return socket;
}

std::string formatPeer(const sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = {0};
  if (addr.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(in->sin_port));
  }
  if (addr.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    return "[" + std::string(text) + "]:" + std::to_string(ntohs(in6->sin6_port));
  }
  return "unknown";
}

}  // namespace

std::pair<std::string, uint16_t> splitListenAddress(const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    throw std::invalid_argument("listen address \"" + address + "\" has no port (want host:port)");
  }
  std::string host = address.substr(0, colon);
  std::string port_text = address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned long port = 0;
  try {
    size_t used = 0;
    port = std::stoul(port_text, &used);
    if (used != port_text.size() || port > 65535) throw std::out_of_range("port");
  } catch (const std::exception&) {
    throw std::invalid_argument("listen address \"" + address + "\" has an invalid port");
  }
  return {host, static_cast<uint16_t>(port)};
}

Listener::Listener(const std::string& address) : socket_(bindSocket(address)) {}

int Listener::fd() const { return socket_.impl()->sockfd(); }

std::string Listener::boundAddress() const { return socket_.address().toString(); }

int Listener::accept(std::string& peer) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  int fd;
  do {
    fd = ::accept4(this->fd(), reinterpret_cast<sockaddr*>(&addr), &len,
                   SOCK_NONBLOCK | SOCK_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return -1;
  // As Go's net package: no Nagle delay, and TCP keep-alive probes find dead peers.
  int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  int idle = 15;
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &idle, sizeof idle);
  peer = formatPeer(addr);
  return fd;
}

uint64_t raiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur;
}

}  // namespace ferry::core::net
