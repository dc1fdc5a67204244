"""The web UI in a real browser (headless Chromium through Selenium) against the real ferry:
listing, filtering, values, failures, deletes, rights, route prefix, external URL, TLS with
basic auth, and escaping. Screenshots of every tab go to $FERRY_SCREENSHOT_DIR.
"""

import base64
import json
import os
import re
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from browser_harness import Browser  # noqa: E402
from ferry_harness import (PB_HISTOGRAM, PROTO_CT, Server, ServerTestCase, ferry_only,  # noqa: E402
                           is_pushgateway, pb_delimited, pb_family, pb_metric)
from selenium.webdriver.support.ui import Select  # noqa: E402
from test_web_config import RIGHT, SECRET_HASH, TlsServer, basic, make_pki, write  # noqa: E402

VALUES = """# HELP ui_requests_total Requests handled.
# TYPE ui_requests_total counter
ui_requests_total{path="/a"} 42
ui_requests_total{path="/b"} 7
# TYPE ui_latency_seconds summary
ui_latency_seconds{quantile="0.5"} 0.25
ui_latency_seconds{quantile="0.99"} 1.5
ui_latency_seconds_sum 12.5
ui_latency_seconds_count 40
# TYPE ui_size_bytes histogram
ui_size_bytes_bucket{le="100"} 3
ui_size_bytes_bucket{le="1000"} 7
ui_size_bytes_bucket{le="+Inf"} 9
ui_size_bytes_sum 4321
ui_size_bytes_count 9
"""

XSS_JOB = "<script>window.ferryXss=1</script>"
XSS_VALUE = "<img src=x onerror=\"window.ferryXss=2\">"
XSS_HELP = "<b onmouseover=window.ferryXss=3>help</b><script>window.ferryXss=4</script>"


def b64(text):
    return base64.urlsafe_b64encode(text.encode()).decode() or "="


class BrowserTestCase(ServerTestCase):
    """One server and one browser per class; every test starts from a fresh page state."""

    BROWSER_KWARGS = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.browser = Browser(**cls.BROWSER_KWARGS)
        except Exception:
            cls.server.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        super().tearDownClass()

    def setUp(self):
        self.assertEqual(self.server.put("/api/v1/admin/wipe").status, 202)

    def page(self, path=""):
        """Opens the UI with an empty session (no remembered filter or expansion)."""
        self.browser.open(self.server.url + "/" + path)
        self.browser.js("sessionStorage.clear()")
        self.browser.open(self.server.url + "/" + path)
        self.browser.one("#summary")

    def push(self, group_path, body="ui_pushed 1\n", method="PUT"):
        r = self.server.push(method, group_path, body)
        self.assertIn(r.status, (200, 202), r)
        return r

    def scraped_jobs(self):
        return {s.labels.get("job") for f in self.server.scrape().families.values()
                for s in f.samples}

    def expand(self, card):
        toggle = card.find_element("css selector", ".toggle")
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
        self.browser.wait(lambda: card.find_elements("css selector", ".families") or
                          card.find_elements("css selector", ".group-body .error"),
                          "the group's families")
        return card.find_element("css selector", ".group-body")

    def confirm_dialog(self):
        self.browser.wait(lambda: self.browser.js("return document.getElementById('dialog').open"),
                          "the confirmation dialog")
        self.browser.one("#dialog-ok").click()
        self.browser.wait(lambda: not self.browser.js(
            "return document.getElementById('dialog').open"), "the dialog to close")


