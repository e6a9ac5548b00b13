"""Benchmark the LEIE index: build from 100,000 generated rows, then time lookups.

Targets (issue 8): building the index for 100,000 rows in the real layout in
under a second, and a lookup by NPI or by name in under a millisecond.

    /work/venv/bin/python benchmarks/leie_bench.py [--rows 100000] [--lookups 2000]

The rows follow OIG's UPDATED.csv as found in the 2017 files: a fully quoted
header, unquoted empty fields, a middle name of one blank, ``00000000`` for
no date, ``0000000000`` for no NPI, exclusion types padded with blanks, CRLF.
About a fifth are entities (business name only), and about one NPI in five is
real. Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from pecoscheck.npi import check_digit  # noqa: E402
from pecoscheck.online.leie import COLUMNS, LeieIndex, build_index  # noqa: E402

LAST = ["SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ", "MARTINEZ",
        "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR", "MOORE", "JACKSON", "MARTIN",
        "O'NEIL", "DE LA CRUZ", "NGUYEN", "KIM", "PATEL"]
FIRST = ["JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "DAVID", "ELIZABETH",
         "MARY ANN", "JOSE", "WEI", "PRIYA", "AHMED"]
GENERAL = ["IND- LIC HC SERV PRO", "DOCTOR(MD, DO)", "NURSING PROFESSION", "OTHER BUSINESS", "DME COMPANY"]
TYPES = ["1128a1", "1128a2", "1128a3", "1128a4", "1128b4", "1128b5", "1128b7", "1128b8", "1128b14"]


def _q(value: str) -> str:
    return f'"{value}"' if value else ""


def generate(rows: int, seed: int = 8) -> tuple[str, list[str], list[tuple[str, str]], list[str]]:
    """CSV text plus samples of NPIs, (last, first) names and business names present in it."""
    rng = random.Random(seed)
    lines = [",".join(f'"{c}"' for c in COLUMNS)]
    npis: list[str] = []
    names: list[tuple[str, str]] = []
    businesses: list[str] = []
    for i in range(rows):
        entity = rng.random() < 0.2
        npi = "0000000000"
        if rng.random() < 0.2:
            base = f"1{i:08d}"
            npi = base + str(check_digit(base))
            npis.append(npi)
        excl = f"{rng.randint(1990, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        excltype = rng.choice(TYPES).ljust(9) if rng.random() < 0.3 else rng.choice(TYPES)
        if entity:
            bus = f"{rng.choice(LAST)} {rng.choice(['MEDICAL', 'HEALTH', 'PHARMACY', 'HOME CARE'])} {i}, INC"
            businesses.append(bus)
            fields = ["", "", '" "', _q(bus), _q(rng.choice(GENERAL)), "", "", _q(npi), "",
                      _q(f"{i} MAIN ST"), '"ANYTOWN"', '"TX"', '"75001"', _q(excltype), _q(excl),
                      '"00000000"', '"00000000"', ""]
        else:
            last, first = f"{rng.choice(LAST)}{i % 997}", rng.choice(FIRST)
            names.append((last, first))
            mid = rng.choice([" ", "J ", "ANN "])
            dob = f"19{rng.randint(30, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            fields = [_q(last), _q(first), _q(mid), "", _q(rng.choice(GENERAL)), '"NURSE/NURSES AIDE"', "",
                      _q(npi), _q(dob), _q(f"{i} OAK AVE"), '"SPRINGFIELD"', '"IL"', '"62701"', _q(excltype),
                      _q(excl), '"00000000"', '"00000000"', ""]
        lines.append(",".join(fields))
    return "\r\n".join(lines) + "\r\n", npis, names, businesses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="builds to time (the best is reported)")
    args = parser.parse_args(argv)

    text, npis, names, businesses = generate(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "UPDATED.csv"
        csv_path.write_bytes(text.encode("ascii"))
        index_path = Path(tmp) / "leie.sqlite3"
        builds = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            status = build_index(csv_path, index_path)
            builds.append(time.perf_counter() - start)
        rng = random.Random(1)
        with LeieIndex(index_path) as index:
            timings: dict[str, list[float]] = {"by_npi": [], "by_name": [], "by_business": [], "miss": []}
            for _ in range(args.lookups):
                npi = rng.choice(npis)
                last, first = rng.choice(names)
                bus = rng.choice(businesses)
                for label, call in (("by_npi", lambda n=npi: index.by_npi(n)),
                                    ("by_name", lambda la=last, fi=first: index.by_name(la, fi)),
                                    ("by_business", lambda b=bus: index.by_business(b)),
                                    ("miss", lambda: index.by_npi("1999999999"))):
                    t0 = time.perf_counter()
                    found = call()
                    timings[label].append(time.perf_counter() - t0)
                    if label != "miss" and not found:
                        raise SystemExit(f"{label} found nothing")
    size_mb = len(text) / 1e6
    best = min(builds)
    print(f"rows: {status.rows:,} ({size_mb:.1f} MB of CSV), active {status.active_rows:,}")
    print(f"build: best {best:.3f} s of {args.repeat} (all: {', '.join(f'{b:.3f}' for b in builds)})"
          f"  target < 1 s: {'OK' if best < 1 else 'MISSED'}")
    worst_median = 0.0
    for label, values in timings.items():
        med = statistics.median(values) * 1e3
        p99 = sorted(values)[int(len(values) * 0.99) - 1] * 1e3
        worst_median = max(worst_median, med)
        print(f"{label:12s} median {med:.3f} ms  p99 {p99:.3f} ms  ({len(values)} lookups)")
    print(f"lookup target < 1 ms (median): {'OK' if worst_median < 1 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
