"""The Debian packages (label "package"): builds ferry and ferry-dev with CPack from an already
built tree into a temporary directory, checks their control data and contents, and runs the
packaged ferry from an extracted tree (dpkg -x: nothing is installed on this machine) with the
service's own command line, as systemd would start it.

Run by CTest with FERRY_BUILD_DIR (a built tree), FERRY_CMAKE and FERRY_CPACK. By hand:
  cd tests/package && FERRY_BUILD_DIR=../../build python3 -m unittest -v test_package
"""

import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import ferry_harness as fh  # noqa: E402

REPO = fh.REPO_ROOT
BUILD_DIR = os.path.abspath(os.environ.get("FERRY_BUILD_DIR", os.path.join(REPO, "build")))
CMAKE = os.environ.get("FERRY_CMAKE", "cmake")
CPACK = os.environ.get("FERRY_CPACK", "cpack")
STEP_TIMEOUT_S = 240

CONFIG = "/etc/ferry/ferry.json"
DEFAULT_FILE = "/etc/default/ferry"
UNIT = "/usr/lib/systemd/system/ferry.service"
PLUGIN_DIR = "/usr/lib/ferry/plugins"
STATE_DIR = "/var/lib/ferry"
# The storage line that docs/packaging.md tells an operator to replace for the sqlite storage.
MEMORY_STORAGE = '"storage": { "plugin": "memory", "config": {} }'
SQLITE_STORAGE = '"storage": { "plugin": "sqlite", "config": { "path": "%s/ferry.db" } }'
# Hardening the unit must keep (docs/packaging.md explains each).
HARDENING = {
    "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
    "PrivateTmp": "yes", "PrivateDevices": "yes", "CapabilityBoundingSet": "",
    "RestrictSUIDSGID": "yes", "MemoryDenyWriteExecute": "yes",
    "SystemCallFilter": "@system-service", "SystemCallArchitectures": "native",
}
# `systemd-analyze security` rates 0-10 (lower is safer); below 2.0 is "OK" or better.
MAX_EXPOSURE = 2.0

PROBE_CMAKE = """cmake_minimum_required(VERSION 3.16)
project(probe LANGUAGES CXX)
find_package(FerrySDK REQUIRED)
foreach(v FerrySDK_PREFIX FerrySDK_PLUGIN_DIR FerrySDK_FERRY_EXECUTABLE)
  message(STATUS "probe ${v}=${${v}}")
endforeach()
foreach(t Ferry::sdk Ferry::proto Ferry::support Ferry::auth_crypto Ferry::input_kit
          Ferry::storage_kit Ferry::auth_kit)
  if(NOT TARGET ${t})
    message(FATAL_ERROR "missing target ${t}")
  endif()
endforeach()
"""


def run(argv, what, timeout=STEP_TIMEOUT_S, **kw):
    """Runs a command with a bound; fails with its output. Returns stdout+stderr."""
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=timeout, **kw)
    out = proc.stdout.decode(errors="replace")
    if proc.returncode != 0:
        raise AssertionError("%s failed (exit %d): %s\n%s"
                             % (what, proc.returncode, " ".join(argv), out[-6000:]))
    return out


def project_version():
    with open(os.path.join(BUILD_DIR, "CMakeCache.txt")) as f:
        for line in f:
            if line.startswith("CMAKE_PROJECT_VERSION:"):
                return line.split("=", 1)[1].strip()
    raise AssertionError("no CMAKE_PROJECT_VERSION in the build's CMakeCache.txt")


def package_files(deb):
    """The regular files and symlinks of a .deb, as absolute paths."""
    listing = run(["dpkg-deb", "-c", deb], "dpkg-deb -c")
    files = set()
    for line in listing.splitlines():
        fields = line.split(None, 5)
        if len(fields) < 6 or fields[0].startswith("d"):
            continue
        path = fields[5].split(" -> ")[0]
        files.add(path[1:] if path.startswith("./") else path)
    return {"/" + p.lstrip("/") for p in files}


def tree_files(root):
    found = set()
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            found.add("/" + os.path.relpath(os.path.join(dirpath, name), root))
    return found


def is_elf(path):
    if os.path.islink(path) or not os.path.isfile(path):
        return False
    with open(path, "rb") as f:
        return f.read(4) == b"\x7fELF"


def dynamic_entries(path, tag):
    """The values of one tag of an ELF file's dynamic section (NEEDED, RUNPATH, RPATH...)."""
    out = run(["readelf", "-d", "-W", path], "readelf -d")
    return re.findall(r"\(%s\)\s+\S+.*?\[(.*?)\]" % tag, out)


