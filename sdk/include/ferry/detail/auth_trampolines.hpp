// Not for plugin authors: the C functions of ferry_auth_vtable, wrapping an AuthPlugin class.
#pragma once

#include <ferry/detail/guard.hpp>
#include <ferry/sdk/auth_plugin.hpp>

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
    AuthResult r = inst.plugin->authenticate(req);
    if (r.status == FERRY_OK) inst.host.sink_write(identity, toBytes(r.identity));
    result = r.status;
  });
  return call == FERRY_OK ? result : call;
}

template <typename P>
const ferry_auth_vtable* authVtable() {
  static const ferry_auth_vtable vt = {sizeof(ferry_auth_vtable), &authAuthenticate<P>};
  return &vt;
}

}  // namespace ferry::sdk::detail
