"""mTLS identity: the `cert` auth plugin names the verified client certificate's subject
(RFC 2253, "CN=ci,O=Example" for `-subj /O=Example/CN=ci`) as `cert:<subject>`, and the rights
table decides by it.

The web config requires and verifies client certificates against the test's CA. Three client
certificates, all signed by it: `ci` may push and delete jobs `ci-*` only, `ops` may do
everything (it seeds and reads the store), `intruder` has no entry in the rights table (403), or
is outside the plugin's `subjects` allow-list (401). After every refusal the store is checked
to be unchanged."""

import json
import os
import shutil
import ssl
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import test_web_config as web  # noqa: E402
from ferry_harness import ferry_only  # noqa: E402

# openssl's -subj lists the RDNs outermost first; RFC 2253 prints them the other way round.
CLIENTS = {"ci": "/O=Example/CN=ci", "ops": "/O=Example/CN=ops",
           "intruder": "/O=Example/CN=intruder"}
CI, OPS, INTRUDER = "CN=ci,O=Example", "CN=ops,O=Example", "CN=intruder,O=Example"

WEB_CONFIG = ("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
              "  client_ca_file: ca.crt\n  client_auth_type: RequireAndVerifyClientCert\n")

BODY = b"# TYPE some_metric gauge\nsome_metric 1\n"


def make_client_certs(d):
    for name, subject in CLIENTS.items():
        web.openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out",
                    name + ".csr", "-subj", subject, cwd=d)
        web.openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile",
                    "client.ext", cwd=d)


def auth_config(subjects=None):
    cert = {"plugin": "cert"}
    if subjects is not None:
        cert["config"] = {"subjects": subjects}
    return {"auth": {
        "plugins": [cert],
        "rights": {
            "cert:" + CI: {"push": ["ci-*"], "delete": ["ci-*"]},
            "cert:" + OPS: {"push": True, "delete": True, "scrape": True, "api_read": True,
                            "admin": True},
        },
        "failure_delay": {"initial": "1ms", "max": "4ms"},
    }}


class CertServer(web.TlsServer):
    """Speaks HTTPS with one of CLIENTS' certificates (default: ops) and no Basic header."""

    def __init__(self, web_config, pki, *args, **kw):
        super().__init__(web_config, pki, *args, creds=None, **kw)
        self.client = "ops"

    def context(self, client_cert=None):
        ctx = ssl.create_default_context(cafile=os.path.join(self.pki, "ca.crt"))
        name = client_cert or self.client
        ctx.load_cert_chain(os.path.join(self.pki, name + ".crt"),
                            os.path.join(self.pki, name + ".key"))
        return ctx


@ferry_only("the auth config is Ferry's own")
class MutualTlsIdentityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ferry-mtls-")
        web.make_pki(cls.dir)
        make_client_certs(cls.dir)
        cls.web = os.path.join(cls.dir, "web.yml")
        web.write(cls.web, WEB_CONFIG)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def start(self, config):
        server = CertServer(self.web, self.dir, lifecycle=False)
        path = os.path.join(server.workdir, "ferry-auth.json")
        with open(path, "w") as f:
            json.dump(config, f)
        server.extra_args.append("--config.file=" + path)
        self.addCleanup(server.cleanup)
        server.start()
        self.assertEqual(server.put("/api/v1/admin/wipe").status, 202)
        for job in ("ci-a", "prod"):
            self.assertEqual(server.put("/metrics/job/" + job, BODY).status, 200)
        return server

    def state(self, server):
        """The pushed groups and series, read as ops."""
        scrape = server.get("/metrics", client_cert="ops")
        api = server.get("/api/v1/metrics", client_cert="ops")
        self.assertEqual((scrape.status, api.status), (200, 200))
        pushed = [l for l in scrape.text.splitlines()
                  if l.startswith("some_metric") or l.startswith("push_time_seconds")]
        groups = sorted(json.dumps(g["labels"], sort_keys=True)
                        for g in json.loads(api.body)["data"])
        return pushed, groups

    def expect(self, server, client, method, path, code, body=None):
        before = self.state(server) if code in (401, 403) else None
        r = server.request(method, path, body, client_cert=client)
        self.assertEqual(r.status, code, "%s %s as %s: %r" % (method, path, client, r))
        if before is not None:
            self.assertEqual(self.state(server), before,
                             "%s %s as %s changed the store" % (method, path, client))
        return r

    def test_subject_rights(self):
        server = self.start(auth_config())
        for method in ("PUT", "POST"):
            self.expect(server, "ci", method, "/metrics/job/ci-x", 200, BODY)
            self.expect(server, "ci", method, "/metrics/job/prod", 403, BODY)
            self.expect(server, "ci", method, "/metrics/job@base64/cHJvZA==", 403, BODY)  # prod
            # A verified certificate whose subject has no rights: authenticated, not allowed.
            self.expect(server, "intruder", method, "/metrics/job/ci-x", 403, BODY)
        self.assertIn('some_metric{instance="",job="ci-x"} 1',
                      server.get("/metrics", client_cert="ops").text)
        self.expect(server, "ci", "DELETE", "/metrics/job/prod", 403)
        self.expect(server, "intruder", "DELETE", "/metrics/job/ci-x", 403)
        self.expect(server, "ci", "DELETE", "/metrics/job/ci-x", 202)
        for path in ("/metrics", "/api/v1/metrics"):
            self.expect(server, "ci", "GET", path, 403)
            self.expect(server, "intruder", "GET", path, 403)
        self.expect(server, "ci", "PUT", "/api/v1/admin/wipe", 403)
        # The log names the subject the rights table was asked about.
        self.assertIn(INTRUDER, server.log_tail())

    def test_subject_outside_the_allow_list_is_wrong_credentials(self):
        server = self.start(auth_config(subjects=[CI, OPS]))
        r = self.expect(server, "intruder", "PUT", "/metrics/job/ci-x", 401, BODY)
        # cert alone has no HTTP challenge to offer.
        self.assertIsNone(r.header("WWW-Authenticate"))
        self.expect(server, "intruder", "GET", "/metrics", 401)
        self.expect(server, "ci", "PUT", "/metrics/job/prod", 403, BODY)
        self.expect(server, "ci", "PUT", "/metrics/job/ci-x", 200, BODY)

    def test_no_client_certificate_is_refused_in_the_handshake(self):
        server = self.start(auth_config())
        before = self.state(server)
        ctx = ssl.create_default_context(cafile=os.path.join(self.dir, "ca.crt"))
        server.context = lambda client_cert=None: ctx
        with self.assertRaises((ssl.SSLError, ConnectionError, web.http.client.HTTPException)):
            server.request("PUT", "/metrics/job/ci-x", BODY)
        del server.context
        self.assertEqual(self.state(server), before)


if __name__ == "__main__":
    unittest.main()
