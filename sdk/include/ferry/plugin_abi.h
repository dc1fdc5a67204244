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

/* ---------------------------------------------------------------------------------------------
 * The family builder (since ABI 1.2): how an input plugin hands Ferry the families of a body.
 * The plugin calls ferry_host.family_builder; Ferry builds its own representation from the
 * calls, so nothing is encoded by the plugin and decoded again by the host, and the plugin
 * cannot produce malformed data. Every struct below mirrors a message of
 * io.prometheus.client (metrics.proto) field by field; fields that proto2 leaves unset unless
 * given have a presence bit.
 *
 * Failures: a builder call returns FERRY_OK or a failure; the first failure decides the outcome
 * of the parse, whatever parse_families returns afterwards (Ferry keeps the message), so a
 * plugin only needs to return the status on:
 *   FERRY_ERR_INVALID_INPUT  the data cannot be stored: a family given again with another type
 *                            or HELP, a family that grows past 1 GiB (HTTP 400)
 *   FERRY_ERR_INTERNAL       the plugin broke a rule of this API: a NULL pointer with a non-zero
 *                            count, a struct_size smaller than ABI 1.2's, a value that does
 *                            not belong to the family's type, malformed delimited bytes (500)
 * Names, label names and values and UTF-8 are not checked by the builder: Ferry checks them
 * for every push, whatever the input plugin, and answers 400 in the Pushgateway's wording.
 */
typedef struct ferry_families ferry_families; /* the families of one parse_families call */
typedef struct ferry_family ferry_family;     /* one family of it; valid until the call returns */

/* The same numbers as io.prometheus.client.MetricType. */
typedef enum ferry_metric_type {
  FERRY_METRIC_COUNTER = 0,
  FERRY_METRIC_GAUGE = 1,
  FERRY_METRIC_SUMMARY = 2,
  FERRY_METRIC_UNTYPED = 3,
  FERRY_METRIC_HISTOGRAM = 4,
  FERRY_METRIC_GAUGE_HISTOGRAM = 5
} ferry_metric_type;

/* A label pair, of a series or of an exemplar. */
typedef struct ferry_label {
  ferry_bytes name;
  ferry_bytes value;
} ferry_label;

/* google.protobuf.Timestamp: seconds since the Unix epoch, nanoseconds 0 to 999,999,999. */
typedef struct ferry_timestamp {
  int64_t seconds;
  int32_t nanos;
} ferry_timestamp;

/* ferry_exemplar.flags */
#define FERRY_EXEMPLAR_TIMESTAMP 0x1u /* timestamp is set */

typedef struct ferry_exemplar {
  const ferry_label* labels;
  size_t label_count;
  double value;
  uint32_t flags; /* FERRY_EXEMPLAR_* */
  ferry_timestamp timestamp;
} ferry_exemplar;

typedef struct ferry_quantile {
  double quantile;
  double value;
} ferry_quantile;

/* ferry_summary.flags and ferry_histogram.flags */
#define FERRY_AGGREGATE_COUNT 0x1u /* sample_count (or sample_count_float) is set */
#define FERRY_AGGREGATE_SUM 0x2u   /* sample_sum is set */
/* ferry_histogram.flags only */
#define FERRY_HISTOGRAM_FLOAT                                                                      \
  0x4u                              /* a float histogram: the *_float counts and positive/negative \
                                       _counts are used instead of the integer counts and deltas */
#define FERRY_HISTOGRAM_NATIVE 0x8u /* schema, zero_threshold and the zero count are set */

typedef struct ferry_summary {
  uint32_t struct_size;
  uint32_t flags; /* FERRY_AGGREGATE_* */
  uint64_t sample_count;
  double sample_sum;
  const ferry_quantile* quantiles;
  size_t quantile_count;
} ferry_summary;

/* A classic histogram bucket. */
typedef struct ferry_bucket {
  double upper_bound;
  uint64_t cumulative_count;
  double cumulative_count_float;  /* with FERRY_HISTOGRAM_FLOAT */
  const ferry_exemplar* exemplar; /* NULL or the bucket's exemplar */
} ferry_bucket;

