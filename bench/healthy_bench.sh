#!/usr/bin/env bash
# GET /-/healthy, Ferry vs the Pushgateway in one run, alone and with idle connections held
# open beside the load: the front door's own cost, without the store (part of
# `make bench-front-door`; `make bench` measures the same inside the full harness).
#
# Each server in turn is pinned to SERVER_CPU, wrk and the idle-connection holder to WRK_CPU.
# Environment: FERRY_BIN (default build/bin/ferry), PGW_BIN (default
# /usr/bin/prometheus-pushgateway), DURATION (seconds per wrk run, default 10), THREADS/CONNS
# (default 2/32), IDLE_CONNS (default 1000), SERVER_CPU/WRK_CPU (default 0/1), ROUNDS (runs per
# server and case, alternating the servers, default 3; the table shows the median).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FERRY_BIN="${FERRY_BIN:-build/bin/ferry}"
PGW_BIN="${PGW_BIN:-/usr/bin/prometheus-pushgateway}"
DURATION="${DURATION:-10}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-32}"
IDLE_CONNS="${IDLE_CONNS:-1000}"
SERVER_CPU="${SERVER_CPU:-0}"
WRK_CPU="${WRK_CPU:-1}"
ROUNDS="${ROUNDS:-3}"

die() {
  echo "healthy_bench: $*" >&2
  exit 1
}
for tool in wrk taskset python3; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
[[ -x "$FERRY_BIN" ]] || die "Ferry binary not found: $FERRY_BIN"
[[ -x "$PGW_BIN" ]] || die "Pushgateway not found: $PGW_BIN (set PGW_BIN)"

work="$(mktemp -d)"
server=""
holder=""
cleanup() {
  [[ -z "$holder" ]] || { kill -TERM "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true; }
  [[ -z "$server" ]] || { kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

start() {
  taskset -c "$SERVER_CPU" "$1" --web.listen-address="127.0.0.1:$port" --persistence.file= \
    >"$work/server.log" 2>&1 &
  server=$!
  for ((i = 0; i < 200; i++)); do
    if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/-/healthy', timeout=1)" 2>/dev/null; then
      return 0
    fi
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/server.log" >&2
  die "$1 did not start"
}

stop() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}

# Prints the requests per second of one wrk run.
load() {
  taskset -c "$WRK_CPU" wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s \
    "http://127.0.0.1:$port/-/healthy" | awk '/^Requests\/sec:/ { print $2 }'
}

measure() {  # name binary -> appends "name case rps" lines to $work/results
  start "$2"
  echo "$1 alone $(load)" >>"$work/results"
  taskset -c "$WRK_CPU" python3 "$HERE/idle_connections.py" --port "$port" --count "$IDLE_CONNS" \
    --max-seconds $((DURATION + 60)) >"$work/holder.txt" 2>&1 &
  holder=$!
  for ((i = 0; i < 600; i++)); do
    grep -q '^ready' "$work/holder.txt" && break
    kill -0 "$holder" 2>/dev/null || break
    sleep 0.1
  done
  grep -q '^ready' "$work/holder.txt" || die "$1: could not hold $IDLE_CONNS connections: $(cat "$work/holder.txt")"
  echo "$1 idle $(load)" >>"$work/results"
  kill -TERM "$holder" 2>/dev/null || true
  wait "$holder" 2>/dev/null || true
  holder=""
  stop
}

read -r load_start _ </proc/loadavg
for ((round = 0; round < ROUNDS; round++)); do
  measure ferry "$FERRY_BIN"
  measure pushgateway "$PGW_BIN"
done
read -r load_end _ </proc/loadavg

python3 - "$work/results" "$load_start" "$load_end" "$IDLE_CONNS" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, case, rps = line.split()
    runs.setdefault((name, case), []).append(float(rps))
print("GET /-/healthy, requests/s (median of %d; load average %s -> %s)"
      % (len(runs[("ferry", "alone")]), sys.argv[2], sys.argv[3]))
print("| case | Ferry | Pushgateway | Ferry / Pushgateway |")
print("|---|---:|---:|---:|")
for case, label in (("alone", "alone"), ("idle", "%s idle connections open" % sys.argv[4])):
    f = statistics.median(runs[("ferry", case)])
    p = statistics.median(runs[("pushgateway", case)])
    print("| %s | %.0f | %.0f | %.2f |" % (label, f, p, f / p))
EOF
