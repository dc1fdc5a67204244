// The redis plugin against a real redis-server that stops, restarts, hangs, forgets its script
// cache, trims the feed and goes back in time. The generic storage and feed contract runs in
// tests/plugins; this is what is Redis's own.
#include <thread>

#include "redis_test_support.h"

namespace ferry::core::redis_test {
namespace {

// Reads all commits after `after` that are there now.
std::vector<uint64_t> readPositions(StoragePluginInstance& store, uint64_t after,
                                    CallStatus* status) {
  std::vector<uint64_t> positions;
  for (int i = 0; i < 1000; ++i) {
    size_t before = positions.size();
    *status = store.readChanges(after, 0, [&](const StoragePluginInstance::CommitView& c) {
      positions.push_back(c.position);
      return true;
    });
    if (!status->ok() || positions.size() == before) break;
    after = positions.back();
  }
  return positions;
}

TEST(RedisStore, KeepsTheDocumentedLayoutAndNeverUsesKeys) {
  auto server = RedisProcess::server();
  auto store = openStore(configFor(*server, R"("prefix": "app1:")"));
  ASSERT_TRUE(store->write({put("job/a", "1"), put("job/b", "2")}).ok());
  ASSERT_TRUE(store->write({{FERRY_STORAGE_REMOVE, "job/a", ""}}).ok());
  scanAll(*store);
  uint64_t position = 0;
  ASSERT_TRUE(store->snapshot([](auto, auto) { return true; }, position).ok());
  EXPECT_EQ(position, 2u);
  EXPECT_EQ(server->call({"TYPE", "app1:groups"}), "hash");
  EXPECT_EQ(server->call({"HGET", "app1:groups", "job/b"}), "2");
  EXPECT_EQ(server->call({"TYPE", "app1:feed"}), "stream");
  EXPECT_EQ(server->call({"XLEN", "app1:feed"}), "2");
  EXPECT_EQ(server->call({"HGET", "app1:meta", "pos"}), "2");
  std::string stats = server->call({"INFO", "commandstats"});
  EXPECT_EQ(stats.find("cmdstat_keys:"), std::string::npos) << "KEYS was used:\n" << stats;
  EXPECT_EQ(stats.find("cmdstat_scan:"), std::string::npos) << "SCAN over the keyspace:\n" << stats;
  EXPECT_NE(stats.find("cmdstat_hscan:"), std::string::npos) << stats;
  EXPECT_NE(stats.find("cmdstat_evalsha:"), std::string::npos) << stats;
}

// Ops fail with FERRY_ERR_UNAVAILABLE (Ferry's 503) and a message while Redis is down, and work
// again after it restarts; with AOF appendfsync always nothing acknowledged is lost.
TEST(RedisStore, RedisRestartFailsCallsMeanwhileAndLosesNothing) {
  auto server = RedisProcess::server();
  auto store = openStore(configFor(*server, R"("timeouts": {"connect": "500ms"})"));
  ASSERT_TRUE(store->write({put("before", "1")}).ok());
  server->kill9();
  CallStatus down = store->write({put("during", "x")});
  EXPECT_EQ(down.status, FERRY_ERR_UNAVAILABLE) << describe(down);
  EXPECT_NE(down.message.find(server->address()), std::string::npos) << down.message;
  CallStatus scan;
  scanAll(*store, &scan);
  EXPECT_EQ(scan.status, FERRY_ERR_UNAVAILABLE) << describe(scan);
  server->start();
  CallStatus after = store->write({put("after", "2")});
  EXPECT_TRUE(after.ok()) << describe(after);
  EXPECT_EQ(scanAll(*store), (Entries{{"before", "1"}, {"after", "2"}}));
}

// A server that accepts but never answers (stopped, or behind a broken network) fails the call
// after timeouts.command instead of hanging it: this is where Poco::Redis 1.11, with no send
// timeout, blocked for as long as the server was stopped.
TEST(RedisStore, HungServerFailsAfterTheCommandTimeout) {
  auto server = RedisProcess::server();
  auto store =
      openStore(configFor(*server, R"("timeouts": {"connect": "300ms", "command": "300ms"})"));
  ASSERT_TRUE(store->write({put("k", "1")}).ok());
  server->pause();
  CallStatus hung = store->write({put("big", std::string(32 << 20, 'x'))});
  server->resume();
  EXPECT_EQ(hung.status, FERRY_ERR_UNAVAILABLE) << describe(hung);
  EXPECT_NE(hung.message.find("timeouts.command"), std::string::npos) << hung.message;
  CallStatus later = store->write({put("k", "2")});
  EXPECT_TRUE(later.ok()) << describe(later);
}

TEST(RedisStore, ScriptCacheFlushIsReloaded) {
  auto server = RedisProcess::server();
  auto store = openStore(configFor(*server));
  ASSERT_TRUE(store->write({put("a", "1")}).ok());
  ASSERT_EQ(server->call({"SCRIPT", "FLUSH"}), "OK");
  CallStatus again = store->write({put("b", "2")});
  EXPECT_TRUE(again.ok()) << describe(again);
  EXPECT_EQ(scanAll(*store), (Entries{{"a", "1"}, {"b", "2"}}));
}

// "wait": a commit that fewer replicas confirm than asked for is reported (the push gets 503),
// although it is in the primary (a retried PUT is harmless).
TEST(RedisStore, WaitForMoreReplicasThanConfirmFailsTheWrite) {
  auto server = RedisProcess::server();
  auto store = openStore(configFor(*server, R"("wait": {"replicas": 1, "timeout": "100ms"})"));
  CallStatus unconfirmed = store->write({put("k", "v")});
  EXPECT_EQ(unconfirmed.status, FERRY_ERR_UNAVAILABLE) << describe(unconfirmed);
  EXPECT_NE(unconfirmed.message.find("only 0 of 1 replicas confirmed it"), std::string::npos)
      << unconfirmed.message;

  auto replica = RedisProcess::server({"replicaof", "127.0.0.1 " + std::to_string(server->port())});
  CallStatus confirmed;
  for (int i = 0; i < 200; ++i) {  // until the replica has synced (bounded: 200 x 100 ms)
    confirmed = store->write({put("k", "v2")});
    if (confirmed.ok()) break;
  }
  EXPECT_TRUE(confirmed.ok()) << describe(confirmed);
  EXPECT_EQ(replica->call({"HGET", "ferry:groups", "k"}), "v2");
}

// A feed trimmed past a replica (feed.max_length) is a gap with a message that says how to
// avoid it; a snapshot then gives the current state and a position to go on from.
TEST(RedisStore, FeedTrimmedPastAReplicaIsAGap) {
  auto server = RedisProcess::server();
  std::string config = configFor(*server, R"("feed": {"max_length": 10})");
  auto writer = openStore(config);
  auto replica = openStore(config);
  uint64_t position = 0;
  ASSERT_TRUE(replica->snapshot([](auto, auto) { return true; }, position).ok());
  for (int i = 0; i < 400; ++i) {
    ASSERT_TRUE(writer->write({put("k" + std::to_string(i % 7), std::to_string(i))}).ok());
  }
  EXPECT_LT(std::stoi(server->call({"XLEN", "ferry:feed"})), 400) << "the feed was not trimmed";
  CallStatus gap;
  readPositions(*replica, position, &gap);
  EXPECT_EQ(gap.status, FERRY_ERR_FEED_GAP) << describe(gap);
  EXPECT_NE(gap.message.find("feed.max_length"), std::string::npos) << gap.message;
  Entries state;
  ASSERT_TRUE(replica
                  ->snapshot(
                      [&](std::string_view k, std::string_view v) {
                        state.emplace(k, v);
                        return true;
                      },
                      position)
                  .ok());
  EXPECT_EQ(position, 400u);
  EXPECT_EQ(state, scanAll(*writer));
  ASSERT_TRUE(writer->write({put("next", "1")}).ok());
  CallStatus follows;
  EXPECT_EQ(readPositions(*replica, position, &follows), std::vector<uint64_t>{401});
  EXPECT_TRUE(follows.ok()) << describe(follows);
}

// The store goes back to an older state and moves on (a failover to a replica that had not
// seen the last commits, or a restore from a backup): positions alone look fine, the stamps
// tell. A replica that had applied the lost commits is told to resync, and its conditional
// writes are refused.
TEST(RedisStore, StoreThatWentBackIsAGapNotASilentFork) {
  auto server = RedisProcess::server();
  std::string config = configFor(*server);
  auto writer = openStore(config);
  auto replica = openStore(config);
  ASSERT_TRUE(writer->write({put("a", "1")}).ok());
  uint64_t position = 0;
  ASSERT_TRUE(replica->snapshot([](auto, auto) { return true; }, position).ok());
  std::vector<std::string> keys{"ferry:groups", "ferry:feed", "ferry:meta"};
  std::vector<std::string> saved;
  for (const auto& k : keys) saved.push_back(server->call({"DUMP", k}));

  ASSERT_TRUE(writer->write({put("b", "lost")}).ok());
  ASSERT_TRUE(writer->write({put("c", "lost")}).ok());
  CallStatus read;
  std::vector<uint64_t> seen = readPositions(*replica, position, &read);
  ASSERT_EQ(seen, (std::vector<uint64_t>{2, 3}));

  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(server->call({"RESTORE", keys[i], "0", saved[i], "REPLACE"}), "OK");
  }
  // The store is at 1 again; a writer that did not see 2 and 3 makes new commits 2, 3, 4.
  auto other = openStore(config);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(other->write({put("d", std::to_string(i))}).ok());

