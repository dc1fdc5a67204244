"""Real redis-server and redis-sentinel processes for integration tests (standard library only).

Each process runs on a free 127.0.0.1 port with its own temporary directory and is stopped by
PID (SIGTERM, or SIGKILL for a crash), never by name. Servers default to AOF with
`appendfsync always`, so a restart keeps every write Redis acknowledged. `command()` speaks
RESP over a socket, so the tests need no Redis client library.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from ferry_harness import free_port, file_tail, wait_until

REDIS_SERVER = "/usr/bin/redis-server"
REDIS_SENTINEL = "/usr/bin/redis-sentinel"
START_TIMEOUT_S = 20.0


class RedisError(Exception):
    """An error reply (-ERR ...)."""


def _encode(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        elif isinstance(a, int):
            a = str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class _Reader:
    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buf += chunk

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RedisError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self._fill()
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.reply() for _ in range(n)]
        raise ValueError("bad RESP reply %r" % line)


def command(port, *args, password=None, timeout=5.0):
    """Runs one command on 127.0.0.1:port; returns the reply (bytes for bulk strings) or raises
    RedisError for an error reply and OSError when the server cannot be reached."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        reader = _Reader(sock)
        if password:
            sock.sendall(_encode(["AUTH", password]))
            reply = reader.reply()
            if isinstance(reply, RedisError):
                raise reply
        sock.sendall(_encode(list(args)))
        reply = reader.reply()
        if isinstance(reply, RedisError):
            raise reply
        return reply


class RedisProcess:
    """One redis-server (or, with sentinel_of, redis-sentinel) process."""

    def __init__(self, settings=None, sentinel_of=None):
        self.sentinel_of = sentinel_of  # (master name, master port, quorum)
        self.settings = dict(settings or {})
        self.password = self.settings.get("requirepass")
        self.dir = tempfile.mkdtemp(prefix="ferry-redis-")
        self.log_path = os.path.join(self.dir, "redis.log")
        self.port = None
        self.proc = None

    def _argv(self):
        if self.sentinel_of:
            name, master_port, quorum = self.sentinel_of
            conf = os.path.join(self.dir, "sentinel.conf")
            with open(conf, "w") as f:
                f.write("port %d\nbind 127.0.0.1\ndaemonize no\nprotected-mode no\n"
                        "dir %s\nlogfile %s\n" % (self.port, self.dir, self.log_path))
                f.write("sentinel monitor %s 127.0.0.1 %d %d\n" % (name, master_port, quorum))
                f.write("sentinel down-after-milliseconds %s 1000\n" % name)
                f.write("sentinel failover-timeout %s 3000\n" % name)
            return [REDIS_SENTINEL, conf]
        argv = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", self.dir, "--daemonize", "no", "--save", "", "--appendonly", "yes",
                "--appendfsync", "always", "--logfile", self.log_path, "--protected-mode", "no"]
        for name, value in self.settings.items():
            argv.append("--" + name)
            argv.extend(str(value).split(" "))
        return argv

    def start(self):
        """Starts the process and waits until it answers PING. The first start takes a free
        port (another one if that was taken meanwhile); a restart after stop() or kill() keeps
        the port and the directory, so Redis reloads its AOF."""
        restart = self.port is not None
        for _attempt in range(1 if restart else 3):
            if not restart:
                self.port = free_port()
            self.proc = subprocess.Popen(self._argv(), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                         start_new_session=True)
            try:
                wait_until(lambda: self.proc.poll() is not None or self.ping(), START_TIMEOUT_S,
                           "redis on port %d to answer PING" % self.port)
            except AssertionError:
                self.kill()
                raise
            if self.proc.poll() is None:
                return self
        raise RuntimeError("redis did not start:\n" + self.log_tail())

    def ping(self):
        try:
            return self.command("PING") == "PONG"
        except (OSError, RedisError):
            return False

    def command(self, *args, timeout=5.0):
        return command(self.port, *args, password=self.password, timeout=timeout)

    def stop(self):
        """SIGTERM (Redis flushes and exits) and wait."""
        self._signal(signal.SIGTERM)

    def kill(self):
        """SIGKILL: a crash."""
        self._signal(signal.SIGKILL)

    def _signal(self, sig):
        if self.proc is None or self.proc.poll() is not None:
            return
        os.kill(self.proc.pid, signal.SIGCONT)
        os.kill(self.proc.pid, sig)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(20)

    def cleanup(self):
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log_tail(self):
        return file_tail(self.log_path)

    @property
    def address(self):
        return "127.0.0.1:%d" % self.port

    @property
    def url(self):
        return "redis://127.0.0.1:%d/0" % self.port


def redis_server(test, settings=None):
    """A started redis-server that the test case cleans up."""
    server = RedisProcess(settings).start()
    test.addCleanup(server.cleanup)
    return server
