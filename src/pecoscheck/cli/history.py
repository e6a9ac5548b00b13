"""``pecoscheck changes``: reportable changes found in the repository's history since the last submission."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ._common import EXIT_NOT_READY, EXIT_OK, app, fail, parse_date, write_output

CHANGE_FORMATS = ("table", "json")


@app.command()
def changes(
    paths: Annotated[list[Path], typer.Argument(help="Profile files or folders (searched recursively).",
                                                show_default=False)],
    since: Annotated[str | None, typer.Option("--since", metavar="REV", help="Compare with this revision, tag or "
                                              "date (YYYY-MM-DD); default: the commit that set today's "
                                              "enrollment.submitted_on.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Count days from this date (YYYY-MM-DD; "
                                                 "default today).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
) -> None:
    """Changes made since the last submission (from git history), with reporting windows and due dates.

    Exit code 1 when a change is not covered by a `changes:` entry or a later submission.
    """
    from ..errors import PecosCheckError
    from ..history import analyze

    if format not in CHANGE_FORMATS:
        fail(f"unknown format {format!r}; choose one of {', '.join(CHANGE_FORMATS)}")
    try:
        from ..config import find_config, load_config

        found = find_config(Path.cwd())
        run = analyze(paths, since, parse_date(as_of), load_config(found).exclude if found else ())
    except PecosCheckError as exc:
        fail(str(exc))
    if format == "json":
        text = json.dumps(run.to_dict(), indent=2) + "\n"
    else:
        text = _table(run)
    write_output(text, output)
    open_changes = any(c.status != "covered" for p in run.profiles for c in p.changes)
    raise typer.Exit(EXIT_NOT_READY if open_changes else EXIT_OK)


def _table(run: object) -> str:
    from ..history import HistoryRun

    assert isinstance(run, HistoryRun)
    lines: list[str] = []
    for p in run.profiles:
        head = f"{p.path}: " + (f"compared with {p.baseline[:10]} ({p.baseline_how})" if p.baseline
                                else p.note or "no baseline")
        lines.append(head)
        if p.baseline and p.note:
            lines.append(f"  note: {p.note}")
        if p.baseline and not p.changes:
            lines.append("  no reportable change")
        for c in p.changes:
            commit = c.commit[:10] if c.commit else "uncommitted"
            where = f"line {c.line}" if c.line else c.path
            cover = f"covered by {c.covered_by}" if c.covered_by else f"{c.status}, {c.days_left:+d} days"
            lines.append(f"  {c.day.isoformat()}  {commit:<11} {where:<9} {c.what}")
            lines.append(f"      {c.window_days}-day window ({c.window_rule}), due {c.due.isoformat()}: {cover}")
    counts = [c.status for p in run.profiles for c in p.changes]
    lines.append(f"{len(counts)} change(s): " + ", ".join(f"{counts.count(s)} {s}" for s in
                                                          ("overdue", "late", "pending", "covered")))
    return "\n".join(lines) + "\n"
