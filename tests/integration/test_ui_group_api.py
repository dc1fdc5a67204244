"""The Metrics tab against the group API contract (docs/web-ui.md, /api/v1/groups), served from
fixtures by a small Python server next to the page's real files (core/ui/assets): TTL countdown,
expired groups, failure reasons, paging with cursors, filter and sort parameters, native
histograms, and selector delete with its dry-run preview and a 403. The same page against the
real ferry (and its real group API) is test_ui_browser.py, GroupApiOnFerryTest among others.
"""

import base64
import http.server
import json
import os
import re
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from browser_harness import Browser  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

ASSETS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "core", "ui", "assets")
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


def gid(labels):
    key = b"\xff".join(k.encode() + b"\xff" + labels[k].encode() for k in sorted(labels))
    return base64.urlsafe_b64encode(key).decode().rstrip("=")


def summary(labels, **kw):
    """A group summary; *_unix values are seconds relative to the time of the answer."""
    g = {"id": gid(labels), "labels": labels,
         "last_push": "2026-12-05T10:00:00Z", "last_push_unix": -120,
         "last_failure": None, "last_failure_unix": None, "last_failure_reason": None,
         "last_push_successful": True, "ttl_seconds": 0, "deadline": None, "deadline_unix": None,
         "expired": False, "families": 3, "series": 5, "bytes": 2048}
    g.update(kw)
    return g


PAGE1 = [summary({"job": "ci-build", "instance": "a"}, ttl_seconds=3600,
                 deadline="2026-12-05T11:00:00Z", deadline_unix=3000),
         summary({"job": "ci-test"}, last_push_successful=False,
                 last_failure="2026-12-05T10:01:00Z", last_failure_unix=-60,
                 last_failure_reason='pushed metrics are invalid: "x" is not a COUNTER'),
         summary({"job": "old"}, expired=True, ttl_seconds=60, deadline_unix=-10)]


def now_relative(group):
    now = time.time()
    return {k: (now + v if k.endswith("_unix") and v is not None else v)
            for k, v in group.items()}
PAGE2 = [summary({"job": "zeta"})]
NATIVE = {"name": "rpc_seconds", "type": "HISTOGRAM", "help": "RPC latency.",
          "metrics": [{"labels": {"job": "ci-build", "instance": "a"}, "count": "12",
                       "buckets": {},
                       "native": {"schema": 1, "zero_threshold": "1e-128", "zero_count": "1",
                                  "positive": [{"lower": "1", "upper": "1.4142135623730951",
                                                "count": "4"},
                                               {"lower": "1.4142135623730951", "upper": "2",
                                                "count": "3"}],
                                  "negative": [{"lower": "-1", "upper": "-0.7071067811865476",
                                                "count": "2"},
                                               {"lower": "-1.4142135623730951", "upper": "-1",
                                                "count": "2"}]},
                       "sum": "3.5"}]}


FORBIDDEN = '{job=~"ci-t.*"}'


