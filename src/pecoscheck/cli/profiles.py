"""Commands that write or read profiles without checking them: ``schema``, ``init``, ``deadlines``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ._common import app, fail, parse_date, use_color, write_output


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the schema to this file.")] = None,
) -> None:
    """Print the JSON Schema of the profile format (for editors' YAML language servers)."""
    from ..schema import profile_schema

    write_output(json.dumps(profile_schema(), indent=2) + "\n", output)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter profile.")] = Path("profile.yaml"),
    kind: Annotated[str, typer.Option("--kind", help="individual or organization.")] = "individual",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    schema_url: Annotated[str, typer.Option("--schema-url", help="URL or path of the JSON Schema for the "
                                            "yaml-language-server comment.")] = "profile.schema.json",
) -> None:
    """Write a commented starter profile."""
    from ..starter import starter_profile

    if kind not in ("individual", "organization"):
        fail("--kind must be individual or organization")
    if path.exists() and not force:
        fail(f"{path} already exists; use --force to overwrite it")
    from ..util import atomic_write

    try:
        atomic_write(path, starter_profile(kind, schema_url))
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    sys.stdout.write(f"wrote {path} (an {kind} profile). Fill in the values marked REPLACE, then run:\n"
                     f"  pecoscheck validate {path}\n")


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
        sys.stderr.write(f"pecoscheck: skipped {path}: {why}\n")
    write_output(render(format, run, run.within(within), within=within, remind_days=remind,
                        color=use_color(output) and format == "table"), output)
