/* One source, several deliberately broken plugins (selected with -D flags), for the tests
 * that check how the plugin host refuses them. Written against the raw C ABI on purpose: the
 * SDK's C++ layer would not let a plugin get these things wrong. */
#include <ferry/plugin_abi.h>
#include <stddef.h>

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

#if !defined(MISFIT_STORAGE_1_0) && !defined(MISFIT_AUTH)
static int accepts(void* instance, ferry_bytes content_type) {
  (void)instance;
  (void)content_type;
  return 1;
}

static ferry_status parse(void* instance, ferry_bytes content_type, ferry_bytes body,
                          ferry_sink* out, ferry_error* err) {
  (void)instance;
  (void)content_type;
  (void)body;
  (void)out;
  (void)err;
  return FERRY_OK;
}

static const ferry_input_vtable vtable = {sizeof(ferry_input_vtable), accepts, parse};
#endif

#ifdef MISFIT_STORAGE_1_0
/* A storage plugin as ABI 1.0 built it: its table ends before `flags` (1.1). The field is set
 * here only to prove that the host never reads past struct_size. */
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
static const ferry_storage_vtable storage_vtable = {FERRY_STORAGE_VTABLE_SIZE_1_0,
                                                    storage_write,
                                                    storage_scan,
                                                    storage_call,
                                                    storage_call,
                                                    0xFFFFFFFFu};
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

static const ferry_plugin_descriptor descriptor = {sizeof(ferry_plugin_descriptor),
                                                   MISFIT_MAJOR,
                                                   MISFIT_MINOR,
                                                   MISFIT_KIND,
                                                   MISFIT_NAME,
                                                   MISFIT_VERSION,
                                                   "a deliberately broken plugin",
                                                   "{}",
                                                   create,
                                                   destroy,
                                                   MISFIT_VTABLE};

#ifdef MISFIT_NO_ENTRY
FERRY_PLUGIN_EXPORT const ferry_plugin_descriptor* some_other_symbol(void) { return &descriptor; }
#else
FERRY_PLUGIN_EXPORT const ferry_plugin_descriptor* ferry_plugin_entry_v1(void) {
  return &descriptor;
}
#endif
