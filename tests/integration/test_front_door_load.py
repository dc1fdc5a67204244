"""The front door under load, against the real binary on 127.0.0.1: 10,000 idle connections and
trickling clients do not delay a new client; 50 uploads of 70 MB over the limit all get their
413; anonymous gzip bombs with "auth" on are never read or decompressed; a flood of wrong
passwords does not delay a client whose credentials were verified before; plain HTTP on the TLS
port gets Go's answer and TLS offers Go's cipher suites. Every loop is bounded in count and
time."""

import base64
import gzip
import hashlib
import json
import os
import resource
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import Server, ServerTestCase, ferry_only, http_request  # noqa: E402
from raw_http import complete_answers, connect, read_all, vm_status  # noqa: E402

PUSHGATEWAY_BIN = os.environ.get("PUSHGATEWAY_BIN", "/usr/bin/prometheus-pushgateway")
HEALTHY = b"GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n"


def healthy_latency(server, timeout=5.0):
    """Seconds for a new client to connect and get GET /-/healthy answered."""
    t0 = time.monotonic()
    with connect(server.host, server.port, timeout) as s:
        s.sendall(HEALTHY)
        data, _ = read_all(s, timeout, until=complete_answers(1))
    elapsed = time.monotonic() - t0
    if not data.startswith(b"HTTP/1.1 200 "):
        raise AssertionError("healthy: %r" % data[:200])
    return elapsed


def raise_open_files(wanted):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, wanted), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Trickler(threading.Thread):
    """Sends `data` one byte at a time, a byte every `interval` seconds, until stopped."""

    def __init__(self, server, data, interval):
        super().__init__(daemon=True)
        self.sock = connect(server.host, server.port)
        self.data = data
        self.interval = interval
        self.stop = threading.Event()

    def run(self):
        try:
            for i in range(len(self.data)):
                if self.stop.wait(self.interval):
                    return
                self.sock.send(self.data[i:i + 1])
        except OSError:
            pass

    def close(self):
        self.stop.set()
        self.join(5)
        self.sock.close()


@ferry_only("the Pushgateway is the reference these numbers are compared with")
class IdleAndSlowClientsTest(ServerTestCase):
    IDLE = 10000  # the full size: opening them takes a few seconds
    KEPT_ALIVE = 2000  # of the idle ones: connections that completed a request first

    def test_a_new_client_is_answered_within_100_ms(self):
        limit = raise_open_files(self.IDLE + 500)
        self.assertGreaterEqual(limit, self.IDLE + 500,
                                "this test needs RLIMIT_NOFILE >= %d (hard limit too low)"
                                % (self.IDLE + 500))
        sockets = []
        tricklers = []
        try:
            t0 = time.monotonic()
            for i in range(self.IDLE):
                s = connect(self.server.host, self.server.port)
                sockets.append(s)
                if i < self.KEPT_ALIVE:
                    s.sendall(HEALTHY)
            for s in sockets[:self.KEPT_ALIVE]:
                data, _ = read_all(s, 10, until=complete_answers(1))
                self.assertTrue(data.startswith(b"HTTP/1.1 200 "), data[:100])
            self.assertLess(time.monotonic() - t0, 120, "opening the connections took too long")
            # Slow clients: heads, chunked bodies and uploads trickling a byte at a time.
            for _ in range(20):
                tricklers.append(Trickler(self.server, HEALTHY, 0.2))
                tricklers.append(Trickler(
                    self.server, b"POST /metrics/job/fd_trickle HTTP/1.1\r\nHost: x\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n5\r\nfd_t ", 0.05))
                tricklers.append(Trickler(
                    self.server, b"PUT /metrics/job/fd_trickle HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Length: 100000\r\n\r\n" + b"#" * 1000, 0.01))
            for t in tricklers:
                t.start()
            time.sleep(1)
            latencies = [healthy_latency(self.server) for _ in range(21)]
            median = statistics.median(latencies)
            self.assertLess(median, 0.1, "median %.3fs of %r" % (median, latencies))
            self.assertLess(max(latencies), 1.0, latencies)
            # The idle connections are still open and usable.
            for s in sockets[self.IDLE - 5:]:
                s.sendall(HEALTHY)
                data, _ = read_all(s, 10, until=complete_answers(1))
                self.assertTrue(data.startswith(b"HTTP/1.1 200 "), data[:100])
        finally:
            for t in tricklers:
                t.close()
            for s in sockets:
                s.close()


