"""Write ``src/pecoscheck/rules/pack_index.py`` from the shipped rule packs in ``rules/`` (run it
whenever a pack changes; until then that pack is read and validated from its YAML on every run).

``--check`` exits 1 when the index differs from the packs; ``tests/test_packs.py`` checks it too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pecoscheck.rules.pack_format import index_text

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "pecoscheck" / "rules" / "pack_index.py"


def main(argv: list[str]) -> int:
    text = index_text(ROOT / "rules")
    if "--check" in argv:
        same = TARGET.exists() and TARGET.read_text("utf-8") == text
        print("pack_index.py matches the packs" if same else "pack_index.py differs from the packs: regenerate it")
        return 0 if same else 1
    TARGET.write_text(text, "utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
