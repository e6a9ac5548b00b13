"""``pecoscheck validate``: the Typer declaration (help, ``--help``, usage errors); the work is in :mod:`._validate`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import app
from ._validate import ValidateArgs, run_validate


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Profile files or folders (searched recursively; "
                                                       "default: `paths` in the config, else the current "
                                                       "folder).", show_default=False)] = None,
    format: Annotated[str, typer.Option("--format", "-f",
                                        help="text, json, sarif, junit, github, html or roster.")] = "",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date that date rules measure against "
                                                 "(YYYY-MM-DD; default today).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings also make a profile not ready.")] = False,
    select: Annotated[list[str] | None, typer.Option("--select", help="Only these rules (ids or prefixes, "
                                                        "comma-separated).")] = None,
    extend_select: Annotated[list[str] | None, typer.Option("--extend-select",
                                                               help="Add rules to the selection.")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rules.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Config file (default: searched upward).")] = None,
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra folder of YAML rule packs "
                                                        "(repeatable).")] = None,
    nppes: Annotated[bool, typer.Option("--nppes", help="Also compare with the NPPES registry.")] = False,
    pecos: Annotated[bool, typer.Option("--pecos", help="Also compare with CMS's public PECOS data "
                                        "(data.cms.gov).")] = False,
    exclusions: Annotated[bool, typer.Option("--exclusions", help="Also screen every party against the local "
                                             "OIG exclusion list (LEIE).")] = False,
    online: Annotated[bool, typer.Option("--online", help="--nppes, --pecos and --exclusions.")] = False,
    history: Annotated[bool, typer.Option("--history", help="Also report changes made since the last submission "
                                          "that git history shows were not reported (HIS rules).")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the result cache or the "
                                                         "registry cache: check every profile afresh.")] = False,
    no_drafts: Annotated[bool, typer.Option("--no-drafts", help="Treat profiles marked `# pecoscheck: draft` "
                                            "like any other: their errors fail the run.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Profiles checked in parallel "
                                                "(default: number of CPUs).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary line (text format).")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="Also print a count per rule.")] = False,
    no_plugins: Annotated[bool, typer.Option("--no-plugins", help="Do not load rule plugins.")] = False,
    changed: Annotated[bool, typer.Option("--changed", help="Only profiles that changed in git, or whose "
                                          "documents changed, since --since.")] = False,
    staged_documents: Annotated[bool, typer.Option(
        "--staged-documents", help="Also check the profiles whose referenced documents are staged in git as "
        "changed or deleted (for the pre-commit hook).")] = False,
    since: Annotated[str | None, typer.Option("--since", metavar="REF", help="Git ref for --changed (default: "
                                              "merge base with the default branch, else HEAD~1); implies "
                                              "--changed.")] = None,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="Report only findings not in this baseline "
                                                  "file; the exit status follows the new ones.")] = None,
    write_baseline: Annotated[Path | None, typer.Option("--write-baseline", help="Record this run's findings "
                                                        "as a baseline file.")] = None,
) -> None:
    """Check profiles and report what to fix before submitting to PECOS."""
    code = run_validate(ValidateArgs(
        paths=paths,
        format=format,
        output=output,
        as_of=as_of,
        strict=strict,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        config=config,
        rules=rules,
        nppes=nppes,
        pecos=pecos,
        exclusions=exclusions,
        online=online,
        history=history,
        no_cache=no_cache,
        no_drafts=no_drafts,
        jobs=jobs,
        quiet=quiet,
        statistics=statistics,
        no_plugins=no_plugins,
        changed=changed,
        staged_documents=staged_documents,
        since=since,
        baseline=baseline,
        write_baseline=write_baseline,
    ))
    raise typer.Exit(code)
