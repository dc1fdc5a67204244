"""Raw-socket HTTP helpers for the front-door tests: requests written byte for byte, answers read
as they come, and whether the server closed the connection."""

import socket
import time


class Exchange:
    """What came back on one connection: the bytes, and whether the server closed it."""

    def __init__(self, data, closed, elapsed):
        self.data = data
        self.closed = closed
        self.elapsed = elapsed

    @property
    def status(self):
        """The status code of the first answer, or None."""
        if not self.data.startswith(b"HTTP/1."):
            return None
        parts = self.data.split(b" ", 2)
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None

    def answers(self):
        """Status codes of the answers in the bytes, in order (interim 1xx included), read one
        after the other by their Content-Length; an answer without one ends the list."""
        codes, pos, data = [], 0, self.data
        while data.startswith(b"HTTP/1.", pos):
            end = data.find(b"\r\n\r\n", pos)
            if end < 0:
                break
            head = data[pos:end].split(b"\r\n")
            parts = head[0].split(b" ")
            if len(parts) < 2 or not parts[1].isdigit():
                break
            codes.append(int(parts[1]))
            length = None
            for line in head[1:]:
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length is None and not 100 <= codes[-1] < 200:
                break
            pos = end + 4 + (length or 0)
        return codes

    def __repr__(self):
        return "<%r closed=%s>" % (self.data[:300], self.closed)


def connect(host, port, timeout=10.0):
    s = socket.create_connection((host, port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_all(sock, timeout, until=None):
    """Reads until the peer closes, `until(data)` is true, or `timeout` passes."""
    data = b""
    closed = False
    deadline = time.monotonic() + timeout
    while True:
        if until is not None and until(data):
            break
        left = deadline - time.monotonic()
        if left <= 0:
            break
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        except (ConnectionResetError, BrokenPipeError):
            closed = True
            break
        if not chunk:
            closed = True
            break
        data += chunk
    return data, closed


def exchange(host, port, raw, timeout=5.0, until=None):
    """Sends `raw` on a fresh connection and reads until the server closes it (or `until`)."""
    t0 = time.monotonic()
    with connect(host, port, timeout) as s:
        try:
            s.sendall(raw)
        except (ConnectionResetError, BrokenPipeError):
            pass
        data, closed = read_all(s, timeout, until)
    return Exchange(data, closed, time.monotonic() - t0)


def complete_answers(n):
    """An `until` for read_all: n complete answers with a Content-Length have arrived."""
    def done(data):
        count, pos = 0, 0
        while True:
            end = data.find(b"\r\n\r\n", pos)
            if end < 0:
                return False
            head = data[pos:end].lower()
            length = 0
            for line in head.split(b"\r\n"):
                if line.startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if len(data) < end + 4 + length:
                return False
            pos = end + 4 + length
            if not head.startswith(b"http/1.1 1") and not head.startswith(b"http/1.0 1"):
                count += 1
            if count >= n:
                return True
    return done


def vm_status(pid, field):
    """A /proc/<pid>/status field in kB (VmRSS, VmHWM)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError("no %s for pid %d" % (field, pid))
