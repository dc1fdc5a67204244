"""--web.config.file: TLS, mTLS and basic auth with the exporter-toolkit's YAML, as Pushgateway
1.5.1 reads it. Certificates are made by the test with `openssl` in a temporary directory.

Every route is tried with no credentials, wrong credentials and the right ones; after each
refused request the store is checked to be unchanged. When /usr/bin/prometheus-pushgateway is
installed, it is started with the same web config file and must answer the same codes."""

import base64
import http.client
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import (REQUEST_TIMEOUT_S, Response, Server, is_pushgateway,  # noqa: E402
                           requires, server_binary, wait_until)

PUSHGATEWAY_BIN = os.environ.get("PUSHGATEWAY_BIN", "/usr/bin/prometheus-pushgateway")

# bcrypt("secret") and bcrypt("fakepassword") (cost 4 and 10; $2b$ and $2y$ prefixes).
SECRET_HASH = "$2b$04$nIPCEX5W/gzXYwaBwY6xnO.BEAP3eitPaWkPl1YEtCiKr5rQf6wm2"
FAKE_HASH = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi"

RIGHT = ("alice", "secret")
WRONG = ("alice", "wrong")
UNKNOWN = ("mallory", "secret")


def basic(creds):
    return "Basic " + base64.b64encode(("%s:%s" % creds).encode()).decode()


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60)


def make_pki(d):
    """A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by it."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.crt", "-days", "2", "-subj", "/CN=ferry-test-ca", cwd=d)
    for name, ext in (("server", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
                      ("client", "extendedKeyUsage=clientAuth")):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out",
                name + ".csr", "-subj", "/CN=ferry-test-" + name, cwd=d)
        with open(os.path.join(d, name + ".ext"), "w") as f:
            f.write(ext + "\n")
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext",
                cwd=d)
    # A second server certificate, for the reload test.
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out",
            "other.crt", "-days", "2", "-subj", "/CN=ferry-test-other", cwd=d)


class TlsServer(Server):
    """The harness's server, spoken to over HTTPS with Basic credentials (default: RIGHT)."""

    def __init__(self, web_config, pki, *args, client_cert=False, creds=RIGHT, **kw):
        super().__init__("--web.config.file=" + web_config, *args, **kw)
        self.pki = pki
        self.client_cert = client_cert
        self.creds = creds

    def context(self, client_cert=None):
        ctx = ssl.create_default_context(cafile=os.path.join(self.pki, "ca.crt"))
        if self.client_cert if client_cert is None else client_cert:
            ctx.load_cert_chain(os.path.join(self.pki, "client.crt"),
                                os.path.join(self.pki, "client.key"))
        return ctx

    def request(self, method, path, body=None, headers=None, timeout=REQUEST_TIMEOUT_S,
                raw_path=False, creds="default", client_cert=None):
        conn = http.client.HTTPSConnection(self.host, self.port, timeout=timeout,
                                           context=self.context(client_cert))
        try:
            hdrs = dict(headers or {})
            creds = self.creds if creds == "default" else creds
            if creds is not None:
                hdrs["Authorization"] = basic(creds)
            if body is not None:
                hdrs.setdefault("Content-Length", str(len(body)))
            conn.request(method, self.prefix + path, body=body, headers=hdrs)
            r = conn.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()


