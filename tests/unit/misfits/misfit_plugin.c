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
  return &instance;
#endif
}

static void destroy(void* instance) { (void)instance; }

static const ferry_plugin_descriptor descriptor = {
    sizeof(ferry_plugin_descriptor), MISFIT_MAJOR, MISFIT_MINOR, FERRY_KIND_INPUT, MISFIT_NAME,
    "0.0.1", "a deliberately broken plugin", "{}", create, destroy, &vtable};

#ifdef MISFIT_NO_ENTRY
FERRY_PLUGIN_EXPORT const ferry_plugin_descriptor* some_other_symbol(void) { return &descriptor; }
#else
FERRY_PLUGIN_EXPORT const ferry_plugin_descriptor* ferry_plugin_entry_v1(void) {
  return &descriptor;
}
#endif
