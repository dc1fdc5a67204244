"""The config's "auth": auth plugins (basic, token, and a third-party one) give identities, the
rights table decides.

Every route x {no credentials, wrong credentials, right identity without the right, right
identity with it} must give the expected code, and after each refused request the store (the
scrape and /api/v1/metrics, read as an operator) must be unchanged."""

import base64
import hashlib
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import Server, ferry_only, plugins_dir_with  # noqa: E402

# bcrypt("secret"), cost 4.
SECRET_HASH = "$2b$04$nIPCEX5W/gzXYwaBwY6xnO.BEAP3eitPaWkPl1YEtCiKr5rQf6wm2"
PROM_TOKEN = "prom-t0ken"


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode())
            .decode()}


NONE = {}
WRONG_BASIC = basic("ci", "wrong")
WRONG_TOKEN = {"Authorization": "Bearer nope"}
CI = basic("ci", "secret")
OPS = basic("ops", "secret")
PROM = {"Authorization": "Bearer " + PROM_TOKEN}

CONFIG = {
    "auth": {
        "plugins": [
            {"plugin": "basic", "config": {"users": {"ci": SECRET_HASH, "ops": SECRET_HASH}}},
            {"plugin": "token", "config": {"tokens": {
                "prometheus": hashlib.sha256(PROM_TOKEN.encode()).hexdigest()}}},
        ],
        "rights": {
            "user:ci": {"push": ["ci-*"], "delete": ["ci-*"]},
            "token:prometheus": {"scrape": True, "api_read": True},
            "user:ops": {"push": True, "delete": True, "scrape": True, "api_read": True,
                         "admin": True},
            "anonymous": {},
        },
        "failure_delay": {"initial": "1ms", "max": "4ms"},
    }
}

BODY = b"# TYPE some_metric gauge\nsome_metric 1\n"


@ferry_only("the auth config is Ferry's own")
class AuthRightsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(admin=True, lifecycle=True)
        path = os.path.join(cls.server.workdir, "ferry-auth.json")
        with open(path, "w") as f:
            json.dump(CONFIG, f)
        cls.server.extra_args = ["--config.file=" + path]
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def setUp(self):
        # A known store: one ci group and one other group, pushed by the operator.
        self.assertEqual(self.req("PUT", "/api/v1/admin/wipe", OPS).status, 202)
        for job in ("ci-a", "other"):
            self.assertEqual(self.req("PUT", "/metrics/job/" + job, OPS, BODY).status, 200)

    def req(self, method, path, headers, body=None):
        return self.server.request(method, path, body, dict(headers))

    def state(self):
        scrape = self.req("GET", "/metrics", OPS)
        api = self.req("GET", "/api/v1/metrics", OPS)
        self.assertEqual((scrape.status, api.status), (200, 200))
        # Ferry's own counters change with every request; the pushed groups must not.
        pushed = [l for l in scrape.text.splitlines()
                  if l.startswith("some_metric") or l.startswith("push_time_seconds")]
        groups = sorted(json.dumps(g["labels"], sort_keys=True)
                        for g in json.loads(api.body)["data"])
        return pushed, groups

    def expect(self, method, path, headers, code, body=None, challenge=None):
        before = self.state() if code in (401, 403) else None
        r = self.req(method, path, headers, body)
        self.assertEqual(r.status, code, "%s %s with %s: %r" % (method, path, headers, r.body))
        if code == 401:
            self.assertEqual(r.header("WWW-Authenticate"), challenge or "Basic, Bearer")
        if before is not None:
            self.assertEqual(self.state(), before, "%s %s changed the store" % (method, path))
        return r

    def test_push(self):
        for method in ("PUT", "POST"):
            self.expect(method, "/metrics/job/ci-a", NONE, 401, BODY)
            self.expect(method, "/metrics/job/ci-a", WRONG_BASIC, 401, BODY)
            self.expect(method, "/metrics/job/ci-a", WRONG_TOKEN, 401, BODY)
            self.expect(method, "/metrics/job/ci-a", PROM, 403, BODY)
            self.expect(method, "/metrics/job/other", CI, 403, BODY)  # job outside ci-*
            self.expect(method, "/metrics/job@base64/b3RoZXI=", CI, 403, BODY)  # "other"
            self.expect(method, "/metrics/job/ci-a", CI, 200, BODY)
            self.expect(method, "/metrics/job@base64/Y2ktYg==", CI, 200, BODY)  # "ci-b"

    def test_delete(self):
        self.expect("DELETE", "/metrics/job/ci-a", NONE, 401)
        self.expect("DELETE", "/metrics/job/ci-a", WRONG_BASIC, 401)
        self.expect("DELETE", "/metrics/job/ci-a", PROM, 403)
        self.expect("DELETE", "/metrics/job/other", CI, 403)
        self.expect("DELETE", "/metrics/job/ci-a", CI, 202)
        self.assertNotIn('job="ci-a"', self.req("GET", "/metrics", OPS).text)

    def test_reads(self):
        for path in ("/metrics", "/api/v1/metrics", "/api/v1/status", "/", "/status",
                     "/api/v1/groups"):
            self.expect("GET", path, NONE, 401)
            self.expect("GET", path, WRONG_TOKEN, 401)
            self.expect("GET", path, CI, 403)
            self.expect("GET", path, PROM, 200)
        self.expect("GET", "/api/v1/groups/am9i_2Np", CI, 403)
        self.expect("GET", "/api/v1/groups/am9i_2Np", PROM, 404)  # allowed; no such group

    def test_wipe(self):
        self.expect("PUT", "/api/v1/admin/wipe", NONE, 401)
        self.expect("PUT", "/api/v1/admin/wipe", WRONG_BASIC, 401)
        self.expect("PUT", "/api/v1/admin/wipe", CI, 403)
        self.expect("PUT", "/api/v1/admin/wipe", PROM, 403)
        self.expect("PUT", "/api/v1/admin/wipe", OPS, 202)
        self.assertEqual(json.loads(self.req("GET", "/api/v1/metrics", OPS).body)["data"], [])

    def test_lifecycle_is_refused_without_the_right(self):
        # Nobody holds "lifecycle" here, so the operator is refused too and the server lives.
        self.expect("PUT", "/-/quit", NONE, 401)
        self.expect("PUT", "/-/quit", WRONG_BASIC, 401)
        self.expect("PUT", "/-/quit", OPS, 403)
        self.expect("POST", "/-/quit", CI, 403)
        self.assertTrue(self.server.alive())

    def test_health_stays_open_for_probes(self):
        for path in ("/-/healthy", "/-/ready"):
            for headers in (NONE, WRONG_BASIC, CI, PROM):
                self.expect("GET", path, headers, 200)

    def test_failures_are_counted(self):
        def count(reason):
            m = re.search(r'ferry_http_auth_failures_total\{reason="%s"\} (\d+)' % reason,
                          self.req("GET", "/metrics", OPS).text)
            return int(m.group(1))
        wrong, missing, forbidden = count("wrong"), count("missing"), count("forbidden")
        for _ in range(5):
            self.req("GET", "/metrics", WRONG_BASIC)
        self.req("GET", "/metrics", NONE)
        self.req("GET", "/metrics", CI)
        self.assertEqual(count("wrong"), wrong + 5)
        self.assertEqual(count("missing"), missing + 1)
        self.assertEqual(count("forbidden"), forbidden + 1)
        # The log names the user, never the password or the header.
        log = self.server.log_tail()
        self.assertIn("basic user ci", log)
        self.assertNotIn(WRONG_BASIC["Authorization"].split()[1], log)
        self.assertNotIn("secret", log)
        self.assertNotIn(PROM_TOKEN, log)