def write(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def basic_config(users=None, extra=""):
    users = users or {"alice": SECRET_HASH}
    return ("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
            "http_server_config:\n  headers:\n    X-Frame-Options: deny\n"
            "basic_auth_users:\n" + "".join("  %s: %s\n" % u for u in users.items()) + extra)


# (method, path, body, expected status with the right credentials, changes the store)
ROUTES = [
    ("PUT", "/metrics/job/j1", b"m1 1\n", 200, True),
    ("POST", "/metrics/job/j2/instance/i", b"m2 2\n", 200, True),
    ("DELETE", "/metrics/job/seed", None, 202, True),
    ("PUT", "/api/v1/admin/wipe", None, 202, True),
    ("GET", "/metrics", None, 200, False),
    ("GET", "/api/v1/metrics", None, 200, False),
    ("GET", "/api/v1/status", None, 200, False),
    ("GET", "/-/healthy", None, 200, False),
    ("GET", "/-/ready", None, 200, False),
    ("GET", "/", None, 200, False),
    ("GET", "/nonexistent", None, 404, False),
    ("POST", "/-/quit", None, 403, False),  # lifecycle off: 403 only once authenticated
]


class WebConfigTestBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ferry-web-")
        make_pki(cls.dir)
        cls.web = os.path.join(cls.dir, "web.yml")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def start(self, text, *args, **kw):
        write(self.web, text)
        kw.setdefault("lifecycle", False)
        server = TlsServer(self.web, self.dir, *args, **kw)
        self.addCleanup(server.cleanup)
        server.start()
        return server

    def groups(self, server):
        r = server.get("/api/v1/metrics", creds=RIGHT)
        self.assertEqual(r.status, 200, r)
        import json
        return sorted(sorted(g["labels"].items()) for g in json.loads(r.body)["data"])


class BasicAuthOverTlsTest(WebConfigTestBase):
    def test_every_route_with_each_kind_of_credentials(self):
        server = self.start(basic_config())
        for method, path, body, expected, changes in ROUTES:
            self.assertEqual(server.put("/metrics/job/seed", b"seed 1\n").status, 200)
            before = self.groups(server)
            for creds in (None, WRONG, UNKNOWN):
                what = "%s %s with %r" % (method, path, creds)
                r = server.request(method, path, body, creds=creds)
                self.assertEqual(r.status, 401, what)
                self.assertEqual(r.header("WWW-Authenticate"), "Basic", what)
                self.assertEqual(r.body, b"Unauthorized\n", what)
                self.assertEqual(r.header("X-Frame-Options"), "deny", what)
                self.assertEqual(self.groups(server), before, "store changed by " + what)
            r = server.request(method, path, body)
            self.assertEqual(r.status, expected, "%s %s: %r" % (method, path, r))
            if not changes:
                self.assertEqual(self.groups(server), before)
        # 12 routes: one request without credentials, two with wrong ones each.
        scrape = server.get("/metrics").text
        self.assertIn('ferry_http_auth_failures_total{reason="missing"} 12', scrape)
        self.assertIn('ferry_http_auth_failures_total{reason="wrong"} 24', scrape)

    def test_keep_alive_over_tls(self):
        server = self.start(basic_config())
        conn = http.client.HTTPSConnection(server.host, server.port, timeout=REQUEST_TIMEOUT_S,
                                           context=server.context())
        try:
            sock = None
            for i in range(5):
                conn.request("PUT", "/metrics/job/ka", body=b"ka %d\n" % i,
                             headers={"Authorization": basic(RIGHT)})
                r = conn.getresponse()
                r.read()
                self.assertEqual(r.status, 200)
                if sock is None:
                    sock = conn.sock
                self.assertIs(conn.sock, sock, "the connection was not kept alive")
                self.assertEqual(conn.sock.version()[:3], "TLS")
        finally:
            conn.close()

    def test_plain_http_is_not_served_on_the_tls_port(self):
        server = self.start(basic_config())
        conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
        try:
            conn.request("GET", "/metrics")
            status = conn.getresponse().status
        except (OSError, http.client.HTTPException):
            status = None
        finally:
            conn.close()
        self.assertNotEqual(status, 200)

    def test_reload_users_and_certificates_without_restart(self):
        server = self.start(basic_config())
        conn = http.client.HTTPSConnection(server.host, server.port, timeout=REQUEST_TIMEOUT_S,
                                           context=server.context())
        self.addCleanup(conn.close)
        conn.request("GET", "/-/healthy", headers={"Authorization": basic(RIGHT)})
        self.assertEqual(conn.getresponse().read(), b"OK")
        # bob replaces alice; the open connection stays usable.
        write(self.web, basic_config({"bob": FAKE_HASH}))
        bob = ("bob", "fakepassword")
        wait_until(lambda: server.get("/-/healthy", creds=bob).status == 200, 10, "bob allowed")
        self.assertEqual(server.get("/-/healthy", creds=RIGHT).status, 401)
        conn.request("GET", "/-/healthy", headers={"Authorization": basic(bob)})
        self.assertEqual(conn.getresponse().read(), b"OK")
        # An invalid file keeps the previous config and logs an error.
        write(self.web, basic_config({"bob": FAKE_HASH}, extra="bogus: 1\n"))
        # The file is checked when a request comes (at most once a second).
        wait_until(lambda: server.get("/-/healthy", creds=bob).status == 200 and
                   "cannot reload the web config" in server.log_tail(), 10, "reload error")
        self.assertIn('unknown key \\"bogus\\"', server.log_tail())
        self.assertEqual(server.get("/-/healthy", creds=bob).status, 200)
        # A new certificate is used by the next connection.
        write(self.web, basic_config({"bob": FAKE_HASH}).replace("server.", "other."))

        def other_cert():
            ctx = ssl.create_default_context(cafile=os.path.join(self.dir, "other.crt"))
            ctx.check_hostname = False
            c = http.client.HTTPSConnection(server.host, server.port, timeout=5, context=ctx)
            try:
                c.request("GET", "/-/healthy", headers={"Authorization": basic(bob)})
                return c.getresponse().status == 200
            except ssl.SSLError:
                return False
            finally:
                c.close()
        wait_until(other_cert, 10, "the new certificate")


class MutualTlsTest(WebConfigTestBase):
    def test_client_certificate_required(self):
        server = self.start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                            "  client_ca_file: ca.crt\n"
                            "  client_auth_type: RequireAndVerifyClientCert\n",
                            client_cert=True, creds=None)
        self.assertEqual(server.put("/metrics/job/m", b"m 1\n").status, 200)
        with self.assertRaises((ssl.SSLError, ConnectionError, http.client.HTTPException)):
            server.put("/metrics/job/m", b"m 2\n", client_cert=False)
        self.assertIn(b'm{instance="",job="m"} 1', server.get("/metrics").body)

    def test_tls13_only(self):
        server = self.start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                            "  min_version: TLS13\n", creds=None)
        ctx = server.context()
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        conn = http.client.HTTPSConnection(server.host, server.port, timeout=5, context=ctx)
        with self.assertRaises(ssl.SSLError):
            conn.request("GET", "/-/healthy")
            conn.getresponse()
        conn.close()
        self.assertEqual(server.get("/-/healthy").status, 200)


