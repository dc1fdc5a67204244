/* The pinned layout of ABI 1.x on LP64 (x86_64, aarch64). Included from C11, C99 and C++
 * translation units: a change of any size or offset fails the build. Appending fields is
 * allowed only together with a FERRY_ABI_MINOR bump and a new block below; anything else needs
 * FERRY_ABI_MAJOR. */
#ifndef FERRY_TEST_ABI_LAYOUT_H
#define FERRY_TEST_ABI_LAYOUT_H

#include <ferry/plugin_abi.h>
#include <stddef.h>

#if defined(__cplusplus)
#define FERRY_PIN(cond, msg) static_assert(cond, msg)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define FERRY_PIN(cond, msg) _Static_assert(cond, msg)
#else /* C99: a negative array size is a compile error */
#define FERRY_PIN_CAT2(a, b) a##b
#define FERRY_PIN_CAT(a, b) FERRY_PIN_CAT2(a, b)
#define FERRY_PIN(cond, msg) typedef char FERRY_PIN_CAT(ferry_pin_, __LINE__)[(cond) ? 1 : -1]
#endif

FERRY_PIN(FERRY_ABI_MAJOR == 1 && FERRY_ABI_MINOR == 2, "ABI version changed: update the pins");
FERRY_PIN(sizeof(void*) == 8, "the pins below are for LP64");

FERRY_PIN(sizeof(ferry_bytes) == 16, "ferry_bytes size");
FERRY_PIN(offsetof(ferry_bytes, size) == 8, "ferry_bytes.size");

FERRY_PIN(sizeof(ferry_host) == 40, "ferry_host size");
FERRY_PIN(offsetof(ferry_host, abi_major) == 4, "ferry_host.abi_major");
FERRY_PIN(offsetof(ferry_host, abi_minor) == 6, "ferry_host.abi_minor");
FERRY_PIN(offsetof(ferry_host, host_ctx) == 8, "ferry_host.host_ctx");
FERRY_PIN(offsetof(ferry_host, log) == 16, "ferry_host.log");
FERRY_PIN(offsetof(ferry_host, error_set) == 24, "ferry_host.error_set");
FERRY_PIN(offsetof(ferry_host, sink_write) == 32, "ferry_host.sink_write");

FERRY_PIN(sizeof(ferry_input_vtable) == 24, "ferry_input_vtable size");
FERRY_PIN(offsetof(ferry_input_vtable, accepts) == 8, "ferry_input_vtable.accepts");
FERRY_PIN(offsetof(ferry_input_vtable, parse) == 16, "ferry_input_vtable.parse");

FERRY_PIN(sizeof(ferry_storage_op) == 40, "ferry_storage_op size");
FERRY_PIN(offsetof(ferry_storage_op, kind) == 4, "ferry_storage_op.kind");
FERRY_PIN(offsetof(ferry_storage_op, key) == 8, "ferry_storage_op.key");
FERRY_PIN(offsetof(ferry_storage_op, value) == 24, "ferry_storage_op.value");

FERRY_PIN(FERRY_STORAGE_VTABLE_SIZE_1_0 == 40, "ferry_storage_vtable size in 1.0");
FERRY_PIN(offsetof(ferry_storage_vtable, write) == 8, "ferry_storage_vtable.write");
FERRY_PIN(offsetof(ferry_storage_vtable, scan) == 16, "ferry_storage_vtable.scan");
FERRY_PIN(offsetof(ferry_storage_vtable, wipe) == 24, "ferry_storage_vtable.wipe");
FERRY_PIN(offsetof(ferry_storage_vtable, flush) == 32, "ferry_storage_vtable.flush");

FERRY_PIN(sizeof(ferry_header) == 32, "ferry_header size");
FERRY_PIN(offsetof(ferry_header, value) == 16, "ferry_header.value");

