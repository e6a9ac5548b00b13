"""Write the indexes the TAX rules read, ``nucc_index.tsv`` and ``crosswalk_index.tsv`` in
``src/pecoscheck/data/nucc/``, from the shipped NUCC and CMS CSVs (run it when a CSV is replaced).

``--check`` exits 1 when an index differs from its CSV; ``tests/rules/test_taxonomy.py`` checks them too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pecoscheck.rules.builtin.taxonomy import (
    CROSSWALK_INDEX_FILE,
    INDEX_FILE,
    crosswalk_index_text,
    index_text,
    parse_code_set,
    parse_crosswalk,
)

FOLDER = Path(__file__).resolve().parents[1] / "src" / "pecoscheck" / "data" / "nucc"


def main(argv: list[str]) -> int:
    tables = {INDEX_FILE: index_text(parse_code_set()), CROSSWALK_INDEX_FILE: crosswalk_index_text(parse_crosswalk())}
    code = 0
    for name, text in tables.items():
        path = FOLDER / name
        if "--check" in argv:
            same = path.exists() and path.read_text("utf-8") == text
            print(f"{name} matches its CSV" if same else f"{name} differs from its CSV: regenerate it")
            code = code or (0 if same else 1)
        else:
            path.write_text(text, "utf-8")
            print(f"wrote {path} ({len(text.splitlines()) - 1} codes)")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
