# Ferry, from a fresh Debian 12 checkout:
#   make run    install what is missing, build, start build/bin/ferry with config/ferry.json
#   make test   install what is missing (incl. test tools), build, run every test; the last
#               line of the output is "N passed, M failed"
#   make test-sanitize   the tests again under ASan+UBSan, then the concurrency tests under TSan
#                        (SANITIZE_SCOPE=ci: the set CI can afford, the default; full: every test)
#   make fuzz            every libFuzzer target for FUZZ_SECONDS each (docs/fuzzing.md)
#   make package         build the Debian packages ferry and ferry-dev into build/packages
# Other targets: deps, test-deps, build, bench, bench-storage, bench-memory, bench-ui,
#   bench-front-door, bench-instructions, bench-replicas, format, clean.
# Variables: BUILD_DIR, BUILD_TYPE, JOBS, CTEST_JOBS, CMAKE_ARGS, CONFIG, ARGS (extra ferry flags),
# FUZZ_SECONDS (default 300), FUZZ_TARGETS (default all), SANITIZE_SCOPE (ci or full),
# ASAN_BUILD_DIR, TSAN_BUILD_DIR.

BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
CTEST_JOBS ?= 2
CMAKE_ARGS ?=
CONFIG ?= config/ferry.json
ARGS ?=
FUZZ_SECONDS ?= 300
FUZZ_TARGETS ?=
SANITIZE_SCOPE ?= ci
FORMAT_DIRS := core plugins sdk tests bench

.DEFAULT_GOAL := build
.PHONY: deps test-deps configure build run test test-sanitize fuzz package bench bench-storage \
  bench-memory bench-ui bench-front-door bench-instructions bench-replicas format clean
# The recipes only orchestrate; parallelism lives in Ninja and CTest. Serial also keeps two
# apt-get runs from racing for the dpkg lock.
.NOTPARALLEL:

deps:
	@scripts/setup-deps.sh

test-deps:
	@scripts/setup-deps.sh --test

# Configures when the build directory is new or was configured for another build type.
configure: deps
	@if [ ! -f "$(BUILD_DIR)/build.ninja" ] || ! grep -qx 'CMAKE_BUILD_TYPE:STRING=$(BUILD_TYPE)' \
	    "$(BUILD_DIR)/CMakeCache.txt" 2>/dev/null; then \
	  echo "cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS)"; \
	  cmake -S . -B "$(BUILD_DIR)" -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS); \
	fi

build: configure
	cmake --build "$(BUILD_DIR)" -j $(JOBS)

run: build
	exec "$(BUILD_DIR)/bin/ferry" --config.file="$(CONFIG)" $(ARGS)

test: test-deps build
	@CTEST_JOBS=$(CTEST_JOBS) scripts/run-tests.sh "$(BUILD_DIR)"

# Own build directories (build-asan, build-tsan): a sanitizer build never mixes with this one.
test-sanitize: test-deps
	@JOBS=$(JOBS) CTEST_JOBS=$(CTEST_JOBS) SANITIZE_SCOPE=$(SANITIZE_SCOPE) scripts/test-sanitize.sh

# A clang build of its own under $(BUILD_DIR)/fuzz, shared with the short fuzz runs of `make test`.
fuzz: test-deps
	@JOBS=$(JOBS) scripts/build-fuzzers.sh "$(BUILD_DIR)/fuzz"
	@scripts/run-fuzzers.sh --build-dir "$(BUILD_DIR)/fuzz" --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# CPack from the install rules; see docs/packaging.md.
package: build
	cmake --build "$(BUILD_DIR)" --target package

bench: test-deps build
	@if [ -x bench/run.sh ]; then \
	  FERRY_BIN="$${FERRY_BIN:-$(BUILD_DIR)/bin/ferry}" bench/run.sh; \
	else \
	  echo "make bench: bench/run.sh is not there (yet)" >&2; exit 1; \
	fi
	/usr/bin/python3 bench/ui_bench.py --ferry "$(BUILD_DIR)/bin/ferry"
	python3 bench/lifecycle_bench.py --ferry "$(BUILD_DIR)/bin/ferry"
	python3 bench/instructions.py --ferry "$${FERRY_BIN:-$(BUILD_DIR)/bin/ferry}"

# The web UI with 100,000 groups in headless Chromium (first paint, interactive, bytes before
# the first paint), beside the Pushgateway's page; see bench/README.md.
bench-ui: test-deps build
	/usr/bin/python3 bench/ui_bench.py --ferry "$(BUILD_DIR)/bin/ferry"

# Instructions per checked PUT (text and protobuf) and per GET /-/healthy, counted by callgrind:
# figures that do not depend on what else the machine does. See bench/README.md.
bench-instructions: test-deps build
	python3 bench/instructions.py --ferry "$${FERRY_BIN:-$(BUILD_DIR)/bin/ferry}"

# GET /-/healthy, Ferry vs the Pushgateway, alone and beside 1,000 idle connections; then the
# front door's load tests at full size: 50 uploads of 70 MB over the default limit, each with
# and without Expect: 100-continue (make test runs them with 2 MB over a 1 MiB limit).
bench-front-door: test-deps build
	FERRY_BIN="$(BUILD_DIR)/bin/ferry" python3 bench/healthy_bench.py
	cd tests/integration && FERRY_FRONT_DOOR_FULL=1 FERRY_BIN="$(abspath $(BUILD_DIR))/bin/ferry" \
	  /usr/bin/python3 -m unittest -v test_front_door_load

# Push throughput by storage backend (memory, sqlite, file, redis) against the Pushgateway with and
# without its persistence file; see bench/README.md.
bench-storage: test-deps build
	python3 bench/storage_bench.py --ferry "$(BUILD_DIR)/bin/ferry"

# RSS of a fresh Ferry, after loading 1M series and after wiping / deleting them; see
# bench/README.md.
bench-memory: test-deps build
	python3 bench/memory_return.py --ferry "$(BUILD_DIR)/bin/ferry"

# Ferry replicas on one Redis against one Ferry and the Pushgateway (pinned: servers on CPU 0,
# wrk on CPU 1): push and scrape req/s through 1 and 2 replicas, propagation delay (p50, p99),
# scrape req/s with 100k series beside the memory backend, resync time with 1M series; see
# bench/README.md.
bench-replicas: test-deps build
	python3 bench/replicas_bench.py --ferry "$(BUILD_DIR)/bin/ferry"

format:
	@command -v clang-format >/dev/null || \
	  { echo "make format: clang-format not found (apt-get install clang-format)" >&2; exit 1; }
	@find $(FORMAT_DIRS) -type d -name 'build*' -prune -o -type f \
	  \( -name '*.cpp' -o -name '*.cc' -o -name '*.c' -o -name '*.h' -o -name '*.hpp' \) \
	  -print0 | xargs -0 -r clang-format -i

# Fails, naming each file and line, when a tracked C/C++ file is not as clang-format (Debian's,
# with .clang-format) would write it; changes nothing. `make format` fixes what it reports.
.PHONY: format-check
format-check:
	@command -v clang-format >/dev/null || \
	  { echo "make format-check: clang-format not found (apt-get install clang-format)" >&2; exit 1; }
	@git ls-files -z -- $(foreach d,$(FORMAT_DIRS),$(foreach e,cpp cc c h hpp,'$(d)/*.$(e)')) | \
	  xargs -0 -r clang-format --dry-run --Werror

clean:
	rm -rf "$(BUILD_DIR)"
