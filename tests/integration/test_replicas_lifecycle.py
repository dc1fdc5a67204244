"""Group TTLs on Ferry replicas that share one Redis (docs/configuration.md, "Group lifecycle"
and "Several replicas"): the replica holding the store's expiry lease expires a group, every
replica stops serving it, each expiry is counted once, the lease moves on when its holder dies,
and an expiry never undoes a push another replica committed meanwhile.

Real redis-server and ferry processes on free ports, stopped by PID; loops bounded in count
and time.
"""

import calendar
import json
import os
import random
import signal
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import parse_text, wait_until  # noqa: E402
from test_replicas import ReplicaTestCase  # noqa: E402

EXPIRY_TIMEOUT_S = 15.0


def expires_unix(header):
    """Ferry-Expires (RFC 3339 with nanoseconds, UTC) as Unix seconds."""
    base, _, fraction = header.rstrip("Z").partition(".")
    whole = calendar.timegm(time.strptime(base, "%Y-%m-%dT%H:%M:%S"))
    return whole + (float("0." + fraction) if fraction else 0.0)


def jobs_served(srv):
    r = srv.get("/metrics")
    assert r.status == 200, r
    return {s.labels["job"] for f in parse_text(r.text).families.values() for s in f.samples
            if s.labels.get("job")}


def expired_total(srv):
    return srv.scrape().value("ferry_groups_expired_total")


class TtlDeleteOnReplicasTest(ReplicaTestCase):
    REPLICAS = 2
    CONFIG = {"lifecycle": {"ttl": {"min": "0s"}, "expired": "delete"}}

    def push(self, srv, job, value, ttl=None):
        headers = {"Ferry-TTL": ttl} if ttl else {}
        r = srv.push("PUT", "/job/" + job, b"ttl_value %d\n" % value, headers=headers)
        self.assertEqual(r.status, 200, r.text)
        return r

    def test_one_replica_expires_every_replica_stops_serving_counted_once(self):
        groups = 20
        for i in range(groups):
            self.push(self.replicas[i % 2], "short%d" % i, i, ttl="2s")
        self.push(self.replicas[0], "forever", 1)
        self.assert_converged(what="the pushed groups on both replicas")
        wait_until(lambda: all(jobs_served(s) == {"forever"} for s in self.replicas),
                   EXPIRY_TIMEOUT_S, "both replicas to stop serving the expired groups")
        left = self.redis.command("HKEYS", "ferry:groups")
        self.assertEqual(len(left), 1, left)  # only the group without a TTL
        self.assertIn(b"forever", left[0])
        # Each expiry is committed, and counted, by exactly one replica.
        wait_until(lambda: sum(expired_total(s) for s in self.replicas) >= groups, 5,
                   "the expiries to be counted")
        counts = [expired_total(s) for s in self.replicas]
        self.assertEqual(sum(counts), groups, counts)
        time.sleep(1.0)  # a second expiry of the same group would be counted by now
        self.assertEqual(sum(expired_total(s) for s in self.replicas), groups)

    def test_expiry_goes_on_when_the_expiring_replica_dies(self):
        a, b = self.replicas
        self.push(a, "warm", 0, ttl="200ms")  # some replica takes the lease for this one
        wait_until(lambda: not jobs_served(a) and not jobs_served(b), EXPIRY_TIMEOUT_S,
                   "the first group to expire")
        holder = a if expired_total(a) == 1 else b
        other = b if holder is a else a
        self.assertEqual(expired_total(other), 0)
        for i in range(5):
            self.push(other, "after%d" % i, i, ttl="3s")
        holder.proc.send_signal(signal.SIGKILL)
        holder.proc.wait(10)
        # The dead holder's lease runs out in Redis; then the survivor expires the groups.
        wait_until(lambda: not jobs_served(other), EXPIRY_TIMEOUT_S,
                   "the survivor to expire the groups after the lease holder died")
        self.assertEqual(expired_total(other), 5)
        self.assertEqual(self.redis.command("HLEN", "ferry:groups"), 0)

    def test_expiry_never_undoes_a_push_committed_on_another_replica(self):
        """Groups with a 300 ms TTL are pushed again and again on both replicas, so expiries are
        planned while pushes to the same groups commit elsewhere. After every acknowledged push
        the acknowledging replica must serve the group until its deadline: an expiry that was
        planned before the push and committed after it would remove it early."""
        stop_at = time.monotonic() + 12
        checked, failures, lock = [0], [], threading.Lock()

        def pusher(w):
            rng = random.Random(w)
            for i in range(150):
                if time.monotonic() > stop_at:
                    return
                srv = self.replicas[(w + i) % 2]
                # Each thread its own groups: pushes to one group are then answered in order,
                # and each one's deadline is the group's latest.
                job = "race%d_%d" % (w, rng.randrange(2))
                r = srv.push("PUT", "/job/" + job, b"race_value %d\n" % i,
                             headers={"Ferry-TTL": "300ms"})
                if r.status != 200:
                    with lock:
                        failures.append("push: %r" % r)
                    return
                deadline = expires_unix(r.header("Ferry-Expires"))
                served = job in jobs_served(srv)
                # Only a scrape answered before the deadline proves anything.
                if time.time() < deadline:
                    with lock:
                        checked[0] += 1
                        if not served:
                            failures.append("%s gone from a replica before its deadline" % job)
                time.sleep(rng.uniform(0.1, 0.4))
        threads = [threading.Thread(target=pusher, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(failures, [], "\n" + self.extra_logs()[-3000:])
        self.assertGreater(checked[0], 20, "too few pushes checked before their deadline")
        expired = sum(expired_total(s) for s in self.replicas)
        self.assertGreater(expired, 0, "no group expired between pushes: the test raced nothing")
        wait_until(lambda: not any(jobs_served(s) for s in self.replicas), EXPIRY_TIMEOUT_S,
                   "every group to expire once the pushes stopped")
        self.assertEqual(self.redis.command("HLEN", "ferry:groups"), 0)
        print("expiry race: %d pushes checked before their deadline, %d expiries"
              % (checked[0], expired), file=sys.stderr)


class TtlHideOnReplicasTest(ReplicaTestCase):
    REPLICAS = 2
    CONFIG = {"lifecycle": {"ttl": {"min": "0s"}, "expired": "hide"}}

    def group(self, srv, job):
        r = srv.get("/api/v1/groups?limit=100")
        self.assertEqual(r.status, 200, r)
        for g in json.loads(r.body)["data"]["groups"]:
            if g["labels"].get("job") == job:
                return g
        return None

    def test_hidden_on_every_replica_and_revived_by_a_push_to_another(self):
        a, b = self.replicas
        self.assertEqual(a.push("PUT", "/job/hid", b"hide_value 1\n",
                                headers={"Ferry-TTL": "1s"}).status, 200)
        wait_until(lambda: all((self.group(s, "hid") or {}).get("expired") for s in self.replicas),
                   EXPIRY_TIMEOUT_S, "both replicas to show the group expired")
        for srv in self.replicas:
            self.assertNotIn("hid", jobs_served(srv))
        self.assertEqual(sum(expired_total(s) for s in self.replicas), 1)
        self.assertEqual(b.push("PUT", "/job/hid", b"hide_value 2\n").status, 200)
        state = self.assert_converged(what="the revived group on both replicas")
        self.assertIn('hide_value{instance="",job="hid"} 2', state)
        self.assertFalse(self.group(a, "hid")["expired"])


if __name__ == "__main__":
    unittest.main()
