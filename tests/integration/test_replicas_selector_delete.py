"""Selector delete on Ferry replicas that share one Redis (docs/configuration.md, "Selector
delete" and "Several replicas"): DELETE /api/v1/groups?match[]=... on one replica removes the
matched groups on every replica, a dry run and a refused delete change nothing anywhere, a
job-wide delete and a wipe propagate, and a delete racing pushes on other replicas answers with
the groups of the one state it committed against.

Real redis-server and ferry processes on free ports, stopped by PID; loops bounded in count
and time.
"""

import base64
import json
import os
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import Server, wait_until  # noqa: E402
from test_replicas import CONVERGE_TIMEOUT_S, ReplicaTestCase  # noqa: E402

SECRET_HASH = "$2b$04$nIPCEX5W/gzXYwaBwY6xnO.BEAP3eitPaWkPl1YEtCiKr5rQf6wm2"  # "secret"
GROUPS = ("ci-build/a", "ci-build/b", "ci-test/a", "prod-db/a", "x/a", "x/b", "x/c")
RACE_ROUNDS = 10
RACE_TIMEOUT_S = 60


def basic(user):
    return {"Authorization": "Basic " + base64.b64encode(
        ("%s:secret" % user).encode()).decode()}


def delete_path(*selectors, dry_run=None):
    query = [("match[]", s) for s in selectors]
    if dry_run is not None:
        query.append(("dry_run", dry_run))
    return "/api/v1/groups?" + urllib.parse.urlencode(query)


class SelectorDeleteReplicaCase(ReplicaTestCase):
    ADMIN = True

    def start_replica(self):
        srv = Server("--config.file=" + self.config, admin=self.ADMIN)
        self.addCleanup(srv.cleanup)
        return srv.start()

    def setUp(self):
        super().setUp()
        for n, group in enumerate(GROUPS):
            job, instance = group.split("/")
            r = self.replicas[n % len(self.replicas)].push(
                "PUT", "/job/%s/instance/%s" % (job, instance), b"sd_value %d\n" % n)
            self.assertEqual(r.status, 200, r.text)
        self.assert_converged(what="the pushed groups")

    def stored(self, srv):
        r = srv.get("/api/v1/groups?limit=1000")
        self.assertEqual(r.status, 200, r)
        return sorted("%s/%s" % (g["labels"]["job"], g["labels"].get("instance", ""))
                      for g in json.loads(r.body)["data"]["groups"])

    def assert_everywhere(self, expected, what):
        """Every replica holds exactly `expected` (within the feed's bound), and so does Redis."""
        wait_until(lambda: all(self.stored(s) == expected for s in self.replicas),
                   CONVERGE_TIMEOUT_S, "every replica to hold %s after %s" % (expected, what))
        self.assertEqual(self.redis.command("HLEN", "ferry:groups"), len(expected))

    def assert_nothing_changed_anywhere(self, what):
        """A marker pushed after `what` on its replica is read from the feed in order: once every
        replica serves it, every replica has also applied anything `what` committed."""
        marker = "marker%d" % time.monotonic_ns()
        self.assertEqual(self.replicas[0].push("PUT", "/job/" + marker, b"m 1\n").status, 200)
        expected = sorted(list(GROUPS) + [marker + "/"])
        self.assert_everywhere(expected, what)
        self.assertEqual(self.replicas[0].delete("/metrics/job/" + marker).status, 202)
        self.assert_everywhere(sorted(GROUPS), "removing the marker")

    def answer(self, r, status):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.header("Content-Type"), "application/json")
        return json.loads(r.body)


