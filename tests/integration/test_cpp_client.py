"""prometheus-cpp's Gateway (Debian prometheus-cpp-dev, libprometheus-cpp-push: a client on
libcurl that pushes the text format) against the server: Push and PushAdd (in 1.0.1 Push sends
POST and PushAdd PUT), DeleteForInstance and Delete, grouping labels as the client writes them
(unencoded), a body large enough that curl waits for "100 Continue". Every call also goes to the
real Pushgateway 1.5.1: the status codes and bodies the client gets and what both serve
afterwards must be the same.

The pusher (clients/cpp_pusher.cpp) is compiled by the test with the system compiler into
$FERRY_TEST_CLIENT_DIR (CTest sets build/test-clients), again only when its source changed."""

import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from client_harness import PUSHGATEWAY, SideBySideTestCase, client_dir, up_to_date  # noqa: E402
from ferry_harness import requires  # noqa: E402

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "clients", "cpp_pusher.cpp")
HEADER = "/usr/include/prometheus/gateway.h"
# 30,000 counter series make a body of 1.2 MB: curl (7.88) sends a body over 1 MiB with
# "Expect: 100-continue" and waits for "100 Continue".
LARGE = 30000

AVAILABLE = (os.path.isfile(HEADER) and shutil.which("c++") is not None
             and shutil.which("pkg-config") is not None and os.access(PUSHGATEWAY, os.X_OK))
MISSING = "prometheus-cpp-dev (its Gateway), a C++ compiler, pkg-config or prometheus-pushgateway"

_pusher = None


def cpp_pusher():
    """Compiles clients/cpp_pusher.cpp unless the binary is newer; returns its path."""
    global _pusher
    if _pusher:
        return _pusher
    binary = os.path.join(client_dir(), "cpp_pusher")
    if not up_to_date(binary, SOURCE):
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "prometheus-cpp-push",
                                "prometheus-cpp-core"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=60)
        if flags.returncode != 0:
            raise AssertionError("pkg-config prometheus-cpp-push: " + flags.stdout.decode())
        build = subprocess.run(["c++", "-std=c++17", "-O1", "-o", binary + ".tmp", SOURCE]
                               + flags.stdout.decode().split(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=600)
        if build.returncode != 0:
            raise AssertionError("compiling %s failed:\n%s" % (SOURCE, build.stdout.decode()))
        os.replace(binary + ".tmp", binary)
    _pusher = binary
    return binary


@requires(AVAILABLE, MISSING)
class CppClientTest(SideBySideTestCase):
    @classmethod
    def setUpClass(cls):
        cpp_pusher()
        super().setUpClass()

    def push(self, server, action, job, series=1, grouping=None):
        """Runs the pusher; returns the status code the Gateway returned and the response
        body (curl writes it to stdout)."""
        argv = [cpp_pusher(), "http://%s" % server.address, job, action, str(series)]
        argv += ["%s=%s" % kv for kv in (grouping or {}).items()]
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        return int(proc.stderr), proc.stdout.decode("utf-8", "replace")

    def both(self, action, job, series=1, grouping=None, status=200):
        """The same call against Ferry and the Pushgateway: the same status and body."""
        answers = [self.push(srv, action, job, series, grouping)
                   for srv in (self.server, self.reference)]
        what = "Ferry, Pushgateway: %s %s %r" % (action, job, grouping)
        self.assertEqual(answers[0], answers[1], what)
        self.assertEqual(answers[0][0], status, what)

    def test_push_push_add_and_deletes(self):
        group = {"instance": "host-1", "zone": "eu-west"}
        stored = {"job": "cpp_batch", "instance": "host-1", "zone": "eu-west"}
        self.both("push", "cpp_batch", LARGE, group)
        self.assertSameState()
        scraped = self.server.scrape()
        self.assertEqual(scraped.value("cpp_jobs_total", queue="q29999", **stored), 29999)
        self.assertEqual(scraped.value("cpp_size_bytes", quantile="0.5", **stored), 1024)
        self.assertEqual(len(scraped.find("push_time_seconds", **stored)), 1)

        # prometheus-cpp 1.0.1 has the methods swapped: Push sends POST (with only the gauge,
        # the other families stay) and PushAdd sends PUT (they go).
        self.both("push", "cpp_batch", 0, group)
        self.assertSameState()
        self.assertEqual(self.server.scrape().value("cpp_latency_seconds_count", **stored), 3)
        self.both("push-add", "cpp_batch", 0, group)
        self.assertSameState()
        self.assertFalse(self.server.scrape().find("cpp_latency_seconds_count", **stored))

        # Delete is the group of the job alone; DeleteForInstance the group with the labels.
        self.both("push", "cpp_batch", 2)
        self.both("delete-job", "cpp_batch", 0, group, status=202)
        self.assertSameState()
        scraped = self.server.scrape()
        self.assertFalse(scraped.find("push_time_seconds", job="cpp_batch", instance=""))
        self.assertEqual(len(scraped.find("push_time_seconds", **stored)), 1)
        self.both("delete", "cpp_batch", 0, group, status=202)
        self.assertSameState()
        self.assertFalse(self.server.scrape().find("push_time_seconds", job="cpp_batch"))

    def test_unencoded_grouping_values_get_the_same_answer(self):
        # The Gateway puts label values into the URL as they are (curl refuses a space: -3):
        # a '/' makes extra path segments, "a/b" an odd count (400), "/var/x" an even one with
        # an empty value; a value "" an empty last segment.
        for grouping, status in (({"path": "a/b"}, 400), ({"path": "/var/x"}, 200),
                                 ({"empty": ""}, 200), ({"zone": "eu west"}, -3)):
            with self.subTest(grouping):
                self.both("push", "cpp_odd", 1, grouping, status=status)
                self.assertSameState()
                self.both("delete-job", "cpp_odd", 0, status=202)
        self.both("push", "cpp_odd", 1, {"instance": "i"})
        self.assertSameState()
        self.both("delete", "cpp_odd", 0, {"instance": "i"}, status=202)


if __name__ == "__main__":
    unittest.main()
