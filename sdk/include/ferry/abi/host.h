/*
 * Ferry plugin ABI, part "host": the services the host offers every plugin (ferry_host).
 * Part of ferry/plugin_abi.h, which includes every part and states the rules they all follow
 * (versions, memory, errors, lifecycle). Plain C (C99), like all of the ABI.
 */
#ifndef FERRY_ABI_HOST_H
#define FERRY_ABI_HOST_H

#include "ferry/abi/families.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Services the host offers to plugins. Valid from create() until destroy() returns.
 * All callbacks are thread-safe and copy what they are given.
 */
typedef struct ferry_host {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  void* host_ctx;
  /* Writes a line to Ferry's log, attributed to the plugin. */
  void (*log)(void* host_ctx, ferry_log_level level, ferry_bytes message);
  /* Sets (replaces) the message of an error. */
  void (*error_set)(ferry_error* err, ferry_bytes message);
  /* Appends bytes to an output sink. */
  void (*sink_write)(ferry_sink* sink, ferry_bytes data);
  /* Since 1.2: the family builder, for input plugins' parse_families. */
  const ferry_family_builder* family_builder;
} ferry_host;

/* The size of ferry_host in ABI 1.0 and 1.1, before `family_builder`. */
#define FERRY_HOST_SIZE_1_0 (offsetof(ferry_host, family_builder))

#ifdef __cplusplus
}
#endif

#endif /* FERRY_ABI_HOST_H */
