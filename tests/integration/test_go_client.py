"""The official Go client (Debian golang-github-prometheus-client-golang-dev, prometheus/push)
against the server: Push (PUT), Add (POST) and Delete, its default delimited protobuf and
Format(expfmt.FmtText), every metric type, grouping labels with '/' and empty values (the client
sends those as @base64, unpadded), BasicAuth, and refused pushes surfacing as the client's
errors. Every step runs against the real Pushgateway 1.5.1 too, and what both serve afterwards
(/metrics, /api/v1/metrics, the client's error messages) must be the same.

The pusher (clients/go_pusher.go) is built once per run, offline, from Debian's GOPATH
(GO111MODULE=off, GOPROXY=off). Its build cache lives in $FERRY_TEST_CLIENT_DIR (CTest sets
build/test-clients), so only the first run after a clean build compiles the client library."""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from client_harness import PUSHGATEWAY, SideBySideTestCase, client_dir  # noqa: E402
from ferry_harness import Server, requires  # noqa: E402

GOPATH = "/usr/share/gocode"
PUSH_PACKAGE = os.path.join(GOPATH, "src/github.com/prometheus/client_golang/prometheus/push")
SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "clients", "go_pusher.go")
GO_BUILD_TIMEOUT_S = 600

# bcrypt("secret"), cost 4.
SECRET_HASH = "$2b$04$nIPCEX5W/gzXYwaBwY6xnO.BEAP3eitPaWkPl1YEtCiKr5rQf6wm2"

AVAILABLE = (shutil.which("go") is not None and os.path.isdir(PUSH_PACKAGE)
             and os.access(PUSHGATEWAY, os.X_OK))
MISSING = ("the Go toolchain (golang-go), the Go client (golang-github-prometheus-client-golang-"
           "dev) or the Pushgateway (prometheus-pushgateway)")

_pusher = None


def go_pusher():
    """Builds clients/go_pusher.go once per process; returns the binary's path."""
    global _pusher
    if _pusher:
        return _pusher
    out_dir = client_dir()
    binary = os.path.join(out_dir, "go_pusher")
    # GOPATH mode against Debian's packaged sources: no module download is possible (GOPROXY
    # off), no user go.env is read (GOENV off), and nothing is written outside out_dir. The
    # build cache makes a rebuild of an unchanged pusher cost a fraction of a second.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": out_dir,
           "GO111MODULE": "off", "GOPATH": GOPATH, "GOPROXY": "off", "GOENV": "off",
           "GOFLAGS": "", "GOCACHE": os.path.join(out_dir, "go-cache"), "TMPDIR": out_dir}
    build = subprocess.run(["go", "build", "-o", binary, SOURCE], env=env, cwd=out_dir,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=GO_BUILD_TIMEOUT_S)
    if build.returncode != 0:
        raise AssertionError("go build of %s failed:\n%s" % (SOURCE, build.stdout.decode()))
    _pusher = binary
    return binary


def sample(name, kind, value=None, help=None, labels=None, **kw):
    s = {"name": name, "type": kind, "help": help if help is not None else name + " help.",
         "labels": labels or {}}
    if value is not None:
        s["value"] = value
    s.update(kw)
    return s


def every_type(scale=1, without_help=True):
    """Every type. `without_help` adds a gauge without Help, which the client sends with help
    "": only in protobuf pushes, as a text push of it has no HELP, and with both in one family
    the Pushgateway shows a random group's (spec 5.1)."""
    samples = [
        sample("go_jobs_total", "counter", 41 * scale, labels={"queue": "a"}),
        sample("go_jobs_total", "counter", 7 * scale, labels={"queue": "b/c"}),
        sample("go_temperature", "gauge", -3.5 * scale, help='HELP with \\ and\nnewline "q"'),
        sample("go_latency_seconds", "histogram", count=6 * scale, sum=2.25 * scale,
               buckets={"0.1": 3 * scale, "0.5": 5 * scale}),
        sample("go_rpc_seconds", "summary", count=100 * scale, sum=12.5 * scale,
               quantiles={"0.5": 0.05 * scale, "0.99": 0.3 * scale}, labels={"rpc": "get"}),
        sample("go_raw", "untyped", 1.5 * scale, labels={"note": 'line\nbreak "q" \\ ünï'}),
    ]
    if without_help:
        samples.append(sample("go_no_help", "gauge", 1, help=""))
    return samples


class AuthServer(Server):
    """A server behind basic auth: the harness's own requests carry the credentials."""

    def __init__(self, *args, creds, **kw):
        super().__init__(*args, **kw)
        self.auth = "Basic " + base64.b64encode(("%s:%s" % creds).encode()).decode()

    def request(self, method, path, body=None, headers=None, **kw):
        hdrs = {"Authorization": self.auth}
        hdrs.update(headers or {})
        return super().request(method, path, body, hdrs, **kw)


