#include "core/http/front_door.h"

#include <sched.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "core/http/http_connection.h"
#include "core/util/log.h"
#include "core/web/tls_server_context.h"

namespace ferry::core::http {

namespace {

constexpr auto kAcceptPause = std::chrono::milliseconds(100);
constexpr auto kStopGrace = std::chrono::seconds(10);
constexpr int kAcceptsPerEvent = 64;

unsigned defaultIoThreads() {
  cpu_set_t set;
  CPU_ZERO(&set);
  unsigned cpus = 1;
  if (sched_getaffinity(0, sizeof set, &set) == 0) cpus = static_cast<unsigned>(CPU_COUNT(&set));
  return std::max(1u, std::min(cpus, 4u));
}

}  // namespace

FrontDoorLimits limitsFrom(const config::Options& o) {
  FrontDoorLimits l;
  l.max_header_bytes = o.max_header_bytes;
  l.max_body_bytes = o.max_body_bytes == 0 ? kBodyCeiling : o.max_body_bytes;
  auto ms = [](std::chrono::nanoseconds d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d);
  };
  l.read_header_timeout = ms(o.read_header_timeout);
  l.read_body_timeout = ms(o.read_body_timeout);
  l.body_min_rate = o.read_body_min_rate;
  l.keep_alive_timeout = ms(o.keep_alive_timeout);
  l.write_timeout = ms(o.write_timeout);
  l.tls_handshake_timeout = ms(o.tls_handshake_timeout);
  return l;
}

// An event loop, its thread and the connections it owns.
struct FrontDoor::Loop {
  net::EventLoop loop;
  std::thread thread;
  std::vector<std::shared_ptr<HttpConnection>> connections;
  std::vector<std::unique_ptr<Acceptor>> acceptors;
  bool accepting = false;
  net::EventLoop::Clock::time_point resume_at{};
};

// Reports a listener's readiness to its loop (each loop watches every listener; the kernel
// wakes one of them per connection).
class FrontDoor::Acceptor : public net::EventLoop::Watcher {
 public:
  Acceptor(FrontDoor& door, Loop& loop, net::Listener& listener)
      : door_(door), loop_(loop), listener_(listener) {}
  void onEvents(uint32_t) override { door_.acceptFrom(loop_, listener_); }
  net::Listener& listener() { return listener_; }

 private:
  FrontDoor& door_;
  Loop& loop_;
  net::Listener& listener_;
};

FrontDoor::FrontDoor(const Router& router, const RouteTable& routes,
                     telemetry::Telemetry& telemetry, auth::Admission& admission,
                     FrontDoorOptions options)
    : options_(std::move(options)),
      router_(router),
      routes_(routes),
      telemetry_(telemetry),
      admission_(admission) {}

FrontDoor::~FrontDoor() { stop(); }

void FrontDoor::start() {
  if (options_.web_config && options_.web_config->tlsEnabled()) {
    tls_ = web::makeServerContext(*options_.web_config);
  }
  for (const auto& address : options_.listen_addresses) {
    listeners_.push_back(std::make_unique<net::Listener>(address));
  }
  handlers_ =
      std::make_unique<net::WorkerPool>(std::max(1u, options_.handler_threads), "ferry-handler");
  credential_checks_ =
      std::make_unique<net::WorkerPool>(std::max(1u, options_.credential_threads), "ferry-auth");
  context_ = std::unique_ptr<ConnectionContext>(new ConnectionContext{
      router_, routes_, telemetry_, admission_, *handlers_, *credential_checks_, options_.limits});
  unsigned io_threads = options_.io_threads == 0 ? defaultIoThreads() : options_.io_threads;
  for (unsigned i = 0; i < io_threads; ++i) {
    auto loop = std::make_unique<Loop>();
    Loop& l = *loop;
    for (auto& listener : listeners_) {
      l.acceptors.push_back(std::make_unique<Acceptor>(*this, l, *listener));
    }
    l.loop.setSweep(std::chrono::seconds(1), std::chrono::milliseconds(20),
                    [this, &l](net::EventLoop::Clock::time_point now) { sweep(l, now); });
    resumeAccepting(l);
    loops_.push_back(std::move(loop));
  }
  for (size_t i = 0; i < loops_.size(); ++i) {
    Loop& l = *loops_[i];
    l.thread = std::thread([&l] { l.loop.run(); });
    std::string name = "ferry-io-" + std::to_string(i);
    pthread_setname_np(l.thread.native_handle(), name.c_str());
  }
  started_ = true;
}

