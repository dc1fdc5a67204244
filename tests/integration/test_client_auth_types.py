"""Client certificates under every client_auth_type of the web config, each with a CA-signed
and a self-signed client certificate (and none), end to end with openssl-made certificates.

What this guards: with RequestClientCert or RequireAnyClientCert the TLS handshake accepts any
client certificate (as Go does), so a self-signed certificate minted for CN=ops once passed as
ops, pushed to prod and wiped the store. Now:
- the `cert` plugin, which takes identities from client certificates, is refused at start and by
  --check-config unless the web config verifies them (VerifyClientCertIfGiven,
  RequireAndVerifyClientCert), with a message that says why and what to use instead;
- with a verifying type the CA-signed certificate is an identity and the self-signed one fails
  the handshake, so nothing is stored or wiped;
- what every auth plugin learns about the connection (seen through the tests' third-party-style
  `probe` plugin, which runs with every type): the verified bit for the CA-signed certificate
  only, and never the subject of a certificate that was not verified;
- a web config reload that would stop verifying client certificates is refused while `cert` is
  wired."""

import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import test_web_config as web  # noqa: E402
from ferry_harness import (ferry_only, plugins_dir_with, server_binary,  # noqa: E402
                           wait_until)

TYPES = ["NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven",
         "RequireAndVerifyClientCert"]
VERIFYING = {"VerifyClientCertIfGiven", "RequireAndVerifyClientCert"}

CI = "CN=ci,O=Example"  # CA-signed
BODY = b"# TYPE some_metric gauge\nsome_metric 1\n"
HANDSHAKE_FAILS = "handshake fails"

# The identity the probe plugin reports: FERRY_AUTH_TLS (1), | FERRY_AUTH_TLS_PEER_CERT (2),
# | FERRY_AUTH_TLS_PEER_VERIFIED (4), and the subject Ferry passed.
VERIFIED = "probe:tls-flags=7:subject=" + CI
UNVERIFIED = "probe:tls-flags=3:subject="  # a certificate, but no subject: it was not verified
TLS_ONLY = "probe:tls-flags=1:subject="
PROBE_EXPECTED = {
    # type: {client certificate: what the plugin sees}
    "NoClientCert": {"ci": TLS_ONLY, "forged": TLS_ONLY, None: TLS_ONLY},
    "RequestClientCert": {"ci": VERIFIED, "forged": UNVERIFIED, None: TLS_ONLY},
    "RequireAnyClientCert": {"ci": VERIFIED, "forged": UNVERIFIED, None: HANDSHAKE_FAILS},
    "VerifyClientCertIfGiven": {"ci": VERIFIED, "forged": HANDSHAKE_FAILS, None: TLS_ONLY},
    "RequireAndVerifyClientCert": {"ci": VERIFIED, "forged": HANDSHAKE_FAILS,
                                   None: HANDSHAKE_FAILS},
}

FIX = ("; use client_auth_type RequireAndVerifyClientCert (or VerifyClientCertIfGiven) with "
       "client_ca_file in the web config's tls_server_config, or remove \"cert\" from "
       "auth.plugins")
REFUSAL = {
    "NoClientCert": "has client_auth_type NoClientCert: Ferry never asks for a client "
                    "certificate",
    "RequestClientCert": "has client_auth_type RequestClientCert, which accepts a client "
                         "certificate without verifying it: anyone could present a self-signed "
                         "certificate with any subject and get that subject's rights",
    "RequireAnyClientCert": "has client_auth_type RequireAnyClientCert, which accepts a client "
                            "certificate without verifying it",
    "RequireClientCert": "has client_auth_type RequireClientCert, which accepts a client "
                         "certificate without verifying it",
}


def make_client_certs(d):
    """ci: signed by the test CA. forged: self-signed, claiming to be ops (the attack)."""
    web.openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "ci.key", "-out", "ci.csr",
                "-subj", "/O=Example/CN=ci", cwd=d)
    web.openssl("x509", "-req", "-in", "ci.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "ci.crt", "-days", "2", "-extfile", "client.ext", cwd=d)
    web.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "forged.key", "-out",
                "forged.crt", "-days", "2", "-subj", "/O=Example/CN=ops", "-addext",
                "extendedKeyUsage=clientAuth", cwd=d)


def web_config(auth_type):
    text = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
    if auth_type != "NoClientCert":  # client CAs without a client auth policy are refused
        text += "  client_ca_file: ca.crt\n"
    return text + "  client_auth_type: %s\n" % auth_type


def cert_auth():
    return {"auth": {
        "plugins": [{"plugin": "cert"}],
        "rights": {"cert:" + CI: {"push": ["ci-*"], "delete": ["ci-*"], "api_read": True},
                   "cert:CN=ops,O=Example": {"push": True, "delete": True, "admin": True,
                                             "scrape": True, "api_read": True}},
        "failure_delay": {"initial": "1ms", "max": "4ms"},
    }}


