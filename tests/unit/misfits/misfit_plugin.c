/* One source, several deliberately broken plugins (selected with -D flags), for the tests
 * that check how the plugin host refuses them. Written against the raw C ABI on purpose: the
 * SDK's C++ layer would not let a plugin get these things wrong. */
#include <ferry/plugin_abi.h>
#include <stddef.h>
#include <string.h>

#ifndef MISFIT_MAJOR
#define MISFIT_MAJOR FERRY_ABI_MAJOR
#endif
#ifndef MISFIT_MINOR
#define MISFIT_MINOR FERRY_ABI_MINOR
#endif
#ifdef MISFIT_NULL_VERSION
#define MISFIT_VERSION NULL
#else
#define MISFIT_VERSION "0.0.1"
#endif

#if defined(MISFIT_STORAGE_1_0) || defined(MISFIT_STORAGE_1_1) || defined(MISFIT_STORAGE_SHARED)
#define MISFIT_STORAGE
#endif

/* Before ABI 1.2 the descriptor and the input table ended earlier. */
#if MISFIT_MINOR < 2
#define MISFIT_DESCRIPTOR_SIZE FERRY_PLUGIN_DESCRIPTOR_SIZE_1_0
#define MISFIT_INPUT_VTABLE_SIZE FERRY_INPUT_VTABLE_SIZE_1_0
#else
#define MISFIT_DESCRIPTOR_SIZE sizeof(ferry_plugin_descriptor)
#define MISFIT_INPUT_VTABLE_SIZE sizeof(ferry_input_vtable)
#endif

static const ferry_host* the_host; /* set by create */

static inline ferry_bytes text(const char* s) {
  ferry_bytes b = {s, strlen(s)};
  return b;
}

#if !defined(MISFIT_STORAGE) && !defined(MISFIT_AUTH)
static int accepts(void* instance, ferry_bytes content_type) {
  (void)instance;
  (void)content_type;
  return 1;
}

#ifndef MISFIT_BUILDER
/* The bytes interface (a plugin that builds with the builder has none): one delimited
 * MetricFamily that holds only its name, MISFIT_NAME. */
static ferry_status parse(void* instance, ferry_bytes content_type, ferry_bytes body,
                          ferry_sink* out, ferry_error* err) {
  static const char name[] = MISFIT_NAME;
  char frame[2 + 2 + sizeof name];
  ferry_bytes bytes = {frame, 3 + sizeof name - 1};
  (void)instance;
  (void)content_type;
  (void)body;
  (void)err;
  frame[0] = (char)(2 + sizeof name - 1);
  frame[1] = 0x0a;
  frame[2] = (char)(sizeof name - 1);
  memcpy(frame + 3, name, sizeof name - 1);
  the_host->sink_write(out, bytes);
  return FERRY_OK;
}
#endif

#ifdef MISFIT_BUILDER
/* The family builder from C. The body says what to do: "ok" builds a gauge family with one
 * series; "misuse" hands a summary to a counter; "ignore" gives one family two types and
 * returns FERRY_OK anyway (the builder's refusal must decide); "crash-after-error" checks that
 * a call after a refusal is refused too. */
static ferry_status parse_families(void* instance, ferry_bytes content_type, ferry_bytes body,
                                   ferry_families* out, ferry_error* err) {
  const ferry_family_builder* b = the_host->family_builder;
  ferry_family_info info;
  ferry_family* family = NULL;
  ferry_series series;
  ferry_summary summary;
  ferry_label label;
  ferry_status status;
  (void)instance;
  (void)content_type;
  (void)err;
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  info.type = FERRY_METRIC_GAUGE;
  info.name = text("c_gauge");
  status = b->family(out, &info, &family);
  if (status != FERRY_OK) return status;
  memset(&series, 0, sizeof series);
  series.struct_size = sizeof series;
  label.name = text("from");
  label.value = text("c");
  series.labels = &label;
  series.label_count = 1;
  series.value = 42;
  if (body.size == 6 && memcmp(body.data, "misuse", 6) == 0) {
    memset(&summary, 0, sizeof summary);
    summary.struct_size = sizeof summary;
    series.summary = &summary;
    return b->series(family, &series);
  }
  if (body.size == 6 && memcmp(body.data, "ignore", 6) == 0) {
    info.type = FERRY_METRIC_COUNTER;
    (void)b->family(out, &info, &family);
    return FERRY_OK;
  }
  return b->series(family, &series);
}

