#!/usr/bin/env bash
# Runs libFuzzer targets built by scripts/build-fuzzers.sh, one after the other, each for a
# bounded time, and prints a table of what each did (docs/fuzzing.md).
#   scripts/run-fuzzers.sh [--build-dir DIR] [--seconds N] [TARGET...]
# DIR defaults to build/fuzz, N to 300; no TARGET means every target of DIR/fuzz_targets.txt.
# Each fuzzer starts from its seed corpus (tests/fuzz/corpus/<target>), the inputs of past
# findings (tests/fuzz/regressions/<target>) and what earlier runs in DIR found
# (DIR/fuzz-work/<target>/corpus, where new inputs go; the repository is never written). A
# crash, leak, sanitizer report, timeout or out-of-memory input is a finding: its input is kept
# in DIR/fuzz-work/<target>/ (crash-*, leak-*, timeout-*, oom-*), the log's end is printed and
# the exit status is non-zero. FUZZ_ARGS adds libFuzzer flags (e.g. FUZZ_ARGS=-seed=1).
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

build_dir=build/fuzz
seconds=300
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "run-fuzzers: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
build_dir=$(cd "$build_dir" 2>/dev/null && pwd) || {
  echo "run-fuzzers: no build directory $build_dir (scripts/build-fuzzers.sh makes it)" >&2
  exit 1
}
if [ ${#targets[@]} -eq 0 ]; then
  if [ ! -f "$build_dir/fuzz_targets.txt" ]; then
    echo "run-fuzzers: $build_dir is not a fuzz build (no fuzz_targets.txt)" >&2
    exit 1
  fi
  mapfile -t targets < <(grep -v '^$' "$build_dir/fuzz_targets.txt")
fi

# Sanitizer reports with stack traces; leaks are findings too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

rows=()
failed=0
for target in "${targets[@]}"; do
  fuzzer="$build_dir/bin/${target}_fuzz"
  work="$build_dir/fuzz-work/$target"
  if [ ! -x "$fuzzer" ]; then
    echo "run-fuzzers: $fuzzer not built" >&2
    rows+=("$target - - - - - - missing")
    failed=1
    continue
  fi
  mkdir -p "$work/corpus"
  rm -f "$work/log.txt"
  dirs=("$work/corpus" "$repo/tests/fuzz/corpus/$target")
  [ -d "$repo/tests/fuzz/regressions/$target" ] && dirs+=("$repo/tests/fuzz/regressions/$target")
  args=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1
    -artifact_prefix="$work/")
  [ -f "$repo/tests/fuzz/dict/$target.dict" ] && args+=(-dict="$repo/tests/fuzz/dict/$target.dict")
  # shellcheck disable=SC2206  # FUZZ_ARGS is a list of flags on purpose
  extra=(${FUZZ_ARGS:-})
  echo "run-fuzzers: $target for ${seconds}s"
  started=$(date +%s)
  "$fuzzer" "${args[@]}" "${extra[@]}" "${dirs[@]}" >"$work/log.txt" 2>&1
  rc=$?
  elapsed=$(($(date +%s) - started))

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log.txt" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log.txt" | tail -n 1)
  done_line=$(grep -E 'DONE +cov: ' "$work/log.txt" | tail -n 1)
  [ -n "$done_line" ] || done_line=$(grep -E '^#[0-9]+.*cov: ' "$work/log.txt" | tail -n 1)
  cov=$(sed -E -n 's/.* cov: ([0-9]+).*/\1/p' <<<"$done_line")
  ft=$(sed -E -n 's/.* ft: ([0-9]+).*/\1/p' <<<"$done_line")
  corp=$(sed -E -n 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$done_line")
  result=ok
  if [ $rc -ne 0 ] || grep -qE '^==[0-9]+==ERROR|runtime error:|^SUMMARY: ' "$work/log.txt"; then
    result="FINDING(rc=$rc)"
    failed=1
    echo "run-fuzzers: $target found something; end of $work/log.txt:" >&2
    tail -n 60 "$work/log.txt" >&2
    for input in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
      [ -e "$input" ] && echo "run-fuzzers: input kept: $input" >&2
    done
  fi
  rows+=("$target $elapsed ${execs:--} ${rate:--} ${cov:--} ${ft:--} ${corp:--} $result")
done

printf '\n%-18s %7s %12s %8s %6s %7s %7s  %s\n' target seconds executions exec/s cov ft corpus result
for row in "${rows[@]}"; do
  # shellcheck disable=SC2086  # the row's fields are words on purpose
  printf '%-18s %7s %12s %8s %6s %7s %7s  %s\n' $row
done
exit $failed
