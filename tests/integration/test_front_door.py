"""The HTTP front door from the outside, with raw sockets against the real binary: framing that
could smuggle a request is refused and the connection closed, bytes are never dropped, limits
are Go's, 100-continue is sent only for a body that will be read, refused uploads get their
answer, and every phase of a connection has a deadline. Answers marked "Go" were observed on
the Pushgateway 1.5.1 binary."""

import json
import os
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import ServerTestCase, ferry_only  # noqa: E402
from raw_http import complete_answers, connect, exchange, read_all  # noqa: E402

VICTIM = b"/metrics/job/fd_victim"
SMUGGLED = (b"DELETE /metrics/job/fd_victim HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")


def go_plain(status_line):
    return (b"HTTP/1.1 " + status_line + b"\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Connection: close\r\n\r\n" + status_line)


GO_400 = go_plain(b"400 Bad Request")
GO_501 = (b"HTTP/1.1 501 Not Implemented\r\nContent-Type: text/plain; charset=utf-8\r\n"
          b"Connection: close\r\n\r\nUnsupported transfer encoding")


class FrontDoorCase(ServerTestCase):
    def raw(self, data, **kw):
        return exchange(self.server.host, self.server.port, data, **kw)

    def put_victim(self):
        r = self.server.push("PUT", "/job/fd_victim", "fd_victim_metric 1\n")
        self.assertStatus(r, 200, "victim push")

    def assertVictimIntact(self):
        groups = [g["labels"].get("job") for g in self.server.api_metrics()]
        self.assertIn("fd_victim", groups, "the smuggled DELETE ran")
        self.assertTrue(self.server.alive())


