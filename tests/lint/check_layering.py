#!/usr/bin/env python3
"""The dependency direction of Ferry's tree, checked on every #include: core -> sdk <- plugins.

- sdk/ is what plugin authors build against: it includes neither core/ nor plugins/.
- plugins/ use only the SDK: a plugin includes no core/ header and no other plugin's header
  (plugins/<name>/ may include its own files).
- core/ loads plugins at run time and never compiles against them: no plugins/ header.

Usage: check_layering.py ROOT. Prints one line per violation ("file:line: rule") and exits 1 if
there is any, 0 otherwise.
"""
import pathlib
import re
import sys

SOURCE_SUFFIXES = {".c", ".cc", ".cpp", ".h", ".hpp"}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]((?:\.\./)*)([^>"]+)[>"]')


def violation(rel, target):
    """Why the file at `rel` (a path relative to ROOT) may not include `target`, or None."""
    top = rel.parts[0]
    first = target.split("/", 1)[0]
    if top == "sdk" and first in ("core", "plugins"):
        return f"sdk/ includes {first}/ ({target}); the SDK stands alone"
    if top == "plugins":
        if first == "core":
            return f"a plugin includes core/ ({target}); plugins use only the SDK"
        if first == "plugins" and target.split("/")[1:2] != [rel.parts[1]]:
            return f"a plugin includes another plugin's header ({target})"
    if top == "core" and first == "plugins":
        return f"core/ includes plugins/ ({target}); core loads plugins, it does not link them"
    return None


def check(root):
    problems = []
    for top in ("core", "sdk", "plugins"):
        for path in sorted((root / top).rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            rel = path.relative_to(root)
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    target = m.group(2)
                    if m.group(1):  # "../x.h": resolve against the including file
                        resolved = (path.parent / (m.group(1) + target)).resolve()
                        try:
                            target = str(resolved.relative_to(root.resolve()))
                        except ValueError:
                            continue
                    why = violation(rel, target)
                    if why:
                        problems.append(f"{rel}:{number}: {why}")
    return problems


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check_layering.py ROOT")
    root = pathlib.Path(sys.argv[1])
    if not (root / "core").is_dir():
        sys.exit(f"check_layering.py: {root} has no core/ directory")
    problems = check(root)
    for p in problems:
        print(p)
    print(f"layering: {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
