"""Shared harness for Ferry's integration tests (Python 3 standard library only).

Starts a server binary on a free 127.0.0.1 port, waits for /-/ready, offers small HTTP helpers,
a strict parser for the text exposition format 0.0.4 and a hand-written protobuf encoder/decoder
for io.prometheus.client.MetricFamily, and stops the server with SIGTERM (SIGKILL after a bound).

The binary comes from $FERRY_BIN (default: <repo>/build/bin/ferry). The same tests run against
the real Pushgateway with FERRY_BIN=/usr/bin/prometheus-pushgateway; tests that check Ferry's
deliberate fixes of Pushgateway bugs are skipped then (see `ferry_only`).
"""

import http.client
import math
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

TEXT_CT = "text/plain; version=0.0.4; charset=utf-8"
PROTO_CT = ("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
            "encoding=delimited")
PROTO_ACCEPT = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"

# A sanitizer build runs several times slower: scripts/test-sanitize.sh sets
# FERRY_TEST_TIME_SCALE, and every bound on how long Ferry may take scales with it.
TIME_SCALE = float(os.environ.get("FERRY_TEST_TIME_SCALE") or 1)
READY_TIMEOUT_S = 10.0 * TIME_SCALE
STOP_TIMEOUT_S = 10.0 * TIME_SCALE
REQUEST_TIMEOUT_S = 10.0 * TIME_SCALE


def server_binary():
    return os.environ.get("FERRY_BIN") or os.path.join(REPO_ROOT, "build", "bin", "ferry")


def first_party_plugin_dir():
    """The plugins directory of the ferry under test (build/lib/ferry/plugins in a build)."""
    return os.environ.get("FERRY_TEST_PLUGIN_DIR") or os.path.join(
        os.path.dirname(os.path.dirname(server_binary())), "lib", "ferry", "plugins")


def thirdparty_plugin_dir():
    """Where the tests' third-party-style plugins are built (tests/plugins/thirdparty)."""
    return os.environ.get("FERRY_TEST_THIRDPARTY_DIR") or os.path.join(
        os.path.dirname(os.path.dirname(server_binary())), "test-plugins", "thirdparty")


def plugins_dir_with(workdir, *files):
    """A plugins directory under `workdir` (Ferry loads plugins from one directory): links to
    every first-party plugin and to the named third-party-style test plugins, e.g.
    plugins_dir_with(d, "auth-probe.so"). Returns its path."""
    target = os.path.join(workdir, "plugins")
    os.makedirs(target, exist_ok=True)
    sources = [os.path.join(first_party_plugin_dir(), f)
               for f in sorted(os.listdir(first_party_plugin_dir())) if f.endswith(".so")]
    sources += [os.path.join(thirdparty_plugin_dir(), f) for f in files]
    for source in sources:
        if not os.path.isfile(source):
            raise RuntimeError("test plugin %s is missing: build the tree first" % source)
        link = os.path.join(target, os.path.basename(source))
        if not os.path.lexists(link):
            os.symlink(os.path.abspath(source), link)
    return target


def is_pushgateway(binary=None):
    """The reference implementation is recognised by its executable name."""
    return "pushgateway" in os.path.basename(binary or server_binary())


def ferry_only(reason):
    """Skips a test that pins one of Ferry's fixes of a Pushgateway bug (spec 4.5 and 12) when
    the binary is the Pushgateway. FERRY_RUN_FERRY_ONLY=1 runs them anyway, to see them catch
    the bug."""
    skip = is_pushgateway() and os.environ.get("FERRY_RUN_FERRY_ONLY") != "1"
    return unittest.skipIf(skip, "Ferry-only (Pushgateway 1.5.1 has the bug): " + reason)


