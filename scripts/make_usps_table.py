"""Write ``src/pecoscheck/data/usps_states.txt``: the USPS codes of the states, DC and territories, with names.

Derived from the ``us`` package (every two-letter code ``us.states.lookup(code, field="abbr")`` knows),
so that a check does not import ``us`` (15-45 ms a process: it reads its installed metadata).
``python scripts/make_usps_table.py`` rewrites the table; ``--check`` exits 1 when it differs from ``us``.
Run it when the ``us`` dependency is updated; ``tests/test_usps.py`` fails until then.
"""

from __future__ import annotations

import argparse
import itertools
import string
import sys
from importlib.metadata import version
from pathlib import Path

TABLE = Path(__file__).resolve().parents[1] / "src" / "pecoscheck" / "data" / "usps_states.txt"


def build() -> str:
    import us

    rows = []
    for a, b in itertools.product(string.ascii_uppercase, repeat=2):
        found = us.states.lookup(a + b, field="abbr")
        if found is not None:
            rows.append(f"{found.abbr}\t{found.name}\n")
    head = (f"# USPS codes of the states, DC and territories: derived from the `us` package {version('us')} by\n"
            "# scripts/make_usps_table.py (run it when `us` is updated). Code, a tab, the name.\n")
    return head + "".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    args = ap.parse_args(argv)
    text = build()
    if args.check:
        same = TABLE.read_text("utf-8").splitlines()[2:] == text.splitlines()[2:]
        print("usps_states.txt matches `us`" if same else "usps_states.txt differs from `us`: regenerate it")
        return 0 if same else 1
    TABLE.write_text(text, "utf-8")
    print(f"wrote {TABLE} ({len(text.splitlines()) - 2} codes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
