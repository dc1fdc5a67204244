"""Durable storage against the real binary: no acknowledged push is lost to kill -9, a clean
restart keeps the whole state, and a damaged store stops Ferry at start without being touched.

Each backend is one subclass of DurabilityTests: `file` (the snapshot plugin that
--persistence.file selects, here with --persistence.interval=0s so every push is durable before
it is answered), `sqlite` (write-through) and `redis` (a real redis-server with AOF and
appendfsync always, started per test). A backend whose plugin is not built fails.
"""

import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import (PROTO_CT, Server, ServerTestCase, free_port,  # noqa: E402
                           is_pushgateway, pb_delimited, pb_family, pb_metric, server_binary,
                           wait_until)
from redis_harness import redis_server  # noqa: E402

PLUGIN_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(server_binary()))),
                          "lib", "ferry", "plugins")

CRASH_RUNS = 20          # kill -9 cycles per backend
CRASH_GROUPS = 1000      # distinct groups pushed per cycle (at most; the kill cuts it short)
CRASH_CLIENTS = 4        # concurrent pushers
CRASH_MAX_DELAY_S = 1.5  # the kill comes at a random moment in [0.05, this] after the start
START_FAILURE_TIMEOUT_S = 10

OWN_METRIC = re.compile(r"^(ferry_|pushgateway_|process_|go_)")


def plugin_built(name):
    return os.path.isfile(os.path.join(PLUGIN_DIR, "storage-%s.so" % name))


def own_state(srv):
    """Everything a restart must keep: the scrape without Ferry's own metrics, and the JSON API
    groups (which carry push times, failure times and last_push_successful)."""
    r = srv.get("/metrics")
    assert r.status == 200, r
    scrape = [line for line in r.text.splitlines()
              if not OWN_METRIC.match(line.split(" ", 3)[2] if line.startswith("#") else line)]
    groups = sorted(srv.api_metrics(), key=lambda g: json.dumps(g["labels"], sort_keys=True))
    return scrape, groups


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Pusher(threading.Thread):
    """Pushes its share of one cycle's groups over one keep-alive connection and records each
    group whose push was answered 200 (the acknowledgement) before the server died."""

    def __init__(self, srv, cycle, indexes, acked, lock):
        super().__init__(daemon=True)
        self.srv, self.cycle, self.indexes = srv, cycle, indexes
        self.acked, self.lock = acked, lock
        self.unexpected = []

    def run(self):
        for i in self.indexes:
            body = ("# TYPE crash_value gauge\ncrash_value{cycle=\"%d\"} %d.25\n"
                    "crash_total %d\n" % (self.cycle, i, self.cycle * 100000 + i)).encode()
            try:
                r = self.srv.put("/metrics/job/crash/instance/c%d-g%d" % (self.cycle, i), body,
                                 timeout=5)
            except OSError:
                return  # the server is gone: this push and the rest were never acknowledged
            if r.status != 200:
                self.unexpected.append((i, r.status, r.body[:200]))
                return
            with self.lock:
                self.acked[(self.cycle, i)] = (float(i) + 0.25, float(self.cycle * 100000 + i))


