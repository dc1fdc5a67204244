// Not for plugin authors: the C functions of ferry_auth_vtable, wrapping an AuthPlugin class.
#pragma once

#include <ferry/detail/guard.hpp>
#include <ferry/sdk/auth_plugin.hpp>
#include <ferry/sdk/host.hpp>
#include <string>

namespace ferry::sdk::detail {

template <typename P>
ferry_status authAuthenticate(void* instance, const ferry_auth_request* request,
                              ferry_sink* identity, ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  ferry_status result = FERRY_ERR_INTERNAL;
  ferry_status call = guarded(&inst.host, err, [&] {
    AuthRequest req;
    req.method = toView(request->method);
    req.path = toView(request->path);
    for (size_t i = 0; i < request->header_count; ++i) {
      req.headers.emplace_back(toView(request->headers[i].name), toView(request->headers[i].value));
    }
    req.remote_address = toView(request->remote_address);
    req.tls_peer_subject = toView(request->tls_peer_subject);
    req.tls_flags = request->tls_flags;
    AuthResult r = inst.plugin->authenticate(req);
    if (r.status == FERRY_OK) inst.host.sink_write(identity, toBytes(r.identity));
    result = r.status;
  });
  return call == FERRY_OK ? result : call;
}

template <typename P>
void authChallenge(void* instance, ferry_sink* out) noexcept {
  auto& inst = self<P>(instance);
  // No challenge is the safe answer to a failure: the 401 itself is unchanged.
  try {
    std::string challenge = inst.plugin->challenge();
    if (!challenge.empty()) inst.host.sink_write(out, toBytes(challenge));
  } catch (const std::exception& e) {
    Host(&inst.host).error(std::string("challenge() failed: ") + e.what());
  } catch (...) {
    Host(&inst.host).error("challenge() failed");
  }
}

template <typename P>
const ferry_auth_vtable* authVtable() {
  static const ferry_auth_vtable vt = {sizeof(ferry_auth_vtable), &authAuthenticate<P>,
                                       P::kAuthFlags, &authChallenge<P>};
  return &vt;
}

}  // namespace ferry::sdk::detail
