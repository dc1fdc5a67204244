#include "redis_options.h"

#include <chrono>
#include <climits>
#include <ferry/support/go_duration.hpp>

namespace ferry::plugins::redis {

namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& key, const json& value, const std::string& why) {
  throw sdk::configError("bad value for key \"" + key + "\": " + value.dump() + ": " + why);
}

// A nested object's keys are checked here; the SDK checks only the top level.
void rejectUnknownKeys(const json& object, const std::string& path,
                       std::initializer_list<const char*> known) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool found = false;
    for (const char* k : known) found = found || it.key() == k;
    if (!found) throw sdk::configError("unknown key \"" + path + "." + it.key() + "\"");
  }
}

const json* member(const json& object, const char* name) {
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

std::string stringValue(const json& value, const std::string& key) {
  if (!value.is_string()) bad(key, value, "expected a string");
  return value.get<std::string>();
}

// A positive Go duration ("500ms", "2s") in milliseconds.
int durationMs(const json& value, const std::string& key) {
  if (!value.is_string()) bad(key, value, "expected a Go duration string such as \"2s\"");
  std::chrono::nanoseconds duration;
  try {
    duration = support::parseGoDuration(value.get<std::string>());
  } catch (const support::GoDurationError& e) {
    bad(key, value, e.what());
  }
  if (duration.count() <= 0) bad(key, value, "must be positive");
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(duration).count();
  if (ms > INT_MAX) bad(key, value, "too large");
  return static_cast<int>(ms);
}

long long integer(const json& value, const std::string& key, long long min, long long max) {
  if (!value.is_number_integer()) bad(key, value, "expected an integer");
  long long n = value.get<long long>();
  if (n < min || n > max) {
    bad(key, value, "expected " + std::to_string(min) + " to " + std::to_string(max));
  }
  return n;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// URL user and password may be percent-encoded (a password with '@' or ':').
std::string percentDecode(const std::string& s, const json& url) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    int hi = i + 2 < s.size() ? hexDigit(s[i + 1]) : -1;
    int lo = i + 2 < s.size() ? hexDigit(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) bad("url", url, "bad percent-encoding");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

int parsePort(const std::string& text, const std::string& key, const json& value) {
  if (text.empty() || text.size() > 5 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    bad(key, value, "bad port \"" + text + "\"");
  }
  int port = std::stoi(text);
  if (port < 1 || port > 65535) bad(key, value, "port out of range");
  return port;
}

// Splits "host", "host:port", "[v6]" or "[v6]:port"; `port` stays as it is when absent.
void splitHostPort(const std::string& text, std::string& host, int& port, const std::string& key,
                   const json& value) {
  std::string rest;
  if (!text.empty() && text[0] == '[') {
    size_t close = text.find(']');
    if (close == std::string::npos) bad(key, value, "unclosed '[' in the address");
    host = text.substr(1, close - 1);
    rest = text.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') bad(key, value, "expected ':' after ']'");
  } else {
    size_t colon = text.find(':');
    host = text.substr(0, colon);
    if (colon != std::string::npos) rest = text.substr(colon);
  }
  if (!rest.empty()) port = parsePort(rest.substr(1), key, value);
}

struct ParsedUrl {
  std::string host;
  int port = 6379;
  Credentials credentials;
  int db = 0;
};

ParsedUrl parseUrl(const json& value) {
  std::string url = stringValue(value, "url");
  ParsedUrl parsed;
  size_t scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme == "rediss") {
    bad("url", value,
        "rediss:// (TLS) is not supported: Debian 12's hiredis has no TLS; reach a TLS-only "
        "Redis through a local tunnel (e.g. stunnel) and use redis://");
  }
  if (scheme != "redis") {
    bad("url", value, "expected redis://[user[:password]@]host[:port][/db]");
  }
  std::string rest = url.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (path.find_first_of("?#") != std::string::npos) {
    bad("url", value, "query parameters are not supported; use the plugin's config keys");
  }
  if (!path.empty()) {
    if (path.size() > 9 || path.find_first_not_of("0123456789") != std::string::npos) {
      bad("url", value, "the database after '/' must be a number");
    }
    parsed.db = std::stoi(path);
  }
  size_t at = authority.rfind('@');
  if (at != std::string::npos) {
    std::string userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    size_t colon = userinfo.find(':');
    parsed.credentials.username = percentDecode(userinfo.substr(0, colon), value);
    if (colon != std::string::npos) {
      parsed.credentials.password = percentDecode(userinfo.substr(colon + 1), value);
    }
    if (!parsed.credentials.username.empty() && parsed.credentials.password.empty()) {
      bad("url", value, "a user name needs a password (redis://user:password@host)");
    }
  }
  splitHostPort(authority, parsed.host, parsed.port, "url", value);
  if (parsed.host.empty() && !authority.empty()) bad("url", value, "a port needs a host");
  return parsed;
}

