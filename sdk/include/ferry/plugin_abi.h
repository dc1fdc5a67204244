/*
 * Ferry plugin ABI, version 1 (minor 2: see FERRY_ABI_MINOR).
 *
 * This is the only contract between the Ferry host and a plugin shared library. It is plain C
 * (C99) so that a plugin built with another compiler, another C++ standard library or another
 * _GLIBCXX_USE_CXX11_ABI setting can still be loaded safely: only fixed-width integers, enums
 * with explicit values, byte spans and opaque pointers cross the boundary.
 *
 * Versioning rules
 *   - FERRY_ABI_MAJOR changes when a struct or function changes incompatibly. The host refuses a
 *     plugin of another major version.
 *   - FERRY_ABI_MINOR changes when fields are appended to a struct. Every struct starts with
 *     `struct_size`; a reader only reads the fields that the writer's struct_size covers. The
 *     host refuses a plugin built against a newer minor than its own (it might rely on host
 *     callbacks the host does not have).
 *   - Fields are only ever appended, never reordered or removed within a major version.
 *
 * Memory
 *   Memory never changes allocator. Data that the host gives a plugin (ferry_bytes) is
 *   borrowed for the duration of the call. Data that a plugin gives back travels through host
 *   callbacks (ferry_host.sink_write, ferry_host.error_set, ...) which copy it; the plugin keeps
 *   ownership of its own buffers and frees its instance in its own `destroy`.
 *
 * Errors
 *   Every call that can fail returns a ferry_status. On failure the plugin may describe the
 *   problem with ferry_host.error_set(err, message); the host shows that message to the HTTP
 *   client or in its log. A plugin must never let a C++ exception cross this boundary (the C++
 *   layer in ferry/sdk.hpp catches them for you).
 *
 * Lifecycle
 *   ferry_plugin_entry_v1() -> descriptor; descriptor->create(host, config) -> instance;
 *   calls on the instance; descriptor->destroy(instance). Plugins are never unloaded while the
 *   host runs.
 */
#ifndef FERRY_PLUGIN_ABI_H
#define FERRY_PLUGIN_ABI_H

/* The ABI in parts, one header each; every part includes the parts it builds on. */
#include "ferry/abi/auth.h"       /* auth plugins */
#include "ferry/abi/base.h"       /* version, entry symbol, byte spans, status codes, kinds */
#include "ferry/abi/descriptor.h" /* the descriptor, declared config keys */
#include "ferry/abi/families.h"   /* the family builder input plugins hand families to */
#include "ferry/abi/host.h"       /* the services the host offers every plugin */
#include "ferry/abi/input.h"      /* input plugins */
#include "ferry/abi/storage.h"    /* storage plugins, shared stores */

#endif /* FERRY_PLUGIN_ABI_H */
