"""The tutorial of docs/plugins.md, done as a new plugin author does it, from the page itself.

The files of the tutorial (the blocks after <!-- tutorial-file: NAME -->) are written to an
empty folder, and its shell steps (the blocks after <!-- tutorial-run -->) run there as written,
with HOME set to a temporary directory into which this build is installed as $HOME/ferry. Then:
the plugin must have been installed under the prefix the tutorial gives, its kit tests must have
run and passed, and the installed ferry, started with the tutorial's config (which names only
the author's folder), must take a push of one family with a 300-character name and 1,000 series.

Run by CTest (label "sdk") with FERRY_BUILD_DIR (an already built tree), FERRY_CMAKE and
FERRY_CTEST. By hand:
  cd tests/sdk && FERRY_BUILD_DIR=../../build python3 -m unittest -v test_tutorial
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import ferry_harness as fh  # noqa: E402

REPO = fh.REPO_ROOT
BUILD_DIR = os.path.abspath(os.environ.get("FERRY_BUILD_DIR", os.path.join(REPO, "build")))
CMAKE = os.environ.get("FERRY_CMAKE", "cmake")
CTEST = os.environ.get("FERRY_CTEST", "ctest")
# One step (install, configure, build, kit tests): generous, a loaded machine is slow.
STEP_TIMEOUT_S = 900
DOC = os.path.join(REPO, "docs", "plugins.md")


def tutorial_blocks(text):
    """(kind, name, code) for each marked block of the tutorial: kind "file" or "run"."""
    blocks = []
    pattern = re.compile(r"^( *)<!-- tutorial-(file: (\S+)|run) -->\n\1```\w*\n(.*?)^\1```$",
                         re.M | re.S)
    for m in pattern.finditer(text):
        indent = len(m.group(1))
        lines = [line[indent:] if line.strip() else "" for line in m.group(4).split("\n")]
        kind = "run" if m.group(2) == "run" else "file"
        blocks.append((kind, m.group(3), "\n".join(lines)))
    return blocks


class Tutorial(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ferry-tutorial-")
        cls.home = os.path.join(cls.tmp, "home")
        cls.folder = os.path.join(cls.tmp, "hello")
        os.makedirs(cls.home)
        os.makedirs(cls.folder)
        cls.env = {k: v for k, v in os.environ.items()
                   if k not in ("CMAKE_PREFIX_PATH", "LD_LIBRARY_PATH", "CPATH", "LIBRARY_PATH")}
        cls.env["HOME"] = cls.home
        # The compilers and flags of the Ferry build under test (e.g. its sanitizer flags), the
        # way a shell passes them to CMake: the tutorial's commands stay as the page says.
        for var, env_var in (("CMAKE_C_COMPILER", "CC"), ("CMAKE_CXX_COMPILER", "CXX"),
                             ("CMAKE_C_FLAGS", "CFLAGS"), ("CMAKE_CXX_FLAGS", "CXXFLAGS"),
                             ("CMAKE_SHARED_LINKER_FLAGS", "LDFLAGS")):
            value = os.environ.get("FERRY_SDK_" + var)
            if value:
                cls.env[env_var] = value
        # PATH gets the cmake and ctest this build uses, for the steps that call them by name.
        tools = {os.path.dirname(os.path.abspath(t)) for t in (CMAKE, CTEST) if os.sep in t}
        cls.env["PATH"] = os.pathsep.join(sorted(tools) + [os.environ.get("PATH", "")])
        # Step 1 of the tutorial, from this build tree.
        cls.run_step([CMAKE, "--install", BUILD_DIR, "--prefix", os.path.join(cls.home, "ferry")],
                     "installing Ferry")
        with open(DOC) as f:
            cls.blocks = tutorial_blocks(f.read())
        cls.outputs = []
        for kind, name, code in cls.blocks:
            if kind == "file":
                with open(os.path.join(cls.folder, name), "w") as f:
                    f.write(code)
            else:
                cls.outputs.append(cls.run_step(["bash", "-euo", "pipefail", "-c", code],
                                                "a tutorial step:\n" + code))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def run_step(cls, argv, what):
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              cwd=cls.folder, env=cls.env, timeout=STEP_TIMEOUT_S)
        out = proc.stdout.decode(errors="replace")
        if proc.returncode != 0:
            raise AssertionError("%s failed (exit %d):\n%s" % (what, proc.returncode, out[-8000:]))
        return out

    def test_the_page_has_the_files_and_steps(self):
        names = [name for kind, name, _ in self.blocks if kind == "file"]
        self.assertEqual(names, ["hello.cpp", "hello_test.cpp", "CMakeLists.txt"])
        self.assertEqual(len(self.outputs), 2)

    def test_the_kit_tests_ran_and_passed(self):
        out = self.outputs[0]
        self.assertIn("hello_test", out)
        self.assertIn("100% tests passed", out)

    def test_the_plugin_was_installed_under_the_prefix(self):
        prefix = os.path.join(self.home, "ferry-plugins")
        plugin = os.path.join(prefix, "lib", "ferry", "plugins", "input-hello.so")
        self.assertTrue(os.path.isfile(plugin), plugin)
        with open(os.path.join(self.folder, "build", "install_manifest.txt")) as f:
            installed = f.read().split()
        self.assertTrue(installed)
        for path in installed:
            self.assertTrue(path.startswith(prefix + os.sep), path)

    def test_list_and_help_show_the_plugin(self):
        out = self.outputs[1]
        self.assertIn("input\thello\t0.1.0", out)
        self.assertIn('content_type  (string, default "text/x-hello")', out)
        self.assertIn('type  (string: "counter", "gauge" or "untyped", default "untyped")', out)

    def test_the_installed_ferry_serves_the_plugin(self):
        config_path = os.path.join(self.folder, "hello.json")
        with open(config_path) as f:
            config = json.load(f)
        # Only the author's folder is named; Ferry's own plugins (memory, text) stay available.
        self.assertEqual(config["plugins"]["dir"],
                         os.path.join(self.home, "ferry-plugins", "lib", "ferry", "plugins"))
        server = fh.Server("--config.file=" + config_path,
                           binary=os.path.join(self.home, "ferry", "bin", "ferry"))
        self.addCleanup(server.cleanup)
        server.start()
        name = "tutorial_" + "n" * 291
        self.assertEqual(len(name), 300)
        body = "".join("%s %d series=s%d\n" % (name, i, i) for i in range(1000)).encode()
        resp = server.put("/metrics/job/tutorial", body, headers={"Content-Type": "text/x-hello"})
        self.assertEqual(resp.status, 200, resp.text)
        scrape = server.scrape().text
        lines = [line for line in scrape.splitlines() if line.startswith(name + "{")]
        self.assertEqual(len(lines), 1000)
        self.assertIn('%s{instance="",job="tutorial",series="s999"} 999' % name, scrape)
        # Text pushes still go to Ferry's own text plugin.
        resp = server.put("/metrics/job/plain", b"plain_total 1\n")
        self.assertEqual(resp.status, 200, resp.text)
        bad = server.put("/metrics/job/tutorial", b"jobs\n", headers={"Content-Type": "text/x-hello"})
        self.assertEqual(bad.status, 400, bad.text)
        self.assertIn("expected: name value", bad.text)


if __name__ == "__main__":
    unittest.main()