@ferry_only("Go's net/http accepts some of these forms (TE with CL, obs-fold, duplicate CL)")
class SmugglingTest(FrontDoorCase):
    def setUp(self):
        self.put_victim()

    def post(self, headers, body, version=b"HTTP/1.1"):
        return (b"POST /metrics/job/fd_smuggle " + version + b"\r\nHost: x\r\n" + headers +
                b"\r\n" + body)

    def test_every_ambiguous_framing_is_refused_and_the_connection_closed(self):
        chunked_end = b"0\r\n\r\n"
        forms = [
            ("gzip, chunked", b"Transfer-Encoding: gzip, chunked\r\n", chunked_end, GO_501),
            ("chunked, identity", b"Transfer-Encoding: chunked, identity\r\n", chunked_end, GO_501),
            ("xchunked", b"Transfer-Encoding: xchunked\r\n", chunked_end, GO_501),
            ("identity", b"Transfer-Encoding: identity\r\n", b"", GO_501),
            ("two Transfer-Encoding fields",
             b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", chunked_end, GO_501),
            ("Transfer-Encoding and Content-Length",
             b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", chunked_end, None),
            ("Content-Length and Transfer-Encoding",
             b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", chunked_end, None),
            ("space before the colon", b"Transfer-Encoding : chunked\r\n", chunked_end, None),
            ("folded Transfer-Encoding", b"Transfer-Encoding:\r\n chunked\r\n", chunked_end, None),
            ("two Content-Length fields", b"Content-Length: 0\r\nContent-Length: 80\r\n", b"",
             None),
            ("one Content-Length list", b"Content-Length: 0, 80\r\n", b"", GO_400),
            ("signed Content-Length", b"Content-Length: +0\r\n", b"", GO_400),
            ("bare CR in a field", b"X-A: b\rTransfer-Encoding: chunked\r\n", chunked_end, None),
            ("0xFF in a field name", b"Transfer-Enc\xffoding: chunked\r\n", chunked_end, None),
            ("invalid chunk size", b"Transfer-Encoding: chunked\r\n", b"zz\r\n", None),
            ("chunk size with a sign", b"Transfer-Encoding: chunked\r\n", b"+0\r\n\r\n", None),
            ("chunk size with trailing space", b"Transfer-Encoding: chunked\r\n", b"0 \r\n\r\n",
             None),
            ("chunk size ended by LF", b"Transfer-Encoding: chunked\r\n", b"0\n\r\n", None),
            ("chunk data not ended by CRLF", b"Transfer-Encoding: chunked\r\n",
             b"3\r\nabcX\r\n0\r\n\r\n", None),
            ("17 hex digits", b"Transfer-Encoding: chunked\r\n", b"10000000000000000\r\n", None),
        ]
        for name, headers, body, exact in forms:
            with self.subTest(name):
                ex = self.raw(self.post(headers, body + SMUGGLED))
                self.assertIn(ex.status, (400, 501), ex)
                if exact is not None:
                    self.assertEqual(ex.data, exact)
                self.assertTrue(ex.closed, "connection left open: %r" % ex)
                self.assertEqual(len(ex.answers()), 1, "a second request was answered: %r" % ex)
                self.assertVictimIntact()
        ex = self.raw(self.post(b"Transfer-Encoding: chunked\r\n", chunked_end + SMUGGLED,
                                version=b"HTTP/1.0"))
        self.assertEqual(ex.status, 400)
        self.assertTrue(ex.closed)
        self.assertVictimIntact()

    def test_valid_framing_keeps_pipelined_requests(self):
        # The control: a well-framed body followed by the same DELETE runs both, so the test
        # above would see a smuggled request if it ran.
        body = b"5\r\nfd_s \r\n2\r\n1\n\r\n0\r\n\r\n"
        ex = self.raw(self.post(b"Transfer-Encoding: chunked\r\n", body + SMUGGLED),
                      until=complete_answers(2))
        self.assertEqual(ex.answers(), [200, 202], ex)
        groups = [g["labels"].get("job") for g in self.server.api_metrics()]
        self.assertNotIn("fd_victim", groups)
        self.assertIn("fd_smuggle", groups)


class InvalidBytesTest(FrontDoorCase):
    def setUp(self):
        self.put_victim()

    def test_bytes_outside_the_grammar_get_400_and_change_nothing(self):
        cases = [
            ("0xFF in the method", b"GE\xffT /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n"),
            ("0xFF in a field name",
             b"PUT /api/v1/admin/wipe HTTP/1.1\r\nHost: x\r\nContent-Le\xffngth: 0\r\n\r\n"),
            ("NUL in a value", b"PUT /api/v1/admin/wipe HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n"),
            ("DEL in a value", b"PUT /api/v1/admin/wipe HTTP/1.1\r\nHost: x\r\nX: a\x7fb\r\n\r\n"),
            ("control byte in the path", b"PUT /api/v1/admin/\x01wipe HTTP/1.1\r\nHost: x\r\n\r\n"),
            ("tab in the request line", b"PUT\t/api/v1/admin/wipe HTTP/1.1\r\nHost: x\r\n\r\n"),
            ("no Host", b"PUT /api/v1/admin/wipe HTTP/1.1\r\n\r\n"),
            ("two Hosts", b"PUT /api/v1/admin/wipe HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        ]
        for name, raw in cases:
            with self.subTest(name):
                ex = self.raw(raw)
                self.assertEqual(ex.status, 400, ex)
                self.assertTrue(ex.closed, ex)
                self.assertVictimIntact()

    @ferry_only("Go keeps bytes that are not UTF-8 in the path (and answers 404)")
    def test_bytes_that_are_not_utf8_in_the_target_get_400(self):
        # A parser that dropped the byte would wipe the store or delete the group.
        for name, raw in (
                ("wipe", b"PUT /api/v1/admin/wi\xffpe HTTP/1.1\r\nHost: x\r\n\r\n"),
                ("delete", b"DELETE /metrics/job/fd_vic\xfftim HTTP/1.1\r\nHost: x\r\n\r\n"),
                ("truncated sequence", b"DELETE /metrics/job/fd_victim\xc3 HTTP/1.1\r\nHost: x\r\n\r\n")):
            with self.subTest(name):
                ex = self.raw(raw)
                self.assertEqual(ex.data, GO_400)
                self.assertTrue(ex.closed)
                self.assertVictimIntact()

    def test_raw_utf8_in_a_push_url_works_as_in_the_pushgateway(self):
        ex = self.raw(b"PUT /metrics/job/fd_j\xc3\xb6b HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                      b"\r\nm 1\n", until=complete_answers(1))
        self.assertEqual(ex.status, 200, ex)
        groups = [g["labels"].get("job") for g in self.server.api_metrics()]
        self.assertIn("fd_j\u00f6b", groups)

    def test_version_errors_as_go(self):
        ex = self.raw(b"GET /-/healthy HTTP/9.9\r\nHost: x\r\n\r\n")
        self.assertEqual(ex.data, go_plain(b"505 HTTP Version Not Supported: unsupported protocol "
                                           b"version"))
        ex = self.raw(b"GET /-/healthy HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n")
        self.assertEqual(ex.status, 417)
        self.assertTrue(ex.closed)


class LimitsTest(FrontDoorCase):
    def test_a_78_kb_url_with_10000_label_pairs_is_accepted(self):
        path = "/metrics/job/fd_long" + "".join("/l%d/v" % i for i in range(10000))
        self.assertGreater(len(path), 78000)
        r = self.server.request("PUT", path, b"fd_long_metric 1\n")
        self.assertStatus(r, 200)
        group = [g for g in self.server.api_metrics() if g["labels"].get("job") == "fd_long"]
        self.assertEqual(len(group), 1)
        self.assertEqual(len(group[0]["labels"]), 10001)
        self.assertStatus(self.server.request("DELETE", path), 202)

    def test_a_megabyte_of_headers_is_accepted_and_more_gets_431(self):
        fields = b"".join(b"X-F-%d: %s\r\n" % (i, b"v" * 1000) for i in range(1000))
        head = b"GET /-/healthy HTTP/1.1\r\nHost: x\r\n"
        self.assertLess(len(head + fields) + 2, (1 << 20) + 4096)
        ex = self.raw(head + fields + b"\r\n", until=complete_answers(1))
        self.assertEqual(ex.status, 200, ex)
        big = head + b"X-Big: " + b"v" * ((1 << 20) + 4096) + b"\r\n\r\n"
        ex = self.raw(big)
        self.assertEqual(ex.data, go_plain(b"431 Request Header Fields Too Large"))
        self.assertTrue(ex.closed)


class ExpectContinueTest(FrontDoorCase):
    def test_continue_only_for_a_body_that_will_be_read(self):
        with connect(self.server.host, self.server.port) as s:
            s.sendall(b"PUT /metrics/job/fd_expect HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n"
                      b"Expect: 100-continue\r\n\r\n")
            data, _ = read_all(s, 5, until=lambda d: b"\r\n\r\n" in d)
            self.assertEqual(data, b"HTTP/1.1 100 Continue\r\n\r\n")
            s.sendall(b"fd_expect 1\n")
            data, _ = read_all(s, 5, until=complete_answers(1))
            self.assertTrue(data.startswith(b"HTTP/1.1 200 OK\r\n"), data)

    @ferry_only("the Pushgateway has no body limit")
    def test_no_continue_for_a_body_over_the_limit(self):
        ex = self.raw(b"PUT /metrics/job/fd_expect HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Length: 999999999999\r\nExpect: 100-continue\r\n\r\n")
        self.assertEqual(ex.answers(), [413], ex)
        self.assertTrue(ex.closed)


class PipeliningAndVersionsTest(FrontDoorCase):
    def test_pipelined_requests_are_answered_in_order(self):
        ex = self.raw(b"GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n"
                      b"PUT /metrics/job/fd_pipe HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"
                      b"fd_pipe 1\n"
                      b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n",
                      until=complete_answers(3))
        self.assertEqual(ex.answers(), [200, 200, 404], ex)
        self.assertFalse(ex.closed)

    def test_http10_keeps_alive_only_when_asked(self):
        ex = self.raw(b"GET /-/healthy HTTP/1.0\r\n\r\n")
        self.assertTrue(ex.data.startswith(b"HTTP/1.0 200 OK\r\n"), ex)
        self.assertTrue(ex.closed)
        ex = self.raw(b"GET /-/healthy HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                      until=complete_answers(1), timeout=2)
        self.assertIn(b"\r\nConnection: keep-alive\r\n", ex.data)
        self.assertFalse(ex.closed)

    def test_connection_close_is_honoured(self):
        ex = self.raw(b"GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertIn(b"\r\nConnection: close\r\n", ex.data)
        self.assertTrue(ex.closed)


@ferry_only("the Pushgateway has no deadlines")
class DeadlinesTest(FrontDoorCase):
    SERVER_ARGS = ("--web.read-header-timeout=1s", "--web.keep-alive-timeout=1s",
                   "--web.read-body-timeout=1s", "--web.read-body-min-rate=1000000")

    def test_a_trickled_head_gets_408_and_the_connection_closes(self):
        with connect(self.server.host, self.server.port) as s:
            t0 = time.monotonic()
            s.sendall(b"GET /-/healthy HTTP/1.1\r\nHo")
            data, closed = read_all(s, 10)
            self.assertEqual(data, go_plain(b"408 Request Timeout"))
            self.assertTrue(closed)
            self.assertLess(time.monotonic() - t0, 8)

    def test_a_trickled_body_gets_408(self):
        with connect(self.server.host, self.server.port) as s:
            s.sendall(b"PUT /metrics/job/fd_slow HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                      b"fd_")
            data, closed = read_all(s, 10)
            self.assertTrue(data.startswith(b"HTTP/1.1 408 "), data)
            self.assertTrue(closed)
        self.assertNotIn("fd_slow", [g["labels"].get("job") for g in self.server.api_metrics()])

    def test_idle_and_silent_connections_are_closed(self):
        with connect(self.server.host, self.server.port) as silent, \
                connect(self.server.host, self.server.port) as idle:
            idle.sendall(b"GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n")
            data, _ = read_all(idle, 5, until=complete_answers(1))
            self.assertTrue(data.startswith(b"HTTP/1.1 200"), data)
            for s in (silent, idle):
                rest, closed = read_all(s, 10)
                self.assertEqual(rest, b"")
                self.assertTrue(closed)


@ferry_only("the Pushgateway has no body limit")
class RefusedUploadTest(FrontDoorCase):
    SERVER_ARGS = ("--push.max-body-bytes=1000",)

    def test_a_client_that_sends_everything_first_still_reads_its_413(self):
        # No Expect, and the client reads only after sending 5 MB: the server drains what it
        # refused (lingering close) instead of resetting the connection.
        with connect(self.server.host, self.server.port, timeout=30) as s:
            size = 5 << 20
            s.sendall(b"PUT /metrics/job/fd_big HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                      % size)
            chunk = b"x" * 65536
            for _ in range(size // len(chunk)):
                s.sendall(chunk)
            data, closed = read_all(s, 10)
        self.assertTrue(data.startswith(b"HTTP/1.1 413 Request Entity Too Large\r\n"), data[:200])
        self.assertIn(b"request body too large: limit is 1000 bytes\n", data)
        self.assertTrue(closed)

    def test_a_chunked_body_over_the_limit_gets_413(self):
        ex = self.raw(b"PUT /metrics/job/fd_big HTTP/1.1\r\nHost: x\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n" + b"400\r\n" + b"x" * 1024 + b"\r\n")
        self.assertEqual(ex.status, 413, ex)
        self.assertTrue(ex.closed)

    def test_a_decoded_body_over_the_limit_gets_413(self):
        import gzip
        body = gzip.compress(b"fd_bomb 1\n" * 1000)
        ex = self.raw(b"PUT /metrics/job/fd_big HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(body) + body, until=complete_answers(1))
        self.assertEqual(ex.status, 413, ex)
        self.assertIn(b"request body too large: limit is 1000 bytes", ex.data)


if __name__ == "__main__":
    unittest.main()
