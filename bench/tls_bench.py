#!/usr/bin/env python3
"""Push throughput over plain HTTP, HTTPS with keep-alive, and HTTPS with keep-alive and basic
auth (a bcrypt cost-10 hash in --web.config.file), with the shared harness's PUT.

For each mode: start Ferry on 127.0.0.1 pinned to SERVER_CPU, pre-load the 1,000 groups that
../shared/bench/put_groups.lua pushes round-robin (job bench_load, instances i0..i999), then run
wrk pinned to WRK_CPU for DURATION seconds and stop the server. wrk keeps its connections open,
so each one pays one TLS handshake; what remains is TLS record cost and, with basic auth, the
credential check. bcrypt at cost 10 takes ~50-100 ms: if it ran per request, the auth row would
be capped at ~10-20 req/s per core instead of staying near the HTTPS row.

put_groups.lua passes its own header table to wrk.format, which drops wrk's -H headers, so the
auth mode runs a small wrapper script that adds the Authorization header to every request.

Environment: FERRY_BIN (build/bin/ferry), SHARED_BENCH (../shared/bench), DURATION (10),
THREADS (2), CONNS (32), SERVER_CPU (0), WRK_CPU (1). Every step is bounded in time."""

import base64
import os
import shutil
import subprocess
import sys
import tempfile

from bench_server import BenchServer

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Absolute: each server runs in a temporary working directory.
FERRY_BIN = os.path.abspath(
    os.environ.get("FERRY_BIN", os.path.join(REPO, "build", "bin", "ferry")))
SHARED = os.environ.get("SHARED_BENCH", os.path.join(REPO, "..", "shared", "bench"))
DURATION = int(os.environ.get("DURATION", "10"))
THREADS = int(os.environ.get("THREADS", "2"))
CONNS = int(os.environ.get("CONNS", "32"))
SERVER_CPU = os.environ.get("SERVER_CPU", "0")
WRK_CPU = os.environ.get("WRK_CPU", "1")
GROUPS = 1000
JOB = "bench_load"

# bcrypt("fakepassword"), cost 10 (the exporter-toolkit's documentation example).
USER, PASSWORD = "bench", "fakepassword"
HASH = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi"
AUTH = "Basic " + base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode()).decode()

# The harness's PUT body (put_groups.lua), for the pre-load.
BODY = ("# TYPE bench_requests_total counter\n"
        'bench_requests_total{code="200",method="get"} 1027\n'
        'bench_requests_total{code="200",method="post"} 311\n'
        'bench_requests_total{code="404",method="get"} 7\n'
        'bench_requests_total{code="500",method="get"} 2\n'
        'bench_requests_total{code="500",method="post"} 1\n'
        "# TYPE bench_temperature_celsius gauge\n"
        'bench_temperature_celsius{sensor="s0"} 21.5\n'
        'bench_temperature_celsius{sensor="s1"} 22.25\n'
        'bench_temperature_celsius{sensor="s2"} 19.75\n'
        'bench_temperature_celsius{sensor="s3"} 23\n'
        'bench_temperature_celsius{sensor="s4"} 20.125\n').encode()

AUTH_WRAPPER = """\
-- put_groups.lua with the Authorization header given to wrk with -H added to every request.
dofile(%r)
local format = wrk.format
wrk.format = function(method, path, headers, body)
  if headers and wrk.headers["Authorization"] then
    headers["Authorization"] = wrk.headers["Authorization"]
  end
  return format(method, path, headers, body)
end
"""


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60)


