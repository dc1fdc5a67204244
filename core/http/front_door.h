#pragma once

#include <Poco/Net/Context.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/config/options.h"
#include "core/http/connection_context.h"
#include "core/net/event_loop.h"
#include "core/net/listener.h"
#include "core/net/worker_pool.h"
#include "core/web/web_config_watcher.h"

namespace ferry::core::http {

class HttpConnection;

struct FrontDoorOptions {
  std::vector<std::string> listen_addresses;  // Go syntax: ":9091", "127.0.0.1:0", "[::1]:9091"
  // Event-loop threads (connection I/O): 0 means one per CPU this process may run on, at most 4.
  unsigned io_threads = 0;
  // Threads that run handlers that may block (pushes, scrapes, the API): the most requests
  // handled at once; more wait for a thread without holding one.
  unsigned handler_threads = 64;
  // Threads that check credentials never seen before (bcrypt, auth plugins).
  unsigned credential_threads = 2;
  // Open connections at most; 0: as many as the open-file limit allows. At the limit the
  // longest-idle keep-alive connection is closed for a new one.
  size_t max_connections = 0;
  FrontDoorLimits limits;
  // --web.config.file: serve HTTPS when it configures TLS. Must outlive the front door.
  web::WebConfigWatcher* web_config = nullptr;
};

// The limits the options set (--push.max-body-bytes=0 becomes kBodyCeiling).
FrontDoorLimits limitsFrom(const config::Options& options);

// The HTTP/1.1 server: a few event loops own every connection's I/O (idle and slow clients
// cost a buffer, not a thread), complete and admitted requests go to a bounded pool of handler
// threads, quick answers are given on the loop. Poco provides the listening sockets and the
// TLS context; requests are parsed by core/wire.
class FrontDoor {
 public:
  FrontDoor(const Router& router, const RouteTable& routes, telemetry::Telemetry& telemetry,
            auth::Admission& admission, FrontDoorOptions options);
  ~FrontDoor();
  FrontDoor(const FrontDoor&) = delete;
  FrontDoor& operator=(const FrontDoor&) = delete;

  // Binds every address (throws with the address on failure) and starts serving.
  void start();
  // Stops accepting, closes idle connections, lets requests in flight finish and be answered
  // (at most about 10 s), then stops.
  void stop();
  // "host:port" actually bound, in listen order (resolves port 0).
  std::vector<std::string> boundAddresses() const;

 private:
  struct Loop;
  class Acceptor;

  void acceptFrom(Loop& loop, net::Listener& listener);
  void sweep(Loop& loop, net::EventLoop::Clock::time_point now);
  void pauseAccepting(Loop& loop);
  void resumeAccepting(Loop& loop);

  FrontDoorOptions options_;
  Poco::Net::Context::Ptr tls_;
  std::vector<std::unique_ptr<net::Listener>> listeners_;
  // Destroyed in reverse order: the pools are joined first, while the loops their tasks post
  // to and the context they read still exist.
  std::unique_ptr<ConnectionContext> context_;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::unique_ptr<net::WorkerPool> handlers_;
  std::unique_ptr<net::WorkerPool> credential_checks_;
  const Router& router_;
  const RouteTable& routes_;
  telemetry::Telemetry& telemetry_;
  auth::Admission& admission_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace ferry::core::http
