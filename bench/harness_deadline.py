#!/usr/bin/env python3
"""Runs the shared harness unchanged except for its loader deadline.

Usage: harness_deadline.py BENCH_PY SECONDS [bench.py arguments...]

bench.py gives each loading step (1k groups, then growing to 10k) 1,800 s. The Pushgateway
checks every push against the whole store, so growing it to 10k groups takes ~20 min on a quiet
2-CPU machine and can exceed 30 min on a busy one; the run then fails before measuring 100k
series. bench/run.sh uses this wrapper only when LOAD_DEADLINE is set. Only the deadline of
the loader changes; what is measured and how stays the harness's.
"""

import inspect
import os
import sys


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__.strip().splitlines()[2])
    harness, deadline = sys.argv[1], float(sys.argv[2])
    if deadline <= 0:
        raise SystemExit("harness_deadline: SECONDS must be positive")
    sys.path.insert(0, os.path.dirname(os.path.abspath(harness)))
    import bench  # noqa: E402  (the shared harness; importing it runs nothing)

    original = bench.load_groups
    if "deadline_s" not in inspect.signature(original).parameters:
        raise SystemExit("harness_deadline: %s has no load_groups(deadline_s=...); "
                         "unset LOAD_DEADLINE" % harness)

    def load_groups(*args, **kwargs):
        kwargs.setdefault("deadline_s", deadline)
        return original(*args, **kwargs)

    bench.load_groups = load_groups
    sys.argv = [harness] + sys.argv[3:]
    return bench.main()


if __name__ == "__main__":
    sys.exit(main())
