"""The SDK as a third party uses it: install Ferry into a temporary prefix, build the example
plugins of sdk/examples out of tree against only that prefix, run their contract-kit tests, and
serve pushes in the example JSON format with the installed ferry and the example plugins.

Run by CTest (label "sdk") with FERRY_BUILD_DIR (an already built tree), FERRY_CMAKE,
FERRY_CTEST and FERRY_CMAKE_GENERATOR. By hand:
  cd tests/sdk && FERRY_BUILD_DIR=../../build python3 -m unittest -v test_sdk_install
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import ferry_harness as fh  # noqa: E402

REPO = fh.REPO_ROOT
BUILD_DIR = os.path.abspath(os.environ.get("FERRY_BUILD_DIR", os.path.join(REPO, "build")))
CMAKE = os.environ.get("FERRY_CMAKE", "cmake")
CTEST = os.environ.get("FERRY_CTEST", "ctest")
GENERATOR = os.environ.get("FERRY_CMAKE_GENERATOR", "")
# One step (install, configure, build, kit tests): generous, a loaded machine is slow.
STEP_TIMEOUT_S = 900

JSON_CT = "application/json"
SAMPLE = json.dumps([
    {"name": "backup_last_success_seconds", "type": "gauge", "help": "Last good backup.",
     "labels": {"db": "main"}, "value": 1717600000},
    {"name": "backup_files_total", "type": "counter", "value": 42},
]).encode()


# A project that only reads the package: its variables, and Ferry::auth_crypto linked into a
# program that hashes and checks a bcrypt password.
PROBE_CMAKE = """cmake_minimum_required(VERSION 3.16)
project(probe LANGUAGES CXX)
find_package(FerrySDK REQUIRED)
foreach(v FerrySDK_PREFIX FerrySDK_PLUGIN_DIR FerrySDK_FERRY_EXECUTABLE FerrySDK_HAS_KITS)
  message(STATUS "probe ${v}=${${v}}")
endforeach()
foreach(t Ferry::sdk Ferry::proto Ferry::input_kit Ferry::storage_kit Ferry::auth_kit)
  if(NOT TARGET ${t})
    message(FATAL_ERROR "missing target ${t}")
  endif()