class SelectorDeleteOnReplicasTest(SelectorDeleteReplicaCase):
    """With the admin API."""

    def test_delete_on_one_replica_removes_the_groups_on_every_replica(self):
        a, b, c = self.replicas
        feed_before = self.redis.command("XLEN", "ferry:feed")
        start = time.monotonic()
        data = self.answer(a.delete(delete_path('{job=~"ci-.*"}')), 200)["data"]
        self.assertEqual(data["count"], 3)
        # Read-your-writes on A; B and C within the feed's bound.
        self.assertEqual(self.stored(a), ["prod-db/a", "x/a", "x/b", "x/c"])
        self.assert_everywhere(["prod-db/a", "x/a", "x/b", "x/c"], "a selector delete on A")
        print("selector delete: every replica after %.0f ms" % ((time.monotonic() - start) * 1e3),
              file=sys.stderr)
        # One commit for the whole delete: the feed grew by one entry.
        self.assertEqual(self.redis.command("XLEN", "ferry:feed"), feed_before + 1)
        # A job-wide delete on C.
        data = self.answer(c.delete(delete_path('{job="x"}')), 200)["data"]
        self.assertEqual(sorted(g["labels"]["instance"] for g in data["groups"]), ["a", "b", "c"])
        self.assert_everywhere(["prod-db/a"], "a job-wide delete on C")
        # Nothing matched: success, and nothing committed.
        feed_before = self.redis.command("XLEN", "ferry:feed")
        data = self.answer(b.delete(delete_path('{job="nothing"}')), 200)["data"]
        self.assertEqual((data["count"], data["groups"]), (0, []))
        self.assertEqual(self.redis.command("XLEN", "ferry:feed"), feed_before)
        # A wipe on B.
        self.assertEqual(b.put("/api/v1/admin/wipe").status, 202)
        self.assert_everywhere([], "a wipe on B")

    def test_dry_run_changes_nothing_anywhere(self):
        feed_before = self.redis.command("XLEN", "ferry:feed")
        data = self.answer(self.replicas[1].delete(
            delete_path('{job="x"}', '{job="prod-db"}', dry_run="true")), 200)["data"]
        self.assertEqual(data["count"], 4)
        self.assertTrue(data["dry_run"])
        self.assertEqual(self.redis.command("XLEN", "ferry:feed"), feed_before)
        self.assert_nothing_changed_anywhere("a dry run on B")

    def test_delete_racing_pushes_on_other_replicas(self):
        """Pushes to groups of job "race" go to B and C while A deletes {job="race"} again and
        again: write_if conflicts make A plan the delete again against the state with the other
        replicas' pushes. Each answer lists the groups of the one plan that committed (no group
        twice), and every replica ends in the same state as Redis."""
        a, b, c = self.replicas
        stop = threading.Event()
        failures = []

        def pusher(srv, w):
            for i in range(400):
                if stop.is_set():
                    return
                r = srv.push("PUT", "/job/race/instance/%d_%d" % (w, i % 5), b"race_value %d\n" % i)
                if r.status != 200:
                    failures.append("push to %s: %r" % (srv.address, r))
                    return
        threads = [threading.Thread(target=pusher, args=(srv, w))
                   for w, srv in enumerate((b, c, b, c))]
        for t in threads:
            t.start()
        deadline = time.monotonic() + RACE_TIMEOUT_S
        deleted = 0
        try:
            for _ in range(RACE_ROUNDS):
                if time.monotonic() > deadline:
                    break
                data = self.answer(a.delete(delete_path('{job="race"}')), 200)["data"]
                ids = [g["id"] for g in data["groups"]]
                self.assertEqual(len(ids), len(set(ids)), "a group listed twice: %r" % ids)
                self.assertEqual(data["count"], len(ids))
                deleted += len(ids)
                time.sleep(0.05)
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        self.assertEqual(failures, [])
        self.assertGreater(deleted, 0, "no delete met a pushed group: the test raced nothing")
        state = self.assert_converged(what="the replicas after the race")
        served = {line.split("instance=")[1].split(",")[0] for line in state.splitlines()
                  if line.startswith("race_value{")}
        self.assertEqual(len(served), self.redis.command("HLEN", "ferry:groups") - len(GROUPS))


class SelectorDeleteWithAuthOnReplicasTest(SelectorDeleteReplicaCase):
    """With "auth" and without the admin API: the delete right on every matched job."""
    ADMIN = False
    CONFIG = {"auth": {
        "plugins": [{"plugin": "basic", "config": {"users": {
            "ci": SECRET_HASH, "ops": SECRET_HASH}}}],
        "rights": {
            "user:ci": {"api_read": True, "push": ["ci-*"], "delete": ["ci-*"]},
            "user:ops": {"api_read": True, "push": True, "delete": True, "scrape": True},
            "anonymous": {"api_read": True, "push": True, "delete": True, "scrape": True}}}}

    def test_refused_delete_deletes_nothing_anywhere(self):
        a, b, _ = self.replicas
        feed_before = self.redis.command("XLEN", "ferry:feed")
        # {instance="a"} matches prod-db/a, outside ci's rights: the whole delete is refused.
        body = self.answer(a.delete(delete_path('{instance="a"}'), headers=basic("ci")), 403)
        self.assertIn("nothing was deleted", body["error"])
        self.answer(b.delete(delete_path('{instance="a"}', dry_run="true"),
                             headers=basic("ci")), 403)
        self.assertEqual(self.redis.command("XLEN", "ferry:feed"), feed_before)
        self.assert_nothing_changed_anywhere("refused deletes on A and B")
        # Within ci's rights, on B: deleted on every replica.
        data = self.answer(b.delete(delete_path('{job=~"ci-.*"}'), headers=basic("ci")), 200)
        self.assertEqual(data["data"]["count"], 3)
        self.assert_everywhere(["prod-db/a", "x/a", "x/b", "x/c"], "ci's delete on B")


if __name__ == "__main__":
    unittest.main()
