"""`ferry import-pushgateway FILE` on a file written just now by the real Pushgateway: after the
import, Ferry started on the imported storage scrapes exactly like that Pushgateway did, apart
from each server's own metrics (pushgateway_*, go_*, process_*, ferry_*).

Skipped when /usr/bin/prometheus-pushgateway is not installed, or when the `file` storage
plugin is not built.
"""

import os
import re
import subprocess
import sys
import tempfile
import shutil
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import Server, is_pushgateway, requires, server_binary  # noqa: E402
from pushgateway_fixture import PUSHGATEWAY, make_pushgateway_file  # noqa: E402

PLUGIN_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(server_binary()))),
                          "lib", "ferry", "plugins")
OWN_METRIC = re.compile(r"^(ferry_|pushgateway_|process_|go_)")
IMPORT_TIMEOUT_S = 60


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def without_own_metrics(text):
    return [line for line in text.splitlines()
            if not OWN_METRIC.match(line.split(" ", 3)[2] if line.startswith("#") else line)]


@unittest.skipIf(is_pushgateway(), "tests Ferry's import command")
@requires(os.access(PUSHGATEWAY, os.X_OK),
          "the Pushgateway at %s (Debian: apt-get install prometheus-pushgateway)" % PUSHGATEWAY)
@requires(os.path.isfile(os.path.join(PLUGIN_DIR, "storage-file.so")),
          "the file storage plugin in %s" % PLUGIN_DIR)
class ImportTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ferry-import-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.pushgateway_file = os.path.join(self.dir, "pushgateway.data")
        self.ferry_file = os.path.join(self.dir, "ferry.snapshot")

    def run_ferry(self, *args):
        return subprocess.run([server_binary(), "--plugins.dir=" + PLUGIN_DIR] + list(args),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=IMPORT_TIMEOUT_S)

    def import_file(self, source):
        return self.run_ferry("import-pushgateway", source,
                              "--persistence.file=" + self.ferry_file,
                              "--persistence.interval=0s")

    def test_scrape_after_import_equals_the_pushgateway_scrape(self):
        pushgateway_scrape = make_pushgateway_file(self.pushgateway_file)
        before = read_bytes(self.pushgateway_file)
        r = self.import_file(self.pushgateway_file)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "imported 5 groups (19 series) from %s into the file storage\n"
                         % self.pushgateway_file)
        self.assertEqual(read_bytes(self.pushgateway_file), before, "source modified")

        srv = Server("--persistence.file=" + self.ferry_file, "--persistence.interval=0s",
                     "--plugins.dir=" + PLUGIN_DIR)
        self.addCleanup(srv.cleanup)
        srv.start()
        r = srv.get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertEqual(without_own_metrics(r.text), without_own_metrics(pushgateway_scrape))
        srv.stop()

        # Again into the same storage: every group is replaced, with a warning per group.
        r = self.import_file(self.pushgateway_file)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("5 of them replaced stored groups", r.stdout)
        self.assertEqual(r.stderr.count("replaced a stored group with the imported one"), 5,
                         r.stderr)

    def test_a_bad_file_is_refused_and_nothing_is_written(self):
        make_pushgateway_file(self.pushgateway_file)
        data = read_bytes(self.pushgateway_file)
        cut = os.path.join(self.dir, "cut.data")
        with open(cut, "wb") as f:
            f.write(data[:len(data) // 2])
        r = self.import_file(cut)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"^ferry: error: import-pushgateway: .*cut\.data is not a "
                         r"readable Pushgateway persistence file: at offset \d+: ")
        self.assertFalse(os.path.exists(self.ferry_file), "the storage was opened")

    def test_ferry_started_on_a_pushgateway_file_migrates_it_and_keeps_a_backup(self):
        pushgateway_scrape = make_pushgateway_file(self.pushgateway_file)
        original = read_bytes(self.pushgateway_file)
        srv = Server("--persistence.file=" + self.pushgateway_file, "--persistence.interval=0s",
                     "--plugins.dir=" + PLUGIN_DIR)
        self.addCleanup(srv.cleanup)
        srv.start()
        r = srv.get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertEqual(without_own_metrics(r.text), without_own_metrics(pushgateway_scrape))
        backup = self.pushgateway_file + ".pushgateway-backup"
        self.assertEqual(read_bytes(backup), original)
        self.assertIn("level=warn", srv.log_tail())
        self.assertIn("migrated a Pushgateway persistence file", srv.log_tail())
        self.assertEqual(srv.stop(), 0)
        # The file is Ferry's snapshot now: the next start loads it without migrating.
        srv2 = Server("--persistence.file=" + self.pushgateway_file, "--plugins.dir=" + PLUGIN_DIR)
        self.addCleanup(srv2.cleanup)
        srv2.start()
        self.assertEqual(without_own_metrics(srv2.get("/metrics").text),
                         without_own_metrics(pushgateway_scrape))
        self.assertNotIn("migrated", srv2.log_tail())

    def test_a_damaged_pushgateway_file_stops_ferry_untouched(self):
        make_pushgateway_file(self.pushgateway_file)
        data = read_bytes(self.pushgateway_file)[:-10]
        with open(self.pushgateway_file, "wb") as f:
            f.write(data)
        r = self.run_ferry("--persistence.file=" + self.pushgateway_file,
                           "--web.listen-address=127.0.0.1:0")
        self.assertEqual(r.returncode, 1)
        self.assertIn("is a Pushgateway persistence file, which Ferry migrates at start, but it "
                      "cannot be read: at offset ", r.stderr)
        self.assertEqual(read_bytes(self.pushgateway_file), data)
        self.assertFalse(os.path.exists(self.pushgateway_file + ".pushgateway-backup"))

    def test_an_existing_backup_is_never_overwritten(self):
        make_pushgateway_file(self.pushgateway_file)
        original = read_bytes(self.pushgateway_file)
        backup = self.pushgateway_file + ".pushgateway-backup"
        with open(backup, "wb") as f:
            f.write(b"older backup")
        r = self.run_ferry("--persistence.file=" + self.pushgateway_file,
                           "--web.listen-address=127.0.0.1:0")
        self.assertEqual(r.returncode, 1)
        self.assertIn("exists already; move one of them away", r.stderr)
        self.assertEqual(read_bytes(self.pushgateway_file), original)
        self.assertEqual(read_bytes(backup), b"older backup")

    def test_the_memory_storage_is_refused(self):
        r = self.run_ferry("import-pushgateway", "/nonexistent")
        self.assertEqual(r.returncode, 1)
        self.assertIn("configure a durable storage", r.stderr)

    def test_help_lists_the_command(self):
        r = self.run_ferry("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("\nCommands:\n  import-pushgateway FILE\n", r.stdout)


if __name__ == "__main__":
    unittest.main()
