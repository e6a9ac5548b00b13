"""Reports are written as profiles are checked, and no reporter but HTML holds the profiles of a run.

Each streaming reporter's text is compared with a reference that encodes the whole document at once,
so writing as we go changes nothing a reader of the report can see.
"""

from __future__ import annotations

import gc
import io
import json
import subprocess
import sys
import weakref
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import AS_OF, EXAMPLES, ROOT
from pecoscheck import reporters
from pecoscheck.engine import Options, RuleSet, check_file, discover, iter_results, run_paths, validate_paths
from pecoscheck.findings import Finding, ProfileResult, Report, Run, Severity, Tally
from pecoscheck.reporters import RenderContext, junit, sarif
from pecoscheck.reporters import json as json_reporter
from profilegen import generate

STREAMING = ("text", "json", "github", "sarif", "junit")


@pytest.fixture(scope="module")
def results() -> list[ProfileResult]:
    files = discover([EXAMPLES / "not-ready", EXAMPLES / "solo-practitioner", ROOT / "tests" / "corpus"])
    options = Options(as_of=AS_OF)
    ruleset = RuleSet.build(options)
    return [check_file(f, options, ruleset) for f in files]


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _ctx() -> RenderContext:
    return RenderContext(registry=RuleSet.build(Options()).registry, statistics=True)


def test_the_tally_agrees_with_the_profiles(results: list[ProfileResult]) -> None:
    warned = [ProfileResult("w.yaml", [Finding("LIC004", Severity.WARNING, "expires soon")]), ProfileResult("c.yaml")]
    strict = [ProfileResult(p.path, p.findings, strict=True) for p in [*results, *warned]]
    for rs in (results, warned, strict):
        tally = Tally.of(rs)
        assert tally.profiles == len(rs) and tally.ready == sum(p.ready for p in rs)
        assert tally.counts == {s: sum(p.counts[s] for p in rs) for s in ("error", "warning", "info")}
        assert sum(tally.by_rule.values()) == sum(len(p.findings) for p in rs)
    assert Tally.of(warned).ready == 2 and Tally.of(strict[-2:]).ready == 1


def test_a_run_is_counted_as_it_is_read(results: list[ProfileResult]) -> None:
    run = Run(AS_OF, iter(results[:3]), {"nppes": "timed out"})
    assert run.registry_unavailable and run.summary["profiles"] == 0
    assert [p.path for p in run] == [p.path for p in results[:3]]
    assert run.summary == Report(AS_OF, results[:3]).summary
    assert run.ready == Report(AS_OF, results[:3]).ready


def test_json_is_the_whole_document_encoded_at_once(results: list[ProfileResult]) -> None:
    for profiles, unavailable in ((results, {}), ([], {}), (results[:1], {"nppes": "HTTP 503"})):
        report = Report(AS_OF, profiles, unavailable)
        expected = json.dumps(json_reporter.as_dict(report), indent=2, ensure_ascii=False) + "\n"
        assert json_reporter.render(report, _ctx()) == expected


