"""``--format junit``: one suite per profile, one case per rule checked, failures for error findings."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import AS_OF, ROOT
from pecoscheck.cli import app


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", *args, "--as-of", AS_OF.isoformat(), "--jobs", "1"])
    return result.exit_code, result.stdout


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_one_suite_per_profile_with_counts_matching_the_json_report() -> None:
    code, out = run("examples", "examples/not-ready", "--format", "junit")
    _, js = run("examples", "examples/not-ready", "--format", "json")
    assert code == 1
    report = json.loads(js)
    root = ET.fromstring(out)
    assert root.tag == "testsuites" and root.get("name") == "pecoscheck"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [p["path"] for p in report["profiles"]]
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite, profile in zip(suites, report["profiles"], strict=True):
        cases = suite.findall("testcase")
        assert cases, "a clean profile still has passing cases"
        assert int(suite.get("tests")) == len(cases)
        failures = [c.find("failure") for c in cases if c.find("failure") is not None]
        errors = [c.find("error") for c in cases if c.find("error") is not None]
        assert int(suite.get("failures")) == len(failures)
        assert int(suite.get("errors")) == len(errors)
        error_findings = [f for f in profile["findings"] if f["severity"] == "error"]
        assert len(failures) + len(errors) == len(error_findings)
        assert all(e.get("type").startswith("YML") for e in errors)
        assert all(not f.get("type").startswith("YML") for f in failures)
        others = [f for f in profile["findings"] if f["severity"] != "error"]
        outs = [c.find("system-out") for c in cases if c.find("system-out") is not None]
        assert len(outs) == len(others)
        names = [c.get("name") for c in cases]
        assert len(names) == len(set(names)), "GitLab drops test cases with duplicate names"
        assert {c.get("classname") for c in cases} == {profile["path"]}
        if profile["ready"]:
            assert not failures and not errors
        for key in totals:
            totals[key] += int(suite.get(key))
    assert {k: int(root.get(k)) for k in totals} == totals


def test_failure_carries_message_and_body_with_place_and_fix() -> None:
    _, out = run("examples/not-ready/npi-check-digit.yaml", "--format", "junit")
    suite = ET.fromstring(out).find("testsuite")
    failure = suite.find("testcase/failure")
    case = suite.find("testcase[failure]")
    assert failure.get("type") == "NPI003"
    assert "check digit" in failure.get("message")
    assert failure.text.startswith("examples/not-ready/npi-check-digit.yaml:9:8: error NPI003 ")
    assert "\nfix: " in failure.text
    assert case.get("name") == "NPI003 provider.npi (9:8)"
    # the rules that found nothing are passing cases
    passing = [c for c in suite.findall("testcase") if len(c) == 0]
    assert passing and all(c.get("name").split()[0] != "NPI003" for c in passing)


def test_parse_errors_are_errors_and_nothing_else_is_claimed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.yaml").write_text("provider: [\n", "utf-8")
    (tmp_path / "binary.yaml").write_bytes(b"\x00\x01\x02")
    code, out = run(".", "--format", "junit")
    assert code == 1
    root = ET.fromstring(out)
    for suite in root.findall("testsuite"):
        assert suite.get("errors") == "1" and suite.get("failures") == "0"
        (case,) = suite.findall("testcase")
        assert case.find("error").get("type") in ("YML001", "YML006")


def test_duplicate_places_get_distinct_names_and_text_is_xml_safe() -> None:
    from pecoscheck.findings import Finding, ProfileResult, Report, Severity
    from pecoscheck.reporters import RenderContext
    from pecoscheck.reporters.junit import render

    findings = [Finding("DOC001", Severity.ERROR, "missing \x07file", "documents[0]", 5, 3),
                Finding("DOC001", Severity.ERROR, "and another 12-3456789", "documents[0]", 5, 3),
                Finding("DOC002", Severity.WARNING, "expires soon", "", None, None)]
    report = Report(as_of=AS_OF, profiles=[ProfileResult(path="a.yaml", findings=findings),
                                          ProfileResult(path="clean.yaml")])
    root = ET.fromstring(render(report, RenderContext()))
    first, clean = root.findall("testsuite")
    names = [c.get("name") for c in first.findall("testcase")]
    assert names == ["DOC001 documents[0] (5:3)", "DOC001 documents[0] (5:3) #2", "DOC002 (file)"]
    assert "12-***6789" in ET.tostring(first, encoding="unicode")
    assert first.get("failures") == "2" and first.get("tests") == "3"
    assert [c.get("name") for c in clean.findall("testcase")] == ["pecoscheck"]
    assert root.get("tests") == "4" and root.get("failures") == "2" and root.get("errors") == "0"
