// The server assembled from the options in one place: built and checked without binding or
// reading stored data (what --check-config relies on), then serving on start(), with /-/quit
// and the durable storage wired as main() used to wire them.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/config/config.h"
#include "core/startup/assembly.h"

namespace ferry::core::startup {
namespace {

config::Options parsed(std::vector<std::string> args) {
  args.insert(args.begin(), "ferry");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  config::Options options;
  auto outcome = config::parseCommandLine(static_cast<int>(argv.size()), argv.data(), options);
  EXPECT_EQ(outcome.action, config::ParseOutcome::Action::kRun);
  return options;
}

// One request on a fresh connection; returns everything the server sent until it closed.
std::string roundTrip(const std::string& address, const std::string& request) {
  const size_t colon = address.rfind(':');
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
  inet_pton(AF_INET, address.substr(0, colon).c_str(), &to.sin_addr);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0 &&
      send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    char buffer[4096];
    for (;;) {
      ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      answer.append(buffer, static_cast<size_t>(n));
    }
  }
  close(fd);
  return answer;
}

class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/ferry-startup-XXXXXX";
    path_ = mkdtemp(name);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

const char kPush[] =
    "PUT /metrics/job/assembly HTTP/1.1\r\nHost: x\r\nContent-Length: 25\r\n"
    "Connection: close\r\n\r\nassembly_metric{a=\"1\"} 3\n";

TEST(ServerAssemblyTest, BuildsWithoutBindingThenServesAndStops) {
  plugin_host::PluginRegistry registry(FERRY_TEST_PLUGIN_DIR);
  config::Options options = parsed({"--web.listen-address=127.0.0.1:0", "--persistence.file="});
  Server server(options, registry, [] {});
  EXPECT_TRUE(server.boundAddresses().empty());  // --check-config stops here: nothing bound
  EXPECT_FALSE(server.tlsEnabled());
  server.start();
  ASSERT_EQ(server.boundAddresses().size(), 1u);
  const std::string address = server.boundAddresses()[0];
  EXPECT_EQ(address.rfind("127.0.0.1:", 0), 0u) << address;
  std::string healthy =
      roundTrip(address, "GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(healthy.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << healthy;
  EXPECT_EQ(healthy.substr(healthy.size() - 2), "OK");
  std::string pushed = roundTrip(address, kPush);
  EXPECT_EQ(pushed.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << pushed;
  std::string scraped =
      roundTrip(address, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(scraped.find("assembly_metric{a=\"1\",instance=\"\",job=\"assembly\"} 3"),
            std::string::npos)
      << scraped;
  server.stop();
  server.stop();  // a second stop (and the destructor's) does nothing
}

TEST(ServerAssemblyTest, QuitRouteCallsTheGivenFunction) {
  plugin_host::PluginRegistry registry(FERRY_TEST_PLUGIN_DIR);
  config::Options options =
      parsed({"--web.listen-address=127.0.0.1:0", "--persistence.file=", "--web.enable-lifecycle"});
  std::atomic<int> quits{0};
  Server server(options, registry, [&quits] { ++quits; });
  server.start();
  std::string answer = roundTrip(server.boundAddresses()[0],
                                 "PUT /-/quit HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  server.stop();
  EXPECT_EQ(quits.load(), 1);
}

TEST(ServerAssemblyTest, StopFlushesTheStorageAndStartLoadsIt) {
  TempDir dir;
  plugin_host::PluginRegistry registry(FERRY_TEST_PLUGIN_DIR);
  config::Options options =
      parsed({"--web.listen-address=127.0.0.1:0", "--persistence.file=" + dir.file("ferry.data"),
              "--persistence.interval=1h"});
  {
    Server server(options, registry, [] {});
    server.start();
    std::string pushed = roundTrip(server.boundAddresses()[0], kPush);
    EXPECT_EQ(pushed.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << pushed;
  }  // destroyed without an explicit stop(): still flushed
  Server again(options, registry, [] {});
  again.start();
  std::string scraped = roundTrip(again.boundAddresses()[0],
                                  "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(scraped.find("assembly_metric{a=\"1\",instance=\"\",job=\"assembly\"} 3"),
            std::string::npos)
      << scraped;
}

// The store belongs to the Ferry that serves it: building a server on the same store (all
// that --check-config does) works while another one runs on it; only its start() is refused,
// as the running server holds the store.
TEST(ServerAssemblyTest, BuildsBesideARunningServerOnTheSameStore) {
  TempDir dir;
  plugin_host::PluginRegistry registry(FERRY_TEST_PLUGIN_DIR);
  for (const auto& [plugin, file] : std::vector<std::pair<std::string, std::string>>{
           {"file", "ferry.snap"}, {"sqlite", "ferry.db"}}) {
    SCOPED_TRACE(plugin);
    config::Options options = parsed({"--web.listen-address=127.0.0.1:0", "--persistence.file="});
    options.storage.plugin = plugin;
    options.storage.config = {{"path", dir.file(file)}};
    Server running(options, registry, [] {});
    running.start();
    std::string pushed = roundTrip(running.boundAddresses()[0], kPush);
    EXPECT_EQ(pushed.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << pushed;
    std::unique_ptr<Server> checked;
    ASSERT_NO_THROW(checked = std::make_unique<Server>(options, registry, [] {}));
    EXPECT_TRUE(checked->boundAddresses().empty());
    try {
      checked->start();
      ADD_FAILURE() << "a second server started on the store of a running one";
    } catch (const plugin_host::PluginError& e) {
      EXPECT_NE(std::string(e.what()).find("refused to start"), std::string::npos) << e.what();
    }
    checked.reset();
    pushed = roundTrip(running.boundAddresses()[0], kPush);
    EXPECT_EQ(pushed.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << "after the second server: " << pushed;
    running.stop();
  }
}

TEST(ServerAssemblyTest, AnUnreadableWebConfigIsAConfigErrorNamingTheFlag) {
  TempDir dir;
  plugin_host::PluginRegistry registry(FERRY_TEST_PLUGIN_DIR);
  std::ofstream(dir.file("web.yml")) << "tls_server_config:\n  cert_file: /nonexistent/cert\n";
  config::Options options =
      parsed({"--web.listen-address=127.0.0.1:0",
              "--persistence.file=", "--web.config.file=" + dir.file("web.yml")});
  try {
    Server server(options, registry, [] {});
    FAIL() << "built with a broken web config";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("--web.config.file: ", 0), 0u) << e.what();
  }
}

TEST(ServerAssemblyTest, AnUnknownStoragePluginFailsBeforeAnythingIsServed) {
  plugin_host::PluginRegistry registry(FERRY_TEST_PLUGIN_DIR);
  config::Options options = parsed({"--web.listen-address=127.0.0.1:0", "--persistence.file="});
  options.storage.plugin = "no_such_storage";
  EXPECT_ANY_THROW(Server(options, registry, [] {}));
}

}  // namespace
}  // namespace ferry::core::startup
