"""Runs the shared Pushgateway conformance suite (<repo>/../shared/conformance) against the
server started with --web.enable-admin-api --web.enable-lifecycle. Fails when the suite is
not there, and unless its last line is `N passed, 0 failed`."""

import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import REPO_ROOT, ServerTestCase, requires  # noqa: E402

SUITE = os.path.join(os.path.dirname(REPO_ROOT), "shared", "conformance", "pgw_conformance.py")
SUITE_TIMEOUT_S = 120


def run_conformance(test, srv, *args):
    """Runs the suite against `srv`; fails `test` unless every check passed. Returns how many
    did."""
    proc = subprocess.run([sys.executable, SUITE, "--url", "http://%s" % srv.address,
                           "--max-seconds", "100", *args],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=SUITE_TIMEOUT_S)
    out = proc.stdout.decode("utf-8", "replace")
    lines = out.strip().splitlines()
    last = lines[-1] if lines else ""
    m = re.fullmatch(r"(\d+) passed, (\d+) failed", last)
    failures = "\n".join(line for line in lines if line.startswith("FAIL"))
    test.assertTrue(m and int(m.group(1)) > 0 and m.group(2) == "0",
                    "conformance suite: %r\n%s\n--- full output ---\n%s" % (last, failures, out))
    test.assertEqual(proc.returncode, 0, out)
    return int(m.group(1))


@requires(os.path.isfile(SUITE), "the shared conformance suite at %s" % SUITE)
class ConformanceTest(ServerTestCase):
    def run_suite(self, srv, *args):
        return run_conformance(self, srv, *args)

    def test_conformance_suite(self):
        passed = self.run_suite(self.server)
        sys.stderr.write("\nconformance: %d passed, 0 failed\n" % passed)

    def test_conformance_suite_with_route_prefix(self):
        srv = self.start_server("--web.route-prefix=/pfx", prefix="/pfx")
        self.run_suite(srv, "--route-prefix", "/pfx")


if __name__ == "__main__":
    unittest.main()