@requires(AVAILABLE, MISSING)
class GoClientTest(SideBySideTestCase):
    """Each test drives the same pushes into Ferry and into a Pushgateway started beside it."""

    @classmethod
    def setUpClass(cls):
        go_pusher()
        super().setUpClass()

    def go(self, server, action, job, grouping=None, metrics=None, fmt="proto", creds=None):
        """Runs the Go pusher; returns (exit code, the client's error with the URL made
        server-neutral)."""
        argv = [go_pusher(), "-url", server.url, "-job", job, "-format", fmt]
        for name, value in (grouping or {}).items():
            argv += ["-group", "%s=%s" % (name, value)]
        if creds:
            argv += ["-user", creds[0], "-password", creds[1]]
        proc = subprocess.run(argv + [action], input=json.dumps(metrics or []).encode(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        return proc.returncode, proc.stderr.decode().replace(server.url, "URL")

    def both(self, action, job, grouping=None, metrics=None, fmt="proto", ok=True,
             same_until=None):
        """The same client call against Ferry and the Pushgateway; both must succeed (or both
        fail with the same error, returned). With same_until, the errors need to be the same
        only up to that text: the Pushgateway names whichever of two clashing metrics its
        random group order gathers second."""
        ferry = self.go(self.server, action, job, grouping, metrics, fmt)
        reference = self.go(self.reference, action, job, grouping, metrics, fmt)
        what = "Ferry vs Pushgateway: %s %s %r" % (action, job, grouping)
        if same_until:
            ferry_cut, reference_cut = (r[1][:r[1].find(same_until) + len(same_until)]
                                        for r in (ferry, reference))
            self.assertIn(same_until, ferry[1])
            self.assertEqual((ferry[0], ferry_cut), (reference[0], reference_cut), what)
        else:
            self.assertEqual(ferry, reference, what)
        self.assertEqual(ferry[0] == 0, ok, ferry[1])
        return ferry[1]

    def test_push_add_delete_in_protobuf_and_text(self):
        key = {"instance": "host:9100", "path": "/var/lib/x", "empty": "", "plain": "a b"}
        stored = {"job": "go/batch", "instance": "host:9100", "path": "/var/lib/x", "empty": "",
                  "plain": "a+b"}
        self.both("put", "go/batch", key, every_type())
        self.assertSameState()
        scraped = self.server.scrape()
        self.assertEqual(scraped.value("go_jobs_total", queue="b/c", **stored), 7)
        self.assertEqual(scraped.value("go_rpc_seconds", quantile="0.99", rpc="get", **stored),
                         0.3)
        self.assertEqual(len(scraped.find("push_time_seconds", **stored)), 1)
        self.assertIsNotNone(self.server.api_group(stored), "group not in /api/v1/metrics")

        # Add (POST) replaces the families it carries and keeps the others.
        self.both("post", "go/batch", key, [sample("go_temperature", "gauge", 99,
                                                   help='HELP with \\ and\nnewline "q"'),
                                            sample("go_added", "counter", 1)])
        self.assertSameState()
        scraped = self.server.scrape()
        self.assertEqual(scraped.value("go_temperature", **stored), 99)
        self.assertEqual(scraped.value("go_latency_seconds_count", **stored), 6)

        # The text format, and a second group for the same names.
        self.both("put", "go_text", {"instance": "i1"}, every_type(2, without_help=False),
                  fmt="text")
        self.both("post", "go_add", None, every_type(3))
        self.assertSameState()

        # Push (PUT) replaces the whole group.
        self.both("put", "go/batch", key, [sample("go_only", "gauge", 7)])
        self.assertSameState()
        self.assertFalse(self.server.scrape().find("go_temperature", **stored))

        # Delete removes exactly that grouping key.
        self.both("delete", "go/batch", key)
        self.both("delete", "go_add")
        self.assertSameState()
        scraped = self.server.scrape()
        self.assertFalse(scraped.find("push_time_seconds", job="go/batch"))
        self.assertEqual(len(scraped.find("push_time_seconds", job="go_text")), 1)
        self.both("delete", "go_text", {"instance": "i1"})

    def test_refused_pushes_are_client_errors_with_the_servers_message(self):
        self.both("put", "go_seed", None, [sample("go_kind", "gauge", 1),
                                           sample("go_hist", "histogram", count=1, sum=1,
                                                  buckets={"1": 1})])
        # Same name, another type, in another group.
        for fmt in ("proto", "text"):
            message = self.both("post", "go_clash", {"f": fmt},
                                [sample("go_kind", "counter", 2)], fmt=fmt, ok=False,
                                same_until="collected metric \"go_kind\" {")
            self.assertIn("unexpected status code 400 while pushing to URL/metrics/job/go_clash/"
                          "f/%s: pushed metrics are invalid or inconsistent with existing "
                          "metrics: collected metric \"go_kind\"" % fmt, message)
            self.assertIn("is not a GAUGE", message)
        # A gauge named like the stored histogram's _count series (which of the two the
        # message names first depends on the Pushgateway's random group order).
        message = self.both("put", "go_clash", None, [sample("go_hist_count", "gauge", 1)],
                            ok=False, same_until="inconsistent with existing metrics: collected ")
        self.assertIn("collides with previously collected", message)
        # A pushed push_time_seconds gauge is accepted, and the group's own one is what shows.
        self.both("put", "go_own", None, [sample("push_time_seconds", "gauge", 1)])
        # The refused pushes left their groups' failure time (and nothing else) behind.
        self.assertSameState()
        scraped = self.server.scrape()
        self.assertFalse(scraped.find("go_kind", job="go_clash"))
        self.assertTrue(scraped.value("push_failure_time_seconds", job="go_clash", f="proto",
                                      instance="") > 0)
        # Inconsistent HELP within one push never leaves the client: its registry refuses it.
        code, message = self.go(self.server, "put", "go_help", None,
                                [sample("go_h", "gauge", 1, labels={"a": "1"}, help="One."),
                                 sample("go_h", "gauge", 2, labels={"a": "2"}, help="Two.")])
        self.assertEqual(code, 1)
        self.assertIn("has help \"Two.\" but should have \"One.\"", message)
        self.assertFalse(self.server.scrape().find("push_time_seconds", job="go_help"))
        for job in ("go_seed", "go_clash", "go_own"):
            self.both("delete", job)
        self.both("delete", "go_clash", {"f": "proto"})
        self.both("delete", "go_clash", {"f": "text"})
        self.assertSameState()

    def test_metric_without_help_is_exposed_like_the_pushgateway(self):
        # The Go client sends help "" for a metric without Help: 1.5.1 shows "# HELP name "
        # in the text scrape and an empty help field in the protobuf one; a text push without
        # HELP shows none. (Ferry's scrape lost the empty HELP once.)
        self.both("put", "go_nohelp", None, [sample("go_blank", "gauge", 1, help="")])
        self.both("put", "go_nohelp_text", None, [sample("go_blank_text", "gauge", 1, help="")],
                  fmt="text")
        text = self.server.scrape_response().text
        self.assertIn("# HELP go_blank \n# TYPE go_blank gauge\n", text)
        self.assertIn("\n# TYPE go_blank_text gauge\n", text)
        self.assertNotIn("# HELP go_blank_text", text)
        self.assertSameState()
        proto = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;" \
                "encoding=delimited"
        ferry = self.server.scrape_response(headers={"Accept": proto}).body
        reference = self.reference.scrape_response(headers={"Accept": proto}).body
        for body in (ferry, reference):
            self.assertIn(b"\x0a\x08go_blank\x12\x00\x18\x01", body)
            self.assertIn(b"\x0a\x0dgo_blank_text\x18\x01", body)
        for job in ("go_nohelp", "go_nohelp_text"):
            self.both("delete", job)

    def test_basic_auth(self):
        workdir = tempfile.mkdtemp(prefix="ferry-go-auth-")
        self.addCleanup(shutil.rmtree, workdir, True)
        web = os.path.join(workdir, "web.yml")
        with open(web, "w") as f:
            f.write("basic_auth_users:\n  alice: %s\n" % SECRET_HASH)
        servers = []
        for binary in (None, PUSHGATEWAY):
            srv = AuthServer("--web.config.file=" + web, binary=binary, creds=("alice", "secret"))
            self.addCleanup(srv.cleanup)
            srv.start()
            servers.append(srv)
        metrics = [sample("go_authed", "gauge", 1)]
        for creds in (None, ("alice", "wrong"), ("mallory", "secret")):
            results = [self.go(srv, "put", "go_auth", None, metrics, creds=creds)
                       for srv in servers]
            self.assertEqual(results[0], results[1], "creds %r" % (creds,))
            self.assertEqual(results[0][0], 1)
            self.assertIn("unexpected status code 401 while pushing to URL/metrics/job/go_auth",
                          results[0][1])
        for srv in servers:
            self.assertEqual(self.go(srv, "put", "go_auth", {"instance": "a"}, metrics,
                                     creds=("alice", "secret")), (0, ""))
            self.assertEqual(srv.scrape().value("go_authed", job="go_auth", instance="a"), 1)
            self.assertEqual(self.go(srv, "delete", "go_auth", {"instance": "a"},
                                     creds=("alice", "secret")), (0, ""))
            self.assertFalse(srv.scrape().find("go_authed"))


if __name__ == "__main__":
    unittest.main()