@ferry_only("the auth config is Ferry's own")
class AnonymousRightsTest(unittest.TestCase):
    """Anonymous may get rights of its own; a token-only config challenges with Bearer."""

    def test_anonymous_scrape_and_bearer_challenge(self):
        server = Server()
        path = os.path.join(server.workdir, "ferry-auth.json")
        with open(path, "w") as f:
            json.dump({"auth": {
                "plugins": [{"plugin": "token", "config": {"tokens": {
                    "prometheus": hashlib.sha256(PROM_TOKEN.encode()).hexdigest()}}}],
                "rights": {"anonymous": {"scrape": True}, "token:prometheus": {"push": True}}}},
                f)
        server.extra_args = ["--config.file=" + path]
        server.start()
        try:
            self.assertEqual(server.request("GET", "/metrics").status, 200)
            r = server.request("PUT", "/metrics/job/x", BODY)
            self.assertEqual(r.status, 401)
            self.assertEqual(r.header("WWW-Authenticate"), "Bearer")
            self.assertEqual(server.request("PUT", "/metrics/job/x", BODY, PROM).status, 200)
            self.assertEqual(server.request("GET", "/metrics", None, WRONG_TOKEN).status, 401)
        finally:
            server.stop()
            server.cleanup()


@ferry_only("the auth config is Ferry's own")
class ThirdPartyChallengeTest(unittest.TestCase):
    """A third-party auth plugin declares its WWW-Authenticate challenge through the ABI (1.2)
    and its 401s carry it, although core knows nothing of it: the plugin is the tests' `probe`
    (tests/plugins/thirdparty/probe_auth.cpp), built against the SDK only."""

    def start(self, plugins):
        server = Server()
        self.addCleanup(server.cleanup)
        path = os.path.join(server.workdir, "ferry-auth.json")
        with open(path, "w") as f:
            json.dump({"auth": {"plugins": plugins,
                                "rights": {"probe:bearer": {"push": True, "api_read": True}},
                                "failure_delay": {"initial": "1ms", "max": "4ms"}}}, f)
        server.extra_args = ["--config.file=" + path,
                             "--plugins.dir=" + plugins_dir_with(server.workdir, "auth-probe.so")]
        server.start()
        return server

    def test_declared_bearer_challenge(self):
        probe = {"plugin": "probe", "config": {"token": "s3cret", "realm": "ci pushes"}}
        server = self.start([probe])
        right = {"Authorization": "Bearer s3cret"}
        for headers in ({}, {"Authorization": "Bearer guess"}):
            r = server.request("PUT", "/metrics/job/x", BODY, headers)
            self.assertEqual(r.status, 401, r)
            self.assertEqual(r.header("WWW-Authenticate"), 'Bearer realm="ci pushes"')
        self.assertEqual(server.request("GET", "/api/v1/metrics", None, right).text,
                         '{"status":"success","data":[]}')  # nothing stored by the 401s
        self.assertEqual(server.request("PUT", "/metrics/job/x", BODY, right).status, 200)

    def test_challenges_of_several_plugins_in_config_order(self):
        basic = {"plugin": "basic", "config": {"users": {"ci": SECRET_HASH}}}
        probe = {"plugin": "probe", "config": {"realm": "r"}}
        server = self.start([probe, basic])
        r = server.request("PUT", "/metrics/job/x", BODY)
        self.assertEqual(r.header("WWW-Authenticate"), 'Bearer realm="r", Basic')


if __name__ == "__main__":
    unittest.main()