endforeach()
add_executable(probe probe.cpp)
set_target_properties(probe PROPERTIES CXX_STANDARD 17)
target_link_libraries(probe PRIVATE Ferry::auth_crypto)
"""
PROBE_CPP = r"""#include <ferry/auth_crypto/bcrypt.hpp>
#include <cstdio>
#include <string>
int main() {
  std::string hash = ferry::auth_crypto::hashBcrypt("secret", 4);
  bool ok = ferry::auth_crypto::verifyBcrypt("secret", hash) &&
            !ferry::auth_crypto::verifyBcrypt("guess", hash);
  std::puts(ok ? "bcrypt ok" : "bcrypt mismatch");
  return ok ? 0 : 1;
}
"""


def run(argv, what, **kw):
    """Runs a command with a bound; fails with its output."""
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=STEP_TIMEOUT_S, **kw)
    out = proc.stdout.decode(errors="replace")
    if proc.returncode != 0:
        raise AssertionError("%s failed (exit %d): %s\n%s"
                             % (what, proc.returncode, " ".join(argv), out[-6000:]))
    return out


class InstalledSdk(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ferry-sdk-")
        # Installed to one place and moved to another: the package and the RPATHs must be
        # relative to the prefix, not to where it was installed.
        stage = os.path.join(cls.tmp, "stage")
        run([CMAKE, "--install", BUILD_DIR, "--prefix", stage], "cmake --install")
        cls.prefix = os.path.join(cls.tmp, "prefix")
        os.rename(stage, cls.prefix)
        cls.ferry = os.path.join(cls.prefix, "bin", "ferry")
        cls.plugins = os.path.join(cls.tmp, "plugins")
        build = os.path.join(cls.tmp, "examples")
        env = dict(os.environ)
        for var in ("CMAKE_PREFIX_PATH", "LD_LIBRARY_PATH", "CPATH", "LIBRARY_PATH"):
            env.pop(var, None)
        configure = [CMAKE, "-S", os.path.join(REPO, "sdk", "examples"), "-B", build,
                     "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_PREFIX_PATH=" + cls.prefix,
                     "-DFERRY_PLUGIN_OUTPUT_DIR=" + cls.plugins]
        if GENERATOR:
            configure += ["-G", GENERATOR]
        # The compilers and flags of the Ferry build under test (e.g. its sanitizer flags).
        for var in ("CMAKE_C_COMPILER", "CMAKE_CXX_COMPILER", "CMAKE_C_FLAGS", "CMAKE_CXX_FLAGS",
                    "CMAKE_EXE_LINKER_FLAGS", "CMAKE_SHARED_LINKER_FLAGS",
                    "CMAKE_MODULE_LINKER_FLAGS"):
            value = os.environ.get("FERRY_SDK_" + var)
            if value:
                configure.append("-D%s=%s" % (var, value))
        started = time.monotonic()
        run(configure, "configuring the examples", env=env)
        run([CMAKE, "--build", build, "-j2"], "building the examples", env=env)
        cls.build_seconds = time.monotonic() - started
        print("\nout-of-tree configure + build of the examples: %.1f s" % cls.build_seconds,
              file=sys.stderr)
        cls.examples_build = build
        cls.env = env

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_the_sdk_is_installed(self):
        for path in ("bin/ferry", "include/ferry/plugin_abi.h", "include/ferry/abi/storage.h",
                     "include/ferry/sdk.hpp",
                     "include/ferry/metrics.pb.h", "include/ferry/testkit/input_contract.h",
                     "include/ferry/support/go_quote.hpp", "lib/libferry_support.a",
                     "lib/libferry_proto.so.1", "lib/ferry/plugins/input-text.so",
                     "lib/ferry/plugins/storage-memory.so",
                     "lib/cmake/FerrySDK/FerrySDKConfig.cmake",
                     "lib/cmake/FerrySDK/FerryPlugin.cmake", "lib/libferry_input_kit.a"):
            self.assertTrue(os.path.exists(os.path.join(self.prefix, path)), path)
        for name in ("input-json.so", "storage-dir.so", "auth-token.so"):
            self.assertTrue(os.path.isfile(os.path.join(self.plugins, name)), name)

    def test_installed_ferry_finds_its_plugins_without_flags(self):
        out = run([self.ferry, "--list-plugins"], "ferry --list-plugins", env=self.env)
        for name in ("text", "protobuf", "memory", "file"):
            self.assertIn(name, out)
        self.assertNotIn("cannot load", out)

    def test_plugin_help_prints_the_example_default_config(self):
        out = run([self.ferry, "--plugins.dir=" + self.plugins, "--plugin-help", "json"],
                  "ferry --plugin-help json", env=self.env)
        self.assertIn('"content_type"', out)

    def test_example_kit_tests_pass(self):
        out = run([CTEST, "--test-dir", self.examples_build, "--output-on-failure"],
                  "the examples' kit tests", env=self.env)
        for name in ("token_auth_test", "json_input_test", "dir_storage_test"):
            self.assertIn(name, out)
        self.assertIn("100% tests passed", out)

    def test_package_paths_stay_inside_the_prefix(self):
        """FerrySDK_* paths point into the (moved) prefix whatever the dependencies' package
        configs do, and every documented target, Ferry::auth_crypto included, links."""
        probe = os.path.join(self.tmp, "probe")
        os.makedirs(probe, exist_ok=True)
        with open(os.path.join(probe, "CMakeLists.txt"), "w") as f:
            f.write(PROBE_CMAKE)
        with open(os.path.join(probe, "probe.cpp"), "w") as f:
            f.write(PROBE_CPP)
        build = os.path.join(probe, "build")
        configure = [CMAKE, "-S", probe, "-B", build, "-DCMAKE_PREFIX_PATH=" + self.prefix]
        if GENERATOR:
            configure += ["-G", GENERATOR]
        out = run(configure, "configuring the probe", env=self.env)
        values = dict(line.split("=", 1) for line in
                      (l.split("-- probe ", 1)[1] for l in out.splitlines() if "-- probe " in l))
        real = os.path.realpath(self.prefix)
        self.assertEqual(os.path.realpath(values["FerrySDK_PREFIX"]), real)
        self.assertEqual(os.path.realpath(values["FerrySDK_PLUGIN_DIR"]),
                         os.path.join(real, "lib", "ferry", "plugins"))
        self.assertEqual(os.path.realpath(values["FerrySDK_FERRY_EXECUTABLE"]),
                         os.path.join(real, "bin", "ferry"))
        self.assertEqual(values["FerrySDK_HAS_KITS"], "TRUE")
        run([CMAKE, "--build", build], "building the probe", env=self.env)
        out = run([os.path.join(build, "probe")], "running the probe", env=self.env)
        self.assertIn("bcrypt ok", out)

    def start(self, store):
        config = os.path.join(self.tmp, "ferry-%d.json" % len(os.listdir(self.tmp)))
        with open(config, "w") as f:
            json.dump({"plugins": {"dir": self.plugins},
                       "inputs": [{"plugin": "json"}],
                       "storage": {"plugin": "dir", "config": {"dir": store, "sync": True}}}, f)
        server = fh.Server("--config.file=" + config, binary=self.ferry)
        self.addCleanup(server.cleanup)
        return server.start()

    def test_push_in_the_json_format_then_scrape_and_restart(self):
        store = tempfile.mkdtemp(dir=self.tmp)
        server = self.start(store)
        resp = server.put("/metrics/job/backup", SAMPLE, headers={"Content-Type": JSON_CT})
        self.assertEqual(resp.status, 200, resp.text)
        scrape = server.scrape_response().text
        self.assertIn('backup_last_success_seconds{db="main",instance="",job="backup"} 1.7176e+09',
                      scrape)
        self.assertIn('backup_files_total{instance="",job="backup"} 42', scrape)
        self.assertTrue(any(n.endswith(".entry") for n in os.listdir(store)), os.listdir(store))
        self.assertEqual(server.stop(), 0, server.log_tail())
        again = self.start(store)
        self.assertIn('backup_files_total{instance="",job="backup"} 42', again.scrape_response().text)

    def test_plugin_errors_reach_the_client_and_the_log(self):
        store = tempfile.mkdtemp(dir=self.tmp)
        server = self.start(store)
        bad = server.put("/metrics/job/x", b"{oops", headers={"Content-Type": JSON_CT})
        self.assertEqual(bad.status, 400)
        self.assertIn("body is not valid JSON", bad.text)
        # The store's directory replaced by a file: the plugin's writes fail with an I/O error.
        moved = store + ".moved"
        os.rename(store, moved)
        with open(store, "w") as f:
            f.write("not a directory")
        failed = server.put("/metrics/job/x", SAMPLE, headers={"Content-Type": JSON_CT})
        self.assertEqual(failed.status, 500, failed.text)
        self.assertIn("cannot create", failed.text)
        fh.wait_until(lambda: "cannot create" in server.log_tail(), 5, "the error in the log")


if __name__ == "__main__":
    unittest.main()
