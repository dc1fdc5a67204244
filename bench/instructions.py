#!/usr/bin/env python3
"""Instructions per request, counted by valgrind's callgrind: a figure that does not depend on
what else the machine is doing, unlike the req/s of run.sh.

For each kind of request, Ferry runs under `valgrind --tool=callgrind` twice with the same
start: 1,000 groups x 10 series pre-loaded (the shared harness's body, job bench_load,
instance iN), then either nothing or N requests over one keep-alive connection, then SIGTERM.
Instructions per request = (instructions of the run with N requests - of the run without) / N.

  checked_put   PUT of the harness's 10-series text body round-robin over the 1,000 groups
                (a checked push: the consistency check is on, the answer is 200)
  protobuf_put  the same families as one delimited protobuf body
  healthy       GET /-/healthy (the HTTP layer alone)
  limited_put   checked_put with every "limits" key set (none reached): what checking the
                limits costs a push (docs/configuration.md, "Limits")

Usage: python3 bench/instructions.py [--ferry build/bin/ferry] [--requests 2000]
                                     [--only checked_put,healthy] [--json-out FILE]
Prints one line per kind and, with --json-out, writes them as JSON. Needs valgrind.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "..", "shared", "bench"))
from bench import BODY, LOAD_JOB  # noqa: E402  (the shared harness's 10-series body)

GROUPS = 1000
PROTOBUF_CT = ("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
               "encoding=delimited")
# Every limit set, none reached by the pushes (the same values as bench/lifecycle_bench.py).
LIMITS = {"limits": {"max_series_per_push": 1000, "max_series_per_group": 1000,
                     "max_groups": 10000000, "max_groups_per_job": 10000000,
                     "max_series": 100000000, "max_label_name_length": 128,
                     "max_label_value_length": 1024, "max_labels_per_series": 32}}
START_TIMEOUT_S = 120
RUN_TIMEOUT_S = 1800


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def protobuf_body():
    """The harness's body as delimited MetricFamily messages, encoded by hand (no protobuf
    module needed): the same two families, labels and values."""
    def varint(n):
        out = bytearray()
        while True:
            b = n & 0x7F
            n >>= 7
            out.append(b | (0x80 if n else 0))
            if not n:
                return bytes(out)

    def field(number, wire, payload):
        key = varint(number << 3 | wire)
        if wire == 2:
            return key + varint(len(payload)) + payload
        return key + payload

    import struct
    families = {}
    order = []
    types = {}
    for line in BODY.decode().splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            types[name] = 0 if kind == "counter" else 1
            continue
        m = re.match(r'(\w+)\{(.*)\} (\S+)', line)
        name, labels, value = m.group(1), m.group(2), float(m.group(3))
        pairs = re.findall(r'(\w+)="([^"]*)"', labels)
        metric = b"".join(field(1, 2, field(1, 2, k.encode()) + field(2, 2, v.encode()))
                          for k, v in pairs)
        value_msg = field(1, 1, struct.pack("<d", value))
        metric += field(3 if types[name] == 0 else 2, 2, value_msg)
        if name not in families:
            families[name] = []
            order.append(name)
        families[name].append(metric)
    out = b""
    for name in order:
        msg = field(1, 2, name.encode()) + field(3, 0, varint(types[name]))
        msg += b"".join(field(4, 2, m) for m in families[name])
        out += varint(len(msg)) + msg
    return out


REQUESTS = {
    "checked_put": ("PUT", BODY, "text/plain; version=0.0.4"),
    "limited_put": ("PUT", BODY, "text/plain; version=0.0.4"),
    "protobuf_put": ("PUT", None, PROTOBUF_CT),
    "healthy": ("GET", None, None),
}


def wait_healthy(port, proc):
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("ferry exited during start (code %s)" % proc.returncode)
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/-/healthy")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("ferry did not become healthy in %d s" % START_TIMEOUT_S)


def request(conn, method, path, body, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    resp.read()
    if resp.status != 200:
        raise RuntimeError("%s %s answered %d" % (method, path, resp.status))


def count(ferry, kind, n, workdir):
    """Total instructions of one run: start, pre-load, n requests of `kind`, SIGTERM."""
    port = free_port()
    out = os.path.join(workdir, "callgrind.%s.%d.out" % (kind, n))
    extra = []
    if kind == "limited_put":
        config = os.path.join(workdir, "limits.json")
        with open(config, "w") as f:
            json.dump(LIMITS, f)
        extra.append("--config.file=" + config)
    proc = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, ferry,
         "--web.listen-address=127.0.0.1:%d" % port, "--log.level=warn", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_healthy(port, proc)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for i in range(GROUPS):
            request(conn, "PUT", "/metrics/job/%s/instance/i%d" % (LOAD_JOB, i), BODY,
                    "text/plain; version=0.0.4")
        method, body, content_type = REQUESTS[kind]
        if kind == "protobuf_put":
            body = protobuf_body()
        deadline = time.monotonic() + RUN_TIMEOUT_S
        for i in range(n):
            if time.monotonic() > deadline:
                raise RuntimeError("run took longer than %d s" % RUN_TIMEOUT_S)
            path = ("/-/healthy" if method == "GET"
                    else "/metrics/job/%s/instance/i%d" % (LOAD_JOB, i % GROUPS))
            request(conn, method, path, body, content_type)
        conn.close()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=RUN_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    totals = 0
    with open(out) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                totals = int(line.split()[1])
    if not totals:
        raise RuntimeError("no instruction total in %s: %s" % (out, err.decode()[-2000:]))
    return totals


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ferry", default=os.path.join(REPO, "build", "bin", "ferry"))
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--only", default=",".join(REQUESTS))
    ap.add_argument("--json-out")
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("instructions.py: valgrind is not installed (apt-get install valgrind)")
    ferry = os.path.abspath(args.ferry)
    results = {}
    workdir = tempfile.mkdtemp(prefix="ferry-callgrind-")
    try:
        for kind in args.only.split(","):
            base = count(ferry, kind, 0, workdir)
            loaded = count(ferry, kind, args.requests, workdir)
            per = (loaded - base) / args.requests
            results[kind] = round(per)
            print("%-13s %9.0f instructions per request  (%d requests; %d vs %d total)"
                  % (kind, per, args.requests, loaded, base), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
