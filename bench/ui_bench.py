#!/usr/bin/env python3
"""The web UI with many groups stored (issue: 100,000 groups, interactive within 2 s, under 1 MB
transferred before the first paint), measured in headless Chromium, for Ferry and, side by
side, the Pushgateway's own page.

For each server: start it pinned to --server-cpu, push --groups groups over
--push-connections keep-alive connections (bounded by --load-deadline), then open the page in a
fresh headless Chromium pinned to --browser-cpu --runs times and read the browser's own clocks:
  first paint       performance "first-contentful-paint"
  interactive       the first group cards are drawn and the list is no longer busy (Ferry),
                    or the load event (Pushgateway: its page is complete when loaded)
  before paint      bytes transferred (transferSize of the document and every resource)
                    that finished before the first paint
  total             bytes transferred until interactive
The Pushgateway renders every group into its one page and re-checks its whole store on every
push, so filling it is quadratic: --pgw-groups (default 10,000) sets its size.

  python3 bench/ui_bench.py --ferry build/bin/ferry [--groups 100000] [--runs 3]
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))

from browser_harness import Browser  # noqa: E402
from bench_server import BenchServer  # noqa: E402

FERRY_READY_JS = """
return document.querySelectorAll('article.group').length > 0 &&
       !document.querySelector('#groups[aria-busy]');
"""

MEASURE_JS = """
const nav = performance.getEntriesByType('navigation')[0];
const paint = performance.getEntriesByName('first-contentful-paint')[0];
const fp = paint ? paint.startTime : null;
let before = nav.transferSize, total = nav.transferSize;
for (const r of performance.getEntriesByType('resource')) {
  total += r.transferSize;
  if (fp !== null && r.responseEnd <= fp) before += r.transferSize;
}
return {first_paint_ms: fp, load_ms: nav.loadEventEnd, before_paint_bytes: before,
        total_bytes: total, resources: performance.getEntriesByType('resource').length};
"""


def push_some(port, indexes, started, deadline_s):
    """Returns how many groups it pushed: it stops at the deadline, so a server that cannot be
    filled in time (the Pushgateway re-checks its whole store on every push) is measured with
    what it holds by then."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    pushed = 0
    for i in indexes:
        if time.monotonic() - started > deadline_s:
            break
        body = ("# TYPE batch_last_success_seconds gauge\nbatch_last_success_seconds %d\n"
                "# TYPE batch_items_total counter\nbatch_items_total %d\n" % (1.7e9 + i, i))
        conn.request("PUT", "/metrics/job/bench-%d/instance/host-%05d" % (i % 50, i), body)
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise RuntimeError("push %d: HTTP %d" % (i, r.status))
        pushed += 1
    return pushed


def push_groups(port, count, deadline_s, connections):
    """Pushes over `connections` keep-alive connections at once (one round trip at a time
    each), so filling the store is bound by the server rather than by one client's latency."""
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        futures = [pool.submit(push_some, port, range(k, count, connections), started,
                               deadline_s) for k in range(connections)]
        pushed = sum(f.result() for f in futures)
    return pushed, time.monotonic() - started


def measure(url, ferry, runs):
    results = []
    for _ in range(runs):
        browser = Browser(width=1280, height=900)
        try:
            started = time.monotonic()
            browser.driver.set_page_load_timeout(600)
            browser.open(url)
            if ferry:
                browser.wait(lambda: browser.js(FERRY_READY_JS), "the first cards", timeout=600)
            numbers = browser.js(MEASURE_JS)
            now = browser.js("return performance.now()")
            numbers["interactive_ms"] = now if ferry else numbers["load_ms"]
            numbers["wall_s"] = time.monotonic() - started
            numbers["cards"] = browser.js("return document.querySelectorAll("
                                          "'article.group, .card').length")
            results.append(numbers)
        finally:
            browser.close()
    return results


def median(values):
    values = sorted(v for v in values if v is not None)
    return values[len(values) // 2] if values else None


def report(name, groups, load_s, runs):
    fp = median([r["first_paint_ms"] for r in runs])
    ti = median([r["interactive_ms"] for r in runs])
    before = median([r["before_paint_bytes"] for r in runs])
    total = median([r["total_bytes"] for r in runs])
    print("%-12s groups=%-7d push %.0fs  first paint %7.0f ms  interactive %8.0f ms  "
          "before paint %9d B  total %11d B  (median of %d)"
          % (name, groups, load_s, fp or -1, ti or -1, before or -1, total or -1, len(runs)))
    return {"server": name, "groups": groups, "first_paint_ms": fp, "interactive_ms": ti,
            "before_paint_bytes": before, "total_bytes": total, "runs": runs}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ferry", default=os.path.join(HERE, "..", "build", "bin", "ferry"))
    ap.add_argument("--pushgateway", default="/usr/bin/prometheus-pushgateway")
    ap.add_argument("--groups", type=int, default=100000)
    ap.add_argument("--pgw-groups", type=int, default=10000)
    ap.add_argument("--skip-pushgateway", action="store_true")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--server-cpu", type=int, default=0)
    ap.add_argument("--browser-cpu", type=int, default=1)
    ap.add_argument("--load-deadline", type=int, default=1800)
    ap.add_argument("--push-connections", type=int, default=8)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    if not shutil.which("taskset"):
        sys.exit("ui_bench: taskset (util-linux) is needed")

    # Chromium and its driver inherit this process's CPU; the servers get their own.
    os.sched_setaffinity(0, {args.browser_cpu})
    out = []
    servers = [("ferry", [os.path.abspath(args.ferry)], args.groups)]
    if not args.skip_pushgateway:
        servers.append(("pushgateway", [args.pushgateway, "--persistence.file="],
                        args.pgw_groups))
    for name, argv, groups in servers:
        server = BenchServer(argv, cpu=args.server_cpu, ready_timeout=20, stop_timeout=10)
        try:
            pushed, load_s = push_groups(server.port, groups, args.load_deadline,
                                         args.push_connections)
            if pushed < groups:
                print("%s: %d of %d groups pushed within --load-deadline %d s; measuring the "
                      "page with those" % (name, pushed, groups, args.load_deadline))
            runs = measure(server.url("/"), name == "ferry", args.runs)
            out.append(report(name, pushed, load_s, runs))
        finally:
            server.stop()
    ferry = out[0]
    ok = (ferry["groups"] == args.groups and ferry["interactive_ms"] is not None and ferry["interactive_ms"] <= 2000 and
          ferry["before_paint_bytes"] is not None and ferry["before_paint_bytes"] < 1 << 20)
    print("ferry target (interactive <= 2000 ms, < 1 MiB before first paint): %s"
          % ("met" if ok else "MISSED"))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
