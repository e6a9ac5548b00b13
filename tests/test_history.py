"""History: real git repositories with dated commits (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pecoscheck.cli import app
from pecoscheck.history import analyze

EXAMPLE = Path(__file__).parent.parent / "examples" / "group-practice" / "profile.yaml"
AS_OF = date(2026, 12, 20)


def git(repo: Path, *args: str, day: str = "2026-11-30") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def commit(repo: Path, day: str, message: str) -> None:
    git(repo, "add", "-A", day=day)
    git(repo, "commit", "-q", "-m", message, day=day)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    shutil.copy(EXAMPLE, r / "group.yaml")
    edit(r / "group.yaml", "submitted_on: 2026-11-30", "submitted_on: 2026-09-01")
    commit(r, "2026-08-20", "prepare")
    return r


def changes_of(repo: Path, **kw: object) -> list[dict[str, object]]:
    run = analyze([repo / "group.yaml"], as_of=AS_OF, **kw)  # type: ignore[arg-type]
    assert len(run.profiles) == 1
    return [c.to_dict() for c in run.profiles[0].changes]


def test_ownership_change_after_submission_is_overdue(repo: Path) -> None:
    edit(repo / "group.yaml", "percent: 35", "percent: 45")
    edit(repo / "group.yaml", "percent: 25", "percent: 15")
    commit(repo, "2026-10-01", "shares moved")
    found = changes_of(repo)
    assert [c["part"] for c in found] == ["ownership", "ownership"]
    first = found[0]
    assert first["date"] == "2026-10-01" and first["window_days"] == 30 and first["due"] == "2026-10-31"
    assert first["status"] == "overdue" and first["window_rule"] == "CHG001"
    assert first["line"] is not None and first["path"].startswith("ownership[0]")


def test_recent_change_is_pending_and_a_changes_entry_covers(repo: Path) -> None:
    edit(repo / "group.yaml", "legal_name: Northstar Family Medicine, LLC", "legal_name: Northstar Health, LLC")
    commit(repo, "2026-12-10", "renamed the company")
    (c,) = changes_of(repo)
    assert (c["part"], c["status"], c["window_days"], c["due"]) == ("name", "pending", 90, "2027-03-10")
    edit(repo / "group.yaml", "changes:\n", "changes:\n  - {kind: name, effective_date: 2026-12-10}\n")
    commit(repo, "2026-12-11", "listed the change")
    (c,) = changes_of(repo)
    assert c["status"] == "covered" and str(c["covered_by"]).startswith("changes[0]")


@pytest.mark.parametrize(("old", "new", "part"), [
    ("line1: ", "line1: 9", "practice_location"),
    ("tin: 41-3958127", "tin: 41-3958128", "ownership"),
    ("title: Chief Manager", "title: Chief Executive", "officials"),
    ('routing_number: "091000022"', 'routing_number: "021000021"', "bank_account"),
    ("adverse_actions: []", "adverse_actions:\n  - {kind: exclusion, party: provider, date: 2026-11-20}",
     "adverse_action"),
    ("adverse_actions: []", "adverse_actions: []\nlicenses:\n  - {state: MN, number: X1, status: suspended}",
     "license"),
    ("adverse_actions: []", "adverse_actions: []\nreassignments:\n  - {group_npi: \"1234567893\"}", "reassignment"),
])
def test_each_kind(repo: Path, old: str, new: str, part: str) -> None:
    edit(repo / "group.yaml", old, new)
    commit(repo, "2026-12-01", "edit")
    found = {c["part"]: c for c in changes_of(repo)}
    assert part in found
    if part in ("adverse_action", "license"):  # a suspension is an adverse action: 30 days for a group
        assert found[part]["window_days"] == 30
    if part == "adverse_action":
        assert found[part]["date"] == "2026-11-20"  # the action's own date, not the commit's


def test_uncommitted_edit_counts_from_the_as_of_date(repo: Path) -> None:
    edit(repo / "group.yaml", "percent: 40", "percent: 41")
    (c,) = changes_of(repo)
    assert c["commit"] is None and c["date"] == AS_OF.isoformat() and c["status"] == "pending"


def test_later_submission_covers_with_since(repo: Path) -> None:
    edit(repo / "group.yaml", "percent: 40", "percent: 41")
    commit(repo, "2026-10-01", "owner")
    edit(repo / "group.yaml", "submitted_on: 2026-09-01", "submitted_on: 2026-10-05")
    commit(repo, "2026-10-05", "reported")
    assert changes_of(repo) == []  # the default baseline is now the October submission
    (c,) = changes_of(repo, since="2026-09-15")
    assert c["status"] == "covered" and c["covered_by"] == "the submission of 2026-10-05"


def test_rename_is_followed(repo: Path) -> None:
    git(repo, "mv", "group.yaml", "northstar.yaml")
    commit(repo, "2026-10-02", "rename")
    edit(repo / "northstar.yaml", "percent: 40", "percent: 41")
    commit(repo, "2026-10-03", "owner")
    run = analyze([repo / "northstar.yaml"], as_of=AS_OF)
    (p,) = run.profiles
    assert p.note is None and [c.part for c in p.changes] == ["ownership"]


def test_shallow_clone_says_how_to_fetch(repo: Path, tmp_path: Path) -> None:
    edit(repo / "group.yaml", "percent: 40", "percent: 41")
    commit(repo, "2026-10-03", "owner")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    (p,) = analyze([clone / "group.yaml"], as_of=AS_OF).profiles
    assert p.changes == [] and p.note is not None and "--unshallow" in p.note and "fetch-depth: 0" in p.note


def test_not_a_repository(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "p.yaml")
    (p,) = analyze([tmp_path / "p.yaml"], as_of=AS_OF).profiles
    assert p.changes == [] and p.note is not None and "not in a git repository" in p.note


def test_changes_command_json_and_exit_code(repo: Path) -> None:
    edit(repo / "group.yaml", "percent: 40", "percent: 41")
    commit(repo, "2026-10-01", "owner")
    result = CliRunner().invoke(app, ["changes", str(repo / "group.yaml"), "--as-of", AS_OF.isoformat(),
                                      "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["profiles"][0]["changes"][0]["status"] == "overdue"
    table = CliRunner().invoke(app, ["changes", str(repo / "group.yaml"), "--as-of", AS_OF.isoformat()])
    assert "overdue" in table.stdout and "2026-10-31" in table.stdout


def test_validate_history_findings_point_at_todays_line(repo: Path) -> None:
    edit(repo / "group.yaml", "percent: 40", "percent: 41")
    commit(repo, "2026-10-01", "owner")
    edit(repo / "group.yaml", "legal_name: Northstar Family Medicine, LLC", "legal_name: Northstar Health, LLC")
    commit(repo, "2026-12-10", "name")
    args = ["validate", str(repo / "group.yaml"), "--as-of", AS_OF.isoformat(), "--format", "json",
            "--select", "HIS"]
    plain = json.loads(CliRunner().invoke(app, args).stdout)
    assert plain["profiles"][0]["findings"] == []  # without --history the HIS rules do not run
    result = CliRunner().invoke(app, [*args, "--history"])
    found = {f["rule"]: f for f in json.loads(result.stdout)["profiles"][0]["findings"]}
    assert found["HIS002"]["severity"] == "error" and found["HIS002"]["path"] == "ownership[2].percent"
    line = (repo / "group.yaml").read_text().splitlines()[found["HIS002"]["line"] - 1]
    assert "percent: 41" in line
    assert found["HIS001"]["severity"] == "warning" and "2027-03-10" in found["HIS001"]["message"]
    assert result.exit_code == 1


def test_validate_history_from_config_and_note_outside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(EXAMPLE, tmp_path / "p.yaml")
    (tmp_path / "pecoscheck.toml").write_text("history = true\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", "p.yaml", "--format", "json", "--select", "HIS"])
    (f,) = json.loads(result.stdout)["profiles"][0]["findings"]
    assert f["rule"] == "HIS900" and "not in a git repository" in f["message"]


def test_deadlines_history_lists_pending_reports(repo: Path) -> None:
    edit(repo / "group.yaml", "legal_name: Northstar Family Medicine, LLC", "legal_name: Northstar Health, LLC")
    commit(repo, "2026-12-10", "name")
    args = ["deadlines", str(repo / "group.yaml"), "--as-of", AS_OF.isoformat(), "--format", "json",
            "--within", "120"]
    plain = CliRunner().invoke(app, args)
    assert "2027-03-10" not in plain.stdout
    result = CliRunner().invoke(app, [*args, "--history"])
    assert result.exit_code == 0, result.output
    assert "2027-03-10" in result.stdout and "from history" in result.stdout
