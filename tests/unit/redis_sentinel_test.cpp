// The redis plugin with Sentinel: a primary, one replica and three sentinels on 127.0.0.1. The
// plugin asks the sentinels for the primary, follows a failover after the primary is killed,
// and with "wait" loses no write it acknowledged.
#include <chrono>
#include <thread>

#include "redis_test_support.h"

namespace ferry::core::redis_test {
namespace {

struct SentinelSetup {
  std::unique_ptr<RedisProcess> primary;
  std::unique_ptr<RedisProcess> replica;
  std::vector<std::unique_ptr<RedisProcess>> sentinels;

  SentinelSetup() {
    primary = RedisProcess::server();
    replica = RedisProcess::server({"replicaof", "127.0.0.1 " + std::to_string(primary->port())});
    for (int i = 0; i < 3; ++i) {
      sentinels.push_back(RedisProcess::sentinel("ferrymaster", primary->port(), 2));
    }
    waitForReplica();
  }

  // Until the primary reports its replica as online, that is done with its first sync
  // (bounded: 20 s).
  void waitForReplica() const {
    for (int i = 0; i < 400; ++i) {
      if (primary->call({"INFO", "replication"}).find("state=online") != std::string::npos) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the replica did not connect to the primary";
  }

  std::string config(const std::string& extra) const {
    std::string addresses;
    for (const auto& s : sentinels)
      addresses += (addresses.empty() ? "\"" : ", \"") + s->address() + "\"";
    return "{\"sentinel\": {\"master\": \"ferrymaster\", \"addresses\": [" + addresses + "]}" +
           (extra.empty() ? "" : ", " + extra) + "}";
  }
};

TEST(RedisSentinel, FindsThePrimaryThroughTheSentinels) {
  SentinelSetup setup;
  auto store = openStore(setup.config(""));
  ASSERT_TRUE(store->write({put("k", "v")}).ok());
  EXPECT_EQ(setup.primary->call({"HGET", "ferry:groups", "k"}), "v");
  EXPECT_NE(setup.primary->call({"INFO", "commandstats"}).find("cmdstat_evalsha"),
            std::string::npos);
}

TEST(RedisSentinel, UnknownMasterNameIsReportedByEveryCall) {
  SentinelSetup setup;
  std::string config = setup.config("");
  size_t at = config.find("ferrymaster");
  config.replace(at, 11, "othermaster");
  auto store = openStore(config);
  CallStatus write = store->write({put("k", "v")});
  EXPECT_EQ(write.status, FERRY_ERR_UNAVAILABLE) << describe(write);
  EXPECT_NE(write.message.find("does not know a primary named \"othermaster\""), std::string::npos)
      << write.message;
}

// kill -9 of the primary while writing: writes fail until the sentinels promote the replica
// and the old primary is back as its replica (with "wait" 1 a write needs one replica to
// confirm it), then go to the new primary; every write that succeeded is there.
TEST(RedisSentinel, FailoverIsFollowedAndNoAcknowledgedWriteIsLost) {
  SentinelSetup setup;
  auto store = openStore(setup.config(
      R"("wait": {"replicas": 1, "timeout": "2s"}, "timeouts": {"connect": "300ms", "command": "2s"})"));
  std::vector<std::string> acknowledged;
  std::vector<std::string> failures;
  int failed = 0;
  auto writeOne = [&](int i) {
    std::string key = "k" + std::to_string(i);
    CallStatus s = store->write({put(key, std::to_string(i))});
    if (s.ok()) {
      acknowledged.push_back(key);
    } else {
      ++failed;
      EXPECT_EQ(s.status, FERRY_ERR_UNAVAILABLE) << describe(s);
      failures.push_back(s.message);
    }
    return s.ok();
  };
  for (int i = 0; i < 50; ++i) writeOne(i);
  ASSERT_EQ(acknowledged.size(), 50u)
      << "writes failed before the failover, e.g.: " << (failures.empty() ? "" : failures[0]);
  int old_port = setup.primary->port();
  setup.primary->kill9();

  // Keep writing while the sentinels fail over (bounded: 60 s), then bring the old primary
  // back: the sentinels make it a replica of the new one.
  int i = 50;
  auto promoted = [&] {
    return setup.sentinels[0]->tryCall({"SENTINEL", "get-master-addr-by-name", "ferrymaster"}) ==
           "127.0.0.1\n" + std::to_string(setup.replica->port());
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!promoted() && std::chrono::steady_clock::now() < deadline) {
    EXPECT_FALSE(writeOne(i++)) << "a write succeeded with the primary dead and no replica";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(promoted()) << "the sentinels did not promote the replica within 60 s";
  setup.primary->start();
  bool resumed = false;
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!resumed && std::chrono::steady_clock::now() < deadline) {
    resumed = writeOne(i++);
    if (!resumed) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(resumed) << "no write succeeded within 60 s of the failover; last failures: "
                       << (failures.empty() ? "" : failures.back());
  for (int j = 0; j < 20; ++j) ASSERT_TRUE(writeOne(i++));

  EXPECT_TRUE(promoted()) << "the old primary was on port " << old_port;
  Entries stored = scanAll(*store);
  EXPECT_EQ(setup.replica->call({"HLEN", "ferry:groups"}), std::to_string(stored.size()))
      << "the scan did not read the new primary";
  for (const auto& key : acknowledged) {
    EXPECT_EQ(stored.count(key), 1u) << "acknowledged write " << key << " was lost";
  }
  std::cout << "[ note ] " << acknowledged.size() << " writes acknowledged, " << failed
            << " refused during the failover, 0 lost\n";
}

}  // namespace
}  // namespace ferry::core::redis_test
