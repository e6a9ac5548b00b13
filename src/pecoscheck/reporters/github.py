"""``--format github``: GitHub Actions workflow commands that annotate the pull request.

One command per finding, ``::error file=PATH,line=L,col=C,title=RULE::MESSAGE``
(``::warning`` / ``::notice`` for the other severities), escaped as the
``actions/toolkit`` does; then a plain summary line, because GitHub shows at
most 10 annotations of each level per step. When ``GITHUB_STEP_SUMMARY`` names
a file, a Markdown summary (profiles, verdicts, counts, top rules) is appended
to it for the run's summary page.
"""

from __future__ import annotations

import os
import sys
from collections import Counter

from ..findings import Finding, ProfileResult, Report, Severity, mask_identifiers
from . import RenderContext

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SHOWN_PER_LEVEL = 10  # GitHub drops annotations past 10 per level per step
MAX_TABLE_ROWS = 50


def escape_data(text: str) -> str:
    """Escape a command's message (``actions/toolkit`` ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value (``actions/toolkit`` ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(profile: ProfileResult, f: Finding) -> str:
    """The workflow command for one finding."""
    props = [f"file={escape_property(profile.path)}"]
    if f.line is not None:
        props.append(f"line={f.line}")
        if f.column is not None:
            props.append(f"col={f.column}")
    props.append(f"title={escape_property(f.rule)}")
    message = mask_identifiers(f.message)
    if f.hint:
        message += f"\nfix: {mask_identifiers(f.hint)}"
    return f"::{COMMAND[f.severity]} {','.join(props)}::{escape_data(message)}"


def summary_line(report: Report) -> str:
    s = report.summary
    line = (f"pecoscheck: {s['ready']} of {s['profiles']} profile{'s' if s['profiles'] != 1 else ''} ready; "
            f"{s['error']} errors, {s['warning']} warnings, {s['info']} notes (as of {report.as_of.isoformat()})")
    if report.registry_unavailable:
        line += "; the NPPES registry could not be reached"
    return line


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def step_summary(report: Report, ctx: RenderContext) -> str:
    """The Markdown summary appended to ``$GITHUB_STEP_SUMMARY``."""
    s = report.summary
    verdict = "all ready" if s["not_ready"] == 0 else f"{s['not_ready']} not ready"
    out = [f"## pecoscheck: {s['ready']} of {s['profiles']} profiles ready ({verdict})", "",
           f"{s['error']} errors, {s['warning']} warnings, {s['info']} notes, as of {report.as_of.isoformat()}.", ""]
    if report.registry_unavailable:
        out += ["> [!WARNING]", "> The NPPES registry could not be reached; registry comparisons were skipped.", ""]
    profiles = report.profiles
    listed = profiles if len(profiles) <= MAX_TABLE_ROWS else [p for p in profiles if not p.ready][:MAX_TABLE_ROWS]
    if listed:
        out += ["| profile | verdict | errors | warnings | notes |", "|---|---|---:|---:|---:|"]
        for p in listed:
            c = p.counts
            mark = "✅ ready" if p.ready else "❌ not ready"
            out.append(f"| `{_md(p.path)}` | {mark} | {c['error']} | {c['warning']} | {c['info']} |")
        if len(listed) < len(profiles):
            more_not_ready = s["not_ready"] - len(listed)
            out += ["", f"Not listed: {s['ready']} ready profile{'s' if s['ready'] != 1 else ''}"
                    + (f" and {more_not_ready} more not ready" if more_not_ready else "") + "."]
        out.append("")
    counts = Counter((f.rule, f.severity) for p in profiles for f in p.findings)
    if counts:
        out += ["### Top rules", "", "| rule | severity | findings | title |", "|---|---|---:|---|"]
        for (rule, severity), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))[:10]:
            title = ""
            if ctx.registry is not None and rule in ctx.registry.rules:
                title = ctx.registry.rules[rule].title
            out.append(f"| `{rule}` | {severity.value} | {n} | {_md(title)} |")
        out.append("")
    return "\n".join(out) + "\n"


def render(report: Report, ctx: RenderContext) -> str:
    lines = [command(p, f) for p in report.profiles for f in p.findings]
    levels = Counter(f.severity for p in report.profiles for f in p.findings)
    lines.append(summary_line(report))
    if any(n > SHOWN_PER_LEVEL for n in levels.values()):
        lines.append("pecoscheck: GitHub shows at most 10 annotations of each level per step; "
                     "run `pecoscheck validate --format text` or see the job summary for all findings.")
    target = str(ctx.extra.get("github_step_summary") or os.environ.get("GITHUB_STEP_SUMMARY") or "")
    if target:
        try:
            with open(target, "a", encoding="utf-8") as fh:
                fh.write(step_summary(report, ctx))
        except OSError as exc:
            sys.stderr.write(f"pecoscheck: cannot write the step summary to {target}: {exc.strerror or exc}\n")
    return "\n".join(lines) + "\n"