class DurabilityTests:
    """Mixed into one TestCase per backend; subclasses set BACKEND and storage_args()."""

    BACKEND = None

    def setUp(self):
        if is_pushgateway():
            self.skipTest("Ferry's durable storage plugins")
        self.assertTrue(plugin_built(self.BACKEND),
                        "storage plugin %r is not built (%s)" % (self.BACKEND, PLUGIN_DIR))
        self.dir = tempfile.mkdtemp(prefix="ferry-durable-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def start(self):
        return self.start_server(*self.storage_args())

    def expect_start_failure(self, *storage_args):
        """Starts Ferry on the store (or on storage_args instead) and expects it to exit non-zero
        at once; returns its output."""
        argv = [server_binary(), "--web.listen-address=127.0.0.1:0",
                *(storage_args or self.storage_args())]
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=START_FAILURE_TIMEOUT_S)
        out = proc.stdout.decode("utf-8", "replace")
        self.assertNotEqual(proc.returncode, 0, "Ferry started on a damaged store:\n" + out)
        return out

    # ---- kill -9 ---------------------------------------------------------------------------

    def test_no_acknowledged_push_is_lost_to_kill_9(self):
        rng = random.Random(int(os.environ.get("FERRY_CRASH_SEED", "0")) or None)
        acked, lock = {}, threading.Lock()
        for cycle in range(CRASH_RUNS):
            srv = self.start()
            self.assert_acked_present(srv, acked, "after restart %d" % cycle)
            share = [list(range(CRASH_GROUPS))[k::CRASH_CLIENTS] for k in range(CRASH_CLIENTS)]
            pushers = [Pusher(srv, cycle, idx, acked, lock) for idx in share]
            for p in pushers:
                p.start()
            time.sleep(rng.uniform(0.05, CRASH_MAX_DELAY_S))
            srv.proc.kill()  # SIGKILL, while pushes are in flight
            srv.proc.wait(10)
            for p in pushers:
                p.join(10)
                self.assertFalse(p.is_alive(), "a pusher did not stop")
                self.assertEqual(p.unexpected, [], "pushes answered with an unexpected status")
        srv = self.start()
        self.assert_acked_present(srv, acked, "after the last restart")
        self.assertGreater(len(acked), 0, "no push was acknowledged in %d cycles" % CRASH_RUNS)
        sys.stderr.write("\n%s: %d acknowledged pushes over %d kill -9 cycles, none lost\n"
                         % (self.BACKEND, len(acked), CRASH_RUNS))

    def assert_acked_present(self, srv, acked, when):
        with_lock = dict(acked)
        found = {}
        for g in srv.api_metrics():
            inst = g["labels"].get("instance", "")
            m = re.fullmatch(r"c(\d+)-g(\d+)", inst)
            if g["labels"].get("job") != "crash" or not m:
                continue
            value = float(g["crash_value"]["metrics"][0]["value"])
            total = float(g["crash_total"]["metrics"][0]["value"])
            found[(int(m.group(1)), int(m.group(2)))] = (value, total)
        lost = [k for k in with_lock if k not in found]
        wrong = [(k, found[k], v) for k, v in with_lock.items() if k in found and found[k] != v]
        self.assertEqual(lost, [], "%s: %d acknowledged groups lost" % (when, len(lost)))
        self.assertEqual(wrong, [], "%s: groups with other values than acknowledged" % when)

    # ---- clean restart ---------------------------------------------------------------------

    def test_clean_restart_keeps_the_whole_state(self):
        srv = self.start()
        conformance = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))), "..", "shared", "conformance", "pgw_conformance.py")
        if os.path.isfile(conformance):
            # The shared suite passes on the durable backend too (it deletes what it pushed).
            proc = subprocess.run([sys.executable, conformance, "--url", "http://" + srv.address,
                                   "--max-seconds", "100"], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
            out = proc.stdout.decode("utf-8", "replace")
            self.assertRegex(out.strip().splitlines()[-1], r"^\d+ passed, 0 failed$", out)
        self.push_rich_state(srv)
        before = own_state(srv)
        self.assertGreaterEqual(len(before[1]), 5, "the state to keep is too small to test")
        self.assertEqual(srv.stop(), 0)
        srv = self.start()
        self.assertEqual(own_state(srv), before)
        # And once more after a kill -9 (nothing was pushed in between).
        srv.proc.kill()
        srv.proc.wait(10)
        self.assertEqual(own_state(self.start()), before)

    def push_rich_state(self, srv):
        """The kinds of state the conformance suite creates: every metric type, HELP and label
        escaping, base64 and empty grouping label values, empty groups, protobuf pushes, and
        failed pushes (push_failure_time_seconds, last_push_successful=false)."""
        text = (
            "# HELP r_counter_total A counter with \\\\ and \\n in its help.\n"
            "# TYPE r_counter_total counter\n"
            "r_counter_total{path=\"/a\\\"b\\\\c\\nd\"} 17\n"
            "# TYPE r_gauge gauge\nr_gauge -1.5e-7\nr_gauge_nan NaN\n"
            "# TYPE r_hist histogram\n"
            "r_hist_bucket{le=\"0.5\"} 2\nr_hist_bucket{le=\"1\"} 3\nr_hist_bucket{le=\"+Inf\"} 4\n"
            "r_hist_sum 3.25\nr_hist_count 4\n"
            "# TYPE r_sum summary\nr_sum{quantile=\"0.5\"} 1\nr_sum{quantile=\"0.99\"} +Inf\n"
            "r_sum_sum 10\nr_sum_count 5\n"
            "r_untyped{a=\"1\",b=\"2\"} 3\n")
        pushes = [
            ("PUT", "/job/rich/instance/one", text, None),
            ("PUT", "/job/rich/path@base64/L3Zhci9saWIvZmVycnk=", "# TYPE r_gauge gauge\nr_gauge 1\n",
             None),
            ("PUT", "/job/rich/zone@base64/=", "# TYPE r_gauge gauge\nr_gauge 2\n", None),
            ("PUT", "/job/rich-empty", "", None),
            ("POST", "/job/rich/instance/one", "# TYPE r_gauge gauge\nr_gauge 42\n", None),
            ("PUT", "/job/rich-proto/instance/p", pb_delimited([
                pb_family("r_proto", 1, [pb_metric(labels=[("x", "y")], gauge=2.5)],
                          help="From protobuf.")]), PROTO_CT),
        ]
        for method, path, body, ct in pushes:
            r = srv.push(method, path, body.encode() if isinstance(body, str) else body, ct)
            self.assertStatus(r, (200, 202), "%s %s" % (method, path))
        # A failed push (type clash) leaves a failure time on an existing group.
        r = srv.push("PUT", "/job/rich/instance/two", "# TYPE r_gauge counter\nr_gauge 1\n")
        self.assertStatus(r, 400, "type clash")
        r = srv.push("PUT", "/job/rich/instance/one", "garbage{\n")
        self.assertStatus(r, 400, "garbage")
        self.assertStatus(srv.delete("/metrics/job/rich/zone@base64/="), 202)

    # ---- one store, one process -------------------------------------------------------------

    def test_second_ferry_on_the_same_store_is_refused(self):
        srv = self.start()
        self.assertStatus(srv.push("PUT", "/job/owner/instance/i", b"owner_value 1\n"), 200)
        out = self.expect_start_failure()
        self.assertIn("in use by another Ferry (pid %d)" % srv.proc.pid, out)
        self.assertTrue(srv.alive())
        self.assertEqual(srv.scrape().value("owner_value", job="owner", instance="i"), 1)
        # kill -9 leaves the lock file behind, but not the lock: a restart opens the store.
        srv.proc.kill()
        srv.proc.wait(10)
        self.assertEqual(self.start().scrape().value("owner_value", job="owner", instance="i"), 1)

    # ---- damaged stores --------------------------------------------------------------------

    def damaged_store_refused(self, path, damage):
        """Makes a real store, damages it with damage(path), and checks that Ferry refuses to
        start with a message naming the file, leaving it byte for byte as it was."""
        srv = self.start()
        self.assertStatus(srv.push("PUT", "/job/d/instance/i", b"d_value 1\n"), 200)
        self.assertEqual(srv.stop(), 0)
        damage(path)
        before = sha256(path) if os.path.isfile(path) else None
        out = self.expect_start_failure()
        self.assertIn(os.path.basename(path), out)
        if before is not None:
            self.assertEqual(sha256(path), before, "the damaged store was modified")
        return out


class FileBackendTest(DurabilityTests, ServerTestCase):
    BACKEND = "file"
    CLASS_SERVER = False  # every test starts its own server

    @property
    def store_path(self):
        return os.path.join(self.dir, "ferry.snap")

    def storage_args(self):
        return ("--persistence.file=" + self.store_path, "--persistence.interval=0s")

    def test_truncated_snapshot_is_refused_and_kept(self):
        def truncate(p):
            size = os.path.getsize(p)
            with open(p, "r+b") as f:
                f.truncate(size // 2)
        self.damaged_store_refused(self.store_path, truncate)

    def test_garbage_snapshot_is_refused_and_kept(self):
        def garbage(p):
            with open(p, "wb") as f:
                f.write(os.urandom(4096))
        self.damaged_store_refused(self.store_path, garbage)

    def test_flipped_byte_is_refused_and_kept(self):
        def flip(p):
            with open(p, "r+b") as f:
                data = bytearray(f.read())
                data[len(data) * 2 // 3] ^= 0x40
                f.seek(0)
                f.write(data)
        self.damaged_store_refused(self.store_path, flip)

    def test_empty_snapshot_is_refused_and_kept(self):
        self.damaged_store_refused(self.store_path, lambda p: open(p, "wb").close())

    def test_snapshot_of_a_newer_format_version_is_refused_and_kept(self):
        # A well-formed snapshot from a future Ferry: version 2 with valid checksums
        # (plugins/file/snapshot_format.h: version u32 at 8, header CRC-32 of bytes 0..31 at 32,
        # file CRC-32 in the last 4 bytes).
        def newer(p):
            with open(p, "r+b") as f:
                data = bytearray(f.read())
                data[8:12] = (2).to_bytes(4, "little")
                data[32:36] = zlib.crc32(bytes(data[:32])).to_bytes(4, "little")
                data[-4:] = zlib.crc32(bytes(data[:-4])).to_bytes(4, "little")
                f.seek(0)
                f.write(data)
        out = self.damaged_store_refused(self.store_path, newer)
        self.assertIn("version", out)

    def test_unreadable_snapshot_is_refused(self):
        # Tests run as root, for whom permission bits do not stop a read: a directory in the
        # snapshot's place is the unreadable file here.
        def unreadable(p):
            os.remove(p)
            os.mkdir(p)
        self.damaged_store_refused(self.store_path, unreadable)
        self.assertTrue(os.path.isdir(self.store_path))

    def test_unwritable_location_fails_at_start(self):
        out = self.expect_start_failure("--persistence.file=" +
                                        os.path.join(self.dir, "missing", "dir", "f.snap"))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "missing")))
        self.assertIn("f.snap", out)


