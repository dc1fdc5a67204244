#!/usr/bin/env python3
"""Group lifecycle costs against a real Ferry (docs/configuration.md, "Group lifecycle"):

  push throughput   PUTs/s of small groups without a TTL and with `Ferry-TTL` on every push
                    (target: with >= 0.9x without)
  mass expiry       --expire-groups groups (10,000) pushed so that their deadlines fall in the
                    same instant; while they expire, one client keeps pushing and one keeps
                    scraping: the longest push and scrape (target: none waits > 50 ms) and how
                    long expiring them all took
  group listing     GET /api/v1/groups?limit=100 with --list-groups groups (100,000) stored:
                    median and p99 over --list-runs requests (target: median <= 5 ms)
  selector delete   on the same store: a dry run matching 1% of the groups, then the delete
                    itself (one write: it looks at every group)
  limits            PUTs/s with every "limits" key set (none reached) against none
  (the push variants take --rounds turns each, interleaved; each keeps its median)

Each part starts its own Ferry (memory storage) on a free port and stops it. Every load loop is
bounded by --load-deadline seconds.

  python3 bench/lifecycle_bench.py --ferry build/bin/ferry [--json out.json]
"""

import argparse
import json
import multiprocessing
import os
import re
import sys
import tempfile
import threading
import time
import urllib.parse

from bench_server import BenchServer, cpu_seconds

HERE = os.path.dirname(os.path.abspath(__file__))
# Mass expiry pins Ferry to one CPU and its probes to the other, as the other benchmarks pin
# the server and the load generator, so that the probes time Ferry and not the scheduler.
FERRY_CPU, PROBE_CPU = 0, 1


def Ferry(binary, *args, log_path=None, cpu=None):
    """Ferry with the admin API on, ready to serve; pinned to `cpu` when given."""
    return BenchServer([binary, "--web.enable-admin-api", *args], ready_timeout=30,
                       log_path=log_path, cpu=cpu)


def expiry_batches(log_path):
    """The CPU time (ms) of each expiry batch, from Ferry's debug log ("groups expired")."""
    batches = []
    with open(log_path, errors="replace") as f:
        for line in f:
            if "groups expired" in line:
                m = re.search(r"cpu_us=(\d+)", line)
                if m:
                    batches.append(int(m.group(1)) / 1000.0)
    return batches


def push_groups(ferry, count, threads, deadline_s, headers_for=lambda i: {}, job="bench"):
    """PUTs `count` groups over `threads` keep-alive connections; returns (seconds, pushed)."""
    lock = threading.Lock()
    state = {"next": 0, "failed": 0}
    stop_at = time.monotonic() + deadline_s

    def worker():
        conn = ferry.connect()
        while time.monotonic() < stop_at:
            with lock:
                i = state["next"]
                state["next"] += 1
            if i >= count:
                break
            conn.request("PUT", "/metrics/job/%s/instance/i%06d" % (job, i),
                         body=b"bench_value 1\nbench_other{x=\"1\"} 2\n", headers=headers_for(i))
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                with lock:
                    state["failed"] += 1
        conn.close()

    started = time.monotonic()
    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if state["failed"]:
        raise RuntimeError("%d pushes failed" % state["failed"])
    return time.monotonic() - started, min(state["next"], count)


# Every limit set, none reached by the benchmark's pushes: what checking them costs.
LIMITS = {"limits": {"max_series_per_push": 1000, "max_series_per_group": 1000,
                     "max_groups": 10000000, "max_groups_per_job": 10000000,
                     "max_series": 100000000, "max_label_name_length": 128,
                     "max_label_value_length": 1024, "max_labels_per_series": 32}}


