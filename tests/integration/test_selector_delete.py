"""Selector delete against the real binary (docs/configuration.md, "Selector delete"):
DELETE /api/v1/groups?match[]=<selector>[&dry_run=true] with the admin API or "auth", the 400
and 403 cases, pushes racing the delete, and a delete that survives kill -9 on sqlite.
"""

import base64
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import ServerTestCase, Server, is_pushgateway, wait_until  # noqa: E402

SECRET_HASH = "$2b$04$nIPCEX5W/gzXYwaBwY6xnO.BEAP3eitPaWkPl1YEtCiKr5rQf6wm2"  # "secret"
RACE_PUSHERS = 4
RACE_PUSHES = 60
RACE_TIMEOUT_S = 60


def basic(user, password="secret"):
    return {"Authorization": "Basic " + base64.b64encode(
        ("%s:%s" % (user, password)).encode()).decode()}


def write_config(directory, config):
    path = os.path.join(directory, "ferry.json")
    with open(path, "w") as f:
        json.dump(config, f)
    return "--config.file=" + path


def delete_path(*selectors, dry_run=None):
    query = [("match[]", s) for s in selectors]
    if dry_run is not None:
        query.append(("dry_run", dry_run))
    return "/api/v1/groups?" + urllib.parse.urlencode(query)


class SelectorDeleteCase(ServerTestCase):
    GROUPS = ("/job/ci-build/instance/a", "/job/ci-build/instance/b", "/job/ci-test/instance/a",
              "/job/prod-db/instance/a")

    def push_groups(self, headers=None):
        for path in self.GROUPS:
            r = self.server.push("PUT", path, "sd_value 1\n", headers=headers)
            self.assertEqual(r.status, 200, r)

    def stored(self, headers=None):
        r = self.server.get("/api/v1/groups?limit=1000", headers=headers)
        self.assertEqual(r.status, 200, r)
        return sorted("%s/%s" % (g["labels"]["job"], g["labels"].get("instance", ""))
                      for g in json.loads(r.body)["data"]["groups"])

    def delete(self, *selectors, dry_run=None, headers=None):
        return self.server.delete(delete_path(*selectors, dry_run=dry_run), headers=headers)

    def answer(self, r, status):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.header("Content-Type"), "application/json")
        return json.loads(r.body)


