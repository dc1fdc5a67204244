"""HTTP compatibility with Pushgateway 1.5.1 (spec /work/shared/spec/pushgateway.md): push,
scrape and delete flows, routing, error format, compression, protobuf, content negotiation,
route prefix, lifecycle, admin API, keep-alive and the JSON API."""

import gzip
import json
import os
import re
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import (  # noqa: E402
    PB_COUNTER, PB_GAUGE, PB_HISTOGRAM, PB_SUMMARY, PROTO_ACCEPT, PROTO_CT, TEXT_CT,
    ServerTestCase, ferry_only, http_request, parse_text, pb_decode_delimited, pb_delimited,
    pb_family, pb_metric, wait_until)

RFC3339_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")

RICH_TEXT = """\
# HELP hc_requests_total A counter.
# TYPE hc_requests_total counter
hc_requests_total{code="200"} 42
hc_requests_total{code="500"} 1
# TYPE hc_gauge gauge
hc_gauge 2398.283
# HELP hc_hist A histogram.
# TYPE hc_hist histogram
hc_hist_bucket{le="0.5"} 1
hc_hist_bucket{le="1"} 3
hc_hist_bucket{le="+Inf"} 4
hc_hist_sum 2.7
hc_hist_count 4
# HELP hc_summary A summary.
# TYPE hc_summary summary
hc_summary{quantile="0.5"} 1.5
hc_summary{quantile="0.9"} 2.5
hc_summary_sum 10
hc_summary_count 5
hc_untyped{a="b"} 7
hc_big 1234567
"""

PUSH_TIME_HELP = "Last Unix time when changing this group in the Pushgateway succeeded."
PUSH_FAILURE_HELP = "Last Unix time when changing this group in the Pushgateway failed."


def block(expo, family):
    """The exposition lines of one family (HELP, TYPE, samples) in order."""
    return expo.families[family].lines if family in expo.families else []


