"""Several Ferry replicas on one Redis (the redis plugin's shared store, ABI 1.2).

Every test starts a real redis-server (AOF, appendfsync always) and Ferry replicas on free
ports, each with its own directory; everything is stopped by PID at the end. Loops are bounded
in count and in time.
"""

import collections
import json
import os
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import Server, free_port, parse_text, wait_until  # noqa: E402
from redis_harness import RedisProcess, redis_server  # noqa: E402

CONVERGE_TIMEOUT_S = 10.0
OWN_PREFIXES = ("ferry_", "process_", "pushgateway_http_")


def pushed_lines(text):
    """The exposition without the replica's own metrics (those differ between replicas)."""
    keep = []
    for line in text.splitlines():
        name = line.split(" ")[2] if line.startswith("#") and len(line.split(" ")) > 2 else line
        if not name.startswith(OWN_PREFIXES):
            keep.append(line)
    return "\n".join(keep)


class ReplicaTestCase(unittest.TestCase):
    REPLICAS = 3
    CONFIG = {}  # more of the config file, beside "storage"

    def setUp(self):
        self.redis = redis_server(self)
        self.config = os.path.join(self.redis.dir, "ferry.json")
        with open(self.config, "w") as f:
            json.dump(dict(self.CONFIG, storage={"plugin": "redis", "config": {
                "url": self.redis.url, "timeouts": {"connect": "500ms", "command": "2s"}}}), f)
        self.replicas = [self.start_replica() for _ in range(self.REPLICAS)]

    def start_replica(self):
        srv = Server("--config.file=" + self.config)
        self.addCleanup(srv.cleanup)
        return srv.start()

    def scrape_text(self, srv):
        r = srv.get("/metrics")
        self.assertEqual(r.status, 200, r.text)
        return pushed_lines(r.text)

    def assert_converged(self, replicas=None, what="replicas"):
        replicas = replicas or self.replicas

        def same():
            texts = [self.scrape_text(s) for s in replicas]
            return all(t == texts[0] for t in texts)
        wait_until(same, CONVERGE_TIMEOUT_S, what + " to serve the same pushed state")
        return self.scrape_text(replicas[0])

    def extra_logs(self):
        return "\n".join(s.log_tail() for s in self.replicas)