def requires(available, what):
    """Class decorator for tests that need something the set-up script installs or the build
    makes: when it is missing, the class fails loudly, saying what is missing (it never skips)."""
    def decorate(cls):
        if not available:
            def fail_set_up(klass):
                raise AssertionError("missing: %s (`make test` installs and builds everything "
                                     "the tests need)" % what)
            cls.setUpClass = classmethod(fail_set_up)
        return cls
    return decorate


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, what, interval=0.05):
    """Polls predicate() until it returns a truthy value; raises AssertionError after timeout."""
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except (OSError, http.client.HTTPException, ValueError) as e:
            last_exc = e
        if time.monotonic() >= deadline:
            detail = " (last error: %r)" % last_exc if last_exc else ""
            raise AssertionError("timed out after %.1fs waiting for %s%s" % (timeout, what, detail))
        time.sleep(interval)


def file_tail(path, max_bytes=20000):
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - max_bytes))
            return f.read().decode("utf-8", "replace")
    except OSError as e:
        return "(no log: %s)" % e


# --------------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------------

class Response:
    def __init__(self, status, header_list, body, reason=""):
        self.status = status
        self.reason = reason  # the status line's reason phrase
        self.headers = {k.lower(): v for k, v in header_list}
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return "<HTTP %d %r>" % (self.status, self.body[:300])