def bench_push_throughput(binary, pushes, threads, deadline_s, rounds):
    """The variants take turns, `rounds` times each, and each keeps its median rate: on a
    shared machine the load changes within seconds, and running one variant after the other
    would measure that change instead of the variants."""
    config = tempfile.NamedTemporaryFile("w", prefix="ferry-bench-", suffix=".json", delete=False)
    json.dump(LIMITS, config)
    config.close()
    variants = (("without_ttl", {}, ()), ("with_ttl", {"Ferry-TTL": "1h"}, ()),
                ("with_limits", {}, ("--config.file=" + config.name,)))
    rates = {name: [] for name, _, _ in variants}
    try:
        for _ in range(rounds):
            for name, headers, args in variants:
                ferry = Ferry(binary, *args)
                try:
                    push_groups(ferry, min(2000, pushes), threads, deadline_s,
                                lambda i: headers, "warm")
                    seconds, done = push_groups(ferry, pushes, threads, deadline_s,
                                                lambda i: headers)
                    rates[name].append(done / seconds)
                finally:
                    ferry.stop()
    finally:
        os.unlink(config.name)
    out = {name: sorted(r)[len(r) // 2] for name, r in rates.items()}
    out["rounds"] = rates
    out["ratio"] = out["with_ttl"] / out["without_ttl"]
    out["limits_ratio"] = out["with_limits"] / out["without_ttl"]
    return out


def probe(ferry, kind, stop, results):
    """Pushes or scrapes over one keep-alive connection, 2 ms apart, until `stop` is set; puts
    the latencies (seconds) on `results`. Runs in a process of its own: in one Python process
    the probes would time each other's hold on the interpreter lock."""
    os.sched_setaffinity(0, {PROBE_CPU})
    latencies = []
    conn = ferry.connect()
    while not stop.is_set():
        t0 = time.monotonic()
        if kind == "push":
            conn.request("PUT", "/metrics/job/probe", body=b"probe 1\n")
        else:
            conn.request("GET", "/metrics")
        r = conn.getresponse()
        r.read()
        latencies.append(time.monotonic() - t0)
        time.sleep(0.002)
    conn.close()
    results.put((kind, latencies))


def probe_while(ferry, until):
    """One client pushing and one scraping until `until()` returns; their latencies."""
    stop = multiprocessing.Event()
    results = multiprocessing.Queue()
    probes = [multiprocessing.Process(target=probe, args=(ferry, kind, stop, results))
              for kind in ("push", "scrape")]
    for p in probes:
        p.start()
    latencies = {}
    try:
        until()
    finally:
        stop.set()
        for _ in probes:
            kind, times = results.get(timeout=60)
            latencies[kind] = times
        for p in probes:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    return latencies


def latency_summary(latencies):
    out = {}
    for kind, times in latencies.items():
        times = sorted(times)
        out[kind] = {"count": len(times), "max_ms": times[-1] * 1000,
                     "p99_ms": times[int(len(times) * 0.99)] * 1000,
                     "median_ms": times[len(times) // 2] * 1000}
    return out


def bench_mass_expiry(binary, groups, threads, deadline_s, expiring, window_s=None):
    """`groups` groups whose deadlines fall in the same instant (expiring) or that have no
    deadline (the baseline), probed by one pusher and one scraper around that instant: from
    0.5 s before it until 0.5 s after the last group is gone, or for `window_s` seconds."""
    log = tempfile.NamedTemporaryFile(prefix="ferry-bench-", suffix=".log", delete=False)
    log.close()
    ferry = Ferry(binary, "--push.max-ttl=0s", "--log.level=debug", log_path=log.name,
                  cpu=FERRY_CPU)
    try:
        # Every deadline at the same instant: each push asks for the time left until it.
        lead_s = 5 + groups / 1000.0
        target = time.time() + lead_s

        def ttl(i):
            if not expiring:
                return {}
            return {"Ferry-TTL": "%dms" % max(1000, int((target - time.time()) * 1000))}
        seconds, _ = push_groups(ferry, groups, threads, deadline_s, ttl, "expiring")
        if time.time() > target - 1:
            raise RuntimeError("loading took %.1fs, past the common deadline" % seconds)
        # A scrape before the window, as Prometheus would have made: the first one after loading
        # renders every group (~100 ms for 10,000) whether or not they are about to expire.
        ferry.request("GET", "/metrics")
        while time.time() < target - 0.5:
            time.sleep(0.05)
        result = {"groups": groups, "expiring": expiring}

        def until():
            started = time.monotonic()
            if not expiring:
                time.sleep(window_s)
                return
            gone_at = None
            limit = time.monotonic() + 30
            while time.monotonic() < limit:
                status, body = ferry.request("GET", "/api/v1/groups?limit=1&q=expiring")
                if not json.loads(body)["data"]["groups"]:
                    gone_at = time.time()
                    break
                time.sleep(0.02)
            if gone_at is None:
                raise RuntimeError("the groups did not expire within 30 s")
            time.sleep(0.5)
            result["expired_after_deadline_s"] = gone_at - target
            result["window_s"] = time.monotonic() - started
        cpu_before = cpu_seconds(ferry.pid)
        result.update(latency_summary(probe_while(ferry, until)))
        # Ferry's CPU time over the window: with the baseline's, what expiring cost it,
        # whatever share of the machine the scheduler gave it.
        result["ferry_cpu_s"] = cpu_seconds(ferry.pid) - cpu_before
        if not expiring:
            result["window_s"] = window_s
        ferry.stop()
        batches = expiry_batches(log.name)
        result["batches"] = len(batches)
        result["batch_cpu_max_ms"] = max(batches, default=0.0)
        result["batch_cpu_total_ms"] = sum(batches)
        return result
    finally:
        ferry.stop()
        os.unlink(log.name)


def bench_expiry_against_baseline(binary, groups, threads, deadline_s, rounds):
    """Mass expiry and its baseline take turns (`rounds` each, the baseline probing as long as
    the expiry run before it did), so the longest push and scrape with mass expiry are compared
    with the longest without it under the same machine load."""
    runs = []
    for _ in range(rounds):
        expiry = bench_mass_expiry(binary, groups, threads, deadline_s, True)
        baseline = bench_mass_expiry(binary, groups, threads, deadline_s, False,
                                     window_s=expiry["window_s"])
        runs.append({"expiry": expiry, "baseline": baseline})
    return {"groups": groups, "runs": runs, "loadavg": os.getloadavg()}


def bench_group_listing(binary, groups, runs, threads, deadline_s):
    ferry = Ferry(binary)
    try:
        seconds, done = push_groups(ferry, groups, threads, deadline_s)
        if done < groups:
            raise RuntimeError("loaded only %d groups in %.0fs" % (done, seconds))
        conn = ferry.connect()
        times = []
        cursor = None
        for _ in range(runs):
            path = "/api/v1/groups?limit=100"
            if cursor:
                path += "&next=" + cursor
            t0 = time.monotonic()
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            times.append(time.monotonic() - t0)
            cursor = json.loads(body)["data"]["next"]
        times.sort()
        out = {"groups": groups, "median_ms": times[len(times) // 2] * 1000,
               "p99_ms": times[int(len(times) * 0.99)] * 1000}
        # 1% of the groups: instances i000000..i000999 of 100,000.
        selector = urllib.parse.quote('{job="bench",instance=~"i000.*"}')
        for name, query in (("dry_run", "&dry_run=true"), ("delete", "")):
            t0 = time.monotonic()
            conn.request("DELETE", "/api/v1/groups?match[]=" + selector + query)
            r = conn.getresponse()
            body = r.read()
            out["selector_%s_ms" % name] = (time.monotonic() - t0) * 1000
            if r.status != 200:
                raise RuntimeError("selector delete: %d %r" % (r.status, body[:200]))
            out["selector_matched"] = json.loads(body)["data"]["count"]
        conn.close()
        return out
    finally:
        ferry.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ferry", default=os.path.join(HERE, "..", "build", "bin", "ferry"))
    ap.add_argument("--pushes", type=int, default=20000)
    ap.add_argument("--expire-groups", type=int, default=10000)
    ap.add_argument("--list-groups", type=int, default=100000)
    ap.add_argument("--list-runs", type=int, default=200)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=3, help="turns of each push variant")
    ap.add_argument("--expiry-rounds", type=int, default=3,
                    help="turns of mass expiry and its baseline")
    ap.add_argument("--skip", default="", help="parts to leave out: throughput,expiry,listing")
    ap.add_argument("--load-deadline", type=int, default=900)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    results = {}
    skip = set(args.skip.split(",")) - {""}
    if "throughput" not in skip:
        results["push_throughput"] = bench_push_throughput(args.ferry, args.pushes, args.threads,
                                                           args.load_deadline, args.rounds)
        r = results["push_throughput"]
        print("push/s without TTL %.0f, with Ferry-TTL %.0f: ratio %.2f (target >= 0.9)"
              % (r["without_ttl"], r["with_ttl"], r["ratio"]))
        print("push/s with every limit set %.0f: ratio %.2f to none" % (r["with_limits"],
                                                                       r["limits_ratio"]))
    if "expiry" not in skip:
        results["mass_expiry"] = bench_expiry_against_baseline(
            args.ferry, args.expire_groups, args.threads, args.load_deadline, args.expiry_rounds)
        for run in results["mass_expiry"]["runs"]:
            e, b = run["expiry"], run["baseline"]
            print("expiring %d groups at once: all gone %.2fs after the deadline; longest push "
                  "%.1f ms (p99 %.1f), longest scrape %.1f ms (p99 %.1f); without expiry, same "
                  "load and window: longest push %.1f ms (p99 %.1f), longest scrape %.1f ms "
                  "(p99 %.1f)" % (e["groups"], e["expired_after_deadline_s"],
                                 e["push"]["max_ms"], e["push"]["p99_ms"], e["scrape"]["max_ms"],
                                 e["scrape"]["p99_ms"], b["push"]["max_ms"], b["push"]["p99_ms"],
                                 b["scrape"]["max_ms"], b["scrape"]["p99_ms"]), flush=True)
            print("  %d expiry batches, CPU time of the largest %.2f ms, of all %.1f ms; Ferry's "
                  "CPU time over the window: %.0f ms with expiry, %.0f ms without"
                  % (e["batches"], e["batch_cpu_max_ms"], e["batch_cpu_total_ms"],
                     e["ferry_cpu_s"] * 1000, b["ferry_cpu_s"] * 1000), flush=True)
        print("load average %.1f %.1f %.1f" % tuple(results["mass_expiry"]["loadavg"]))
    if "listing" not in skip:
        results["group_listing"] = bench_group_listing(args.ferry, args.list_groups,
                                                       args.list_runs, args.threads,
                                                       args.load_deadline)
        r = results["group_listing"]
        print("GET /api/v1/groups?limit=100 with %d groups: median %.2f ms, p99 %.2f ms "
              "(target: median <= 5 ms)" % (r["groups"], r["median_ms"], r["p99_ms"]))
        print("selector delete of %d of %d groups: dry run %.1f ms, delete %.1f ms"
              % (r["selector_matched"], r["groups"], r["selector_dry_run_ms"],
                 r["selector_delete_ms"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
