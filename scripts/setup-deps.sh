#!/usr/bin/env bash
# Installs the Debian 12 packages Ferry needs, only those that are missing. Silent when
# everything is installed already.
#   scripts/setup-deps.sh          build dependencies
#   scripts/setup-deps.sh --test   build and test dependencies (Prometheus, Pushgateway, wrk...)
set -euo pipefail

build_pkgs=(build-essential cmake ninja-build pkg-config libpoco-dev libboost-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev protobuf-compiler
  libprotobuf-dev libsqlite3-dev zlib1g-dev libsnappy-dev libbenchmark-dev python3 curl
  libyaml-cpp-dev libssl-dev openssl libcrypt-dev dpkg-dev file libpcre3-dev libhiredis-dev)
# chromium, chromium-driver and python3-selenium: the web UI's browser tests (headless).
# systemd for systemd-analyze and shellcheck for the maintainer scripts (the package test).
# clang, its sanitizer runtimes and libFuzzer build the fuzzers that `make test` runs briefly
# and `make fuzz` runs long (tests/fuzz). GCC's own ASan/UBSan/TSan runtimes, which
# `make test-sanitize` uses, come with build-essential.
# valgrind: callgrind's instruction counts (bench/instructions.py).
# redis-server, redis-sentinel, redis-tools: the redis storage plugin's tests.
# golang-go and golang-github-prometheus-client-golang-dev: the official Go client's tests
# build a pusher with them, offline (tests/integration/test_go_client.py); prometheus-cpp-dev:
# the C++ client's Gateway (test_cpp_client.py).
test_pkgs=(python3-prometheus-client prometheus prometheus-pushgateway wrk chromium chromium-driver
  python3-selenium systemd shellcheck clang libclang-rt-14-dev libfuzzer-14-dev valgrind
  redis-server redis-sentinel redis-tools golang-go golang-github-prometheus-client-golang-dev
  prometheus-cpp-dev)
# Packages whose Debian maintainer scripts would start a daemon (:9090, :9091, :6379, :26379).
daemon_pkgs=(prometheus prometheus-pushgateway redis-server redis-sentinel)
# clang-format for `make format-check`.
test_pkgs+=(clang-format)

usage() {
  echo "usage: $0 [--test]" >&2
  exit 2
}

want=("${build_pkgs[@]}")
case "${1:-}" in
  "") ;;
  --test) want+=("${test_pkgs[@]}") ;;
  *) usage ;;
esac
[ $# -le 1 ] || usage

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-deps: not a Debian system (no dpkg-query/apt-get); install these yourself:" >&2
  echo "  ${want[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${want[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
  [[ "$status" == ii* ]] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "setup-deps: missing packages: ${missing[*]}" >&2
    echo "setup-deps: not root and no sudo; install them as root." >&2
    exit 1
  fi
  sudo=(sudo)
fi
as_root() { "${sudo[@]}" "$@"; }

new_daemons=()
for pkg in "${missing[@]}"; do
  for d in "${daemon_pkgs[@]}"; do
    [ "$pkg" = "$d" ] && new_daemons+=("$pkg")
  done
done

# The packages' init scripts and units run the daemons as users "prometheus" and "redis". Such
# processes that exist before the installation are not ours to stop afterwards.
daemon_pids() {
  pgrep -u prometheus -f '^/usr/bin/prometheus(-pushgateway)?( |$)' 2>/dev/null || true
  pgrep -u redis -f '^/usr/bin/redis-(server|sentinel|check-rdb) ' 2>/dev/null || true
}
pids_before=" $(daemon_pids | tr '\n' ' ') "

# policy-rc.d exiting 101 tells invoke-rc.d and deb-systemd-invoke not to start services
# during the installation. An existing policy is left as it is.
policy=/usr/sbin/policy-rc.d
created_policy=0
cleanup() {
  if [ "$created_policy" -eq 1 ]; then as_root rm -f "$policy"; fi
}
trap cleanup EXIT
if [ ${#new_daemons[@]} -gt 0 ] && [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# Temporary, from Ferry scripts/setup-deps.sh: start no services.\nexit 101\n' |
    as_root tee "$policy" >/dev/null
  as_root chmod 0755 "$policy"
  created_policy=1
fi

echo "setup-deps: installing ${missing[*]}"
as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
  "${missing[@]}"

if [ ${#new_daemons[@]} -gt 0 ]; then
  # Under systemd the packages enable their units: stop and disable the ones just installed so
  # nothing listens on :9090/:9091/:6379/:26379 now or after a reboot. Tests start their own
  # instances.
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    for unit in "${new_daemons[@]}"; do
      as_root systemctl disable --now "$unit.service" >/dev/null 2>&1 || true
    done
  fi
  # Without systemd, stop any daemon process that the installation itself started.
  for pid in $(daemon_pids); do
    case "$pids_before" in *" $pid "*) continue ;; esac
    echo "setup-deps: stopping pid $pid ($(ps -o args= -p "$pid" 2>/dev/null)), started by the package"
    as_root kill -TERM "$pid" 2>/dev/null || true
  done
fi
echo "setup-deps: done"