/* A run of native histogram buckets. */
typedef struct ferry_bucket_span {
  int32_t offset;
  uint32_t length;
} ferry_bucket_span;

typedef struct ferry_histogram {
  uint32_t struct_size;
  uint32_t flags; /* FERRY_AGGREGATE_*, FERRY_HISTOGRAM_* */
  uint64_t sample_count;
  double sample_count_float; /* with FERRY_HISTOGRAM_FLOAT */
  double sample_sum;
  const ferry_bucket* buckets; /* classic buckets */
  size_t bucket_count;
  /* Native histograms. */
  int32_t schema;
  double zero_threshold;
  uint64_t zero_count;
  double zero_count_float; /* with FERRY_HISTOGRAM_FLOAT */
  const ferry_bucket_span* negative_spans;
  size_t negative_span_count;
  const int64_t* negative_deltas; /* integer histograms: count deltas */
  size_t negative_delta_count;
  const double* negative_counts; /* float histograms: absolute counts */
  size_t negative_count_count;
  const ferry_bucket_span* positive_spans;
  size_t positive_span_count;
  const int64_t* positive_deltas;
  size_t positive_delta_count;
  const double* positive_counts;
  size_t positive_count_count;
  const ferry_exemplar* exemplars; /* a native histogram's exemplars */
  size_t exemplar_count;
} ferry_histogram;

/* ferry_series.flags */
#define FERRY_SERIES_TIMESTAMP 0x1u /* timestamp_ms is set */
#define FERRY_SERIES_CREATED 0x2u   /* created is set (counter, summary, histogram) */

/* One series (io.prometheus.client.Metric) of a family: its labels and the value of the
 * family's type: `value` for counter, gauge and untyped, `summary` for summary and `histogram`
 * for histogram and gauge histogram families (the other two NULL). */
typedef struct ferry_series {
  uint32_t struct_size;
  uint32_t flags; /* FERRY_SERIES_* */
  const ferry_label* labels;
  size_t label_count;
  double value;
  const ferry_summary* summary;
  const ferry_histogram* histogram;
  int64_t timestamp_ms;
  ferry_timestamp created;
  const ferry_exemplar* exemplar; /* counters only: NULL or the counter's exemplar */
} ferry_series;

/* ferry_family_info.flags */
#define FERRY_FAMILY_HELP 0x1u /* help is set (possibly empty) */
#define FERRY_FAMILY_UNIT 0x2u /* unit is set */

typedef struct ferry_family_info {
  uint32_t struct_size;
  ferry_metric_type type;
  uint32_t flags; /* FERRY_FAMILY_* */
  ferry_bytes name;
  ferry_bytes help;
  ferry_bytes unit;
} ferry_family_info;

typedef struct ferry_family_builder {
  uint32_t struct_size;
  /* Starts the family info->name in `out`, or continues it when this parse started it before
   * with the same type, HELP and unit (FERRY_ERR_INVALID_INPUT otherwise). *family receives its
   * handle. */
  ferry_status (*family)(ferry_families* out, const ferry_family_info* info, ferry_family** family);
  /* Appends one series to a family. Everything is copied. */
  ferry_status (*series)(ferry_family* family, const ferry_series* series);
  /* Adds families given as varint-length-delimited io.prometheus.client.MetricFamily messages
   * (the bytes interface, e.g. a protobuf body passed through). A family of a name that this
   * parse already has replaces it, as in a protobuf push. */
  ferry_status (*delimited)(ferry_families* out, ferry_bytes bytes);
} ferry_family_builder;

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

/* The sizes of ferry_input_vtable and ferry_host in ABI 1.0 and 1.1. */
#define FERRY_INPUT_VTABLE_SIZE_1_0 (offsetof(ferry_input_vtable, parse_families))
#define FERRY_HOST_SIZE_1_0 (offsetof(ferry_host, family_builder))

/* ---------------------------------------------------------------------------------------------
 * Storage plugins are durable key-value stores of serialized groups. The host keeps the live
 * state; it writes every change through `write` and reads everything back with `scan` at start.
 * Keys and values are opaque binary strings. Thread-safety: `write`, `wipe` and `flush` come
 * from one writer thread; `scan` may run concurrently with them.
 */
