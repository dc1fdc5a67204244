#!/usr/bin/env python3
"""Ferry replicas on one Redis against one Ferry and the Pushgateway, in one run.

Every server (the Pushgateway, Ferry, each Ferry replica and the redis-server behind them) is
pinned to --server-cpu, wrk and the Python clients to --wrk-cpu, as bench/README.md says.
Prints:
  - PUT req/s (wrk, 10-series bodies round-robin over 1,000 stored groups, -c32) and GET
    /metrics req/s of that store (wrk -c4) for: the Pushgateway 1.5.1 (in memory), one Ferry
    (memory backend), one Ferry replica on Redis, two and three replicas on Redis (the
    connections split over them, one wrk process each: push to any, scrape any), with the
    ratios to the Pushgateway and to the memory backend;
  - with two and with three replicas, the propagation delay from one replica's 2xx to the same
    value in another replica's scrape, and in every other replica's (p50, p99; --samples
    pushes, round-robin over the replicas);
  - GET /metrics req/s of one replica holding --scrape-series series beside a Ferry with the
    memory backend holding the same (scrapes never touch Redis);
  - the time a new replica takes to be ready (/-/ready 200) with --resync-series in Redis.

    python3 bench/replicas_bench.py [--ferry build/bin/ferry] [--duration 10]
        [--scrape-series 100000] [--resync-series 1000000] [--samples 200]

The redis-server runs with AOF and appendfsync always (nothing acknowledged is lost). Only
ratios within one run mean much on a shared machine. Every process is stopped by PID.
"""

import argparse
import http.client
import json
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
sys.path.insert(0, os.path.join(os.path.dirname(REPO), "shared", "bench"))

import bench as harness  # noqa: E402  (../shared/bench/bench.py)
import ferry_harness  # noqa: E402
from ferry_harness import Server  # noqa: E402
from redis_harness import RedisProcess  # noqa: E402

GROUPS = 1000


class PinnedServer(Server):
    """A ferry or Pushgateway started under taskset."""

    def __init__(self, cpu, *args, **kw):
        super().__init__(*args, **kw)
        self.cpu = cpu

    def argv(self, port):
        return ["taskset", "-c", str(self.cpu)] + super().argv(port)


class PinnedRedis(RedisProcess):
    def __init__(self, cpu, settings):
        super().__init__(settings)
        self.cpu = cpu

    def _argv(self):
        return ["taskset", "-c", str(self.cpu)] + super()._argv()


class Client:
    def __init__(self, srv):
        self.conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=60)

    def req(self, method, path, body=None):
        self.conn.request(method, path, body=body)
        r = self.conn.getresponse()
        return r.status, r.read()


