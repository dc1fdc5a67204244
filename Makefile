# Ferry, from a fresh Debian 12 checkout:
#   make run    install what is missing, build, start build/bin/ferry with config/ferry.json
#   make test   install what is missing (incl. test tools), build, run every test; the last
#               line of the output is "N passed, M failed"
#   make package  build the Debian packages ferry and ferry-dev into build/packages
# Other targets: deps, test-deps, build, bench, bench-storage, bench-memory, bench-ui,
#   bench-instructions, format, clean.
# Variables: BUILD_DIR, BUILD_TYPE, JOBS, CTEST_JOBS, CMAKE_ARGS, CONFIG, ARGS (extra ferry flags).

BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
CTEST_JOBS ?= 2
CMAKE_ARGS ?=
CONFIG ?= config/ferry.json
ARGS ?=
FORMAT_DIRS := core plugins sdk tests bench

.DEFAULT_GOAL := build
.PHONY: deps test-deps configure build run test package bench bench-storage bench-memory bench-ui \
  bench-instructions format clean
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
	python3 bench/instructions.py --ferry "$${FERRY_BIN:-$(BUILD_DIR)/bin/ferry}"

# The web UI with 100,000 groups in headless Chromium (first paint, interactive, bytes before
# the first paint), beside the Pushgateway's page; see bench/README.md.
bench-ui: test-deps build
	/usr/bin/python3 bench/ui_bench.py --ferry "$(BUILD_DIR)/bin/ferry"

# Instructions per checked PUT (text and protobuf) and per GET /-/healthy, counted by callgrind:
# figures that do not depend on what else the machine does. See bench/README.md.
bench-instructions: test-deps build
	python3 bench/instructions.py --ferry "$${FERRY_BIN:-$(BUILD_DIR)/bin/ferry}"

# Push throughput by storage backend (memory, sqlite, file) against the Pushgateway with and
# without its persistence file; see bench/README.md.
bench-storage: test-deps build
	python3 bench/storage_bench.py --ferry "$(BUILD_DIR)/bin/ferry"

# RSS of a fresh Ferry, after loading 1M series and after wiping / deleting them; see
# bench/README.md.
bench-memory: test-deps build
	python3 bench/memory_return.py --ferry "$(BUILD_DIR)/bin/ferry"

format:
	@command -v clang-format >/dev/null || \
	  { echo "make format: clang-format not found (apt-get install clang-format)" >&2; exit 1; }
	@find $(FORMAT_DIRS) -type d -name 'build*' -prune -o -type f \
	  \( -name '*.cpp' -o -name '*.cc' -o -name '*.c' -o -name '*.h' -o -name '*.hpp' \) \
	  -print0 | xargs -0 -r clang-format -i

clean:
	rm -rf "$(BUILD_DIR)"