class Fixture(http.server.BaseHTTPRequestHandler):
    requests = []
    deleted = []

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def ok(self, data):
        self.reply(200, {"status": "success", "data": data})

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        Fixture.requests.append(("GET", url.path, query))
        if url.path == "/" or url.path.startswith("/static/"):
            name = "index.html" if url.path == "/" else url.path[len("/static/"):]
            with open(os.path.join(ASSETS, name), "rb") as f:
                return self.reply(200, f.read(), TYPES[os.path.splitext(name)[1]])
        if url.path == "/api/v1/rights":
            return self.ok({"identity": "user:ops", "auth": True,
                            "can": {"delete_group": True, "delete_jobs": ["*"],
                                    "delete_selector": True, "wipe": False}})
        if url.path == "/api/v1/status":
            return self.ok({"flags": {"web.external-url": ""}, "build_information": {},
                            "start_time": "2026-12-05T09:00:00Z"})
        if url.path == "/api/v1/groups":
            selector = query.get("match[]", [""])[0]
            if selector == "{bad":
                return self.reply(400, {"status": "error", "error": "bad selector {bad"})
            if query.get("next") == ["page2"]:
                return self.ok({"groups": [now_relative(g) for g in PAGE2], "next": None,
                                "total_groups": 4})
            groups = PAGE1
            if selector:
                groups = [g for g in PAGE1 if g["labels"]["job"].startswith("ci-")]
            return self.ok({"groups": [now_relative(g) for g in groups], "next": None if selector else "page2",
                            "total_groups": 4})
        if url.path.startswith("/api/v1/groups/"):
            ident = url.path[len("/api/v1/groups/"):]
            for g in PAGE1 + PAGE2:
                if g["id"] == ident:
                    detail = dict(now_relative(g),
                                  metric_families=[NATIVE] if g is PAGE1[0] else [])
                    return self.ok(detail)
            return self.reply(404, {"status": "error", "error": "no such group"})
        self.reply(404, b"404 page not found\n", "text/plain; charset=utf-8")

    def do_DELETE(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        Fixture.requests.append(("DELETE", url.path, query))
        if url.path == "/api/v1/groups":
            if query["match[]"] == [FORBIDDEN]:
                return self.reply(403, {"status": "error",
                                        "error": 'group {job="ci-test"} is outside your rights'})
            matched = [{"id": g["id"], "labels": g["labels"]} for g in PAGE1[:2]]
            dry = query.get("dry_run") == ["true"]
            if not dry:
                Fixture.deleted.append(query["match[]"][0])
            return self.ok({"dry_run": dry, "count": 2, "groups": matched})
        self.reply(404, b"404 page not found\n", "text/plain; charset=utf-8")


class GroupApiPageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Fixture)
        cls.thread = threading.Thread(target=cls.httpd.serve_forever, daemon=True)
        cls.thread.start()
        cls.url = "http://127.0.0.1:%d/" % cls.httpd.server_address[1]
        cls.browser = Browser()

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.httpd.shutdown()
        cls.httpd.server_close()

    def setUp(self):
        Fixture.requests.clear()
        Fixture.deleted.clear()
        self.browser.open(self.url)
        self.browser.js("sessionStorage.clear()")
        self.browser.open(self.url)

    def group_queries(self):
        return [q for m, p, q in Fixture.requests if m == "GET" and p == "/api/v1/groups"]

    def test_ttl_expired_and_failure_reason(self):
        b = self.browser
        b.wait_cards(3)
        self.assertRegex(b.card_with('job="ci-build"').text, r"expires in (49|50) min")
        self.assertIn("2.0 KiB", b.card_with('job="ci-build"').text)
        failed = b.card_with('job="ci-test"')
        self.assertRegex(failed.text, r'Last push failed (1 min( \d+ s)?|5\d s) ago: '
                         r'pushed metrics are invalid: "x" is not a COUNTER')
        self.assertRegex(failed.text, r"pushed [12] min( \d+ s)? ago")
        self.assertIn("expired", b.card_with('job="old"').text)
        self.assertIn("Groups 1–3 · 4 stored", b.one("#summary").text)
        b.screenshot("fixture-group-api")

    def test_paging_filter_and_sort_go_to_the_server(self):
        b = self.browser
        b.wait_cards(3)
        b.one("#next").click()
        b.wait(lambda: b.card_texts() == ['job="zeta"'], "page 2")
        self.assertEqual(self.group_queries()[-1]["next"], ["page2"])
        b.one("#prev").click()
        b.wait_cards(3)
        self.assertNotIn("next", self.group_queries()[-1])
        Select(b.one("#sort")).select_by_value("deadline")
        b.wait(lambda: self.group_queries()[-1]["sort"] == ["deadline"], "sort=deadline")
        b.set_filter('{job=~"ci-.*"} build')
        b.wait_cards(2)
        last = self.group_queries()[-1]
        self.assertEqual(last["match[]"], ['{job=~"ci-.*"}'])
        self.assertEqual(last["q"], ["build"])
        self.assertEqual(last["limit"], ["100"])
        b.set_filter("{bad")
        b.wait(lambda: b.visible("#filter-error"), "the filter error")
        b.set_filter('job="x" , ')
        b.wait(lambda: self.group_queries()[-1].get("match[]") == ['{job="x" ,}'],
               "bare matchers wrapped in braces")

    def test_native_histogram_is_readable(self):
        b = self.browser
        card = b.card_with('job="ci-build"')
        card.find_element("css selector", ".toggle").click()
        b.wait(lambda: card.find_elements("css selector", ".families"), "families")
        text = card.find_element("css selector", ".group-body").text
        for expected in ("rpc_seconds", "RPC latency.", "count 12", "sum 3.5",
                         "native schema 1", "zero bucket [−1e-128, 1e-128] 1"):
            self.assertIn(expected, text)
        # Buckets in ascending order: negative ones [lower, upper), positive ones (lower, upper].
        rows = [line for line in text.splitlines() if re.match(r"[\[(]-?\d", line)]
        self.assertEqual(rows, ["[-1.4142135623730951, -1) 2",
                                    "[-1, -0.7071067811865476) 2",
                                    "(1, 1.4142135623730951] 4",
                                    "(1.4142135623730951, 2] 3"])

    def test_selector_delete_previews_then_deletes(self):
        b = self.browser
        b.wait_cards(3)
        self.assertFalse(b.one("#delete-matched").is_displayed())  # no matchers yet
        b.set_filter('{job=~"ci-.*"}')
        b.wait_cards(2)
        b.wait(lambda: b.one("#delete-matched").is_displayed(), "the Delete matching button")
        b.one("#delete-matched").click()
        b.wait(lambda: b.js("return document.getElementById('dialog').open"), "the preview")
        body = b.one("#dialog-body").text
        self.assertIn("2 groups match", body.replace("These 2", "2"))
        self.assertIn('{instance="a", job="ci-build"}', body)
        self.assertEqual(Fixture.deleted, [])
        deletes = [q for m, p, q in Fixture.requests if m == "DELETE"]
        self.assertEqual(deletes, [{"match[]": ['{job=~"ci-.*"}'], "dry_run": ["true"]}])
        b.one("#dialog-ok").click()
        b.wait(lambda: Fixture.deleted == ['{job=~"ci-.*"}'], "the real delete")
        b.wait(lambda: "Deleted 2 groups" in b.one("#notice").text, "the notice")

    def test_selector_delete_refused_says_so(self):
        b = self.browser
        b.wait_cards(3)
        b.set_filter(FORBIDDEN)
        b.wait_cards(2)
        b.wait(lambda: b.one("#delete-matched").is_displayed(), "the Delete matching button")
        b.one("#delete-matched").click()
        b.wait(lambda: b.js("return document.getElementById('dialog').open"), "the answer")
        body = b.one("#dialog-body").text
        self.assertIn("Refused (403)", body)
        self.assertIn("nothing was deleted", body)
        self.assertIn('group {job="ci-test"} is outside your rights', body)
        self.assertFalse(b.one("#dialog-ok").is_displayed())  # nothing to confirm
        self.assertEqual(Fixture.deleted, [])
        b.screenshot("fixture-selector-delete-403")
        b.one("#dialog-cancel").click()


if __name__ == "__main__":
    unittest.main()