typedef enum ferry_storage_op_kind {
  FERRY_STORAGE_PUT = 1,
  FERRY_STORAGE_REMOVE = 2,
  /* Since 1.2: removes every entry (key and value empty). Only in write_if batches and in
   * commits delivered by read_changes; never passed to `write`. */
  FERRY_STORAGE_WIPE = 3
} ferry_storage_op_kind;

typedef struct ferry_storage_op {
  uint32_t struct_size;
  ferry_storage_op_kind kind;
  ferry_bytes key;
  ferry_bytes value; /* empty for REMOVE and WIPE */
} ferry_storage_op;

/* ferry_storage_vtable.flags (since ABI 1.1). */
/* The store keeps nothing across restarts: a scan at start always finds it empty. The host may
 * then keep its live state alone and skip write/wipe/flush entirely (the first-party "memory"
 * plugin is such a store). */
#define FERRY_STORAGE_VOLATILE 0x1u
/* Since 1.2: several Ferry instances (replicas) use this store at once, and the plugin fills
 * in snapshot, read_changes, write_if and lease (see "Shared stores" below). A plugin without
 * this bit leaves those four NULL, or ends its table before them (a 1.0/1.1 plugin); the host
 * then assumes it is the store's only user and never calls them. */
#define FERRY_STORAGE_SHARED 0x2u

/* Called once per stored entry by scan; return non-zero to stop early. */
typedef int (*ferry_scan_fn)(void* cb_ctx, ferry_bytes key, ferry_bytes value);

/* ---- Shared stores (since ABI 1.2) ------------------------------------------------------------
 * Every batch written to a shared store (by write, write_if or wipe, from any instance) is one
 * commit with a position: a uint64 strictly greater than the position of every commit before
 * it, in the order the store applied them. Position 0 is the empty store nobody wrote to yet.
 * The host keeps the position of the last commit it applied to its live state and:
 *   - rebuilds its state with `snapshot` at start and whenever the feed cannot continue;
 *   - applies what other instances committed with `read_changes`, in position order (its own
 *     commits come through the feed too: it skips positions it has applied already);
 *   - commits its own batches with `write_if`, which refuses when anything was committed after
 *     the host's position, so that a check made against the host's state (the consistency
 *     check) holds for the shared state;
 *   - runs work that must happen on one instance at a time (TTL expiry) under a `lease`.
 * How positions are made is the plugin's business (Redis: a counter in the commit script;
 * Postgres: a sequence taken inside the transaction; etcd: the revision). What matters is that
 * a plugin never skips a commit silently: when it cannot prove that the commit it delivers is
 * the one that directly followed the position it was asked about, it says FERRY_ERR_FEED_GAP. */

/* One commit as read_changes delivers it: the operations of one batch, in batch order. */
typedef struct ferry_storage_commit {
  uint32_t struct_size;
  uint64_t position;
  /* The store's clock when the commit was made, Unix nanoseconds; 0 if the store has none.
   * It tells the host how far behind the feed it is. */
  int64_t commit_time_unix_nanos;
  const ferry_storage_op* ops; /* PUT, REMOVE and WIPE */
  size_t count;
} ferry_storage_commit;

/* Called once per commit by read_changes, in position order; return non-zero to stop early
 * (read_changes then returns FERRY_OK; later commits come with the next call). The commit and
 * the bytes it points to are borrowed for the duration of the call. */
typedef int (*ferry_commit_fn)(void* cb_ctx, const ferry_storage_commit* commit);

