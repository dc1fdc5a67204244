#!/usr/bin/env bash
# The tests under sanitizers (docs/fuzzing.md#sanitizers), each build in a directory of its own:
#   1. ASan + UBSan (+ LeakSanitizer): the unit, plugin contract and integration tests (the
#      conformance suite included);
#   2. ThreadSanitizer: the unit tests that run code on many threads at once, and the
#      integration suite where many clients run at once (concurrency).
# Any sanitizer report fails the run, also one from a process whose exit status no test looks
# at (a server stopped at the end of a suite): reports go to files that are checked at the end.
#   scripts/test-sanitize.sh [asan|tsan]...     (default: both, in that order)
# Variables: SANITIZE_SCOPE (ci: the set .ci/run runs within its time budget, the default;
# full: every test, see docs/fuzzing.md#what-runs-where), ASAN_BUILD_DIR (build-asan),
# TSAN_BUILD_DIR (build-tsan), JOBS (nproc), CTEST_JOBS (2), SANITIZE_CMAKE_ARGS (extra -D
# arguments for both builds), FERRY_TEST_TIME_SCALE (4).
# Ends with the line "N passed, M failed" over both stages.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 1

asan_dir=${ASAN_BUILD_DIR:-build-asan}
tsan_dir=${TSAN_BUILD_DIR:-build-tsan}
jobs=${JOBS:-$(nproc)}
scope=${SANITIZE_SCOPE:-ci}
case "$scope" in
  ci|full) ;;
  *) echo "test-sanitize: SANITIZE_SCOPE is ci or full, not $scope" >&2; exit 2 ;;
esac
stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(asan tsan)

# Never under a sanitizer: the fuzzers (ASan and UBSan are built into them, see `make fuzz`),
# the Debian package test (it checks the packaging of a release build: the dependencies it
# declares would not cover an instrumented binary's sanitizer runtimes) and the checks of the
# source tree (lint: nothing is compiled).
never='^(fuzz|package|lint)\.'
# ASan, scope ci: every unit and plugin contract test and the integration suites that drive the
# parsers, the store and the front door. Left to scope full, because they cost most of the
# budget and reach no code the others miss: the browser suites (the server side of the UI is
# ui_http), the suites that wait on a real Prometheus (its scrapes are what conformance and
# http_compat send), the load suite (front_door covers each of its limits once), the kill -9
# cycles of durability (its recovery code is the snapshot and stored_group fuzzers' and
# storage_failure's), and the SDK's out-of-tree rebuild of the example plugins (the contract
# kits run in-tree).
asan_ci_exclude='^integration\.(ui_browser|ui_group_api|prometheus_scrape|prometheus_tls|front_door_load|durability)$|^sdk\.'
# TSan: the unit tests of the code that runs on many threads (the store and its group commit,
# the plugin host, the storage plugins and the contract kits' concurrent tests), then the
# integration suite where many clients and the group commit run at once. The other integration
# suites send one request at a time; under TSan they would cost minutes of the CI budget and
# reach no interleaving the concurrency suite misses. Scope ci builds only these tests (a test
# whose executable was not built shows up as <target>_NOT_BUILT and is left out); scope full
# builds and runs every unit test.
tsan_ci_targets=(ferry memory file sqlite text protobuf basic token cert
  ferry_store_tests ferry_store_storage_failure_tests ferry_plugin_host_tests
  ferry_storage_contract_tests ferry_input_contract_tests ferry_auth_contract_tests
  ferry_sqlite_plugin_tests)
tsan_unit_exclude='_NOT_BUILT$|^(integration|sdk)\.'
# The SDK's in-tree plugin test is named like its executable, so scope ci, which does not build
# it (one plugin on one thread), has to leave it out by name.
tsan_ci_unit_exclude='^sdk_header_example_test$'
tsan_integration='^integration\.concurrency$'

# Instrumented code runs several times slower: the integration tests' bounds on how long Ferry
# may take to start, stop and answer scale by this factor (tests/integration/ferry_harness.py).
export FERRY_TEST_TIME_SCALE=${FERRY_TEST_TIME_SCALE:-4}

read -ra extra_cmake_args <<<"${SANITIZE_CMAKE_ARGS:-}"

# CPU seconds (user + sys) this script and every process it waited for have used so far: what a
# step costs whatever else the machine is running (docs/fuzzing.md#ci-times).
ticks=$(getconf CLK_TCK)
cpu_seconds() {
  local stat
  read -ra stat </proc/$$/stat
  echo $(((stat[13] + stat[14] + stat[15] + stat[16]) / ticks))
}
step_wall=0
step_cpu=0
step_start() {
  step_wall=$(date +%s)
  step_cpu=$(cpu_seconds)
}
# step_end <what>: one line with the step's wall and CPU seconds and the load average beside them.
step_end() {
  local load
  read -r load _ </proc/loadavg
  echo "test-sanitize: $1: $(($(date +%s) - step_wall)) s wall, $(($(cpu_seconds) - step_cpu)) s CPU, load $load"
}
total_passed=0
total_failed=0

