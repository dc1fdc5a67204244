// Real redis-server and redis-sentinel processes for tests: each on a free 127.0.0.1 port, in
// its own temporary directory, started as a child that dies with the test process, and killed
// by PID (never by name). Tests use it to run the redis plugin against a real server, to stop,
// restart and kill that server, and to build a primary + replica + sentinels for failover.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace ferry::test {

class RedisProcess {
 public:
  // A redis-server with `settings` as extra name/value pairs, e.g. {"requirepass", "pw",
  // "replicaof", "127.0.0.1 6379"} (a value of several words is several arguments).
  // Defaults: no RDB saves, AOF on with appendfsync always, so a restart loses nothing.
  static std::unique_ptr<RedisProcess> server(std::vector<std::string> settings = {});
  // A redis-sentinel watching `master_name` at 127.0.0.1:master_port, with quorum `quorum`,
  // down-after 1 s and failover-timeout 3 s (fast failovers for tests).
  static std::unique_ptr<RedisProcess> sentinel(const std::string& master_name, int master_port,
                                                int quorum);
  ~RedisProcess();  // SIGKILL by PID, then removes the directory
  RedisProcess(const RedisProcess&) = delete;
  RedisProcess& operator=(const RedisProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  bool running() const { return pid_ > 0; }

  // SIGTERM (a clean shutdown) and wait; SIGKILL (a crash) and wait.
  void stop();
  void kill9();
  // SIGSTOP / SIGCONT: a server that neither answers nor closes connections.
  void pause();
  void resume();
  // Starts it again on the same port, directory and settings (after stop or kill9); waits
  // until it answers PING.
  void start();

  // Runs one command (the password, if any, is sent first) and returns the reply as text:
  // strings, statuses and integers as they are, "(nil)", "(error) MESSAGE", and arrays as their
  // elements' text joined by '\n'. Throws std::runtime_error if the server cannot be reached.
  std::string call(const std::vector<std::string>& args) const;
  // The same through a new connection that reports failure as "(unreachable) ...".
  std::string tryCall(const std::vector<std::string>& args) const;

  // The server's log, for failure messages.
  std::string log() const;

 private:
  RedisProcess() = default;
  void launch();
  void waitUntilAnswering();

  std::string binary_;
  std::vector<std::string> argv_;  // after the binary
  std::string password_;
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A free TCP port on 127.0.0.1 (bound once and released; the caller binds it soon after).
int freePort();

}  // namespace ferry::test
