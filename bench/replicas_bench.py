#!/usr/bin/env python3
"""Ferry replicas on one Redis: push throughput, propagation delay, scrape speed, resync time.

Starts a redis-server (AOF, appendfsync always) and Ferry replicas on free 127.0.0.1 ports,
each in its own temporary directory, and prints in one run:
  - PUT req/s through 1 replica and through 3 replicas (pushes spread round-robin);
  - the propagation delay from one replica's 2xx to the same data on another replica (p50, p99);
  - GET /metrics req/s of one replica holding --scrape-series series, beside a Ferry with the
    memory backend holding the same (scrapes never touch Redis, so the ratio should be ~1);
  - the time a new replica takes to be ready (/-/ready 200) with --resync-series in Redis.

    python3 bench/replicas_bench.py [--ferry build/bin/ferry] [--duration 5]
                                    [--scrape-series 100000] [--resync-series 1000000]

Clients are Python threads with keep-alive connections; only ratios within one run mean much
on a shared machine. Every process is stopped by PID at the end.
"""

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))

from ferry_harness import Server  # noqa: E402
from redis_harness import RedisProcess  # noqa: E402


class Client:
    def __init__(self, srv):
        self.conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)

    def req(self, method, path, body=None):
        self.conn.request(method, path, body=body)
        r = self.conn.getresponse()
        data = r.read()
        return r.status, data


def group_body(series, value):
    return "".join("load_value{s=\"%d\"} %d\n" % (i, value) for i in range(series)).encode()


def load(srv, groups, series_per_group, threads=4):
    def worker(w):
        c = Client(srv)
        for g in range(w, groups, threads):
            status, data = c.req("PUT", "/metrics/job/load/instance/%d" % g,
                                 group_body(series_per_group, g))
            assert status == 200, data
    ts = [threading.Thread(target=worker, args=(w,)) for w in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def rate(targets, duration, threads, make_request):
    """Requests per second of `threads` clients spread over `targets` for `duration` seconds."""
    counts = [0] * threads
    stop = time.monotonic() + duration

    def worker(w):
        c = Client(targets[w % len(targets)])
        i = 0
        while time.monotonic() < stop:
            status, _ = make_request(c, w, i)
            assert status in (200, 202), status
            i += 1
        counts[w] = i
    ts = [threading.Thread(target=worker, args=(w,)) for w in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(counts) / duration


def push_request(c, w, i):
    return c.req("PUT", "/metrics/job/bench%d/instance/%d" % (w, i % 100), b"bench_value %d\n" % i)


def scrape_request(c, w, i):
    return c.req("GET", "/metrics")


def propagation(a, b, samples):
    ca, cb = Client(a), Client(b)
    delays = []
    for i in range(samples):
        status, _ = ca.req("PUT", "/metrics/job/prop", b"prop_value %d\n" % i)
        assert status == 200
        acked = time.monotonic()
        needle = b'prop_value{instance="",job="prop"} %d\n' % i
        while needle not in cb.req("GET", "/metrics")[1]:
            if time.monotonic() - acked > 10:
                raise RuntimeError("push %d never reached the other replica" % i)
        delays.append(time.monotonic() - acked)
    delays.sort()
    return delays[len(delays) // 2], delays[min(len(delays) - 1, int(len(delays) * 0.99))]


def start_ferry(args, *extra):
    srv = Server(*extra, binary=args.ferry)
    srv.start()
    return srv


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ferry", default=os.path.join(REPO, "build", "bin", "ferry"))
    ap.add_argument("--duration", type=float, default=5.0)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--scrape-series", type=int, default=100000)
    ap.add_argument("--resync-series", type=int, default=1000000)
    args = ap.parse_args()
    args.ferry = os.path.abspath(args.ferry)
    cleanup = []
    try:
        redis = RedisProcess({"maxmemory-policy": "noeviction"}).start()
        cleanup.append(redis)
        config = os.path.join(redis.dir, "ferry.json")
        with open(config, "w") as f:
            json.dump({"storage": {"plugin": "redis", "config": {"url": redis.url}}}, f)
        replicas = [start_ferry(args, "--config.file=" + config) for _ in range(3)]
        cleanup.extend(replicas)
        one = rate(replicas[:1], args.duration, args.threads, push_request)
        three = rate(replicas, args.duration, args.threads, push_request)
        p50, p99 = propagation(replicas[0], replicas[1], args.samples)

        groups = max(1, args.scrape_series // 100)
        load(replicas[0], groups, 100)
        time.sleep(1.0)
        memory = start_ferry(args)
        cleanup.append(memory)
        load(memory, groups, 100)
        scrape_redis = rate(replicas[1:2], args.duration, 2, scrape_request)
        scrape_memory = rate([memory], args.duration, 2, scrape_request)

        rest = max(0, args.resync_series - groups * 100)
        if rest:
            load(replicas[0], rest // 1000, 1000)
        series_in_redis = groups * 100 + (rest // 1000) * 1000
        started = time.monotonic()
        late = start_ferry(args, "--config.file=" + config)
        cleanup.append(late)
        resync = time.monotonic() - started

        print("Ferry replicas on one Redis (AOF, appendfsync always); %d client threads, %.0fs"
              % (args.threads, args.duration))
        print("  PUT req/s through 1 replica:         %8.0f" % one)
        print("  PUT req/s through 3 replicas:        %8.0f" % three)
        print("  propagation 2xx -> other replica:    p50 %.1f ms, p99 %.1f ms (%d pushes)"
              % (p50 * 1000, p99 * 1000, args.samples))
        print("  scrape req/s, %d series, replica:  %8.1f" % (groups * 100, scrape_redis))
        print("  scrape req/s, same, memory backend:  %8.1f  (replica/memory %.2f)"
              % (scrape_memory, scrape_redis / scrape_memory))
        print("  new replica ready with %d series in Redis: %.1f s" % (series_in_redis, resync))
    finally:
        for p in reversed(cleanup):
            p.cleanup()


if __name__ == "__main__":
    main()
