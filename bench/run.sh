#!/usr/bin/env bash
# Ferry vs Prometheus Pushgateway, side by side in one run (what `make bench` calls).
#
# For each server in turn: start it pinned to SERVER_CPU, run the shared harness
# (../shared/bench/bench.py, load generator pinned to WRK_CPU), measure /-/healthy with wrk,
# stop it. Then bench/report.py prints the comparison table and writes bench/results/.
#
# Environment:
#   FERRY_BIN      Ferry binary (default build/bin/ferry, relative to the repo root)
#   FERRY_ARGS     extra flags for Ferry (word-split)
#   PGW_BIN        Pushgateway binary (default /usr/bin/prometheus-pushgateway)
#   DURATION       seconds per wrk run (default 10)
#   THREADS/CONNS  wrk threads/connections for the PUT, POST and /-/healthy runs (default 2/32)
#   IDLE_CONNS     idle connections held open beside the second /-/healthy run (default 1000)
#   SKIP_PGW=1     run Ferry only            ONLY_PGW=1  run the Pushgateway only
#   SERVER_CPU/WRK_CPU  CPUs for the server and for the load generator (default 0/1)
#   LOAD_DEADLINE  seconds the harness may spend on each loading step (harness default: 1800;
#                  growing the Pushgateway to 10k groups can need more on a busy machine)
#   BENCH_TIMEOUT  hard limit in seconds for one server's harness run (default: above the
#                  harness's own limits, so it only catches a hang)
#   BENCH_STRICT=1 exit 1 if a target is missed (default: only failures to measure exit non-zero)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
SHARED="$REPO/../shared"
HARNESS="$SHARED/bench/bench.py"
RESULTS="$HERE/results"

FERRY_BIN="${FERRY_BIN:-build/bin/ferry}"
FERRY_ARGS="${FERRY_ARGS:-}"
PGW_BIN="${PGW_BIN:-/usr/bin/prometheus-pushgateway}"
DURATION="${DURATION:-10}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-32}"
IDLE_CONNS="${IDLE_CONNS:-1000}"
SKIP_PGW="${SKIP_PGW:-0}"
ONLY_PGW="${ONLY_PGW:-0}"
SERVER_CPU="${SERVER_CPU:-0}"
WRK_CPU="${WRK_CPU:-1}"
LOAD_DEADLINE="${LOAD_DEADLINE:-}"
BENCH_TIMEOUT="${BENCH_TIMEOUT:-}"
BENCH_STRICT="${BENCH_STRICT:-0}"

die() {
  echo "bench: error: $*" >&2
  exit 1
}
note() { echo "bench: $*" >&2; }

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
for v in DURATION THREADS CONNS IDLE_CONNS SERVER_CPU WRK_CPU; do
  is_uint "${!v}" || die "$v must be a non-negative integer, got '${!v}'"
done
for v in LOAD_DEADLINE BENCH_TIMEOUT; do
  [[ -z "${!v}" ]] || { is_uint "${!v}" && ((${!v} > 0)); } ||
    die "$v must be a positive number of seconds, got '${!v}'"
done
# The harness bounds itself: two loading steps, 8 wrk runs of DURATION + 120 s, 600 s of
# deletes. The hard limit sits above that so it only ever stops a hung run.
: "${BENCH_TIMEOUT:=$((2 * ${LOAD_DEADLINE:-1800} + 8 * (DURATION + 120) + 900))}"
((DURATION >= 1)) || die "DURATION must be at least 1 second"
((THREADS >= 1 && CONNS >= THREADS)) || die "need THREADS >= 1 and CONNS >= THREADS"
[[ "$SKIP_PGW" == 1 && "$ONLY_PGW" == 1 ]] && die "SKIP_PGW=1 and ONLY_PGW=1 leave nothing to run"

# --- prerequisites -------------------------------------------------------------------------
[[ -f "$HARNESS" ]] || die "shared benchmark harness not found at $HARNESS
  (expected the shared/ checkout next to the repo: $(cd "$REPO/.." && pwd)/shared)"
command -v python3 >/dev/null || die "python3 is required"
command -v taskset >/dev/null || die "taskset is required (package util-linux)"
command -v timeout >/dev/null || die "timeout is required (package coreutils)"

if ! command -v wrk >/dev/null; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    note "wrk not found; installing it with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk >&2 ||
      { apt-get update >&2 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk >&2; } ||
      die "could not install wrk with apt-get"
  else
    die "wrk is not installed; install it (Debian/Ubuntu: sudo apt-get install wrk) and rerun"
  fi
fi

if ! taskset -c "$SERVER_CPU" true 2>/dev/null || ! taskset -c "$WRK_CPU" true 2>/dev/null; then
  die "cannot pin to CPUs $SERVER_CPU and $WRK_CPU (this benchmark needs 2 CPUs; set SERVER_CPU/WRK_CPU)"
fi
[[ "$SERVER_CPU" != "$WRK_CPU" ]] || die "SERVER_CPU and WRK_CPU must differ"

RUN_FERRY=1
RUN_PGW=1
[[ "$SKIP_PGW" == 1 ]] && RUN_PGW=0
[[ "$ONLY_PGW" == 1 ]] && RUN_FERRY=0

