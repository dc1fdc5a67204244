// The Authorization header: basic credentials (sdk/auth_crypto, used by --web.config.file's
// basic_auth_users and the `basic` plugin) and bearer tokens (the `token` plugin, driven here
// through its C ABI entry point exactly as the host calls it).
// Input: "<header name>\0<header value>".
// Invariants:
//  - parseBasicAuthorization: the user has no ':'; credentials written back as
//    "Basic base64(user:password)" parse to the same; the scheme's case does not matter;
//  - BasicAuthenticator: a known user gets in iff the password is right, the same answer
//    again from its cache; no credentials mean kNoCredentials;
//  - token plugin: the status is OK, NO_CREDENTIALS or DENIED and never anything else; OK only
//    for the configured token; NO_CREDENTIALS exactly when the header is not a bearer one.
#include <ferry/plugin_abi.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <ferry/auth_crypto/basic_auth.hpp>
#include <ferry/auth_crypto/bcrypt.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_support.h"

extern "C" const ferry_plugin_descriptor* ferry_plugin_entry_v1(void);

// The host side of the two opaque ABI types, as this test's minimal host.
struct ferry_error {
  std::string message;
};
struct ferry_sink {
  std::string data;
};

namespace {

using ferry::fuzz::printable;
namespace crypto = ferry::auth_crypto;

constexpr std::string_view kUser = "admin";
constexpr std::string_view kPassword = "secret";
constexpr std::string_view kToken = "s3cret-token";
// sha256("s3cret-token")
constexpr char kTokenConfig[] =
    R"({"tokens": {"ci": "a81e611a041b13f078bf8ebe5dab4d4fd63fcc5594661c918bec093a2f416a7e"}})";

std::string stdBase64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16 |
                       static_cast<unsigned char>(in[i + 1]) << 8 |
                       static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (in.size() - i == 1) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (in.size() - i == 2) {
    const unsigned v =
        static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

const crypto::BasicAuthenticator& authenticator() {
  // Cost 4, the lowest: bcrypt runs for every wrong password of the known user.
  static const crypto::BasicAuthenticator instance(
      {{std::string(kUser), crypto::hashBcrypt(kPassword, 4)}}, nullptr);
  return instance;
}

void checkBasic(std::string_view value) {
  const auto credentials = crypto::parseBasicAuthorization(value);
  if (value.size() >= 6) {
    std::string flipped(value);
    for (size_t i = 0; i < 5; ++i) {
      const auto c = static_cast<unsigned char>(flipped[i]);
      flipped[i] = static_cast<char>(std::islower(c) ? std::toupper(c) : std::tolower(c));
    }
    const auto again = crypto::parseBasicAuthorization(flipped);
    FUZZ_CHECK(again.has_value() == credentials.has_value() &&
                   (!again ||
                    (again->user == credentials->user && again->password == credentials->password)),
               "the scheme's case changed the answer for " + printable(value));
  }
  if (!credentials) {
    FUZZ_CHECK(authenticator().check(value) == crypto::BasicAuthenticator::Result::kNoCredentials,
               printable(value));
    return;
  }
  FUZZ_CHECK(credentials->user.find(':') == std::string::npos, printable(value));
  const std::string written = "Basic " + stdBase64(credentials->user + ":" + credentials->password);
  const auto again = crypto::parseBasicAuthorization(written);
  FUZZ_CHECK(again && again->user == credentials->user && again->password == credentials->password,
             "credentials do not survive being written again: " + printable(value));

  // Unknown users cost a bcrypt run of the default cost (tens of milliseconds): only the known
  // one is tried.
  if (credentials->user != kUser) return;
  const bool right = credentials->password == kPassword;
  std::string user;
  const auto result = authenticator().check(value, &user);
  FUZZ_CHECK((result == crypto::BasicAuthenticator::Result::kOk) == right, printable(value));
  FUZZ_CHECK(result == crypto::BasicAuthenticator::Result::kOk ||
                 result == crypto::BasicAuthenticator::Result::kDenied,
             printable(value));
  if (right) FUZZ_CHECK(user == kUser, user);
  FUZZ_CHECK(authenticator().check(value) == result, "a second check answered otherwise");
}

struct TokenPlugin {
  TokenPlugin() {
    host.struct_size = sizeof host;
    host.abi_major = FERRY_ABI_MAJOR;
    host.abi_minor = FERRY_ABI_MINOR;
    host.host_ctx = nullptr;
    host.log = [](void*, ferry_log_level, ferry_bytes) {};
    host.error_set = [](ferry_error* err, ferry_bytes m) { err->message.assign(m.data, m.size); };
    host.sink_write = [](ferry_sink* sink, ferry_bytes d) { sink->data.append(d.data, d.size); };
    descriptor = ferry_plugin_entry_v1();
    ferry_error err;
    instance = descriptor->create(&host, {kTokenConfig, sizeof kTokenConfig - 1}, &err);
    if (instance == nullptr)
      ferry::fuzz::invariantFailed(__FILE__, __LINE__, "create", err.message);
  }
  ferry_host host{};
  const ferry_plugin_descriptor* descriptor = nullptr;
  void* instance = nullptr;
};

bool isBearer(std::string_view value) {
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() < kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return false;
  }
  return true;
}

void checkToken(std::string_view name, std::string_view value) {
  static const TokenPlugin plugin;
  const ferry_header header{{name.data(), name.size()}, {value.data(), value.size()}};
  ferry_auth_request request{};
  request.struct_size = sizeof request;
  request.method = {"PUT", 3};
  request.path = {"/metrics/job/x", 14};
  request.headers = &header;
  request.header_count = 1;
  const auto* vtable = static_cast<const ferry_auth_vtable*>(plugin.descriptor->vtable);
  ferry_sink identity;
  ferry_error err;
  const ferry_status status = vtable->authenticate(plugin.instance, &request, &identity, &err);

  bool is_authorization = name.size() == 13;
  for (size_t i = 0; i < name.size() && is_authorization; ++i) {
    is_authorization = std::tolower(static_cast<unsigned char>(name[i])) == "authorization"[i];
  }
  const bool bearer = is_authorization && isBearer(value);
  const std::string what = printable(name) + ": " + printable(value) + " -> " +
                           std::to_string(status) + " " + printable(identity.data);
  if (!bearer) {
    FUZZ_CHECK(status == FERRY_AUTH_NO_CREDENTIALS, what);
  } else if (value.substr(7) == kToken) {
    FUZZ_CHECK(status == FERRY_OK && identity.data == "token:ci", what);
  } else {
    FUZZ_CHECK(status == FERRY_AUTH_DENIED && identity.data.empty(), what);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto fields = ferry::fuzz::splitFields(ferry::fuzz::asView(data, size), 2);
  checkBasic(fields[1]);
  checkToken(fields[0], fields[1]);
  return 0;
}
