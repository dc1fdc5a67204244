#include "redis_connection.h"

#include <signal.h>
#include <sys/time.h>

#include <cerrno>
#include <ctime>

namespace ferry::plugins::redis {

namespace {

timeval toTimeval(int ms) {
  timeval tv;
  tv.tv_sec = ms / 1000;
  tv.tv_usec = (ms % 1000) * 1000;
  return tv;
}

// hiredis writes with write(2): a server that closed the connection raises SIGPIPE, which
// kills a process that did not ignore it (Ferry does; a test or another host might not). The
// signal is blocked in this thread while hiredis writes, and one it caused is taken back.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeGuard() {
    if (!was_pending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        timespec zero{0, 0};
        sigtimedwait(&pipe_, nullptr, &zero);
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
};

}  // namespace

bool transientError(const redisReply* r) {
  for (const char* code :
       {"LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "READONLY", "NOREPLICAS", "CLUSTERDOWN"}) {
    if (hasErrorCode(r, code)) return true;
  }
  return false;
}

[[noreturn]] void replyFailed(const Connection& c, const char* what, const redisReply* r) {
  std::string message =
      "redis " + c.endpoint().describe() + ": " + what + " failed: " + std::string(text(r));
  if (transientError(r)) throw sdk::unavailable(message);
  throw sdk::ioError(message);
}

bool hasErrorCode(const redisReply* r, std::string_view code) {
  if (!isError(r)) return false;
  std::string_view t = text(r);
  return t.substr(0, code.size()) == code && (t.size() == code.size() || t[code.size()] == ' ');
}

Connection::Connection(const Endpoint& endpoint, const Credentials& credentials, int db,
                       const Options& options)
    : endpoint_(endpoint),
      command_timeout_ms_(options.command_timeout_ms),
      reply_timeout_ms_(options.command_timeout_ms) {
  context_ = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port,
                                     toTimeval(options.connect_timeout_ms));
  // A constructor that throws runs no destructor: the context is freed here on every failure
  // (a refused connection, AUTH or SELECT), or each failed attempt would leak one.
  try {
    if (!context_) fail("cannot connect: out of memory");
    if (context_->err) {
      bool timed_out = errno == ETIMEDOUT || errno == EINPROGRESS ||
                       std::string_view(context_->errstr).find("timed out") != std::string::npos;
      fail(timed_out ? "cannot connect within " + std::to_string(options.connect_timeout_ms) +
                           " ms (timeouts.connect)"
                     : std::string("cannot connect: ") + context_->errstr);
    }
    redisSetTimeout(context_, toTimeval(command_timeout_ms_));
    redisEnableKeepAlive(context_);
    // Args are views: the database number's text must outlive `hello`.
    const std::string db_text = std::to_string(db);
    std::vector<Args> hello;
    if (!credentials.password.empty()) {
      if (credentials.username.empty()) {
        hello.push_back({"AUTH", credentials.password});
      } else {
        hello.push_back({"AUTH", credentials.username, credentials.password});
      }
    }
    if (db != 0) hello.push_back({"SELECT", db_text});
    if (hello.empty()) return;
    std::vector<Reply> replies = pipeline(hello);
    for (size_t i = 0; i < replies.size(); ++i) {
      if (!isError(replies[i].get())) continue;
      std::string what =
          hello[i][0] == "AUTH" ? "AUTH failed" : "SELECT " + std::to_string(db) + " failed";
      throw sdk::ioError("redis " + endpoint_.describe() + ": " + what + ": " +
                         std::string(text(replies[i].get())));
    }
  } catch (...) {
    if (context_) redisFree(context_);
    context_ = nullptr;
    throw;
  }
}

Connection::~Connection() {
  if (context_) redisFree(context_);
}

void Connection::fail(const std::string& what) {
  broken_ = true;
  throw Unreachable("redis " + endpoint_.describe() + ": " + what);
}

void Connection::append(const Args& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (auto a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  if (redisAppendCommandArgv(context_, static_cast<int>(args.size()), argv.data(),
                             lengths.data()) != REDIS_OK) {
    fail("cannot queue a command: out of memory");
  }
}

Reply Connection::read() {
  void* raw = nullptr;
  int status;
  {
    SigpipeGuard guard;
    errno = 0;
    status = redisGetReply(context_, &raw);
  }
  if (status != REDIS_OK || !raw) {
    bool timed_out = errno == EAGAIN || errno == EWOULDBLOCK ||
                     std::string_view(context_->errstr).find("temporarily") != std::string::npos;
    if (context_->err == REDIS_ERR_IO && timed_out) {
      fail("no reply within " + std::to_string(reply_timeout_ms_) + " ms (timeouts.command)");
    }
    if (context_->err == REDIS_ERR_EOF) fail("connection lost: the server closed it");
    fail(std::string("connection lost: ") + context_->errstr);
  }
  return Reply(static_cast<redisReply*>(raw));
}

Reply Connection::command(const Args& args) {
  if (broken_) fail("connection lost earlier");
  append(args);
  return read();
}

std::vector<Reply> Connection::pipeline(const std::vector<Args>& commands) {
  if (broken_) fail("connection lost earlier");
  for (const auto& c : commands) append(c);
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) replies.push_back(read());
  return replies;
}

Reply Connection::blockingCommand(const Args& args, int block_ms) {
  if (broken_) fail("connection lost earlier");
  reply_timeout_ms_ = command_timeout_ms_ + block_ms;
  if (redisSetTimeout(context_, toTimeval(reply_timeout_ms_)) != REDIS_OK) {
    fail("cannot set the reply timeout");
  }
  append(args);
  Reply reply = read();
  reply_timeout_ms_ = command_timeout_ms_;
  if (redisSetTimeout(context_, toTimeval(reply_timeout_ms_)) != REDIS_OK) {
    fail("cannot set the reply timeout");
  }
  return reply;
}

}  // namespace ferry::plugins::redis
