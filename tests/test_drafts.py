"""Drafts: a profile marked `# pecoscheck: draft` is checked in full but does not fail the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import make_profile
from pecoscheck.cli import app

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-26"]
BROKEN = {"\nlicenses:": "\nlicences:"}


def _draft(path: Path, marker: str = "# pecoscheck: draft") -> Path:
    path.write_text(f"{marker}\n{path.read_text('utf-8')}", "utf-8")
    return path


def _json(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    r = runner.invoke(app, ["validate", *args, "-f", "json", *AS_OF])
    return r.exit_code, json.loads(r.stdout)


def test_a_draft_with_errors_is_reported_but_does_not_fail(tmp_path: Path) -> None:
    draft = _draft(make_profile(tmp_path / "d", "solo-practitioner", replace=BROKEN))
    make_profile(tmp_path / "r", "solo-practitioner")
    code, doc = _json(str(tmp_path / "d"), str(tmp_path / "r"))
    assert code == 0
    entry = next(p for p in doc["profiles"] if Path(p["path"]).resolve() == draft.resolve())
    assert entry["draft"] is True and entry["ready"] is False
    assert entry["findings"][0]["rule"] == "SCH001"
    assert doc["summary"]["drafts"] == 1 and doc["summary"]["not_ready"] == 1
    r = runner.invoke(app, ["validate", str(tmp_path / "d"), str(tmp_path / "r"), *AS_OF])
    assert r.exit_code == 0 and "DRAFT, NOT READY" in r.stdout
    assert "1 of 2 profiles ready (1 not-ready draft does not fail the run)" in r.stdout


def test_no_drafts_and_other_profiles_still_fail(tmp_path: Path) -> None:
    _draft(make_profile(tmp_path / "d", "solo-practitioner", replace=BROKEN))
    code, doc = _json(str(tmp_path / "d"))
    assert code == 0
    code, doc = _json(str(tmp_path / "d"), "--no-drafts")  # the cache must not answer with the draft verdict
    assert code == 1 and "draft" not in doc["profiles"][0] and "drafts" not in doc["summary"]
    make_profile(tmp_path / "n", "solo-practitioner", replace=BROKEN)
    code, _ = _json(str(tmp_path / "d"), str(tmp_path / "n"))
    assert code == 1


def test_a_ready_draft_is_ready_and_is_not_counted_as_a_draft(tmp_path: Path) -> None:
    _draft(make_profile(tmp_path, "solo-practitioner"), "  #PECOSCHECK:   draft (Maria is gathering documents)")
    code, doc = _json(str(tmp_path))
    assert code == 0 and doc["profiles"][0]["ready"] and doc["profiles"][0]["draft"]
    assert "drafts" not in doc["summary"]


@pytest.mark.parametrize("text", ["# pecoscheck: drafted", "# pecoscheck: ignore[DOC004] draft", "# draft"])
def test_only_the_marker_makes_a_draft(tmp_path: Path, text: str) -> None:
    _draft(make_profile(tmp_path, "solo-practitioner", replace=BROKEN), text)
    code, doc = _json(str(tmp_path))
    assert code == 1 and "draft" not in doc["profiles"][0]


def test_the_marker_belongs_to_the_opening_comments(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", replace=BROKEN)
    path.write_text(path.read_text("utf-8") + "notes: |\n  # pecoscheck: draft\n", "utf-8")
    code, _ = _json(str(tmp_path))
    assert code == 1
