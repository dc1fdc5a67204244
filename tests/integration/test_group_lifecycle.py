"""Group lifecycle against the real binary (docs/configuration.md, "Group lifecycle"): TTLs from
the Ferry-TTL header, from job rules and the default, expiry in "delete" and "hide" mode, and
deadlines kept across a restart by the file and sqlite storage.
"""

import concurrent.futures
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import ServerTestCase, is_pushgateway, wait_until  # noqa: E402

EXPIRY_TIMEOUT_S = 10
# More groups than one expiry batch takes (256, docs/configuration.md): expired batch by batch.
MASS_GROUPS = 600


def write_config(directory, config):
    path = os.path.join(directory, "ferry.json")
    with open(path, "w") as f:
        json.dump(config, f)
    return "--config.file=" + path


class LifecycleCase(ServerTestCase):
    CONFIG = {}

    @classmethod
    def setUpClass(cls):
        cls.config_dir = tempfile.mkdtemp(prefix="ferry-lifecycle-")
        cls.SERVER_ARGS = (write_config(cls.config_dir, cls.CONFIG),)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.config_dir, True)

    def setUp(self):
        self.assertEqual(self.server.put("/api/v1/admin/wipe").status, 202)

    def jobs_scraped(self):
        return {s.labels.get("job") for f in self.server.scrape().families.values()
                for s in f.samples if s.labels.get("job")}

    def groups(self):
        r = self.server.get("/api/v1/groups?limit=1000")
        self.assertEqual(r.status, 200, r)
        return {g["labels"]["job"]: g for g in json.loads(r.body)["data"]["groups"]}

    def expired_total(self):
        return self.server.scrape().value("ferry_groups_expired_total")


@unittest.skipIf(is_pushgateway(), "Ferry's group lifecycle")
class TtlDeleteTest(LifecycleCase):
    CONFIG = {"lifecycle": {"ttl": {"default": "0s", "min": "1s", "max": "0s",
                                    "jobs": [{"match": "ci-*", "ttl": "2s"}]},
                            "expired": "delete"}}

    def test_header_ttl_expires_group_while_others_stay(self):
        srv = self.server
        before = self.expired_total()
        r = srv.push("PUT", "/job/short", "short_g 1\n", headers={"Ferry-TTL": "2s"})
        self.assertEqual(r.status, 200, r)
        expires = r.header("Ferry-Expires")
        self.assertIsNotNone(expires)
        self.assertTrue(expires.endswith("Z"), expires)
        r = srv.push("PUT", "/job/forever", "forever_g 1\n")
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.header("Ferry-Expires"))
        pushed = time.monotonic()
        self.assertEqual(self.groups()["short"]["ttl_seconds"], 2)
        self.assertIn("short", self.jobs_scraped())
        wait_until(lambda: "short" not in self.jobs_scraped(), EXPIRY_TIMEOUT_S,
                   "the group with a 2s TTL to expire")
        elapsed = time.monotonic() - pushed
        self.assertGreaterEqual(elapsed, 1.5)
        self.assertLess(elapsed, 4.5)
        self.assertIn("forever", self.jobs_scraped())
        self.assertNotIn("short", self.groups())
        self.assertEqual(self.expired_total(), before + 1)

    def test_many_groups_expire_batch_by_batch_each_counted_once(self):
        srv = self.server
        before = self.expired_total()
        self.assertEqual(srv.push("PUT", "/job/forever", "f 1\n").status, 200)
        for i in range(MASS_GROUPS):
            r = srv.push("PUT", "/job/ci-mass/instance/i%d" % i, "m 1\n")
            self.assertEqual(r.status, 200, r)
        wait_until(lambda: self.expired_total() >= before + MASS_GROUPS, EXPIRY_TIMEOUT_S,
                   "every ci-mass group to expire")
        self.assertEqual(self.expired_total(), before + MASS_GROUPS)
        self.assertNotIn("ci-mass", self.groups())
        self.assertIn("forever", self.jobs_scraped())

    def test_job_rule_applies_to_a_client_without_the_header(self):
        from prometheus_client import CollectorRegistry, Gauge, push_to_gateway
        registry = CollectorRegistry()
        Gauge("ci_result", "Result.", registry=registry).set(1)
        push_to_gateway(self.server.address, job="ci-build", registry=registry)
        group = self.groups()["ci-build"]
        self.assertEqual(group["ttl_seconds"], 2)
        self.assertIsNotNone(group["deadline"])
        wait_until(lambda: "ci-build" not in self.groups(), EXPIRY_TIMEOUT_S,
                   "the ci-* group to expire")

    def test_push_refreshes_the_deadline(self):
        srv = self.server
        start = time.monotonic()
        # Pushed every 0.5 s for 3.5 s with a 2 s TTL: it never expires meanwhile.
        while time.monotonic() - start < 3.5:
            self.assertEqual(srv.push("POST", "/job/ci-refresh", "r 1\n").status, 200)
            self.assertIn("ci-refresh", self.jobs_scraped())
            time.sleep(0.5)
        wait_until(lambda: "ci-refresh" not in self.jobs_scraped(), EXPIRY_TIMEOUT_S,
                   "the group to expire once pushes stop")

    def test_ttl_is_clamped_and_bad_values_refused(self):
        srv = self.server
        r = srv.push("PUT", "/job/clamp", "c 1\n", headers={"Ferry-TTL": "100h"})
        self.assertEqual(r.status, 200)
        self.assertEqual(self.groups()["clamp"]["ttl_seconds"], 360000)  # no cap configured
        r = srv.push("PUT", "/job/clamp", "c 1\n", headers={"Ferry-TTL": "10ms"})
        self.assertEqual(self.groups()["clamp"]["ttl_seconds"], 1)
        for bad in ("1d", "soon", "-5s", ""):
            r = srv.push("PUT", "/job/bad", "b 1\n", headers={"Ferry-TTL": bad})
            self.assertEqual(r.status, 400, bad)
            self.assertIn("Ferry-TTL", r.text)
        self.assertNotIn("bad", self.groups())

    def test_failed_push_does_not_refresh(self):
        srv = self.server
        srv.push("PUT", "/job/fail", "# TYPE f counter\nf 1\n", headers={"Ferry-TTL": "1h"})
        deadline = self.groups()["fail"]["deadline_unix"]
        r = srv.push("POST", "/job/fail", "f 1 1234\n", headers={"Ferry-TTL": "2h"})
        self.assertEqual(r.status, 400)
        group = self.groups()["fail"]
        self.assertEqual((group["deadline_unix"], group["ttl_seconds"]), (deadline, 3600))