void FrontDoor::resumeAccepting(Loop& loop) {
  if (loop.accepting) return;
  // Level-triggered and exclusive: one loop is woken per waiting connection, and a loop that
  // does not accept at once is told again.
  for (auto& acceptor : loop.acceptors) {
    loop.loop.add(acceptor->listener().fd(), EPOLLIN | EPOLLEXCLUSIVE, acceptor.get());
  }
  loop.accepting = true;
}

void FrontDoor::pauseAccepting(Loop& loop) {
  if (!loop.accepting) return;
  for (auto& acceptor : loop.acceptors) loop.loop.remove(acceptor->listener().fd());
  loop.accepting = false;
  loop.resume_at = loop.loop.now() + kAcceptPause;
  loop.loop.wakeAt(loop.resume_at);
}

void FrontDoor::acceptFrom(Loop& loop, net::Listener& listener) {
  for (int i = 0; i < kAcceptsPerEvent && loop.accepting; ++i) {
    if (options_.max_connections > 0 &&
        context_->open_connections.load(std::memory_order_relaxed) >= options_.max_connections) {
      // Full: the longest-idle keep-alive connection of this loop makes room (a client may
      // always reconnect an idle connection); if none is idle, wait.
      std::shared_ptr<HttpConnection> oldest;
      for (auto& c : loop.connections) {
        if (c->idle() && (!oldest || c->idleSince() < oldest->idleSince())) oldest = c;
      }
      if (!oldest) {
        pauseAccepting(loop);
        return;
      }
      oldest->stop();
    }
    std::string peer;
    int fd = listener.accept(peer);
    if (fd < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        util::logWarn("cannot accept connections: out of file descriptors; pausing",
                      {{"open_connections", std::to_string(context_->open_connections.load())}});
        pauseAccepting(loop);
      }
      return;  // ECONNABORTED and the like: the next event tries again
    }
    std::unique_ptr<net::Transport> transport;
    try {
      if (tls_) {
        transport = std::make_unique<net::TlsTransport>(fd, tls_->sslContext());
      } else {
        transport = std::make_unique<net::PlainTransport>(fd);
      }
    } catch (const std::exception& e) {
      ::close(fd);
      util::logError("cannot set up a connection", {{"remote", peer}, {"err", e.what()}});
      continue;
    }
    auto connection = std::make_shared<HttpConnection>(*context_, loop.loop, std::move(transport),
                                                       std::move(peer), tls_ != nullptr);
    loop.connections.push_back(connection);
    try {
      connection->start();
    } catch (const std::exception& e) {
      util::logError("cannot start a connection", {{"err", e.what()}});
      connection->stop();
    }
  }
}

void FrontDoor::sweep(Loop& loop, net::EventLoop::Clock::time_point now) {
  auto& connections = loop.connections;
  size_t kept = 0;
  for (size_t i = 0; i < connections.size(); ++i) {
    connections[i]->checkDeadline(now);
    if (!connections[i]->closed()) connections[kept++] = std::move(connections[i]);
  }
  connections.resize(kept);
  if (!loop.accepting && !context_->stopping.load() && now >= loop.resume_at) {
    resumeAccepting(loop);
  }
}

void FrontDoor::stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  context_->stopping.store(true);
  for (auto& l : loops_) {
    Loop* loop = l.get();
    loop->loop.post([this, loop] {
      pauseAccepting(*loop);
      for (auto& c : loop->connections) c->stop();
    });
  }
  // Requests in flight are answered; idle connections are already closed.
  auto deadline = std::chrono::steady_clock::now() + kStopGrace;
  while (context_->open_connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& l : loops_) l->loop.stop();
  for (auto& l : loops_) {
    if (l->thread.joinable()) l->thread.join();
  }
  // Handlers still running finish before their connections and loops go away.
  credential_checks_.reset();
  handlers_.reset();
  for (auto& l : loops_) l->connections.clear();
}

std::vector<std::string> FrontDoor::boundAddresses() const {
  std::vector<std::string> out;
  for (const auto& listener : listeners_) out.push_back(listener->boundAddress());
  return out;
}

}  // namespace ferry::core::http