def depends_names(depends):
    """Package names of a Depends field: 'a (>= 1), b | c' -> {'a', 'b', 'c'}."""
    names = set()
    for clause in depends.split(","):
        for alt in clause.split("|"):
            alt = alt.strip()
            if alt:
                names.add(re.split(r"[\s(:]", alt, maxsplit=1)[0])
    return names


def owners_of_sonames(sonames):
    """soname -> the Debian packages (without architecture) that hold a file of that name. One
    dpkg -S for all of them: each call reads the whole package database."""
    proc = subprocess.run(["dpkg", "-S"] + ["*/" + s for s in sonames], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, timeout=120)
    owners = {s: set() for s in sonames}
    for line in proc.stdout.decode(errors="replace").splitlines():
        pkgs, _, path = line.partition(": ")
        name = os.path.basename(path.strip())
        if name in owners:
            owners[name].update(p.strip().split(":")[0] for p in pkgs.split(","))
    return owners


def provided_names(packages):
    """The packages and the virtual packages they provide (a shlibs file may name either, as
    libspdlog1.10's names libspdlog1.10-fmt9)."""
    if not packages:
        return set()
    out = run(["dpkg-query", "-W", "-f=${Package} ${Provides}\\n"] + sorted(packages),
              "dpkg-query -W")
    names = set(packages)
    for line in out.splitlines():
        package, _, provides = line.partition(" ")
        names |= {package} | depends_names(provides)
    return names


def unit_settings(path):
    """Key -> list of values of a unit file (repeated keys keep every value)."""
    settings = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#;[":
                continue
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def service_args(root, state_dir):
    """ARGS of the packaged /etc/default/ferry, read by a shell as systemd reads the file, with
    the state directory moved to `state_dir`, split at spaces as systemd splits $ARGS."""
    out = run(["sh", "-c", '. "$1" && printf "%s" "$ARGS"', "sh", root + DEFAULT_FILE],
              "reading ARGS")
    return out.replace(STATE_DIR, state_dir).split()


