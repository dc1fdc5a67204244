#include "ferry/testkit/auth_driver.h"

#include <cstddef>
#include <ferry/sdk/bytes.hpp>

namespace ferry::testkit {

std::unique_ptr<AuthDriver> AuthDriver::open(const PluginLibrary& library,
                                             const std::string& config_json, CallResult* error) {
  return PluginInstance::open<AuthDriver>(library, config_json, error);
}

AuthResult AuthDriver::authenticate(const AuthRequest& request) const {
  std::vector<ferry_header> headers;
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) {
    headers.push_back(ferry_header{sdk::toBytes(name), sdk::toBytes(value)});
  }
  ferry_auth_request raw{};
  raw.struct_size = sizeof(ferry_auth_request);
  raw.method = sdk::toBytes(request.method);
  raw.path = sdk::toBytes(request.path);
  raw.headers = headers.empty() ? nullptr : headers.data();
  raw.header_count = headers.size();
  raw.remote_address = sdk::toBytes(request.remote_address);
  raw.tls_peer_subject = sdk::toBytes(request.tls_peer_subject);
  raw.tls_flags = request.tls_flags;
  AuthResult result;
  std::string message;
  ferry_status status =
      library_.auth().authenticate(instance_, &raw, asSink(&result.identity), asError(&message));
  result.call = CallResult{status, std::move(message)};
  return result;
}

std::string AuthDriver::challenge() const {
  const ferry_auth_vtable& vt = library_.auth();
  std::string out;
  if (vt.struct_size >= offsetof(ferry_auth_vtable, challenge) + sizeof(vt.challenge) &&
      vt.challenge != nullptr) {
    vt.challenge(instance_, asSink(&out));
  }
  return out;
}

uint32_t AuthDriver::flags() const {
  const ferry_auth_vtable& vt = library_.auth();
  return vt.struct_size >= offsetof(ferry_auth_vtable, flags) + sizeof(vt.flags) ? vt.flags : 0;
}

}  // namespace ferry::testkit
