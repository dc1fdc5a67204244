"""A store that cannot grow, against the real binary: Ferry runs under a file-size limit
(the soft RLIMIT_FSIZE, set with prlimit, as a quota or `ulimit -f` would), the pushes that would grow the
store past it get 500 with the reason and a log line, Ferry keeps running (the kernel's default
answer to such a write is SIGXFSZ, which kills the process), nothing acknowledged is lost, and
pushes succeed again once the limit is raised.

Runs on the `file` snapshot plugin (--persistence.interval=0s, so every push is saved before it
is answered) and on `sqlite`.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import Server, ServerTestCase, is_pushgateway, wait_until  # noqa: E402

PRLIMIT = shutil.which("prlimit") or "/usr/bin/prlimit"
LIMIT_BYTES = 400000     # the store reaches it after about 100 of the pushes below
MAX_PUSHES = 400         # bound of the push loop
SERIES_PER_PUSH = 100


class LimitedServer(Server):
    """A Ferry started under prlimit --fsize."""

    def __init__(self, *args, limit):
        super().__init__(*args)
        self.limit = limit

    def argv(self, port):
        # The server runs in its own working directory: the binary's path must be absolute.
        argv = super().argv(port)
        return [PRLIMIT, "--fsize=%d:unlimited" % self.limit, "--", os.path.abspath(argv[0])] + argv[1:]


def body(group, value):
    return "".join('fsl_value{s="%d"} %d\n' % (i, value) for i in range(SERIES_PER_PUSH)).encode()


class FileSizeLimitTests:
    BACKEND = None

    def setUp(self):
        if is_pushgateway():
            self.skipTest("Ferry's durable storage plugins")
        self.assertTrue(os.access(PRLIMIT, os.X_OK), "prlimit (util-linux) is missing")
        self.dir = tempfile.mkdtemp(prefix="ferry-fsize-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def start(self, limit=None):
        srv = LimitedServer(*self.storage_args(), limit=limit) if limit else \
            Server(*self.storage_args())
        self.addCleanup(srv.cleanup)
        return srv.start()

    def test_pushes_past_the_limit_fail_and_ferry_recovers(self):
        srv = self.start(limit=LIMIT_BYTES)
        acked, refused = {}, 0
        for g in range(MAX_PUSHES):
            r = srv.push("PUT", "/job/fsl/instance/g%d" % g, body(g, g))
            if r.status == 200:
                acked[g] = g
                continue
            self.assertEqual(r.status, 500, r)
            self.assertIn("storage write failed", r.text)
            self.assertIn(self.REASON, r.text)
            refused += 1
            last_refused = g
            if refused == 5:
                break
        self.assertTrue(srv.alive(), "Ferry died at the file-size limit:\n" + srv.log_tail())
        self.assertEqual(refused, 5, "the store never reached the limit")
        self.assertGreater(len(acked), 0)
        self.assertIn('level=error msg="storage write failed', srv.log_tail())
        # The scrape and the API still answer while the store is full, without the refused push.
        self.assertEqual(srv.get("/metrics").status, 200)
        self.assertIsNone(srv.api_group({"job": "fsl", "instance": "g%d" % last_refused}))

        # The condition clears: the same Ferry stores pushes again.
        subprocess.run([PRLIMIT, "--pid", str(srv.proc.pid), "--fsize=unlimited:unlimited"], check=True)
        after = MAX_PUSHES + 1
        r = srv.push("PUT", "/job/fsl/instance/g%d" % after, body(after, after))
        self.assertEqual(r.status, 200, r)
        acked[after] = after

        srv.proc.kill()  # nothing acknowledged may be lost, even to kill -9
        srv.proc.wait(10)
        srv = self.start()
        values = {}
        for group in srv.api_metrics():
            inst = group["labels"].get("instance", "")
            if group["labels"].get("job") == "fsl":
                values[int(inst[1:])] = float(group["fsl_value"]["metrics"][0]["value"])
        for g, v in acked.items():
            self.assertEqual(values.get(g), v, "acknowledged push g%d" % g)
        wait_until(lambda: srv.get("/-/ready").status == 200, 5, "ready")


@unittest.skipIf(is_pushgateway(), "Ferry's storage plugins")
class FileBackendFileSizeLimitTest(FileSizeLimitTests, ServerTestCase):
    REASON = "File too large"

    CLASS_SERVER = False  # every test starts its own server

    def storage_args(self):
        return ("--persistence.file=" + os.path.join(self.dir, "ferry.snapshot"),
                "--persistence.interval=0s")


@unittest.skipIf(is_pushgateway(), "Ferry's storage plugins")
class SqliteBackendFileSizeLimitTest(FileSizeLimitTests, ServerTestCase):
    REASON = "sqlite database"

    CLASS_SERVER = False  # every test starts its own server

    def storage_args(self):
        config = os.path.join(self.dir, "ferry.json")
        if not os.path.exists(config):
            with open(config, "w") as f:
                json.dump({"storage": {"plugin": "sqlite", "config": {
                    "path": os.path.join(self.dir, "ferry.db")}}}, f)
        return ("--config.file=" + config,)


if __name__ == "__main__":
    unittest.main()
