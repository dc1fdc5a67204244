"""The web UI over plain HTTP: the page and its files are served from the binary with the right
content types, ETags (304 on revalidation) and gzip; the UI's two API endpoints
(/api/v1/rights, /api/v1/runtime) answer in the /api/v1 envelope.
"""

import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferry_harness import (REPO_ROOT, Server, ServerTestCase, ferry_only,  # noqa: E402
                           server_binary)

ASSET_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "core", "ui", "assets")

TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


@ferry_only("Ferry's web UI")
class UiFilesTest(ServerTestCase):
    def test_page_at_root_and_status(self):
        for path in ("/", "/status"):
            r = self.server.get(path)
            self.assertEqual(r.status, 200, path)
            self.assertEqual(r.header("Content-Type"), "text/html; charset=utf-8")
            with open(os.path.join(ASSET_DIR, "index.html"), "rb") as f:
                self.assertEqual(r.body, f.read())  # the file in the tree, byte for byte
            self.assertIn("script-src 'self'", r.header("Content-Security-Policy"))
            self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")

    def test_every_asset_with_type_etag_and_gzip(self):
        names = sorted(os.listdir(ASSET_DIR))
        self.assertIn("ferry-core.js", names)
        for name in names:
            with self.subTest(name=name):
                with open(os.path.join(ASSET_DIR, name), "rb") as f:
                    content = f.read()
                r = self.server.get("/static/" + name)
                self.assertEqual(r.status, 200)
                self.assertEqual(r.body, content)
                self.assertEqual(r.header("Content-Type"), TYPES[os.path.splitext(name)[1]])
                self.assertEqual(r.header("Cache-Control"), "no-cache")
                etag = r.header("ETag")
                self.assertRegex(etag, r'^"[0-9a-f]{20}"$')
                again = self.server.get("/static/" + name, headers={"If-None-Match": etag})
                self.assertEqual(again.status, 304)
                self.assertEqual(again.body, b"")
                zipped = self.server.get("/static/" + name,
                                         headers={"Accept-Encoding": "gzip, br"})
                self.assertEqual(zipped.status, 200)
                self.assertEqual(zipped.header("Vary"), "Accept-Encoding")
                if zipped.header("Content-Encoding") == "gzip":
                    self.assertEqual(gzip.decompress(zipped.body), content)
                    self.assertLess(len(zipped.body), len(content))
                    self.assertNotEqual(zipped.header("ETag"), etag)
                else:
                    self.assertEqual(zipped.body, content)

    def test_page_loads_only_its_own_files(self):
        page = self.server.get("/").text
        urls = re.findall(r'(?:src|href)="([^"#]+)"', page)
        local = [u for u in urls if not u.startswith("https://")]
        self.assertTrue(any(u.endswith(".js") for u in local))
        for url in local:
            with self.subTest(url=url):
                self.assertEqual(self.server.get("/" + url).status, 200)
        # Nothing the page loads comes from another host.
        for url in re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="([^"]+)"', page):
            self.assertNotIn("//", url)

    def test_unknown_files_are_404_and_methods_405(self):
        for path in ("/static/nope.js", "/static/", "/static/a/b.js", "/static/../index.html",
                     "/index.html"):
            with self.subTest(path=path):
                r = self.server.get(path)
                if r.status == 301:  # path cleaning first, as Go's ServeMux
                    continue
                self.assertEqual(r.status, 404)
                self.assertEqual(r.body, b"404 page not found\n")
        r = self.server.post("/static/ferry.css", b"")
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("Allow"), "GET, OPTIONS")
        self.assertEqual(self.server.post("/api/v1/rights", b"").status, 405)


@ferry_only("Ferry's web UI")
class UiApiTest(ServerTestCase):
    def api(self, path, headers=None):
        r = self.server.get(path, headers=headers)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "*")
        body = json.loads(r.body)
        self.assertEqual(body["status"], "success")
        return body["data"]

    def test_rights_without_auth_are_the_pushgateway_rules(self):
        data = self.api("/api/v1/rights")
        self.assertEqual(data["identity"], None)
        self.assertEqual(data["auth"], False)
        self.assertEqual(data["can"]["delete_group"], True)
        self.assertEqual(data["can"]["wipe"], True)  # the harness enables the admin API

    def test_runtime(self):
        self.server.push("PUT", "/job/ui_rt", "ui_rt 1\n")
        self.server.push("PUT", "/job/ui_rt", "bad{\n")
        data = self.api("/api/v1/runtime")
        self.assertEqual(data["build"]["version"], self.api("/api/v1/status")["build_information"]
                         ["version"])
        for key in ("revision", "build_date", "compiler", "platform"):
            self.assertTrue(data["build"][key], key)
        self.assertGreaterEqual(data["uptime_seconds"], 0)
        self.assertAlmostEqual(data["now_unix"] - data["start_time_unix"],
                               data["uptime_seconds"], delta=1)
        self.assertEqual(data["storage"]["plugin"], "memory")
        self.assertIsNone(data["storage"]["writes"])  # memory: the store writes nothing to it
        kinds = {(p["kind"], p["name"]) for p in data["plugins"]}
        self.assertEqual(kinds, {("storage", "memory"), ("input", "text"),
                                 ("input", "protobuf")})
        for p in data["plugins"]:
            self.assertRegex(p["version"], r"^\d+\.\d+")
            self.assertRegex(p["abi"], r"^1\.\d+$")
        self.assertGreaterEqual(data["store"]["groups"], 1)
        self.assertGreater(data["store"]["bytes"], 0)
        self.assertGreaterEqual(data["pushes_rejected"], 1)
        names = {m["name"] for m in data["metrics"]}
        self.assertIn("process_resident_memory_bytes", names)