class DebianPackages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Everything this process starts sees what a service sees: nothing that would find
        # libraries or packages outside the extracted tree.
        for var in ("LD_LIBRARY_PATH", "LD_PRELOAD", "CMAKE_PREFIX_PATH"):
            os.environ.pop(var, None)
        cls.tmp = tempfile.mkdtemp(prefix="ferry-package-")
        cls.version = project_version()
        out_dir = os.path.join(cls.tmp, "out")
        started = time.monotonic()
        run([CPACK, "--config", os.path.join(BUILD_DIR, "CPackConfig.cmake"), "-B", out_dir],
            "cpack")
        cls.cpack_seconds = time.monotonic() - started
        print("\ncpack (both packages from the build tree): %.1f s" % cls.cpack_seconds,
              file=sys.stderr)
        arch = run(["dpkg", "--print-architecture"], "dpkg --print-architecture").strip()
        cls.arch = arch
        cls.deb = os.path.join(out_dir, "ferry_%s_%s.deb" % (cls.version, arch))
        cls.dev_deb = os.path.join(out_dir, "ferry-dev_%s_%s.deb" % (cls.version, arch))
        for deb in (cls.deb, cls.dev_deb):
            if not os.path.isfile(deb):
                raise AssertionError("cpack did not write %s: %s" % (deb, os.listdir(out_dir)))
        # ferry alone, as a server has it; ferry and ferry-dev together, as a plugin author.
        cls.root = os.path.join(cls.tmp, "root")
        cls.sdk_root = os.path.join(cls.tmp, "sdk-root")
        run(["dpkg", "-x", cls.deb, cls.root], "dpkg -x ferry")
        run(["dpkg", "-x", cls.deb, cls.sdk_root], "dpkg -x ferry")
        run(["dpkg", "-x", cls.dev_deb, cls.sdk_root], "dpkg -x ferry-dev")
        cls.files = package_files(cls.deb)
        cls.dev_files = package_files(cls.dev_deb)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def field(self, deb, name):
        return run(["dpkg-deb", "-f", deb, name], "dpkg-deb -f").strip()

    def control_member(self, deb, member):
        return run(["dpkg-deb", "-I", deb, member], "dpkg-deb -I %s" % member)

    # ---- control data --------------------------------------------------------------------

    def test_control_fields(self):
        self.assertEqual(self.field(self.deb, "Package"), "ferry")
        self.assertEqual(self.field(self.dev_deb, "Package"), "ferry-dev")
        for deb in (self.deb, self.dev_deb):
            self.assertEqual(self.field(deb, "Version"), self.version)
            self.assertEqual(self.field(deb, "Architecture"), self.arch)
            self.assertRegex(self.field(deb, "Maintainer"), r"^.+ <[^>]+@[^>]+>$")
            self.assertTrue(self.field(deb, "Description"))
        self.assertIn("adduser", depends_names(self.field(self.deb, "Depends")))
        dev_depends = self.field(self.dev_deb, "Depends")
        self.assertIn("ferry (= %s)" % self.version, dev_depends)
        for dev in ("libprotobuf-dev", "nlohmann-json3-dev", "libgtest-dev"):
            self.assertIn(dev, depends_names(dev_depends))

    def test_depends_name_the_package_of_every_library_ferry_loads(self):
        depends = depends_names(self.field(self.deb, "Depends"))
        shipped = {os.path.basename(p) for p in self.files}
        needed = set()
        for path in self.files:
            if is_elf(self.root + path):
                needed.update(dynamic_entries(self.root + path, "NEEDED"))
        self.assertIn("libferry_proto.so.1", needed & shipped)
        for soname, owners in sorted(owners_of_sonames(sorted(needed - shipped)).items()):
            self.assertTrue(owners, "no Debian package holds %s" % soname)
            self.assertTrue(provided_names(owners) & depends,
                            "%s (from %s) is not in Depends: %s"
                            % (soname, ", ".join(sorted(owners)), sorted(depends)))
        for family in ("libpoco", "libprotobuf", "libspdlog", "libyaml-cpp", "libsqlite3",
                       "libsnappy", "libssl"):
            self.assertTrue(any(d.startswith(family) for d in depends), family)

    def test_conffiles_and_maintainer_scripts(self):
        conffiles = set(self.control_member(self.deb, "conffiles").split())
        self.assertEqual(conffiles, {CONFIG, DEFAULT_FILE})
        for path in conffiles:
            self.assertIn(path, self.files)
        self.assertIn("activate-noawait ldconfig", self.control_member(self.deb, "triggers"))
        self.assertIn("libferry_proto 1 ferry (>= %s)" % self.version,
                      self.control_member(self.deb, "shlibs"))
        scripts = os.path.join(self.tmp, "control")
        run(["dpkg-deb", "-e", self.deb, scripts], "dpkg-deb -e")
        for name in ("postinst", "prerm", "postrm"):
            path = os.path.join(scripts, name)
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o755, name)
            run(["sh", "-n", path], "sh -n " + name)
            run(["shellcheck", "--shell=sh", path], "shellcheck " + name)
        with open(os.path.join(scripts, "postinst")) as f:
            postinst = f.read()
        self.assertRegex(postinst, r"adduser [^\n]*--system[^\n]*\\\n[^\n]* ferry\n")
        self.assertIn("deb-systemd-helper enable ferry.service", postinst)

    # ---- contents ------------------------------------------------------------------------

    def test_contents(self):
        for path in ("/usr/bin/ferry", CONFIG, DEFAULT_FILE, UNIT,
                     "/usr/share/man/man1/ferry.1.gz", "/usr/share/doc/ferry/README.md",
                     "/usr/share/doc/ferry/packaging.md",
                     "/usr/share/doc/ferry/examples/ferry-sqlite.json"):
            self.assertIn(path, self.files)
        built = {n for n in os.listdir(os.path.join(BUILD_DIR, "lib", "ferry", "plugins"))
                 if n.endswith(".so")}
        packaged = {os.path.basename(p) for p in self.files if p.startswith(PLUGIN_DIR + "/")}
        self.assertEqual(packaged, built)
        self.assertTrue({"input-text.so", "storage-sqlite.so", "auth-basic.so"} <= packaged)
        self.assertTrue(any(re.match(r"/usr/lib/(.+/)?libferry_proto\.so\.1$", p)
                            for p in self.files))
        # The SDK is ferry-dev's, and only ferry-dev's.
        for path in self.files:
            self.assertFalse(path.startswith("/usr/include/") or path.endswith(".a")
                             or "/cmake/" in path or path.endswith("libferry_proto.so"), path)
        for path in ("/usr/include/ferry/plugin_abi.h", "/usr/include/ferry/abi/storage.h",
                     "/usr/include/ferry/metrics.pb.h"):
            self.assertIn(path, self.dev_files)
        self.assertTrue(any(p.endswith("/cmake/FerrySDK/FerrySDKConfig.cmake")
                            for p in self.dev_files))
        self.assertTrue(any(p.endswith("/libferry_proto.so") for p in self.dev_files))
        self.assertFalse(any(p.startswith(("/usr/bin/", "/etc/")) for p in self.dev_files))
        self.assertEqual(self.files & self.dev_files, set())

    def test_the_packages_hold_exactly_what_cmake_install_lays_out(self):
        stage = os.path.join(self.tmp, "install")
        env = dict(os.environ, DESTDIR=stage)
        run([CMAKE, "--install", BUILD_DIR, "--prefix", "/usr"], "cmake --install", env=env)
        self.assertEqual(tree_files(stage), self.files | self.dev_files)

    def test_no_build_paths(self):
        needles = {os.path.realpath(BUILD_DIR).encode(), os.path.realpath(REPO).encode()}
        for root, files in ((self.root, self.files), (self.sdk_root, self.dev_files)):
            for path in files:
                full = root + path
                if os.path.islink(full):
                    continue
                with open(full, "rb") as f:
                    data = f.read()
                for needle in needles:
                    self.assertNotIn(needle, data, "%s contains %s" % (path, needle.decode()))
                if is_elf(full):
                    for tag in ("RUNPATH", "RPATH"):
                        for value in dynamic_entries(full, tag):
                            for entry in value.split(":"):
                                self.assertTrue(entry.startswith("$ORIGIN"),
                                                "%s: %s %s" % (path, tag, value))

    # ---- the service -----------------------------------------------------------------------

    def test_unit_file(self):
        unit = unit_settings(self.root + UNIT)
        self.assertEqual(unit["ExecStart"], ["/usr/bin/ferry --config.file=%s $ARGS" % CONFIG])
        self.assertEqual(unit["EnvironmentFile"], ["-" + DEFAULT_FILE])
        self.assertEqual(unit["User"], ["ferry"])
        self.assertEqual(unit["StateDirectory"], ["ferry"])
        self.assertEqual(unit["Restart"], ["on-failure"])
        self.assertEqual(unit["WantedBy"], ["multi-user.target"])
        # Ferry has no reload signal (SIGHUP ends it): a reload must not be offered.
        self.assertNotIn("ExecReload", unit)
        for key, value in HARDENING.items():
            self.assertEqual(unit.get(key), [value], key)

    def test_systemd_accepts_the_unit(self):
        # The unit as installed, with ExecStart pointing at the extracted binary (verify checks
        # that it exists). Any message, even a warning about an unknown key, fails the test.
        unit_dir = os.path.join(self.tmp, "unit")
        os.makedirs(unit_dir, exist_ok=True)
        unit = os.path.join(unit_dir, "ferry.service")
        with open(self.root + UNIT) as f:
            text = f.read()
        with open(unit, "w") as f:
            f.write(text.replace("ExecStart=/usr/bin/ferry", "ExecStart=%s/usr/bin/ferry"
                                 % self.root))
        out = run(["systemd-analyze", "verify", "--man=no", unit], "systemd-analyze verify")
        self.assertEqual(out.strip(), "")
        out = run(["systemd-analyze", "security", "--offline=true", unit],
                  "systemd-analyze security")
        level = re.search(r"Overall exposure level for ferry\.service: ([0-9.]+)", out)
        self.assertIsNotNone(level, out[-2000:])
        self.assertLess(float(level.group(1)), MAX_EXPOSURE, out[-3000:])

    def test_default_file_and_man_page(self):
        # The packaged default keeps groups across restarts, as Debian's Pushgateway does.
        self.assertEqual(service_args(self.root, STATE_DIR),
                         ["--persistence.file=%s/ferry.snapshot" % STATE_DIR])
        with gzip.open(self.root + "/usr/share/man/man1/ferry.1.gz", "rt") as f:
            man = f.read()
        self.assertTrue(man.startswith(".TH ferry 1"), man[:200])
        self.assertIn("config.file", man)

    def test_packaged_ferry_finds_its_plugins(self):
        ferry = self.root + "/usr/bin/ferry"
        out = run([ferry, "--list-plugins"], "ferry --list-plugins")
        self.assertIn("Plugins in %s%s (Ferry's own):" % (self.root, PLUGIN_DIR), out)
        self.assertNotIn("Refused", out)
        for name in ("text", "protobuf", "memory", "file", "sqlite", "basic", "token", "cert"):
            self.assertRegex(out, r"\n  \w+\t%s\t" % name)
        run([ferry, "--check-config", self.root + CONFIG] + service_args(self.root, self.tmp),
            "ferry --check-config")

    def start_service(self, config, args):
        """The packaged ferry with the unit's command line, on a free port of 127.0.0.1."""
        server = fh.Server("--config.file=" + config, *args, binary=self.root + "/usr/bin/ferry",
                           admin=False, lifecycle=False)
        self.addCleanup(server.cleanup)
        return server.start()

    def loaded_files(self, server):
        with open("/proc/%d/maps" % server.proc.pid) as f:
            return {line.split(None, 5)[5].strip() for line in f if len(line.split(None, 5)) == 6}

    def test_service_command_line_serves_and_keeps_pushes(self):
        state = tempfile.mkdtemp(dir=self.tmp)
        args = service_args(self.root, state)
        server = self.start_service(self.root + CONFIG, args)
        self.assertEqual(server.get("/-/healthy").status, 200)
        resp = server.push("PUT", "/job/backup/instance/db1",
                           "# TYPE backup_bytes gauge\nbackup_bytes 42\n")
        self.assertEqual(resp.status, 200, resp.text)
        self.assertEqual(server.scrape().value("backup_bytes", job="backup", instance="db1"), 42)
        loaded = self.loaded_files(server)
        for lib in ("libferry_proto.so", "input-text.so", "storage-file.so"):
            paths = [p for p in loaded if os.path.basename(p).startswith(lib)]
            self.assertTrue(paths, "%s not loaded" % lib)
            for p in paths:
                self.assertTrue(p.startswith(self.root + "/"), "%s loaded from %s" % (lib, p))
        self.assertEqual(server.stop(), 0, server.log_tail())
        self.assertTrue(os.path.isfile(os.path.join(state, "ferry.snapshot")), os.listdir(state))
        again = self.start_service(self.root + CONFIG, args)
        self.assertEqual(again.scrape().value("backup_bytes", job="backup", instance="db1"), 42)

    def test_switching_to_sqlite_as_documented(self):
        # docs/packaging.md: replace the storage line of /etc/ferry/ferry.json and drop the
        # --persistence.file flag from ARGS.
        state = tempfile.mkdtemp(dir=self.tmp)
        with open(self.root + CONFIG) as f:
            text = f.read()
        self.assertEqual(text.count(MEMORY_STORAGE), 1, "the documented storage line moved")
        config = os.path.join(state, "ferry.json")
        with open(config, "w") as f:
            f.write(text.replace(MEMORY_STORAGE, SQLITE_STORAGE % state))
        args = [a for a in service_args(self.root, state)
                if not a.startswith("--persistence.file")]
        server = self.start_service(config, args)
        resp = server.push("POST", "/job/nightly", "nightly_ok 1\n")
        self.assertEqual(resp.status, 200, resp.text)
        self.assertEqual(server.stop(), 0, server.log_tail())
        self.assertTrue(os.path.isfile(os.path.join(state, "ferry.db")), os.listdir(state))
        server.start()
        self.assertEqual(server.scrape().value("nightly_ok", job="nightly", instance=""), 1)
        with open(server.log_path) as f:
            self.assertIn("storage=sqlite", f.read())

    # ---- the SDK package -------------------------------------------------------------------

    def test_sdk_package_is_a_complete_cmake_package(self):
        probe = os.path.join(self.tmp, "probe")
        os.makedirs(probe, exist_ok=True)
        with open(os.path.join(probe, "CMakeLists.txt"), "w") as f:
            f.write(PROBE_CMAKE)
        prefix = os.path.join(self.sdk_root, "usr")
        out = run([CMAKE, "-S", probe, "-B", os.path.join(probe, "build"),
                   "-DCMAKE_PREFIX_PATH=" + prefix], "configuring against ferry-dev")
        values = dict(line.split("-- probe ", 1)[1].split("=", 1)
                      for line in out.splitlines() if "-- probe " in line)
        self.assertEqual(os.path.realpath(values["FerrySDK_PREFIX"]), os.path.realpath(prefix))
        self.assertEqual(os.path.realpath(values["FerrySDK_PLUGIN_DIR"]),
                         os.path.realpath(self.sdk_root + PLUGIN_DIR))
        self.assertTrue(os.access(values["FerrySDK_FERRY_EXECUTABLE"], os.X_OK))


if __name__ == "__main__":
    unittest.main()