  CallStatus gap;
  EXPECT_TRUE(readPositions(*replica, 3, &gap).empty());
  EXPECT_EQ(gap.status, FERRY_ERR_FEED_GAP) << describe(gap);
  EXPECT_NE(gap.message.find("the store went back"), std::string::npos) << gap.message;
  uint64_t ignored = 0;
  CallStatus refused = replica->writeIf(3, {put("e", "1")}, ignored);
  EXPECT_EQ(refused.status, FERRY_ERR_CONFLICT) << describe(refused);
  EXPECT_EQ(server->call({"HEXISTS", "ferry:groups", "e"}), "0");
}

// After the primary restarts from its AOF, a replica that is up to date goes on reading; one
// asking about a position the restarted store never reached is told to resync.
TEST(RedisStore, FeedSurvivesARestart) {
  auto server = RedisProcess::server();
  std::string config = configFor(*server, R"("timeouts": {"connect": "500ms"})");
  auto writer = openStore(config);
  auto replica = openStore(config);
  uint64_t position = 0;
  ASSERT_TRUE(replica->snapshot([](auto, auto) { return true; }, position).ok());
  ASSERT_TRUE(writer->write({put("a", "1")}).ok());
  CallStatus read;
  ASSERT_EQ(readPositions(*replica, position, &read), std::vector<uint64_t>{1});
  server->stop();
  CallStatus down;
  readPositions(*replica, 1, &down);
  EXPECT_EQ(down.status, FERRY_ERR_UNAVAILABLE) << describe(down);
  server->start();
  ASSERT_TRUE(writer->write({put("b", "2")}).ok());
  EXPECT_EQ(readPositions(*replica, 1, &read), std::vector<uint64_t>{2});
  EXPECT_TRUE(read.ok()) << describe(read);
}

}  // namespace
}  // namespace ferry::core::redis_test
