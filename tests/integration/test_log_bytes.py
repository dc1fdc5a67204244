"""Whatever bytes a client sends, every log line stays one valid UTF-8 line of valid JSON
(--log.format=json, parsed strictly) or valid logfmt (parsed by the strict reader below).

Every byte value 0x00-0xFF goes through three places that reach the log:
- a grouping label value (percent-encoded in the URL, decoded by Ferry), in a push that fails
  its consistency check, so `push rejected` logs an error quoting the decoded value (the C1
  controls U+0080-U+009F, valid UTF-8, go through as two-byte sequences too);
- a job (percent-encoded), refused by the rights table, so `request not allowed` logs the
  decoded job as a field of its own;
- the raw request target, with the byte unencoded (all but CR, LF and space, which end or split
  the request line), logged as `path`.
The test checks that the bytes did reach the log: the decoded `job` and `path` fields give them
back (exactly in logfmt, with U+FFFD for each invalid UTF-8 byte in JSON), so it fails if they
were dropped instead of escaped."""

import hashlib
import json
import os
import re
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import REQUEST_TIMEOUT_S, Server, ferry_only  # noqa: E402

TOKEN = "log-t0ken"
AUTH = {"Authorization": "Bearer " + TOKEN}
CONFIG = {"auth": {
    "plugins": [{"plugin": "token", "config": {"tokens": {
        "ci": hashlib.sha256(TOKEN.encode()).hexdigest()}}}],
    "rights": {"token:ci": {"push": ["logtest"], "api_read": True}},
    "failure_delay": {"initial": "1ms", "max": "4ms"},
}}
# Two samples of one series: the consistency check refuses the push and quotes the series,
# grouping labels included, in the error.
DUPLICATE = b"# TYPE dup gauge\ndup 1\ndup 2\n"

# Bytes that cannot appear unencoded in an HTTP/1.1 request line: they end it or split it.
NOT_IN_A_REQUEST_LINE = {0x0a, 0x0d, 0x20}


def pct(data):
    return "".join("%%%02X" % b for b in data)


# ---- a strict logfmt reader ------------------------------------------------------------------

LOGFMT_ESCAPE = re.compile(r'\\(["\\nrt]|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})')


def logfmt_fields(line):
    """{key: value bytes} of one logfmt line; raises ValueError unless every pair is key=bare or
    key="quoted" with the logger's escapes, separated by single spaces."""
    fields = {}
    i = 0
    while i < len(line):
        m = re.compile(r'([a-z_]+)=').match(line, i)
        if not m:
            raise ValueError("no key at %d: %r" % (i, line))
        key = m.group(1)
        i = m.end()
        if i < len(line) and line[i] == '"':
            out = bytearray()
            i += 1
            while True:
                if i >= len(line):
                    raise ValueError("unterminated value: %r" % line)
                c = line[i]
                if c == '"':
                    i += 1
                    break
                if c == "\\":
                    e = LOGFMT_ESCAPE.match(line, i)
                    if not e:
                        raise ValueError("bad escape at %d: %r" % (i, line))
                    s = e.group(1)
                    if s[0] == "x":
                        out.append(int(s[1:], 16))
                    elif s[0] in "uU":
                        out += chr(int(s[1:], 16)).encode("utf-8")
                    else:
                        out += {"n": b"\n", "r": b"\r", "t": b"\t"}.get(s, s.encode())
                    i = e.end()
                    continue
                if ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f:
                    raise ValueError("raw control character %r: %r" % (c, line))
                out += c.encode("utf-8")
                i += 1
            value = bytes(out)
        else:
            end = line.find(" ", i)
            end = len(line) if end < 0 else end
            bare = line[i:end]
            if not bare or any(c in bare for c in '"=') or any(
                    ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in bare):
                raise ValueError("bad bare value %r: %r" % (bare, line))
            value = bare.encode("utf-8")
            i = end
        if i < len(line):
            if line[i] != " ":
                raise ValueError("no space after %s at %d: %r" % (key, i, line))
            i += 1
        fields[key] = value
    return fields


def json_fields(line):
    """{key: value bytes} of one JSON line, parsed strictly (no raw control characters)."""
    obj = json.loads(line, strict=True)
    if not isinstance(obj, dict):
        raise ValueError("not an object: %r" % line)
    return {k: v.encode("utf-8") for k, v in obj.items()}


