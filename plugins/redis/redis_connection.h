// One connection to a Redis server (hiredis), with the failures that matter to Ferry sorted out:
// a server that cannot be reached or stops answering is "unavailable" (the push gets 503 and is
// retried later), an error reply is the server's answer, kept as a reply for the caller.
#pragma once

#include <hiredis/hiredis.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "redis_options.h"

namespace ferry::plugins::redis {

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyFree>;

using Args = std::vector<std::string_view>;

// The text of a string, status or error reply (empty for others).
inline std::string_view text(const redisReply* r) {
  return r && r->str ? std::string_view(r->str, r->len) : std::string_view();
}
inline bool isError(const redisReply* r) { return r && r->type == REDIS_REPLY_ERROR; }
// An error reply whose code (its first word) is `code`, e.g. "NOSCRIPT".
bool hasErrorCode(const redisReply* r, std::string_view code);
// An error reply that means "try again later" (LOADING, READONLY, MASTERDOWN, ...).
bool transientError(const redisReply* r);

// Thrown when the server cannot be reached or stopped answering; `what()` names the server.
// The connection is unusable afterwards (broken()).
class Unreachable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Connection {
 public:
  // Connects within timeouts.connect, then AUTHs and SELECTs as `credentials` and `db` say.
  // Throws Unreachable, or sdk::ioError when the server refuses the credentials or the db.
  Connection(const Endpoint& endpoint, const Credentials& credentials, int db,
             const Options& options);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Sends one command and waits for its reply. Throws Unreachable.
  Reply command(const Args& args);
  // Sends all commands at once, then reads one reply per command (pipelining).
  std::vector<Reply> pipeline(const std::vector<Args>& commands);
  // A command that the server holds for up to block_ms (XREAD BLOCK): its reply may take that
  // much longer than timeouts.command.
  Reply blockingCommand(const Args& args, int block_ms);

  const Endpoint& endpoint() const { return endpoint_; }
  bool broken() const { return broken_; }

 private:
  void append(const Args& args);
  Reply read();
  [[noreturn]] void fail(const std::string& what);

  Endpoint endpoint_;
  int command_timeout_ms_;
  int reply_timeout_ms_;  // command_timeout_ms_, longer during blockingCommand
  redisContext* context_ = nullptr;
  bool broken_ = false;
};

// Throws for an unexpected reply to `what` (e.g. "XRANGE"): sdk::unavailable for a transient
// error, sdk::ioError otherwise; the message names the server and quotes the reply.
[[noreturn]] void replyFailed(const Connection& c, const char* what, const redisReply* r);

}  // namespace ferry::plugins::redis