class SqliteBackendTest(DurabilityTests, ServerTestCase):
    BACKEND = "sqlite"

    CLASS_SERVER = False  # every test starts its own server

    @property
    def store_path(self):
        return os.path.join(self.dir, "ferry.db")

    def storage_args(self):
        config = os.path.join(self.dir, "ferry.json")
        if not os.path.exists(config):
            with open(config, "w") as f:
                json.dump({"storage": {"plugin": "sqlite", "config": {"path": self.store_path}}},
                          f)
        return ("--config.file=" + config,)

    def test_garbage_database_is_refused_and_kept(self):
        def garbage(p):
            for suffix in ("-wal", "-shm"):
                if os.path.exists(p + suffix):
                    os.remove(p + suffix)
            with open(p, "wb") as f:
                f.write(b"not a database" + os.urandom(8192))
        self.damaged_store_refused(self.store_path, garbage)

    def test_database_of_a_newer_schema_version_is_refused_and_kept(self):
        def newer(p):
            db = sqlite3.connect(p)
            db.execute("PRAGMA user_version = 999")
            db.commit()
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.close()
        out = self.damaged_store_refused(self.store_path, newer)
        self.assertIn("999", out)

    def test_corrupt_stored_group_is_refused(self):
        def corrupt(p):
            db = sqlite3.connect(p)
            tables = [r[0] for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
            table = next(t for t in tables
                         if "value" in [c[1] for c in db.execute("PRAGMA table_info(%s)" % t)])
            db.execute("UPDATE %s SET value = x'0a0bff'" % table)
            db.commit()
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.close()
        self.damaged_store_refused(self.store_path, corrupt)

    def test_unwritable_location_fails_at_start(self):
        config = os.path.join(self.dir, "bad.json")
        with open(config, "w") as f:
            json.dump({"storage": {"plugin": "sqlite", "config": {
                "path": os.path.join(self.dir, "missing", "dir", "f.db")}}}, f)
        self.assertIn("f.db", self.expect_start_failure("--config.file=" + config))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "missing")))


