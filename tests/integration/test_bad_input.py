"""Untrusted input: every bad request gets a 4xx quickly, the server keeps serving, and the data
stored before is byte-identical in the scrape afterwards."""

import gzip
import json
import os
import random
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import (  # noqa: E402
    is_pushgateway,
    PB_COUNTER, PB_GAUGE, PB_HISTOGRAM, PROTO_CT, TIME_SCALE, ServerTestCase, ferry_only,
    pb_delimited, pb_family, pb_metric, pb_varint)

BASE_TEXT = """\
# HELP bi_requests_total Requests with \\\\ and \\n in help.
# TYPE bi_requests_total counter
bi_requests_total{code="200",path="/a \\"q\\""} 42
bi_requests_total{code="500",path="/a \\"q\\""} 1.5e-07
# TYPE bi_hist histogram
bi_hist_bucket{le="0.1"} 1
bi_hist_bucket{le="1"} 3
bi_hist_sum 1.25
bi_hist_count 4
bi_untyped{unicode="\u03a0\u03c1\u03bf"} -Inf
"""
BASE_GROUP = "/job/bi_base/instance/b1"
PB_GROUP = "/job@base64/YmkvcGI/zone@base64/=="  # job "bi/pb", zone=""
BASE_JOBS = ("bi_base", "bi/pb")
PB_FAMILIES = [
    pb_family("bi_pb_gauge", PB_GAUGE, [pb_metric(labels=[("k", "v")], gauge=0.25)], help="PB"),
    pb_family("bi_pb_counter", PB_COUNTER, [pb_metric(counter=1e21)]),
    pb_family("bi_pb_hist", PB_HISTOGRAM, [pb_metric(histogram=(3, 0.5, [(0.5, 2)]))]),
]
PB_BODY = pb_delimited(PB_FAMILIES)
FAST_S = 10.0 * TIME_SCALE  # every rejection must arrive within this bound


def raw_exchange(srv, head, body_chunks=(), timeout=FAST_S):
    """Sends a raw request (head bytes, then body chunks from a sender thread) and reads the
    response status line while sending, so that an early answer (413) is seen even when the
    server stops reading the body. Returns (status or None if the connection was closed or
    reset without a status line, elapsed seconds, response head bytes)."""
    sock = socket.create_connection((srv.host, srv.port), timeout=timeout)
    stop = threading.Event()

    def send():
        try:
            sock.sendall(head)
            for chunk in body_chunks:
                if stop.is_set():
                    return
                sock.sendall(chunk)
        except OSError:
            pass  # the server may close the connection as soon as it has answered

    t0 = time.monotonic()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    data = b""
    try:
        while b"\r\n" not in data:
            left = timeout - (time.monotonic() - t0)
            if left <= 0:
                raise AssertionError("no response within %.0fs" % timeout)
            sock.settimeout(left)
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, BrokenPipeError):
        pass
    except socket.timeout:
        raise AssertionError("no response within %.0fs" % timeout)
    finally:
        elapsed = time.monotonic() - t0
        stop.set()
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
        sender.join(timeout)
    status = None
    if data.startswith(b"HTTP/1.") and len(data.split(b" ", 2)) >= 2:
        status = int(data.split(b" ", 2)[1])
    return status, elapsed, data


def repeat(chunk, total):
    sent = 0
    while sent < total:
        piece = chunk[:total - sent]
        sent += len(piece)
        yield piece


class BadInputTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.push_baseline()
        except Exception:
            cls.server.cleanup()
            raise

    @classmethod
    def push_baseline(cls):
        for path, body, ct in ((BASE_GROUP, BASE_TEXT, None), (PB_GROUP, PB_BODY, PROTO_CT)):
            r = cls.server.push("PUT", path, body, content_type=ct)
            if r.status != 200:
                raise AssertionError("baseline push %s: %r" % (path, r))
        cls.baseline = cls.snapshot()
        if len(cls.baseline["lines"]) < 20:
            raise AssertionError("baseline too small: %r" % cls.baseline)

    @classmethod
    def snapshot(cls):
        """Exposition lines of the baseline groups and families, and their API entries."""
        e = cls.server.scrape()
        lines = [line for f in e.families.values() for line in f.lines
                 if f.name.startswith("bi_") or
                 (not line.startswith("#") and any('job="%s"' % j in line for j in BASE_JOBS))]
        api = [json.dumps(g, sort_keys=False) for g in cls.server.api_metrics()
               if g["labels"].get("job") in BASE_JOBS]
        return {"lines": lines, "api": sorted(api)}

    def assertIntact(self):
        self.assertTrue(self.server.alive(), "server process died")
        self.assertStatus(self.server.get("/-/healthy"), 200, "healthy")
        now, before = self.snapshot(), self.baseline
        if now != before:
            self.push_baseline()  # so that later checks do not fail for the same reason
        self.assertEqual(now["lines"], before["lines"])
        self.assertEqual(now["api"], before["api"])

    def assertRejected(self, resp, code=400, message=None):
        self.assertStatus(resp, code)
        if message is not None:
            self.assertEqual(resp.text, message + "\n")
        self.assertIntact()

    # ---- text ------------------------------------------------------------------------------

    def test_garbage_text(self):
        parse = "text format parsing error in line "
        cases = [
            (b"garbage", parse + "1: unexpected end of input stream"),
            (b"bi_x 1\nbroken{\n", parse + '2: invalid label name for metric "broken"'),
            (b"\x00\x01\x02\xff\xfe garbage\n", parse + "1: invalid metric name"),
            (b"x 1\r\n", parse + '1: expected float as value, got "1\\r"'),
            (b'm{a="\xff"} 1\n', parse + '1: invalid label value "\\xff"'),
            (b"# TYPE x counter\nx 1\n# TYPE x counter\n",
             parse + '3: second TYPE line for metric name "x", or TYPE reported after samples'),
            (b"m{" + b'a="b",' * 100000 + b"} 1\n",
             parse + '1: duplicate label names for metric "m"'),
            (b"a" * (10 << 20), parse + "1: unexpected end of input stream"),
            (b"ok 1\n" * 1000 + b"bad line here\n", None),
            (b'm{a="unterminated} 1\n', None),
            (b"m 1 2 3 4\n", None),
            (b"# TYPE m histogram\nm_bucket{le=\"x\"} 1\n", None),
        ]
        for body, message in cases:
            with self.subTest(body=body[:40]):
                for method in ("PUT", "POST"):
                    self.assertRejected(self.server.push(method, BASE_GROUP, body), 400, message)

    def test_random_binary_bodies(self):
        rng = random.Random(20240501)
        for size in (1, 17, 4096, 1 << 20):
            # A leading control byte: a random blank or comment line would be a valid empty push.
            body = b"\x01" + rng.randbytes(size) + b"\n"
            with self.subTest(size=size, format="text"):
                self.assertRejected(self.server.push("PUT", BASE_GROUP, body), 400)
            if size > 1:  # one byte could be a lone length prefix, which 1.5.1 reads as EOF
                with self.subTest(size=size, format="protobuf"):
                    self.assertRejected(self.server.push("PUT", PB_GROUP, body[1:],
                                                         content_type=PROTO_CT), 400)

    # ---- protobuf --------------------------------------------------------------------------

    def test_truncated_protobuf(self):
        boundaries, pos = set(), 0
        for fam in PB_FAMILIES:
            pos += len(pb_varint(len(fam))) + len(fam)
            boundaries.add(pos)
        # Not a cut right after a length prefix: 1.5.1 reads a missing message as a clean EOF.
        first_prefix = len(pb_varint(len(PB_FAMILIES[0])))
        cuts = sorted({first_prefix + 1, first_prefix + 7, len(PB_BODY) // 2,
                       len(PB_BODY) - 3, len(PB_BODY) - 1} - boundaries)
        for cut in cuts:
            with self.subTest(cut=cut):
                self.assertRejected(self.server.push("PUT", PB_GROUP, PB_BODY[:cut],
                                                     content_type=PROTO_CT), 400)

    def test_malformed_protobuf(self):
        fam = PB_FAMILIES[0]
        cases = {
            "length prefix 2^40": pb_varint(1 << 40) + b"abc",
            "11-byte varint": b"\xff" * 11,
            "invalid wire type": b"\x02\x0f\xff",
            "field length past the message": pb_varint(4) + b"\x0a\x7f\x61\x62",
            "metric length past the family": pb_varint(6) + b"\x0a\x01a\x22\x7f\x00",
            "good family then garbage message": pb_delimited([fam]) + b"\x02\x0f\xff",
        }
        for what, body in cases.items():
            with self.subTest(what):
                t0 = time.monotonic()
                r = self.server.push("PUT", PB_GROUP, body, content_type=PROTO_CT)
                self.assertLess(time.monotonic() - t0, FAST_S)
                self.assertRejected(r, 400)

    @ferry_only("Pushgateway allocates the announced length first; it sometimes needs 15 s")
    def test_protobuf_huge_length_prefix(self):
        for length in (1 << 31, (1 << 32) - 1, 64 << 20):
            with self.subTest(length=length):
                t0 = time.monotonic()
                r = self.server.push("PUT", PB_GROUP, pb_varint(length) + b"abc",
                                     content_type=PROTO_CT)
                self.assertLess(time.monotonic() - t0, 2.0, "answer not quick")
                self.assertRejected(r, 400)

    @ferry_only("Pushgateway accepts protobuf families with an empty or invalid name (spec 3.3)")
    def test_protobuf_invalid_family_names(self):
        cases = {
            "empty name": pb_family("", PB_GAUGE, [pb_metric(gauge=1)]),
            "zero-length message": b"",
            "dotted name": pb_family("bad.name", PB_GAUGE, [pb_metric(gauge=1)]),
            "leading digit": pb_family("1abc", PB_GAUGE, [pb_metric(gauge=1)]),
        }
        for what, fam in cases.items():
            with self.subTest(what):
                body = pb_delimited([PB_FAMILIES[1], fam])
                for method in ("PUT", "POST"):
                    self.assertRejected(self.server.push(method, PB_GROUP, body,
                                                         content_type=PROTO_CT), 400)
                self.assertRejected(self.server.push("PUT", "/job/bi_pbname", body,
                                                     content_type=PROTO_CT), 400)
                self.assertFalse(self.server.scrape().find("push_time_seconds", job="bi_pbname"))

    # ---- compression -----------------------------------------------------------------------

    def test_bad_gzip(self):
        corrupt = bytearray(gzip.compress(b"x 1\ny 2\nz 3\n" * 50))
        for i in range(12, 20):
            corrupt[i] ^= 0xFF
        cases = [
            (b"this is not gzip data\n", "gzip: invalid header"),
            (b"not gzip\n", "unexpected EOF"),
            (bytes(corrupt), None),
            (gzip.compress(b"garbage"), "text format parsing error in line 1: "
                                        "unexpected end of input stream"),
            (gzip.compress(b"bi_x 1\n")[:14], None),
        ]
        for body, message in cases:
            with self.subTest(body=body[:16]):
                r = self.server.push("PUT", BASE_GROUP, body, headers={"Content-Encoding": "gzip"})
                self.assertRejected(r, 400, message)

    def test_gzip_bomb_of_invalid_text(self):
        body = gzip.compress(b"\0" * (100 << 20), compresslevel=1)
        t0 = time.monotonic()
        r = self.server.push("PUT", BASE_GROUP, body, headers={"Content-Encoding": "gzip"},
                             timeout=FAST_S)
        self.assertLess(time.monotonic() - t0, FAST_S)
        self.assertRejected(r, (400, 413))

    @ferry_only("Pushgateway has no body limit; a gzip body inflating past it must get 413")
    def test_gzip_bomb_of_valid_text_over_body_limit(self):
        body = gzip.compress(b"bi_bomb 1\n" * (10 << 20), compresslevel=1)  # 100 MiB inflated
        t0 = time.monotonic()
        r = self.server.push("PUT", BASE_GROUP, body, headers={"Content-Encoding": "gzip"},
                             timeout=FAST_S)
        self.assertLess(time.monotonic() - t0, FAST_S)
        self.assertRejected(r, 413)

    # ---- URL -------------------------------------------------------------------------------

    def test_bad_base64_label_values(self):
        prefix = "invalid base64 encoding for label "
        cases = [
            ("/lbl@base64/%21%21", prefix + 'lbl="!!": illegal base64 data at input byte 0'),
            ("/lbl@base64/a+b", prefix + 'lbl="a+b": illegal base64 data at input byte 1'),
            ("/lbl@base64/YWJj%3D%3Dxx", prefix + 'lbl="YWJj==xx": illegal base64 data at input '
                                                  'byte 4'),
            ("/lbl@base64/YWJjZ", prefix + 'lbl="YWJjZ": illegal base64 data at input byte 4'),
        ]
        for suffix, message in cases:
            with self.subTest(suffix=suffix):
                self.assertRejected(self.server.push("PUT", BASE_GROUP + suffix, "bi_x 1\n"), 400,
                                    message)
                self.assertRejected(self.server.delete("/metrics" + BASE_GROUP + suffix), 400,
                                    message)

    def test_bad_base64_job_message(self):
        # Its own server: Pushgateway 1.5.1 deadlocks the PUT job@base64 handler after this.
        srv = self.start_server()
        r = srv.push("PUT", "/job@base64/%21%21%21", "bi_x 1\n")
        # 1.5.1 quotes its (empty) failed decode result; Ferry quotes what the client sent.
        quoted = '""' if is_pushgateway(srv.binary) else '"!!!"'
        self.assertPlainError(r, 400, 'invalid base64 encoding in job name %s: '
                                      'illegal base64 data at input byte 0' % quoted)

    @ferry_only("Pushgateway 1.5.1 deadlocks the handler after a bad base64 job name (E15)")
    def test_bad_base64_job_does_not_deadlock(self):
        for method in ("PUT", "POST", "DELETE"):
            body = b"bi_x 1\n" if method != "DELETE" else None
            for bad in ("%21%21%21", "a+b", "Zm9v%21"):
                r = self.server.request(method, "/metrics/job@base64/" + bad, body, timeout=5)
                self.assertStatus(r, 400, "%s bad base64 job %s" % (method, bad))
        # Every handler still answers (Zm9v is "foo").
        for method, code in (("PUT", 200), ("POST", 200), ("DELETE", 202)):
            for path in ("/metrics/job@base64/Zm9v", "/metrics/job@base64/Zm9v/a/b"):
                body = b"bi_job 1\n" if method != "DELETE" else None
                r = self.server.request(method, path, body, timeout=5)
                self.assertStatus(r, code, "%s %s after bad base64 job" % (method, path))
        self.assertIntact()

    def test_invalid_percent_encoding(self):
        for path in ("/metrics/job/bi_base%zz", "/metrics/job/bi_base/instance/b1%",
                     "/metrics/job/bi_base/instance/b1%4", "/metrics/job%/bi_base"):
            with self.subTest(path=path):
                r = self.server.request("PUT", path, b"bi_x 1\n", timeout=FAST_S)
                self.assertRejected(r, 400)

    @ferry_only("Pushgateway stores the group of a rejected non-UTF-8 URL label; scrapes are 500")
    def test_invalid_utf8_in_url(self):
        for path in ("/metrics/job/bi_u8/lbl/%ff", "/metrics/job/%c3%28",
                     "/metrics/job/bi_u8/lbl@base64/_w"):
            with self.subTest(path=path):
                self.assertRejected(self.server.request("PUT", path, b"bi_x 1\n"), 400)
                self.assertFalse(self.server.scrape().find("push_time_seconds", job="bi_u8"))

    # ---- size limits -----------------------------------------------------------------------

    def _big_push(self, head, body_chunks):
        status, elapsed, data = raw_exchange(self.server, head, body_chunks)
        self.assertEqual(status, 413, "response %r" % data[:200])
        self.assertLess(elapsed, FAST_S)
        self.assertIntact()

    @ferry_only("Pushgateway has no body limit; Ferry answers 413 above 64 MiB by default")
    def test_body_of_100_mb_gets_413(self):
        size = 100 << 20
        head = ("PUT /metrics%s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n"
                % (BASE_GROUP, self.server.address, size)).encode()
        self._big_push(head, repeat(b"bi_big 1\n" * 100000, size))

    @ferry_only("Pushgateway has no body limit; chunked bodies are limited too")
    def test_chunked_body_of_100_mb_gets_413(self):
        head = ("PUT /metrics%s HTTP/1.1\r\nHost: %s\r\nTransfer-Encoding: chunked\r\n\r\n"
                % (BASE_GROUP, self.server.address)).encode()
        payload = b"bi_big 1\n" * 100000
        chunk = b"%x\r\n%s\r\n" % (len(payload), payload)

        def chunks():
            for _ in range((100 << 20) // len(payload) + 1):
                yield chunk
            yield b"0\r\n\r\n"
        self._big_push(head, chunks())

    # ---- headers ---------------------------------------------------------------------------

    def _head(self, path, extra_headers, body=b"hf_flood 1\n"):
        return (b"PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n%s\r\n%s"
                % (path.encode(), self.server.address.encode(), len(body), extra_headers, body))

    def test_header_flood_many_headers(self):
        for what, hdrs in (
                ("10000 distinct", b"".join(b"X-Flood-%d: %s\r\n" % (i, b"v" * 50)
                                            for i in range(10000))),
                ("5000 repeated", b"X-Same: vvvvvvvvvv\r\n" * 5000)):
            with self.subTest(what):
                status, elapsed, data = raw_exchange(self.server,
                                                     self._head("/metrics/job/hf_flood", hdrs))
                # Go accepts up to 1 MiB of headers; a smaller limit answering 4xx is fine.
                self.assertIn(status, (200, 400, 413, 431, None), data[:200])
                self.assertLess(elapsed, FAST_S)
                self.assertIntact()

    def test_header_flood_huge_values(self):
        for what, hdrs, allowed in (
                ("one 2 MiB header", b"X-Big: " + b"a" * (2 << 20) + b"\r\n", ()),
                # Go answers 400; Poco (Ferry's HTTP layer) skips a line without a colon and
                # serves the request, which is why this one pushes to a scratch group.
                ("header without colon", b"this is not a header\r\n", (200,)),
                ("header name with a space", b"Not A Token: v\r\n", ()),
                ("2 MiB header name", b"X" * (2 << 20) + b": v\r\n", ())):
            with self.subTest(what):
                path = "/metrics/job/bi_scratch" if allowed else "/metrics" + BASE_GROUP
                status, elapsed, data = raw_exchange(self.server, self._head(path, hdrs))
                # A 4xx, or the connection closed without an answer; never a hang, and never
                # success for a request that would change the baseline.
                self.assertIn(status, (400, 413, 431, None) + allowed, data[:200])
                self.assertLess(elapsed, FAST_S)
                self.assertIntact()

    def test_huge_request_line(self):
        status, elapsed, data = raw_exchange(
            self.server, self._head("/metrics" + BASE_GROUP + "/" + "a" * 200000, b""))
        self.assertTrue(status is None or 400 <= status < 500, data[:200])
        self.assertLess(elapsed, FAST_S)
        self.assertIntact()

    def test_garbage_request_line(self):
        for head in (b"GARBAGE\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
                     b"PUT /metrics/job/x HTTP/9.9\r\nContent-Length: 4\r\n\r\nx 1\n"):
            with self.subTest(head=head[:20]):
                status, elapsed, data = raw_exchange(self.server, head)
                self.assertTrue(status is None or 400 <= status < 600, data[:200])
                self.assertLess(elapsed, FAST_S)
                self.assertIntact()


if __name__ == "__main__":
    unittest.main()