typedef struct ferry_storage_vtable {
  uint32_t struct_size;
  /* Applies a batch of operations in order. A backend that promises durability makes the whole
   * batch durable before returning FERRY_OK: the host acknowledges pushes only after that.
   * All or nothing: on failure the store must hold exactly what it held before the call. The
   * host then answers every request of the batch with HTTP 500 and keeps its own state as it
   * was, so a change the plugin kept anyway would come back at the next start unacknowledged. */
  ferry_status (*write)(void* instance, const ferry_storage_op* ops, size_t count,
                        ferry_error* err);
  /* Calls fn for every stored entry, in any order. */
  ferry_status (*scan)(void* instance, ferry_scan_fn fn, void* cb_ctx, ferry_error* err);
  /* Removes every entry; all or nothing, as write. */
  ferry_status (*wipe)(void* instance, ferry_error* err);
  /* Makes everything written so far durable (clean shutdown, periodic snapshots). */
  ferry_status (*flush)(void* instance, ferry_error* err);
  /* Since 1.1: FERRY_STORAGE_* bits; a 1.0 plugin's struct_size ends before it (read as 0). */
  uint32_t flags;

  /* Since 1.2, shared stores only: non-NULL exactly when `flags` has FERRY_STORAGE_SHARED.
   * In a shared store `write` and `wipe` make commits too (unconditional ones), and `scan`
   * lists the current entries without a position.
   *
   * Threading: the host calls snapshot and read_changes from one feed thread, one call at a
   * time; write_if comes from the writer thread (with write, wipe and flush); lease from one
   * more thread. Calls from different threads run concurrently, so a network backend keeps a
   * connection per thread (or a pool). Every function may block on the network, bounded by the
   * plugin's own timeouts; when the store cannot be reached it returns FERRY_ERR_UNAVAILABLE
   * with a message that names the server. */

  /* Calls fn once for every entry of one consistent state of the store (each key at most once,
   * in any order) and sets *position to the position that state is at: it holds exactly the
   * commits up to *position. read_changes(*position) then continues without a gap. A non-zero
   * return from fn stops the listing (the result is then not a complete state; the host only
   * does this to give up). May take long on a large store and must not block writers for
   * that long. */
  ferry_status (*snapshot)(void* instance, ferry_scan_fn fn, void* cb_ctx, uint64_t* position,
                           ferry_error* err);
  /* Delivers the commits after position `after`, oldest first, through fn, starting with the
   * commit that directly follows `after`. When there is none yet it waits up to wait_ms for one
   * and returns FERRY_OK having delivered nothing if none came. `after` is a position this
   * instance handed out (from snapshot, read_changes or write_if); for a position it cannot
   * continue from, and whenever it cannot prove that no commit in between was lost (trimmed
   * away, the store was wiped by other means or rolled back by a failover), it returns
   * FERRY_ERR_FEED_GAP and delivers nothing. */
  ferry_status (*read_changes)(void* instance, uint64_t after, uint32_t wait_ms, ferry_commit_fn fn,
                               void* cb_ctx, ferry_error* err);
  /* Commits the batch atomically (all or nothing, one commit, PUT/REMOVE/WIPE in order) if and
   * only if the store's last commit is still the one at `expected`, and sets *position to the
   * new commit's. Otherwise writes nothing and returns FERRY_ERR_CONFLICT; the host then reads
   * the changes it missed and checks again. An empty batch makes no commit and succeeds only if
   * the store is at `expected` (*position = expected). Durable as `write` is before returning
   * FERRY_OK. If the outcome is unknown (the connection broke after sending), the plugin
   * finds out before answering or returns FERRY_ERR_UNAVAILABLE. */
  ferry_status (*write_if)(void* instance, uint64_t expected, const ferry_storage_op* ops,
                           size_t count, uint64_t* position, ferry_error* err);
  /* Takes or renews the lease `name` for this instance for ttl_ms milliseconds: *held = 1 if
   * this instance holds it when the call returns, 0 if another instance does. ttl_ms 0 gives
   * it up. Leases only make duplicate work rare; correctness never depends on them (work done
   * under a lease is still committed with write_if). */
  ferry_status (*lease)(void* instance, ferry_bytes name, uint32_t ttl_ms, int* held,
                        ferry_error* err);
} ferry_storage_vtable;

/* The size of ferry_storage_vtable in ABI 1.0, before `flags`: the smallest a host accepts. */
#define FERRY_STORAGE_VTABLE_SIZE_1_0 (offsetof(ferry_storage_vtable, flags))
/* The size in ABI 1.1, before `snapshot`: a table this size has no shared-store functions. */
#define FERRY_STORAGE_VTABLE_SIZE_1_1 (offsetof(ferry_storage_vtable, snapshot))

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

#endif /* FERRY_PLUGIN_ABI_H */
