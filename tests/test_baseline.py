"""`validate --baseline` / `--write-baseline`: only what is new since the baseline, in every format."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from helpers import EXAMPLES
from pecoscheck.cli import app

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))
runner = CliRunner()


def _validate(*args: str) -> tuple[int, str]:
    r = runner.invoke(app, ["validate", "examples", "--as-of", "2026-11-26", *args])
    return r.exit_code, r.stdout + r.stderr


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the examples with a baseline of their findings written, one mistake then added."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    code, out = _validate("--write-baseline", "baseline.json", "-q")
    assert code == 1, out
    solo = tmp_path / "examples" / "solo-practitioner" / "profile.yaml"
    text = solo.read_text("utf-8")
    # the mistake (a wrong NPI check digit), plus edits elsewhere that move every line of the file
    solo.write_text("# reviewed 2026-11\n# by the credentialing team\n" + text.replace('npi: "1653828966"',
                                                                                     'npi: "1653828967"'), "utf-8")
    late = tmp_path / "examples" / "not-ready" / "expired-license.yaml"
    late.write_text("\n\n\n" + late.read_text("utf-8"), "utf-8")
    return tmp_path


def test_only_the_new_finding_is_shown(work: Path) -> None:
    code, out = _validate("--baseline", "baseline.json", "-f", "json")
    assert code == 1
    doc = json.loads(out)
    found = [(p["path"], f["rule"]) for p in doc["profiles"] for f in p["findings"]]
    assert found == [("examples/solo-practitioner/profile.yaml", "NPI003")]
    assert doc["baseline"] == {"file": "baseline.json", "new": 1, "unchanged": 40, "resolved": 0}
    assert doc["summary"]["error"] == 1  # spec/cli.md's keys stay as they were


def test_exit_status_follows_the_new_findings(work: Path) -> None:
    assert _validate("--write-baseline", "baseline.json", "-q")[0] == 1  # the mistake is in the baseline now
    code, out = _validate("--baseline", "baseline.json")
    assert code == 0
    assert "baseline baseline.json: 0 new, 41 still present, 0 resolved" in out


@pytest.mark.parametrize("fmt", ["text", "github", "junit", "html"])
def test_every_format_shows_only_the_new_finding(work: Path, fmt: str) -> None:
    code, out = _validate("--baseline", "baseline.json", "-f", fmt)
    assert code == 1
    assert "NPI003" in out
    if fmt == "junit":  # every rule checked is a test case: only one of them fails
        assert out.count("<failure") == 1 and 'name="NPI003' in out.split("<failure")[0].rsplit("<testcase", 1)[1]
        return
    for old in ("EFT001", "DOC014", "OWN007", "YML002"):
        assert old not in out, (fmt, old)


def test_sarif_marks_baseline_state(work: Path) -> None:
    fixed = work / "examples" / "not-ready" / "bad-routing-number.yaml"
    fixed.unlink()  # a whole profile gone is not "resolved": it was not checked
    eft = work / "examples" / "not-ready" / "eft-dba-account-holder.yaml"
    eft.write_text(eft.read_text("utf-8").replace("account_holder: Cascade PT",
                                                       'account_holder: "Cascade Physical Therapy, PLLC"'),
                   "utf-8")
    code, out = _validate("--baseline", "baseline.json", "-f", "sarif")
    log = json.loads(out)
    errors = list(jsonschema.Draft7Validator(SCHEMA).iter_errors(log))
    assert not errors, errors[0].message
    results = log["runs"][0]["results"]
    states = [(r["ruleId"], r["baselineState"]) for r in results]
    assert states.count(("NPI003", "new")) == 1 and sum(s == "new" for _, s in states) == 1
    assert [(rule, s) for rule, s in states if s == "absent"] == [("EFT004", "absent")]
    absent = next(r for r in results if r["baselineState"] == "absent")
    assert absent["kind"] == "pass" and absent["level"] == "none"
    assert sum(s == "unchanged" for _, s in states) == 38
    assert code == 1


@pytest.mark.parametrize("text", ["{broken", "[1, 2]",
                                  '{"format": "pecoscheck-baseline", "version": 7, "findings": []}',
                                  '{"format": "pecoscheck-baseline", "version": 1, "findings": [{"rule": 1}]}'])
def test_unusable_baseline_is_an_error_and_never_overwritten(work: Path, text: str) -> None:
    bad = work / "bad.json"
    bad.write_text(text, "utf-8")
    for args in (("--baseline", "bad.json"), ("--write-baseline", "bad.json")):
        code, out = _validate(*args)
        assert code == 2, out
        assert "bad.json" in out and "Traceback" not in out
        assert bad.read_text("utf-8") == text


def test_missing_baseline_is_an_error(work: Path) -> None:
    code, out = _validate("--baseline", "nowhere.json")
    assert code == 2 and "baseline not found: nowhere.json" in out


def test_library_keys_survive_moved_lines() -> None:
    from pecoscheck.baseline import Entry
    from pecoscheck.findings import Finding, Severity

    a = Finding("LIC002", Severity.WARNING, "license expires in 30 days", "licenses[0].expires", 10)
    b = Finding("LIC002", Severity.WARNING, "license expires in 29 days", "licenses[0].expires", 14)
    c = Finding("LIC002", Severity.WARNING, "license expires in 29 days", "licenses[1].expires", 14)
    assert Entry.of("p.yaml", a).key == Entry.of("p.yaml", b).key != Entry.of("p.yaml", c).key
    ssn = Finding("PII001", Severity.ERROR, "SSN 123-45-6789 in a note", "notes", 3)
    assert "6789" in Entry.of("p.yaml", ssn).message and "123-45" not in json.dumps(Entry.of("p.yaml", ssn).to_dict())
