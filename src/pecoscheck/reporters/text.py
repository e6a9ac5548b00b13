"""``--format text``: findings grouped per file, a verdict per file and a summary line.

Every value is masked and shown on one line with its controls escaped (:func:`pecoscheck.sinks.terminal`).
"""

from __future__ import annotations

import io
from typing import TextIO

from ..findings import Finding, ProfileResult, Report, Run, Tally, count_phrase
from ..sinks import mask_identifiers, terminal
from . import RenderContext, render_with
from ._styled import Console, Text

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _finding_lines(profile: ProfileResult, f: Finding) -> list[Text]:
    where = profile.path + (f":{f.line}" if f.line else "") + (f":{f.column}" if f.line and f.column else "")
    f = f.masked()
    head = Text.assemble(
        ("  ", ""),
        (f"{f.severity.value:<7}", _STYLE[f.severity.value]),
        " ",
        (f"{terminal(f.rule):<7}", "bold"),
        " ",
        (terminal(where), "dim"),
        "  ",
        terminal(f.message),
    )
    lines = [head]
    if f.rule == "YML001" and f.line:
        lines += _caret(profile.path, f.line, f.column or 1)
    if f.hint:
        lines.append(Text.assemble(("                    fix: ", "dim"), (terminal(f.hint), "green")))
    return lines


def _caret(path: str, line: int, column: int) -> list[Text]:
    """The offending source line and a caret under the column, as compilers show a syntax error."""
    from .sarif import _source_lines

    source = _source_lines(path)
    if not 0 < line <= len(source):
        return []
    shown = source[line - 1].replace("\t", "→")[:200]
    gutter = f"{line:>6} | "
    safe = terminal(mask_identifiers(shown))
    pad = terminal(mask_identifiers(shown[: column - 1]))
    return [Text.assemble((gutter, "dim"), safe),
            Text.assemble((" " * (len(gutter) - 2) + "| ", "dim"), " " * len(pad), ("^", "bold red"))]


def write(run: Run, ctx: RenderContext, out: TextIO) -> None:
    """Each profile's block as soon as it is checked, then the summary line."""
    buffer = io.StringIO()
    console = Console(buffer, color=ctx.color)

    def flush() -> None:
        out.write(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()

    spaced = True
    for p in run:
        if ctx.quiet:
            continue
        detail = bool(p.findings or p.suppressed)
        if detail and not spaced:
            console.print()
        verdict = (Text("READY", style="bold green") if p.ready else
                   Text("DRAFT, NOT READY", style="bold yellow") if p.draft else Text("NOT READY", style="bold red"))
        counts = p.counts
        console.print(Text.assemble((terminal(p.path), "bold"), "  ", verdict,
                                    f"  ({count_phrase(counts)})"))
        for f in p.findings:
            for line in _finding_lines(p, f):
                console.print(line)
        for f in p.suppressed:
            f = f.masked()
            console.print(Text.assemble(("  suppressed ", "dim"), (terminal(f.rule), "dim"), " ",
                                        (terminal(f.suppressed), "dim")))
        if detail:
            console.print()
        spaced = detail
        flush()
    if not spaced:
        console.print()
    cross = run.cross
    if cross and not ctx.quiet:
        console.print(Text("Across profiles:", style="bold"))
        for c in cross:
            console.print(Text.assemble("  ", (f"{c.severity.value:<7}", _STYLE[c.severity.value]), " ",
                                        (f"{terminal(c.rule):<7}", "bold"), " ", terminal(mask_identifiers(c.message))))
            places = ", ".join(f"{p}:{ln}" if ln else p for p, ln in c.places)
            console.print(Text.assemble(" " * 20, (terminal(places), "dim")))
            console.print(Text.assemble(("                    fix: ", "dim"), (terminal(c.hint), "green")))
        console.print()
    s = run.summary
    style = "bold green" if run.ready else "bold red"
    drafts = s.get("drafts", 0)
    line = Text.assemble(
        (f"{s['ready']} of {s['profiles']} profile{'s' if s['profiles'] != 1 else ''} ready"
         + (f" ({drafts} not-ready draft{'s' if drafts != 1 else ''} do{'es' if drafts == 1 else ''} not fail the run)"
            if drafts else ""), style),
        f"; {count_phrase(s)} (as of {run.as_of.isoformat()})",
    )
    if cross:
        line.append(f"; {len(cross)} problem{'s' if len(cross) != 1 else ''} across profiles", style="bold red")
    if run.registry_unavailable:
        names = {"nppes": "the NPPES registry", "pecos": "data.cms.gov", "exclusions": "the OIG exclusion list"}
        unreachable = ", ".join(f"{names.get(k, k)} ({v})" for k, v in sorted(run.unavailable.items()))
        unreachable = terminal(unreachable)
        line.append(f"; could not reach {unreachable}; online checks incomplete", style="yellow")
    console.print(line)
    baseline = ctx.extra.get("baseline")
    if baseline is not None:
        console.print(Text(str(baseline.text()), style="dim"))  # type: ignore[attr-defined]
    if ctx.statistics:
        console.print()
        console.print(render_statistics(run.tally))
    flush()


def render(report: Report, ctx: RenderContext) -> str:
    return render_with(write, report, ctx)


def render_statistics(tally: Tally) -> str:
    """Findings per rule and severity, most frequent first."""
    rows = sorted(tally.by_rule.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1].value))
    return "\n".join(f"{n:>6}  {terminal(rule):<8} {sev.value}" for (rule, sev), n in rows) or "no findings"