@ferry_only("the Pushgateway has no body limit")
class UploadsOverTheLimitTest(ServerTestCase):
    """50 uploads over the limit at once. The full size, 70 MB over the default 64 MiB (3.5 GB
    per round), is `make bench-front-door` (FERRY_FRONT_DOOR_FULL=1); `make test` sends 2 MB
    over a 1 MiB limit: the same concurrency and the same drain on the server, less loopback."""
    CLIENTS = 50
    FULL = os.environ.get("FERRY_FRONT_DOOR_FULL") == "1"
    SIZE = 70 * 1000 * 1000 if FULL else 2 * 1000 * 1000
    SERVER_ARGS = () if FULL else ("--push.max-body-bytes=1048576",)

    def upload(self, expect, results, index):
        try:
            with connect(self.server.host, self.server.port, timeout=120) as s:
                head = (b"PUT /metrics/job/fd_upload HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
                        % self.SIZE)
                if expect:
                    # Waits for 100 Continue or the final answer, as curl does.
                    s.sendall(head + b"Expect: 100-continue\r\n\r\n")
                    data, _ = read_all(s, 30, until=lambda d: b"\r\n\r\n" in d)
                else:
                    # Sends everything before reading anything: the strictest client.
                    s.sendall(head + b"\r\n")
                    chunk = b"x" * (1 << 20)
                    sent = 0
                    while sent < self.SIZE:
                        n = min(len(chunk), self.SIZE - sent)
                        s.sendall(chunk[:n])
                        sent += n
                    data, _ = read_all(s, 30, until=lambda d: b"\r\n\r\n" in d)
            results[index] = data
        except OSError as e:
            results[index] = repr(e).encode()

    def run_clients(self, expect):
        results = [b""] * self.CLIENTS
        threads = [threading.Thread(target=self.upload, args=(expect, results, i), daemon=True)
                   for i in range(self.CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(240)
        return results

    def test_every_client_gets_its_413(self):
        for expect in (False, True):
            with self.subTest(expect=expect):
                results = self.run_clients(expect)
                lost = [r[:120] for r in results
                        if not r.startswith(b"HTTP/1.1 413 Request Entity Too Large\r\n")]
                self.assertEqual(lost, [], "%d of %d clients did not read a 413"
                                 % (len(lost), self.CLIENTS))
        self.assertTrue(self.server.alive())


def gzip_bomb(size_mb):
    """About size_mb MB of gzip that decodes to about 1000 times as much (zeros)."""
    member = gzip.compress(b"\0" * (64 << 20), 9)
    count = max(1, (size_mb << 20) // len(member))
    return member * count


@ferry_only("the Pushgateway has no \"auth\"")
class AnonymousBodiesTest(unittest.TestCase):
    BOMBS = 32

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ferry-fd-auth-")
        config = os.path.join(cls.dir, "ferry.json")
        with open(config, "w") as f:
            json.dump({"auth": {
                "plugins": [{"plugin": "token", "config": {"tokens": {
                    "ci": hashlib.sha256(b"fd-token").hexdigest()}}}],
                "rights": {"token:ci": {"push": True}, "anonymous": {}}}}, f)
        cls.server = Server("--config.file=" + config)
        cls.server.start()
        cls.bomb = gzip_bomb(10)

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def send_bomb(self, path, results, index):
        try:
            with connect(self.server.host, self.server.port, timeout=60) as s:
                s.sendall(b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\n"
                          b"Content-Length: %d\r\n\r\n" % (path, len(self.bomb)) + self.bomb)
                data, _ = read_all(s, 30, until=lambda d: b"\r\n\r\n" in d)
            results[index] = data
        except OSError as e:
            results[index] = repr(e).encode()

    def test_anonymous_bodies_are_neither_read_nor_decompressed(self):
        self.assertGreater(len(self.bomb), 9 << 20)
        idle_kb = vm_status(self.server.proc.pid, "VmRSS")
        results = [b""] * self.BOMBS
        # Half to a push route (401: no right), half to router answers (404, 405).
        paths = [b"/metrics/job/fd_bomb", b"/nowhere", b"/-/healthy"]
        threads = [threading.Thread(target=self.send_bomb,
                                    args=(paths[i % len(paths)], results, i), daemon=True)
                   for i in range(self.BOMBS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        codes = sorted(set(r.split(b" ")[1] for r in results if r.startswith(b"HTTP/1.1 ")))
        self.assertEqual(codes, [b"401", b"404", b"405"], [r[:80] for r in results])
        peak_kb = vm_status(self.server.proc.pid, "VmHWM")
        self.assertLess(peak_kb - idle_kb, 50 * 1024, "RSS grew by %d kB" % (peak_kb - idle_kb))
        # The token's holder may push, and its bomb stops at the limit (413).
        r = http_request(self.server.host, self.server.port, "POST", "/metrics/job/fd_bomb",
                         self.bomb, {"Content-Encoding": "gzip",
                                     "Authorization": "Bearer fd-token"}, timeout=60)
        self.assertEqual(r.status, 413, r)


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


@ferry_only("measured against Ferry's own bcrypt threads")
class WrongPasswordFloodTest(unittest.TestCase):
    FLOOD = 150
    # bcrypt("fakepassword"), cost 10: each check takes tens of milliseconds.
    HASH = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi"

    def test_cached_credentials_are_not_delayed(self):
        d = tempfile.mkdtemp(prefix="ferry-fd-flood-")
        self.addCleanup(shutil.rmtree, d, True)
        web = os.path.join(d, "web.yml")
        with open(web, "w") as f:
            f.write("basic_auth_users:\n  alice: %s\n" % self.HASH)
        server = Server("--web.config.file=" + web)
        self.addCleanup(server.cleanup)
        good = {"Authorization": basic("alice", "fakepassword")}
        plain_get = server.get
        server.get = lambda path, **kw: plain_get(path, headers=kw.pop("headers", good), **kw)
        server.start()  # waits for /-/ready, which needs the credentials now
        self.assertEqual(server.get("/-/healthy", headers=good).status, 200)  # now verified
        refused = []

        def wrong(i):
            try:
                r = server.get("/-/healthy", headers={"Authorization": basic("alice", "x%d" % i)},
                               timeout=120)
                refused.append(r.status)
            except OSError:
                refused.append(None)

        flood = [threading.Thread(target=wrong, args=(i,), daemon=True) for i in range(self.FLOOD)]
        for t in flood:
            t.start()
        time.sleep(0.5)  # the flood is queued for bcrypt by now
        latencies = []
        for _ in range(10):
            t0 = time.monotonic()
            r = server.get("/-/healthy", headers=good, timeout=30)
            latencies.append(time.monotonic() - t0)
            self.assertEqual(r.status, 200)
        still_waiting = sum(1 for t in flood if t.is_alive())
        for t in flood:
            t.join(180)
        self.assertGreater(still_waiting, 0, "the flood was over before it was measured")
        self.assertLess(statistics.median(latencies), 0.1, latencies)
        self.assertLess(max(latencies), 1.0, latencies)
        self.assertEqual(set(refused), {401})


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60)


class TlsPortTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ferry-fd-tls-")
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out",
                "server.crt", "-days", "2", "-subj", "/CN=localhost", "-addext",
                "subjectAltName=IP:127.0.0.1", cwd=cls.dir)
        cls.web = os.path.join(cls.dir, "web.yml")
        with open(cls.web, "w") as f:
            f.write("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def start(self, *args, binary=None):
        server = Server("--web.config.file=" + self.web, *args, binary=binary)
        server._wait_ready = lambda: self._wait_tls(server)
        self.addCleanup(server.cleanup)
        server.start()
        return server

    def _wait_tls(self, server):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if server.proc.poll() is not None:
                return False
            try:
                with socket.create_connection((server.host, server.port), timeout=1):
                    return True
            except OSError:
                time.sleep(0.05)
        return False

    def plain_answer(self, server, request):
        with connect(server.host, server.port) as s:
            s.sendall(request)
            return read_all(s, 5)

    def test_plain_http_gets_gos_400(self):
        servers = [self.start()]
        if os.access(PUSHGATEWAY_BIN, os.X_OK):
            servers.append(self.start(binary=PUSHGATEWAY_BIN))
        for server in servers:
            for request in (b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
                            b"PUT /metrics/job/x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nx 1\n"):
                data, closed = self.plain_answer(server, request)
                self.assertEqual(data, b"HTTP/1.0 400 Bad Request\r\n\r\n"
                                       b"Client sent an HTTP request to an HTTPS server.\n")
                self.assertTrue(closed)

    def accepted_ciphers(self, server):
        accepted = set()
        probe = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        probe.set_ciphers("ALL:@SECLEVEL=0")
        for cipher in probe.get_ciphers():
            if cipher["protocol"] != "TLSv1.2":
                continue
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            try:
                ctx.set_ciphers(cipher["name"] + ":@SECLEVEL=0")
            except ssl.SSLError:
                continue
            try:
                with socket.create_connection((server.host, server.port), timeout=5) as raw:
                    with ctx.wrap_socket(raw) as tls:
                        accepted.add(tls.cipher()[0])
            except (ssl.SSLError, OSError):
                pass
        return accepted

    def test_tls12_cipher_suites_are_gos(self):
        ferry = self.start()
        got = self.accepted_ciphers(ferry)
        # Go's defaults for an RSA certificate (crypto/tls, Go 1.19), in OpenSSL's names.
        go = {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
              "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA",
              "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA",
              "ECDHE-RSA-DES-CBC3-SHA", "DES-CBC3-SHA"}
        self.assertTrue(got, "no TLS 1.2 handshake succeeded")
        self.assertTrue(got <= go, "not in Go's defaults: %s" % sorted(got - go))
        if os.access(PUSHGATEWAY_BIN, os.X_OK):
            pgw = self.start(binary=PUSHGATEWAY_BIN)
            self.assertEqual(got, self.accepted_ciphers(pgw))

    @ferry_only("the Pushgateway has no TLS handshake deadline")
    def test_a_silent_or_trickling_tls_client_is_closed(self):
        server = self.start("--web.tls-handshake-timeout=1s")
        with connect(server.host, server.port) as silent, \
                connect(server.host, server.port) as trickle:
            trickle.sendall(b"\x16\x03\x01\x02\x00\x01")  # the start of a ClientHello
            for s in (silent, trickle):
                t0 = time.monotonic()
                data, closed = read_all(s, 10)
                self.assertTrue(closed)
                self.assertLess(time.monotonic() - t0, 8)
        self.assertLess(healthy_tls(server), 5)


def healthy_tls(server):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    t0 = time.monotonic()
    with socket.create_connection((server.host, server.port), timeout=5) as raw:
        with ctx.wrap_socket(raw) as tls:
            tls.sendall(HEALTHY)
            data, _ = read_all(tls, 5, until=complete_answers(1))
    if not data.startswith(b"HTTP/1.1 200 "):
        raise AssertionError("healthy over TLS: %r" % data[:200])
    return time.monotonic() - t0


if __name__ == "__main__":
    unittest.main()