@unittest.skipIf(is_pushgateway(), "Ferry's selector delete")
class AdminApiTest(SelectorDeleteCase):
    def setUp(self):
        self.assertEqual(self.server.put("/api/v1/admin/wipe").status, 202)
        self.push_groups()

    def test_dry_run_answers_then_delete_deletes(self):
        preview = self.answer(self.delete('{job=~"ci-.*"}', dry_run="true"), 200)
        self.assertEqual(preview["status"], "success")
        data = preview["data"]
        self.assertEqual((data["dry_run"], data["count"]), (True, 3))
        # In grouping key order (label names sorted, then values), as GET /api/v1/groups lists.
        self.assertEqual([g["labels"] for g in data["groups"]],
                         [{"instance": "a", "job": "ci-build"},
                          {"instance": "a", "job": "ci-test"},
                          {"instance": "b", "job": "ci-build"}])
        # The ids are the group API's: each one opens its group.
        for g in data["groups"]:
            self.assertEqual(self.server.get("/api/v1/groups/" + g["id"]).status, 200)
        self.assertEqual(len(self.stored()), 4)

        done = self.answer(self.delete('{job=~"ci-.*"}'), 200)["data"]
        self.assertEqual((done["dry_run"], done["count"]), (False, 3))
        self.assertEqual(done["groups"], data["groups"])
        self.assertEqual(self.stored(), ["prod-db/a"])
        jobs = {s.labels.get("job") for f in self.server.scrape().families.values()
                for s in f.samples}
        self.assertNotIn("ci-build", jobs)
        self.assertIn("prod-db", jobs)
        wait_until(lambda: "deleted groups by selector" in self.server.log_tail(), 5, "the log")
        line = [l for l in self.server.log_tail().splitlines()
                if "deleted groups by selector" in l][-1]
        self.assertIn("count=3", line)
        self.assertIn('job=~\\"ci-.*\\"', line)

    def test_job_wide_delete_and_several_selectors(self):
        data = self.answer(self.delete('{job="ci-build"}', '{job="prod-db"}'), 200)["data"]
        self.assertEqual(data["count"], 3)
        self.assertEqual(self.stored(), ["ci-test/a"])
        # Nothing matched: success with nothing deleted.
        data = self.answer(self.delete('{job="nothing"}'), 200)["data"]
        self.assertEqual((data["count"], data["groups"]), (0, []))

    def test_bad_requests_are_400_and_delete_nothing(self):
        for path in ("/api/v1/groups", delete_path("{}"), delete_path('{job=~".*"}'),
                     delete_path('{job=""}'), delete_path('{job!=""}'),
                     delete_path('{job="a"'), delete_path("job"),
                     delete_path('{instance=~"("}'),
                     delete_path('{job="ci-build"}', dry_run="maybe"),
                     delete_path('{job="ci-build"}', '{x=~".*"}')):
            with self.subTest(path=path):
                body = self.answer(self.server.delete(path), 400)
                self.assertEqual(body["status"], "error")
                self.assertTrue(body["error"])
        self.assertEqual(len(self.stored()), 4)

    def test_pushes_racing_the_delete_land_before_or_after(self):
        """Each pusher POSTs one new family per push to its own group. A push answered before
        the delete was sent is deleted with its group; one sent after the delete's answer is
        kept; a group keeps a gap-free run of its last pushes, never a part of a push."""
        stale = self.answer(self.delete('{job="ci-build"}', dry_run="true"), 200)["data"]["count"]
        errors = []
        sent_after_answer = {}   # pusher -> first push index sent after the delete's answer
        answered_before = {}     # pusher -> last push index answered before the delete was sent
        delete_sent = threading.Event()
        delete_answered = threading.Event()
        started = threading.Barrier(RACE_PUSHERS + 1, timeout=RACE_TIMEOUT_S)
        deadline = time.monotonic() + RACE_TIMEOUT_S

        def pusher(p):
            started.wait()
            for i in range(RACE_PUSHES):
                if time.monotonic() > deadline:
                    errors.append("pusher %d ran out of time" % p)
                    return
                after = delete_answered.is_set()
                r = self.server.push("POST", "/job/ci-build/instance/race%d" % p,
                                     "race_%03d 1\n" % i)
                if r.status != 200:
                    errors.append("pusher %d push %d: %r" % (p, i, r))
                    return
                if after:
                    sent_after_answer.setdefault(p, i)
                if not delete_sent.is_set():
                    answered_before[p] = i

        threads = [threading.Thread(target=pusher, args=(p,)) for p in range(RACE_PUSHERS)]
        for t in threads:
            t.start()
        started.wait()
        time.sleep(0.05)
        delete_sent.set()
        r = self.delete('{job="ci-build"}')
        delete_answered.set()
        for t in threads:
            t.join(RACE_TIMEOUT_S)
        self.assertFalse(any(t.is_alive() for t in threads))
        self.assertEqual(errors, [])
        data = self.answer(r, 200)["data"]
        deleted = {g["labels"]["instance"] for g in data["groups"]}
        self.assertEqual(data["count"], len(data["groups"]))
        # The groups nobody pushed to meanwhile are gone.
        self.assertTrue({"a", "b"} <= deleted, deleted)
        self.assertGreaterEqual(data["count"], stale)
        for p in range(RACE_PUSHERS):
            r = self.server.get("/api/v1/groups?" + urllib.parse.urlencode(
                {"match[]": '{job="ci-build",instance="race%d"}' % p}))
            groups = json.loads(r.body)["data"]["groups"]
            if not groups:
                self.assertIn("race%d" % p, deleted, "pusher %d's group vanished" % p)
                self.assertNotIn(p, sent_after_answer, "a push after the answer was lost")
                continue
            detail = json.loads(self.server.get("/api/v1/groups/" + groups[0]["id"]).body)
            kept = sorted(int(f["name"][5:]) for f in detail["data"]["metric_families"]
                          if f["name"].startswith("race_"))
            self.assertEqual(kept[-1], RACE_PUSHES - 1)
            self.assertEqual(kept, list(range(kept[0], RACE_PUSHES)), "a gap: half a delete")
            if "race%d" % p in deleted:
                # Deleted: what was answered before the delete was sent is gone.
                self.assertGreater(kept[0], answered_before.get(p, -1))
            else:
                # Not deleted: every push is still there, and it cannot have been answered
                # before the delete was sent.
                self.assertEqual(kept[0], 0)
                self.assertNotIn(p, answered_before)
            if p in sent_after_answer:
                self.assertLessEqual(kept[0], sent_after_answer[p])