class PushScrapeDeleteTest(ServerTestCase):
    def test_put_scrape_delete_roundtrip(self):
        r = self.server.push("PUT", "/job/hc_rt/instance/i1", RICH_TEXT)
        self.assertStatus(r, 200, "PUT")
        self.assertEqual(r.body, b"")
        self.assertEqual(r.header("Content-Length"), "0")
        self.assertIsNone(r.header("Content-Type"))

        e = self.server.scrape()
        self.assertEqual(block(e, "hc_requests_total"), [
            "# HELP hc_requests_total A counter.",
            "# TYPE hc_requests_total counter",
            'hc_requests_total{code="200",instance="i1",job="hc_rt"} 42',
            'hc_requests_total{code="500",instance="i1",job="hc_rt"} 1',
        ])
        self.assertEqual(block(e, "hc_gauge"), [
            "# TYPE hc_gauge gauge", 'hc_gauge{instance="i1",job="hc_rt"} 2398.283'])
        self.assertEqual(block(e, "hc_hist"), [
            "# HELP hc_hist A histogram.",
            "# TYPE hc_hist histogram",
            'hc_hist_bucket{instance="i1",job="hc_rt",le="0.5"} 1',
            'hc_hist_bucket{instance="i1",job="hc_rt",le="1"} 3',
            'hc_hist_bucket{instance="i1",job="hc_rt",le="+Inf"} 4',
            'hc_hist_sum{instance="i1",job="hc_rt"} 2.7',
            'hc_hist_count{instance="i1",job="hc_rt"} 4',
        ])
        self.assertEqual(block(e, "hc_summary"), [
            "# HELP hc_summary A summary.",
            "# TYPE hc_summary summary",
            'hc_summary{instance="i1",job="hc_rt",quantile="0.5"} 1.5',
            'hc_summary{instance="i1",job="hc_rt",quantile="0.9"} 2.5',
            'hc_summary_sum{instance="i1",job="hc_rt"} 10',
            'hc_summary_count{instance="i1",job="hc_rt"} 5',
        ])
        self.assertEqual(block(e, "hc_big"), [
            "# TYPE hc_big untyped", 'hc_big{instance="i1",job="hc_rt"} 1.234567e+06'])
        self.assertEqual(e.families["push_time_seconds"].help, PUSH_TIME_HELP)
        self.assertEqual(e.families["push_time_seconds"].type, "gauge")
        self.assertEqual(e.families["push_failure_time_seconds"].help, PUSH_FAILURE_HELP)
        pushed = e.value("push_time_seconds", job="hc_rt", instance="i1")
        self.assertLess(abs(pushed - time.time()), 300)
        self.assertEqual(e.value("push_failure_time_seconds", job="hc_rt", instance="i1"), 0)

        r = self.server.delete("/metrics/job/hc_rt/instance/i1")
        self.assertStatus(r, 202, "DELETE")
        self.assertEqual(r.body, b"")
        self.assertIsNone(r.header("Content-Type"))
        wait_until(lambda: not self.server.scrape().job_lines("hc_rt"), 5, "group deleted")
        self.assertStatus(self.server.delete("/metrics/job/hc_rt/instance/i1"), 202,
                          "DELETE of an absent group")

    def test_post_replaces_same_named_families_only(self):
        self.assertStatus(self.server.push("PUT", "/job/hc_post", "hc_pa 1\nhc_pb 2\n"), 200)
        self.assertStatus(self.server.push("POST", "/job/hc_post", "hc_pa{x=\"y\"} 3\n"), 200)
        e = self.server.scrape()
        self.assertEqual([s.line for s in e.find("hc_pa")],
                         ['hc_pa{instance="",job="hc_post",x="y"} 3'])
        self.assertEqual(e.value("hc_pb", job="hc_post"), 2)
        self.assertStatus(self.server.push("PUT", "/job/hc_post", "hc_pc 4\n"), 200)
        e = self.server.scrape()
        self.assertEqual([s.name for s in e.samples if s.labels.get("job") == "hc_post"],
                         ["hc_pc", "push_failure_time_seconds", "push_time_seconds"])

    def test_url_labels_override_body_labels_and_instance_defaults_empty(self):
        body = 'hc_lbl{job="other",instance="x",zone="body",keep="k"} 1\n'
        self.assertStatus(self.server.push("PUT", "/job/hc_l1/instance/url/zone/uz", body), 200)
        self.assertStatus(self.server.push("PUT", "/job/hc_l2", "hc_lbl 2\n"), 200)
        lines = [s.line for s in self.server.scrape().find("hc_lbl")]
        self.assertEqual(lines, ['hc_lbl{instance="",job="hc_l2"} 2',
                                 'hc_lbl{instance="url",job="hc_l1",keep="k",zone="uz"} 1'])

    def test_base64_job_and_labels_and_empty_values(self):
        # job "hc/b64", path="/var/tmp", empty="" (base64 "=" means the empty string).
        r = self.server.push("PUT", "/job@base64/aGMvYjY0/path@base64/L3Zhci90bXA/empty@base64/=",
                             "hc_b64 1\n")
        self.assertStatus(r, 200)
        e = self.server.scrape()
        self.assertEqual([s.line for s in e.find("hc_b64")],
                         ['hc_b64{empty="",instance="",job="hc/b64",path="/var/tmp"} 1'])
        r = self.server.delete(
            "/metrics/job@base64/aGMvYjY0=/path@base64/L3Zhci90bXA=/empty@base64/=")
        self.assertStatus(r, 202)
        wait_until(lambda: not self.server.scrape().find("hc_b64"), 5, "base64 group deleted")

    def test_percent_encoded_utf8_in_url(self):
        r = self.server.push("PUT", "/job/with%20space/name/%CE%A0%CF%81%CE%BF", "hc_pct 1\n")
        self.assertStatus(r, 200)
        self.assertEqual([s.line for s in self.server.scrape().find("hc_pct")],
                         ['hc_pct{instance="",job="with space",name="\u03a0\u03c1\u03bf"} 1'])

    def test_url_errors_have_exact_messages(self):
        cases = [
            ("/job/hc_err/odd", 'odd number of components in label string "/odd"'),
            ("/job/hc_err/a/b/", 'odd number of components in label string "/a/b/"'),
            ("/job/hc_err/__res/v", 'improper label name "__res"'),
            ("/job/hc_err/bad-name/v", 'improper label name "bad-name"'),
            ("/job/hc_err/lbl@base64/%21%21",
             'invalid base64 encoding for label lbl="!!": illegal base64 data at input byte 0'),
            ("/job@base64/=", "job name is required"),
        ]
        for path, message in cases:
            with self.subTest(path=path):
                self.assertPlainError(self.server.push("PUT", path, "hc_err 1\n"), 400, message)
        self.assertFalse(self.server.scrape().find("hc_err"))

    def test_timestamps_rejected_and_failure_recorded(self):
        r = self.server.push("PUT", "/job/hc_ts", "hc_ts 1 1000\n")
        self.assertPlainError(r, 400, "pushed metrics are invalid or inconsistent with existing "
                                      "metrics: pushed metrics must not have timestamps")
        e = self.server.scrape()
        self.assertFalse(e.find("hc_ts"))
        self.assertEqual(e.value("push_time_seconds", job="hc_ts"), 0)
        self.assertGreater(e.value("push_failure_time_seconds", job="hc_ts"), 0)

    def test_label_value_not_utf8_is_quoted_as_go_does(self):
        # Only protobuf can carry such a value (the text parser refuses it first). The message
        # ends with Go's %#v of the value: valid runes raw, invalid bytes \xNN, non-printable
        # runes \uNNNN (probed against Pushgateway 1.5.1).
        cases = [
            (b"\xc3\xa4\xff", b'"\xc3\xa4\\xff"'),
            (b"a\xe2\x80\x8b\xff", b'"a\\u200b\\xff"'),
            (b"\xc2\xad\xfe", b'"\\u00ad\\xfe"'),
        ]
        for value, quoted in cases:
            with self.subTest(value=value):
                fam = pb_family("hc_utf8", PB_GAUGE, [pb_metric(labels=[(b"l", value)], gauge=1)])
                r = self.server.push("PUT", "/job/hc_utf8", pb_delimited([fam]),
                                     content_type=PROTO_CT)
                self.assertStatus(r, 400)
                self.assertTrue(r.body.endswith(
                    b'has a label named "l" whose value is not utf8: ' + quoted + b"\n"), r.body)
        self.assertFalse(self.server.scrape().find("hc_utf8"))

    def test_type_clash_across_groups_rejected(self):
        self.assertStatus(self.server.push("PUT", "/job/hc_tc1", "# TYPE hc_tc counter\nhc_tc 1\n"),
                          200)
        r = self.server.push("PUT", "/job/hc_tc2", "# TYPE hc_tc gauge\nhc_tc 1\n")
        self.assertStatus(r, 400)
        self.assertTrue(r.text.startswith(
            "pushed metrics are invalid or inconsistent with existing metrics: "), r.text)
        self.assertEqual([s.line for s in self.server.scrape().find("hc_tc")],
                         ['hc_tc{instance="",job="hc_tc1"} 1'])


