"""--plugin-help, --list-plugins and the plugin search path, with the real ferry binary.

Every first-party plugin's --plugin-help prints its declared keys and a sample config; Ferry
started with that sample, exactly as printed, serves. plugins.dir folders are searched before
Ferry's own, which always stays on the search path.
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import ferry_harness as fh

# Each first-party plugin and the keys it declares.
FIRST_PARTY = {
    "text": [], "protobuf": [], "memory": [],
    "file": ["path", "interval"],
    "sqlite": ["path", "synchronous", "busy_timeout"],
    "basic": ["users"], "token": ["tokens"], "cert": ["subjects"],
}
BODY = b"# TYPE sample_total counter\nsample_total 1\n"
SAMPLE_HEADER = "Sample config (save it as a file and run ferry --config.file=FILE):"


def ferry(*args, cwd=None):
    proc = subprocess.run([fh.server_binary()] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=60, cwd=cwd)
    return proc.returncode, proc.stdout.decode(errors="replace")


def own_plugin_dir():
    return os.path.normpath(os.path.join(os.path.dirname(fh.server_binary()), "..", "lib",
                                         "ferry", "plugins"))


def sample_of(help_text):
    """The sample config: everything after the header line."""
    _, _, after = help_text.partition(SAMPLE_HEADER)
    return json.loads(after)


@fh.ferry_only("--plugin-help and --list-plugins are Ferry's")
class PluginHelp(unittest.TestCase):
    def test_every_key_is_printed_with_type_default_and_description(self):
        code, out = ferry("--plugin-help", "sqlite")
        self.assertEqual(code, 0, out)
        self.assertIn('path  (string, required, e.g. "ferry.db")', out)
        self.assertIn('synchronous  (string: "full" or "normal", default "full")', out)
        self.assertIn('busy_timeout  (unsigned integer or duration, default "5s")', out)
        self.assertIn("How long a write waits", out)
        code, out = ferry("--plugin-help", "text")
        self.assertEqual(code, 0, out)
        self.assertIn("Config keys: none", out)

    def test_each_first_party_sample_starts_ferry_as_printed(self):
        for name, keys in FIRST_PARTY.items():
            with self.subTest(plugin=name):
                code, out = ferry("--plugin-help", name)
                self.assertEqual(code, 0, out)
                for key in keys:
                    self.assertIn("  %s  (" % key, out)
                sample = sample_of(out)
                server = fh.Server(binary=fh.server_binary())
                self.addCleanup(server.cleanup)
                path = os.path.join(server.workdir, "ferry.json")
                with open(path, "w") as f:
                    f.write(out.partition(SAMPLE_HEADER)[2])
                if name == "cert":
                    # Plain HTTP never carries a client certificate: Ferry refuses to start the
                    # sample without a web config that verifies them (test_mtls_identity runs
                    # the plugin with one); the sample itself is accepted.
                    self.assertIn("only with --web.config.file naming a tls_server_config", out)
                    code, started = ferry("--check-config", path)
                    self.assertEqual(code, 1, started)
                    self.assertIn('auth plugin "cert" takes identities from TLS client '
                                  "certificates, but no --web.config.file is given", started)
                    continue
                server.extra_args = ["--config.file=" + path]
                server.start()
                if "inputs" in sample or "storage" in sample:
                    resp = server.put("/metrics/job/sample", BODY)
                    self.assertEqual(resp.status, 200, resp.text)
                    self.assertIn('sample_total{instance="",job="sample"} 1', server.scrape().text)
                self.assertEqual(server.stop(), 0, server.log_tail())

    def test_an_unknown_plugin_names_the_search_path(self):
        code, out = ferry("--plugin-help", "nope")
        self.assertEqual(code, 1, out)
        self.assertIn('no plugin named "nope" in the plugins dirs', out)
        self.assertIn("(Ferry's own)", out)


@fh.ferry_only("plugins.dir is Ferry's")
class PluginSearchPath(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ferry-plugins-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.mine = os.path.join(self.tmp, "mine")
        os.makedirs(os.path.join(self.mine, "old"))
        with open(os.path.join(self.mine, "README.md"), "w") as f:
            f.write("my plugins\n")
        with open(os.path.join(self.mine, "input-broken.so"), "w") as f:
            f.write("not a library\n")

    def test_list_plugins_shows_every_file_of_every_folder(self):
        code, out = ferry("--plugins.dir=" + self.mine, "--list-plugins")
        self.assertEqual(code, 1, out)  # input-broken.so is refused
        self.assertIn("Plugins in %s (plugins.dir):" % self.mine, out)
        self.assertIn("Plugins in %s (Ferry's own):" % own_plugin_dir(), out)
        self.assertIn("README.md: not a plugin: plugins are files named <kind>-<name>.so", out)
        self.assertIn("old: not a plugin: a directory", out)
        self.assertIn("input-broken.so: refused: cannot load plugin", out)
        self.assertIn("input\ttext\t", out)
        self.assertIn("storage\tmemory\t", out)
        os.remove(os.path.join(self.mine, "input-broken.so"))
        code, out = ferry("--plugins.dir=" + self.mine, "--list-plugins")
        self.assertEqual(code, 0, out)

    def test_naming_a_folder_keeps_ferrys_own_plugins(self):
        # A copy of the text plugin in the author's folder: it is used, and memory and protobuf
        # still come from Ferry's own folder.
        shutil.copy(os.path.join(own_plugin_dir(), "input-text.so"), self.mine)
        os.remove(os.path.join(self.mine, "input-broken.so"))
        config = os.path.join(self.tmp, "ferry.json")
        with open(config, "w") as f:
            json.dump({"plugins": {"dir": self.mine}}, f)
        server = fh.Server("--config.file=" + config)
        self.addCleanup(server.cleanup)
        server.start()
        resp = server.put("/metrics/job/x", BODY)
        self.assertEqual(resp.status, 200, resp.text)
        code, out = ferry("--config.file=" + config, "--list-plugins")
        self.assertIn("input-text.so: not used: %s comes first"
                      % os.path.join(self.mine, "input-text.so"), out)

    def test_a_missing_folder_stops_ferry(self):
        missing = os.path.join(self.tmp, "missing")
        config = os.path.join(self.tmp, "ferry.json")
        with open(config, "w") as f:
            f.write("{}")
        code, out = ferry("--plugins.dir=" + missing, "--check-config", config)
        self.assertNotEqual(code, 0, out)
        self.assertIn("plugins dir %s is not a directory" % missing, out)


@fh.ferry_only("--check-config is Ferry's")
class CheckConfigBesideARunningFerry(unittest.TestCase):
    """--check-config does not open the store, so it works while a Ferry serves the same file
    or sqlite store; a second Ferry that tries to serve that store is still refused."""

    def test_check_config_while_another_ferry_holds_the_store(self):
        for plugin, name in (("file", "ferry.snap"), ("sqlite", "ferry.db")):
            with self.subTest(plugin=plugin):
                tmp = tempfile.mkdtemp(prefix="ferry-check-")
                self.addCleanup(shutil.rmtree, tmp, True)
                config = os.path.join(tmp, "ferry.json")
                with open(config, "w") as f:
                    json.dump({"storage": {"plugin": plugin,
                                           "config": {"path": os.path.join(tmp, name)}}}, f)
                server = fh.Server("--config.file=" + config)
                self.addCleanup(server.cleanup)
                server.start()
                self.assertEqual(server.put("/metrics/job/held", BODY).status, 200)

                code, out = ferry("--check-config", config)
                self.assertEqual(code, 0, out)
                self.assertIn("config %s is valid" % config, out)

                second = fh.Server("--config.file=" + config)
                self.addCleanup(second.cleanup)
                proc = subprocess.run(second.argv(fh.free_port()), stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, timeout=60)
                self.assertEqual(proc.returncode, 1, "a second Ferry served a store in use")
                self.assertIn('storage plugin "%s"' % plugin, proc.stdout.decode(errors="replace"))

                self.assertIn("held", server.scrape().text)
                self.assertEqual(server.stop(), 0, server.log_tail())


if __name__ == "__main__":
    unittest.main()