/* Declared keys, written in C: "path" (required) and "sync" (a boolean, default true). */
static const ferry_config_key config_keys[] = {
    {sizeof(ferry_config_key), FERRY_CONFIG_STRING, "path", "Where things go.", NULL, "\"things\"",
     NULL},
    {sizeof(ferry_config_key), FERRY_CONFIG_BOOL, "sync", "Sync or not.", "true", NULL, NULL},
#ifdef MISFIT_BAD_KEYS
    /* Required, but without an example: --plugin-help could not print a working sample. */
    {sizeof(ferry_config_key), FERRY_CONFIG_STRING, "broken", "No example.", NULL, NULL, NULL},
#endif
};
#define MISFIT_CONFIG_KEYS config_keys
#define MISFIT_CONFIG_KEY_COUNT (sizeof config_keys / sizeof config_keys[0])
#define MISFIT_PARSE NULL
#define MISFIT_PARSE_FAMILIES parse_families
#else
#define MISFIT_CONFIG_KEYS NULL
#define MISFIT_CONFIG_KEY_COUNT 0
#define MISFIT_PARSE parse
#define MISFIT_PARSE_FAMILIES NULL
#endif

static const ferry_input_vtable vtable = {MISFIT_INPUT_VTABLE_SIZE, accepts, MISFIT_PARSE,
                                          MISFIT_PARSE_FAMILIES};
#else
#define MISFIT_CONFIG_KEYS NULL
#define MISFIT_CONFIG_KEY_COUNT 0
#endif

#ifdef MISFIT_STORAGE
/* Storage plugins as older ABIs built them, and shared stores (1.2), selected by:
 *   MISFIT_STORAGE_1_0  the table ends before `flags` (1.1); the field is set only to prove
 *                       that the host never reads past struct_size;
 *   MISFIT_STORAGE_1_1  the table ends before `snapshot` (1.2), with a FERRY_STORAGE_SHARED bit
 *                       that meant nothing in 1.1;
 *   MISFIT_STORAGE_SHARED  a complete 1.2 table whose shared-store functions answer with fixed
 *                       values (the host's wrappers are checked against them), or with
 *                       MISFIT_NO_WRITE_IF, one that declares FERRY_STORAGE_SHARED without
 *                       write_if. */
static ferry_status storage_write(void* instance, const ferry_storage_op* ops, size_t count,
                                  ferry_error* err) {
  (void)instance;
  (void)ops;
  (void)count;
  (void)err;
  return FERRY_OK;
}
static ferry_status storage_scan(void* instance, ferry_scan_fn fn, void* ctx, ferry_error* err) {
  (void)instance;
  (void)fn;
  (void)ctx;
  (void)err;
  return FERRY_OK;
}
static ferry_status storage_call(void* instance, ferry_error* err) {
  (void)instance;
  (void)err;
  return FERRY_OK;
}
#if defined(MISFIT_STORAGE_1_0)
static const ferry_storage_vtable storage_vtable = {FERRY_STORAGE_VTABLE_SIZE_1_0,
                                                    storage_write,
                                                    storage_scan,
                                                    storage_call,
                                                    storage_call,
                                                    0xFFFFFFFFu,
                                                    NULL,
                                                    NULL,
                                                    NULL,
                                                    NULL};
#elif defined(MISFIT_STORAGE_1_1)
static const ferry_storage_vtable storage_vtable = {FERRY_STORAGE_VTABLE_SIZE_1_1,
                                                    storage_write,
                                                    storage_scan,
                                                    storage_call,
                                                    storage_call,
                                                    FERRY_STORAGE_VOLATILE | FERRY_STORAGE_SHARED,
                                                    NULL,
                                                    NULL,
                                                    NULL,
                                                    NULL};
#else
/* One entry, at position 7. */
static ferry_status storage_snapshot(void* instance, ferry_scan_fn fn, void* ctx,
                                     uint64_t* position, ferry_error* err) {
  (void)instance;
  (void)err;
  fn(ctx, text("key"), text("value"));
  *position = 7;
  return FERRY_OK;
}
/* After 7: one commit at 8 (a put, then a wipe); after 8: nothing; otherwise a gap. */
static ferry_status storage_read_changes(void* instance, uint64_t after, uint32_t wait_ms,
                                         ferry_commit_fn fn, void* ctx, ferry_error* err) {
  ferry_storage_op ops[2] = {{sizeof(ferry_storage_op), FERRY_STORAGE_PUT, {0, 0}, {0, 0}},
                             {sizeof(ferry_storage_op), FERRY_STORAGE_WIPE, {0, 0}, {0, 0}}};
  ferry_storage_commit commit = {sizeof(ferry_storage_commit), 8, 1700000000000000000, ops, 2};
  (void)instance;
  (void)wait_ms;
  ops[0].key = text("k8");
  ops[0].value = text("v8");
  if (after == 8) return FERRY_OK;
  if (after != 7) return FERRY_ERR_FEED_GAP;
  fn(ctx, &commit);
  (void)err;
  return FERRY_OK;
}
#ifndef MISFIT_NO_WRITE_IF
/* At 7, a batch commits at 7 + count; anything else conflicts. */
static ferry_status storage_write_if(void* instance, uint64_t expected, const ferry_storage_op* ops,
                                     size_t count, uint64_t* position, ferry_error* err) {
  (void)instance;
  (void)ops;
  if (expected != 7) {
    the_host->error_set(err, text("the store is at 7"));
    return FERRY_ERR_CONFLICT;
  }
  *position = 7 + count;
  return FERRY_OK;
}
#endif
/* Held while asked for with a ttl, for the name "mine" only. */
static ferry_status storage_lease(void* instance, ferry_bytes name, uint32_t ttl_ms, int* held,
                                  ferry_error* err) {
  (void)instance;
  (void)err;
  *held = ttl_ms > 0 && name.size == 4 && name.data[0] == 'm';
  return FERRY_OK;
}
#ifdef MISFIT_NO_WRITE_IF
#define MISFIT_WRITE_IF NULL
#else
#define MISFIT_WRITE_IF storage_write_if
#endif
static const ferry_storage_vtable storage_vtable = {sizeof(ferry_storage_vtable),
                                                    storage_write,
                                                    storage_scan,
                                                    storage_call,
                                                    storage_call,
                                                    FERRY_STORAGE_SHARED,
                                                    storage_snapshot,
                                                    storage_read_changes,
                                                    MISFIT_WRITE_IF,
                                                    storage_lease};