class GroupingCollisionTest(ServerTestCase):
    """Spec 4.5.1: {job=x} and {job=x,instance=""} expose identical series. Pushgateway 1.5.1
    rejects the second push but still stores the colliding group, so every scrape is 500 until
    it is deleted. Ferry rejects the push without leaving anything behind."""

    def _assert_scrape_healthy(self, job, value):
        r = self.server.scrape_response()
        self.assertStatus(r, 200, "scrape after colliding push")
        e = parse_text(r.text)
        self.assertEqual(e.value("hc_col", job=job, instance=""), value)
        self.assertEqual(len(e.find("push_time_seconds", job=job)), 1)

    @ferry_only("a rejected push into {job=x,instance=\"\"} makes every scrape 500")
    def test_empty_instance_after_no_instance(self):
        self.assertStatus(self.server.push("PUT", "/job/hc_col1", "hc_col 1\n"), 200)
        r = self.server.push("PUT", "/job/hc_col1/instance@base64/=", "hc_col 2\n")
        self.assertStatus(r, 400, "push colliding with {job=hc_col1}")
        self._assert_scrape_healthy("hc_col1", 1)
        r = self.server.push("PUT", "/job/hc_col1/instance/", "hc_col 3\n")  # trailing "" value
        self.assertStatus(r, 400, "push colliding with {job=hc_col1} (trailing slash form)")
        self._assert_scrape_healthy("hc_col1", 1)

    @ferry_only("a rejected push into {job=x} makes every scrape 500")
    def test_no_instance_after_empty_instance(self):
        self.assertStatus(self.server.push("PUT", "/job/hc_col2/instance@base64/=", "hc_col 1\n"),
                          200)
        self.assertStatus(self.server.push("PUT", "/job/hc_col2", "hc_col 2\n"), 400,
                          "push colliding with {job=hc_col2,instance=\"\"}")
        self._assert_scrape_healthy("hc_col2", 1)
        # The empty-bodied form collides through the timestamp gauges alone.
        self.assertStatus(self.server.push("PUT", "/job/hc_col2", ""), 400, "empty colliding push")
        self._assert_scrape_healthy("hc_col2", 1)


class DisabledConsistencyCheckTest(ServerTestCase):
    @ferry_only("with the check disabled Pushgateway stores inconsistent data; scrapes then fail")
    def test_inconsistent_push_answers_202_but_never_breaks_the_scrape(self):
        srv = self.start_server("--push.disable-consistency-check")
        self.assertStatus(srv.push("PUT", "/job/dc_a", "# TYPE dc_m counter\ndc_m 1\n"), 202)
        self.assertStatus(srv.push("PUT", "/job/dc_b", "# TYPE dc_m gauge\ndc_m 2\n"), 202)
        r = srv.scrape_response()
        self.assertStatus(r, 200, "scrape after an inconsistent push")
        e = parse_text(r.text)
        self.assertEqual(e.value("dc_m", job="dc_a", instance=""), 1)
        self.assertEqual(e.find("dc_m", job="dc_b"), [])
        self.assertGreater(e.value("push_failure_time_seconds", job="dc_b", instance=""), 0)


class HelpConflictTest(ServerTestCase):
    @ferry_only("Pushgateway picks the HELP of a random group on every scrape (spec 5.1, E25)")
    def test_conflicting_help_is_deterministic(self):
        for job, help_text in (("hc_help1", "First help."), ("hc_help2", "Second help."),
                               ("hc_help3", None)):
            body = ("# HELP hc_help %s\n" % help_text if help_text else "") + "hc_help 1\n"
            self.assertStatus(self.server.push("PUT", "/job/" + job, body), 200)
        helps = {self.server.scrape().families["hc_help"].help for _ in range(20)}
        self.assertEqual(len(helps), 1, "HELP changes between scrapes: %r" % helps)