class InvalidWebConfigTest(WebConfigTestBase):
    def refused(self, text):
        write(self.web, text)
        proc = subprocess.run([server_binary(), "--web.listen-address=127.0.0.1:0",
                               "--web.config.file=" + self.web], capture_output=True, text=True,
                              timeout=30)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        return proc.stderr

    @unittest.skipIf(is_pushgateway(), "Ferry's messages")
    def test_refuses_to_start_and_names_the_key(self):
        self.assertIn('line 4: unknown key "cert_fil" in "tls_server_config"',
                      self.refused("tls_server_config:\n  cert_file: server.crt\n"
                                   "  key_file: server.key\n  cert_fil: x\n"))
        self.assertIn("missing key_file", self.refused("tls_server_config:\n  cert_file: x\n"))
        self.assertIn("failed to load X509KeyPair",
                      self.refused("tls_server_config:\n  cert_file: ca.key\n  key_file: x\n"))
        self.assertIn("cannot open the file", self.refused_missing())

    def refused_missing(self):
        proc = subprocess.run([server_binary(), "--web.listen-address=127.0.0.1:0",
                               "--web.config.file=" + self.web + ".missing"],
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        return proc.stderr


@requires(os.access(PUSHGATEWAY_BIN, os.X_OK), "the Pushgateway at %s (Debian: apt-get "
          "install prometheus-pushgateway)" % PUSHGATEWAY_BIN)
class SameCodesAsPushgatewayTest(WebConfigTestBase):
    def test_same_web_config_same_codes(self):
        text = basic_config()
        ferry = self.start(text)
        pgw = self.start(text, binary=PUSHGATEWAY_BIN)
        for method, path, body, _expected, _changes in ROUTES:
            for creds in (None, WRONG, UNKNOWN, RIGHT):
                for server in (ferry, pgw):
                    server.put("/metrics/job/seed", b"seed 1\n")
                codes = [s.request(method, path, body, creds=creds).status for s in (ferry, pgw)]
                self.assertEqual(codes[0], codes[1], "%s %s with %r: ferry, pushgateway" %
                                 (method, path, creds))


if __name__ == "__main__":
    unittest.main()