# configure <dir> <sanitizer flags>
configure() {
  local dir=$1 flags=$2
  # -O1 keeps the builds and the instrumented tests fast enough for CI; -g1 gives reports
  # file:line stack traces. Plugins are MODULE libraries linked with -z defs: their link needs
  # the sanitizer runtime too, hence the module linker flags. A unity build compiles up to eight
  # sources of a target as one translation unit, so the headers they share (Poco, nlohmann_json,
  # spdlog, protobuf, GoogleTest) are parsed, instrumented and optimized once per batch instead
  # of once per source: the cheapest way to the same instrumented code (docs/fuzzing.md#ci-times).
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_UNITY_BUILD=ON \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" \
    -DCMAKE_MODULE_LINKER_FLAGS="$flags" \
    -DFERRY_FUZZ_SMOKE=OFF -DFERRY_BUILD_BENCH=OFF "${extra_cmake_args[@]}" >/dev/null
}

# run_stage <name> <dir> <reports dir> <ctest arguments...>: runs the tests, then counts every
# report file as one more failure.
run_stage() {
  local name=$1 dir=$2 reports=$3
  shift 3
  local log
  log=$(mktemp)
  CTEST_JOBS=${CTEST_JOBS:-2} scripts/run-tests.sh "$dir" "$@" | tee "$log"
  local line passed=0 failed=1
  line=$(tail -n 1 "$log")
  rm -f "$log"
  if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=${BASH_REMATCH[1]}
    failed=${BASH_REMATCH[2]}
  fi
  local found=0
  for report in "$reports"/*; do
    [ -e "$report" ] || continue
    found=$((found + 1))
    echo "----- $name report: $report -----"
    cat "$report"
  done
  if [ "$found" -gt 0 ]; then
    echo "test-sanitize: $name: $found sanitizer report(s) above" >&2
    failed=$((failed + found))
  fi
  echo "test-sanitize: $name: $passed passed, $failed failed"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
}

for stage in "${stages[@]}"; do
  started=$(date +%s)
  started_cpu=$(cpu_seconds)
  case "$stage" in
    asan)
      flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
      step_start
      configure "$asan_dir" "$flags" || { total_failed=$((total_failed + 1)); continue; }
      cmake --build "$asan_dir" -j "$jobs" || { total_failed=$((total_failed + 1)); continue; }
      step_end "asan build"
      exclude=$never
      [ "$scope" = full ] || exclude="$never|$asan_ci_exclude"
      reports="$repo/$asan_dir/sanitizer-reports"
      rm -rf "$reports" && mkdir -p "$reports"
      step_start
      ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:log_path=$reports/asan" \
      UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan" \
      LSAN_OPTIONS="suppressions=$repo/tests/sanitize/lsan.supp:print_suppressions=0" \
        run_stage "ASan+UBSan" "$asan_dir" "$reports" -E "$exclude"
      step_end "asan tests"
      ;;
    tsan)
      flags="-fsanitize=thread -fno-omit-frame-pointer"
      step_start
      configure "$tsan_dir" "$flags" || { total_failed=$((total_failed + 1)); continue; }
      targets=()
      [ "$scope" = full ] || targets=(--target "${tsan_ci_targets[@]}")
      cmake --build "$tsan_dir" -j "$jobs" "${targets[@]}" ||
        { total_failed=$((total_failed + 1)); continue; }
      step_end "tsan build"
      reports="$repo/$tsan_dir/sanitizer-reports"
      rm -rf "$reports" && mkdir -p "$reports"
      export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$reports/tsan:suppressions=$repo/tests/sanitize/tsan.supp"
      step_start
      exclude="$never|$tsan_unit_exclude"
      [ "$scope" = full ] || exclude="$exclude|$tsan_ci_unit_exclude"
      run_stage "TSan unit" "$tsan_dir" "$reports" -E "$exclude"
      rm -rf "$reports" && mkdir -p "$reports"
      run_stage "TSan integration" "$tsan_dir" "$reports" -R "$tsan_integration"
      step_end "tsan tests"
      unset TSAN_OPTIONS
      ;;
    *)
      echo "usage: $0 [asan|tsan]..." >&2
      exit 2
      ;;
  esac
  echo "test-sanitize: $stage took $(($(date +%s) - started)) s wall, $(($(cpu_seconds) - started_cpu)) s CPU"
done

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
