#!/usr/bin/env bash
# The tests under sanitizers (docs/fuzzing.md#sanitizers), each build in a directory of its own:
#   1. ASan + UBSan (+ LeakSanitizer): the unit, plugin contract, SDK and integration tests
#      (the conformance suite included);
#   2. ThreadSanitizer: every unit test, and the integration suite where many clients run at
#      once (concurrency).
# Any sanitizer report fails the run, also one from a process whose exit status no test looks
# at (a server stopped at the end of a suite): reports go to files that are checked at the end.
#   scripts/test-sanitize.sh [asan|tsan]...     (default: both, in that order)
# Variables: ASAN_BUILD_DIR (build-asan), TSAN_BUILD_DIR (build-tsan), JOBS (nproc),
# CTEST_JOBS (2), SANITIZE_CMAKE_ARGS (extra -D arguments for both builds).
# Ends with the line "N passed, M failed" over both stages.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 1

asan_dir=${ASAN_BUILD_DIR:-build-asan}
tsan_dir=${TSAN_BUILD_DIR:-build-tsan}
jobs=${JOBS:-$(nproc)}
stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(asan tsan)

# The ASan stage runs every test except the fuzzers (they have ASan and UBSan built in, see
# `make fuzz`) and the Debian package test (it checks the packaging of a release build: the
# dependencies it declares would not cover an instrumented binary's sanitizer runtimes).
asan_exclude='^(fuzz|package)\.'
# The TSan stage runs every unit test (GoogleTest), then the integration suite where many
# clients and the group commit run at once. The other integration suites send one request at a
# time (durability adds kill -9 cycles, which ASan covers); under TSan they would cost minutes
# of the CI budget and reach no interleaving the concurrency suite misses.
tsan_unit_exclude='^(integration|sdk|fuzz|package)\.'
tsan_integration='^integration\.concurrency$'

read -ra extra_cmake_args <<<"${SANITIZE_CMAKE_ARGS:-}"
total_passed=0
total_failed=0

# configure <dir> <sanitizer flags>
configure() {
  local dir=$1 flags=$2
  # -O1 keeps the builds and the instrumented tests fast enough for CI; -g1 gives reports
  # file:line stack traces. Plugins are MODULE libraries linked with -z defs: their link needs
  # the sanitizer runtime too, hence the module linker flags.
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
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
  case "$stage" in
    asan)
      flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
      configure "$asan_dir" "$flags" || { total_failed=$((total_failed + 1)); continue; }
      cmake --build "$asan_dir" -j "$jobs" || { total_failed=$((total_failed + 1)); continue; }
      reports="$repo/$asan_dir/sanitizer-reports"
      rm -rf "$reports" && mkdir -p "$reports"
      ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:log_path=$reports/asan" \
      UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan" \
      LSAN_OPTIONS="suppressions=$repo/tests/sanitize/lsan.supp:print_suppressions=0" \
        run_stage "ASan+UBSan" "$asan_dir" "$reports" -E "$asan_exclude"
      ;;
    tsan)
      flags="-fsanitize=thread -fno-omit-frame-pointer"
      configure "$tsan_dir" "$flags" || { total_failed=$((total_failed + 1)); continue; }
      cmake --build "$tsan_dir" -j "$jobs" || { total_failed=$((total_failed + 1)); continue; }
      reports="$repo/$tsan_dir/sanitizer-reports"
      rm -rf "$reports" && mkdir -p "$reports"
      export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$reports/tsan:suppressions=$repo/tests/sanitize/tsan.supp"
      run_stage "TSan unit" "$tsan_dir" "$reports" -E "$tsan_unit_exclude"
      rm -rf "$reports" && mkdir -p "$reports"
      run_stage "TSan integration" "$tsan_dir" "$reports" -R "$tsan_integration"
      unset TSAN_OPTIONS
      ;;
    *)
      echo "usage: $0 [asan|tsan]..." >&2
      exit 2
      ;;
  esac
  echo "test-sanitize: $stage took $(($(date +%s) - started)) s"
done

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
