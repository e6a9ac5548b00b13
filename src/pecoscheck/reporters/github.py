"""``--format github``: GitHub Actions workflow commands that annotate the pull request.

One command per finding, ``::error file=PATH,line=L,col=C,title=RULE::MESSAGE``
(``::warning`` / ``::notice`` for the other severities), escaped as the
``actions/toolkit`` does, other controls dropped (:mod:`pecoscheck.sinks`);
then a plain summary line, because GitHub shows at most 10 annotations of each
level per step. When ``GITHUB_STEP_SUMMARY`` names
a file, a Markdown summary (profiles, verdicts, counts, top rules) is appended
to it for the run's summary page.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import TextIO

from .. import sinks
from ..findings import Finding, ProfileResult, Report, Run, Severity, Tally, count_phrase
from . import RenderContext, render_with
from .sarif import _region, _source_lines

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SHOWN_PER_LEVEL = 10  # GitHub drops annotations past 10 per level per step
MAX_TABLE_ROWS = 50
MAX_FINDING_ROWS = 200


escape_data = sinks.github_data
escape_property = sinks.github_property


def command(profile: ProfileResult, f: Finding, lines: list[str] | None = None) -> str:
    """The workflow command for one finding; with the profile's ``lines``, its end as SARIF's region has it."""
    props = [f"file={escape_property(profile.path)}"]
    if f.line is not None:
        props.append(f"line={f.line}")
        if f.column is not None:
            props.append(f"col={f.column}")
            if lines is not None:
                region = _region(f, lines)
                props.append(f"endLine={region['endLine']},endColumn={region['endColumn']}")
    props.append(f"title={escape_property(f.rule)}")
    f = f.masked()
    message = f.message
    if f.hint:
        message += f"\nfix: {f.hint}"
    return f"::{COMMAND[f.severity]} {','.join(props)}::{escape_data(message)}"


def summary_line(report: Report | Run) -> str:
    s = report.summary
    line = (f"pecoscheck: {s['ready']} of {s['profiles']} profile{'s' if s['profiles'] != 1 else ''} ready; "
            f"{count_phrase(s)} (as of {report.as_of.isoformat()})")
    cross = report.cross
    if cross:
        line += f"; {len(cross)} problem{'s' if len(cross) != 1 else ''} across profiles"
    if report.registry_unavailable:
        line += "; the NPPES registry could not be reached"
    return line


_md = sinks.markdown


class _Rows:
    """The profiles the step summary's table lists: every one up to MAX_TABLE_ROWS, else the first not-ready ones.

    Only a row per listed profile is kept, however many profiles pass by.
    """

    def __init__(self) -> None:
        self.first: list[str] = []
        self.not_ready: list[str] = []
        self.findings: list[str] = []

    def add(self, p: ProfileResult) -> None:
        for f in p.findings[:max(0, MAX_FINDING_ROWS - len(self.findings))]:
            where = p.path + (f":{f.line}" if f.line is not None else "")
            self.findings.append(f"| `{_md(where, code=True)}` | {f.severity.value} | `{_md(f.rule, code=True)}` | "
                                 f"{_md(sinks.mask_identifiers(f.message, f.path))} |")
        if len(self.first) > MAX_TABLE_ROWS and len(self.not_ready) >= MAX_TABLE_ROWS:
            return
        c = p.counts
        mark = "✅ ready" if p.ready else "📝 draft, not ready" if p.draft else "❌ not ready"
        row = f"| `{_md(p.path, code=True)}` | {mark} | {c['error']} | {c['warning']} | {c['info']} |"
        if len(self.first) <= MAX_TABLE_ROWS:
            self.first.append(row)
        if not p.ready and len(self.not_ready) < MAX_TABLE_ROWS:
            self.not_ready.append(row)

    def listed(self) -> list[str]:
        return self.first if len(self.first) <= MAX_TABLE_ROWS else self.not_ready


def step_summary(report: Report | Run, ctx: RenderContext, rows: _Rows | None = None) -> str:
    """The Markdown summary appended to ``$GITHUB_STEP_SUMMARY`` (``rows``: collected while a run was read)."""
    if rows is None:
        assert isinstance(report, Report)
        rows = _Rows()
        for p in report.profiles:
            rows.add(p)
    tally = report.tally if isinstance(report, Run) else Tally.of(report.profiles)
    s = tally.summary
    verdict = "all ready" if s["not_ready"] == 0 else f"{s['not_ready']} not ready"
    out = [f"## pecoscheck: {s['ready']} of {s['profiles']} profiles ready ({verdict})", "",
           f"{count_phrase(s)}, as of {report.as_of.isoformat()}.", ""]
    if report.registry_unavailable:
        out += ["> [!WARNING]", "> The NPPES registry could not be reached; registry comparisons were skipped.", ""]
    listed = rows.listed()
    if listed:
        out += ["| profile | verdict | errors | warnings | notes |", "|---|---|---:|---:|---:|"]
        out += listed
        if len(listed) < s["profiles"]:
            more_not_ready = s["not_ready"] - len(listed)
            out += ["", f"Not listed: {s['ready']} ready profile{'s' if s['ready'] != 1 else ''}"
                    + (f" and {more_not_ready} more not ready" if more_not_ready else "") + "."]
        out.append("")
    if rows.findings:
        total = s["error"] + s["warning"] + s["info"]
        out += ["### Findings", "", "| where | severity | rule | message |", "|---|---|---|---|", *rows.findings]
        if total > len(rows.findings):
            out += ["", f"The first {len(rows.findings)} of {total} findings; "
                    "`pecoscheck validate --format text` lists them all."]
        out.append("")
    if tally.by_rule:
        out += ["### Top rules", "", "| rule | severity | findings | title |", "|---|---|---:|---|"]
        for (rule, severity), n in sorted(tally.by_rule.items(), key=lambda kv: (-kv[1], kv[0][0]))[:10]:
            title = ""
            if ctx.registry is not None and rule in ctx.registry.rules:
                title = ctx.registry.rules[rule].title
            out.append(f"| `{_md(rule, code=True)}` | {severity.value} | {n} | {_md(title)} |")
        out.append("")
    return "\n".join(out) + "\n"


def write(run: Run, ctx: RenderContext, out: TextIO) -> None:
    """One workflow command per finding as each profile is checked, then the summary line(s)."""
    rows = _Rows()
    for p in run:
        rows.add(p)
        if p.findings:
            lines = _source_lines(p.path) if any(f.column is not None for f in p.findings) else None
            out.write("".join(command(p, f, lines) + "\n" for f in p.findings))
    for c in run.cross:
        for path, line in c.places:
            f = Finding(c.rule, c.severity, c.message, "", line, None, c.hint)
            out.write(command(ProfileResult(path=path), f) + "\n")
    levels: Counter[Severity] = Counter()
    for (_, severity), n in run.tally.by_rule.items():
        levels[severity] += n
    out.write(summary_line(run) + "\n")
    if any(n > SHOWN_PER_LEVEL for n in levels.values()):
        out.write("pecoscheck: GitHub shows at most 10 annotations of each level per step; "
                  f"the job summary lists the first {MAX_FINDING_ROWS} findings and "
                  "`pecoscheck validate --format text` all of them.\n")
    target = str(ctx.extra.get("github_step_summary") or os.environ.get("GITHUB_STEP_SUMMARY") or "")
    if target:
        try:
            with open(target, "a", encoding="utf-8") as fh:
                fh.write(step_summary(run, ctx, rows))
        except OSError as exc:
            sys.stderr.write(sinks.terminal(f"pecoscheck: cannot write the step summary to {target}: "
                                            f"{exc.strerror or exc}") + "\n")


def render(report: Report, ctx: RenderContext) -> str:
    return render_with(write, report, ctx)