@ferry_only("Ferry's build description")
class BuildInformationTest(ServerTestCase):
    """--version, /api/v1/status, the Status tab's /api/v1/runtime and ferry_build_info tell the
    same build: the commit the tree was at when it was built, not "unknown"."""

    def git(self, *args):
        return subprocess.run(["git", "-C", REPO_ROOT] + list(args), capture_output=True,
                              text=True)

    def assertRevisionOfThisTree(self, revision):
        # Asked as the build asks; git refuses a tree another user owns ("dubious ownership"),
        # and then the build says "unknown" too. A source tarball has nothing to ask.
        if (not os.path.exists(os.path.join(REPO_ROOT, ".git")) or
                self.git("rev-parse", "HEAD").returncode != 0):
            self.assertEqual(revision, "unknown")
            return
        # The commit the binary was built at: HEAD, or an ancestor of it when commits were made
        # after the last build.
        self.assertRegex(revision, r"^[0-9a-f]{40}$")
        self.assertEqual(self.git("merge-base", "--is-ancestor", revision, "HEAD").returncode, 0,
                         "%s is not a commit of this tree's history" % revision)

    def test_one_description_everywhere(self):
        runtime = json.loads(self.server.get("/api/v1/runtime").body)["data"]["build"]
        status = json.loads(self.server.get("/api/v1/status").body)["data"]["build_information"]
        version = subprocess.run([server_binary(), "--version"], check=True, capture_output=True,
                                 text=True).stdout
        revision = runtime["revision"]
        self.assertRevisionOfThisTree(revision)
        self.assertEqual(status["revision"], revision)
        self.assertIn("revision: %s)" % revision, version)
        self.assertEqual(status["branch"], runtime["branch"])
        self.assertIn("(branch: %s," % runtime["branch"], version)
        self.assertEqual(status["buildUser"], runtime["build_user"])
        self.assertRegex(runtime["build_user"], r"^[^@\s]+@[^@\s]+$")
        # The Pushgateway's layout, 20230409-10:14:32.
        self.assertRegex(status["buildDate"], r"^\d{8}-\d{2}:\d{2}:\d{2}$")
        self.assertEqual(status["buildDate"], runtime["build_date"])
        self.assertEqual(status["version"], runtime["version"])
        info = [line for line in self.server.scrape_response().text.splitlines()
                if line.startswith("ferry_build_info{")]
        self.assertEqual(len(info), 1, info)
        self.assertIn('revision="%s"' % revision, info[0])
        self.assertIn('version="%s"' % runtime["version"], info[0])
        self.assertIn('compiler="%s"' % runtime["compiler"], info[0])


@ferry_only("Ferry's config file")
class UiRuntimeSecretsTest(unittest.TestCase):
    """A durable backend reports its health; its config is shown without secrets."""

    def test_sqlite_health_and_config(self):
        d = tempfile.mkdtemp(prefix="ferry-ui-rt-")
        path = os.path.join(d, "ferry.json")
        with open(path, "w") as f:
            json.dump({"storage": {"plugin": "sqlite",
                                   "config": {"path": os.path.join(d, "ferry.db")}}}, f)
        server = Server("--config.file=" + path)
        server.start()
        self.addCleanup(server.cleanup)
        self.assertEqual(server.push("PUT", "/job/ui_sql", "ui_sql 1\n").status, 200)
        data = json.loads(server.get("/api/v1/runtime").body)["data"]
        storage = data["storage"]
        self.assertEqual(storage["plugin"], "sqlite")
        self.assertEqual(storage["config"]["path"], os.path.join(d, "ferry.db"))
        self.assertGreaterEqual(storage["writes"], 1)
        self.assertEqual(storage["failures"], 0)
        self.assertTrue(storage["healthy"])
        self.assertIsNotNone(storage["last_success_unix"])
        self.assertEqual(data["config_file"], path)


@ferry_only("the auth config is Ferry's own")
class UiRightsWithAuthTest(unittest.TestCase):
    def test_identity_and_rights(self):
        import base64
        d = tempfile.mkdtemp(prefix="ferry-ui-rights-")
        hashed = "$2b$04$nIPCEX5W/gzXYwaBwY6xnO.BEAP3eitPaWkPl1YEtCiKr5rQf6wm2"  # "secret"
        path = os.path.join(d, "ferry.json")
        with open(path, "w") as f:
            json.dump({"auth": {"plugins": [{"plugin": "basic", "config": {"users": {
                "ci": hashed}}}], "rights": {
                "user:ci": {"api_read": True, "delete": ["ci-*"]},
                "anonymous": {"api_read": True}}}}, f)
        server = Server("--config.file=" + path)
        server.start()
        self.addCleanup(server.cleanup)
        auth = {"Authorization": "Basic " + base64.b64encode(b"ci:secret").decode()}
        ci = json.loads(server.get("/api/v1/rights", headers=auth).body)["data"]
        self.assertEqual(ci["identity"], "user:ci")
        self.assertEqual(ci["auth"], True)
        # Selector delete is served with "auth" to those with a delete right (checked on every
        # matched job); no wipe without the admin API.
        self.assertEqual(ci["can"], {"delete_group": "some", "delete_jobs": ["ci-*"],
                                     "delete_selector": True, "wipe": False})
        anonymous = json.loads(server.get("/api/v1/rights").body)["data"]
        self.assertEqual(anonymous["identity"], "anonymous")
        self.assertEqual(anonymous["can"]["delete_group"], False)


if __name__ == "__main__":
    unittest.main()