def make_cert(d):
    """A self-signed server certificate for 127.0.0.1 (wrk does not verify it)."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out",
            "server.crt", "-days", "2", "-subj", "/CN=ferry-bench",
            "-addext", "subjectAltName=IP:127.0.0.1", cwd=d)


class Ferry(BenchServer):
    """Ferry with the mode's web config (TLS, basic auth), pinned to the server CPU."""

    def __init__(self, workdir, web_config, tls, auth):
        self.auth = auth
        argv = [FERRY_BIN, "--persistence.file="]
        if web_config:
            argv.append("--web.config.file=" + web_config)
        super().__init__(argv, cpu=SERVER_CPU, cwd=workdir, tls=tls, ready_path="/-/healthy",
                         ready_headers=self.headers(), ready_timeout=15, stop_timeout=10,
                         log_path=os.path.join(workdir, "ferry.log"))

    def headers(self):
        return {"Authorization": AUTH} if self.auth else {}

    def preload(self):
        conn = self.connect(30)  # one keep-alive connection, as wrk uses
        try:
            for i in range(GROUPS):
                conn.request("PUT", "/metrics/job/%s/instance/i%d" % (JOB, i), body=BODY,
                             headers=self.headers())
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    raise SystemExit("pre-load PUT %d: HTTP %d" % (i, r.status))
        finally:
            conn.close()


def run_wrk(url, script, extra):
    cmd = (["taskset", "-c", WRK_CPU, "wrk", "-t%d" % THREADS, "-c%d" % CONNS,
            "-d%ds" % DURATION, "--timeout", "30s", "--latency"] + extra +
           ["-s", script, url, "--", str(GROUPS), "-", JOB])
    log("+ " + " ".join(cmd))
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=DURATION + 120)
    return p.stdout.decode("utf-8", "replace")


def main():
    sys.path.insert(0, SHARED)
    from bench import parse_wrk  # the shared harness's parser

    put_script = os.path.abspath(os.path.join(SHARED, "put_groups.lua"))
    for tool in ("wrk", "taskset", "openssl"):
        if shutil.which(tool) is None:
            raise SystemExit("%s not found (Debian: apt-get install %s)" %
                             (tool, {"taskset": "util-linux"}.get(tool, tool)))
    if not os.access(FERRY_BIN, os.X_OK):
        raise SystemExit("ferry binary not found: %s (set FERRY_BIN)" % FERRY_BIN)
    if not os.path.isfile(put_script):
        raise SystemExit("shared harness not found: %s (set SHARED_BENCH)" % put_script)

    workdir = tempfile.mkdtemp(prefix="ferry-tls-bench-")
    try:
        make_cert(workdir)
        tls_yml = os.path.join(workdir, "tls.yml")
        with open(tls_yml, "w") as f:
            f.write("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n")
        auth_yml = os.path.join(workdir, "tls_auth.yml")
        with open(auth_yml, "w") as f:
            f.write("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                    "basic_auth_users:\n  %s: %s\n" % (USER, HASH))
        auth_script = os.path.join(workdir, "put_groups_auth.lua")
        with open(auth_script, "w") as f:
            f.write(AUTH_WRAPPER % put_script)

        modes = [("plain HTTP", None, False, False, put_script, []),
                 ("HTTPS keep-alive", tls_yml, True, False, put_script, []),
                 ("HTTPS keep-alive + basic auth", auth_yml, True, True, auth_script,
                  ["-H", "Authorization: " + AUTH])]
        rows = []
        for name, web_config, tls, auth, script, extra in modes:
            server = Ferry(workdir, web_config, tls, auth)
            try:
                server.preload()
                res = parse_wrk(run_wrk(server.url(""), script, extra))
            finally:
                server.stop()
            rows.append((name, res))

        plain = rows[0][1]["rps"]
        print("\nPUT, %d groups x 10 series pre-loaded, wrk -t%d -c%d -d%ds, server CPU %s, "
              "wrk CPU %s\n" % (GROUPS, THREADS, CONNS, DURATION, SERVER_CPU, WRK_CPU))
        print("| mode | req/s | p50 ms | p99 ms | errors | / plain |")
        print("|---|---:|---:|---:|---:|---:|")
        failed = False
        for name, r in rows:
            errors = r["non2xx"] + r["socket_errors"]
            failed |= errors > 0 or not r["rps"]
            ratio = "%.2f" % (r["rps"] / plain) if r["rps"] and plain else "n/a"
            print("| %s | %.0f | %s | %s | %d | %s |" % (
                name, r["rps"] or 0, r.get("p50_ms", "n/a"), r.get("p99_ms", "n/a"), errors,
                ratio))
        if failed:
            print("\nA run had errors (non-2xx or socket errors): its rate is not valid.")
            return 1
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