def probe_auth():
    return {"auth": {
        "plugins": [{"plugin": "probe"}],
        # Only the verified client may push; everyone may read what was pushed.
        "rights": {VERIFIED: {"push": True, "api_read": True}, UNVERIFIED: {"api_read": True},
                   TLS_ONLY: {"api_read": True}},
        "failure_delay": {"initial": "1ms", "max": "4ms"},
    }}


class ClientCertServer(web.TlsServer):
    """HTTPS with the client certificate `client` ("ci", "forged" or None), no Basic header."""

    def __init__(self, web_path, pki, *args, **kw):
        super().__init__(web_path, pki, *args, creds=None, **kw)
        self.client = "ci"

    def context(self, client_cert=None):
        ctx = ssl.create_default_context(cafile=os.path.join(self.pki, "ca.crt"))
        if self.client:  # request() sets it for one request
            ctx.load_cert_chain(os.path.join(self.pki, self.client + ".crt"),
                                os.path.join(self.pki, self.client + ".key"))
        return ctx

    def request(self, method, path, body=None, headers=None, client_cert="default", **kw):
        saved = self.client
        if client_cert != "default":
            self.client = client_cert
        try:
            return super().request(method, path, body, headers, **kw)
        finally:
            self.client = saved


def handshake_refused(server, client, method="PUT", path="/metrics/job/ci-x", body=BODY):
    try:
        r = server.request(method, path, body, client_cert=client)
    except (ssl.SSLError, ConnectionError, web.http.client.HTTPException):
        return True
    raise AssertionError("%s %s with %s: expected a failed handshake, got %r"
                         % (method, path, client, r))


def json_log_lines(server):
    lines = []
    with open(server.log_path, "rb") as f:
        for raw in f.read().splitlines():
            if raw.startswith(b"{"):
                lines.append(json.loads(raw.decode("utf-8")))
    return lines


