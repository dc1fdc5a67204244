#include "ferry/testkit/auth_driver.h"

namespace ferry::testkit {
namespace {

ferry_bytes bytesOf(const std::string& s) { return ferry_bytes{s.data(), s.size()}; }

}  // namespace

std::unique_ptr<AuthDriver> AuthDriver::open(const PluginLibrary& library,
                                             const std::string& config_json, CallResult* error) {
  const ferry_plugin_descriptor& d = library.descriptor();
  auto host = std::make_unique<TestHost>(d.name);
  std::string message;
  void* instance = d.create(host->raw(), bytesOf(config_json), asError(&message));
  if (!instance) {
    if (error) *error = CallResult{FERRY_ERR_INTERNAL, message};
    return nullptr;
  }
  if (error) *error = CallResult{};
  return std::unique_ptr<AuthDriver>(new AuthDriver(library, std::move(host), instance));
}

AuthDriver::AuthDriver(const PluginLibrary& library, std::unique_ptr<TestHost> host, void* instance)
    : library_(library), host_(std::move(host)), instance_(instance) {}

AuthDriver::~AuthDriver() { library_.descriptor().destroy(instance_); }

AuthResult AuthDriver::authenticate(const AuthRequest& request) const {
  std::vector<ferry_header> headers;
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) {
    headers.push_back(ferry_header{bytesOf(name), bytesOf(value)});
  }
  ferry_auth_request raw{};
  raw.struct_size = sizeof(ferry_auth_request);
  raw.method = bytesOf(request.method);
  raw.path = bytesOf(request.path);
  raw.headers = headers.empty() ? nullptr : headers.data();
  raw.header_count = headers.size();
  raw.remote_address = bytesOf(request.remote_address);
  raw.tls_peer_subject = bytesOf(request.tls_peer_subject);
  AuthResult result;
  std::string message;
  ferry_status status =
      library_.auth().authenticate(instance_, &raw, asSink(&result.identity), asError(&message));
  result.call = CallResult{status, std::move(message)};
  return result;
}

}  // namespace ferry::testkit