def http_request(host, port, method, path, body=None, headers=None, timeout=REQUEST_TIMEOUT_S):
    """One request on a fresh connection. `path` is sent verbatim (no normalisation)."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
        hdrs = dict(headers or {})
        if body is not None:
            if isinstance(body, str):
                body = body.encode("utf-8")
            hdrs.setdefault("Content-Length", str(len(body)))
        for k, v in hdrs.items():
            conn.putheader(k, v)
        conn.endheaders()
        if body:
            conn.send(body)
        r = conn.getresponse()
        data = b"" if method == "HEAD" else r.read()
        return Response(r.status, r.getheaders(), data, r.reason)
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------
# Server process
# --------------------------------------------------------------------------------------------

class Server:
    """A server process on 127.0.0.1 with its combined stdout/stderr in a log file."""

    def __init__(self, *args, prefix="", admin=True, lifecycle=True, binary=None):
        self.binary = binary or server_binary()
        self.extra_args = list(args)
        self.prefix = prefix.rstrip("/")  # route prefix every helper path is put under
        self.admin = admin
        self.lifecycle = lifecycle
        self.host = "127.0.0.1"
        self.port = None
        self.proc = None
        self.workdir = tempfile.mkdtemp(prefix="ferry-it-")
        self.log_path = os.path.join(self.workdir, "server.log")

    # ---- lifecycle -------------------------------------------------------------------------

    def argv(self, port):
        argv = [self.binary, "--web.listen-address=%s:%d" % (self.host, port)]
        if self.admin:
            argv.append("--web.enable-admin-api")
        if self.lifecycle:
            argv.append("--web.enable-lifecycle")
        if is_pushgateway(self.binary):
            argv.append("--persistence.file=")  # Debian's build persists by default
        return argv + self.extra_args

    def start(self):
        if not os.path.isfile(self.binary) or not os.access(self.binary, os.X_OK):
            raise RuntimeError("server binary %r not found or not executable (set FERRY_BIN)"
                               % self.binary)
        # A port found free can be taken by another process before the server binds it: retry.
        for _attempt in range(3):
            self.port = free_port()
            with open(self.log_path, "ab") as log:
                log.write(("$ %s\n" % " ".join(self.argv(self.port))).encode())
                log.flush()
                self.proc = subprocess.Popen(self.argv(self.port), stdin=subprocess.DEVNULL,
                                             stdout=log, stderr=subprocess.STDOUT,
                                             cwd=self.workdir)
            if self._wait_ready():
                return self
            if self.proc.poll() is None:
                self.stop()
                raise RuntimeError("server not ready within %.0fs\n%s"
                                   % (READY_TIMEOUT_S, self.log_tail()))
        raise RuntimeError("server exited during start-up (code %s)\n%s"
                           % (self.proc.returncode, self.log_tail()))

    def _wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                if self.get("/-/ready", timeout=1.0).status == 200:
                    return True
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        return False

    def wait_exit(self, timeout=STOP_TIMEOUT_S):
        """Waits for the process to exit on its own; returns its exit code (None if it did not)."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        """SIGTERM, then SIGKILL after a bound. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(STOP_TIMEOUT_S)
        return self.proc.returncode

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self):
        return file_tail(self.log_path)

    # ---- HTTP helpers (paths are relative to the route prefix) ------------------------------

    @property
    def url(self):
        return "http://%s:%d%s" % (self.host, self.port, self.prefix)

    @property
    def address(self):
        return "%s:%d" % (self.host, self.port)

    def request(self, method, path, body=None, headers=None, timeout=REQUEST_TIMEOUT_S,
                raw_path=False):
        return http_request(self.host, self.port, method, path if raw_path else self.prefix + path,
                            body, headers, timeout)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def put(self, path, body=b"", **kw):
        return self.request("PUT", path, body, **kw)

    def post(self, path, body=b"", **kw):
        return self.request("POST", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def options(self, path, **kw):
        return self.request("OPTIONS", path, **kw)

    def push(self, method, group_path, body, content_type=None, headers=None, **kw):
        """method on /metrics<group_path>, e.g. push("PUT", "/job/a/instance/b", "m 1\\n")."""
        hdrs = dict(headers or {})
        if content_type:
            hdrs["Content-Type"] = content_type
        return self.request(method, "/metrics" + group_path, body, hdrs, **kw)

    def scrape_response(self, headers=None):
        return self.get("/metrics", headers=headers)

    def scrape(self):
        """GET /metrics as text; asserts 200 and parses strictly."""
        r = self.scrape_response()
        if r.status != 200:
            raise AssertionError("scrape: HTTP %d %r" % (r.status, r.body[:500]))
        return parse_text(r.text)

    def api_metrics(self):
        import json
        r = self.get("/api/v1/metrics")
        if r.status != 200:
            raise AssertionError("/api/v1/metrics: HTTP %d %r" % (r.status, r.body[:300]))
        return json.loads(r.body)["data"]

    def api_group(self, labels):
        for g in self.api_metrics():
            if g.get("labels") == labels:
                return g
        return None


def start_or_clean_up(server, *others):
    """Starts `server` and returns it. If it does not start, cleans up `server` and the servers
    in `others` before raising: a setUpClass that raises gets no tearDownClass."""
    try:
        server.start()
    except Exception:
        for started in (server, *others):
            started.cleanup()
        raise
    return server


class ServerTestCase(unittest.TestCase):
    """Test case with one server per class (SERVER_KWARGS / SERVER_ARGS) and optional per-test
    servers from start_server(). When a test fails, the logs of its servers are printed."""

    SERVER_ARGS = ()
    SERVER_KWARGS = {}
    # False: no server per class; every test starts its own with start_server().
    CLASS_SERVER = True
    server = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.CLASS_SERVER:
            return
        cls.server = start_or_clean_up(Server(*cls.SERVER_ARGS, **cls.SERVER_KWARGS))

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.cleanup()
        super().tearDownClass()

    def start_server(self, *args, **kwargs):
        srv = Server(*args, **kwargs)
        self._own_servers.append(srv)
        srv.start()
        self.addCleanup(srv.stop)
        return srv

    def run(self, result=None):
        self._own_servers = []
        if result is None:
            result = self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        try:
            return super().run(result)
        finally:
            if len(result.failures) + len(result.errors) > before:
                servers = self._own_servers + ([self.server] if self.server else [])
                logs = [(srv.log_path, srv.log_tail()) for srv in servers] + self.extra_logs()
                for path, text in logs:
                    sys.stderr.write("\n----- log %s (%s) -----\n%s\n----- end of log -----\n"
                                     % (path, self.id(), text))
                sys.stderr.flush()
            for srv in self._own_servers:
                srv.cleanup()

    def extra_logs(self):
        """[(path, text)] of other processes' logs to show when a test fails."""
        return []

    # ---- assertions shared by the suites ----------------------------------------------------

    def assertStatus(self, resp, code, what=""):
        codes = code if isinstance(code, (tuple, list, set)) else (code,)
        if resp.status not in codes:
            expected = "/".join(map(str, codes))
            self.fail("%s: expected HTTP %s, got %d, body %r"
                      % (what or "request", expected, resp.status, resp.body[:500]))

    def assertPlainError(self, resp, code, message):
        """Go http.Error shape: exact status, body message + newline, text/plain, nosniff."""
        self.assertStatus(resp, code)
        self.assertEqual(resp.body, (message + "\n").encode("utf-8"))
        self.assertEqual(resp.header("Content-Type"), "text/plain; charset=utf-8")
        self.assertEqual(resp.header("X-Content-Type-Options"), "nosniff")


# --------------------------------------------------------------------------------------------
# Text exposition format 0.0.4: strict parser
# --------------------------------------------------------------------------------------------

METRIC_NAME_RE = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")


class ExpositionError(AssertionError):
    pass


class Sample:
    __slots__ = ("name", "labels", "value", "family", "line")

    def __init__(self, name, labels, value, family, line):
        self.name, self.labels, self.value, self.family, self.line = (
            name, labels, value, family, line)

    def __repr__(self):
        return self.line


class Family:
    def __init__(self, name):
        self.name = name
        self.type = None
        self.help = None
        self.samples = []
        self.lines = []  # raw HELP/TYPE/sample lines in order


class Exposition:
    def __init__(self, text, families):
        self.text = text
        self.families = families  # name -> Family, in exposition order
        self.samples = [s for f in families.values() for s in f.samples]

    def find(self, name, **labels):
        return [s for s in self.samples
                if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]

    def value(self, name, **labels):
        found = self.find(name, **labels)
        if len(found) != 1:
            raise AssertionError("expected exactly one sample %s%r, found %d: %r"
                                 % (name, labels, len(found), found[:5]))
        return found[0].value

    def job_lines(self, job):
        """Sample lines of one job, in exposition order."""
        return [s.line for s in self.samples if s.labels.get("job") == job]


def _unescape(s, quote):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "\\":
                out.append("\\")
            elif n == "n":
                out.append("\n")
            elif quote and n == '"':
                out.append('"')
            else:
                out.append("\\" + n)
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def parse_float(tok):
    if tok in ("+Inf", "Inf"):
        return math.inf
    if tok == "-Inf":
        return -math.inf
    if tok == "NaN":
        return math.nan
    return float(tok)


def _parse_sample_line(line):
    m = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?[ \t]+(\S+)$", line)
    if not m:
        raise ExpositionError("malformed sample line")
    name, body = m.group(1), m.group(3)
    labels = {}
    if body:
        pos = 0
        pair = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)')
        while pos < len(body):
            pm = pair.match(body, pos)
            if not pm:
                raise ExpositionError("malformed labels at %r" % body[pos:pos + 40])
            if pm.group(1) in labels:
                raise ExpositionError("duplicate label %r" % pm.group(1))
            labels[pm.group(1)] = _unescape(pm.group(2), quote=True)
            pos = pm.end()
    try:
        value = parse_float(m.group(4))
    except ValueError:
        raise ExpositionError("bad value %r" % m.group(4))
    return name, labels, value