Options::Sentinel parseSentinel(const json& value) {
  if (!value.is_object()) bad("sentinel", value, "expected an object");
  rejectUnknownKeys(value, "sentinel", {"master", "addresses", "password"});
  Options::Sentinel sentinel;
  const json* master = member(value, "master");
  if (!master) throw sdk::configError("missing required key \"sentinel.master\"");
  sentinel.master = stringValue(*master, "sentinel.master");
  if (sentinel.master.empty()) bad("sentinel.master", *master, "must not be empty");
  const json* addresses = member(value, "addresses");
  if (!addresses) throw sdk::configError("missing required key \"sentinel.addresses\"");
  if (!addresses->is_array() || addresses->empty()) {
    bad("sentinel.addresses", *addresses, "expected a non-empty array of \"host:port\"");
  }
  for (const auto& a : *addresses) {
    sentinel.addresses.push_back(
        parseEndpoint(stringValue(a, "sentinel.addresses"), "sentinel.addresses"));
  }
  if (const json* password = member(value, "password")) {
    sentinel.credentials.password = stringValue(*password, "sentinel.password");
  }
  return sentinel;
}

}  // namespace

std::string Endpoint::describe() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Endpoint parseEndpoint(const std::string& text, const std::string& key) {
  Endpoint endpoint;
  endpoint.port = 0;
  splitHostPort(text, endpoint.host, endpoint.port, key, json(text));
  if (endpoint.host.empty() || endpoint.port == 0) {
    bad(key, json(text), "expected \"host:port\"");
  }
  return endpoint;
}

std::string Options::describe() const {
  std::string db_part = db == 0 ? "" : " db " + std::to_string(db);
  if (sentinel) {
    std::string list;
    for (const auto& a : sentinel->addresses) list += (list.empty() ? "" : ",") + a.describe();
    return "redis primary \"" + sentinel->master + "\" (sentinels " + list + ")" + db_part;
  }
  return "redis " + address.describe() + db_part;
}

Options parseOptions(sdk::Config& config) {
  // Every key is declared (RedisStorage::kConfigKeys): present, with its default when absent,
  // and of its declared type.
  Options options;
  auto sentinel = config.get<json>("sentinel");
  if (!sentinel.empty()) options.sentinel = parseSentinel(sentinel);
  auto url = config.get<json>("url");
  ParsedUrl parsed = parseUrl(url);
  if (options.sentinel && !parsed.host.empty()) {
    bad("url", url,
        "with \"sentinel\" the primary's address comes from the sentinels; give the url "
        "without host and port, e.g. \"redis:///0\" or \"redis://:PASSWORD@/0\"");
  }
  if (!parsed.host.empty()) options.address = {parsed.host, parsed.port};
  options.credentials = parsed.credentials;
  options.db = parsed.db;
  auto password = config.get<std::string>("password");
  if (!password.empty()) {
    if (!options.credentials.password.empty()) {
      bad("password", json("..."), "the url has a password already; give it once");
    }
    options.credentials.password = password;
  }

  options.prefix = config.get<std::string>("prefix");
  if (options.prefix.empty()) bad("prefix", json(options.prefix), "must not be empty");

  auto timeouts = config.get<json>("timeouts");
  rejectUnknownKeys(timeouts, "timeouts", {"connect", "command"});
  if (const json* v = member(timeouts, "connect")) {
    options.connect_timeout_ms = durationMs(*v, "timeouts.connect");
  }
  if (const json* v = member(timeouts, "command")) {
    options.command_timeout_ms = durationMs(*v, "timeouts.command");
  }

  auto wait = config.get<json>("wait");
  rejectUnknownKeys(wait, "wait", {"replicas", "timeout"});
  if (const json* v = member(wait, "replicas")) {
    options.wait_replicas = static_cast<int>(integer(*v, "wait.replicas", 0, 1000));
  }
  if (const json* v = member(wait, "timeout")) {
    options.wait_timeout_ms = durationMs(*v, "wait.timeout");
  }

  auto feed = config.get<json>("feed");
  rejectUnknownKeys(feed, "feed", {"max_length"});
  if (const json* v = member(feed, "max_length")) {
    options.feed_max_length = integer(*v, "feed.max_length", 1, 1000000000);
  }
  return options;
}

}  // namespace ferry::plugins::redis
