#include "core/http/server.h"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>

#include <stdexcept>

#include "core/http/request_handler.h"
#include "core/http/tls_server_context.h"

namespace ferry::core::http {

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

namespace {

// Binds without SO_REUSEPORT (Poco's convenience constructor sets it, and then a second Ferry
// on the same port would silently share the traffic instead of failing).
// With a TLS context the socket is a SecureServerSocket: it accepts TLS connections and the
// handshake runs on the connection's thread.
Poco::Net::ServerSocket newSocket(const Poco::Net::Context::Ptr& tls) {
  if (tls) return Poco::Net::SecureServerSocket(tls);
  return Poco::Net::ServerSocket();
}

Poco::Net::ServerSocket bindSocket(const std::string& address, const Poco::Net::Context::Ptr& tls) {
  auto [host, port] = splitListenAddress(address);
  Poco::Net::ServerSocket socket = newSocket(tls);
  try {
    if (host.empty()) {
      try {
        socket.bind6(Poco::Net::SocketAddress(
                         Poco::Net::IPAddress::wildcard(Poco::Net::IPAddress::IPv6), port),
                     true, false, false);
      } catch (const Poco::Exception&) {
        socket = newSocket(tls);
        socket.bind(Poco::Net::SocketAddress(port), true, false);
      }
    } else {
      socket.bind(Poco::Net::SocketAddress(host, port), true, false);
    }
    socket.listen(1024);
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + address + ": " + e.displayText());
  }
  return socket;
}

}  // namespace

Server::Server(AppContext& context, ServerOptions options)
    : context_(context), options_(std::move(options)) {}

Server::~Server() { stop(); }

void Server::start() {
  int threads = static_cast<int>(options_.max_threads);
  // Pool max == maxThreads: a smaller pool silently caps the connections served.
  pool_ = std::make_unique<Poco::ThreadPool>(
      2, threads * static_cast<int>(options_.listen_addresses.size()), 60, 0);
  Poco::Net::Context::Ptr tls;
  if (options_.web_config && options_.web_config->tlsEnabled()) {
    tls = makeServerContext(*options_.web_config);
  }
  for (const auto& address : options_.listen_addresses) {
    Poco::Net::ServerSocket socket = bindSocket(address, tls);
    auto* params = new Poco::Net::HTTPServerParams();
    params->setMaxThreads(threads);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);
    params->setKeepAliveTimeout(Poco::Timespan(options_.keep_alive_timeout.count(), 0));
    params->setTimeout(Poco::Timespan(60, 0));
    bound_.push_back(socket.address().toString());
    servers_.push_back(std::make_unique<Poco::Net::HTTPServer>(new RequestHandlerFactory(context_),
                                                               *pool_, socket, params));
  }
  for (auto& server : servers_) server->start();
}

void Server::stop() {
  for (auto& server : servers_) server->stopAll(false);
  servers_.clear();
  if (pool_) pool_->joinAll();
}

std::vector<std::string> Server::boundAddresses() const { return bound_; }

}  // namespace ferry::core::http
