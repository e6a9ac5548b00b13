"""Helpers for rule and CLI tests: build a profile from an example, check it, find findings."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from pecoscheck.engine import Options, check_file
from pecoscheck.findings import Finding, ProfileResult

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AS_OF = date(2026, 11, 26)


def example_text(name: str) -> str:
    """The text of ``examples/<name>/profile.yaml`` (or ``examples/<name>`` when it is a file)."""
    p = EXAMPLES / name
    return (p / "profile.yaml" if p.is_dir() else p).read_text("utf-8")


def make_profile(tmp_path: Path, example: str, replace: dict[str, str] | None = None,
                 append: str = "", text: str | None = None) -> Path:
    """Copy an example folder (with its documents) into ``tmp_path`` and edit its profile text.

    Every ``old`` in ``replace`` must occur in the text, so a test cannot silently test nothing.
    """
    src = EXAMPLES / example
    dest = tmp_path / "case"
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True)
    else:
        dest.mkdir(parents=True, exist_ok=True)
        if (src.parent / "docs").is_dir():
            shutil.copytree(src.parent / "docs", dest / "docs", dirs_exist_ok=True)
    body = text if text is not None else example_text(example)
    for old, new in (replace or {}).items():
        assert old in body, f"test setup: {old!r} not found in {example}"
        body = body.replace(old, new, 1)
    path = dest / "profile.yaml"
    path.write_text(body + append, "utf-8")
    return path


def check(path: Path, as_of: date = AS_OF, **options: object) -> ProfileResult:
    return check_file(path, Options(as_of=as_of, **options))  # type: ignore[arg-type]


def findings_of(result: ProfileResult, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    """1-based line number of the ``nth`` line containing ``needle``."""
    seen = 0
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not in {path}")
