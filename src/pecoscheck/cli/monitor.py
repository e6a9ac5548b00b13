"""``pecoscheck monitor``: scheduled re-screening, reporting what changed since the last run."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ._common import EXIT_NOT_READY, EXIT_OK, EXIT_REGISTRY, app, fail, parse_date, write_output


@app.command()
def monitor(
    paths: Annotated[list[Path], typer.Argument(help="Profile files or folders (searched recursively).",
                                                show_default=False)],
    state: Annotated[Path, typer.Option("--state", help="State file of the last run (read, then replaced).")],
    format: Annotated[str, typer.Option("--format", "-f", help="text, json or markdown.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    sarif: Annotated[Path | None, typer.Option("--sarif", help="Also write this run's findings as SARIF, "
                                               "each with its baselineState.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date measured against (YYYY-MM-DD; default "
                                              "today).")] = None,
    nppes: Annotated[bool, typer.Option("--nppes", help="Compare with the NPPES registry.")] = False,
    pecos: Annotated[bool, typer.Option("--pecos", help="Compare with CMS's public PECOS data.")] = False,
    exclusions: Annotated[bool, typer.Option("--exclusions", help="Screen against the local OIG "
                                             "exclusion list.")] = False,
    cache: Annotated[bool, typer.Option("--cache", help="Accept cached registry answers (default: ask "
                                        "afresh).")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="Config file (default: searched upward).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report, but leave the state file as it is.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Profiles checked in parallel.")] = 1,
) -> None:
    """Check profiles with the registries and report what changed since the last run.

    Exit 0 when nothing changed, 1 when something did, 3 when a registry could not be reached (its last
    answers are kept in the state), 2 for a usage error or an unusable state file.
    """
    from .. import monitor_report
    from ..config import Config, find_config, load_config
    from ..engine import Options
    from ..errors import PecosCheckError
    from ..monitor import load_state, save_state
    from ..monitor import monitor as run_monitor

    if format not in monitor_report.FORMATS:
        fail(f"unknown format {format!r}; choose one of {', '.join(monitor_report.FORMATS)}")
    day = parse_date(as_of)
    try:
        found = config if config is not None else find_config(Path.cwd())
        cfg = load_config(found) if found else Config()
        previous = load_state(state)
        options = Options.from_config(cfg, as_of=day, use_cache=cache,
                                      online=frozenset(s for s, on in (("nppes", nppes), ("pecos", pecos),
                                                                        ("exclusions", exclusions)) if on))
        changes = run_monitor(paths, options, previous, jobs=max(1, jobs or os.cpu_count() or 1))
        if not dry_run:
            save_state(state, changes.state)
    except PecosCheckError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {state}: {exc.strerror or exc}")
    if sarif is not None and changes.report is not None:
        from .. import reporters
        from ..engine import RuleSet

        ctx = reporters.RenderContext(registry=RuleSet.build(options).registry)
        ctx.extra["baseline"] = changes.baseline_tally(str(state))
        write_output(reporters.get("sarif")(changes.report, ctx), sarif)
    write_output(monitor_report.render(changes, format), output)
    if changes.unavailable:
        raise typer.Exit(EXIT_REGISTRY)
    raise typer.Exit(EXIT_NOT_READY if changes.changed else EXIT_OK)
