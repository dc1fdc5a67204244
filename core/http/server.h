#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/http/app_context.h"
#include "core/web/web_config_watcher.h"

namespace ferry::core::http {

struct ServerOptions {
  std::vector<std::string> listen_addresses;  // Go syntax: ":9091", "127.0.0.1:0", "[::1]:9091"
  unsigned max_threads = 128;                 // = concurrent connections served
  std::chrono::seconds keep_alive_timeout{15};
  // --web.config.file: serve HTTPS when it configures TLS. Must outlive the server.
  web::WebConfigWatcher* web_config = nullptr;
};

// Splits a Go listen address into host and port; throws std::invalid_argument.
std::pair<std::string, uint16_t> splitListenAddress(const std::string& address);

// The Poco HTTP servers, one per listen address, sharing one thread pool. Poco serves each
// connection on its own thread and an idle keep-alive connection keeps its thread, so the pool
// is sized to the number of connections to serve; idle ones are closed after the keep-alive
// timeout.
class Server {
 public:
  Server(AppContext& context, ServerOptions options);
  ~Server();

  // Binds every address (throws with the address on failure) and starts serving.
  void start();
  // Stops accepting, lets running requests finish.
  void stop();
  // "host:port" actually bound, in listen order (resolves port 0).
  std::vector<std::string> boundAddresses() const;

 private:
  AppContext& context_;
  ServerOptions options_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::vector<std::unique_ptr<Poco::Net::HTTPServer>> servers_;
  std::vector<std::string> bound_;
};

}  // namespace ferry::core::http