def _junit_whole_tree(report: Report, ctx: RenderContext) -> str:
    root = ET.Element("testsuites", name="pecoscheck")
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for p in report.profiles:
        suite, counts = junit._suite(p, ctx)
        root.append(suite)
        for key in totals:
            totals[key] += counts[key]
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@pytest.mark.parametrize("spool", [4 << 20, 64], ids=["in-memory", "spilled-to-disk"])
def test_junit_is_the_whole_tree_serialised_at_once(results: list[ProfileResult], spool: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(junit, "_SPOOL_IN_MEMORY", spool)
    for profiles in (results, [], results[:1]):
        report = Report(AS_OF, profiles)
        assert junit.render(report, _ctx()) == _junit_whole_tree(report, _ctx())


@pytest.mark.parametrize("spool", [4 << 20, 64], ids=["in-memory", "spilled-to-disk"])
def test_sarif_is_its_own_data_encoded_at_once(results: list[ProfileResult], spool: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif, "_SPOOL_IN_MEMORY", spool)
    for profiles in (results, [], results[-1:]):
        text = sarif.render(Report(AS_OF, profiles), _ctx())
        data = json.loads(text)
        assert text == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        run_ = data["runs"][0]
        ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
        assert ids == sorted(set(ids))
        for result in run_["results"]:
            assert ids[result["ruleIndex"]] == result["ruleId"]


def test_sarif_renumbers_rules_first_seen_out_of_order() -> None:
    late = ProfileResult("b.yaml", [Finding("ZZZ900", Severity.ERROR, "late in the alphabet", "x", 2, 3)],
                         rules_checked=("ZZZ900",))
    early = ProfileResult("a.yaml", [Finding("AAA100", Severity.WARNING, "early", "y", 1, 1),
                                     Finding("ZZZ900", Severity.ERROR, "again", "x", 4, 1)],
                          rules_checked=("ZZZ900", "AAA100"))
    data = sarif.as_dict(Report(AS_OF, [late, early]), RenderContext())
    run_ = data["runs"][0]
    assert [r["id"] for r in run_["tool"]["driver"]["rules"]] == ["AAA100", "ZZZ900"]
    assert [(r["ruleId"], r["ruleIndex"]) for r in run_["results"]] == [("ZZZ900", 1), ("AAA100", 0),
                                                                          ("ZZZ900", 1)]


class _Watched:
    """Results handed out one at a time, with a record of what the reporter wrote before each one."""

    def __init__(self, results: list[ProfileResult], out: io.StringIO) -> None:
        self.results, self.out = results, out
        self.written_before: list[int] = []
        self.alive_before: list[int] = []
        self.refs: list[weakref.ref[ProfileResult]] = []

    def __iter__(self) -> Iterator[ProfileResult]:
        for p in self.results:
            gc.collect()
            self.written_before.append(len(self.out.getvalue()))
            self.alive_before.append(sum(r() is not None for r in self.refs))
            copy = ProfileResult(p.path, list(p.findings), list(p.suppressed), p.strict, p.provider_name, p.npi,
                                 p.rules_checked)
            self.refs.append(weakref.ref(copy))
            yield copy
            del copy


@pytest.mark.parametrize("fmt", STREAMING)
def test_no_profile_is_held_after_it_is_reported(results: list[ProfileResult], fmt: str,
                                                 tmp_path: Path) -> None:
    out = io.StringIO()
    watched = _Watched(results, out)
    ctx = _ctx()
    ctx.extra["github_step_summary"] = str(tmp_path / "summary.md")
    reporters.writer(fmt)(Run(AS_OF, watched), ctx, out)
    assert max(watched.alive_before) == 1  # only the one the reporter's loop still names
    expected = reporters.get(fmt)(Report(AS_OF, results), ctx)
    assert out.getvalue() == expected


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_each_profile_is_written_before_the_next_is_checked(results: list[ProfileResult], fmt: str) -> None:
    out = io.StringIO()
    watched = _Watched(results, out)
    reporters.writer(fmt)(Run(AS_OF, watched), RenderContext(), out)
    grew = [b > a for a, b in zip(watched.written_before, watched.written_before[1:], strict=False)]
    with_findings = [bool(p.findings) for p in results[:-1]]
    assert all(g for g, w in zip(grew, with_findings, strict=True) if w or fmt != "github")


def test_html_collects_the_run_into_a_report(results: list[ProfileResult]) -> None:
    out = io.StringIO()
    watched = _Watched(results, out)
    reporters.writer("html")(Run(AS_OF, watched), RenderContext(), out)
    assert watched.alive_before == list(range(len(results)))
    assert out.getvalue() == reporters.get("html")(Report(AS_OF, results), RenderContext())


def test_run_paths_checks_lazily_and_validate_paths_collects(tmp_path: Path) -> None:
    options = Options(as_of=AS_OF)
    seen: list[tuple[int, int]] = []
    run = run_paths([EXAMPLES / "not-ready"], options, progress=lambda done, total: seen.append((done, total)))
    assert seen == []  # nothing is checked until the run is read
    first = next(iter(run))
    total = len(discover([EXAMPLES / "not-ready"]))
    assert seen == [(1, total)] and first.path.endswith(".yaml")
    report = validate_paths([EXAMPLES / "not-ready"], options)
    assert report.profiles[0].path == first.path and len(report.profiles) == total


def test_a_usage_error_comes_before_any_profile_is_checked(tmp_path: Path) -> None:
    from pecoscheck.engine import UsageError

    with pytest.raises(UsageError):
        run_paths([EXAMPLES / "not-ready", tmp_path / "missing"], Options(as_of=AS_OF))


def test_parallel_results_keep_order_and_stop_when_the_reader_stops(tmp_path: Path) -> None:
    files = discover([EXAMPLES / "not-ready"]) * 4
    options = Options(as_of=AS_OF)
    serial = [p.path for p in iter_results(files, options, jobs=1)]
    assert [p.path for p in iter_results(files, options, jobs=2)] == serial
    gen = iter_results(files, options, jobs=2)
    assert next(gen).path == serial[0]
    gen.close()  # the pool is shut down with the pending batches cancelled, not run to the end


def test_a_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    generate(tmp_path / "profiles", 400)  # a report larger than a pipe's buffer
    proc = subprocess.Popen([sys.executable, "-m", "pecoscheck", "validate", "profiles", "--jobs", "1",
                             "--as-of", AS_OF.isoformat()], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 141
    assert err == b""


@pytest.mark.parametrize(("stderr_tty", "stdout_tty", "output", "quiet", "shown"), [
    (False, False, None, False, False),
    (True, True, None, False, False),  # the report itself scrolls by on the terminal
    (True, True, None, True, True),  # --quiet: only a summary line at the end
    (True, False, None, False, True),  # report piped or redirected
    (True, True, Path("report.json"), False, True),
])
def test_progress_bar_only_where_it_does_not_mix_with_the_report(
        monkeypatch: pytest.MonkeyPatch, stderr_tty: bool, stdout_tty: bool, output: Path | None, quiet: bool,
        shown: bool) -> None:
    from pecoscheck.cli import _validate as cli

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: stderr_tty)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: stdout_tty)
    assert cli._show_progress(output, "text", quiet) is shown
    monkeypatch.setenv("CI", "true")
    assert cli._show_progress(output, "text", quiet) is False


def test_the_readme_python_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("### Using pecoscheck from Python", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```python\n")[1:]]
    assert len(blocks) == 2
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    out, err = capsys.readouterr()
    assert json.loads(out[out.index('{\n  "tool"'):])["summary"] == json.loads(err.replace("'", '"'))