@unittest.skipIf(is_pushgateway(), "Ferry's UI")
class MetricsTabTest(BrowserTestCase):
    def test_lists_pushed_groups_with_badges(self):
        self.push("/job/ui_list/instance/i1")
        self.push("/job/ui_list/instance/i2/env/prod")
        self.push("/job/ui_other")
        self.page()
        self.browser.wait_cards(3)
        texts = self.browser.card_texts()
        self.assertIn('instance="i2"', " ".join(texts))
        card = self.browser.card_with('env="prod"')
        badges = {b.get_attribute("class") for b in card.find_elements("css selector", ".badge")}
        self.assertIn("badge job", badges)
        self.assertIn("badge instance", badges)
        self.assertTrue(any(c.startswith("badge other") for c in badges), badges)
        self.assertRegex(card.text, r"pushed (just now|\d+ s ago)")  # the age of the last push
        self.assertIn("1 family · 1 series", card.text)  # push_time_seconds & co. not counted
        self.assertTrue(card.find_elements("css selector", "time[data-age][title]"))

    def test_filter_by_matcher_and_text_narrows_the_list(self):
        for job in ("ci-build", "ci-test", "nightly"):
            self.push("/job/%s/instance/x" % job)
        self.page()
        self.browser.wait_cards(3)
        self.browser.set_filter('{job=~"ci-.*"}')
        self.browser.wait_cards(2, "the two ci-* groups")
        self.assertTrue(all("ci-" in t for t in self.browser.card_texts()))
        self.browser.set_filter('{job=~"ci-.*"} test')
        self.browser.wait_cards(1, "ci-test only")
        self.browser.set_filter("nightly")
        self.browser.wait_cards(1, "nightly only")
        self.browser.set_filter('{job="none"}')
        self.browser.wait_cards(0)
        self.assertIn("No group matches", self.browser.one("#groups").text)
        self.browser.set_filter('{job=~"ci-.*"')
        self.browser.wait(lambda: self.browser.visible("#filter-error"), "the filter error")

    def test_expanding_shows_counter_summary_and_histogram_values(self):
        self.push("/job/ui_values/instance/v", VALUES)
        self.page()
        card = self.browser.card_with('job="ui_values"')
        body = self.expand(card)
        text = body.text
        for expected in ("ui_requests_total", "Requests handled.", "COUNTER", "42", "7",
                         'path="/a"', "ui_latency_seconds", "SUMMARY", "quantile 0.5", "0.25",
                         "quantile 0.99", "1.5", "40", "12.5", "ui_size_bytes", "HISTOGRAM",
                         "≤ 100", "≤ 1000", "≤ +Inf", "4321", "push_time_seconds"):
            self.assertIn(expected, text)
        # push_time_seconds also as a date.
        self.assertRegex(text, r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")
        self.browser.screenshot("metrics-expanded")

    def test_expansion_is_kept_across_refresh_and_reload(self):
        self.push("/job/ui_keep_a")
        self.push("/job/ui_keep_b")
        self.page()
        self.expand(self.browser.card_with('job="ui_keep_b"'))
        self.browser.one("#refresh").click()
        self.push("/job/ui_keep_c")
        self.browser.one("#refresh").click()
        self.browser.wait_cards(3)
        card = self.browser.card_with('job="ui_keep_b"')
        self.browser.wait(lambda: card.find_elements("css selector", ".families"),
                          "the group still expanded after a refresh")
        self.browser.driver.refresh()
        card = self.browser.card_with('job="ui_keep_b"')
        self.browser.wait(lambda: card.find_elements("css selector", ".families"),
                          "the group still expanded after a reload")
        other = self.browser.card_with('job="ui_keep_a"')
        self.assertEqual(other.find_element("css selector", ".toggle")
                         .get_attribute("aria-expanded"), "false")

    def test_failed_push_is_flagged(self):
        self.push("/job/ui_fail_a", "# TYPE ui_clash counter\nui_clash 1\n")
        self.push("/job/ui_fail_b", "ui_ok 1\n")
        r = self.server.push("PUT", "/job/ui_fail_b", "# TYPE ui_clash gauge\nui_clash 2\n")
        self.assertEqual(r.status, 400)
        self.page()
        card = self.browser.card_with('job="ui_fail_b"')
        self.browser.wait(lambda: "Last push failed" in card.text, "the failure flag")
        self.assertIn("failed", card.get_attribute("class"))
        self.assertNotIn("Last push failed", self.browser.card_with('job="ui_fail_a"').text)
        # The reason is the 400 answer's text, on the card and in full when expanded.
        reason = r.text.strip()
        self.assertTrue(reason)
        self.browser.wait(lambda: reason in card.find_element("css selector", ".reason").text,
                          "the failure reason on the card")
        body = self.expand(card)
        self.assertEqual(body.find_element("css selector", ".failure-detail pre").text, reason)

    def test_delete_group_removes_it_from_metrics(self):
        self.push("/job/ui_del/instance/keep")
        self.push("/job/ui_del/instance/gone")
        # An empty and a slashed label value: only the base64 grouping key reaches them.
        self.push("/job/ui_del_b64/path@base64/%s/zone@base64/=" % b64("/var/lib/x"))
        self.page()
        self.browser.wait_cards(3)
        for needle, job_left in (('instance="gone"', "ui_del"),
                                 ('path="/var/lib/x"', None)):
            card = self.browser.card_with(needle)
            if job_left is None:
                self.assertIn('zone=""', card.text)
            card.find_element("css selector", "button.delete-group").click()
            self.confirm_dialog()
            self.browser.wait(lambda: needle not in " ".join(self.browser.card_texts()),
                              "the card of %s to go" % needle)
        self.browser.wait_cards(1)
        groups = [g["labels"] for g in self.server.api_metrics()]
        self.assertEqual(groups, [{"job": "ui_del", "instance": "keep"}])
        self.assertNotIn("ui_del_b64", self.scraped_jobs())

    def test_delete_all_with_the_admin_api(self):
        self.push("/job/ui_all_a")
        self.push("/job/ui_all_b")
        self.page()
        self.browser.wait_cards(2)
        button = self.browser.one("#delete-all")
        self.assertTrue(button.is_displayed())
        button.click()
        self.confirm_dialog()
        self.browser.wait_cards(0)
        self.assertEqual(self.server.api_metrics(), [])

    def test_label_values_job_names_and_help_render_as_text(self):
        self.push("/job@base64/%s/tag/x" % b64(XSS_JOB), "# HELP ui_xss %s\nui_xss 1\n" % XSS_HELP)
        r = self.server.push("PUT", "/job/ui_xss2/tag@base64/%s" % b64(XSS_VALUE),
                             "ui_xss 2\n")
        self.assertEqual(r.status, 200, r)
        self.page()
        self.browser.wait_cards(2)
        body = self.expand(self.browser.card_with("window.ferryXss=1"))
        self.assertIn(XSS_HELP, body.text)
        self.browser.card_with("onerror=")
        page = self.browser.one("#groups").text
        self.assertIn(XSS_JOB, page)
        self.assertIn(json.dumps(XSS_VALUE), page)  # badges show values quoted, as PromQL
        self.assertIsNone(self.browser.js("return window.ferryXss === undefined ? null : "
                                          "window.ferryXss"))
        self.assertEqual(self.browser.find("#groups script, #groups img, #groups b"), [])
        self.browser.screenshot("metrics-escaped")

    def test_screenshots_of_every_tab(self):
        self.push("/job/backup/instance/db1", VALUES)
        self.push("/job/backup/instance/db2", "backup_ok 1\n")
        self.push("/job/nightly-report/instance/reports/env/prod", "report_rows 1234\n")
        self.server.push("PUT", "/job/backup/instance/db2", "# TYPE ui_requests_total gauge\n"
                         "ui_requests_total 1\n")
        self.page()
        self.browser.wait_cards(3)
        self.expand(self.browser.card_with('instance="db1"'))
        self.browser.screenshot("tab-metrics")
        self.browser.tab("status")
        status = self.browser.one("#status-content")
        self.browser.wait(lambda: "Loaded plugins" in status.text, "the status tab")
        for expected in ("Version", "Revision", "Build date", "Compiler", "Started", "Uptime",
                         "storage", "memory", "Groups", "--web.listen-address",
                         "--web.enable-admin-api", "Pushes rejected"):
            self.assertIn(expected, status.text)
        self.browser.screenshot("tab-status")
        self.browser.tab("help")
        help_text = self.browser.one("#panel-help").text
        self.assertIn("honor_labels: true", help_text)
        self.assertIn(self.server.url + "/metrics/job/backup/instance/db1", help_text)
        self.assertIn("push_to_gateway", help_text)
        self.browser.screenshot("tab-help")
        # Keyboard: the arrow keys move between tabs.
        self.browser.one("#tab-help").send_keys("\ue012")  # ArrowLeft
        self.browser.wait(lambda: not self.browser.js(
            "return document.getElementById('panel-status').hidden"), "Status by keyboard")
        self.assertEqual(self.browser.js("return document.activeElement.id"), "tab-status")
        # The probe for the group API answers 404 on a server without it; nothing else fails.
        self.assertEqual([e for e in self.browser.console_errors()
                          if "api/v1/groups?limit=1 " not in e["message"]], [])

    def test_narrow_window(self):
        self.push("/job/a-rather-long-job-name-for-a-phone/instance/host-with-a-long-name:9100",
                  VALUES)
        narrow = Browser(width=380, height=800)
        try:
            narrow.open(self.server.url + "/")
            card = narrow.card_with("a-rather-long-job-name")
            card.find_element("css selector", ".toggle").click()
            narrow.wait(lambda: card.find_elements("css selector", ".families"), "families")
            # Nothing wider than the window: no sideways scrolling of the page.
            self.assertLessEqual(narrow.js("return document.documentElement.scrollWidth"),
                                 narrow.js("return window.innerWidth") + 1)
            narrow.screenshot("metrics-narrow")
        finally:
            narrow.close()

    def test_status_path_opens_the_status_tab(self):
        self.browser.open(self.server.url + "/status")
        self.browser.wait(lambda: not self.browser.js(
            "return document.getElementById('panel-status').hidden"), "the Status tab")


@unittest.skipIf(is_pushgateway(), "Ferry's UI")
class WithoutAdminApiTest(BrowserTestCase):
    SERVER_KWARGS = {"admin": False}

    def setUp(self):
        pass  # no wipe without the admin API

    def test_no_delete_all_button_but_delete_group(self):
        self.push("/job/ui_noadmin")
        self.page()
        card = self.browser.card_with('job="ui_noadmin"')
        self.assertTrue(card.find_elements("css selector", "button.delete-group"))
        self.assertFalse(self.browser.one("#delete-all").is_displayed())
        self.assertEqual(self.browser.visible("#delete-matched"), [])


@ferry_only("the auth config is Ferry's own")
@unittest.skipIf(is_pushgateway(), "Ferry's UI")
class GroupApiOnFerryTest(BrowserTestCase):
    """What the page takes from ferry's own group API: the failure reason, the detail's named
    families, decoded native buckets, server-side paging and the server's selector errors."""

    def group(self, selector):
        answer = json.loads(self.server.get(
            "/api/v1/groups?" + urllib.parse.urlencode({"match[]": selector})).body)
        self.assertEqual(len(answer["data"]["groups"]), 1, answer)
        return answer["data"]["groups"][0]

    def detail(self, group_id):
        return json.loads(self.server.get("/api/v1/groups/" + group_id).body)["data"]

    def test_failed_push_shows_the_reason_the_pusher_got(self):
        self.push("/job/ui_why_a", "# TYPE ui_why counter\nui_why 1\n")
        self.push("/job/ui_why_b/instance/x", "ui_fine 1\n")
        r = self.server.push("PUT", "/job/ui_why_b/instance/x", "# TYPE ui_why gauge\nui_why 2\n")
        self.assertEqual(r.status, 400)
        reason = r.text.strip()
        self.assertIn("ui_why", reason)
        self.assertEqual(self.group('{job="ui_why_b"}')["last_failure_reason"].strip(), reason)
        self.page()
        card = self.browser.card_with('job="ui_why_b"')
        self.browser.wait(lambda: card.find_elements("css selector", ".failure .reason"),
                          "the failure line")
        self.assertEqual(card.find_element("css selector", ".failure .reason").text, reason)
        body = self.expand(card)
        self.assertEqual(body.find_element("css selector", ".failure-detail pre").text, reason)
        # The group's values are the last successful push's.
        self.assertIn("ui_fine", body.text)
        self.assertNotIn("ui_why", body.find_element("css selector", ".families").text)
        self.browser.screenshot("metrics-failure-reason")

    def test_detail_families_carry_their_names(self):
        self.push("/job/ui_names/instance/n", VALUES)
        group = self.group('{job="ui_names"}')
        families = self.detail(group["id"])["metric_families"]
        names = [f["name"] for f in families]
        self.assertEqual(names, sorted(["push_failure_time_seconds", "push_time_seconds",
                                        "ui_latency_seconds", "ui_requests_total",
                                        "ui_size_bytes"]))
        self.assertTrue(all(next(iter(f)) == "name" for f in families), families)
        self.assertEqual((group["families"], group["series"]), (3, 4))
        self.page()
        body = self.expand(self.browser.card_with('job="ui_names"'))
        shown = [e.text for e in body.find_elements("css selector", ".family-name")]
        self.assertEqual(shown, names)

    def test_native_histogram_shows_its_buckets(self):
        # schema 0: bucket i is (2^(i-1), 2^i]; positive buckets 0 and 1 (counts 2, 3), the
        # negative bucket 1 (count 4), zero bucket count 1.
        metric = pb_metric(histogram=(10, 3.5, []),
                           native=(0, 0.001, 1, [(0, 2)], [2, 1], [(1, 1)], [4]))
        body = pb_delimited([pb_family("ui_native_seconds", PB_HISTOGRAM, [metric],
                                       help="Native buckets.")])
        r = self.server.push("PUT", "/job/ui_native", body, PROTO_CT)
        self.assertIn(r.status, (200, 202), r)
        self.page()
        text = self.expand(self.browser.card_with('job="ui_native"')).text
        for expected in ("ui_native_seconds", "Native buckets.", "native schema 0",
                         "zero bucket [−0.001, 0.001] 1", "count 10", "sum 3.5"):
            self.assertIn(expected, text)
        rows = [line for line in text.splitlines() if re.match(r"[\[(]-?\d", line)]
        self.assertEqual(rows, ["[-2, -1) 4", "(0.5, 1] 2", "(1, 2] 3"])

    def test_pages_and_selector_errors_come_from_the_server(self):
        for i in range(25):
            self.push("/job/ui_page/instance/i%02d" % i, "ui_paged %d\n" % i)
        self.page()
        self.browser.wait_cards(25)
        Select(self.browser.one("#page-size")).select_by_value("20")
        self.browser.wait_cards(20)
        self.assertEqual(self.browser.one("#summary").text, "Groups 1–20 · 25 stored")
        self.browser.one("#next").click()
        self.browser.wait_cards(5)
        self.assertEqual(self.browser.one("#summary").text, "Groups 21–25 · 25 stored")
        self.assertIn('instance="i24"', " ".join(self.browser.card_texts()))
        self.browser.set_filter('{instance=~"i1.*"} page')
        self.browser.wait_cards(10)
        self.browser.set_filter('{instance=~"("}')
        self.browser.wait(lambda: self.browser.visible("#filter-error"), "the server's error")
        expected = json.loads(self.server.get("/api/v1/groups?" + urllib.parse.urlencode(
            {"match[]": '{instance=~"("}'})).body)["error"]
        self.assertIn(expected, self.browser.one("#filter-error").text)


    def test_selector_delete_previews_then_deletes_on_the_server(self):
        for path in ("/job/ui_sd/instance/1", "/job/ui_sd/instance/2", "/job/ui_sd_keep"):
            self.push(path)
        self.page()
        self.browser.wait_cards(3)
        self.browser.set_filter('{job="ui_sd"}')
        self.browser.wait_cards(2)
        self.browser.wait(lambda: self.browser.one("#delete-matched").is_displayed(),
                          "the Delete matching button")
        self.browser.one("#delete-matched").click()
        self.browser.wait(lambda: self.browser.js(
            "return document.getElementById('dialog').open"), "the preview")
        body = self.browser.one("#dialog-body").text
        self.assertIn("These 2 groups match", body)
        self.assertIn('instance="2"', body)
        # The preview was a dry run: everything is still stored.
        self.assertEqual(self.server_groups(), ["ui_sd/1", "ui_sd/2", "ui_sd_keep/"])
        self.browser.one("#dialog-ok").click()
        self.browser.wait(lambda: "Deleted 2 groups" in self.browser.one("#notice").text,
                          "the notice")
        self.assertEqual(self.server_groups(), ["ui_sd_keep/"])
        self.browser.screenshot("metrics-selector-delete-done")

    def server_groups(self):
        groups = json.loads(self.server.get("/api/v1/groups").body)["data"]["groups"]
        return sorted("%s/%s" % (g["labels"]["job"], g["labels"].get("instance", ""))
                      for g in groups)


class RightsTest(unittest.TestCase):
    """With "auth": buttons follow the viewer's rights, and the server refuses the rest."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ferry-ui-auth-")
        config = {"auth": {
            "plugins": [{"plugin": "basic", "config": {"users": {
                "viewer": SECRET_HASH, "ci": SECRET_HASH, "ops": SECRET_HASH}}}],
            "rights": {
                "user:viewer": {"api_read": True, "scrape": True},
                "user:ci": {"api_read": True, "push": ["ci-*"], "delete": ["ci-*"]},
                "user:ops": {"api_read": True, "push": True, "delete": True, "admin": True,
                             "scrape": True}}}}
        path = os.path.join(cls.dir, "ferry.json")
        with open(path, "w") as f:
            json.dump(config, f)
        cls.server = Server("--config.file=" + path)
        cls.server.start()
        cls.ops = {"Authorization": basic(("ops", "secret"))}
        for job in ("ci-build", "prod-db"):
            r = cls.server.push("PUT", "/job/%s" % job, "ui_rights 1\n", headers=cls.ops)
            assert r.status == 200, r

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def browse_as(self, user):
        browser = Browser(headers={"Authorization": basic((user, "secret"))})
        self.addCleanup(browser.close)
        browser.open(self.server.url + "/")
        browser.wait_cards(2)
        return browser

    def test_viewer_sees_no_delete_button_and_a_forged_delete_is_refused(self):
        browser = self.browse_as("viewer")
        self.assertEqual(browser.find("button.delete-group"), [])
        self.assertFalse(browser.one("#delete-all").is_displayed())
        self.assertEqual(browser.one("#viewer").text, "user:viewer")
        status = browser.driver.execute_async_script(
            "var done = arguments[0];"
            "fetch('metrics/job/prod-db', {method: 'DELETE'}).then(r => done(r.status));")
        self.assertEqual(status, 403)
        jobs = [g["labels"]["job"] for g in json.loads(self.server.get(
            "/api/v1/metrics", headers=self.ops).body)["data"]]
        self.assertEqual(sorted(jobs), ["ci-build", "prod-db"])
        browser.screenshot("metrics-viewer-without-rights")

    def test_ci_may_delete_only_its_jobs(self):
        browser = self.browse_as("ci")
        self.assertTrue(browser.card_with('job="ci-build"').find_elements(
            "css selector", "button.delete-group"))
        self.assertEqual(browser.card_with('job="prod-db"').find_elements(
            "css selector", "button.delete-group"), [])
        self.assertFalse(browser.one("#delete-all").is_displayed())

    def test_ci_selector_delete_over_a_foreign_job_is_refused(self):
        browser = self.browse_as("ci")
        browser.set_filter('{job=~".+-.+"}')
        browser.wait_cards(2)
        browser.wait(lambda: browser.one("#delete-matched").is_displayed(),
                     "the Delete matching button")
        browser.one("#delete-matched").click()
        browser.wait(lambda: browser.js("return document.getElementById('dialog').open"),
                     "the answer")
        body = browser.one("#dialog-body").text
        self.assertIn("Refused (403)", body)
        self.assertIn('"prod-db"', body)
        self.assertFalse(browser.one("#dialog-ok").is_displayed())
        jobs = [g["labels"]["job"] for g in json.loads(self.server.get(
            "/api/v1/metrics", headers=self.ops).body)["data"]]
        self.assertEqual(sorted(jobs), ["ci-build", "prod-db"])
        browser.screenshot("metrics-selector-delete-refused")


@unittest.skipIf(is_pushgateway(), "Ferry's UI")
class RoutePrefixTest(BrowserTestCase):
    SERVER_ARGS = ("--web.route-prefix=/pfx/",)
    SERVER_KWARGS = {"prefix": "/pfx"}

    def test_every_link_and_action_works_under_the_prefix(self):
        self.push("/job/ui_pfx/instance/a", VALUES)
        self.push("/job/ui_pfx/instance/b")
        self.page()
        self.browser.wait_cards(2)
        self.expand(self.browser.card_with('instance="a"'))
        card = self.browser.card_with('instance="b"')
        card.find_element("css selector", "button.delete-group").click()
        self.confirm_dialog()
        self.browser.wait_cards(1)
        self.assertEqual([g["labels"]["instance"] for g in self.server.api_metrics()], ["a"])
        self.browser.tab("status")
        self.browser.wait(lambda: "Loaded plugins" in self.browser.one("#status-content").text,
                          "the status tab under the prefix")
        self.browser.tab("help")
        self.assertIn(self.server.url + "/metrics/job/", self.browser.one("#panel-help").text)
        self.assertIn("metrics_path: /pfx/metrics", self.browser.one("#panel-help").text)
        links = [a.get_attribute("href") for a in self.browser.find("#panel-help a[data-href]")]
        self.assertTrue(links)
        for link in links:
            self.assertTrue(link.startswith(self.server.url + "/api/v1/"), link)
            path = link[len("http://" + self.server.address):]
            self.assertEqual(self.server.get(path, raw_path=True).status, 200, path)
        icons = self.browser.js("return Array.from(document.querySelectorAll('link[href],script"
                                "[src],img[src]')).map(e => e.href || e.src)")
        for url in icons:
            self.assertTrue(url.startswith(self.server.url + "/static/"), url)
        # The same page at the Pushgateway's /status path.
        self.browser.open(self.server.url + "/status")
        self.browser.wait(lambda: "Loaded plugins" in self.browser.one("#status-content").text,
                          "the status page under the prefix")


@unittest.skipIf(is_pushgateway(), "Ferry's UI")
class ExternalUrlTest(BrowserTestCase):
    SERVER_ARGS = ("--web.external-url=http://ferry.example:8443/ext/",)
    SERVER_KWARGS = {"prefix": "/ext"}

    def test_help_uses_the_external_url_and_the_page_works_behind_it(self):
        self.push("/job/ui_ext")
        self.page()
        self.browser.wait_cards(1)
        self.browser.tab("help")
        text = self.browser.one("#panel-help").text
        self.assertIn("http://ferry.example:8443/ext/metrics/job/backup/instance/db1", text)
        self.assertIn('targets: ["ferry.example:8443"]', text)


@ferry_only("served over TLS with basic auth from the web config file")
class TlsBasicAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ferry-ui-tls-")
        make_pki(cls.dir)
        web = os.path.join(cls.dir, "web.yml")
        write(web, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                   "basic_auth_users:\n  alice: %s\n" % SECRET_HASH)
        cls.server = TlsServer(web, cls.dir)
        cls.server._wait_ready = lambda: cls._ready(cls.server)
        cls.server.start()

    @staticmethod
    def _ready(server):
        import time
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if server.proc.poll() is not None:
                return False
            try:
                if server.get("/-/ready").status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def test_page_and_delete_over_https_with_basic_auth(self):
        self.assertEqual(self.server.put("/metrics/job/ui_tls", b"ui_tls 1\n").status, 200)
        self.assertEqual(self.server.put("/metrics/job/ui_tls_gone", b"ui_tls 2\n").status, 200)
        browser = Browser(insecure=True, headers={"Authorization": basic(RIGHT)})
        self.addCleanup(browser.close)
        browser.open("https://%s/" % self.server.address)
        browser.wait_cards(2)
        self.assertEqual(browser.one("#viewer").text, "user:alice")
        card = browser.card_with('job="ui_tls_gone"')
        card.find_element("css selector", "button.delete-group").click()
        browser.wait(lambda: browser.js("return document.getElementById('dialog').open"),
                     "the dialog")
        browser.one("#dialog-ok").click()
        browser.wait_cards(1)
        data = json.loads(self.server.get("/api/v1/metrics").body)["data"]
        self.assertEqual([g["labels"]["job"] for g in data], ["ui_tls"])
        browser.screenshot("metrics-tls-basic-auth")


if __name__ == "__main__":
    unittest.main()
