"""Generate many varied profiles from the examples, by text substitution (for scale and parallelism tests).

Layout under ``dest``: one folder per example with a copy of its ``docs/``
(so document references resolve) and the generated profiles beside it, as
``dest/<example>/profile-NNNN.yaml``;
about a quarter of the profiles are made not ready (a check-digit typo, a
misspelt key, a duplicate key or broken YAML), and the not-ready examples are
varied as they are.

Run as a script to make a folder for benchmarks: ``python tests/profilegen.py DEST [COUNT]``.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
_PROVIDER_NPI = re.compile(r'^(  npi: ")(\d{10})(")', re.M)


def _check_digit(base9: str) -> int:
    total = 0
    for i, ch in enumerate(reversed("80840" + base9)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def valid_npi(rng: random.Random, first: str = "1") -> str:
    base = first + "".join(rng.choice("0123456789") for _ in range(8))
    return base + str(_check_digit(base))


def _templates() -> list[tuple[str, str, Path]]:
    """(folder name, profile text, docs folder to copy) for every example."""
    out = []
    for p in sorted(EXAMPLES.glob("*/profile.yaml")):
        out.append((p.parent.name, p.read_text("utf-8"), p.parent / "docs"))
    for p in sorted((EXAMPLES / "not-ready").glob("*.yaml")):
        out.append(("not-ready", p.read_text("utf-8"), EXAMPLES / "not-ready" / "docs"))
    return out


def _break(text: str, how: int, rng: random.Random) -> str:
    if how == 0:  # a typo in the provider's NPI: the check digit no longer matches
        m = _PROVIDER_NPI.search(text)
        if m:
            npi = m.group(2)
            wrong = npi[:9] + str((int(npi[9]) + 1 + rng.randrange(8)) % 10)
            return text[: m.start(2)] + wrong + text[m.end(2):]
        how = 1
    if how == 1:  # a misspelt top-level key
        for key, typo in (("licenses:", "licences:"), ("documents:", "document:"), ("enrollment:", "enrolment:")):
            if f"\n{key}" in text:
                return text.replace(f"\n{key}", f"\n{typo}", 1)
        how = 2
    if how == 2:  # a duplicate top-level key
        return text + "\nschema_version: 1\n"
    return text + "\nbroken: [unclosed\n"  # a YAML syntax error


def generate(dest: Path, count: int = 1000, seed: int = 20261126, not_ready_share: float = 0.25) -> list[Path]:
    """Write ``count`` profiles below ``dest``; return their paths (sorted)."""
    rng = random.Random(seed)
    templates = _templates()
    for folder, _, docs in templates:
        target = dest / folder / "docs"
        if docs.is_dir() and not target.exists():
            shutil.copytree(docs, target)
    written = []
    for i in range(count):
        folder, text, _ = templates[i % len(templates)]
        m = _PROVIDER_NPI.search(text)
        if m and folder != "not-ready":
            text = text[: m.start(2)] + valid_npi(rng, m.group(2)[0]) + text[m.end(2):]
        text = f"# generated profile {i:04d} from {folder}\n" + text
        if rng.random() < not_ready_share:
            text = _break(text, rng.randrange(4), rng)
        sub = dest / folder
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"profile-{i:04d}.yaml"
        path.write_text(text, "utf-8")
        written.append(path)
    return sorted(written)


if __name__ == "__main__":
    target = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    print(f"wrote {len(generate(target, n))} profiles under {target}")
