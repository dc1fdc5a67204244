/*
 * Ferry plugin ABI, part "base": the basics every part of the ABI uses: the version, the entry
 * symbol, byte spans, status codes, plugin kinds, log levels and the opaque error and output
 * objects. Part of ferry/plugin_abi.h, which includes every part and states the rules they all
 * follow (versions, memory, errors, lifecycle). Plain C (C99), like all of the ABI.
 */
#ifndef FERRY_ABI_BASE_H
#define FERRY_ABI_BASE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FERRY_ABI_MAJOR 1
#define FERRY_ABI_MINOR 2
/* What each minor appended:
 *   1.1  ferry_storage_vtable.flags (FERRY_STORAGE_VOLATILE)
 *   1.2  ferry_auth_request.tls_flags (FERRY_AUTH_TLS_*: was the client certificate verified);
 *        ferry_auth_vtable.flags (FERRY_AUTH_USES_CLIENT_CERT) and .challenge (the plugin's
 *        WWW-Authenticate challenge); ferry_plugin_descriptor.config_keys and
 *        .config_key_count: declared config keys (ferry_config_key, FERRY_CONFIG_*);
 *        ferry_host.family_builder and ferry_input_vtable.parse_families: the family builder
 *        (ferry_family_builder); shared stores: FERRY_STORAGE_SHARED,
 *        ferry_storage_vtable.snapshot, read_changes, write_if and lease, ferry_storage_commit,
 *        FERRY_STORAGE_WIPE, FERRY_ERR_CONFLICT, FERRY_ERR_FEED_GAP and FERRY_ERR_UNAVAILABLE */

/* The one symbol a plugin exports. The major version is part of its name. */
#define FERRY_PLUGIN_ENTRY_SYMBOL "ferry_plugin_entry_v1"

#if defined(_WIN32)
#define FERRY_PLUGIN_EXPORT __declspec(dllexport)
#else
#define FERRY_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* A borrowed run of bytes; not NUL-terminated. data may be NULL when size is 0. */
typedef struct ferry_bytes {
  const char* data;
  size_t size;
} ferry_bytes;

typedef enum ferry_status {
  FERRY_OK = 0,
  /* The request's data is wrong (HTTP 400). */
  FERRY_ERR_INVALID_INPUT = 1,
  /* The plugin cannot do this (e.g. an optional operation). */
  FERRY_ERR_UNSUPPORTED = 2,
  /* Storage or other I/O failed (HTTP 500 on the request path, refusal at start). */
  FERRY_ERR_IO = 3,
  /* The plugin's configuration is invalid (only from create). */
  FERRY_ERR_CONFIG = 4,
  /* Anything else, including a caught exception. */
  FERRY_ERR_INTERNAL = 5,
  /* Auth: the request carries no credentials this plugin understands. */
  FERRY_AUTH_NO_CREDENTIALS = 6,
  /* Auth: the request carries credentials and they are wrong. */
  FERRY_AUTH_DENIED = 7,
  /* Since 1.2, shared stores: write_if found the store past the expected position; nothing
   * was written. */
  FERRY_ERR_CONFLICT = 8,
  /* Since 1.2, shared stores: read_changes cannot deliver the commit that directly follows the
   * given position (trimmed away, or the store was reset or rolled back); call snapshot. */
  FERRY_ERR_FEED_GAP = 9,
  /* Since 1.2: the store cannot be reached right now (server down, failover in progress); the
   * same call may succeed later. */
  FERRY_ERR_UNAVAILABLE = 10
} ferry_status;

typedef enum ferry_plugin_kind {
  FERRY_KIND_INPUT = 1,
  FERRY_KIND_STORAGE = 2,
  FERRY_KIND_AUTH = 3
} ferry_plugin_kind;

typedef enum ferry_log_level {
  FERRY_LOG_DEBUG = 0,
  FERRY_LOG_INFO = 1,
  FERRY_LOG_WARN = 2,
  FERRY_LOG_ERROR = 3
} ferry_log_level;

/* Opaque host objects handed to plugin calls. */
typedef struct ferry_error ferry_error; /* where a call's error message goes */
typedef struct ferry_sink ferry_sink;   /* where a call's output bytes go */

#ifdef __cplusplus
}
#endif

#endif /* FERRY_ABI_BASE_H */