def parse_text(text):
    """Parses text format 0.0.4. Raises ExpositionError on anything Prometheus would reject or
    that the Pushgateway never emits: missing final newline, non-contiguous families, repeated
    HELP/TYPE, TYPE after samples, duplicate series, histogram buckets without `le`."""
    families = {}
    current, closed, seen = None, set(), set()
    if text and not text.endswith("\n"):
        raise ExpositionError("exposition does not end with a newline")

    def switch_to(fname, lineno):
        nonlocal current
        if fname != current:
            if fname in closed:
                raise ExpositionError("line %d: family %r is not contiguous" % (lineno, fname))
            if current is not None:
                closed.add(current)
            current = fname
        return families.setdefault(fname, Family(fname))

    def family_of(sname):
        for suffix in ("_bucket", "_sum", "_count"):
            if sname.endswith(suffix):
                f = families.get(sname[:-len(suffix)])
                if f is not None and (f.type == "histogram" or
                                      (f.type == "summary" and suffix != "_bucket")):
                    return f.name
        return sname

    for lineno, line in enumerate(text.split("\n")[:-1] if text else [], 1):
        if line == "":
            raise ExpositionError("line %d: empty line" % lineno)
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) < 3 or parts[1] not in ("HELP", "TYPE"):
                raise ExpositionError("line %d: unexpected comment %r" % (lineno, line))
            fname = parts[2]
            if not METRIC_NAME_RE.match(fname):
                raise ExpositionError("line %d: bad family name %r" % (lineno, fname))
            fam = switch_to(fname, lineno)
            if parts[1] == "HELP":
                if fam.help is not None:
                    raise ExpositionError("line %d: second HELP for %r" % (lineno, fname))
                fam.help = _unescape(parts[3] if len(parts) > 3 else "", quote=False)
            else:
                if fam.type is not None or fam.samples:
                    raise ExpositionError("line %d: late or second TYPE for %r" % (lineno, fname))
                if len(parts) != 4 or parts[3] not in TYPES:
                    raise ExpositionError("line %d: bad TYPE line %r" % (lineno, line))
                fam.type = parts[3]
            fam.lines.append(line)
            continue
        try:
            sname, labels, value = _parse_sample_line(line)
        except ExpositionError as e:
            raise ExpositionError("line %d: %s: %r" % (lineno, e, line[:300]))
        fam = switch_to(family_of(sname), lineno)
        if fam.type is None:
            fam.type = "untyped"
        key = (sname, tuple(sorted(labels.items())))
        if key in seen:
            raise ExpositionError("line %d: duplicate series %r" % (lineno, line))
        seen.add(key)
        if fam.type == "histogram" and sname == fam.name + "_bucket" and "le" not in labels:
            raise ExpositionError("line %d: histogram bucket without le" % lineno)
        fam.samples.append(Sample(sname, labels, value, fam.name, line))
        fam.lines.append(line)
    return Exposition(text, families)


