#!/usr/bin/env python3
"""GET /-/healthy, Ferry vs the Pushgateway in one run, alone and with idle connections held
open beside the load: the front door's own cost, without the store (part of
`make bench-front-door`).

Each server in turn is pinned to SERVER_CPU, wrk and the idle-connection holder
(bench/idle_connections.py) to WRK_CPU; the servers alternate for ROUNDS rounds. For every run
it records requests/s and the CPU time the server used per request (user + system, from
/proc): on a machine shared with other jobs the rate says how much CPU the scheduler gave the
server, the CPU time per request says how much work each request cost it.

Environment: FERRY_BIN (default build/bin/ferry), PGW_BIN (default
/usr/bin/prometheus-pushgateway), DURATION (seconds per wrk run, default 10), THREADS/CONNS
(default 2/32), IDLE_CONNS (default 1000), SERVER_CPU/WRK_CPU (default 0/1), ROUNDS (default
3; the table shows the median and the range). Every step is bounded in time."""

import os
import re
import shutil
import statistics
import subprocess
import sys
import time

from bench_server import BenchServer

HERE = os.path.dirname(os.path.abspath(__file__))
FERRY_BIN = os.environ.get("FERRY_BIN", "build/bin/ferry")
PGW_BIN = os.environ.get("PGW_BIN", "/usr/bin/prometheus-pushgateway")
DURATION = int(os.environ.get("DURATION", "10"))
THREADS = int(os.environ.get("THREADS", "2"))
CONNS = int(os.environ.get("CONNS", "32"))
IDLE_CONNS = int(os.environ.get("IDLE_CONNS", "1000"))
SERVER_CPU = os.environ.get("SERVER_CPU", "0")
WRK_CPU = os.environ.get("WRK_CPU", "1")
ROUNDS = int(os.environ.get("ROUNDS", "3"))


def load(server):
    """One wrk run: (requests/s, server CPU microseconds per request)."""
    cpu_before = server.cpu_seconds()
    out = subprocess.run(
        ["taskset", "-c", WRK_CPU, "wrk", "-t%d" % THREADS, "-c%d" % CONNS, "-d%ds" % DURATION,
         "--timeout", "10s", server.url("/-/healthy")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=DURATION + 60,
        check=True).stdout.decode()
    cpu = server.cpu_seconds() - cpu_before
    rps = float(re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M).group(1))
    requests = int(re.search(r"^\s*(\d+) requests in", out, re.M).group(1))
    return rps, cpu * 1e6 / max(requests, 1)


def hold_idle(server):
    """Starts the idle-connection holder and waits until its connections are open."""
    holder = subprocess.Popen(
        ["taskset", "-c", WRK_CPU, sys.executable, os.path.join(HERE, "idle_connections.py"),
         "--port", str(server.port), "--count", str(IDLE_CONNS),
         "--max-seconds", str(DURATION + 60)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    line = holder.stdout.readline().decode()
    if not line.startswith("ready"):
        holder.kill()
        holder.wait()
        raise SystemExit("could not hold %d connections: %s" % (IDLE_CONNS, line))
    return holder


def measure(name, binary, results):
    with BenchServer([binary, "--persistence.file="], cpu=SERVER_CPU, ready_timeout=20) as server:
        results.setdefault((name, "alone"), []).append(load(server))
        holder = hold_idle(server)
        try:
            results.setdefault((name, "idle"), []).append(load(server))
        finally:
            holder.terminate()
            holder.wait(30)


def spread(values, fmt):
    return "%s (%s–%s)" % (fmt % statistics.median(values), fmt % min(values), fmt % max(values))


def main():
    for tool in ("wrk", "taskset"):
        if shutil.which(tool) is None:
            raise SystemExit("healthy_bench: %s is required" % tool)
    for binary in (FERRY_BIN, PGW_BIN):
        if not os.access(binary, os.X_OK):
            raise SystemExit("healthy_bench: not found: %s (set FERRY_BIN / PGW_BIN)" % binary)
    results = {}
    load_start = os.getloadavg()[0]
    t0 = time.monotonic()
    for _ in range(ROUNDS):
        measure("ferry", FERRY_BIN, results)
        measure("pushgateway", PGW_BIN, results)
    print("GET /-/healthy, wrk -t%d -c%d -d%ds, %d rounds: median (min–max); load average "
          "%.2f -> %.2f; %.0f s" % (THREADS, CONNS, DURATION, ROUNDS, load_start,
                                    os.getloadavg()[0], time.monotonic() - t0))
    print("| case | Ferry req/s | Pushgateway req/s | Ferry / Pushgateway | "
          "Ferry CPU µs/request | Pushgateway CPU µs/request |")
    print("|---|--:|--:|--:|--:|--:|")
    for case, label in (("alone", "alone"), ("idle", "%d idle connections open" % IDLE_CONNS)):
        f, p = results[("ferry", case)], results[("pushgateway", case)]
        ratios = [a[0] / b[0] for a, b in zip(f, p)]
        print("| %s | %s | %s | %s | %s | %s |" % (
            label, spread([r for r, _ in f], "%.0f"), spread([r for r, _ in p], "%.0f"),
            spread(ratios, "%.2f"), spread([c for _, c in f], "%.1f"),
            spread([c for _, c in p], "%.1f")))


if __name__ == "__main__":
    main()
