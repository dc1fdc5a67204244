#!/usr/bin/env python3
"""Holds idle connections open to a server while a benchmark runs beside them.

Opens --count TCP connections to 127.0.0.1:--port: every other one first completes one
GET /-/healthy and then stays open (an idle keep-alive connection), the others never send a
byte (a silent client). Prints "ready N" once all are open, then holds them until SIGTERM or
--max-seconds, whichever comes first, and closes them. Bounded in count and time."""

import argparse
import resource
import signal
import socket
import sys
import time

REQUEST = b"GET /-/healthy HTTP/1.1\r\nHost: bench\r\n\r\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--max-seconds", type=float, default=600)
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < args.count + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.count + 64), hard))
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    sockets = []
    try:
        for i in range(args.count):
            s = socket.create_connection(("127.0.0.1", args.port), timeout=10)
            sockets.append(s)
            if i % 2 == 0:
                s.sendall(REQUEST)
                data = b""
                while b"\r\n\r\nOK" not in data:
                    chunk = s.recv(4096)
                    if not chunk:
                        sys.exit("connection %d closed before its answer" % i)
                    data += chunk
        print("ready %d" % len(sockets), flush=True)
        deadline = time.monotonic() + args.max_seconds
        while not stop and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        for s in sockets:
            s.close()


if __name__ == "__main__":
    main()
