"""The official Python client (Debian python3-prometheus-client) against the server:
push_to_gateway (PUT), pushadd_to_gateway (POST), delete_from_gateway (DELETE), grouping keys
with '/' and empty values (the client sends those as @base64)."""

import os
import sys
import unittest
import urllib.error

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import ServerTestCase, parse_text, requires, wait_until  # noqa: E402

try:
    import prometheus_client
    from prometheus_client import (CollectorRegistry, Counter, Gauge, Histogram, Info, Summary,
                                   delete_from_gateway, generate_latest, push_to_gateway,
                                   pushadd_to_gateway)
except ImportError:  # pragma: no cover - depends on the machine
    prometheus_client = None

MISSING = ("the Python module prometheus_client is not installed for %s "
           "(Debian: apt-get install python3-prometheus-client; `make test` installs it)"
           % sys.executable)


def normalized(labels):
    """`le` and `quantile` compared as numbers: the client writes 1.0 where Go writes 1."""
    return {k: (float(v) if k in ("le", "quantile") else v) for k, v in labels.items()}


def sample_registry(value=1.0):
    reg = CollectorRegistry()
    c = Counter("pc_requests", "Requests handled.", ["code"], registry=reg)
    c.labels("200").inc(41 + value)
    c.labels("500").inc()
    Gauge("pc_temperature", "A gauge with \\ and \n in help.", registry=reg).set(-3.5 * value)
    h = Histogram("pc_latency_seconds", "A histogram.", buckets=(0.1, 1.0), registry=reg)
    for v in (0.05, 0.5, 5.0):
        h.observe(v * value)
    s = Summary("pc_size_bytes", "A summary.", registry=reg)
    s.observe(1024)
    Info("pc_build", "Build info.", registry=reg).info({"version": "1.2.3", "quote": 'a"b'})
    return reg


@requires(prometheus_client is not None, MISSING)
class PythonClientTest(ServerTestCase):
    def gateway(self):
        return "127.0.0.1:%d" % self.server.port

    def assertGroupMatchesRegistry(self, reg, grouping):
        """Every sample the client generated is in the scrape, with the grouping labels added
        (and instance="" when the key has none)."""
        expected = parse_text(generate_latest(reg).decode("utf-8"))
        scraped = self.server.scrape()
        added = dict(grouping)
        added.setdefault("instance", "")
        for s in expected.samples:
            labels = normalized(dict(s.labels, **added))
            found = [x for x in scraped.find(s.name) if normalized(x.labels) == labels]
            self.assertEqual(len(found), 1, "%s%r not in scrape" % (s.name, labels))
            self.assertEqual(found[0].value, s.value, s.name)
        for name, fam in expected.families.items():
            self.assertEqual(scraped.families[name].type, fam.type, name)
            self.assertEqual(scraped.families[name].help, fam.help, name)

    def test_push_to_gateway(self):
        reg = sample_registry()
        push_to_gateway(self.gateway(), job="pc_push", registry=reg,
                        grouping_key={"instance": "host:9100"}, timeout=10)
        self.assertGroupMatchesRegistry(reg, {"job": "pc_push", "instance": "host:9100"})
        # PUT replaces the whole group.
        reg2 = CollectorRegistry()
        Gauge("pc_only", "Only this.", registry=reg2).set(7)
        push_to_gateway(self.gateway(), job="pc_push", registry=reg2,
                        grouping_key={"instance": "host:9100"}, timeout=10)
        e = self.server.scrape()
        self.assertEqual(e.value("pc_only", job="pc_push", instance="host:9100"), 7)
        self.assertFalse(e.find("pc_temperature", job="pc_push"))

    def test_pushadd_replaces_same_named_metrics_only(self):
        push_to_gateway(self.gateway(), job="pc_add", registry=sample_registry(), timeout=10)
        reg = CollectorRegistry()
        Gauge("pc_temperature", "A gauge with \\ and \n in help.", registry=reg).set(99)
        pushadd_to_gateway(self.gateway(), job="pc_add", registry=reg, timeout=10)
        e = self.server.scrape()
        self.assertEqual(e.value("pc_temperature", job="pc_add", instance=""), 99)
        self.assertEqual(e.value("pc_requests_total", job="pc_add", instance="", code="500"), 1)

    def test_delete_from_gateway(self):
        key = {"instance": "del"}
        push_to_gateway(self.gateway(), job="pc_del", registry=sample_registry(),
                        grouping_key=key, timeout=10)
        push_to_gateway(self.gateway(), job="pc_del", registry=sample_registry(), timeout=10)
        delete_from_gateway(self.gateway(), job="pc_del", grouping_key=key, timeout=10)
        wait_until(lambda: not self.server.scrape().find("push_time_seconds", job="pc_del",
                                                         instance="del"), 5, "group deleted")
        # Only the exact grouping key is deleted.
        self.assertEqual(len(self.server.scrape().find("push_time_seconds", job="pc_del")), 1)

    def test_grouping_key_with_slash_and_empty_values(self):
        # The client sends job@base64 (job has '/'), path@base64, empty@base64/= and quote_plus
        # for the rest; '+' in a URL path is a literal '+', exactly as in the Pushgateway.
        key = {"path": "/var/lib/x", "empty": "", "plain": "a b", "unicode": "\u00e9t\u00e9"}
        reg = sample_registry(2)
        push_to_gateway(self.gateway(), job="batch/nightly", registry=reg, grouping_key=key,
                        timeout=10)
        stored = {"job": "batch/nightly", "path": "/var/lib/x", "empty": "", "plain": "a+b",
                  "unicode": "\u00e9t\u00e9"}
        self.assertGroupMatchesRegistry(reg, stored)
        group = self.server.api_group(dict(stored))
        self.assertIsNotNone(group, "grouping key %r not in /api/v1/metrics" % stored)
        delete_from_gateway(self.gateway(), job="batch/nightly", grouping_key=key, timeout=10)
        wait_until(lambda: not self.server.scrape().find("push_time_seconds", job="batch/nightly"),
                   5, "base64 group deleted")

    def test_rejected_push_raises(self):
        with self.assertRaises(urllib.error.HTTPError) as cm:
            push_to_gateway(self.gateway(), job="pc_bad", registry=sample_registry(),
                            grouping_key={"bad-name": "x"}, timeout=10)
        self.assertEqual(cm.exception.code, 400)
        self.assertEqual(cm.exception.read(), b'improper label name "bad-name"\n')

    def test_route_prefix(self):
        srv = self.start_server("--web.route-prefix=/pg", prefix="/pg")
        reg = sample_registry()
        push_to_gateway("http://127.0.0.1:%d/pg" % srv.port, job="pc_pfx", registry=reg,
                        timeout=10)
        e = srv.scrape()
        self.assertEqual(e.value("pc_temperature", job="pc_pfx", instance=""), -3.5)


if __name__ == "__main__":
    unittest.main()
