"""The group API against the real binary (docs/configuration.md, "The group API"): GET
/api/v1/groups with its filters, orders and paging, and GET /api/v1/groups/<id>.
"""

import base64
import http.client
import json
import os
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import ServerTestCase, is_pushgateway  # noqa: E402

PAGING_GROUPS = 10000
LOAD_DEADLINE_S = 600

SUMMARY_KEYS = {"id", "labels", "last_push", "last_push_unix", "last_failure",
                "last_failure_unix", "last_failure_reason", "last_push_successful",
                "ttl_seconds", "deadline", "deadline_unix", "expired", "families", "series",
                "bytes"}


def group_id(labels):
    key = b"\xff".join(b"%s\xff%s" % (k.encode(), v.encode()) for k, v in sorted(labels.items()))
    return base64.urlsafe_b64encode(key).decode().rstrip("=")


def push_many(srv, job, count, threads=4):
    """PUTs `count` small groups of `job` over keep-alive connections; bounded in time."""
    next_index = [0]
    lock = threading.Lock()
    failures = []
    deadline = time.monotonic() + LOAD_DEADLINE_S

    def worker():
        conn = http.client.HTTPConnection(srv.host, srv.port, timeout=30)
        try:
            while time.monotonic() < deadline:
                with lock:
                    i = next_index[0]
                    next_index[0] += 1
                if i >= count:
                    return
                conn.request("PUT", "/metrics/job/%s/instance/i%05d" % (job, i),
                             body=b"paged_value 1\n")
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    with lock:
                        failures.append((i, r.status))
        finally:
            conn.close()
    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(LOAD_DEADLINE_S + 30)
    return failures, next_index[0] >= count


