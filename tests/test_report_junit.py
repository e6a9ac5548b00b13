"""``--format junit``: one suite per profile, one case per finding, read as GitLab and action-junit-report do."""

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
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite, profile in zip(suites, report["profiles"], strict=True):
        cases = suite.findall("testcase")
        assert len(cases) == max(1, len(profile["findings"])), "one case per finding, one for a clean profile"
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
        skipped = [c.find("skipped") for c in cases if c.find("skipped") is not None]
        assert len(skipped) == len(others) == int(suite.get("skipped"))
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
    assert case.get("file") == "examples/not-ready/npi-check-digit.yaml" and case.get("line") == "9"
    assert not [c for c in suite.findall("testcase") if len(c) == 0]  # no passing case per rule checked


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
    assert first.get("failures") == "2" and first.get("tests") == "3" and first.get("skipped") == "1"
    assert [c.get("name") for c in clean.findall("testcase")] == ["pecoscheck: no finding (0 rules checked)"]
    assert root.get("tests") == "4" and root.get("failures") == "2" and root.get("errors") == "0"


# --- as the readers parse it ----------------------------------------------------------------------------


def gitlab_cases(xml: str) -> list[dict[str, str | None]]:
    """GitLab's JUnit parsing rules (docs "Unit test reports", JUnit XML format specification).

    Status comes from a ``failure``, ``error`` or ``skipped`` child, whose text is the detail shown;
    any other case is a success with no detail. ``file`` links the case to a file of the repository.
    """
    out: list[dict[str, str | None]] = []
    for case in ET.fromstring(xml).iter("testcase"):
        status, detail = "success", None
        for tag, name in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
            child = case.find(tag)
            if child is not None:
                status, detail = name, child.text or child.get("message")
                break
        out.append({"name": case.get("name"), "suite": case.get("classname"), "file": case.get("file"),
                    "status": status, "detail": detail})
    return out


def action_junit_report_annotations(xml: str) -> list[dict[str, object]]:
    """mikepenz/action-junit-report: file and line from the case's own attributes (suite's as fallback);
    a failure or error is a ``failure`` annotation, a skipped case a ``notice`` counted as skipped."""
    out: list[dict[str, object]] = []
    for suite in ET.fromstring(xml).iter("testsuite"):
        for case in suite.iter("testcase"):
            issue = case.find("failure") if case.find("failure") is not None else case.find("error")
            skipped = case.find("skipped") is not None
            file = case.get("file") or suite.get("file") or (case.get("classname") or "").split(".")[-1]
            line = int(case.get("line") or suite.get("line") or 1)
            level = "failure" if issue is not None and not skipped else "notice"
            message = ((issue if issue is not None else case.find("skipped")) or case).get("message") \
                if (issue is not None or skipped) else case.get("name")
            out.append({"file": file, "line": line, "level": level, "skipped": skipped, "message": message})
    return out


def test_gitlab_links_every_case_to_its_file_and_shows_warning_text() -> None:
    code, out = run("examples/not-ready", "--format", "junit")
    assert code == 1
    cases = gitlab_cases(out)
    assert cases and all(c["file"] == c["suite"] and str(c["file"]).endswith(".yaml") for c in cases)
    warned = [c for c in cases if c["status"] == "skipped"]
    assert warned, "the not-ready examples have warnings"
    assert all(" warning " in str(c["detail"]) or " info " in str(c["detail"]) for c in warned)
    assert all("fix:" in str(c["detail"]) for c in cases if c["status"] == "failed")


def test_action_junit_report_gets_the_finding_line_not_line_one() -> None:
    _, out = run("examples/not-ready", "--format", "junit")
    _, js = run("examples/not-ready", "--format", "json")
    findings = sorted((p["path"], f["line"] or 1) for p in json.loads(js)["profiles"] for f in p["findings"])
    annotations = action_junit_report_annotations(out)
    shown = sorted((str(a["file"]), int(str(a["line"])))
                   for a in annotations if a["level"] == "failure" or a["skipped"])
    assert shown == findings
    assert any(line != 1 for _, line in shown)


def test_strict_makes_warnings_failures() -> None:
    _, out = run("examples/not-ready", "--format", "junit", "--strict")
    cases = gitlab_cases(out)
    assert not [c for c in cases if c["status"] == "skipped" and " warning " in (c["detail"] or "")]


def test_case_count_grows_with_findings_not_with_rules(tmp_path: Path) -> None:
    for n in range(3):
        target = tmp_path / f"p{n}"
        target.mkdir()
        for item in (ROOT / "examples" / "solo-practitioner").iterdir():
            dest = target / item.name
            if item.is_dir():
                import shutil

                shutil.copytree(item, dest)
            else:
                dest.write_bytes(item.read_bytes())
    _, out = run(str(tmp_path), "--format", "junit", "--ignore", "DUP")  # copies share their NPI and license
    root = ET.fromstring(out)
    assert root.get("tests") == "3" and root.get("failures") == "0"  # one passing case per clean profile
