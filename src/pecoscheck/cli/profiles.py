"""Commands that read profiles without checking them: ``schema``, ``deadlines`` (``init`` is in init.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ._common import app, fail, parse_date, use_color, warn, write_output


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the schema to this file.")] = None,
) -> None:
    """Print the JSON Schema of the profile format (for editors' YAML language servers)."""
    from ..schema import profile_schema

    write_output(json.dumps(profile_schema(), indent=2) + "\n", output)


@app.command()
def deadlines(
    paths: Annotated[list[Path], typer.Argument(help="Profile files or folders (searched recursively).",
                                                show_default=False)],
    within: Annotated[int, typer.Option("--within", help="Days ahead to list (overdue items always).")] = 90,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Count days from this date (YYYY-MM-DD; "
                                                 "default today).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json, csv or ics.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    remind: Annotated[int, typer.Option("--remind", help="ics: reminder this many days before (0: none).")] = 14,
    history: Annotated[bool, typer.Option("--history", help="Also the due dates of unreported changes found in "
                                          "git history (see `changes`).")] = False,
) -> None:
    """What is due when: expiries, revalidation and change-reporting deadlines, as a table or calendar."""
    from ..deadline_formats import DEADLINE_FORMATS, render
    from ..deadlines import deadlines_for_paths
    from ..errors import PecosCheckError

    if format not in DEADLINE_FORMATS:
        fail(f"unknown format {format!r}; choose one of {', '.join(DEADLINE_FORMATS)}")
    if within < 0 or remind < 0:
        fail("--within and --remind must be zero or more days")
    try:
        from ..config import find_config, load_config

        found = find_config(Path.cwd())
        exclude = load_config(found).exclude if found else []
        run = deadlines_for_paths(paths, parse_date(as_of), exclude)
        if history:
            from ..history import add_deadlines

            add_deadlines(run, paths, exclude)
    except PecosCheckError as exc:
        fail(str(exc))
    for path, why in run.skipped:
        warn(f"skipped {path}: {why}")
    write_output(render(format, run, run.within(within), within=within, remind_days=remind,
                        color=use_color(output) and format == "table"), output)
