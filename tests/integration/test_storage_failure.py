"""Atomic with storage, against the real binary: when the storage plugin refuses a write, the
request answers 500 and nothing of it is served — not by the scrape, not by /api/v1/metrics,
and not through the consistency check (a push that would conflict only with the refused data
succeeds afterwards).

Runs Ferry on the `faulty` test storage plugin (tests/plugins/faulty), which refuses write() and
wipe() while a flag file exists. The plugin lives in its own build directory, so the test gives
Ferry a plugin directory of links to the first-party plugins plus that one.
"""

import json
import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import ServerTestCase, is_pushgateway, server_binary  # noqa: E402

PLUGIN_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(server_binary()))),
                          "lib", "ferry", "plugins")
FAULTY_PLUGIN = os.environ.get("FERRY_TEST_FAULTY_PLUGIN") or os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(server_binary()))),
    "test-plugins", "faulty", "storage-faulty.so")

OWN_METRIC = re.compile(r"^(ferry_|pushgateway_|process_|go_)")


def stored_state(srv):
    """What readers are served of the stored groups: the scrape without Ferry's own metrics
    (its request counters change with every request) and /api/v1/metrics."""
    r = srv.get("/metrics")
    assert r.status == 200, r
    scrape = [line for line in r.text.splitlines()
              if not OWN_METRIC.match(line.split(" ", 3)[2] if line.startswith("#") else line)]
    api = srv.get("/api/v1/metrics")
    assert api.status == 200, api
    return scrape, json.loads(api.body)["data"]


@unittest.skipIf(is_pushgateway(), "Ferry's storage plugins")
class StorageFailureTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        if not os.path.isfile(FAULTY_PLUGIN):
            raise RuntimeError("test plugin %s not built" % FAULTY_PLUGIN)
        cls.tmp = tempfile.mkdtemp(prefix="ferry-storage-failure-")
        plugins = os.path.join(cls.tmp, "plugins")
        os.mkdir(plugins)
        for name in os.listdir(PLUGIN_DIR):
            os.symlink(os.path.join(PLUGIN_DIR, name), os.path.join(plugins, name))
        os.symlink(FAULTY_PLUGIN, os.path.join(plugins, "storage-faulty.so"))
        cls.flag = os.path.join(cls.tmp, "fail")
        config = os.path.join(cls.tmp, "ferry.json")
        with open(config, "w") as f:
            json.dump({"storage": {"plugin": "faulty", "config": {"fail_flag": cls.flag}}}, f)
        cls.SERVER_ARGS = ("--config.file=" + config, "--plugins.dir=" + plugins)
        try:
            super().setUpClass()
        except Exception:
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def fail_storage(self, fail):
        if fail:
            open(self.flag, "w").close()
            self.addCleanup(lambda: os.path.exists(self.flag) and os.remove(self.flag))
        elif os.path.exists(self.flag):
            os.remove(self.flag)

    def expect_500(self, r, what):
        self.assertEqual(r.status, 500, "%s: %r" % (what, r))
        self.assertIn("storage write failed: ", r.text, what)
        self.assertIn("injected failure", r.text, what)

    def test_failed_writes_change_nothing_readers_see(self):
        srv = self.server
        self.assertEqual(srv.put("/metrics/job/sf/instance/a",
                                 "# TYPE sf_value gauge\nsf_value{x=\"1\"} 1\nsf_keep 5\n").status,
                         200)
        self.assertEqual(srv.put("/metrics/job/sf/instance/b",
                                 "# TYPE sf_value gauge\nsf_value{x=\"2\"} 2\n").status, 200)
        before = stored_state(srv)
        self.fail_storage(True)
        attempts = [
            ("PUT", lambda: srv.put("/metrics/job/sf/instance/a", "sf_value{x=\"1\"} 99\n")),
            ("POST", lambda: srv.post("/metrics/job/sf/instance/a", "sf_keep 6\nsf_new 1\n")),
            ("PUT new group", lambda: srv.put("/metrics/job/sf_new", "sf_other 3\n")),
            ("DELETE", lambda: srv.delete("/metrics/job/sf/instance/b")),
            ("rejected push", lambda: srv.post("/metrics/job/sf/instance/a",
                                               "# TYPE sf_value counter\nsf_value 1\n")),
            ("wipe", lambda: srv.put("/api/v1/admin/wipe")),
        ]
        for what, attempt in attempts:
            self.expect_500(attempt(), what)
            self.assertEqual(stored_state(srv), before, what)
        self.fail_storage(False)
        r = srv.post("/metrics/job/sf/instance/a", "sf_keep 6\n")
        self.assertEqual(r.status, 200, r)
        self.assertIn('sf_keep{instance="a",job="sf"} 6', srv.get("/metrics").text)
        self.assertEqual(srv.put("/api/v1/admin/wipe").status, 202)

    def test_refused_data_does_not_reach_the_consistency_check(self):
        srv = self.server
        self.fail_storage(True)
        self.expect_500(srv.put("/metrics/job/ghost",
                                "# TYPE sf_clash counter\nsf_clash 1\n"), "PUT ghost")
        self.fail_storage(False)
        # Would be a type clash with the ghost group, had it been kept.
        r = srv.put("/metrics/job/real", "# TYPE sf_clash gauge\nsf_clash 1\n")
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("ghost", srv.get("/metrics").text)
        self.assertEqual(srv.put("/api/v1/admin/wipe").status, 202)


if __name__ == "__main__":
    unittest.main()
