"""check_layering.py finds each kind of violation in a small tree that has all of them, and
none in Ferry's own tree."""
import pathlib
import subprocess
import sys
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import check_layering  # noqa: E402


class CheckLayeringTest(unittest.TestCase):
    def test_reports_every_kind_of_violation(self):
        problems = check_layering.check(HERE / "fixture")
        self.assertEqual(problems, [
            "core/http/bad.cpp:3: core/ includes plugins/ (plugins/p/p.h); "
            "core loads plugins, it does not link them",
            "sdk/include/ferry/bad.hpp:3: sdk/ includes core/ (core/http/ok.h); "
            "the SDK stands alone",
            "plugins/p/bad.cpp:4: a plugin includes core/ (core/http/ok.h); "
            "plugins use only the SDK",
            "plugins/p/bad.cpp:5: a plugin includes another plugin's header (plugins/q/q.h)",
            "plugins/p/bad.cpp:6: a plugin includes core/ (core/http/ok.h); "
            "plugins use only the SDK",
        ])

    def test_exit_status(self):
        script = str(HERE / "check_layering.py")
        bad = subprocess.run([sys.executable, script, str(HERE / "fixture")],
                             capture_output=True, text=True)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("layering: 5 violation(s)", bad.stdout)
        missing = subprocess.run([sys.executable, script, str(HERE)], capture_output=True,
                                 text=True)
        self.assertNotEqual(missing.returncode, 0)  # no core/ there: not a Ferry tree


if __name__ == "__main__":
    unittest.main()
