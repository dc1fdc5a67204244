#!/usr/bin/env python3
"""Push throughput by storage backend: Ferry with memory, sqlite, file and redis storage against
the Pushgateway with and without its persistence file, side by side in one run.

For each server in turn: start it pinned to --server-cpu on a free 127.0.0.1 port with a fresh
data directory, pre-load 1,000 groups x 10 series (the shared harness's loader and body), run
wrk PUT round-robin over those groups (../shared/bench/put_groups.lua, pinned to --wrk-cpu),
then, for Ferry's durable backends, grow the store to 10,000 groups, stop it cleanly and time
a restart until /-/ready (how long opening a 10k-group store takes). Prints one table with
ratios to Ferry/memory and to the Pushgateway with a persistence file. For redis, a
redis-server with AOF and appendfsync always runs pinned to --server-cpu as well (the store's
work is the server's, as SQLite's is).

    python3 bench/storage_bench.py [--duration 10] [--ferry build/bin/ferry]
                                   [--pgw /usr/bin/prometheus-pushgateway]

Only ratios within one run mean anything; the machine is shared and noisy.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED_BENCH = os.path.join(os.path.dirname(REPO), "shared", "bench")
sys.path.insert(0, SHARED_BENCH)

import bench as harness  # noqa: E402  (../shared/bench/bench.py)
from bench_server import BenchServer  # noqa: E402

SMALL_GROUPS = 1000
LARGE_GROUPS = 10000
READY_TIMEOUT_S = 60


class Server(BenchServer):
    """A named server configuration, pinned to the server CPU; start() may run again after
    stop() (the restart measurement) and returns the seconds until it was ready."""

    def __init__(self, name, argv, args, durable):
        super().__init__(argv, cpu=args.server_cpu, ready_timeout=READY_TIMEOUT_S,
                         log_path=os.path.join(args.workdir, name + ".log"), stop_timeout=60,
                         start=False)
        self.name, self.durable = name, durable


def start_redis(args):
    """A redis-server as Ferry's redis plugin wants it for durability; returns (proc, port)."""
    port = free_port()
    redis_dir = os.path.join(args.workdir, "redis")
    os.mkdir(redis_dir)
    proc = subprocess.Popen(
        ["taskset", "-c", str(args.server_cpu), "redis-server", "--port", str(port), "--bind",
         "127.0.0.1", "--dir", redis_dir, "--save", "", "--appendonly", "yes", "--appendfsync",
         "always", "--daemonize", "no", "--logfile", os.path.join(redis_dir, "redis.log")],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as c:
                c.sendall(b"PING\r\n")
                if c.recv(16).startswith(b"+PONG"):
                    return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def measure(server, args):
    result = {"name": server.name}
    server.start()
    try:
        secs, fails = harness.load_groups("127.0.0.1", server.port, "", 0, SMALL_GROUPS)
        if fails:
            raise RuntimeError("%s: loading failed: %r" % (server.name, fails[:3]))
        result["load_1k_s"] = secs
        wrk_args = argparse.Namespace(wrk_cpu=args.wrk_cpu, wrk="wrk", duration=args.duration,
                                      base="http://127.0.0.1:%d" % server.port, verbose=False)
        put = harness.run_wrk(wrk_args, "put_groups.lua", 2, 32, [SMALL_GROUPS, "-", "bench_load"])
        result.update(put_rps=put.get("rps"), put_p50_ms=put.get("p50_ms"),
                      put_p99_ms=put.get("p99_ms"), put_non2xx=put.get("non2xx"))
        if server.durable:
            secs, fails = harness.load_groups("127.0.0.1", server.port, "", SMALL_GROUPS,
                                              LARGE_GROUPS)
            if fails:
                raise RuntimeError("%s: growing failed: %r" % (server.name, fails[:3]))
            result["grow_10k_s"] = secs
            server.stop()
            result["restart_10k_s"] = server.start()
            count = harness.Conn("127.0.0.1", server.port).req("GET", "/metrics")[1].count(
                b"\npush_time_seconds{")
            result["groups_after_restart"] = count
    finally:
        server.stop()
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ferry", default=os.path.join(REPO, "build", "bin", "ferry"))
    ap.add_argument("--pgw", default="/usr/bin/prometheus-pushgateway")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--server-cpu", type=int, default=0)
    ap.add_argument("--wrk-cpu", type=int, default=1)
    ap.add_argument("--json-out")
    args = ap.parse_args()
    args.workdir = tempfile.mkdtemp(prefix="ferry-storage-bench-")
    data = lambda name: os.path.join(args.workdir, name)  # noqa: E731
    with open(data("sqlite.json"), "w") as f:
        json.dump({"storage": {"plugin": "sqlite", "config": {"path": data("ferry.db")}}}, f)
    redis_proc, redis_port = start_redis(args)
    with open(data("redis.json"), "w") as f:
        json.dump({"storage": {"plugin": "redis", "config": {
            "url": "redis://127.0.0.1:%d/0" % redis_port}}}, f)

    servers = [
        Server("ferry memory", [args.ferry, "--persistence.file="], args, False),
        Server("ferry sqlite", [args.ferry, "--config.file=" + data("sqlite.json")], args, True),
        Server("ferry redis", [args.ferry, "--config.file=" + data("redis.json")], args, True),
        Server("ferry file 0s", [args.ferry, "--persistence.file=" + data("f0.snap"),
                                 "--persistence.interval=0s"], args, True),
        Server("ferry file 5m", [args.ferry, "--persistence.file=" + data("f5.snap")], args,
               True),
    ]
    if os.path.exists(args.pgw):
        servers += [
            Server("pushgateway memory", [args.pgw, "--persistence.file="], args, False),
            Server("pushgateway file 5m", [args.pgw, "--persistence.file=" + data("pgw.data")],
                   args, False),
        ]
    results = []
    try:
        for s in servers:
            harness.log("=== %s" % s.name)
            results.append(measure(s, args))
    finally:
        redis_proc.kill()
        redis_proc.wait(10)
        shutil.rmtree(args.workdir, ignore_errors=True)

    by = {r["name"]: r for r in results}
    mem = by["ferry memory"]["put_rps"]
    pgw = by.get("pushgateway file 5m", {}).get("put_rps")
    print("\nPUT 10-series text bodies round-robin over 1,000 stored groups (wrk -t2 -c32, %ds)"
          % args.duration)
    print("%-22s %10s %9s %9s %11s %11s %13s" % ("server", "req/s", "p50 ms", "p99 ms",
                                                   "vs memory", "vs PGW file", "10k restart s"))
    for r in results:
        print("%-22s %10.0f %9.2f %9.2f %10.2fx %10s %13s" % (
            r["name"], r["put_rps"], r["put_p50_ms"], r["put_p99_ms"], r["put_rps"] / mem,
            "%.1fx" % (r["put_rps"] / pgw) if pgw else "n/a",
            "%.2f (%d groups)" % (r["restart_10k_s"], r["groups_after_restart"])
            if "restart_10k_s" in r else "-"))
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