def load(srv, groups, series_per_group, first=0, threads=4):
    """PUT groups [first, first + groups) of job "load" with series_per_group series each."""
    def worker(w):
        c = Client(srv)
        for g in range(first + w, first + groups, threads):
            body = "".join("load_value{s=\"%d\"} %d\n" % (i, g)
                           for i in range(series_per_group)).encode()
            status, data = c.req("PUT", "/metrics/job/load/instance/%d" % g, body)
            assert status == 200, data
    ts = [threading.Thread(target=worker, args=(w,)) for w in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def wrk_over(targets, args, script, conns, script_args):
    """One wrk per target at once, the connections split between them; total req/s."""
    results = [None] * len(targets)

    def run(k):
        wrk_args = argparse.Namespace(wrk_cpu=args.wrk_cpu, wrk="wrk", duration=args.duration,
                                      base="http://127.0.0.1:%d" % targets[k].port,
                                      verbose=False)
        results[k] = harness.run_wrk(wrk_args, script, 1, conns // len(targets), script_args)
    ts = [threading.Thread(target=run, args=(k,)) for k in range(len(targets))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for r in results:
        if not r.get("rps") or r.get("non2xx"):
            raise RuntimeError("wrk failed or got errors:\n" + r.get("raw", "")[-2000:])
    return sum(r["rps"] for r in results)


def throughput(name, servers, args):
    for srv in servers:
        srv.start()
    secs, fails = harness.load_groups("127.0.0.1", servers[0].port, "", 0, GROUPS)
    if fails:
        raise RuntimeError("%s: loading failed: %r" % (name, fails[:3]))
    time.sleep(0.5)  # the other replica follows
    put = wrk_over(servers, args, "put_groups.lua", 32, [GROUPS, "-", harness.LOAD_JOB])
    scrape = wrk_over(servers, args, "scrape.lua", 4, [])
    harness.log("%s: PUT %.0f req/s, scrape %.1f req/s" % (name, put, scrape))
    return put, scrape


def propagation(replicas, samples):
    """Push i goes to replica i % n; the others are scraped in turn until each serves it.
    Returns the sorted delays from the 2xx to each other replica serving it (one per push and
    other replica), and to the last of them serving it (one per push)."""
    clients = [Client(srv) for srv in replicas]
    n = len(replicas)
    to_one, to_all = [], []
    for i in range(samples):
        status, _ = clients[i % n].req("PUT", "/metrics/job/prop", b"prop_value %d\n" % i)
        assert status == 200
        acked = time.monotonic()
        needle = b'prop_value{instance="",job="prop"} %d\n' % i
        waiting = [(i + k) % n for k in range(1, n)]
        while waiting:
            if time.monotonic() - acked > 10:
                raise RuntimeError("push %d never reached replica %r" % (i, waiting))
            for k in list(waiting):
                if needle in clients[k].req("GET", "/metrics")[1]:
                    to_one.append(time.monotonic() - acked)
                    waiting.remove(k)
        to_all.append(time.monotonic() - acked)
    to_one.sort()
    to_all.sort()
    return to_one, to_all


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p))]


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ferry", default=os.path.join(REPO, "build", "bin", "ferry"))
    ap.add_argument("--pgw", default="/usr/bin/prometheus-pushgateway")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--server-cpu", type=int, default=0)
    ap.add_argument("--wrk-cpu", type=int, default=1)
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--scrape-series", type=int, default=100000)
    ap.add_argument("--resync-series", type=int, default=1000000)
    args = ap.parse_args()
    args.ferry = os.path.abspath(args.ferry)
    os.sched_setaffinity(0, {args.wrk_cpu})  # the Python clients, with wrk
    cpu = args.server_cpu
    cleanup = []

    def ferry(*extra):
        srv = PinnedServer(cpu, *extra, binary=args.ferry)
        cleanup.append(srv)
        return srv

    def fresh_redis():
        redis = PinnedRedis(cpu, {"maxmemory-policy": "noeviction"}).start()
        cleanup.append(redis)
        config = os.path.join(redis.dir, "ferry.json")
        with open(config, "w") as f:
            json.dump({"storage": {"plugin": "redis", "config": {"url": redis.url}}}, f)
        return redis, "--config.file=" + config

    try:
        rows = []
        pgw = PinnedServer(cpu, binary=args.pgw)
        cleanup.append(pgw)
        rows.append(("Pushgateway 1.5.1 (memory)",) + throughput("pushgateway", [pgw], args))
        pgw.cleanup()
        memory = ferry()
        rows.append(("Ferry, memory backend",) + throughput("ferry memory", [memory], args))
        memory.cleanup()
        redis, config = fresh_redis()
        one = ferry(config)
        rows.append(("Ferry, 1 replica on Redis",) + throughput("1 replica", [one], args))
        one.cleanup()
        redis.cleanup()
        redis, config = fresh_redis()
        two = [ferry(config), ferry(config)]
        rows.append(("Ferry, 2 replicas on Redis",) + throughput("2 replicas", two, args))
        delays = {2: propagation(two, args.samples)}
        for srv in two:
            srv.cleanup()
        redis.cleanup()
        redis, config = fresh_redis()
        three = [ferry(config), ferry(config), ferry(config)]
        rows.append(("Ferry, 3 replicas on Redis",) + throughput("3 replicas", three, args))
        delays[3] = propagation(three, args.samples)

        groups = max(1, args.scrape_series // 100)
        load(three[0], groups, 100)
        time.sleep(1.0)
        memory = ferry().start()
        load(memory, groups, 100)
        # The 1,000 wrk groups are still in the replica: give the memory Ferry the same.
        harness.load_groups("127.0.0.1", memory.port, "", 0, GROUPS)
        scrape_replica = wrk_over(three[1:2], args, "scrape.lua", 2, [])
        scrape_memory = wrk_over([memory], args, "scrape.lua", 2, [])
        memory.cleanup()

        series_now = groups * 100 + GROUPS * 10
        rest = max(0, args.resync_series - series_now)
        if rest:
            load(three[0], rest // 1000, 1000, first=groups)
        series_in_redis = series_now + (rest // 1000) * 1000
        for srv in three[1:]:
            srv.cleanup()  # only the loader replica keeps following, as in a quiet cluster
        ferry_harness.READY_TIMEOUT_S = 600  # the harness's 10 s is for small stores
        started = time.monotonic()
        ferry(config).start()
        resync = time.monotonic() - started

        pgw_put, pgw_scrape = rows[0][1], rows[0][2]
        mem_put, mem_scrape = rows[1][1], rows[1][2]
        print("\nPUT: 10-series bodies round-robin over %d stored groups, wrk -c32 (split over "
              "the replicas), %ds; scrape: GET /metrics of that store, wrk -c4 (split likewise). "
              "Servers and redis-server (AOF, appendfsync always) on CPU %d, clients on CPU %d. "
              "Load average at the end: %s."
              % (GROUPS, args.duration, cpu, args.wrk_cpu, load_average()))
        print("%-28s %10s %8s %8s %12s %8s %8s" % ("setup", "PUT req/s", "vs PGW", "vs mem",
                                                  "scrape req/s", "vs PGW", "vs mem"))
        for name, put, scrape in rows:
            print("%-28s %10.0f %7.2fx %7.2fx %12.1f %7.2fx %7.2fx"
                  % (name, put, put / pgw_put, put / mem_put, scrape, scrape / pgw_scrape,
                     scrape / mem_scrape))
        for n, (to_one, to_all) in sorted(delays.items()):
            print("propagation, %d replicas, 2xx on one -> served by another: p50 %.1f ms, p99 "
                  "%.1f ms (%d pairs); by every other: p50 %.1f ms, p99 %.1f ms (%d pushes)"
                  % (n, percentile(to_one, 0.5) * 1e3, percentile(to_one, 0.99) * 1e3,
                     len(to_one), percentile(to_all, 0.5) * 1e3, percentile(to_all, 0.99) * 1e3,
                     len(to_all)))
        print("scrape req/s with %d series: replica %.2f, memory backend %.2f (replica/memory "
              "%.2f)" % (series_now, scrape_replica, scrape_memory,
                         scrape_replica / scrape_memory))
        print("new replica ready with %d series in Redis: %.1f s" % (series_in_redis, resync))
    finally:
        for p in reversed(cleanup):
            p.cleanup()


if __name__ == "__main__":
    main()
