"""The shared Pushgateway conformance suite against one Ferry replica on a shared Redis store,
while a second replica on the same store follows every change. Fails, as test_conformance.py
does, when the suite is not next to the repository."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import requires  # noqa: E402
from test_conformance import SUITE, run_conformance  # noqa: E402
from test_replicas import ReplicaTestCase  # noqa: E402


@requires(os.path.isfile(SUITE), "the shared conformance suite at %s" % SUITE)
class ConformanceOnReplicasTest(ReplicaTestCase):
    REPLICAS = 2

    def test_conformance_suite_on_one_replica_while_another_follows(self):
        first, second = self.replicas
        passed = run_conformance(self, first)
        sys.stderr.write("\nconformance on a replica: %d passed, 0 failed\n" % passed)
        # The other replica served the same store meanwhile and ends with the same state.
        self.assert_converged(what="the second replica to follow the suite's writes")
        for srv in self.replicas:
            self.assertEqual(srv.get("/-/ready").status, 200)
            self.assertIn("ferry_storage_up 1", srv.get("/metrics").text)


if __name__ == "__main__":
    unittest.main()