@unittest.skipIf(is_pushgateway(), "Ferry's group lifecycle")
class TtlHideTest(LifecycleCase):
    CONFIG = {"lifecycle": {"ttl": {"min": "1s"}, "expired": "hide"}}

    def test_hidden_group_is_listed_expired_and_revived_by_a_push(self):
        srv = self.server
        self.assertEqual(srv.push("PUT", "/job/hidden/instance/a", "# TYPE h gauge\nh 1\n",
                                  headers={"Ferry-TTL": "1s"}).status, 200)
        wait_until(lambda: self.groups()["hidden"]["expired"], EXPIRY_TIMEOUT_S,
                   "the group to be hidden")
        self.assertNotIn("hidden", self.jobs_scraped())
        self.assertEqual(srv.api_metrics(), [])
        # Hidden, its metrics do not block another group's push of another type.
        self.assertEqual(srv.push("PUT", "/job/other", "# TYPE h counter\nh 2\n").status, 200)
        srv.delete("/metrics/job/other")
        r = srv.push("POST", "/job/hidden/instance/a", "# TYPE h2 gauge\nh2 1\n")
        self.assertEqual(r.status, 200, r)
        group = self.groups()["hidden"]
        self.assertFalse(group["expired"])
        self.assertEqual((group["ttl_seconds"], group["families"]), (0, 1))
        self.assertIn("hidden", self.jobs_scraped())


class RestartTests:
    """Deadlines stored with the group: one that passed while Ferry was stopped is expired at
    start, one that did not keeps its deadline."""

    def setUp(self):
        if is_pushgateway():
            self.skipTest("Ferry's group lifecycle")
        self.dir = tempfile.mkdtemp(prefix="ferry-lifecycle-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def test_expiry_across_restart(self):
        srv = self.start_server(*self.storage_args())
        self.assertEqual(srv.push("PUT", "/job/soon", "s 1\n", headers={"Ferry-TTL": "2s"}).status,
                         200)
        self.assertEqual(srv.push("PUT", "/job/later", "l 1\n", headers={"Ferry-TTL": "1h"}).status,
                         200)
        later = json.loads(srv.get("/api/v1/groups").body)["data"]["groups"]
        deadline = {g["labels"]["job"]: g["deadline"] for g in later}["later"]
        srv.stop()
        time.sleep(2.5)
        srv = self.start_server(*self.storage_args())
        groups = json.loads(srv.get("/api/v1/groups").body)["data"]["groups"]
        self.assertEqual([(g["labels"]["job"], g["deadline"], g["ttl_seconds"]) for g in groups],
                         [("later", deadline, 3600)])
        jobs = {s.labels.get("job") for f in srv.scrape().families.values() for s in f.samples}
        self.assertNotIn("soon", jobs)

    def test_many_groups_due_while_stopped_expire_at_start(self):
        srv = self.start_server(*self.storage_args())
        # Every deadline at one instant, passed while Ferry is stopped; more groups than one
        # expiry batch takes. Pushed over 4 connections (file with interval 0s syncs per write).
        count = 300
        due_at = time.time() + 12

        def push(i):
            ttl_ms = int((due_at - time.time()) * 1000)
            return srv.push("PUT", "/job/due/instance/i%d" % i, "d 1\n",
                            headers={"Ferry-TTL": "%dms" % ttl_ms}).status
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(push, range(count)))
        self.assertEqual(statuses, [200] * count)
        self.assertEqual(srv.push("PUT", "/job/later", "l 1\n", headers={"Ferry-TTL": "1h"}).status,
                         200)
        self.assertEqual(self.expired_count(srv), 0, "groups expired before the stop: "
                         "pushing them took longer than the deadline allows")
        srv.stop()
        time.sleep(max(0.0, due_at - time.time()) + 0.5)
        srv = self.start_server(*self.storage_args())
        groups = json.loads(srv.get("/api/v1/groups?limit=1000").body)["data"]["groups"]
        self.assertEqual([g["labels"]["job"] for g in groups], ["later"])
        self.assertEqual(self.expired_count(srv), count)

    @staticmethod
    def expired_count(srv):
        return srv.scrape().value("ferry_groups_expired_total")

class FileRestartTest(RestartTests, ServerTestCase):
    CLASS_SERVER = False  # every test starts its own server

    def storage_args(self):
        return ("--persistence.file=" + os.path.join(self.dir, "f.snap"),
                "--persistence.interval=0s")


class SqliteRestartTest(RestartTests, ServerTestCase):
    CLASS_SERVER = False  # every test starts its own server

    def storage_args(self):
        return (write_config(self.dir, {"storage": {"plugin": "sqlite", "config": {
            "path": os.path.join(self.dir, "ferry.db")}}}),)


if __name__ == "__main__":
    unittest.main()
