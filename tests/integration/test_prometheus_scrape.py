"""A real Prometheus (Debian package, /usr/bin/prometheus) scrapes the server with
honor_labels: true and sees the pushed series with the job/instance labels of the push.

Two Prometheus instances run side by side: one scrapes the text format (the default), the other
has native histograms enabled, which makes Prometheus 2.40+ negotiate the protobuf format."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import (ServerTestCase, file_tail, free_port, http_request,  # noqa: E402
                           requires, wait_until)

PROMETHEUS_BIN = os.environ.get("PROMETHEUS_BIN", "/usr/bin/prometheus")
# Prometheus applies new targets at most every 5 s, then scrapes every second.
SERIES_TIMEOUT_S = 30.0

PUSHES = [
    ("/job/ps_job/instance/ps_inst", """\
# HELP ps_requests_total Requests.
# TYPE ps_requests_total counter
ps_requests_total{code="200"} 5
ps_requests_total{code="500"} 1
# TYPE ps_temp gauge
ps_temp 21.5
# TYPE ps_lat histogram
ps_lat_bucket{le="0.5"} 1
ps_lat_bucket{le="1"} 2
ps_lat_bucket{le="+Inf"} 3
ps_lat_sum 2.5
ps_lat_count 3
# TYPE ps_sum summary
ps_sum{quantile="0.5"} 4
ps_sum_sum 12
ps_sum_count 3
"""),
    ("/job/ps_noinst", "ps_noinst 1\n"),
    ("/job@base64/cHMvc2xhc2g/zone/eu", "ps_slash{job=\"ignored\",extra=\"x\"} 2\n"),
]


class Prometheus:
    def __init__(self, name, target, extra_args=()):
        self.name = name
        self.workdir = tempfile.mkdtemp(prefix="ferry-it-prom-")
        self.log_path = os.path.join(self.workdir, "prometheus.log")
        self.port = None
        self.proc = None
        config = os.path.join(self.workdir, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    "  evaluation_interval: 1s\n"
                    "scrape_configs:\n  - job_name: ferry\n    honor_labels: true\n"
                    "    static_configs:\n      - targets: ['%s']\n" % target)
        self.argv_base = [PROMETHEUS_BIN, "--config.file=" + config,
                          "--storage.tsdb.path=" + os.path.join(self.workdir, "data"),
                          "--log.level=info"] + list(extra_args)

    def start(self):
        for _attempt in range(3):
            self.port = free_port()
            argv = self.argv_base + ["--web.listen-address=127.0.0.1:%d" % self.port]
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                             stderr=subprocess.STDOUT, cwd=self.workdir)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    if http_request("127.0.0.1", self.port, "GET", "/-/ready",
                                    timeout=1).status == 200:
                        return self
                except OSError:
                    pass
                time.sleep(0.1)
            if self.proc.poll() is None:
                break
        self.stop()
        raise RuntimeError("prometheus did not become ready\n" + file_tail(self.log_path))

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def api(self, path, **params):
        r = http_request("127.0.0.1", self.port, "GET",
                         path + "?" + urllib.parse.urlencode(params), timeout=5)
        if r.status != 200:
            raise ValueError("%s: HTTP %d %r" % (path, r.status, r.body[:300]))
        return json.loads(r.body)["data"]

    def query(self, expr):
        """Instant query; returns {frozenset(labels.items()): float value}."""
        data = self.api("/api/v1/query", query=expr)
        return {frozenset(s["metric"].items()): float(s["value"][1]) for s in data["result"]}


@requires(os.access(PROMETHEUS_BIN, os.X_OK),
          "Prometheus at %s (Debian: apt-get install prometheus)" % PROMETHEUS_BIN)
class PrometheusScrapeTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.proms = []
        try:
            for path, body in PUSHES:
                r = cls.server.push("PUT", path, body)
                if r.status != 200:
                    raise AssertionError("push %s: %r" % (path, r))
            target = cls.server.address
            cls.proms = [Prometheus("text", target),
                         Prometheus("protobuf", target, ["--enable-feature=native-histograms"])]
            for p in cls.proms:
                p.start()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for p in cls.proms:
            p.cleanup()
        super().tearDownClass()

    def extra_logs(self):
        return [(p.log_path, file_tail(p.log_path)) for p in self.proms]

    def wait_for(self, prom, expr, expected, what):
        """Waits until the query returns exactly `expected` ({labels dict as frozenset: value})."""
        last = {}

        def check():
            nonlocal last
            last = prom.query(expr)
            return last == expected
        try:
            wait_until(check, SERIES_TIMEOUT_S, "%s [%s]" % (what, prom.name), interval=0.25)
        except AssertionError as e:
            self.fail("%s; last result of %r: %r" % (e, expr, last))

    @staticmethod
    def series(value, **labels):
        return {frozenset(labels.items()): value}

    def test_target_up(self):
        for p in self.proms:
            with self.subTest(prometheus=p.name):
                self.wait_for(p, 'up{job="ferry"}',
                              self.series(1.0, __name__="up", job="ferry",
                                          instance=self.server.address), "target up")
                targets = p.api("/api/v1/targets")["activeTargets"]
                self.assertEqual([(t["health"], t["lastError"]) for t in targets], [("up", "")])

    def test_pushed_series_keep_push_labels(self):
        for p in self.proms:
            with self.subTest(prometheus=p.name):
                expected = {}
                for code, value in (("200", 5.0), ("500", 1.0)):
                    expected.update(self.series(value, __name__="ps_requests_total", job="ps_job",
                                                instance="ps_inst", code=code))
                self.wait_for(p, "ps_requests_total", expected, "counter with push labels")
                self.wait_for(p, "ps_temp", self.series(21.5, __name__="ps_temp", job="ps_job",
                                                        instance="ps_inst"), "gauge")
                self.wait_for(p, 'ps_lat_bucket{le="+Inf"}',
                              self.series(3.0, __name__="ps_lat_bucket", job="ps_job",
                                          instance="ps_inst", le="+Inf"), "histogram bucket")
                self.wait_for(p, 'ps_sum{quantile="0.5"}',
                              self.series(4.0, __name__="ps_sum", job="ps_job", instance="ps_inst",
                                          quantile="0.5"), "summary quantile")

    def test_empty_instance_is_not_replaced_by_target(self):
        # instance="" in the exposition means "no instance" to Prometheus; with honor_labels the
        # target's address must not be attached.
        for p in self.proms:
            with self.subTest(prometheus=p.name):
                self.wait_for(p, "ps_noinst",
                              self.series(1.0, __name__="ps_noinst", job="ps_noinst"),
                              "series without instance")

    def test_url_labels_win_and_base64_job(self):
        for p in self.proms:
            with self.subTest(prometheus=p.name):
                self.wait_for(p, "ps_slash", self.series(2.0, __name__="ps_slash", job="ps/slash",
                                                         zone="eu", extra="x"),
                              "base64 job and URL labels")

    def test_push_time_and_no_exported_labels(self):
        for p in self.proms:
            with self.subTest(prometheus=p.name):
                expr = 'push_time_seconds{job="ps_job",instance="ps_inst"} > 0'
                wait_until(lambda: p.query(expr), SERIES_TIMEOUT_S,
                           "push_time_seconds [%s]" % p.name, interval=0.25)
                self.assertEqual(p.query('{__name__=~"ps_.*|push_.*",exported_job!=""}'), {})
                self.assertEqual(p.query('{__name__=~"ps_.*|push_.*",exported_instance!=""}'), {})

    def test_new_push_is_scraped(self):
        r = self.server.push("PUT", "/job/ps_update/instance/u", "ps_update 1\n")
        self.assertStatus(r, 200)
        for p in self.proms:
            with self.subTest(prometheus=p.name):
                self.wait_for(p, "ps_update", self.series(1.0, __name__="ps_update",
                                                          job="ps_update", instance="u"),
                              "first value")
        self.assertStatus(self.server.push("PUT", "/job/ps_update/instance/u", "ps_update 2\n"),
                          200)
        for p in self.proms:
            with self.subTest(prometheus=p.name):
                self.wait_for(p, "ps_update", self.series(2.0, __name__="ps_update",
                                                          job="ps_update", instance="u"),
                              "updated value")


if __name__ == "__main__":
    unittest.main()
