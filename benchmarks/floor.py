"""The parse floor: read and parse every profile under the given folders with PyYAML's C loader, nothing else.

``python benchmarks/floor.py DIR...`` walks the folders like ``pecoscheck validate`` does (``*.yaml`` and
``*.yml``, hidden folders skipped) and runs ``yaml.load(f, Loader=yaml.CSafeLoader)`` on each file in one
process. It prints the number of files parsed.
"""

from __future__ import annotations

import os
import sys

import yaml


def files(roots: list[str]) -> list[str]:
    out: list[str] = []
    for root in roots:
        if os.path.isfile(root):
            out.append(root)
            continue
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            out += [os.path.join(folder, n) for n in sorted(names) if n.endswith((".yaml", ".yml"))]
    return out


def main() -> int:
    n = 0
    for path in files(sys.argv[1:]):
        with open(path, "rb") as fh:
            yaml.load(fh, Loader=yaml.CSafeLoader)
        n += 1
    sys.stdout.write(f"{n}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
