"""Checks across profiles (DUP001-DUP003): the same NPI, license or PTAN in two profiles of one run."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from helpers import EXAMPLES, line_of, make_profile
from pecoscheck.cli import app

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-26"]
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def _run(*args: str) -> tuple[int, Any, str]:
    r = runner.invoke(app, ["validate", *args, *AS_OF])
    try:
        return r.exit_code, json.loads(r.stdout), r.stderr
    except json.JSONDecodeError:
        return r.exit_code, r.stdout, r.stderr


def _copies(tmp_path: Path) -> tuple[Path, Path]:
    return make_profile(tmp_path / "ana", "solo-practitioner"), make_profile(tmp_path / "bea", "solo-practitioner")


def test_a_copied_profile_is_flagged_with_both_places(tmp_path: Path) -> None:
    a, b = _copies(tmp_path)
    code, doc, _ = _run(str(tmp_path), "-f", "json")
    assert code == 1 and doc["summary"]["ready"] == 2 and doc["summary"]["across_profiles"] == 2
    by_rule = {c["rule"]: c for c in doc["across_profiles"]}
    assert set(by_rule) == {"DUP001", "DUP002"}
    npi = by_rule["DUP001"]
    assert npi["severity"] == "error" and npi["message"].startswith("NPI 1653828966 is in 2 profiles: ")
    assert [Path(p["path"]).resolve() for p in npi["profiles"]] == [a.resolve(), b.resolve()]
    assert [p["line"] for p in npi["profiles"]] == [line_of(a, "npi:"), line_of(b, "npi:")]
    assert by_rule["DUP002"]["message"].startswith("license CA A178452 is in 2 profiles")


def test_text_lists_them_after_the_profiles_and_in_the_summary(tmp_path: Path) -> None:
    _copies(tmp_path)
    code, out, _ = _run(str(tmp_path))
    lines = out.splitlines()
    start = lines.index("Across profiles:")
    assert code == 1 and "DUP001" in lines[start + 1] and "DUP002" in lines[start + 4]
    assert lines[-1].endswith("; 2 problems across profiles")


def test_github_annotates_each_place(tmp_path: Path) -> None:
    _copies(tmp_path)
    _, out, _ = _run(str(tmp_path), "-f", "github")
    annotations = [ln for ln in out.splitlines() if ln.startswith("::error") and "title=DUP001" in ln]
    assert len(annotations) == 2 and {"ana" in annotations[0], "bea" in annotations[1]} == {True}


def test_distinct_profiles_and_a_groups_member_npis_pass() -> None:
    code, doc, _ = _run(str(EXAMPLES), "-f", "json")
    assert code == 0 and "across_profiles" not in doc


def test_a_shared_ptan_is_a_warning(tmp_path: Path) -> None:
    make_profile(tmp_path / "grp", "group-practice")
    make_profile(tmp_path / "solo", "solo-practitioner", replace={
        "  medicare:\n    status: not_enrolled\n": "  medicare:\n    status: not_enrolled\n    ptan: \"n418275\"\n"})
    code, doc, _ = _run(str(tmp_path), "-f", "json")
    assert [(c["rule"], c["severity"]) for c in doc.get("across_profiles", [])] == [("DUP003", "warning")]
    assert code == 0
    assert _run(str(tmp_path), "-f", "json", "--strict")[0] == 1
    assert _run(str(tmp_path), "--strict", "-q")[0] == 1
    import xml.etree.ElementTree as ET

    for strict, tag in (([], "skipped"), (["--strict"], "failure")):
        _, junit, _ = _run(str(tmp_path), "-f", "junit", *strict)
        suite = next(s for s in ET.fromstring(junit).iter("testsuite") if s.get("name") == "across profiles")
        assert [child.tag for case in suite for child in case] == [tag], strict


def test_selection_parallel_runs_and_the_cache(tmp_path: Path) -> None:
    _copies(tmp_path)
    code, doc, _ = _run(str(tmp_path), "-f", "json", "--ignore", "DUP001")
    assert [c["rule"] for c in doc["across_profiles"]] == ["DUP002"]
    first = _run(str(tmp_path), "-f", "json", "--jobs", "2")
    cached = _run(str(tmp_path), "-f", "json", "--jobs", "2")
    fresh = _run(str(tmp_path), "-f", "json", "--no-cache", "--jobs", "1")
    assert first[1]["across_profiles"] == cached[1]["across_profiles"] == fresh[1]["across_profiles"]
    code, _, _ = _run(str(tmp_path), "-f", "json", "--ignore", "DUP")
    assert code == 0


def test_a_baseline_holds_them(tmp_path: Path) -> None:
    _copies(tmp_path)
    base = tmp_path / "baseline.json"
    assert _run(str(tmp_path), "--write-baseline", str(base), "-q")[0] == 1
    assert {e["rule"] for e in json.loads(base.read_text())["findings"]} >= {"DUP001", "DUP002"}
    code, out, _ = _run(str(tmp_path), "--baseline", str(base))
    assert code == 0 and "Across profiles" not in out, out
    assert "0 new, 2 still present, 0 resolved" in out


def test_sarif_junit_and_html_report_them(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    import jsonschema

    a, b = _copies(tmp_path)
    code, sarif, _ = _run(str(tmp_path), "-f", "sarif")
    assert code == 1
    run = sarif["runs"][0]
    dup = [r for r in run["results"] if r["ruleId"] == "DUP001"]
    assert len(dup) == 1 and dup[0]["level"] == "error"
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules[dup[0]["ruleIndex"]] == "DUP001" and rules == sorted(rules)
    first = dup[0]["locations"][0]["physicalLocation"]
    other = dup[0]["relatedLocations"][0]["physicalLocation"]
    assert first["artifactLocation"]["uri"] == a.resolve().as_uri()
    assert other["artifactLocation"]["uri"] == b.resolve().as_uri()
    assert list(jsonschema.Draft7Validator(SARIF_SCHEMA).iter_errors(sarif)) == []
    assert first["region"]["startLine"] == line_of(a, "npi:") and other["region"]["startLine"] == line_of(b, "npi:")

    code, xml, _ = _run(str(tmp_path), "-f", "junit")
    suite = next(s for s in ET.fromstring(xml) if s.get("name") == "across profiles")
    assert suite.get("tests") == "2" and suite.get("failures") == "2"
    case = suite.find("testcase")
    assert case is not None and case.get("name") == "DUP001 #1" and case.get("line") == str(line_of(a, "npi:"))
    failure = case.find("failure")
    assert failure is not None and "bea" in (failure.text or "")

    code, html, _ = _run(str(tmp_path), "-f", "html")
    section = html.split('<h2 id="cross-h">Across profiles</h2>', 1)[1].split("</section>", 1)[0]
    assert "DUP001" in section and "DUP002" in section and section.count("profile.yaml:") == 4


def test_an_inline_comment_leaves_a_known_share_out(tmp_path: Path) -> None:
    make_profile(tmp_path / "ana", "solo-practitioner")
    make_profile(tmp_path / "bea", "solo-practitioner", replace={
        '  npi: "1653828966"\n': '  npi: "1653828966"  # pecoscheck: ignore[DUP001] second MAC enrollment\n'})
    for extra in ([], ["--jobs", "2"], ["--no-cache"]):
        code, doc, _ = _run(str(tmp_path), "-f", "json", *extra)
        assert code == 1 and [c["rule"] for c in doc["across_profiles"]] == ["DUP002"], extra
        rules = {f["rule"] for p in doc["profiles"] for f in p["findings"]}
        assert "SUP002" not in rules and "SUP001" not in rules
    make_profile(tmp_path / "bea", "solo-practitioner", replace={
        '  npi: "1653828966"\n': '  npi: "1653828966"  # pecoscheck: ignore[DUP001]\n'})
    _, doc, _ = _run(str(tmp_path), "-f", "json")
    assert "DUP001" in [c["rule"] for c in doc["across_profiles"]]
    assert "SUP001" in {f["rule"] for p in doc["profiles"] for f in p["findings"]}


def test_the_collector_keeps_every_place_and_ignores_a_repeat_inside_one_profile() -> None:
    from pecoscheck.duplicates import Collector

    c = Collector()
    c.add("a.yaml", [("license", "CA A1", 30), ("license", "CA A1", 40), ("npi", "1653828966", 9)])
    c.add("b.yaml", [("npi", "1653828966", None), ("ptan", "X1", 12)])
    c.add("c.yaml", [("npi", "1653828966", 7), ("license", "NV A1", 30)])
    found = list(c.findings())
    assert [(f.rule, f.places) for f in found] == [
        ("DUP001", (("a.yaml", 9), ("b.yaml", None), ("c.yaml", 7)))]
    assert found[0].message == "NPI 1653828966 is in 3 profiles: a.yaml, b.yaml, c.yaml"


def test_a_run_works_its_findings_out_once_after_the_last_profile(tmp_path: Path) -> None:
    """Summary, exit status and the report read them: one pass over the collector, after the last profile."""
    from pecoscheck.duplicates import Collector
    from pecoscheck.engine import Options, run_paths

    _copies(tmp_path)
    calls: list[int] = []

    class Counting(Collector):
        def findings(self):  # type: ignore[no-untyped-def]
            calls.append(1)
            return super().findings()

    run = run_paths([tmp_path], Options(as_of=date(2026, 11, 26)), jobs=1)
    assert run.collector is not None
    run.collector = Counting(run.collector.enabled)
    assert [p.path for p in run] and calls == [1]
    assert [c.rule for c in run.cross] == ["DUP001", "DUP002"] and run.summary["across_profiles"] == 2
    assert not run.ready and calls == [1]
