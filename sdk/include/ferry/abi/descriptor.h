/*
 * Ferry plugin ABI, part "descriptor": the descriptor a plugin returns from its entry symbol, with
 * its declared config keys. Part of ferry/plugin_abi.h, which includes every part and states the
 * rules they all follow (versions, memory, errors, lifecycle). Plain C (C99), like all of the ABI.
 */
#ifndef FERRY_ABI_DESCRIPTOR_H
#define FERRY_ABI_DESCRIPTOR_H

#include "ferry/abi/host.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Declared configuration keys (since ABI 1.2), as fluent-bit's config maps. A plugin that
 * declares its keys lets the host check a config before create() runs: an unknown key, a
 * missing required key or a value of the wrong type is refused with a message that names the
 * key, and create() is never called. `ferry --plugin-help NAME` prints every key and a sample
 * config built from the declaration.
 */

/* The JSON values a key takes: bits of ferry_config_key.types; with several bits, any of them. */
#define FERRY_CONFIG_STRING 0x001u      /* a string */
#define FERRY_CONFIG_BOOL 0x002u        /* true or false */
#define FERRY_CONFIG_INT 0x004u         /* an integer from -2^63 to 2^63-1 */
#define FERRY_CONFIG_UINT 0x008u        /* an integer from 0 to 2^64-1 */
#define FERRY_CONFIG_NUMBER 0x010u      /* any number */
#define FERRY_CONFIG_DURATION 0x020u    /* a string in Go's duration syntax: "5m", "1h30m", "0" */
#define FERRY_CONFIG_STRING_LIST 0x040u /* an array of strings */
#define FERRY_CONFIG_STRING_MAP 0x080u  /* an object whose values are strings */
#define FERRY_CONFIG_OBJECT 0x100u      /* any object (the plugin checks what is inside) */
#define FERRY_CONFIG_ARRAY 0x200u       /* any array (the plugin checks what is inside) */

typedef struct ferry_config_key {
  uint32_t struct_size;
  uint32_t types; /* FERRY_CONFIG_* bits, at least one */
  /* NUL-terminated, non-empty, unique among the plugin's keys. */
  const char* name;
  /* NUL-terminated: what the key does, for --plugin-help. */
  const char* description;
  /* NUL-terminated JSON text of the value used when the key is absent (it must be one of
   * `types`). NULL makes the key required. */
  const char* default_json;
  /* NUL-terminated JSON text of a value that works, used by the sample config of --plugin-help;
   * NULL: the default. A required key must have one. */
  const char* example_json;
  /* NULL, or NUL-terminated JSON text of an array: the only values the key takes. */
  const char* choices_json;
} ferry_config_key;

/* ---------------------------------------------------------------------------------------------
 * The descriptor a plugin returns from its entry symbol. It and every string it points to are
 * static: they live as long as the library.
 */
typedef struct ferry_plugin_descriptor {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  ferry_plugin_kind kind;
  const char* name;        /* NUL-terminated, [a-z0-9_-]+, unique per kind */
  const char* version;     /* NUL-terminated, the plugin's own version */
  const char* description; /* NUL-terminated, one line; may be NULL (read as "") */
  /* The configuration the plugin uses when given none, as JSON text (NUL-terminated); may be
   * NULL (read as "{}"). */
  const char* default_config;
  /* Builds an instance from a JSON object. Returns NULL and sets err on failure (unknown keys
   * and bad values are failures; with declared keys the host has checked them already). */
  void* (*create)(const ferry_host* host, ferry_bytes config_json, ferry_error* err);
  void (*destroy)(void* instance);
  /* ferry_input_vtable, ferry_storage_vtable or ferry_auth_vtable, by kind. */
  const void* vtable;
  /* Since 1.2: the config keys the plugin takes, config_key_count ferry_config_key entries that
   * all have the same struct_size, which is also the array's stride. NULL: the plugin does not
   * declare its keys and checks its config itself, as 1.0 and 1.1 plugins do. Non-NULL with a
   * count of 0: the plugin takes no keys. With declared keys, default_config is a config that
   * works: every key with its default, required keys with their example. */
  const ferry_config_key* config_keys;
  size_t config_key_count;
} ferry_plugin_descriptor;

/* The size of ferry_plugin_descriptor in ABI 1.0 and 1.1, before `config_keys`. */
#define FERRY_PLUGIN_DESCRIPTOR_SIZE_1_0 (offsetof(ferry_plugin_descriptor, config_keys))

typedef const ferry_plugin_descriptor* (*ferry_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_ABI_DESCRIPTOR_H */
