#include "redis_server.h"

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace ferry::test {

namespace fs = std::filesystem;

namespace {

std::string makeDir(const char* what) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/ferry-" + what + "-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!mkdtemp(buffer.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  return buffer.data();
}

std::string replyText(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      return std::string(r->str, r->len);
    case REDIS_REPLY_ERROR:
      return "(error) " + std::string(r->str, r->len);
    case REDIS_REPLY_INTEGER:
      return std::to_string(r->integer);
    case REDIS_REPLY_NIL:
      return "(nil)";
    case REDIS_REPLY_ARRAY: {
      std::string out;
      for (size_t i = 0; i < r->elements; ++i) {
        if (i) out += '\n';
        out += replyText(r->element[i]);
      }
      return out;
    }
  }
  return "(unknown reply)";
}

}  // namespace

int freePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

std::unique_ptr<RedisProcess> RedisProcess::server(std::vector<std::string> settings) {
  std::unique_ptr<RedisProcess> p(new RedisProcess());
  p->binary_ = "/usr/bin/redis-server";
  p->dir_ = makeDir("redis");
  std::vector<std::string> base{"--bind",
                                "127.0.0.1",
                                "--dir",
                                p->dir_,
                                "--daemonize",
                                "no",
                                "--save",
                                "",
                                "--appendonly",
                                "yes",
                                "--appendfsync",
                                "always",
                                "--logfile",
                                p->dir_ + "/redis.log",
                                "--protected-mode",
                                "no"};
  for (size_t i = 0; i + 1 < settings.size(); i += 2) {
    if (settings[i] == "requirepass") p->password_ = settings[i + 1];
  }
  for (int attempt = 0;; ++attempt) {
    p->port_ = freePort();
    p->argv_ = {"--port", std::to_string(p->port_)};
    p->argv_.insert(p->argv_.end(), base.begin(), base.end());
    for (size_t i = 0; i < settings.size(); ++i) {
      if (i % 2 == 0) {
        p->argv_.push_back("--" + settings[i]);
        continue;
      }
      // A value of several words ("127.0.0.1 6379") is several arguments.
      std::istringstream words(settings[i]);
      std::string word;
      bool any = false;
      while (words >> word) {
        p->argv_.push_back(word);
        any = true;
      }
      if (!any) p->argv_.push_back(settings[i]);
    }
    try {
      p->start();
      return p;
    } catch (const std::exception&) {
      // Another process took the port between freePort() and the bind: try another.
      if (attempt >= 4) throw;
    }
  }
}

std::unique_ptr<RedisProcess> RedisProcess::sentinel(const std::string& master_name,
                                                     int master_port, int quorum) {
  std::unique_ptr<RedisProcess> p(new RedisProcess());
  p->binary_ = "/usr/bin/redis-sentinel";
  p->dir_ = makeDir("sentinel");
  for (int attempt = 0;; ++attempt) {
    p->port_ = freePort();
    std::string conf = p->dir_ + "/sentinel.conf";
    std::ofstream out(conf, std::ios::trunc);
    out << "port " << p->port_ << "\n"
        << "bind 127.0.0.1\n"
        << "daemonize no\n"
        << "protected-mode no\n"
        << "dir " << p->dir_ << "\n"
        << "logfile " << p->dir_ << "/redis.log\n"
        << "sentinel monitor " << master_name << " 127.0.0.1 " << master_port << " " << quorum
        << "\n"
        << "sentinel down-after-milliseconds " << master_name << " 1000\n"
        << "sentinel failover-timeout " << master_name << " 3000\n"
        << "sentinel parallel-syncs " << master_name << " 1\n";
    out.close();
    p->argv_ = {conf};
    try {
      p->start();
      return p;
    } catch (const std::exception&) {
      if (attempt >= 4) throw;
    }
  }
}

RedisProcess::~RedisProcess() {
  if (pid_ > 0) kill9();
  std::error_code ignored;
  if (!dir_.empty() && !std::getenv("FERRY_TESTKIT_KEEP")) fs::remove_all(dir_, ignored);
}

void RedisProcess::launch() {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary_.c_str()));
  for (auto& a : argv_) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t parent = getpid();
  pid_t child = fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    // Dies with the test process, even when that one is killed.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, 0);
      dup2(null, 1);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  pid_ = child;
}

void RedisProcess::start() {
  launch();
  try {
    waitUntilAnswering();
  } catch (...) {
    kill9();
    throw;
  }
}

void RedisProcess::waitUntilAnswering() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error(binary_ + " on port " + std::to_string(port_) +
                               " exited at start; log:\n" + log());
    }
    std::string pong = tryCall({"PING"});
    if (pong == "PONG") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error(binary_ + " on port " + std::to_string(port_) +
                           " does not answer PING within 20 s; log:\n" + log());
}

void RedisProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void RedisProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGCONT);
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void RedisProcess::pause() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void RedisProcess::resume() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

std::string RedisProcess::tryCall(const std::vector<std::string>& args) const {
  try {
    return call(args);
  } catch (const std::exception& e) {
    return std::string("(unreachable) ") + e.what();
  }
}

std::string RedisProcess::call(const std::vector<std::string>& args) const {
  timeval tv{5, 0};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port_, tv);
  if (!c || c->err) {
    std::string why = c ? c->errstr : "out of memory";
    if (c) redisFree(c);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port_) + ": " + why);
  }
  redisSetTimeout(c, tv);
  auto run = [&](const std::vector<std::string>& command) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const auto& a : command) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lengths.data()));
    if (!r) {
      std::string why = c->errstr;
      redisFree(c);
      throw std::runtime_error("127.0.0.1:" + std::to_string(port_) + ": " + why);
    }
    std::string out = replyText(r);
    freeReplyObject(r);
    return out;
  };
  if (!password_.empty()) run({"AUTH", password_});
  std::string out = run(args);
  redisFree(c);
  return out;
}

std::string RedisProcess::log() const {
  std::ifstream in(dir_ + "/redis.log");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace ferry::test