@unittest.skipIf(is_pushgateway(), "Ferry's group API")
class GroupApiTest(ServerTestCase):

    def setUp(self):
        self.assertEqual(self.server.put("/api/v1/admin/wipe").status, 202)

    def groups(self, query="", status=200):
        r = self.server.get("/api/v1/groups" + ("?" + query if query else ""))
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.header("Content-Type"), "application/json")
        body = json.loads(r.body)
        if status != 200:
            self.assertEqual(body["status"], "error")
            return body["error"]
        self.assertEqual(body["status"], "success")
        return body["data"]

    def test_summary_fields(self):
        srv = self.server
        self.assertEqual(srv.put("/metrics/job/api/instance/a",
                                 "# TYPE api_c counter\napi_c 1\napi_g{x=\"1\"} 2\napi_g{x=\"2\"} 3\n"
                                 ).status, 200)
        r = srv.post("/metrics/job/api/instance/b", "# TYPE api_c gauge\napi_c 1\n")
        self.assertEqual(r.status, 400)
        data = self.groups()
        self.assertEqual(data["total_groups"], 2)
        self.assertIsNone(data["next"])
        a, b = data["groups"]
        self.assertEqual(set(a), SUMMARY_KEYS)
        self.assertEqual(a["labels"], {"job": "api", "instance": "a"})
        self.assertEqual(a["id"], group_id(a["labels"]))
        self.assertTrue(a["last_push"].endswith("Z"))
        self.assertAlmostEqual(a["last_push_unix"], time.time(), delta=120)
        self.assertIsNone(a["last_failure"])
        self.assertIsNone(a["last_failure_reason"])
        self.assertTrue(a["last_push_successful"])
        self.assertEqual((a["families"], a["series"]), (2, 3))
        self.assertGreater(a["bytes"], 0)
        self.assertEqual((a["ttl_seconds"], a["deadline"], a["expired"]), (0, None, False))
        self.assertIsNone(b["last_push"])
        self.assertFalse(b["last_push_successful"])
        self.assertEqual(b["last_failure_reason"], r.text.rstrip("\n"))
        self.assertEqual(r.header("Access-Control-Allow-Origin"), None)  # push: no CORS
        listing = srv.get("/api/v1/groups")
        self.assertEqual(listing.header("Access-Control-Allow-Origin"), "*")

    def test_detail(self):
        srv = self.server
        body = ("# TYPE api_h histogram\napi_h_bucket{le=\"1\"} 1\napi_h_bucket{le=\"+Inf\"} 2\n"
                "api_h_sum 3\napi_h_count 2\n# HELP api_g Help.\napi_g 7\n")
        self.assertEqual(srv.put("/metrics/job/api/path@base64/L3Zhci90bXA", body).status, 200)
        labels = {"job": "api", "path": "/var/tmp"}
        r = srv.get("/api/v1/groups/" + group_id(labels))
        self.assertEqual(r.status, 200, r)
        data = json.loads(r.body)["data"]
        self.assertEqual(data["labels"], labels)
        families = {f["name"]: f for f in data["metric_families"]}
        self.assertEqual(sorted(families), ["api_g", "api_h", "push_failure_time_seconds",
                                            "push_time_seconds"])
        # The same objects as /api/v1/metrics shows, plus the name.
        api = srv.api_metrics()[0]
        for name, family in families.items():
            expected = dict(api[name])
            expected["name"] = name
            self.assertEqual(family, expected, name)
        self.assertEqual(families["api_h"]["metrics"][0]["buckets"], {"1": "1", "+Inf": "2"})
        for bad in ("AAAA", "!!", group_id({"job": "absent"})):
            r = srv.get("/api/v1/groups/" + bad)
            self.assertEqual(r.status, 404, bad)
            self.assertEqual(json.loads(r.body)["status"], "error")

    def test_filters_and_orders(self):
        srv = self.server
        for instance in ("db-1", "db-2", "web-1"):
            self.assertEqual(srv.put("/metrics/job/fo/instance/" + instance, "fo 1\n").status, 200)
            time.sleep(0.01)
        self.assertEqual(srv.put("/metrics/job/other/instance/DB-9", "fo_o 1\n").status, 200)

        def instances(query):
            return [g["labels"]["instance"] for g in self.groups(query)["groups"]]
        match = urllib.parse.quote('{job="fo",instance=~"db-.*"}')
        self.assertEqual(instances("match[]=" + match), ["db-1", "db-2"])
        self.assertEqual(instances("match[]=%s&match[]=%s" % (match, urllib.parse.quote(
            '{job="other"}'))), ["DB-9", "db-1", "db-2"])
        self.assertEqual(instances("q=Db-"), ["DB-9", "db-1", "db-2"])
        self.assertEqual(instances("sort=last_push"), ["DB-9", "web-1", "db-2", "db-1"])
        self.assertEqual(instances("sort=deadline"), ["DB-9", "db-1", "db-2", "web-1"])

    def test_bad_requests(self):
        for query, words in [("limit=0", "invalid limit"), ("limit=10001", "invalid limit"),
                             ("limit=x", "invalid limit"), ("sort=size", "invalid sort"),
                             ("next=%21%21", "invalid next cursor"),
                             ("match[]=" + urllib.parse.quote("{}"), "at least one matcher"),
                             ("match[]=" + urllib.parse.quote('{job=~"("}'),
                              "invalid regular expression"),
                             ("match[]=%zz", "invalid URL escape")]:
            self.assertIn(words, self.groups(query, status=400), query)

    def test_paging_returns_every_group_exactly_once(self):
        failures, done = push_many(self.server, "paged", PAGING_GROUPS)
        self.assertEqual(failures, [])
        self.assertTrue(done, "loading did not finish in time")
        for sort in ("labels", "last_push", "deadline"):
            seen = []
            query = "limit=1000&sort=" + sort
            for _ in range(PAGING_GROUPS // 1000 + 2):
                data = self.groups(query)
                self.assertEqual(data["total_groups"], PAGING_GROUPS)
                seen += [g["labels"]["instance"] for g in data["groups"]]
                if data["next"] is None:
                    break
                query = "limit=1000&sort=%s&next=%s" % (sort, urllib.parse.quote(data["next"]))
            self.assertEqual(len(seen), PAGING_GROUPS, sort)
            self.assertEqual(len(set(seen)), PAGING_GROUPS, sort)
        self.assertEqual(self.groups("limit=100")["groups"][0]["labels"]["instance"], "i00000")


if __name__ == "__main__":
    unittest.main()