#endif
#define MISFIT_KIND FERRY_KIND_STORAGE
#define MISFIT_VTABLE (&storage_vtable)
#elif defined(MISFIT_AUTH)
/* Auth plugins around ABI 1.2's ferry_auth_vtable.flags and .challenge. */
static ferry_status authenticate(void* instance, const ferry_auth_request* request,
                                 ferry_sink* identity, ferry_error* err) {
  (void)instance;
  (void)request;
  (void)identity;
  (void)err;
  return FERRY_AUTH_NO_CREDENTIALS;
}
static const ferry_host* auth_host;
static void challenge(void* instance, ferry_sink* out) {
  /* A challenge that would split the response if the host sent it. */
  static const char text[] = "Bearer realm=\"x\"\r\nSet-Cookie: stolen=1";
  ferry_bytes bytes = {text, sizeof text - 1};
  (void)instance;
  auth_host->sink_write(out, bytes);
}
#ifdef MISFIT_AUTH_1_1
/* As ABI 1.1 built it: the table ends before `flags`. The fields are set here only to prove
 * that the host never reads past struct_size (it would call challenge and refuse it). */
static const ferry_auth_vtable auth_vtable = {FERRY_AUTH_VTABLE_SIZE_1_0, authenticate, 0xFFFFFFFFu,
                                              challenge};
#else
static const ferry_auth_vtable auth_vtable = {sizeof(ferry_auth_vtable), authenticate, 0,
                                              challenge};
#endif
#define MISFIT_KIND FERRY_KIND_AUTH
#define MISFIT_VTABLE (&auth_vtable)
#else
#define MISFIT_KIND FERRY_KIND_INPUT
#define MISFIT_VTABLE (&vtable)
#endif

static void* create(const ferry_host* host, ferry_bytes config, ferry_error* err) {
  the_host = host;
#ifdef MISFIT_BUILDER
  /* The host checks declared keys before create: a config without "path" never gets here. */
  if (config.size == 0 || !memchr(config.data, 'p', config.size)) {
    static const char message[] = "create() was called with a config the host should refuse";
    ferry_bytes text_of = {message, sizeof message - 1};
    host->error_set(err, text_of);
    return NULL;
  }
#endif
  (void)config;
#ifdef MISFIT_CREATE_FAILS
  {
    static const char message[] = "refusing to start: misfit";
    ferry_bytes text = {message, sizeof message - 1};
    host->error_set(err, text);
    return NULL;
  }
#else
  static int instance;
  (void)host;
  (void)err;
#ifdef MISFIT_AUTH
  auth_host = host;
#endif
  return &instance;
#endif
}

static void destroy(void* instance) { (void)instance; }

static const ferry_plugin_descriptor descriptor = {MISFIT_DESCRIPTOR_SIZE,
                                                   MISFIT_MAJOR,
                                                   MISFIT_MINOR,
                                                   MISFIT_KIND,
                                                   MISFIT_NAME,
                                                   MISFIT_VERSION,
                                                   "a deliberately broken plugin",
                                                   "{}",
                                                   create,
                                                   destroy,
                                                   MISFIT_VTABLE,
                                                   MISFIT_CONFIG_KEYS,
                                                   MISFIT_CONFIG_KEY_COUNT};

#ifdef MISFIT_NO_ENTRY
FERRY_PLUGIN_EXPORT const ferry_plugin_descriptor* some_other_symbol(void) { return &descriptor; }
#else
FERRY_PLUGIN_EXPORT const ferry_plugin_descriptor* ferry_plugin_entry_v1(void) {
  return &descriptor;
}
#endif
