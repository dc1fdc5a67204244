"""What the tests of real client libraries share (test_go_client.py, test_cpp_client.py): a
directory for the pushers they build, and a test case that runs every push against Ferry and
against the real Pushgateway 1.5.1 side by side and compares what both serve afterwards."""

import json
import os
import re
import shutil
import tempfile

from ferry_harness import Server, ServerTestCase, start_or_clean_up

PUSHGATEWAY = "/usr/bin/prometheus-pushgateway"

_scratch = []


def client_dir():
    """Where the pushers are built: $FERRY_TEST_CLIENT_DIR (CTest sets build/test-clients, so
    a build is redone only when its source changes), else a temporary directory removed at
    exit."""
    out_dir = os.environ.get("FERRY_TEST_CLIENT_DIR")
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        return out_dir
    if not _scratch:
        _scratch.append(tempfile.mkdtemp(prefix="ferry-clients-"))
        import atexit
        atexit.register(shutil.rmtree, _scratch[0], True)
    return _scratch[0]


def up_to_date(binary, source):
    return os.path.isfile(binary) and os.path.getmtime(binary) >= os.path.getmtime(source)


# Families of the servers' own registries, which differ by design.
OWN = re.compile(r"^(go_(gc|goroutines|info|memstats|threads)|process_|promhttp_|pushgateway_"
                 r"|ferry_)")


def pushed_part(text):
    """The scrape without the servers' own families, with push times as T (0 kept: a failure
    time of 0 says the group never failed)."""
    out = []
    for line in text.splitlines():
        name = line.split(" ")[2] if line.startswith("# ") else re.split(r"[{ ]", line)[0]
        if OWN.match(name):
            continue
        if line.startswith(("push_time_seconds", "push_failure_time_seconds")):
            head, value = line.rsplit(" ", 1)
            line = head + (" 0" if value == "0" else " T")
        out.append(line)
    return "\n".join(out) + "\n"


def api_groups(server):
    """/api/v1/metrics data with times taken out, sorted by grouping labels."""
    groups = []
    for g in server.api_metrics():
        for key in ("push_time_seconds", "push_failure_time_seconds"):
            g.pop(key, None)
        for family in g.values():
            if isinstance(family, dict):
                family.pop("time_stamp", None)
        groups.append(g)
    return sorted(groups, key=lambda g: json.dumps(g["labels"], sort_keys=True))


class SideBySideTestCase(ServerTestCase):
    """Ferry (self.server) and a Pushgateway (self.reference), one of each per class."""

    reference = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reference = start_or_clean_up(Server(binary=PUSHGATEWAY), cls.server)

    @classmethod
    def tearDownClass(cls):
        if cls.reference is not None:
            cls.reference.cleanup()
        super().tearDownClass()

    def extra_logs(self):
        return [(self.reference.log_path, self.reference.log_tail())] if self.reference else []

    def assertSameState(self):
        """/metrics (without the servers' own families, push times as T) and /api/v1/metrics
        (without times) are the same on both."""
        ferry, reference = self.server.scrape_response(), self.reference.scrape_response()
        self.assertEqual(ferry.status, 200)
        self.assertEqual(reference.status, 200)
        self.assertEqual(pushed_part(ferry.text), pushed_part(reference.text))
        self.assertEqual(api_groups(self.server), api_groups(self.reference))
