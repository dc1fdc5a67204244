/*
 * Ferry plugin ABI, part "storage": storage plugins (FERRY_KIND_STORAGE): ferry_storage_vtable and
 * shared stores. Part of ferry/plugin_abi.h, which includes every part and states the rules they
 * all follow (versions, memory, errors, lifecycle). Plain C (C99), like all of the ABI.
 */
#ifndef FERRY_ABI_STORAGE_H
#define FERRY_ABI_STORAGE_H

#include "ferry/abi/host.h"

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif /* FERRY_ABI_STORAGE_H */