class RoutingTest(ServerTestCase):
    def test_healthy_and_ready(self):
        for path in ("/-/healthy", "/-/ready"):
            r = self.server.get(path)
            self.assertStatus(r, 200, path)
            self.assertEqual(r.body, b"OK")
            self.assertEqual(r.header("Content-Type"), "text/plain; charset=utf-8")

    def test_not_found(self):
        for path in ("/nonexistent", "/-/reload", "/api/v1/nonexistent", "/metrics/job",
                     "/index.html"):
            with self.subTest(path=path):
                self.assertPlainError(self.server.get(path), 404, "404 page not found")
        self.assertPlainError(self.server.post("/-/reload"), 404, "404 page not found")

    def test_method_not_allowed_lists_allowed_methods(self):
        cases = [
            ("GET", "/metrics/job/x", "DELETE, OPTIONS, POST, PUT"),
            ("PATCH", "/metrics/job/x/a/b", "DELETE, OPTIONS, POST, PUT"),
            ("POST", "/metrics", "GET, OPTIONS"),
            ("POST", "/-/healthy", "GET, OPTIONS"),
            ("DELETE", "/-/quit", "GET, OPTIONS, POST, PUT"),
            ("GET", "/api/v1/admin/wipe", "OPTIONS, PUT"),
            ("POST", "/api/v1/status", "GET, OPTIONS"),
        ]
        for method, path, allow in cases:
            with self.subTest(method=method, path=path):
                r = self.server.request(method, path, b"" if method in ("POST", "PATCH") else None)
                self.assertPlainError(r, 405, "Method Not Allowed")
                self.assertEqual(r.header("Allow"), allow)
        r = self.server.request("HEAD", "/metrics")  # HEAD is not mapped to GET
        self.assertStatus(r, 405)
        self.assertEqual(r.header("Allow"), "GET, OPTIONS")

    def test_options_on_push_path(self):
        r = self.server.options("/metrics/job/x")
        self.assertStatus(r, 200)
        self.assertEqual(r.body, b"")
        self.assertEqual(r.header("Allow"), "DELETE, OPTIONS, POST, PUT")

    def test_quit_get_is_405_without_allow(self):
        r = self.server.get("/-/quit")
        self.assertStatus(r, 405)
        self.assertEqual(r.body, b"Only POST or PUT requests allowed.")
        self.assertIsNone(r.header("Allow"))
        self.assertTrue(self.server.alive())

    def test_redirects(self):
        cases = [  # method, path, status, Location
            ("GET", "/metrics/", 301, "/metrics"),
            ("PUT", "/metrics/job/", 307, "/metrics/job"),
            ("GET", "/METRICS", 301, "/metrics"),
            ("POST", "/Metrics/job/abc", 307, "/metrics/job/abc"),
            ("POST", "/metrics/job/ex/first//second/x", 301, "/metrics/job/ex/first/second/x"),
            ("GET", "/metrics/../-/healthy", 301, "/-/healthy"),
            ("GET", "/api/v1", 301, "/api/v1/"),
        ]
        for method, path, status, location in cases:
            with self.subTest(method=method, path=path):
                r = self.server.request(method, path, b"hc_redir 1\n" if method != "GET" else None)
                self.assertStatus(r, status)
                self.assertEqual(r.header("Location"), location)
        self.assertFalse(self.server.scrape().find("hc_redir"))


class ErrorFormatTest(ServerTestCase):
    """E22: error bodies, headers and empty success responses."""

    def test_error_response_headers_and_length(self):
        r = self.server.push("PUT", "/job@base64/=", "x 1\n")
        self.assertPlainError(r, 400, "job name is required")
        self.assertEqual(r.header("Content-Length"), "21")
        self.assertIsNotNone(r.header("Date"))

    def test_status_lines_carry_the_standard_reason_phrase(self):
        # As Go's net/http writes them (a Poco default once sent "404 OK").
        cases = [(self.server.get("/metrics"), 200, "OK"),
                 (self.server.delete("/metrics/job/reason"), 202, "Accepted"),
                 (self.server.push("PUT", "/job/reason", "bad{\n"), 400, "Bad Request"),
                 (self.server.get("/no/such/path"), 404, "Not Found"),
                 (self.server.request("PATCH", "/metrics/job/reason"), 405,
                  "Method Not Allowed")]
        for r, status, reason in cases:
            with self.subTest(status=status):
                self.assertEqual((r.status, r.reason), (status, reason))

    def test_success_responses_have_no_body_and_no_content_type(self):
        for method, status in (("PUT", 200), ("POST", 200), ("DELETE", 202)):
            with self.subTest(method=method):
                body = b"hc_ok 1\n" if method != "DELETE" else None
                r = self.server.request(method, "/metrics/job/hc_ok", body)
                self.assertStatus(r, status)
                self.assertEqual(r.body, b"")
                self.assertEqual(r.header("Content-Length"), "0")
                self.assertIsNone(r.header("Content-Type"))

    def test_bad_body_message(self):
        self.assertPlainError(self.server.push("PUT", "/job/hc_bb", "garbage"), 400,
                              "text format parsing error in line 1: unexpected end of input stream")
        self.assertPlainError(self.server.push("PUT", "/job/hc_bb", "# TYPE bogus foo\nbogus 1\n"),
                              400, 'text format parsing error in line 1: unknown metric type "foo"')