@unittest.skipIf(is_pushgateway(), "Ferry's selector delete")
class WithoutAdminApiTest(SelectorDeleteCase):
    SERVER_KWARGS = {"admin": False}

    def test_not_routed_without_the_admin_api(self):
        self.push_groups()
        r = self.delete('{job="ci-build"}')
        self.assertEqual(r.status, 405, r)
        self.assertIn("GET", r.header("Allow"))
        self.assertEqual(len(self.stored()), 4)
        rights = json.loads(self.server.get("/api/v1/rights").body)["data"]
        self.assertFalse(rights["can"]["delete_selector"])


@unittest.skipIf(is_pushgateway(), "Ferry's selector delete")
class WithAuthTest(SelectorDeleteCase):
    """With "auth" and without the admin API: the delete right on every matched job."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ferry-selector-delete-")
        cls.SERVER_KWARGS = {"admin": False}
        cls.SERVER_ARGS = (write_config(cls.dir, {"auth": {
            "plugins": [{"plugin": "basic", "config": {"users": {
                "ci": SECRET_HASH, "ops": SECRET_HASH, "viewer": SECRET_HASH}}}],
            "rights": {
                "user:ci": {"api_read": True, "push": ["ci-*"], "delete": ["ci-*"]},
                "user:ops": {"api_read": True, "push": True, "delete": True, "scrape": True},
                "user:viewer": {"api_read": True}}}}),)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.dir, True)

    def setUp(self):
        r = self.server.delete(delete_path('{job=~".+"}'), headers=basic("ops"))
        self.assertEqual(r.status, 400)  # matches every group: refused even for ops
        for path in self.GROUPS:
            self.server.push("DELETE", path, b"", headers=basic("ops"))
        self.push_groups(headers=basic("ops"))

    def test_one_foreign_job_refuses_the_whole_delete(self):
        body = self.answer(self.delete('{instance="a"}', headers=basic("ci")), 403)
        self.assertIn('"prod-db"', body["error"])
        self.assertIn("nothing was deleted", body["error"])
        self.assertEqual(len(self.stored(basic("ops"))), 4)
        # The dry run is refused the same way: it answers what the caller could delete.
        self.answer(self.delete('{instance="a"}', dry_run="1", headers=basic("ci")), 403)
        data = self.answer(self.delete('{job=~"ci-.*"}', headers=basic("ci")), 200)["data"]
        self.assertEqual(data["count"], 3)
        self.assertEqual(self.stored(basic("ops")), ["prod-db/a"])

    def test_without_any_delete_right_or_credentials(self):
        self.answer(self.delete('{job="ci-build"}', headers=basic("viewer")), 403)
        self.answer(self.delete('{job="ci-build"}'), 403)  # anonymous has no rights
        r = self.delete('{job="ci-build"}', headers=basic("ci", "wrong"))
        self.assertEqual(r.status, 401, r)
        self.assertEqual(len(self.stored(basic("ops"))), 4)

    def test_rights_endpoint_offers_it_to_those_with_a_delete_right(self):
        can = lambda user: json.loads(self.server.get(  # noqa: E731
            "/api/v1/rights", headers=basic(user)).body)["data"]["can"]
        self.assertTrue(can("ci")["delete_selector"])
        self.assertTrue(can("ops")["delete_selector"])
        self.assertFalse(can("viewer")["delete_selector"])


@unittest.skipIf(is_pushgateway(), "Ferry's selector delete")
class DurableDeleteTest(SelectorDeleteCase):
    """On sqlite a selector delete is one transaction: after kill -9 right after the answer,
    every matched group is gone and every other one is there."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ferry-selector-delete-")
        cls.SERVER_ARGS = (write_config(cls.dir, {"storage": {"plugin": "sqlite", "config": {
            "path": os.path.join(cls.dir, "ferry.db")}}}),)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.dir, True)

    def test_delete_survives_kill(self):
        for i in range(50):
            r = self.server.push("PUT", "/job/bulk/instance/i%02d" % i, "sd_value %d\n" % i)
            self.assertEqual(r.status, 200, r)
        self.push_groups()
        data = self.answer(self.delete('{job=~"bulk|ci-test"}'), 200)["data"]
        self.assertEqual(data["count"], 51)
        self.server.proc.send_signal(signal.SIGKILL)
        self.server.proc.wait(10)
        again = Server(*self.SERVER_ARGS)
        try:
            again.start()
            self.server, keep = again, self.server
            self.assertEqual(self.stored(), ["ci-build/a", "ci-build/b", "prod-db/a"])
        finally:
            self.server = keep
            again.cleanup()


if __name__ == "__main__":
    unittest.main()
