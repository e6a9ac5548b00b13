"""Write ``src/pecoscheck/rules/pack_index.py`` from the shipped rule packs in ``rules/`` (run it
whenever a pack changes; until then that pack is read and validated from its YAML on every run).

``--check`` exits 1 when the index's data differs from the packs'; ``tests/test_packs.py`` checks it too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pecoscheck.rules.pack_format import index_entries, index_text

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "pecoscheck" / "rules" / "pack_index.py"


def main(argv: list[str]) -> int:
    if "--check" in argv:
        from pecoscheck.rules import pack_index

        same = index_entries(ROOT / "rules") == pack_index.PACKS
        print("pack_index.py matches the packs" if same else "pack_index.py differs from the packs: regenerate it")
        return 0 if same else 1
    TARGET.write_text(index_text(ROOT / "rules"), "utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