class RedisBackendTest(DurabilityTests, ServerTestCase):
    """The redis plugin: the store lives in a redis-server, not in files; "damaged" means a
    group in Redis that is not a Ferry group, and "cannot be opened" a Redis that is down."""

    BACKEND = "redis"

    CLASS_SERVER = False  # every test starts its own server

    def setUp(self):
        super().setUp()
        self.redis = redis_server(self)

    def storage_args(self):
        config = os.path.join(self.dir, "ferry.json")
        if not os.path.exists(config):
            with open(config, "w") as f:
                json.dump({"storage": {"plugin": "redis", "config": {
                    "url": self.redis.url, "timeouts": {"connect": "500ms"}}}}, f)
        return ("--config.file=" + config,)

    def test_second_ferry_on_the_same_store_is_refused(self):
        # Not for a store in a server: a second Ferry on the same Redis prefix starts and loads
        # what the first one stored.
        first = self.start()
        self.assertStatus(first.push("PUT", "/job/owner/instance/i", b"owner_value 1\n"), 200)
        second = self.start()
        self.assertEqual(second.scrape().value("owner_value", job="owner", instance="i"), 1)

    def test_corrupt_stored_group_is_skipped_logged_and_kept(self):
        # A replica of a shared store cannot refuse to start over one bad entry (the others keep
        # serving it): it skips the entry, says which one, and never rewrites it.
        srv = self.start()
        self.assertStatus(srv.push("PUT", "/job/d/instance/i", b"d_value 1\n"), 200)
        self.assertStatus(srv.push("PUT", "/job/e/instance/i", b"e_value 1\n"), 200)
        self.assertEqual(srv.stop(), 0)
        keys = self.redis.command("HKEYS", "ferry:groups")
        (key,) = [k for k in keys if b"d" in k.split(b"\xff")]
        self.redis.command("HSET", "ferry:groups", key, b"\x0a\x0b\xff")
        srv = self.start()
        state = srv.scrape()
        self.assertEqual(state.value("e_value", job="e", instance="i"), 1)
        self.assertEqual(state.find("d_value"), [])
        self.assertIn("cannot be decoded", srv.log_tail())
        self.assertEqual(self.redis.command("HGET", "ferry:groups", key), b"\x0a\x0b\xff")

    def test_redis_down_at_start_is_not_ready_until_it_is_up(self):
        self.redis.stop()
        srv = Server(*self.storage_args())
        self.addCleanup(srv.cleanup)
        srv.port = free_port()
        with open(srv.log_path, "ab") as log:
            srv.proc = subprocess.Popen(srv.argv(srv.port), stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT, cwd=srv.workdir)
        wait_until(lambda: self._status(srv, "/-/healthy") == 200, 20, "Ferry to answer")
        self.assertEqual(self._status(srv, "/-/ready"), 503)
        r = srv.push("PUT", "/job/x/instance/i", b"x_value 1\n")
        self.assertStatus(r, 503, "push while Redis is down")
        self.assertIn(self.redis.address, r.text)
        self.assertIn(self.redis.address, srv.log_tail())
        self.redis.start()
        wait_until(lambda: self._status(srv, "/-/ready") == 200, 20, "Ferry to become ready")
        self.assertStatus(srv.push("PUT", "/job/x/instance/i", b"x_value 1\n"), 200)

    @staticmethod
    def _status(srv, path):
        try:
            return srv.get(path, timeout=2.0).status
        except OSError:
            return None

    def test_redis_restart_fails_pushes_meanwhile_and_loses_nothing(self):
        srv = self.start()
        self.assertStatus(srv.push("PUT", "/job/r/instance/before", b"r_value 1\n"), 200)
        self.redis.kill()
        r = srv.push("PUT", "/job/r/instance/during", b"r_value 2\n")
        self.assertStatus(r, 503, "push while Redis is down")
        self.assertIn(self.redis.address, r.text)
        self.assertStatus(srv.delete("/metrics/job/r/instance/before"), 503, "delete while down")
        state = srv.scrape()
        self.assertEqual(state.value("r_value", job="r", instance="before"), 1,
                         "scrapes keep serving while Redis is down")
        wait_until(lambda: srv.scrape().value("ferry_storage_up") == 0, 10, "ferry_storage_up 0")
        self.redis.start()
        wait_until(lambda: srv.push("PUT", "/job/r/instance/after", b"r_value 3\n").status == 200,
                   20, "pushes to succeed again")
        wait_until(lambda: srv.scrape().value("ferry_storage_up") == 1, 10, "ferry_storage_up 1")
        self.assertEqual(srv.stop(), 0)
        state = self.start().scrape()
        self.assertEqual(state.value("r_value", job="r", instance="before"), 1)
        self.assertEqual(state.value("r_value", job="r", instance="after"), 3)
        self.assertEqual(state.find("r_value", instance="during"), [])

    def test_shipped_example_config_is_valid(self):
        example = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))), "config", "ferry-redis.json")
        with open(example) as f:
            text = f.read().replace("redis://127.0.0.1:6379/0", self.redis.url)
        config = os.path.join(self.dir, "example.json")
        with open(config, "w") as f:
            f.write(text)
        proc = subprocess.run([server_binary(), "--check-config", config],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=START_FAILURE_TIMEOUT_S)
        self.assertEqual(proc.returncode, 0, proc.stdout.decode("utf-8", "replace"))


if __name__ == "__main__":
    unittest.main()