@ferry_only("the auth config is Ferry's own")
class ClientAuthTypesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ferry-client-auth-")
        web.make_pki(cls.dir)
        make_client_certs(cls.dir)
        cls.plugins = plugins_dir_with(cls.dir, "auth-probe.so")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def files(self, auth_type, auth):
        d = tempfile.mkdtemp(prefix=auth_type + "-", dir=self.dir)
        web_path = os.path.join(d, "web.yml")
        # The web config's relative paths are taken from its own directory.
        for name in ("server.crt", "server.key", "ca.crt"):
            shutil.copy(os.path.join(self.dir, name), d)
        web.write(web_path, web_config(auth_type))
        config = os.path.join(d, "ferry.json")
        with open(config, "w") as f:
            json.dump(auth, f)
        return web_path, config

    def start(self, auth_type, auth):
        web_path, config = self.files(auth_type, auth)
        server = ClientCertServer(web_path, self.dir, "--config.file=" + config,
                                  "--plugins.dir=" + self.plugins, "--log.format=json",
                                  lifecycle=False)
        server.web_path = web_path
        self.addCleanup(server.cleanup)
        server.start()
        return server

    def run_ferry(self, *args):
        return subprocess.run([server_binary(), "--web.listen-address=127.0.0.1:0",
                               "--plugins.dir=" + self.plugins] + list(args),
                              capture_output=True, text=True, timeout=60)

    # ---- the cert plugin ---------------------------------------------------------------------

    def test_cert_plugin_is_refused_without_verified_client_certificates(self):
        for auth_type in ["NoClientCert", "RequestClientCert", "RequireAnyClientCert",
                          "RequireClientCert"]:
            with self.subTest(auth_type):
                web_path, config = self.files(auth_type, cert_auth())
                expected = ('ferry: error: auth plugin "cert" takes identities from TLS client '
                            "certificates, but the web config %s %s" % (web_path,
                                                                       REFUSAL[auth_type]))
                start = self.run_ferry("--config.file=" + config, "--web.config.file=" + web_path)
                self.assertEqual(start.returncode, 1, start.stderr)
                self.assertIn(expected, start.stderr)
                self.assertIn(FIX, start.stderr)
                check = self.run_ferry("--check-config=" + config,
                                       "--web.config.file=" + web_path)
                self.assertEqual(check.returncode, 1, check.stdout + check.stderr)
                self.assertIn(expected, check.stderr)
                self.assertNotIn("is valid", check.stdout)

    def test_cert_plugin_is_refused_over_plain_http(self):
        _, config = self.files("NoClientCert", cert_auth())
        for args in (["--config.file=" + config], ["--check-config=" + config]):
            proc = self.run_ferry(*args)
            self.assertEqual(proc.returncode, 1, proc.stderr)
            self.assertIn('auth plugin "cert" takes identities from TLS client certificates, but '
                          "no --web.config.file is given: Ferry serves plain HTTP and never sees "
                          "a client certificate; give --web.config.file a tls_server_config with "
                          "client_auth_type RequireAndVerifyClientCert (or "
                          "VerifyClientCertIfGiven) with client_ca_file, or remove \"cert\" "
                          "from auth.plugins", proc.stderr)
        web_path = os.path.join(os.path.dirname(config), "basic-only.yml")
        web.write(web_path, "basic_auth_users:\n  alice: %s\n" % web.SECRET_HASH)
        proc = self.run_ferry("--check-config=" + config, "--web.config.file=" + web_path)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("the web config %s has no tls_server_config" % web_path, proc.stderr)

    def test_cert_plugin_with_verifying_types(self):
        for auth_type in sorted(VERIFYING):
            with self.subTest(auth_type):
                web_path, config = self.files(auth_type, cert_auth())
                check = self.run_ferry("--check-config=" + config,
                                       "--web.config.file=" + web_path)
                self.assertEqual(check.returncode, 0, check.stderr)
                self.assertIn("is valid", check.stdout)

                server = self.start(auth_type, cert_auth())
                self.assertEqual(server.put("/metrics/job/ci-a", BODY).status, 200)
                before = server.get("/api/v1/metrics", client_cert="ci")
                # The CA-signed certificate names ci: ci-* only.
                self.assertEqual(server.put("/metrics/job/prod", BODY).status, 403)
                # The forged ops certificate never gets past the handshake: no push, no wipe.
                handshake_refused(server, "forged", "PUT", "/metrics/job/prod")
                handshake_refused(server, "forged", "PUT", "/api/v1/admin/wipe", None)
                if auth_type == "VerifyClientCertIfGiven":
                    r = server.request("PUT", "/metrics/job/ci-a", BODY, client_cert=None)
                    self.assertEqual(r.status, 401)  # anonymous
                    self.assertIsNone(r.header("WWW-Authenticate"))  # cert has no challenge
                else:
                    handshake_refused(server, None)
                after = server.get("/api/v1/metrics", client_cert="ci")
                self.assertEqual((before.status, after.status), (200, 200))
                self.assertEqual(after.body, before.body)
                jobs = [g["labels"]["job"] for g in json.loads(before.body)["data"]]
                self.assertEqual(jobs, ["ci-a"])

    def test_reload_that_stops_verifying_is_refused(self):
        server = self.start("RequireAndVerifyClientCert", cert_auth())
        web.write(server.web_path, web_config("RequireAnyClientCert"))

        def refused():
            server.get("/-/healthy")  # a request makes the watcher look at the file
            return any(line.get("msg") == "cannot reload the web config, keeping the previous one"
                       for line in json_log_lines(server))
        wait_until(refused, 10, "the reload to be refused")
        line = [l for l in json_log_lines(server)
                if l.get("msg") == "cannot reload the web config, keeping the previous one"][-1]
        self.assertIn('auth plugin "cert" takes identities from TLS client certificates, but the '
                      "web config has client_auth_type RequireAnyClientCert, which accepts a "
                      "client certificate without verifying it", line["err"])
        # The verifying version stays: the forged certificate still fails the handshake.
        handshake_refused(server, "forged", "PUT", "/api/v1/admin/wipe", None)
        self.assertEqual(server.put("/metrics/job/ci-a", BODY).status, 200)

    # ---- what auth plugins learn: the probe plugin under every type ----------------------------

    def test_what_auth_plugins_see_under_every_type(self):
        for auth_type in TYPES:
            server = self.start(auth_type, probe_auth())
            for client, expected in PROBE_EXPECTED[auth_type].items():
                with self.subTest(auth_type=auth_type, client=client):
                    path = "/metrics/job/probe-%s" % (client or "none")
                    if expected == HANDSHAKE_FAILS:
                        handshake_refused(server, client, "PUT", path)
                        continue
                    r = server.request("PUT", path, BODY, client_cert=client)
                    if expected == VERIFIED:
                        self.assertEqual(r.status, 200, r)  # only VERIFIED has the push right
                        continue
                    self.assertEqual(r.status, 403, r)
                    refusals = [l for l in json_log_lines(server)
                                if l.get("msg") == "request not allowed" and
                                l.get("path") == path]
                    self.assertTrue(refusals, server.log_tail())
                    self.assertEqual(refusals[-1]["identity"], expected)
            # Nothing but the verified client's pushes reached the store.
            groups = json.loads(server.get("/api/v1/metrics", client_cert="ci").body)["data"]
            self.assertEqual(sorted(g["labels"]["job"] for g in groups), ["probe-ci"]
                             if auth_type != "NoClientCert" else [])


if __name__ == "__main__":
    unittest.main()