class CompressionTest(ServerTestCase):
    def test_gzip_request_body(self):
        body = gzip.compress(b"hc_gz 1\n")
        r = self.server.push("PUT", "/job/hc_gz", body, headers={"Content-Encoding": "gzip"})
        self.assertStatus(r, 200)
        self.assertEqual(self.server.scrape().value("hc_gz", job="hc_gz"), 1)

    def test_gzip_request_body_errors(self):
        self.assertPlainError(self.server.push("PUT", "/job/hc_gzbad", b"this is not gzip data\n",
                                               headers={"Content-Encoding": "gzip"}),
                              400, "gzip: invalid header")
        self.assertPlainError(self.server.push("PUT", "/job/hc_gzbad", b"not gzip\n",
                                               headers={"Content-Encoding": "gzip"}),
                              400, "unexpected EOF")
        self.assertFalse(self.server.scrape().find("push_time_seconds", job="hc_gzbad"))

    def test_gzip_response(self):
        self.assertStatus(self.server.push("PUT", "/job/hc_gzr", "hc_gzr 1\n"), 200)
        plain = self.server.scrape_response()
        self.assertIsNone(plain.header("Content-Encoding"))
        r = self.server.scrape_response(headers={"Accept-Encoding": "gzip"})
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Content-Encoding"), "gzip")
        self.assertEqual(r.header("Content-Type"), TEXT_CT)
        self.assertEqual(r.header("Content-Length"), str(len(r.body)))
        e = parse_text(gzip.decompress(r.body).decode("utf-8"))
        self.assertEqual(e.job_lines("hc_gzr"), parse_text(plain.text).job_lines("hc_gzr"))
        self.assertEqual(e.value("hc_gzr", job="hc_gzr"), 1)


