"""A real Prometheus (Debian package, /usr/bin/prometheus) scrapes Ferry over HTTPS with basic
auth, configured through the Pushgateway's --web.config.file.

The scrape config verifies the server certificate against the test's CA (`tls_config.ca_file`,
certificate for IP 127.0.0.1 and DNS localhost, made with openssl) and sends `basic_auth`. One
Prometheus runs two scrape jobs against the same Ferry: the right password must give `up == 1`
and the pushed series (honor_labels), a wrong password `up == 0` and no scrape error other than
the 401."""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import test_prometheus_scrape as prom_scrape  # noqa: E402
import test_web_config as web  # noqa: E402
from ferry_harness import file_tail, requires, wait_until  # noqa: E402

PROMETHEUS_BIN = prom_scrape.PROMETHEUS_BIN
# Prometheus applies new targets at most every 5 s, then scrapes every second.
SERIES_TIMEOUT_S = 30.0


def scrape_config(target, ca_file, password_by_job):
    jobs = "".join(
        "  - job_name: %s\n"
        "    honor_labels: true\n"
        "    scheme: https\n"
        "    tls_config:\n      ca_file: %s\n"
        "    basic_auth:\n      username: alice\n      password: %s\n"
        "    static_configs:\n      - targets: ['%s']\n" % (job, ca_file, password, target)
        for job, password in password_by_job)
    return ("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
            "scrape_configs:\n" + jobs)


@requires(os.access(PROMETHEUS_BIN, os.X_OK),
          "Prometheus at %s (Debian: apt-get install prometheus)" % PROMETHEUS_BIN)
@unittest.skipIf(web.is_pushgateway(), "runs against Ferry only (the same file is checked "
                 "against Pushgateway in test_web_config)")
class PrometheusOverTlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ferry-prom-tls-")
        cls.server = None
        cls.prom = None
        try:
            web.make_pki(cls.dir)
            config = os.path.join(cls.dir, "web.yml")
            web.write(config, web.basic_config())
            cls.server = web.TlsServer(config, cls.dir, lifecycle=False)
            cls.server.start()
            r = cls.server.put("/metrics/job/tls_job/instance/tls_inst",
                               b"# TYPE tls_pushed gauge\ntls_pushed 42\n")
            if r.status != 200:
                raise AssertionError("push over HTTPS: %r" % r)
            cls.prom = prom_scrape.Prometheus("tls", cls.server.address)
            with open(os.path.join(cls.prom.workdir, "prometheus.yml"), "w") as f:
                f.write(scrape_config(cls.server.address, os.path.join(cls.dir, "ca.crt"),
                                      [("ferry_right", web.RIGHT[1]),
                                       ("ferry_wrong", web.WRONG[1])]))
            cls.prom.start()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.prom is not None:
            cls.prom.cleanup()
        if cls.server is not None:
            cls.server.cleanup()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def logs(self):
        return "\n--- ferry:\n%s\n--- prometheus:\n%s" % (
            self.server.log_tail()[-4000:], file_tail(self.prom.log_path)[-4000:])

    def wait_for(self, expr, expected, what):
        """Waits until the query gives exactly `expected` ({frozenset(labels): value})."""
        last = {}

        def check():
            nonlocal last
            last = self.prom.query(expr)
            return last == expected
        try:
            wait_until(check, SERIES_TIMEOUT_S, what, interval=0.25)
        except AssertionError as e:
            self.fail("%s; last result of %r: %r%s" % (e, expr, last, self.logs()))

    def target(self, job):
        targets = [t for t in self.prom.api("/api/v1/targets")["activeTargets"]
                   if t["labels"].get("job") == job]
        self.assertEqual(len(targets), 1, targets)
        return targets[0]

    def test_right_password_is_up_and_sees_the_push(self):
        self.wait_for('up{job="ferry_right"}',
                      {frozenset({"__name__": "up", "job": "ferry_right",
                                  "instance": self.server.address}.items()): 1.0},
                      "up == 1 with the right password")
        self.assertEqual(self.target("ferry_right")["scrapeUrl"],
                         "https://%s/metrics" % self.server.address)
        self.wait_for("tls_pushed", {frozenset({"__name__": "tls_pushed", "job": "tls_job",
                                                "instance": "tls_inst"}.items()): 42.0},
                      "the pushed series, with its push labels")

    def test_wrong_password_is_down(self):
        self.wait_for('up{job="ferry_wrong"}',
                      {frozenset({"__name__": "up", "job": "ferry_wrong",
                                  "instance": self.server.address}.items()): 0.0},
                      "up == 0 with a wrong password")
        target = self.target("ferry_wrong")
        self.assertEqual(target["health"], "down")
        # The TLS handshake worked (the certificate was accepted); the server said 401.
        self.assertIn("401", target["lastError"], target)
        self.assertNotIn("certificate", target["lastError"], target)
        self.assertEqual(self.prom.query('tls_pushed{job="ferry_wrong"}'), {})


if __name__ == "__main__":
    unittest.main()
