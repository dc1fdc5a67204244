// The redis plugin's configuration: every key, every refusal, and the servers it refuses to
// use (Redis Cluster, a replica named in "url", wrong credentials).
#include "redis_test_support.h"

namespace ferry::core::redis_test {
namespace {

// Refusals that need no server: the message names the key and says what is wrong.
TEST(RedisConfig, BadKeysAndValuesAreRefusedWithTheirName) {
  struct Case {
    std::string config;
    std::string message;
  };
  const std::vector<Case> cases = {
      {R"({"urll": "redis://127.0.0.1:1/0"})", "unknown key \"urll\""},
      {R"({"timeouts": {"connect": "1s", "comand": "1s"}})", "unknown key \"timeouts.comand\""},
      {R"({"wait": {"replica": 1}})", "unknown key \"wait.replica\""},
      {R"({"feed": {"maxlen": 5}})", "unknown key \"feed.maxlen\""},
      {R"({"sentinel": {"master": "m", "addresses": ["127.0.0.1:1"], "pasword": "x"}})",
       "unknown key \"sentinel.pasword\""},
      {R"({"url": "http://127.0.0.1:6379"})", "expected redis://"},
      {R"({"url": "rediss://127.0.0.1:6379"})", "rediss:// (TLS) is not supported"},
      {R"({"url": "redis://127.0.0.1:99999/0"})", "port out of range"},
      {R"({"url": "redis://127.0.0.1:6379/zero"})", "the database after '/' must be a number"},
      {R"({"url": "redis://127.0.0.1:6379/0?timeout=1"})", "query parameters are not supported"},
      {R"({"url": "redis://user@127.0.0.1:6379"})", "a user name needs a password"},
      {R"({"url": "redis://:6380/0"})", "a port needs a host"},
      {R"({"url": 6379})", "bad value for key \"url\": 6379: expected a string"},
      {R"({"timeouts": "5s"})", "bad value for key \"timeouts\": \"5s\": expected a"},
      {R"({"url": "redis://:a@127.0.0.1:6379", "password": "b"})", "give it once"},
      {R"({"url": "redis://127.0.0.1:6379", "sentinel": {"master": "m", "addresses": ["h:1"]}})",
       "the primary's address comes from the sentinels"},
      {R"({"sentinel": {"addresses": ["h:1"]}})", "missing required key \"sentinel.master\""},
      {R"({"sentinel": {"master": "m", "addresses": []}})", "non-empty array"},
      {R"({"sentinel": {"master": "m", "addresses": ["nohost"]}})", "expected \"host:port\""},
      {R"({"timeouts": {"command": "0s"}})", "must be positive"},
      {R"({"timeouts": {"command": 500}})", "expected a Go duration string"},
      {R"({"timeouts": {"connect": "soon"}})", "invalid duration"},
      {R"({"wait": {"replicas": -1}})", "expected 0 to 1000"},
      {R"({"feed": {"max_length": 0}})", "expected 1 to"},
      {R"({"prefix": ""})", "must not be empty"},
      {R"({"prefix": 7})", "expected a string"},
  };
  for (const auto& c : cases) {
    std::string error = createError(c.config);
    EXPECT_NE(error.find(c.message), std::string::npos)
        << "config " << c.config << "\n  expected a message with: " << c.message
        << "\n  got: " << error;
    EXPECT_NE(error.find("storage plugin \"redis\""), std::string::npos) << error;
  }
}

TEST(RedisConfig, PasswordInTheUrlOrAsAKeyAndAclUsers) {
  auto server = RedisProcess::server({"requirepass", "s3cr:t@"});
  std::string port = std::to_string(server->port());
  // Percent-encoded in the url (':' and '@' are URL syntax), or plain in "password".
  for (const std::string& config :
       {"{\"url\": \"redis://:s3cr%3At%40@127.0.0.1:" + port + "/0\"}",
        "{\"url\": \"redis://127.0.0.1:" + port + "/0\", \"password\": \"s3cr:t@\"}"}) {
    auto store = openStore(config);
    EXPECT_TRUE(store->write({put("k", "v")}).ok()) << config;
  }
  ASSERT_EQ(server->call({"ACL", "SETUSER", "ferry", "on", ">pw2", "~*", "+@all"}), "OK");
  auto as_user = openStore("{\"url\": \"redis://ferry:pw2@127.0.0.1:" + port + "/0\"}");
  EXPECT_TRUE(as_user->write({put("k2", "v")}).ok());
  EXPECT_EQ(scanAll(*as_user), (Entries{{"k", "v"}, {"k2", "v"}}));
}

TEST(RedisConfig, WrongOrMissingPasswordStopsTheStart) {
  auto server = RedisProcess::server({"requirepass", "right"});
  std::string wrong = createError(configFor(*server, R"("password": "wrong")"));
  EXPECT_NE(wrong.find("AUTH failed"), std::string::npos) << wrong;
  EXPECT_NE(wrong.find(server->address()), std::string::npos) << "names the server: " << wrong;
  std::string missing = createError(configFor(*server));
  EXPECT_NE(missing.find("NOAUTH"), std::string::npos) << missing;
}

TEST(RedisConfig, DatabaseNumberIsSelected) {
  auto server = RedisProcess::server();
  auto store = openStore("{\"url\": \"redis://127.0.0.1:" + std::to_string(server->port()) +
                         "/3\", \"prefix\": \"db3:\"}");
  ASSERT_TRUE(store->write({put("k", "v")}).ok());
  EXPECT_EQ(server->call({"EXISTS", "db3:groups"}), "0") << "written to db 0";
  EXPECT_NE(server->call({"INFO", "keyspace"}).find("db3:keys="), std::string::npos);
  std::string bad =
      createError("{\"url\": \"redis://127.0.0.1:" + std::to_string(server->port()) + "/99\"}");
  EXPECT_NE(bad.find("SELECT 99 failed"), std::string::npos) << bad;
}

TEST(RedisConfig, RedisClusterIsRefusedAtStart) {
  auto server =
      RedisProcess::server({"cluster-enabled", "yes", "cluster-config-file", "nodes.conf"});
  std::string error = createError(configFor(*server));
  EXPECT_NE(error.find("runs Redis Cluster, which Ferry does not support"), std::string::npos)
      << error;
  EXPECT_NE(error.find("Sentinel"), std::string::npos) << "says what to use instead: " << error;
}

TEST(RedisConfig, AReplicaInTheUrlIsRefused) {
  auto primary = RedisProcess::server();
  auto replica =
      RedisProcess::server({"replicaof", "127.0.0.1 " + std::to_string(primary->port())});
  std::string error = createError(configFor(*replica));
  EXPECT_NE(error.find("is a read-only replica of 127.0.0.1:" + std::to_string(primary->port())),
            std::string::npos)
      << error;
}

// An unreachable server is not a config error: Ferry starts, the calls fail with 503's status
// and a message naming the server, and work once it is there.
TEST(RedisConfig, UnreachableServerAtStartIsRetriedByEveryCall) {
  int port = test::freePort();
  auto store = openStore("{\"url\": \"redis://127.0.0.1:" + std::to_string(port) +
                         "/0\", \"timeouts\": {\"connect\": \"500ms\"}}");
  CallStatus write = store->write({put("k", "v")});
  EXPECT_EQ(write.status, FERRY_ERR_UNAVAILABLE) << describe(write);
  EXPECT_NE(write.message.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << write.message;
  CallStatus scan;
  scanAll(*store, &scan);
  EXPECT_EQ(scan.status, FERRY_ERR_UNAVAILABLE) << describe(scan);
}

}  // namespace
}  // namespace ferry::core::redis_test