# --------------------------------------------------------------------------------------------
# Protobuf: io.prometheus.client.MetricFamily, hand-encoded (no protobuf runtime needed)
# --------------------------------------------------------------------------------------------

PB_COUNTER, PB_GAUGE, PB_SUMMARY, PB_UNTYPED, PB_HISTOGRAM = 0, 1, 2, 3, 4
PB_TYPE_NAMES = {0: "COUNTER", 1: "GAUGE", 2: "SUMMARY", 3: "UNTYPED", 4: "HISTOGRAM"}


def pb_varint(n):
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _key(field, wire_type):
    return pb_varint((field << 3) | wire_type)


def _len_field(field, payload):
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return _key(field, 2) + pb_varint(len(payload)) + payload


def _double_field(field, v):
    return _key(field, 1) + struct.pack("<d", v)


def _uint_field(field, v):
    return _key(field, 0) + pb_varint(v)


def _zigzag(v):
    return (v << 1) ^ (v >> 63)


def pb_metric(labels=(), gauge=None, counter=None, untyped=None, summary=None, histogram=None,
              timestamp_ms=None, native=None):
    """labels: [(name, value)]; summary=(count, sum, [(q, v)]); histogram=(count, sum, [(le, n)]);
    native=(schema, zero_threshold, zero_count, positive_spans [(offset, length)], positive_deltas,
    negative_spans, negative_deltas) adds native buckets to the histogram (histogram required)."""
    out = b""
    for n, v in labels:
        out += _len_field(1, _len_field(1, n) + _len_field(2, v))
    if gauge is not None:
        out += _len_field(2, _double_field(1, gauge))
    if counter is not None:
        out += _len_field(3, _double_field(1, counter))
    if summary is not None:
        count, total, quantiles = summary
        body = _uint_field(1, count) + _double_field(2, total)
        for q, v in quantiles:
            body += _len_field(3, _double_field(1, q) + _double_field(2, v))
        out += _len_field(4, body)
    if untyped is not None:
        out += _len_field(5, _double_field(1, untyped))
    if timestamp_ms is not None:
        out += _uint_field(6, timestamp_ms)
    if histogram is not None:
        count, total, buckets = histogram
        body = _uint_field(1, count) + _double_field(2, total)
        for le, n in buckets:
            body += _len_field(3, _uint_field(1, n) + _double_field(2, le))
        if native is not None:
            schema, threshold, zero_count, pos_spans, pos_deltas, neg_spans, neg_deltas = native
            body += _uint_field(5, _zigzag(schema)) + _double_field(6, threshold)
            body += _uint_field(7, zero_count)
            for field, spans in ((9, neg_spans), (12, pos_spans)):
                for offset, length in spans:
                    body += _len_field(field, _uint_field(1, _zigzag(offset)) +
                                       _uint_field(2, length))
            for field, deltas in ((10, neg_deltas), (13, pos_deltas)):
                if deltas:
                    body += _len_field(field, b"".join(pb_varint(_zigzag(d)) for d in deltas))
        out += _len_field(7, body)
    return out


