/*
 * Ferry plugin ABI, part "auth": auth plugins (FERRY_KIND_AUTH): ferry_auth_vtable.
 * Part of ferry/plugin_abi.h, which includes every part and states the rules they all follow
 * (versions, memory, errors, lifecycle). Plain C (C99), like all of the ABI.
 */
#ifndef FERRY_ABI_AUTH_H
#define FERRY_ABI_AUTH_H

#include "ferry/abi/host.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Auth plugins turn a request's credentials into an identity. The host decides what that
 * identity may do. Thread-safety: authenticate is called concurrently from many threads.
 */
typedef struct ferry_header {
  ferry_bytes name;
  ferry_bytes value;
} ferry_header;

/* ferry_auth_request.tls_flags (since ABI 1.2): what the TLS layer knows about the connection. */
/* The request came over TLS (--web.config.file with tls_server_config). */
#define FERRY_AUTH_TLS 0x1u
/* The client presented a certificate in the handshake. */
#define FERRY_AUTH_TLS_PEER_CERT 0x2u
/* The handshake verified that certificate's chain against the web config's client CAs
 * (client_ca_file / client_ca). Only then is tls_peer_subject set. Without it the certificate
 * proves nothing: with client_auth_type RequestClientCert or RequireAnyClientCert anyone may
 * present a self-signed certificate with any subject. */
#define FERRY_AUTH_TLS_PEER_VERIFIED 0x4u

typedef struct ferry_auth_request {
  uint32_t struct_size;
  ferry_bytes method;
  ferry_bytes path;
  const ferry_header* headers;
  size_t header_count;
  ferry_bytes remote_address;
  /* RFC 2253 subject of the client certificate (e.g. "CN=ci,O=Example"), set only when the
   * handshake verified its chain (FERRY_AUTH_TLS_PEER_VERIFIED); empty over plain HTTP, without
   * a client certificate and for a certificate that was not verified. The subject of an
   * unverified certificate never reaches a plugin, so a 1.0 or 1.1 plugin that reads only this
   * field is safe too. */
  ferry_bytes tls_peer_subject;
  /* Since 1.2: FERRY_AUTH_TLS_* bits. Always present for a 1.2 plugin (the host is never older
   * than its plugins). */
  uint32_t tls_flags;
} ferry_auth_request;

/* ferry_auth_vtable.flags (since ABI 1.2). */
/* The plugin's identities come from the TLS client certificate (tls_peer_subject). The host
 * refuses to start, and --check-config fails, unless the web config verifies client
 * certificates (client_auth_type VerifyClientCertIfGiven or RequireAndVerifyClientCert), and
 * refuses a web config reload that would stop verifying them. */
#define FERRY_AUTH_USES_CLIENT_CERT 0x1u

typedef struct ferry_auth_vtable {
  uint32_t struct_size;
  /* FERRY_OK: the identity is written to `identity`. FERRY_AUTH_NO_CREDENTIALS: not for this
   * plugin. FERRY_AUTH_DENIED: wrong credentials. */
  ferry_status (*authenticate)(void* instance, const ferry_auth_request* request,
                               ferry_sink* identity, ferry_error* err);
  /* Since 1.2: FERRY_AUTH_* bits; a 1.0/1.1 plugin's struct_size ends before it (read as 0). */
  uint32_t flags;
  /* Since 1.2, may be NULL: writes this instance's WWW-Authenticate challenge to `out` (one
   * challenge, RFC 9110 section 11.6.1, e.g. `Bearer realm="ferry"`; printable ASCII only), or
   * nothing when its credentials cannot be asked for over HTTP (client certificates). Called
   * once after create; the host sends the challenges of all auth plugins with every 401. A
   * 1.0/1.1 plugin declares none. */
  void (*challenge)(void* instance, ferry_sink* out);
} ferry_auth_vtable;

/* The size of ferry_auth_vtable in ABI 1.0 and 1.1, before `flags`: the smallest a host
 * accepts. */
#define FERRY_AUTH_VTABLE_SIZE_1_0 (offsetof(ferry_auth_vtable, flags))

#ifdef __cplusplus
}
#endif

#endif /* FERRY_ABI_AUTH_H */
