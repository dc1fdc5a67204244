#!/usr/bin/env python3
"""Does Ferry give memory back after large deletes and wipes?

For each variant in turn: start Ferry (memory storage) pinned to --server-cpu, record the RSS of
the fresh process, load --groups groups x --series series (default 10,000 x 100 = 1M series)
with PUTs, scrape it once as text and once as protobuf, record the RSS, then remove everything —
with the admin wipe, or with one DELETE per group — and record the RSS once it settles (polled
for up to --settle seconds). The target: RSS after removing everything within 2x of the fresh
start.

Variants: `glibc` (Ferry as built: glibc malloc, with malloc_trim after the store shrank) and,
when --jemalloc names an existing library, `jemalloc` (the same binary with LD_PRELOAD, i.e.
the allocator choice instead of trimming; jemalloc returns pages after its decay time).

    python3 bench/memory_return.py [--ferry build/bin/ferry] [--groups 10000] [--series 100]
                                   [--jemalloc /usr/lib/x86_64-linux-gnu/libjemalloc.so.2]

Every step is bounded in time; all traffic stays on 127.0.0.1.
"""

import argparse
import json
import os
import sys
import tempfile
import threading
import time

from bench_server import BenchServer

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
READY_TIMEOUT_S = 30
LOAD_DEADLINE_S = 1200


PROTOBUF_ACCEPT = ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                   "encoding=delimited")


def body(series, group):
    lines = ["# TYPE mem_bench_value gauge"]
    for i in range(series):
        lines.append('mem_bench_value{series="s%d",shard="%d"} %d.5' % (i, group % 7, i))
    return ("\n".join(lines) + "\n").encode()


def Ferry(binary, cpu, preload, workdir, name):
    """Ferry with the admin API on, pinned to `cpu`, its log kept in `workdir`."""
    env = dict(os.environ)
    if preload:
        env["LD_PRELOAD"] = preload
    return BenchServer([binary, "--web.enable-admin-api"], cpu=cpu, env=env,
                       log_path=os.path.join(workdir, name + ".log"), ready_timeout=READY_TIMEOUT_S,
                       stop_timeout=10)


def in_parallel(count, work, threads=4):
    """Runs work(conn, i) for i in [0, count) on `threads` keep-alive connections."""
    next_index = [0]
    lock = threading.Lock()
    failures = []
    deadline = time.monotonic() + LOAD_DEADLINE_S

    def worker(ferry):
        conn = ferry.connect()
        while time.monotonic() < deadline:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= count:
                break
            status = work(conn, i)
            if status >= 300:
                with lock:
                    failures.append((i, status))
        conn.close()
    return worker, failures, next_index


def run_variant(name, args, preload, removal, workdir):
    ferry = Ferry(args.ferry, args.server_cpu, preload, workdir, name + "-" + removal)
    try:
        time.sleep(0.5)
        fresh = ferry.rss_kib()
        bodies = [body(args.series, g) for g in range(7)]

        def put(conn, i):
            return ferry.request("PUT", "/metrics/job/mem_bench/instance/i%d" % i,
                                 body=bodies[i % 7], conn=conn)[0]
        worker, failures, index = in_parallel(args.groups, put)
        t0 = time.monotonic()
        threads = [threading.Thread(target=worker, args=(ferry,)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        load_s = time.monotonic() - t0
        if failures or index[0] < args.groups:
            raise RuntimeError("loading failed: %r" % failures[:5])
        # Scraped once in each format, as Prometheus would: the scrape caches must not keep
        # the removed groups' memory.
        for accept in ("text/plain", PROTOBUF_ACCEPT):
            status = ferry.request("GET", "/metrics", headers={"Accept": accept})[0]
            if status != 200:
                raise RuntimeError("scrape answered %d" % status)
        loaded = ferry.rss_kib()
        t0 = time.monotonic()
        if removal == "wipe":
            status = ferry.request("PUT", "/api/v1/admin/wipe")[0]
            if status != 202:
                raise RuntimeError("wipe answered %d" % status)
        else:
            def delete(conn, i):
                return ferry.request("DELETE", "/metrics/job/mem_bench/instance/i%d" % i,
                                     conn=conn)[0]
            worker, failures, index = in_parallel(args.groups, delete)
            threads = [threading.Thread(target=worker, args=(ferry,)) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if failures:
                raise RuntimeError("deletes failed: %r" % failures[:5])
        remove_s = time.monotonic() - t0
        settle_deadline = time.monotonic() + args.settle
        after = ferry.rss_kib()
        while after > 2 * fresh and time.monotonic() < settle_deadline:
            time.sleep(0.25)
            after = ferry.rss_kib()
        settled_s = time.monotonic() - t0
        return {"variant": name, "removal": removal, "fresh_mib": fresh / 1024,
                "loaded_mib": loaded / 1024, "after_mib": after / 1024,
                "ratio": after / fresh, "load_s": load_s, "remove_s": remove_s,
                "settled_s": settled_s, "pass": after <= 2 * fresh}
    finally:
        ferry.stop()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--ferry", default=os.path.join(REPO, "build", "bin", "ferry"))
    p.add_argument("--groups", type=int, default=10000)
    p.add_argument("--series", type=int, default=100)
    p.add_argument("--server-cpu", type=int, default=0)
    p.add_argument("--settle", type=float, default=15.0,
                   help="seconds to wait for the RSS to drop after the removal")
    p.add_argument("--jemalloc", default="/usr/lib/x86_64-linux-gnu/libjemalloc.so.2")
    p.add_argument("--json", help="also write the results to this file")
    args = p.parse_args()
    variants = [("glibc", None)]
    if args.jemalloc and os.path.exists(args.jemalloc):
        variants.append(("jemalloc", args.jemalloc))
    results = []
    with tempfile.TemporaryDirectory(prefix="ferry-mem-bench-") as workdir:
        for name, preload in variants:
            for removal in ("wipe", "delete"):
                print("memory_return: %s, %d x %d series, %s ..." %
                      (name, args.groups, args.series, removal), file=sys.stderr, flush=True)
                results.append(run_variant(name, args, preload, removal, workdir))
    print("%-9s %-7s %9s %10s %10s %7s %8s %s" % ("allocator", "removal", "fresh MiB",
                                                  "loaded MiB", "after MiB", "after/fresh",
                                                  "settle s", "target <= 2x"))
    for r in results:
        print("%-9s %-7s %9.1f %10.1f %10.1f %11.2f %8.1f %s" % (
            r["variant"], r["removal"], r["fresh_mib"], r["loaded_mib"], r["after_mib"],
            r["ratio"], r["settled_s"], "PASS" if r["pass"] else "MISS"))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0 if all(r["pass"] for r in results if r["variant"] == "glibc") else 1


if __name__ == "__main__":
    sys.exit(main())