def pb_family(name, mtype, metrics, help=None):
    out = _len_field(1, name)
    if help is not None:
        out += _len_field(2, help)
    out += _uint_field(3, mtype)
    for m in metrics:
        out += _len_field(4, m)
    return out


def pb_delimited(families):
    return b"".join(pb_varint(len(f)) + f for f in families)


def _read_varint(buf, pos):
    result = shift = 0
    while True:
        if pos >= len(buf):
            raise ValueError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


def _fields(buf):
    """Decodes one message into {field: [raw values]}; doubles stay 8-byte strings."""
    out, pos = {}, 0
    while pos < len(buf):
        key, pos = _read_varint(buf, pos)
        field, wt = key >> 3, key & 7
        if wt == 0:
            val, pos = _read_varint(buf, pos)
        elif wt == 1:
            val, pos = buf[pos:pos + 8], pos + 8
        elif wt == 2:
            n, pos = _read_varint(buf, pos)
            val, pos = buf[pos:pos + n], pos + n
        elif wt == 5:
            val, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError("unsupported wire type %d" % wt)
        if pos > len(buf):
            raise ValueError("truncated field %d" % field)
        out.setdefault(field, []).append(val)
    return out


def _double(raw):
    return struct.unpack("<d", raw)[0]


def _decode_metric(buf):
    f = _fields(buf)
    m = {"labels": {}}
    for lp in f.get(1, []):
        lf = _fields(lp)
        m["labels"][lf.get(1, [b""])[0].decode()] = lf.get(2, [b""])[0].decode()
    for field, kind in ((2, "gauge"), (3, "counter"), (5, "untyped")):
        if field in f:
            m[kind] = _double(_fields(f[field][0]).get(1, [b"\0" * 8])[0])
    if 4 in f:
        sf = _fields(f[4][0])
        m["summary"] = {
            "count": sf.get(1, [0])[0], "sum": _double(sf.get(2, [b"\0" * 8])[0]),
            "quantiles": [(_double(_fields(q)[1][0]), _double(_fields(q)[2][0]))
                          for q in sf.get(3, [])]}
    if 7 in f:
        hf = _fields(f[7][0])
        m["histogram"] = {
            "count": hf.get(1, [0])[0], "sum": _double(hf.get(2, [b"\0" * 8])[0]),
            "buckets": [(_double(_fields(b)[2][0]), _fields(b).get(1, [0])[0])
                        for b in hf.get(3, [])]}
    if 6 in f:
        m["timestamp_ms"] = f[6][0]
    return m


def pb_decode_delimited(data):
    """Decodes a delimited MetricFamily stream into a list of dicts
    {name, help, type (enum name), metrics: [{labels, gauge|counter|untyped|summary|histogram}]}"""
    out, pos = [], 0
    while pos < len(data):
        n, pos = _read_varint(data, pos)
        if pos + n > len(data):
            raise ValueError("truncated message")
        f = _fields(data[pos:pos + n])
        pos += n
        out.append({
            "name": f.get(1, [b""])[0].decode(),
            "help": f.get(2, [b""])[0].decode() if 2 in f else None,
            "type": PB_TYPE_NAMES.get(f.get(3, [0])[0], "?"),
            "metrics": [_decode_metric(m) for m in f.get(4, [])],
        })
    return out
