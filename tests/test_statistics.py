"""``--statistics`` works with every format: after the text report, or on stderr for the others."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from helpers import AS_OF, ROOT
from pecoscheck.cli import app

TARGET = "examples/not-ready"


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def invoke(*args: str):
    return CliRunner().invoke(app, ["validate", TARGET, "--as-of", AS_OF.isoformat(), "--jobs", "1", *args])


def expected_rows() -> list[tuple[int, str, str]]:
    report = json.loads(invoke("--format", "json").stdout)
    counts: dict[tuple[str, str], int] = {}
    for p in report["profiles"]:
        for f in p["findings"]:
            counts[(f["rule"], f["severity"])] = counts.get((f["rule"], f["severity"]), 0) + 1
    return sorted(((n, r, s) for (r, s), n in counts.items()), key=lambda t: (-t[0], t[1]))


def parse_rows(text: str) -> list[tuple[int, str, str]]:
    rows = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].isdigit() and parts[2] in ("error", "warning", "info"):
            rows.append((int(parts[0]), parts[1], parts[2]))
    return rows


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github"])
def test_statistics_go_to_stderr_and_leave_the_report_intact(fmt: str) -> None:
    result = invoke("--format", fmt, "--statistics")
    assert result.exit_code == 1
    assert parse_rows(result.stderr) == expected_rows() != []
    assert parse_rows(result.stdout) == []
    if fmt in ("json", "sarif"):
        json.loads(result.stdout)
    elif fmt == "junit":
        ET.fromstring(result.stdout)
    else:
        assert all(ln.startswith(("::", "pecoscheck:")) for ln in result.stdout.splitlines())


def test_statistics_follow_the_text_report() -> None:
    result = invoke("--format", "text", "--statistics")
    assert result.exit_code == 1
    assert parse_rows(result.stdout) == expected_rows()
    assert result.stderr == ""


def test_statistics_with_output_file(tmp_path) -> None:
    out = tmp_path / "r.sarif"
    result = invoke("--format", "sarif", "--statistics", "-o", str(out))
    assert result.stdout == ""
    assert parse_rows(result.stderr) == expected_rows()
    json.loads(out.read_text("utf-8"))