class ReplicasOnOneRedisTest(ReplicaTestCase):

    def test_pushes_deletes_and_wipes_on_any_replica_reach_every_replica(self):
        for i in range(30):
            srv = self.replicas[i % 3]
            method = "PUT" if i % 2 else "POST"
            r = srv.push(method, "/job/j%d/instance/i" % (i % 10),
                         b"# TYPE spread_total counter\nspread_total{n=\"%d\"} %d\n" % (i, i))
            self.assertEqual(r.status, 200, r.text)
            # Read-your-writes: the replica that answered serves the push already.
            self.assertIn('n="%d"' % i, srv.get("/metrics").text)
        state = self.assert_converged()
        self.assertEqual(state.count("spread_total{"), 10)  # one per group: the last push
        self.assertEqual(self.replicas[1].delete("/metrics/job/j3/instance/i").status, 202)
        state = self.assert_converged(what="a DELETE")
        self.assertNotIn('job="j3"', state)
        self.assertEqual(self.replicas[2].put("/api/v1/admin/wipe").status, 202)
        state = self.assert_converged(what="a wipe")
        self.assertNotIn("spread_total", state)
        for srv in self.replicas:
            self.assertIn("ferry_storage_up 1", srv.get("/metrics").text)

    def test_conflicting_concurrent_pushes_to_two_replicas_exactly_one_wins(self):
        a, b = self.replicas[0], self.replicas[1]
        rounds = 200
        for n in range(rounds):
            results = {}
            barrier = threading.Barrier(2)

            def push(srv, name, kind, key):
                barrier.wait(5)
                r = srv.push("PUT", "/job/%s%d" % (name, n), b"# TYPE c%d %s\nc%d 1\n" % (n, kind, n))
                results[key] = r.status
                results[key + "_text"] = r.text
            threads = [threading.Thread(target=push, args=(a, "g", b"gauge", "a")),
                       threading.Thread(target=push, args=(b, "k", b"counter", "b"))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            self.assertEqual(sorted([results["a"], results["b"]]), [200, 400],
                             "round %d: %r\n%s" % (n, results, b.log_tail()[-3000:]))
        state = self.assert_converged([a, b])
        families = parse_text(state + "\n").families
        for n in range(rounds):
            self.assertIn(families["c%d" % n].type, ("gauge", "counter"))

    def test_kill_9_of_a_replica_loses_no_acknowledged_push(self):
        acked, lock, stop, total = {}, threading.Lock(), threading.Event(), [0]
        unanswered = collections.defaultdict(list)  # group -> values pushed with no answer

        def pusher(w):
            for i in range(400):
                if stop.is_set():
                    return
                srv = self.replicas[(w + i) % 3]
                try:
                    r = srv.push("PUT", "/job/k%d/instance/%d" % (w, i % 50),
                                 b"kill_value %d\n" % i, timeout=5)
                except OSError:
                    with lock:
                        unanswered[(w, i % 50)].append(i)
                    continue
                if r.status == 200:
                    with lock:
                        acked[(w, i % 50)] = i
                        total[0] += 1
        threads = [threading.Thread(target=pusher, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        self.replicas[2].proc.send_signal(signal.SIGKILL)
        time.sleep(1.0)
        stop.set()
        for t in threads:
            t.join(60)
        self.replicas[2] = self.start_replica()
        self.assert_converged(what="survivors and the restarted replica")
        samples = parse_text(self.replicas[0].get("/metrics").text).find("kill_value")
        served = {(int(s.labels["job"][1:]), int(s.labels["instance"])): s.value
                  for s in samples}

        def may_serve(group):
            """The acknowledged value, or that of a later push that got no answer: the replica
            killed while the push was in flight may have committed it to Redis before it died.
            Never an older value."""
            return {acked[group]} | {i for i in unanswered[group] if i > acked[group]}
        lost = [k for k in acked if served.get(k) not in may_serve(k)]
        self.assertGreater(len(acked), 50, "too few acknowledged pushes to test")
        self.assertEqual(lost, [], "%d of %d acknowledged groups lost\n%s" % (
            len(lost), len(acked),
            "\n".join("group %r: acknowledged %r, served %r; pushed with no answer: %r"
                      % (k, acked[k], served.get(k), unanswered[k]) for k in lost)))
        print("kill -9 of a replica: %d acknowledged pushes (%d groups), 0 lost"
              % (total[0], len(acked)), file=sys.stderr)

    def test_feed_gap_under_a_stopped_replica_resyncs(self):
        c = self.replicas[2]
        self.assertEqual(self.replicas[0].push("PUT", "/job/before", b"gap_value 1\n").status, 200)
        self.assert_converged()
        os.kill(c.proc.pid, signal.SIGSTOP)
        try:
            for i in range(20):
                self.assertEqual(self.replicas[i % 2].push(
                    "PUT", "/job/during%d" % i, b"gap_value %d\n" % i).status, 200)
            self.assertEqual(self.replicas[0].delete("/metrics/job/before").status, 202)
            self.redis.command("XTRIM", "ferry:feed", "MAXLEN", "0")
        finally:
            os.kill(c.proc.pid, signal.SIGCONT)
        state = self.assert_converged(what="the replica that missed trimmed commits")
        self.assertNotIn('job="before"', state)
        self.assertIn("feed cannot continue", c.log_tail())
        wait_until(lambda: c.get("/-/ready").status == 200, 10, "the resynced replica ready")

    def test_redis_restart_replicas_follow_again_without_a_restart(self):
        a, b = self.replicas[0], self.replicas[1]
        self.assertEqual(a.push("PUT", "/job/r1", b"restart_value 1\n").status, 200)
        self.assert_converged()
        self.redis.kill()
        r = a.push("PUT", "/job/r2", b"restart_value 2\n")
        self.assertEqual(r.status, 503, r.text)
        self.assertIn('job="r1"} 1', b.get("/metrics").text, "scrapes keep serving")
        wait_until(lambda: "ferry_storage_up 0" in b.get("/metrics").text, 10,
                   "ferry_storage_up 0 while Redis is down")
        # The lag says how long the replica has not known the store's state.
        wait_until(lambda: b.scrape().value("ferry_storage_feed_lag_seconds") >= 1.0, 10,
                   "ferry_storage_feed_lag_seconds to grow while Redis is down")
        # A replica that starts now has no state to serve: up (healthy), but not ready.
        late = Server("--config.file=" + self.config)
        self.addCleanup(late.cleanup)
        late.port = free_port()
        late.proc = subprocess.Popen(late.argv(late.port), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: self.answers(late, "/-/healthy") == 200, 20, "the late replica up")
        r = late.get("/-/ready")
        self.assertEqual(r.status, 503, r.text)
        self.assertIn("taking the state of the shared store", r.text)
        self.assertEqual(late.push("PUT", "/job/r4", b"restart_value 4\n").status, 503)
        self.redis.start()
        wait_until(lambda: b.push("PUT", "/job/r3", b"restart_value 3\n").status == 200, 20,
                   "pushes to succeed again")
        wait_until(lambda: self.answers(late, "/-/ready") == 200, 20, "the late replica ready")
        self.replicas.append(late)
        state = self.assert_converged(what="replicas after the Redis restart")
        self.assertIn('restart_value{instance="",job="r3"} 3', state)
        self.assertNotIn('job="r2"', state)
        self.assertNotIn('job="r4"', state)
        for srv in self.replicas:
            wait_until(lambda: srv.scrape().value("ferry_storage_feed_lag_seconds") == 0, 10,
                       "ferry_storage_feed_lag_seconds back to 0")
            self.assertEqual(srv.scrape().value("ferry_storage_up"), 1)

    @staticmethod
    def answers(srv, path):
        try:
            return srv.get(path, timeout=1.0).status
        except OSError:
            return None


class SentinelFailoverTest(unittest.TestCase):
    """A Redis primary, one Redis replica and three sentinels; two Ferry replicas commit with
    WAIT 1. kill -9 of the primary during pushes: once Sentinel promoted the replica (and the old
    primary is back as its replica, so WAIT 1 can succeed), pushes resume, and no acknowledged
    push is lost."""

    def start(self, process):
        self.addCleanup(process.cleanup)
        return process.start()

    def test_failover_with_wait_1_loses_no_acknowledged_push(self):
        primary = self.start(RedisProcess({"repl-diskless-sync-delay": 0}))
        self.start(RedisProcess({"replicaof": "127.0.0.1 %d" % primary.port,
                                 "repl-diskless-sync-delay": 0}))
        # Sentinel promotes only a replica that has synced; WAIT 1 needs one too.
        wait_until(lambda: b"state=online" in primary.command("INFO", "replication"), 20,
                   "the Redis replica to sync")
        sentinels = [self.start(RedisProcess(sentinel_of=("mymaster", primary.port, 2)))
                     for _ in range(3)]
        config = os.path.join(primary.dir, "ferry.json")
        with open(config, "w") as f:
            json.dump({"storage": {"plugin": "redis", "config": {
                "url": "redis:///0",
                "sentinel": {"master": "mymaster", "addresses": [s.address for s in sentinels]},
                "wait": {"replicas": 1, "timeout": "2s"},
                "timeouts": {"connect": "500ms", "command": "2s"}}}}, f)
        replicas = []
        for _ in range(2):
            srv = Server("--config.file=" + config)
            self.addCleanup(srv.cleanup)
            replicas.append(srv.start())
        acked, lock, stop, total = {}, threading.Lock(), threading.Event(), [0]
        after_kill = [0]
        killed = threading.Event()
        outcomes = {}  # group -> [(value, status or the client's error)], in order

        def pusher(w):
            for i in range(2000):
                if stop.is_set():
                    return
                group = (w, i % 40)
                try:
                    r = replicas[(w + i) % 2].push("PUT", "/job/f%d/instance/%d" % group,
                                                   b"failover_value %d\n" % i, timeout=10)
                except OSError as e:
                    with lock:
                        outcomes.setdefault(group, []).append((i, repr(e)))
                    continue
                with lock:
                    outcomes.setdefault(group, []).append((i, r.status, r.text.strip()[:200]))
                if r.status == 200:
                    with lock:
                        acked[group] = i
                        total[0] += 1
                        if killed.is_set():
                            after_kill[0] += 1
                else:
                    time.sleep(0.05)
        threads = [threading.Thread(target=pusher, args=(w,)) for w in range(2)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        primary.kill()
        killed.set()
        # WAIT 1 needs a replica of the new primary: bring the old one back, and Sentinel
        # makes it one.
        old = str(primary.port).encode()
        wait_until(lambda: sentinels[0].command(
            "SENTINEL", "get-master-addr-by-name", "mymaster")[1] != old, 30, "the failover")
        primary.start()
        deadline = time.monotonic() + 45
        while after_kill[0] < 20 and time.monotonic() < deadline:
            time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join(60)
        self.assertGreaterEqual(after_kill[0], 20, "pushes did not resume after the failover:\n"
                                + "\n".join(replicas[0].log_tail().splitlines()[-25:]))

        def may_serve(group):
            """The acknowledged value, or that of a later push whose outcome the client could
            not know: a 503 from the store (WAIT not confirmed in time, or the connection
            broke after the commit was sent: Redis may hold it, and cannot take it back) or no
            answer at all. Never an older value, nor one refused for another reason."""
            values = {acked[group]}
            for outcome in outcomes[group]:
                if outcome[0] > acked[group] and (
                        len(outcome) == 2 or (outcome[1] == 503 and "storage" in outcome[2])):
                    values.add(outcome[0])
            return values

        def all_there(srv):
            samples = parse_text(srv.get("/metrics").text).find("failover_value")
            served = {(int(s.labels["job"][1:]), int(s.labels["instance"])): s.value
                      for s in samples}
            return [k for k in acked if served.get(k) not in may_serve(k)]
        for n, srv in enumerate(replicas):
            lost = []
            try:
                wait_until(lambda: not all_there(srv), CONVERGE_TIMEOUT_S, "acked pushes served")
            except AssertionError:
                lost = all_there(srv)
            samples = parse_text(srv.get("/metrics").text).find("failover_value")
            served = {(int(s.labels["job"][1:]), int(s.labels["instance"])): s.value
                      for s in samples}
            details = "\n".join("group %r: acknowledged %r, served %r on replica %d; pushes: %r"
                                % (k, acked[k], served.get(k), n, outcomes[k][-6:])
                                for k in lost)
            self.assertEqual(lost, [], "%d of %d acknowledged groups lost\n%s\n%s"
                             % (len(lost), len(acked), details,
                                "\n".join(srv.log_tail().splitlines()[-40:])))
        unconfirmed = sum(1 for k in acked for o in outcomes[k] if o[0] > acked[k])
        print("sentinel failover (WAIT 1): %d acknowledged pushes (%d groups), 0 lost; %d later "
              "pushes with an unknown outcome" % (total[0], len(acked), unconfirmed),
              file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
