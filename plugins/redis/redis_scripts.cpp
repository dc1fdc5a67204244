#include "redis_scripts.h"

namespace ferry::plugins::redis {

namespace {

// Positions are compared and stored as decimal strings; arithmetic on them stays exact below
// 2^53 commits. Each feed entry holds at most ARGV[6] operations (Lua's unpack is limited to a
// few thousand values); the entries of one commit share its position as the stream ID's first
// part ("<position>-<chunk>"), and the first one says how many there are ("n").
// redis.replicate_commands() lets Redis 5 and 6 replicate the effects (TIME is not
// deterministic); from Redis 7 on it is the only mode and the call does nothing.
constexpr const char* kCommitSource = R"lua(
redis.replicate_commands()
local meta = redis.call('HMGET', KEYS[3], 'pos', 's', 't')
local cur = meta[1] or '0'
local stamp = meta[2] or ''
if stamp == ARGV[4] then
  return {'ok', cur, stamp, meta[3] or ''}
end
if ARGV[1] == 'if' and (cur ~= ARGV[2] or stamp ~= ARGV[3]) then
  return {'conflict', cur, stamp}
end
local n = (#ARGV - 6) / 3
if n == 0 then
  return {'ok', cur, stamp, meta[3] or ''}
end
local p = string.format('%d', tonumber(cur) + 1)
local now = redis.call('TIME')
local t = now[1] .. string.format('%06d', tonumber(now[2]))
for i = 7, #ARGV, 3 do
  local kind = ARGV[i]
  if kind == 'p' then
    redis.call('HSET', KEYS[1], ARGV[i + 1], ARGV[i + 2])
  elseif kind == 'r' then
    redis.call('HDEL', KEYS[1], ARGV[i + 1])
  else
    redis.call('UNLINK', KEYS[1])
  end
end
local per = tonumber(ARGV[6])
local chunks = math.ceil(n / per)
local i = 7
for seq = 0, chunks - 1 do
  local entry = {}
  if seq == 0 then
    entry = {'s', ARGV[4], 'ps', stamp, 't', t, 'n', tostring(chunks)}
  end
  local stop = math.min(#ARGV, i + per * 3 - 1)
  while i <= stop do
    local kind = ARGV[i]
    entry[#entry + 1] = kind
    entry[#entry + 1] = ARGV[i + 1]
    if kind == 'p' then
      entry[#entry + 1] = 'v'
      entry[#entry + 1] = ARGV[i + 2]
    end
    i = i + 3
  end
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], p .. '-' .. seq, unpack(entry))
end
redis.call('HSET', KEYS[3], 'pos', p, 's', ARGV[4], 't', t)
return {'ok', p, ARGV[4], t}
)lua";

constexpr const char* kLeaseSource = R"lua(
local holder = redis.call('GET', KEYS[1])
if ARGV[2] == '0' then
  if holder == ARGV[1] then
    redis.call('DEL', KEYS[1])
  end
  return 0
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
)lua";

}  // namespace

Script commitScript(kCommitSource);
Script leaseScript(kLeaseSource);

std::string Script::sha() {
  std::lock_guard lock(mu_);
  return sha_;
}

std::vector<Reply> Script::run(Connection& connection, const std::vector<std::string_view>& keys,
                               const std::vector<std::string_view>& args,
                               const std::vector<Args>& then) {
  std::string numkeys = std::to_string(keys.size());
  for (int attempt = 0;; ++attempt) {
    std::string known = sha();
    std::vector<Args> commands;
    if (known.empty()) {
      // First use in this process: load it; its reply is the SHA1 that EVALSHA takes.
      Reply loaded = connection.command({"SCRIPT", "LOAD", source_});
      if (loaded->type != REDIS_REPLY_STRING) {
        throw sdk::ioError("redis " + connection.endpoint().describe() +
                           ": SCRIPT LOAD failed: " + std::string(text(loaded.get())));
      }
      known = std::string(text(loaded.get()));
      std::lock_guard lock(mu_);
      sha_ = known;
    }
    Args eval{"EVALSHA", known, numkeys};
    eval.insert(eval.end(), keys.begin(), keys.end());
    eval.insert(eval.end(), args.begin(), args.end());
    commands.push_back(std::move(eval));
    commands.insert(commands.end(), then.begin(), then.end());
    std::vector<Reply> replies = connection.pipeline(commands);
    if (!hasErrorCode(replies[0].get(), "NOSCRIPT") || attempt > 0) return replies;
    std::lock_guard lock(mu_);
    sha_.clear();
  }
}

}  // namespace ferry::plugins::redis
