"""Limits against the real binary (docs/configuration.md, "Limits"): every limit refuses the
push that would break it (413 for the push and its group, 507 for the store) with a message that
names the limit, its value and the figure the push would reach; nothing of a refused push is
stored; ferry_push_rejected_total counts it by reason; the official Python client reports it.
"""

import json
import os
import shutil
import sys
import tempfile
import unittest
import urllib.error

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import ServerTestCase, is_pushgateway  # noqa: E402

from prometheus_client import CollectorRegistry, Gauge, push_to_gateway  # noqa: E402

LIMITS = {"max_series_per_push": 5, "max_series_per_group": 6, "max_groups": 4,
          "max_groups_per_job": 2, "max_series": 12, "max_label_name_length": 16,
          "max_label_value_length": 20, "max_labels_per_series": 5,
          "jobs": [{"match": "big-*", "max_series_per_push": 8, "max_series_per_group": 8}]}


def series(n, prefix="m"):
    return "".join("%s%d 1\n" % (prefix, i) for i in range(n))


@unittest.skipIf(is_pushgateway(), "Ferry's limits")
class LimitsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ferry-limits-")
        path = os.path.join(cls.dir, "ferry.json")
        with open(path, "w") as f:
            json.dump({"limits": LIMITS}, f)
        cls.SERVER_ARGS = ("--config.file=" + path,)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.dir, True)

    def setUp(self):
        self.assertEqual(self.server.put("/api/v1/admin/wipe").status, 202)

    def stored(self):
        r = self.server.get("/api/v1/metrics")
        self.assertEqual(r.status, 200)
        return json.loads(r.body)["data"]

    def rejected(self, reason):
        samples = self.server.scrape().find("ferry_push_rejected_total", reason=reason)
        return samples[0].value if samples else 0

    def assertRefused(self, method, path, body, status, limit, message):
        before, count = self.stored(), self.rejected(limit)
        r = self.server.push(method, path, body)
        self.assertPlainError(r, status, "limit %s is %d: %s" % (limit, LIMITS[limit], message))
        self.assertEqual(self.stored(), before, "a refused push changed the store")
        self.assertEqual(self.rejected(limit), count + 1)
        self.assertIn("reason=%s" % limit, self.server.log_tail())

    def ok(self, method, path, body):
        r = self.server.push(method, path, body)
        self.assertEqual(r.status, 200, r)

    def test_limits_of_the_push(self):
        self.ok("PUT", "/job/a", series(5))
        self.assertRefused("PUT", "/job/a", series(6), 413, "max_series_per_push",
                           "the push has 6 series")
        self.assertRefused("PUT", "/job/b", series(6), 413, "max_series_per_push",
                           "the push has 6 series")
        self.assertRefused("PUT", "/job/a", 'm{a_very_long_label="x"} 1\n', 413,
                           "max_label_name_length",
                           'label name "a_very_long_label" is 17 bytes long')
        self.assertRefused("POST", "/job/a/instance/" + "x" * 21, "m 1\n", 413,
                           "max_label_value_length",
                           'the value of label "instance" is 21 bytes long')
        self.assertRefused("PUT", "/job/a", 'm{b="1",c="2",d="3",e="4"} 1\n', 413,
                           "max_labels_per_series", "a series of m has 6 labels")

    def test_limits_of_the_group_and_the_store(self):
        self.ok("PUT", "/job/a/instance/1", series(4))
        self.assertRefused("POST", "/job/a/instance/1", series(3, "n"), 413,
                           "max_series_per_group", "the group would hold 7 series")
        self.ok("PUT", "/job/a/instance/2", series(1))
        self.assertRefused("PUT", "/job/a/instance/3", series(1), 507, "max_groups_per_job",
                           'job "a" would have 3 groups')
        self.ok("PUT", "/job/b", series(4))
        self.assertRefused("PUT", "/job/c", series(4), 507, "max_series",
                           "the store would hold 13 series")
        self.ok("PUT", "/job/c", series(3))
        self.assertRefused("PUT", "/job/d", series(1), 507, "max_groups",
                           "the store would hold 5 groups")
        # Room again after a delete.
        self.assertEqual(self.server.push("DELETE", "/job/c", b"").status, 202)
        self.ok("PUT", "/job/d", series(1))

    def test_per_job_override(self):
        self.ok("PUT", "/job/big-1", series(8))
        self.assertRefused("PUT", "/job/small", series(8), 413, "max_series_per_push",
                           "the push has 8 series")

    def test_official_client_reports_the_refusal(self):
        registry = CollectorRegistry()
        for i in range(6):
            Gauge("client_g%d" % i, "A gauge.", registry=registry).set(i)
        with self.assertRaises(urllib.error.HTTPError) as raised:
            push_to_gateway(self.server.address, job="client", registry=registry)
        self.assertEqual(raised.exception.code, 413)
        self.assertEqual(self.stored(), [])


if __name__ == "__main__":
    unittest.main()
