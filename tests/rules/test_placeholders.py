"""Placeholder rules (issue 23): an untouched starter is NOT READY, one finding per placeholder; examples stay READY."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import EXAMPLES, check, findings_of, line_of
from pecoscheck.cli import app
from pecoscheck.starter import TYPES


def _starter(tmp_path: Path, type_id: str) -> Path:
    path = tmp_path / "p.yaml"
    assert CliRunner().invoke(app, ["init", str(path), "--type", type_id]).exit_code == 0
    for doc in path.read_text("utf-8").split("file: ")[1:]:
        target = path.parent / doc.split(",")[0].split("}")[0].strip()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch()  # empty files, as a new user would leave them
    return path


@pytest.mark.parametrize("type_id", sorted(TYPES))
def test_untouched_starter_has_one_finding_per_placeholder(tmp_path: Path, type_id: str) -> None:
    path = _starter(tmp_path, type_id)
    result = check(path)
    assert not result.ready
    plh = [f for f in result.findings if f.rule.startswith("PLH")]
    assert all(f.severity == "error" for f in plh)
    lines = Counter(f.line for f in plh)
    assert max(lines.values()) == 1, lines  # never two findings for one placeholder
    text = path.read_text("utf-8")
    marked = {n for n, ln in enumerate(text.splitlines(), 1) if "# REPLACE" in ln}
    reported = {f.line for f in plh}
    assert marked <= reported | {line_of(path, "last: Doe")} if "last: Doe" in text else marked <= reported
    assert findings_of(result, "PLH001")[0].path.endswith("npi")


def test_each_sample_value_names_its_own_rule(tmp_path: Path) -> None:
    path = _starter(tmp_path, "nurse_practitioner")
    rules = {f.path: f.rule for f in check(path).findings if f.rule.startswith("PLH")}
    assert rules["provider.npi"] == "PLH001"
    assert rules["provider.name.first"] == "PLH003"
    assert rules["enrollment.signer"] == "PLH003"
    assert rules["bank_account.bank_name"] == "PLH004"
    assert rules["licenses[0].number"] == "PLH005" and rules["licenses[1].number"] == "PLH005"
    assert rules["bank_account.routing_number"] == "PLH006"
    assert rules["practice_locations[0].effective_date"] == "PLH010"
    org = _starter(tmp_path / "org", "group_practice")
    rules = {f.path: f.rule for f in check(org).findings if f.rule.startswith("PLH")}
    assert rules["provider.tin"] == "PLH002" and rules["officials[0].name"] == "PLH003"
    assert rules["provider.legal_name"] == "PLH004"


def test_the_routing_number_alone_is_not_a_placeholder(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text('schema_version: 1\nbank_account:\n  routing_number: "121000358"\n'
                    '  other: "121000358"   # REPLACE\n', "utf-8")
    found = findings_of(check(path), "PLH006")
    assert [f.path for f in found] == ["bank_account.other"]


def test_todo_markers_and_values_and_they_run_when_the_format_fails(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("# Fill in the values marked TODO, then run pecoscheck.\nschema_version: 1\nprovider:\n"
                    "  kind: robot\n  npi: TODO\n  ptan:             # NPPES, 2026-12-04; TODO: confirm\n", "utf-8")
    result = check(path)
    todo = findings_of(result, "PLH011")
    assert sorted(f.line for f in todo) == [5, 6]  # the header's prose is not a marker
    assert any(f.rule.startswith("SCH") for f in result.findings)


@pytest.mark.parametrize("profile", sorted(EXAMPLES.glob("*/profile.yaml")), ids=lambda p: p.parent.name)
def test_no_placeholder_finding_in_the_examples(profile: Path) -> None:
    assert not [f for f in check(profile).findings if f.rule.startswith("PLH")]
