/*
 * Ferry plugin ABI, part "input": input plugins (FERRY_KIND_INPUT): ferry_input_vtable.
 * Part of ferry/plugin_abi.h, which includes every part and states the rules they all follow
 * (versions, memory, errors, lifecycle). Plain C (C99), like all of the ABI.
 */
#ifndef FERRY_ABI_INPUT_H
#define FERRY_ABI_INPUT_H

#include "ferry/abi/host.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Input plugins turn a push body into metric families, in one of two ways:
 *   parse_families (since 1.2) hands them to the family builder (ferry_host.family_builder);
 *   parse (1.0) writes a stream of varint-length-delimited io.prometheus.client.MetricFamily
 *   messages (the same bytes as a protobuf push) with sink_write.
 * A plugin sets at least one of them; a host of ABI 1.2 calls parse_families when it is set.
 * Thread-safety: accepts and both parse functions are called concurrently from many threads on
 * one instance.
 */
typedef struct ferry_input_vtable {
  uint32_t struct_size;
  /* Non-zero if this plugin parses bodies of this Content-Type: the value of the request's
   * Content-Type header exactly as the client sent it (any letter case, parameters, quoted
   * values; empty when the header is absent). */
  int (*accepts)(void* instance, ferry_bytes content_type);
  /* Parses `body` (already decompressed) into delimited MetricFamily bytes; may be NULL in a
   * plugin of ABI 1.2 or later that sets parse_families. On FERRY_ERR_INVALID_INPUT the error
   * message is sent to the client with HTTP 400. */
  ferry_status (*parse)(void* instance, ferry_bytes content_type, ferry_bytes body, ferry_sink* out,
                        ferry_error* err);
  /* Since 1.2: parses `body` and hands its families to `out` through host->family_builder. The
   * same statuses as parse; a failed builder call decides the outcome (see the builder). */
  ferry_status (*parse_families)(void* instance, ferry_bytes content_type, ferry_bytes body,
                                 ferry_families* out, ferry_error* err);
} ferry_input_vtable;
/* The size of ferry_input_vtable in ABI 1.0 and 1.1, before `parse_families`. */
#define FERRY_INPUT_VTABLE_SIZE_1_0 (offsetof(ferry_input_vtable, parse_families))

#ifdef __cplusplus
}
#endif

#endif /* FERRY_ABI_INPUT_H */
