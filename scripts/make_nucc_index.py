"""Write ``src/pecoscheck/data/nucc/nucc_index.tsv`` from the shipped NUCC CSV (run it when the CSV is replaced).

``--check`` exits 1 when the index differs from the CSV; ``tests/rules/test_taxonomy.py`` checks it too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pecoscheck.rules.builtin.taxonomy import INDEX_FILE, index_text, parse_code_set

TABLE = Path(__file__).resolve().parents[1] / "src" / "pecoscheck" / "data" / "nucc" / INDEX_FILE


def main(argv: list[str]) -> int:
    text = index_text(parse_code_set())
    if "--check" in argv:
        same = TABLE.read_text("utf-8") == text
        print(f"{INDEX_FILE} matches the CSV" if same else f"{INDEX_FILE} differs from the CSV: regenerate it")
        return 0 if same else 1
    TABLE.write_text(text, "utf-8")
    print(f"wrote {TABLE} ({len(text.splitlines()) - 1} codes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