if ((RUN_FERRY)); then
  if [[ "$FERRY_BIN" != /* ]]; then
    if [[ -e "$PWD/$FERRY_BIN" ]]; then FERRY_BIN="$PWD/$FERRY_BIN"; else FERRY_BIN="$REPO/$FERRY_BIN"; fi
  fi
  [[ -x "$FERRY_BIN" ]] || die "Ferry binary not found or not executable: $FERRY_BIN
  (build it first, set FERRY_BIN, or run the Pushgateway alone with ONLY_PGW=1)"
fi
if ((RUN_PGW)); then
  [[ -x "$PGW_BIN" ]] || die "Pushgateway not found at $PGW_BIN (set PGW_BIN, or SKIP_PGW=1)"
fi

mkdir -p "$RESULTS/raw"
SERVER_PID=""

stop_server() {
  local pid="$1" i
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    note "server $pid ignored SIGTERM for 10 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317  # invoked by trap
cleanup() {
  stop_server "$SERVER_PID"
  SERVER_PID=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until GET /-/healthy answers 200, or the process dies, or 20 s pass.
wait_healthy() {
  local pid="$1" port="$2" i
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    if python3 - "$port" <<'EOF' 2>/dev/null; then return 0; fi
import sys, urllib.request
with urllib.request.urlopen("http://127.0.0.1:%s/-/healthy" % sys.argv[1], timeout=1) as r:
    sys.exit(0 if r.status == 200 else 1)
EOF
    sleep 0.1
  done
  return 1
}

# A checked push answers 200; 202 would mean the consistency check is off and the comparison
# would be unfair to the Pushgateway.
check_push_is_checked() {
  local port="$1"
  python3 - "$port" <<'EOF'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
path = "/metrics/job/bench_preflight"
c.request("PUT", path, body=b"bench_preflight 1\n", headers={"Content-Type": "text/plain; version=0.0.4"})
r = c.getresponse(); r.read()
c.request("DELETE", path); d = c.getresponse(); d.read()
if r.status != 200:
    sys.exit("preflight PUT answered %d, expected 200 (is the consistency check disabled?)" % r.status)
EOF
}

# Prints the version the running server reports in /api/v1/status (build_information), so the
# binary is never started a second time just to ask it.
server_version() {
  python3 - "$1" <<'EOF' 2>/dev/null || echo unknown
import json, sys, urllib.request
with urllib.request.urlopen("http://127.0.0.1:%s/api/v1/status" % sys.argv[1], timeout=5) as r:
    b = json.load(r)["data"]["build_information"]
print(" ".join(x for x in (b.get("version"), "(%s)" % b["revision"] if b.get("revision") else "") if x))
EOF
}

log_tail() {
  note "last lines of $1:"
  tail -n 20 "$1" >&2 || true
}

# run_server NAME BINARY ARGS... : writes raw/NAME.json, raw/NAME-healthy.txt, raw/NAME.log,
# raw/NAME-harness.log and sets SERVER_VERSION.
SERVER_VERSION=""
run_server() {
  local name="$1" bin="$2"
  shift 2
  local port log="$RESULTS/raw/$name.log"
  port="$(free_port)"
  rm -f "$RESULTS/raw/$name".{json,log} "$RESULTS/raw/$name"-{healthy.txt,healthy-idle.txt,harness.log}
  note "=== $name: starting on 127.0.0.1:$port (CPU $SERVER_CPU): $bin $*"
  taskset -c "$SERVER_CPU" "$bin" --web.listen-address="127.0.0.1:$port" "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  if ! wait_healthy "$SERVER_PID" "$port"; then
    log_tail "$log"
    stop_server "$SERVER_PID"
    SERVER_PID=""
    note "$name did not become healthy on 127.0.0.1:$port"
    return 1
  fi
  SERVER_VERSION="$(server_version "$port")"
  note "$name reports version: $SERVER_VERSION"
  if ! check_push_is_checked "$port"; then
    stop_server "$SERVER_PID"
    SERVER_PID=""
    return 1
  fi

  local rc=0
  note "=== $name: harness (load on CPU $WRK_CPU, ${DURATION}s per wrk run)"
  local harness=(python3 "$HARNESS")
  [[ -z "$LOAD_DEADLINE" ]] || harness=(python3 "$HERE/harness_deadline.py" "$HARNESS" "$LOAD_DEADLINE")
  # The harness's stderr goes through tee (shown live and kept); its stdout stays on ours. A
  # plain pipeline, not `2> >(tee ...)`: bash does not always set $! for a process
  # substitution, and waiting on the wrong $! (the server) hung the run forever.
  {
    timeout --kill-after=10 "$BENCH_TIMEOUT" \
      "${harness[@]}" --url "http://127.0.0.1:$port" --pid "$SERVER_PID" \
      --wrk-cpu "$WRK_CPU" --duration "$DURATION" --threads "$THREADS" --conns "$CONNS" \
      --json-out "$RESULTS/raw/$name.json" 2>&1 1>&3 3>&- |
      tee "$RESULTS/raw/$name-harness.log" >&2 3>&-
    rc=${PIPESTATUS[0]}
  } 3>&1 || true
  if ((rc != 0)); then
    if grep -q "failures: \[('deadline'" "$RESULTS/raw/$name-harness.log" 2>/dev/null; then
      note "$name: loading the groups hit the harness's deadline (${LOAD_DEADLINE:-1800} s per step)."
      note "  Every checked push to the Pushgateway costs O(store), so a busy machine slows the"
      note "  growth to 10k groups; rerun when it is quieter, or with a higher LOAD_DEADLINE."
    fi
    ((rc == 124)) && note "$name: harness exceeded BENCH_TIMEOUT=${BENCH_TIMEOUT}s"
    kill -0 "$SERVER_PID" 2>/dev/null || note "$name: server process died during the run"
    log_tail "$log"
  else
    note "=== $name: wrk GET /-/healthy (-t$THREADS -c$CONNS, CPU $WRK_CPU)"
    timeout --kill-after=10 $((DURATION + 60)) \
      taskset -c "$WRK_CPU" wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 30s --latency \
      "http://127.0.0.1:$port/-/healthy" >"$RESULTS/raw/$name-healthy.txt" 2>&1 || rc=$?
    ((rc == 0)) || { note "$name: wrk on /-/healthy failed:"; cat "$RESULTS/raw/$name-healthy.txt" >&2; }
    if ((rc == 0)); then
      # The same with IDLE_CONNS connections held open beside the load (half idle keep-alive,
      # half silent), by a holder on the load generator's CPU.
      note "=== $name: wrk GET /-/healthy with $IDLE_CONNS idle connections open"
      local holder_out="$RESULTS/raw/$name-idle-holder.txt"
      taskset -c "$WRK_CPU" python3 "$HERE/idle_connections.py" --port "$port" --count "$IDLE_CONNS" \
        --max-seconds $((DURATION + 120)) >"$holder_out" 2>&1 &
      local holder=$!
      local i
      for ((i = 0; i < 600; i++)); do
        grep -q '^ready' "$holder_out" 2>/dev/null && break
        kill -0 "$holder" 2>/dev/null || break
        sleep 0.1
      done
      if grep -q '^ready' "$holder_out" 2>/dev/null; then
        timeout --kill-after=10 $((DURATION + 60)) \
          taskset -c "$WRK_CPU" wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 30s --latency \
          "http://127.0.0.1:$port/-/healthy" >"$RESULTS/raw/$name-healthy-idle.txt" 2>&1 || rc=$?
      else
        note "$name: could not hold $IDLE_CONNS idle connections:"; cat "$holder_out" >&2; rc=1
      fi
      kill -TERM "$holder" 2>/dev/null || true
      wait "$holder" 2>/dev/null || true
    fi
  fi
  stop_server "$SERVER_PID"
  SERVER_PID=""
  return "$rc"
}

read -r LOADAVG _ </proc/loadavg
note "results: $RESULTS (load average at start: $LOADAVG on $(nproc) CPUs; numbers are noisy on a shared machine)"

failed=()
report_args=(--shared-bench "$SHARED/bench" --out-dir "$RESULTS" --duration "$DURATION"
  --threads "$THREADS" --conns "$CONNS" --server-cpu "$SERVER_CPU" --wrk-cpu "$WRK_CPU"
  --loadavg-start "$LOADAVG" --git-rev "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo none)")

if ((RUN_FERRY)); then
  # shellcheck disable=SC2086  # FERRY_ARGS is a list of flags
  if run_server ferry "$FERRY_BIN" --persistence.file= $FERRY_ARGS; then
    report_args+=(--ferry "$RESULTS/raw/ferry.json" --ferry-healthy "$RESULTS/raw/ferry-healthy.txt"
      --ferry-healthy-idle "$RESULTS/raw/ferry-healthy-idle.txt" --ferry-version "$SERVER_VERSION")
  else
    failed+=(ferry)
  fi
fi
if ((RUN_PGW)); then
  if run_server pushgateway "$PGW_BIN" --persistence.file=; then
    report_args+=(--pgw "$RESULTS/raw/pushgateway.json"
      --pgw-healthy "$RESULTS/raw/pushgateway-healthy.txt"
      --pgw-healthy-idle "$RESULTS/raw/pushgateway-healthy-idle.txt"
      --pgw-version "$SERVER_VERSION")
  else
    failed+=(pushgateway)
  fi
fi

read -r LOADAVG_END _ </proc/loadavg
report_args+=(--loadavg-end "$LOADAVG_END")
for f in "${failed[@]}"; do report_args+=(--failed "$f"); done
((BENCH_STRICT == 1)) && report_args+=(--strict)

if [[ "${#failed[@]}" -ge $((RUN_FERRY + RUN_PGW)) ]]; then
  die "benchmark failed for: ${failed[*]}; no results written (server logs in $RESULTS/raw/)"
fi
rc=0
python3 "$HERE/report.py" "${report_args[@]}" || rc=$?
if ((${#failed[@]})); then
  die "benchmark failed for: ${failed[*]} (server logs in $RESULTS/raw/)"
fi
exit "$rc"
