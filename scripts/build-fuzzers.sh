#!/usr/bin/env bash
# Builds every libFuzzer target of tests/fuzz into a clang build directory of its own
# (docs/fuzzing.md): everything instrumented for libFuzzer, ASan and UBSan.
#   scripts/build-fuzzers.sh [BUILD_DIR [extra cmake -D arguments...]]
# BUILD_DIR defaults to build/fuzz. JOBS (default: nproc) sets the build's parallelism;
# FERRY_FUZZ_CC / FERRY_FUZZ_CXX choose other clang binaries. The set-up script installs
# clang and libFuzzer (scripts/setup-deps.sh --test).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=${1:-build/fuzz}
shift $(($# > 0 ? 1 : 0))
cc=${FERRY_FUZZ_CC:-clang}
cxx=${FERRY_FUZZ_CXX:-clang++}

for tool in "$cc" "$cxx"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build-fuzzers: $tool not found; install it with scripts/setup-deps.sh --test" >&2
    exit 1
  fi
done

if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" -DFERRY_FUZZ=ON "$@"
fi
cmake --build "$build_dir" --target ferry_fuzzers -j "${JOBS:-$(nproc)}"
