#!/usr/bin/env python3
"""Instructions per request, counted by valgrind's callgrind: noise-free, unlike req/s.

Runs the server under `valgrind --tool=callgrind` twice, once with no requests and once with
--requests requests of one kind over one keep-alive connection, and prints
(instructions of the second run - instructions of the first) / requests. Start-up, the
readiness probe and shutdown cancel out. Kinds: healthy (GET /-/healthy), put (PUT of a
10-series text body to one group), scrape (GET /metrics with that group stored).

  python3 bench/callgrind_requests.py --ferry build/bin/ferry --kind healthy --requests 2000
"""

import argparse
import os
import re
import sys
import tempfile

from bench_server import BenchServer

BODY = "".join("# TYPE cg_metric_%d gauge\ncg_metric_%d{a=\"%d\"} %d\n" % (i, i, i, i)
               for i in range(10)).encode()


def run(binary, kind, requests, workdir):
    out = os.path.join(workdir, "callgrind.%s.%d.out" % (kind, requests))
    server = BenchServer([binary, "--persistence.file="], cwd=workdir, ready_timeout=120,
                         stop_timeout=300, log_path=os.path.join(workdir, "server.log"),
                         wrapper=["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out])
    try:
        c = server.connect()
        if kind == "scrape":
            c.request("PUT", "/metrics/job/cg", body=BODY)
            c.getresponse().read()
        for _ in range(requests):
            if kind == "healthy":
                c.request("GET", "/-/healthy")
            elif kind == "put":
                c.request("PUT", "/metrics/job/cg", body=BODY)
            else:
                c.request("GET", "/metrics")
            r = c.getresponse()
            r.read()
            if r.status not in (200, 202):
                raise SystemExit("%s answered %d" % (kind, r.status))
        c.close()
    finally:
        server.stop()
    with open(out) as f:
        text = f.read()
    m = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
    if not m:
        raise SystemExit("no instruction total in " + out)
    return int(m.group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ferry", default="build/bin/ferry")
    ap.add_argument("--kind", choices=("healthy", "put", "scrape"), default="healthy")
    ap.add_argument("--requests", type=int, default=2000)
    args = ap.parse_args()
    binary = os.path.abspath(args.ferry)
    with tempfile.TemporaryDirectory(prefix="ferry-callgrind-") as d:
        base = run(binary, args.kind, 0, d)
        loaded = run(binary, args.kind, args.requests, d)
    per = (loaded - base) / args.requests
    print("%s: %.0f instructions per request (%d requests; %d vs %d in total)"
          % (args.kind, per, args.requests, loaded, base))


if __name__ == "__main__":
    sys.exit(main())
