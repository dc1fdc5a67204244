#!/usr/bin/env bash
# Runs every CTest test of a build directory (unit, plugin contract, integration, conformance)
# and ends with the line "N passed, M failed" that CI reads. Exit status non-zero on any failure.
#   scripts/run-tests.sh [BUILD_DIR] [more ctest arguments, e.g. -L integration]
# CTEST_JOBS (default 2) sets how many tests run at once.
set -uo pipefail

build_dir=${1:-build}
shift $(($# > 0 ? 1 : 0))
log=$(mktemp)
trap 'rm -f "$log"' EXIT

ctest --test-dir "$build_dir" --output-on-failure --no-tests=error -j "${CTEST_JOBS:-2}" "$@" 2>&1 |
  tee "$log"
rc=${PIPESTATUS[0]}

# CTest's summary: "97% tests passed, 2 tests failed out of 63".
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+$' "$log" | tail -n 1)
if [[ $summary =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+)$ ]]; then
  failed=${BASH_REMATCH[1]}
  passed=$((BASH_REMATCH[2] - failed))
else
  passed=0
  failed=0
fi
# CTest failed without counting a failed test (no tests found, bad build dir...): count it.
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
