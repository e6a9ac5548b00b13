"""The command line contract of spec/cli.md: commands, exit codes, JSON output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from helpers import EXAMPLES, ROOT, line_of, make_profile
from pecoscheck import __version__
from pecoscheck.cli import app

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-26"]


def invoke(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert (code, out) == (0, f"pecoscheck {__version__}\n")


def test_python_dash_m_is_the_same_program() -> None:
    r = subprocess.run([sys.executable, "-m", "pecoscheck", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == f"pecoscheck {__version__}\n"
    r = subprocess.run([sys.executable, "-m", "pecoscheck", "npi", "check", "1234567890"],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "expected 3" in r.stdout


def test_examples_are_ready() -> None:
    code, out, _ = invoke("validate", *[str(p) for p in sorted(EXAMPLES.glob("*/profile.yaml"))], *AS_OF)
    assert code == 0, out
    assert "READY" in out and "NOT READY" not in out


def test_json_report_field_by_field(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner")
    text = path.read_text("utf-8")
    import re

    npi = re.search(r'npi: "?(\d{10})"?', text)
    assert npi
    bad = npi.group(1)[:9] + str((int(npi.group(1)[9]) + 1) % 10)
    path.write_text(text.replace(npi.group(1), bad, 1), "utf-8")
    code, out, err = invoke("validate", str(path), "--format", "json", *AS_OF, "--select", "NPI")
    assert code == 1, err
    doc = json.loads(out)
    assert list(doc) == ["tool", "as_of", "profiles", "summary"]
    assert doc["tool"] == {"name": "pecoscheck", "version": __version__}
    assert doc["as_of"] == "2026-11-26"
    [profile] = doc["profiles"]
    assert list(profile) == ["path", "ready", "counts", "findings"]
    assert profile["path"].endswith("case/profile.yaml")
    assert profile["ready"] is False
    assert profile["counts"] == {"error": 1, "warning": 0, "info": 0}
    [finding] = profile["findings"]
    assert list(finding) == ["rule", "severity", "message", "path", "line", "column", "hint"]
    assert finding["rule"] == "NPI003"
    assert finding["severity"] == "error"
    assert finding["message"] == f"NPI {bad} fails the check digit (expected {npi.group(1)[9]})"
    assert finding["path"] == "provider.npi"
    assert finding["line"] == line_of(path, bad)
    assert finding["column"] == text.splitlines()[finding["line"] - 1].index("npi:") + 6
    assert finding["hint"].startswith("Copy the NPI")
    assert doc["summary"] == {"profiles": 1, "ready": 0, "not_ready": 1, "error": 1, "warning": 0, "info": 0}


def test_strict_makes_warnings_count(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text((ROOT / "examples/solo-practitioner/profile.yaml").read_text("utf-8"), "utf-8")
    from pecoscheck.engine import Options, check_file
    from pecoscheck.findings import Finding, Severity

    result = check_file(path, Options(strict=True))
    result.findings = [Finding("X001", Severity.WARNING, "w")]
    assert not result.ready
    result.strict = False
    assert result.ready


def test_output_file_and_quiet(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    code, stdout, _ = invoke("validate", str(EXAMPLES / "solo-practitioner"), "-f", "json", "-o", str(out), *AS_OF)
    assert code == 0 and stdout == ""
    assert json.loads(out.read_text())["summary"]["ready"] == 1
    assert not list(tmp_path.glob(".report.json.*"))
    code, stdout, _ = invoke("validate", str(EXAMPLES / "solo-practitioner"), "--quiet", *AS_OF)
    assert code == 0 and stdout.strip().splitlines() == ["1 of 1 profile ready; 0 errors, 0 warnings, 0 notes "
                                                         "(as of 2026-11-26)"]


def test_text_report_groups_findings_with_place_and_fix(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", replace={"\nlicenses:": "\nlicences:"})
    code, out, _ = invoke("validate", str(path), *AS_OF)
    assert code == 1
    line = line_of(path, "licences:")
    assert f"profile.yaml:{line}:1" in out
    assert "NOT READY" in out and "SCH001" in out and "did you mean `licenses`" in out
    assert "fix: Rename `licences` to `licenses`." in out
    assert "\x1b[" not in out


def test_text_report_is_compact_and_counts_in_good_english(tmp_path: Path) -> None:
    bad = make_profile(tmp_path / "bad", "solo-practitioner", replace={"\nlicenses:": "\nlicences:"})
    code, out, _ = invoke("validate", str(EXAMPLES / "group-practice"), str(EXAMPLES / "solo-practitioner"),
                          str(bad), str(EXAMPLES / "reassigning-np"), *AS_OF)
    lines = out.splitlines()
    assert code == 1
    ready = [i for i, x in enumerate(lines) if "  READY  " in x]
    assert len(ready) == 3 and ready[1] == ready[0] + 1, "no blank line between READY lines"
    head = next(i for i, x in enumerate(lines) if "NOT READY" in x)
    assert lines[head - 1] == "" and "(1 error, 0 warnings, 1 note)" in lines[head]
    block_end = next(i for i in range(head + 1, len(lines)) if lines[i] == "")
    assert "  READY  " in lines[block_end + 1], "one blank line closes a block with findings"
    assert lines[-2] == "" and lines[-1].startswith("3 of 4 profiles ready; 1 error, 0 warnings, 1 note ")
    assert "1 errors" not in out and "1 warnings" not in out


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, _, err = invoke("validate", str(tmp_path / "missing.yaml"))
    assert code == 2 and "no such file or folder" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = invoke("validate", str(empty))
    assert code == 2 and "no profiles" in err
    code, _, err = invoke("validate", str(EXAMPLES / "solo-practitioner"), "--as-of", "26/11/2026")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = invoke("validate", str(EXAMPLES / "solo-practitioner"), "--format", "yaml")
    assert code == 2 and "unknown format" in err
    code, _, err = invoke("validate", str(EXAMPLES / "solo-practitioner"), "--select", "NOPE")
    assert code == 2 and "unknown rule" in err


def test_syntax_error_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nprovider: [unclosed\n", "utf-8")
    code, out, err = invoke("validate", str(bad), "-f", "json")
    assert code == 1 and "Traceback" not in out + err
    assert json.loads(out)["profiles"][0]["findings"][0]["rule"] == "YML001"


def test_schema_is_json_schema() -> None:
    code, out, _ = invoke("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["required"]) >= {"schema_version", "provider", "enrollment", "identity_access"}
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(schema)


def test_init_writes_a_profile_that_validates_apart_from_placeholders(tmp_path: Path) -> None:
    for kind in ("individual", "organization"):
        path = tmp_path / kind / "profile.yaml"
        path.parent.mkdir()
        code, out, _ = invoke("init", str(path), "--kind", kind)
        assert code == 0 and "REPLACE" in path.read_text()
        assert path.read_text().startswith("# yaml-language-server: $schema=")
        code, out, _ = invoke("validate", str(path), "-f", "json", *AS_OF)
        findings = json.loads(out)["profiles"][0]["findings"]
        assert not [f for f in findings if f["rule"].startswith(("YML", "SCH"))], findings
        placeholder_rules = {f["rule"] for f in findings if f["severity"] == "error"}
        assert all(r.startswith(("DOC", "PLH")) for r in placeholder_rules), findings  # the documents to collect
        code, _, err = invoke("init", str(path))
        assert code == 2 and "already exists" in err


def test_npi_check_offline() -> None:
    code, out, _ = invoke("npi", "check", "1234567893", "1437187390", "12345")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "1234567893  valid" and lines[1] == "1437187390  valid"
    assert "not exactly 10 digits" in lines[2]
    code, out, _ = invoke("npi", "check", "1234567893", "--format", "json")
    assert code == 0 and json.loads(out) == [{"npi": "1234567893", "valid": True, "rule": None, "reason": None}]


def test_rules_list_and_explain() -> None:
    code, out, _ = invoke("rules", "list", "--format", "json")
    assert code == 0
    ids = {r["id"] for r in json.loads(out)}
    assert {"NPI001", "NPI002", "NPI003", "YML002", "SCH001"} <= ids
    code, out, _ = invoke("rules", "explain", "npi003")
    assert code == 0 and "80840" in out and "Source" in out and "Fails" in out
    code, _, _err = invoke("rules", "explain", "XYZ999")
    assert code == 2


def test_internal_error_is_one_line(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pecoscheck.engine as engine

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(engine, "run_paths", boom)
    from pecoscheck.cli import run

    monkeypatch.setattr(sys, "argv", ["pecoscheck", "validate", str(EXAMPLES / "solo-practitioner")])
    import pytest

    with pytest.raises(SystemExit) as exc:
        run()
    assert exc.value.code == 2
