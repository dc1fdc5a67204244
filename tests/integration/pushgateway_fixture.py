"""Writes a persistence file with the real Pushgateway: starts it on 127.0.0.1 with
--persistence.file, pushes several groups (counters, gauges, untyped, histograms, summaries,
HELP text, `/` in label values via @base64, an empty label value, a failed push), scrapes it,
then stops it with SIGTERM so that it saves the file.

    python3 tests/integration/pushgateway_fixture.py OUT.data [OUT.scrape.txt]

writes the file and, optionally, the Pushgateway's /metrics text at the time of the save. Used by
test_import.py and to make tests/fixtures/pushgateway-1.5.1-*.data (see the README there).
"""

import base64
import os
import sys
import time

import ferry_harness as h

PUSHGATEWAY = "/usr/bin/prometheus-pushgateway"

# (method, group path, body, expected status)
PUSHES = [
    ("PUT", "/job/batch/instance/host1",
     "# HELP jobs_processed_total Jobs processed, by queue.\n"
     "# TYPE jobs_processed_total counter\n"
     "jobs_processed_total{queue=\"a\"} 42\n"
     "jobs_processed_total{queue=\"b\"} 7\n"
     "# HELP last_run_seconds Unix time of the last run. Quotes \" and \\\\ in HELP.\n"
     "# TYPE last_run_seconds gauge\n"
     "last_run_seconds 1.7e+09\n", 200),
    ("PUT", "/job/untyped_job",
     "some_value{kind=\"x\",note=\"line\\nbreak \\\"quoted\\\" \\\\ ünïcødé\"} 3.5\n"
     "other_value -0.25\n", 200),
    ("POST", "/job/latency/instance/web-1",
     "# HELP request_seconds Request latency.\n"
     "# TYPE request_seconds histogram\n"
     "request_seconds_bucket{le=\"0.1\"} 3\n"
     "request_seconds_bucket{le=\"0.5\"} 5\n"
     "request_seconds_bucket{le=\"+Inf\"} 6\n"
     "request_seconds_sum 2.25\n"
     "request_seconds_count 6\n"
     "# HELP rpc_seconds RPC latency.\n"
     "# TYPE rpc_seconds summary\n"
     "rpc_seconds{quantile=\"0.5\"} 0.05\n"
     "rpc_seconds{quantile=\"0.99\"} 0.3\n"
     "rpc_seconds_sum 12.5\n"
     "rpc_seconds_count 100\n", 200),
    ("PUT", "/job@base64/%s/path@base64/%s" % (
        base64.urlsafe_b64encode(b"backup/nightly").decode(),
        base64.urlsafe_b64encode(b"/var/lib/data").decode()),
     "# TYPE backup_bytes gauge\nbackup_bytes 1.234e+10\n", 200),
    # An empty label value can only be written in base64 ("=" decodes to "").
    ("PUT", "/job/empty_label/region@base64/=",
     "# TYPE up_flag gauge\nup_flag 1\n", 200),
    # A type conflict with the empty_label group's gauge: refused, and sets the batch group's
    # push_failure_time_seconds.
    ("POST", "/job/batch/instance/host1",
     "# TYPE up_flag counter\nup_flag 1\n", 400),
]


class PersistingPushgateway(h.Server):
    """The Pushgateway with a persistence file (the harness normally turns persistence off)."""

    def __init__(self, data_path, binary=PUSHGATEWAY):
        super().__init__(binary=binary, admin=False, lifecycle=False)
        self.data_path = data_path

    def argv(self, port):
        return [self.binary, "--web.listen-address=%s:%d" % (self.host, port),
                "--persistence.file=" + self.data_path, "--persistence.interval=1s"]


def make_pushgateway_file(data_path, binary=PUSHGATEWAY):
    """Runs the pushes against a fresh Pushgateway persisting to data_path; returns the text of
    its /metrics just before it was stopped (and saved the file)."""
    if os.path.exists(data_path):
        os.remove(data_path)
    server = PersistingPushgateway(data_path, binary)
    server.start()
    try:
        for method, path, body, status in PUSHES:
            r = server.push(method, path, body, content_type=h.TEXT_CT)
            if r.status != status:
                raise AssertionError("%s %s: HTTP %d (expected %d): %r"
                                     % (method, path, r.status, status, r.body[:300]))
            time.sleep(0.01)  # distinct push times
        r = server.get("/metrics")
        if r.status != 200:
            raise AssertionError("pushgateway scrape: HTTP %d" % r.status)
        scrape = r.text
    finally:
        code = server.stop()
        log = server.log_tail()
        server.cleanup()
    if code != 0 or not os.path.isfile(data_path):
        raise AssertionError("pushgateway did not save %s (exit %s)\n%s" % (data_path, code, log))
    return scrape


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    scrape = make_pushgateway_file(os.path.abspath(sys.argv[1]))
    if len(sys.argv) == 3:
        with open(sys.argv[2], "w", encoding="utf-8") as f:
            f.write(scrape)


if __name__ == "__main__":
    main()
