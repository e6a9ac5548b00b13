"""``--format github``: one workflow command per finding, toolkit escaping, and the step summary."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import AS_OF, ROOT
from pecoscheck.cli import app
from pecoscheck.findings import Finding, ProfileResult, Report, Severity, count_phrase
from pecoscheck.reporters import RenderContext
from pecoscheck.reporters.github import command, escape_data, escape_property, render

COMMAND_RE = re.compile(r"^::(error|warning|notice) file=([^,:]+)(?:,line=(\d+))?(?:,col=(\d+))?"
                        r"(?:,endLine=(\d+),endColumn=(\d+))?,title=(\w+)::(.*)$")


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner(env=env).invoke(app, ["validate", *args, "--as-of", AS_OF.isoformat(), "--jobs", "1"])
    return result.exit_code, result.stdout


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_one_command_per_finding_then_a_summary_line(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", "utf-8")
    code, out = run("examples", "examples/not-ready", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    _, js = run("examples", "examples/not-ready", "--format", "json")
    assert code == 1
    report = json.loads(js)
    expected = [(p["path"], f) for p in report["profiles"] for f in p["findings"]]
    lines = out.splitlines()
    commands = [ln for ln in lines if ln.startswith("::")]
    assert len(commands) == len(expected) > 0
    level = {"error": "error", "warning": "warning", "info": "notice"}
    for line, (path, f) in zip(commands, expected, strict=True):
        m = COMMAND_RE.match(line)
        assert m, line
        assert m.group(1) == level[f["severity"]]
        assert m.group(2) == path
        assert m.group(3) == (str(f["line"]) if f["line"] is not None else None)
        assert m.group(4) == (str(f["column"]) if f["line"] is not None and f["column"] is not None else None)
        if m.group(4) is not None:  # the end of the value, as the SARIF region has it (same line)
            assert m.group(5) == m.group(3) and int(m.group(6)) > int(m.group(4))
        assert m.group(7) == f["rule"]
        assert m.group(8).startswith(escape_data(f["message"]))
    s = report["summary"]
    assert lines[len(commands)] == (f"pecoscheck: {s['ready']} of {s['profiles']} profiles ready; "
                                    f"{count_phrase(s)} (as of {AS_OF})")
    md = summary.read_text("utf-8")
    assert md.startswith("# earlier step\n## pecoscheck: "), "the summary is appended, not overwritten"
    assert "| profile | verdict | errors | warnings | notes |" in md
    assert "`examples/not-ready/npi-check-digit.yaml` | ❌ not ready | 1 |" in md
    findings = md.split("### Findings", 1)[1].split("###", 1)[0]
    assert "| `examples/not-ready/npi-check-digit.yaml:9` | error | `NPI003` |" in findings
    assert sum(ln.startswith("| `examples/") for ln in findings.splitlines()) == min(len(expected), 200)
    counts: dict[tuple[str, str], int] = {}
    for _, f in expected:
        counts[(f["rule"], f["severity"])] = counts.get((f["rule"], f["severity"]), 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))[:10]
    rows = [ln for ln in md.split("### Top rules", 1)[1].splitlines() if ln.startswith("| `")]
    assert [tuple(c.strip(" `") for c in row.split("|")[1:4]) for row in rows] == [
        (rule, sev, str(n)) for (rule, sev), n in top]


def test_toolkit_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"
    f = Finding("SCH003", Severity.WARNING, "value `a,b: 100%`\nsecond line", "x", 3, None, "")
    line = command(ProfileResult(path="dir,with:odd/p.yaml"), f)
    assert line == "::warning file=dir%2Cwith%3Aodd/p.yaml,line=3,title=SCH003::value `a,b: 100%25`%0Asecond line"
    assert "\n" not in line


def test_whole_file_findings_have_no_line_and_identifiers_are_masked() -> None:
    f = Finding("TIN001", Severity.INFO, "TIN 12-3456789", "", None, None, "use the EIN 98-7654321")
    assert command(ProfileResult(path="p.yaml"), f) == (
        "::notice file=p.yaml,title=TIN001::TIN 12-***6789%0Afix: use the EIN 98-***4321")


def test_many_findings_note_the_annotation_limit_and_big_runs_list_only_problems(tmp_path: Path) -> None:
    profiles = [ProfileResult(path=f"p{i:03}.yaml") for i in range(60)]
    profiles[7].findings = [Finding("NPI003", Severity.ERROR, f"bad {j}", "provider.npi", j + 1, 8)
                            for j in range(12)]
    summary = tmp_path / "s.md"
    out = render(Report(as_of=AS_OF, profiles=profiles),
                 RenderContext(extra={"github_step_summary": str(summary)}))
    assert "at most 10 annotations" in out
    md = summary.read_text("utf-8")
    assert "`p007.yaml` | ❌ not ready | 12 |" in md and "`p008.yaml`" not in md
    assert "Not listed: 59 ready profiles." in md


def test_no_step_summary_without_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run(str(ROOT / "examples" / "solo-practitioner"), "--format", "github")
    assert code == 0
    assert out.splitlines() == ["pecoscheck: 1 of 1 profile ready; 0 errors, 0 warnings, 0 notes (as of "
                                f"{AS_OF})"]
    assert list(tmp_path.iterdir()) == []


def test_github_is_the_default_format_under_github_actions() -> None:
    code, out = run("examples/not-ready/npi-check-digit.yaml", env={"GITHUB_ACTIONS": "true"})
    assert code == 1
    assert out.startswith("::error file=examples/not-ready/npi-check-digit.yaml,line=9,col=8,endLine=9,endColumn=20,"
                          "title=NPI003::")