class ProtobufTest(ServerTestCase):
    FAMILIES = [
        pb_family("hc_pb_gauge", PB_GAUGE, [pb_metric(labels=[("k", "v")], gauge=1.5)],
                  help="PB gauge"),
        pb_family("hc_pb_counter", PB_COUNTER, [pb_metric(counter=3)]),
        pb_family("hc_pb_hist", PB_HISTOGRAM,
                  [pb_metric(histogram=(4, 2.5, [(0.5, 1), (1.0, 3)]))]),
        pb_family("hc_pb_summary", PB_SUMMARY,
                  [pb_metric(summary=(5, 10.0, [(0.5, 1.5), (0.9, 2.5)]))]),
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.push("PUT", "/job/hc_pb/instance/p1", pb_delimited(cls.FAMILIES),
                            content_type=PROTO_CT)
        if r.status != 200:
            cls.server.cleanup()
            raise AssertionError("protobuf push: %r" % r)

    def test_protobuf_push_exposed_as_text(self):
        e = self.server.scrape()
        self.assertEqual(block(e, "hc_pb_gauge"), [
            "# HELP hc_pb_gauge PB gauge", "# TYPE hc_pb_gauge gauge",
            'hc_pb_gauge{instance="p1",job="hc_pb",k="v"} 1.5'])
        self.assertEqual(block(e, "hc_pb_counter"), [
            "# TYPE hc_pb_counter counter", 'hc_pb_counter{instance="p1",job="hc_pb"} 3'])
        self.assertEqual(block(e, "hc_pb_hist"), [
            "# TYPE hc_pb_hist histogram",
            'hc_pb_hist_bucket{instance="p1",job="hc_pb",le="0.5"} 1',
            'hc_pb_hist_bucket{instance="p1",job="hc_pb",le="1"} 3',
            'hc_pb_hist_bucket{instance="p1",job="hc_pb",le="+Inf"} 4',
            'hc_pb_hist_sum{instance="p1",job="hc_pb"} 2.5',
            'hc_pb_hist_count{instance="p1",job="hc_pb"} 4'])
        self.assertEqual(block(e, "hc_pb_summary"), [
            "# TYPE hc_pb_summary summary",
            'hc_pb_summary{instance="p1",job="hc_pb",quantile="0.5"} 1.5',
            'hc_pb_summary{instance="p1",job="hc_pb",quantile="0.9"} 2.5',
            'hc_pb_summary_sum{instance="p1",job="hc_pb"} 10',
            'hc_pb_summary_count{instance="p1",job="hc_pb"} 5'])

    def test_protobuf_delimited_scrape(self):
        r = self.server.scrape_response(headers={"Accept": PROTO_ACCEPT + "encoding=delimited"})
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Content-Type"), PROTO_CT)
        fams = pb_decode_delimited(r.body)
        names = [f["name"] for f in fams]
        self.assertEqual(names, sorted(names), "families sorted by name")
        self.assertEqual(len(names), len(set(names)), "each family once")
        by_name = {f["name"]: f for f in fams}
        g = by_name["hc_pb_gauge"]
        self.assertEqual((g["type"], g["help"]), ("GAUGE", "PB gauge"))
        self.assertEqual(g["metrics"], [{"labels": {"instance": "p1", "job": "hc_pb", "k": "v"},
                                         "gauge": 1.5}])
        self.assertEqual(by_name["hc_pb_counter"]["metrics"][0]["counter"], 3)
        h = by_name["hc_pb_hist"]["metrics"][0]["histogram"]
        self.assertEqual((h["count"], h["sum"], h["buckets"]), (4, 2.5, [(0.5, 1), (1.0, 3)]))
        s = by_name["hc_pb_summary"]["metrics"][0]["summary"]
        self.assertEqual((s["count"], s["sum"], s["quantiles"]),
                         (5, 10.0, [(0.5, 1.5), (0.9, 2.5)]))
        ts = [m for m in by_name["push_time_seconds"]["metrics"]
              if m["labels"] == {"instance": "p1", "job": "hc_pb"}]
        self.assertEqual(len(ts), 1)
        self.assertGreater(ts[0]["gauge"], 0)
        self.assertNotIn("timestamp_ms", ts[0])

    def test_protobuf_gzip_scrape(self):
        accept = {"Accept": PROTO_ACCEPT + "encoding=delimited", "Accept-Encoding": "gzip"}
        r = self.server.scrape_response(headers=accept)
        self.assertEqual(r.header("Content-Encoding"), "gzip")
        fams = pb_decode_delimited(gzip.decompress(r.body))
        self.assertIn("hc_pb_gauge", [f["name"] for f in fams])

    def test_content_negotiation(self):
        text_ct = TEXT_CT
        proto = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
        cases = [
            (None, text_ct),
            ("*/*", text_ct),
            ("text/plain", text_ct),
            ("text/plain;version=0.0.4", text_ct),
            ("application/openmetrics-text; version=1.0.0", text_ct),
            ("application/json", text_ct),
            (PROTO_ACCEPT + "encoding=delimited", proto + "encoding=delimited"),
            (PROTO_ACCEPT + "encoding=text", proto + "encoding=text"),
            (PROTO_ACCEPT + "encoding=compact-text", proto + "encoding=compact-text"),
            ("text/plain;version=0.0.4," + PROTO_ACCEPT + "encoding=delimited", text_ct),
            ("text/plain;q=0.5," + PROTO_ACCEPT + "encoding=delimited;q=0.7",
             proto + "encoding=delimited"),
            (PROTO_ACCEPT + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3",
             proto + "encoding=delimited"),
        ]
        for accept, expected in cases:
            with self.subTest(accept=accept):
                r = self.server.scrape_response(headers={"Accept": accept} if accept else None)
                self.assertStatus(r, 200)
                self.assertEqual(r.header("Content-Type"), expected)
        r = self.server.scrape_response(headers={"Accept": PROTO_ACCEPT + "encoding=compact-text"})
        self.assertIn('name:"hc_pb_gauge" help:"PB gauge" type:GAUGE', r.text)
        r = self.server.scrape_response(headers={"Accept": PROTO_ACCEPT + "encoding=text"})
        self.assertIn('name: "hc_pb_gauge"\nhelp: "PB gauge"\ntype: GAUGE\n', r.text)

    def test_push_content_type_selects_parser(self):
        body = pb_delimited([pb_family("hc_pb_ct", PB_GAUGE, [pb_metric(gauge=1)])])
        # Parameter order and spaces do not matter for protobuf ...
        ct = ("application/vnd.google.protobuf;encoding=delimited;"
              "proto=io.prometheus.client.MetricFamily")
        self.assertStatus(self.server.push("PUT", "/job/hc_pb_ct", body, content_type=ct), 200)
        # ... but without both parameters the body is parsed as text.
        r = self.server.push("PUT", "/job/hc_pb_ct2", body,
                             content_type="application/vnd.google.protobuf")
        self.assertStatus(r, 400)
        self.assertTrue(r.text.startswith("text format parsing error in line 1: "), r.text)
        for ct in ("application/json", "application/openmetrics-text; version=1.0.0",
                   "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
                   "encoding=text"):
            with self.subTest(content_type=ct):
                self.assertStatus(self.server.push("PUT", "/job/hc_pb_ct3", "hc_pb_txt 1\n",
                                                   content_type=ct), 200)
        e = self.server.scrape()
        self.assertEqual(e.value("hc_pb_ct", job="hc_pb_ct"), 1)
        self.assertFalse(e.find("push_time_seconds", job="hc_pb_ct2"))


class JsonApiTest(ServerTestCase):
    CORS = {
        "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type, Origin",
        "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "Date",
        "Cache-Control": "no-cache, no-store, must-revalidate",
    }

    def assertCors(self, r):
        for k, v in self.CORS.items():
            self.assertEqual(r.header(k), v, k)

    def test_status(self):
        r = self.server.get("/api/v1/status")
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertCors(r)
        d = json.loads(r.body)
        self.assertEqual(list(d), ["status", "data"])
        self.assertEqual(d["status"], "success")
        data = d["data"]
        self.assertIsInstance(data["build_information"]["version"], str)
        self.assertTrue(RFC3339_RE.match(data["start_time"]), data["start_time"])
        flags = data["flags"]
        self.assertTrue(all(isinstance(v, str) for v in flags.values()), flags)
        expected = {"web.listen-address": self.server.address, "web.enable-admin-api": "true",
                    "web.enable-lifecycle": "true", "web.route-prefix": "",
                    "web.external-url": "", "web.telemetry-path": "/metrics",
                    "persistence.file": "", "persistence.interval": "5m0s",
                    "push.disable-consistency-check": "false", "log.level": "info",
                    "log.format": "logfmt"}
        self.assertEqual({k: flags.get(k) for k in expected}, expected)
        self.assertEqual(list(flags), sorted(flags), "map keys are sorted")

    def test_metrics(self):
        self.assertStatus(self.server.push("PUT", "/job/hc_api/instance/host1", RICH_TEXT), 200)
        r = self.server.get("/api/v1/metrics")
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertCors(r)
        d = json.loads(r.body)
        self.assertEqual(d["status"], "success")
        groups = [g for g in d["data"] if g["labels"] == {"instance": "host1", "job": "hc_api"}]
        self.assertEqual(len(groups), 1, d["data"])
        g = groups[0]
        self.assertEqual(list(g), sorted(g), "group keys sorted")
        self.assertIs(g["last_push_successful"], True)
        lbl = {"instance": "host1", "job": "hc_api"}
        c = g["hc_requests_total"]
        self.assertEqual(list(c), ["time_stamp", "type", "help", "metrics"])
        self.assertTrue(RFC3339_RE.match(c["time_stamp"]), c["time_stamp"])
        self.assertEqual((c["type"], c["help"]), ("COUNTER", "A counter."))
        self.assertEqual(c["metrics"], [{"labels": dict(lbl, code="200"), "value": "42"},
                                        {"labels": dict(lbl, code="500"), "value": "1"}])
        self.assertNotIn("help", g["hc_gauge"])
        self.assertEqual(g["hc_gauge"]["metrics"], [{"labels": lbl, "value": "2398.283"}])
        self.assertEqual(g["hc_big"]["metrics"][0]["value"], "1.234567e+06")
        self.assertEqual(g["hc_untyped"]["type"], "UNTYPED")
        h = g["hc_hist"]["metrics"][0]
        self.assertEqual(list(h), ["buckets", "count", "labels", "sum"])
        self.assertEqual(h, {"buckets": {"+Inf": "4", "0.5": "1", "1": "3"}, "count": "4",
                             "labels": lbl, "sum": "2.7"})
        s = g["hc_summary"]["metrics"][0]
        self.assertEqual(list(s), ["count", "labels", "quantiles", "sum"])
        self.assertEqual(s, {"count": "5", "labels": lbl, "quantiles": {"0.5": "1.5", "0.9": "2.5"},
                             "sum": "10"})
        self.assertEqual(g["push_failure_time_seconds"]["metrics"], [{"labels": lbl, "value": "0"}])
        self.assertEqual(g["push_time_seconds"]["help"], PUSH_TIME_HELP)

    def test_failed_push_visible_in_api(self):
        self.assertStatus(self.server.push("PUT", "/job/hc_api_fail", "hc_af 1\n"), 200)
        self.assertStatus(self.server.push("PUT", "/job/hc_api_fail", "hc_af 1 1000\n"), 400)
        g = self.server.api_group({"job": "hc_api_fail"})
        self.assertIsNotNone(g)
        self.assertIs(g["last_push_successful"], False)
        self.assertEqual(g["hc_af"]["metrics"][0]["value"], "1")

    def test_options_and_deleted_group(self):
        r = self.server.options("/api/v1/whatever")
        self.assertStatus(r, 200)
        self.assertEqual(r.body, b"")
        self.assertCors(r)
        self.assertStatus(self.server.push("PUT", "/job/hc_api_del", "hc_ad 1\n"), 200)
        self.assertIsNotNone(self.server.api_group({"job": "hc_api_del"}))
        self.assertStatus(self.server.delete("/metrics/job/hc_api_del"), 202)
        wait_until(lambda: self.server.api_group({"job": "hc_api_del"}) is None, 5,
                   "group gone from /api/v1/metrics")


class ExternalUrlTest(ServerTestCase):
    """E12: --web.external-url=http://example.com/pg/ puts every route under /pg; lifecycle and
    admin API disabled."""

    SERVER_ARGS = ("--web.external-url=http://example.com/pg/",)
    SERVER_KWARGS = {"prefix": "/pg", "admin": False, "lifecycle": False}

    def raw(self, method, path, body=None):
        return self.server.request(method, path, body, raw_path=True)

    def test_routes_under_prefix(self):
        self.assertStatus(self.raw("GET", "/pg/-/healthy"), 200)
        self.assertPlainError(self.raw("GET", "/-/healthy"), 404, "404 page not found")
        self.assertStatus(self.raw("PUT", "/pg/metrics/job/hc_pfx", b"hc_pfx 1\n"), 200)
        self.assertPlainError(self.raw("PUT", "/metrics/job/hc_pfx", b"hc_pfx 2\n"), 404,
                              "404 page not found")
        e = parse_text(self.raw("GET", "/pg/metrics").text)
        self.assertEqual([s.line for s in e.find("hc_pfx")], ['hc_pfx{instance="",job="hc_pfx"} 1'])
        self.assertPlainError(self.raw("GET", "/metrics"), 404, "404 page not found")
        r = self.raw("GET", "/pg/api/v1/status")
        self.assertStatus(r, 200)
        flags = json.loads(r.body)["data"]["flags"]
        self.assertEqual(flags["web.external-url"], "http://example.com/pg/")
        self.assertStatus(self.raw("GET", "/api/v1/status"), 404)
        self.assertStatus(self.raw("DELETE", "/pg/metrics/job/hc_pfx"), 202)

    def test_prefix_without_slash_redirects(self):
        r = self.raw("GET", "/pg")
        self.assertStatus(r, 301)
        self.assertEqual(r.header("Location"), "/pg/")

    def test_lifecycle_disabled(self):
        for method in ("PUT", "POST"):
            r = self.raw(method, "/pg/-/quit", b"")
            self.assertStatus(r, 403)
            self.assertEqual(r.body, b"Lifecycle API is not enabled.")
        r = self.raw("GET", "/pg/-/quit")
        self.assertStatus(r, 405)
        self.assertEqual(r.header("Allow"), "OPTIONS, POST, PUT")
        r = self.raw("GET", "/-/quit")  # the GET helper stays at the root
        self.assertStatus(r, 405)
        self.assertEqual(r.body, b"Only POST or PUT requests allowed.")
        self.assertTrue(self.server.alive())

    def test_admin_disabled(self):
        self.assertPlainError(self.raw("PUT", "/pg/api/v1/admin/wipe", b""), 404,
                              "404 page not found")


class RoutePrefixTest(ServerTestCase):
    SERVER_ARGS = ("--web.route-prefix=/rp/",)
    SERVER_KWARGS = {"prefix": "/rp"}

    def test_push_scrape_api_under_route_prefix(self):
        self.assertStatus(self.server.push("PUT", "/job/hc_rp", "hc_rp 1\n"), 200)
        self.assertEqual(self.server.scrape().value("hc_rp", job="hc_rp"), 1)
        self.assertIsNotNone(self.server.api_group({"job": "hc_rp"}))
        r = self.server.request("GET", "/metrics", raw_path=True)
        self.assertStatus(r, 404)
        self.assertStatus(self.server.put("/api/v1/admin/wipe"), 202)
        wait_until(lambda: self.server.api_metrics() == [], 5, "wipe under the route prefix")


class LifecycleTest(ServerTestCase):
    SERVER_KWARGS = {"admin": False, "lifecycle": False}

    def test_quit_terminates_with_exit_code_0(self):
        for method in ("PUT", "POST"):
            with self.subTest(method=method):
                srv = self.start_server(lifecycle=True)
                self.assertStatus(srv.push("PUT", "/job/hc_q", "hc_q 1\n"), 200)
                r = srv.request(method, "/-/quit", b"")
                self.assertStatus(r, 200)
                self.assertEqual(r.body, b"Requesting termination... Goodbye!")
                self.assertEqual(srv.wait_exit(10), 0, "exit code after /-/quit")

    def test_sigterm_exits_0(self):
        srv = self.start_server()
        self.assertEqual(srv.stop(), 0)

    def test_quit_forbidden_without_flag(self):
        r = self.server.put("/-/quit")
        self.assertStatus(r, 403)
        self.assertEqual(r.body, b"Lifecycle API is not enabled.")
        self.assertTrue(self.server.alive())


class AdminWipeTest(ServerTestCase):
    SERVER_KWARGS = {"admin": False}

    def test_wipe_not_routed_without_flag(self):
        self.assertStatus(self.server.push("PUT", "/job/hc_keep", "hc_keep 1\n"), 200)
        self.assertPlainError(self.server.put("/api/v1/admin/wipe"), 404, "404 page not found")
        self.assertEqual(self.server.scrape().value("hc_keep", job="hc_keep"), 1)

    def test_wipe_empties_store(self):
        srv = self.start_server(admin=True)
        self.assertEqual(json.loads(srv.get("/api/v1/metrics").body),
                         {"status": "success", "data": []})
        for inst in ("a", "b"):
            self.assertStatus(srv.push("PUT", "/job/hc_wipe/instance/" + inst, "hc_w 1\n"), 200)
        r = srv.put("/api/v1/admin/wipe")
        self.assertStatus(r, 202)
        self.assertEqual(r.body, b"")
        wait_until(lambda: srv.api_metrics() == [], 5, "store empty after wipe")
        e = srv.scrape()
        self.assertFalse(e.find("push_time_seconds") or e.find("hc_w"))
        self.assertStatus(srv.push("PUT", "/job/hc_wipe", "hc_w 2\n"), 200)
        self.assertEqual(srv.scrape().value("hc_w", job="hc_wipe"), 2)


class KeepAliveTest(ServerTestCase):
    IDLE_CONNECTIONS = 100

    def _open(self):
        s = socket.create_connection((self.server.host, self.server.port), timeout=5)
        self.addCleanup(s.close)
        return s

    def _quick_answer(self, bound):
        t0 = time.monotonic()
        r = http_request(self.server.host, self.server.port, "GET", "/-/ready", timeout=bound)
        elapsed = time.monotonic() - t0
        self.assertStatus(r, 200)
        self.assertLess(elapsed, bound)

    def test_idle_keep_alive_connections_do_not_starve_new_clients(self):
        request = ("GET /-/healthy HTTP/1.1\r\nHost: %s\r\n\r\n" % self.server.address).encode()
        for _ in range(self.IDLE_CONNECTIONS):
            s = self._open()
            s.sendall(request)
            data = b""
            while b"\r\n\r\nOK" not in data:
                chunk = s.recv(4096)
                self.assertTrue(chunk, "connection closed: %r" % data)
                data += chunk
            self.assertTrue(data.startswith(b"HTTP/1.1 200 "), data)
            self.assertNotIn(b"connection: close", data.lower())
        self._quick_answer(2.0)

    def test_silent_connections_do_not_starve_new_clients(self):
        for _ in range(self.IDLE_CONNECTIONS):
            self._open()
        self._quick_answer(2.0)


if __name__ == "__main__":
    unittest.main()