def as_json_sees(data):
    """The value a JSON line can carry: invalid UTF-8 bytes become U+FFFD, one per byte (as Go's
    encoding/json writes them)."""
    out = ""
    i = 0
    while i < len(data):
        for width in (1, 2, 3, 4):
            try:
                out += data[i:i + width].decode("utf-8")
                i += width
                break
            except UnicodeDecodeError:
                continue
        else:
            out += "\ufffd"
            i += 1
    return out.encode("utf-8")


@ferry_only("the log escaping is Ferry's own")
class LogBytesTest(unittest.TestCase):
    def run_server(self, log_format):
        server = Server("--log.format=" + log_format, lifecycle=False)
        self.addCleanup(server.cleanup)
        path = os.path.join(server.workdir, "ferry.json")
        with open(path, "w") as f:
            json.dump(CONFIG, f)
        server.extra_args.append("--config.file=" + path)
        server.start()
        return server

    def raw_request(self, server, target):
        """PUT with `target` sent as is; returns the status line."""
        request = (b"PUT " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                   TOKEN.encode() + b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                   % len(DUPLICATE) + DUPLICATE)
        with socket.create_connection((server.host, server.port), REQUEST_TIMEOUT_S) as s:
            s.settimeout(REQUEST_TIMEOUT_S)
            s.sendall(request)
            reply = b""
            while len(reply) < 1 << 20:
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
        return reply.split(b"\r\n", 1)[0]

    def check(self, log_format, parse, logged_as):
        server = self.run_server(log_format)
        samples = [bytes([b]) for b in range(256)]
        samples += [chr(c).encode("utf-8") for c in range(0x80, 0xa0)]  # C1 as UTF-8
        label_paths, jobs, targets = [], [], {}
        for sample in samples:
            path = "/metrics/job/logtest/lbl/" + pct(b"v" + sample + b"v")
            r = server.request("PUT", path, DUPLICATE, AUTH)
            self.assertIn(r.status, (400, 403), (sample, r))  # 403: a '/' splits the key
            if r.status == 400:
                label_paths.append(path.encode())
            job = b"j" + sample + b"j"
            r = server.request("PUT", "/metrics/job/" + pct(job), DUPLICATE, AUTH)
            self.assertEqual(r.status, 403, (sample, r))
            if b"/" not in job:  # a '/' in the job leaves no job to log
                jobs.append(job)
        for b in range(256):
            if b not in NOT_IN_A_REQUEST_LINE:
                # The query tells the lines apart where JSON writes several bytes as U+FFFD.
                target = b"/metrics/job/logtest/raw/t" + bytes([b]) + b"t?n=%d" % b
                targets[b] = (target, self.raw_request(server, target))
        server.stop()

        with open(server.log_path, "rb") as f:
            raw_lines = f.read().split(b"\n")
        self.assertEqual(raw_lines[-1], b"")
        lines = []
        for raw in raw_lines[1:-1]:  # the first line is the harness's command line
            text = raw.decode("utf-8")  # strict: invalid UTF-8 raises
            self.assertNotIn("\r", text)
            try:
                lines.append(parse(text))
            except ValueError as e:
                self.fail("not valid %s: %s" % (log_format, e))
        rejected = {l.get("path") for l in lines if l.get("msg") == b"push rejected"}
        refused_jobs = {l.get("job") for l in lines if l.get("msg") == b"request not allowed"}
        paths = {l.get("path") for l in lines}

        self.assertEqual([p for p in label_paths if p not in rejected], [],
                         "label pushes without a push rejected line")
        self.assertEqual([j for j in jobs if logged_as(j) not in refused_jobs], [],
                         "jobs not logged (or not given back by the escaped field)")
        missing = []
        for b, (target, status) in targets.items():
            if logged_as(target) in paths:
                continue
            # A target the front door refuses (control bytes, DEL, bytes that are not UTF-8, a
            # '%' that starts no escape) is logged as the path of its "bad request" line, so
            # every byte reaches the log here too.
            missing.append((b, status))
        self.assertEqual(missing, [], "raw request targets not logged as path")

    def test_logfmt(self):
        self.check("logfmt", logfmt_fields, lambda v: v)

    def test_json(self):
        self.check("json", json_fields, as_json_sees)


if __name__ == "__main__":
    unittest.main()
