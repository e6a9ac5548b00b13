"""`pecoscheck init --type` (issue 23): a starter per practitioner type and provider kind, the README's
nurse-practitioner walkthrough to READY, "did you mean", and the editor schema init writes (issues 23, 24)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import ROOT, check
from pecoscheck.cli import app
from pecoscheck.schema import profile_schema
from pecoscheck.starter import SAMPLE_NPI, TYPES

runner = CliRunner()
README = (ROOT / "README.md").read_text("utf-8")
# what a user types over the starter's samples (the NPIs and routing number are real-shaped, check digit valid)
FILLED = {
    "individual": {'"1234567893"': '"1680729906"', "Jane": "Priya", "Doe": "Raman"},
    "organization": {'"1234567893"': '"1699085266"', "Example Health LLC": "Sonoran Health LLC",
                     "Pat Smith": "Rafael Quintero", '"12-3456789"': '"86-1947230"'},
}


def invoke(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def fill(path: Path, kind: str) -> None:
    """Replace every sample value and REPLACE marker of a starter, and put a file at every document path."""
    text = path.read_text("utf-8")
    samples = {'"121000358"': '"122105155"', "Example Bank": "Idaho First Bank", "Example Health": "Sonoran Clinic",
               "A123456": "A98231", "A123457": "A98232", "A123458": "A98233"}
    for old, new in {**FILLED[kind], **samples}.items():
        text = text.replace(old, new)
    text = text.replace("# REPLACE", "# filled in")
    path.write_text(text, "utf-8")
    for doc in re.findall(r"file: (docs/[^,}\s]+)", text):
        (path.parent / doc).parent.mkdir(parents=True, exist_ok=True)
        (path.parent / doc).write_bytes(b"%PDF-1.7 specimen\n")


@pytest.mark.parametrize("type_id", sorted(TYPES))
def test_each_type_starter_is_marked_and_reaches_ready_once_filled(tmp_path: Path, type_id: str) -> None:
    t = TYPES[type_id]
    path = tmp_path / type_id / "profile.yaml"
    code, _out, err = invoke("init", str(path), "--type", type_id)
    assert code == 0, err
    text = path.read_text("utf-8")
    assert f'npi: "{SAMPLE_NPI}"' in text and "# REPLACE" in text  # recognisable samples, marked
    assert f"application: {t.application}" in text
    for license_type in t.licenses:
        assert f"type: {license_type}," in text
    for doc_type, _ in t.documents:
        assert f"type: {doc_type}," in text
    assert check(path).ready is False  # documents not collected yet
    fill(path, t.kind)
    result = check(path)
    assert result.ready, [(f.rule, f.message) for f in result.findings if f.severity == "error"]
    assert not [f for f in result.findings if f.severity == "warning"], result.findings


def test_readme_walkthrough_starts_a_nurse_practitioner_and_reaches_ready(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    section = README.split("### `schema` and `init`", 1)[1].split("\n### ", 1)[0]
    assert "pecoscheck init --type nurse_practitioner providers/priya-raman/profile.yaml" in section
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pecoscheck.toml").write_text("", "utf-8")
    path = Path("providers/priya-raman/profile.yaml")
    assert invoke("init", "--type", "nurse_practitioner", str(path))[0] == 0
    text = path.read_text("utf-8")
    assert "practitioner_type: nurse_practitioner" in text and "type: APRN-CNP" in text
    assert "type: national_certification" in text and "type: diploma" in text
    fill(path, "individual")
    code, out, _ = invoke("validate", str(path), "--as-of", "2026-11-26")
    assert code == 0 and "READY" in out


@pytest.mark.parametrize(("typed", "meant"), [("NP", "nurse_practitioner"), ("pa", "physician_assistant"),
                                              ("DME", "dmepos_supplier"), ("Nurse Practitioner", "nurse_practitioner")])
def test_aliases_and_spellings_choose_the_type(tmp_path: Path, typed: str, meant: str) -> None:
    path = tmp_path / "p.yaml"
    assert invoke("init", str(path), "--type", typed)[0] == 0
    assert meant in path.read_text("utf-8")


def test_a_mistyped_type_or_application_suggests_the_closest(tmp_path: Path) -> None:
    code, _, err = invoke("init", str(tmp_path / "p.yaml"), "--type", "nurse_practioner")
    assert code == 2 and "did you mean `nurse_practitioner`?" in err
    code, _, err = invoke("init", str(tmp_path / "p.yaml"), "--type", "group", "--application", "855x")
    assert code == 2 and "did you mean `CMS-855S`?" in err
    code, _, err = invoke("init", str(tmp_path / "p.yaml"), "--type", "np", "--kind", "organization")
    assert code == 2 and "is an individual" in err
    assert not list(tmp_path.iterdir())


def test_order_and_refer_only_starter_has_no_practice_location_or_bank(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    assert invoke("init", str(path), "--type", "np", "--application", "855o")[0] == 0
    text = path.read_text("utf-8")
    assert "application: CMS-855O" in text and "practice_locations" not in text and "bank_account" not in text
    fill(path, "individual")
    assert check(path).ready


def _schema_ref(profile: Path) -> Path:
    first = profile.read_text("utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    return (profile.parent / first.split("=", 1)[1]).resolve()


@pytest.mark.parametrize("marker", ["pecoscheck.toml", ".git", None])
def test_the_schema_line_points_at_the_current_schema_from_a_folder_per_provider(tmp_path: Path,
                                                                                 marker: str | None) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    if marker == ".git":
        (root / ".git").mkdir()
    elif marker:
        (root / marker).write_text("", "utf-8")
    profile = root / "providers" / "np" / "profile.yaml"
    assert invoke("init", str(profile), "--type", "np")[0] == 0
    target = _schema_ref(profile)
    expected_root = root if marker else profile.parent
    assert target == (expected_root / "profile.schema.json").resolve()
    assert json.loads(target.read_text("utf-8")) == profile_schema()


def test_an_outdated_schema_is_refreshed_and_a_foreign_one_kept(tmp_path: Path) -> None:
    (tmp_path / "pecoscheck.toml").write_text("", "utf-8")
    schema = tmp_path / "profile.schema.json"
    old = {**profile_schema(), "title": "an older pecoscheck schema"}
    schema.write_text(json.dumps(old), "utf-8")
    code, out, _ = invoke("init", str(tmp_path / "a" / "p.yaml"))
    assert code == 0 and "updated the editor schema" in out
    assert json.loads(schema.read_text("utf-8")) == profile_schema()
    schema.write_text('{"title": "someone else\'s"}', "utf-8")
    code, _, err = invoke("init", str(tmp_path / "b" / "p.yaml"))
    assert code == 0 and "not written by pecoscheck" in err
    assert "someone else" in schema.read_text("utf-8")


def test_schema_url_is_written_as_given_and_no_file_is_made(tmp_path: Path) -> None:
    url = "https://example.org/profile.schema.json"
    path = tmp_path / "p.yaml"
    assert invoke("init", str(path), "--schema-url", url)[0] == 0
    assert path.read_text("utf-8").splitlines()[0] == f"# yaml-language-server: $schema={url}"
    assert not (tmp_path / "profile.schema.json").exists()


def test_list_types_names_every_type() -> None:
    code, out, _ = invoke("init", "--list-types")
    assert code == 0 and all(t in out for t in TYPES)


def test_a_folder_gets_its_profile_yaml_and_is_never_overwritten(tmp_path: Path) -> None:
    code, out, _ = invoke("init", "--type", "NP", str(tmp_path / "providers" / "new-np"))
    assert code == 0 and (tmp_path / "providers" / "new-np" / "profile.yaml").is_file(), out
    existing = tmp_path / "providers" / "old-np"
    existing.mkdir()
    code, _, _ = invoke("init", "--type", "NP", str(existing), "--force")
    assert code == 0 and (existing / "profile.yaml").is_file() and existing.is_dir()
    code, _, err = invoke("init", "--type", "NP", str(existing))
    assert code == 2 and "already exists" in err
