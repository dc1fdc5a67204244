"""Starting a server for a benchmark, waiting until it answers, and stopping it.

Every bench script that runs Ferry or the Pushgateway uses BenchServer, so the start-up wait,
the CPU pinning, the log file and the shutdown (SIGTERM, then SIGKILL after a grace period)
behave the same everywhere:

    with BenchServer([ferry, "--persistence.file="], cpu=0, log_path=path) as server:
        status, body = server.request("GET", "/-/healthy")

The listen address (127.0.0.1 on a free port) is appended to the command.
"""

import http.client
import os
import signal
import socket
import ssl
import subprocess
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """User plus system CPU time the process has used so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServerError(RuntimeError):
    pass


class BenchServer:
    """One server process on 127.0.0.1:<free port>.

    argv: the command without the listen address. cpu: pin it with taskset. wrapper: a command
    put in front (e.g. valgrind). log_path: where its output goes (default: a temporary file,
    removed by stop() unless the server failed to start). tls: talk HTTPS to it (certificate
    not verified). ready_path/ready_headers: what is asked until it answers 200.
    """

    def __init__(self, argv, cpu=None, wrapper=(), env=None, cwd=None, log_path=None, tls=False,
                 ready_path="/-/ready", ready_headers=None, ready_timeout=60, stop_timeout=30,
                 start=True):
        self.argv = list(argv)
        self.cpu = cpu
        self.wrapper = list(wrapper)
        self.env = env
        self.cwd = cwd
        self.tls = tls
        self.ready_path = ready_path
        self.ready_headers = ready_headers or {}
        self.ready_timeout = ready_timeout
        self.stop_timeout = stop_timeout
        self.port = None
        self.proc = None
        self.startup_seconds = None
        self._own_log = log_path is None
        self.log_path = log_path
        if start:
            self.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    @property
    def pid(self):
        return self.proc.pid

    def command(self):
        cmd = list(self.wrapper) + self.argv + ["--web.listen-address=127.0.0.1:%d" % self.port]
        if self.cpu is not None:
            cmd = ["taskset", "-c", str(self.cpu)] + cmd
        return cmd

    def start(self):
        """Starts the server and waits until it answers; returns the seconds that took."""
        self.port = free_port()
        if self.log_path is None:
            fd, self.log_path = tempfile.mkstemp(prefix="ferry-bench-", suffix=".log")
            os.close(fd)
        t0 = time.monotonic()
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, env=self.env, cwd=self.cwd)
        self._wait_ready()
        self.startup_seconds = time.monotonic() - t0
        return self.startup_seconds

    def _wait_ready(self):
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if self.request("GET", self.ready_path, headers=self.ready_headers,
                                timeout=2)[0] == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        self._own_log = False  # keep the log: it says why
        self.stop()
        raise ServerError("%s did not become ready; log: %s\n%s"
                          % (self.argv[0], self.log_path, self.log_tail()))

    def log_tail(self, size=3000):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()[-size:]
        except OSError:
            return ""

    def connect(self, timeout=60):
        if self.tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout,
                                               context=ctx)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, conn=None, timeout=60):
        """(status, body) of one request, on `conn` (kept open) or a fresh connection."""
        c = conn or self.connect(timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, r.read()
        finally:
            if conn is None:
                c.close()

    def url(self, path="/"):
        return "%s://127.0.0.1:%d%s" % ("https" if self.tls else "http", self.port, path)

    def rss_kib(self):
        return rss_kib(self.proc.pid)

    def cpu_seconds(self):
        return cpu_seconds(self.proc.pid)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self._own_log and self.log_path and os.path.exists(self.log_path):
            os.unlink(self.log_path)
            self.log_path = None