FERRY_PIN(offsetof(ferry_auth_request, tls_flags) == 88, "ferry_auth_request size in 1.0");
FERRY_PIN(offsetof(ferry_auth_request, method) == 8, "ferry_auth_request.method");
FERRY_PIN(offsetof(ferry_auth_request, path) == 24, "ferry_auth_request.path");
FERRY_PIN(offsetof(ferry_auth_request, headers) == 40, "ferry_auth_request.headers");
FERRY_PIN(offsetof(ferry_auth_request, header_count) == 48, "ferry_auth_request.header_count");
FERRY_PIN(offsetof(ferry_auth_request, remote_address) == 56, "ferry_auth_request.remote");
FERRY_PIN(offsetof(ferry_auth_request, tls_peer_subject) == 72, "ferry_auth_request.tls");

FERRY_PIN(FERRY_AUTH_VTABLE_SIZE_1_0 == 16, "ferry_auth_vtable size in 1.0");
FERRY_PIN(offsetof(ferry_auth_vtable, authenticate) == 8, "ferry_auth_vtable.authenticate");

FERRY_PIN(sizeof(ferry_plugin_descriptor) == 72, "ferry_plugin_descriptor size");
FERRY_PIN(offsetof(ferry_plugin_descriptor, abi_major) == 4, "descriptor.abi_major");
FERRY_PIN(offsetof(ferry_plugin_descriptor, abi_minor) == 6, "descriptor.abi_minor");
FERRY_PIN(offsetof(ferry_plugin_descriptor, kind) == 8, "descriptor.kind");
FERRY_PIN(offsetof(ferry_plugin_descriptor, name) == 16, "descriptor.name");
FERRY_PIN(offsetof(ferry_plugin_descriptor, version) == 24, "descriptor.version");
FERRY_PIN(offsetof(ferry_plugin_descriptor, description) == 32, "descriptor.description");
FERRY_PIN(offsetof(ferry_plugin_descriptor, default_config) == 40, "descriptor.default_config");
FERRY_PIN(offsetof(ferry_plugin_descriptor, create) == 48, "descriptor.create");
FERRY_PIN(offsetof(ferry_plugin_descriptor, destroy) == 56, "descriptor.destroy");
FERRY_PIN(offsetof(ferry_plugin_descriptor, vtable) == 64, "descriptor.vtable");

FERRY_PIN(FERRY_OK == 0 && FERRY_ERR_INVALID_INPUT == 1 && FERRY_AUTH_DENIED == 7, "statuses");
FERRY_PIN(FERRY_KIND_INPUT == 1 && FERRY_KIND_STORAGE == 2 && FERRY_KIND_AUTH == 3, "kinds");
FERRY_PIN(FERRY_STORAGE_PUT == 1 && FERRY_STORAGE_REMOVE == 2, "storage op kinds");

/* ABI 1.1: appended to ferry_storage_vtable. */
FERRY_PIN(offsetof(ferry_storage_vtable, flags) == 40, "ferry_storage_vtable.flags");
FERRY_PIN(sizeof(ferry_storage_vtable) == 48, "ferry_storage_vtable size in 1.1");
FERRY_PIN(FERRY_STORAGE_VOLATILE == 0x1u, "storage flags");

/* ABI 1.2: appended to ferry_auth_request and ferry_auth_vtable. */
FERRY_PIN(sizeof(ferry_auth_request) == 96, "ferry_auth_request size in 1.2");
FERRY_PIN(offsetof(ferry_auth_vtable, flags) == 16, "ferry_auth_vtable.flags");
FERRY_PIN(offsetof(ferry_auth_vtable, challenge) == 24, "ferry_auth_vtable.challenge");
FERRY_PIN(sizeof(ferry_auth_vtable) == 32, "ferry_auth_vtable size in 1.2");
FERRY_PIN(FERRY_AUTH_TLS == 0x1u && FERRY_AUTH_TLS_PEER_CERT == 0x2u &&
              FERRY_AUTH_TLS_PEER_VERIFIED == 0x4u,
          "auth request TLS flags");
FERRY_PIN(FERRY_AUTH_USES_CLIENT_CERT == 0x1u, "auth flags");

#endif
