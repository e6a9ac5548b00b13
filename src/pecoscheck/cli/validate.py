"""``pecoscheck validate``: check profiles and report."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ._common import (
    EXIT_NOT_READY,
    EXIT_OK,
    EXIT_REGISTRY,
    FORMATS,
    STATE,
    app,
    fail,
    output_stream,
    parse_date,
    progress_bar,
    reader_gone,
    split_list,
    use_color,
    warn,
)


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Profile files or folders (searched recursively; "
                                                       "default: `paths` in the config, else the current "
                                                       "folder).", show_default=False)] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text, json, sarif, junit, github or html.")] = "",
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
    from ..config import Config, find_config, load_config
    from ..engine import Options, run_paths
    from ..errors import PecosCheckError

    fmt = format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if jobs is not None and jobs < 1:
        fail("--jobs must be at least 1")
    as_of_date = parse_date(as_of)
    tally = None
    try:
        if config is not None:
            if not config.is_file():
                fail(f"config file not found: {config}")
            cfg = load_config(config)
        else:
            found = find_config(Path.cwd())
            cfg = load_config(found) if found else Config()
        options = Options.from_config(
            cfg, as_of=as_of_date, strict=strict or cfg.strict,
            select=split_list(select) or None, ignore=cfg.ignore + split_list(ignore),
            extend_select=cfg.extend_select + split_list(extend_select),
            rule_dirs=[str(p) for p in cfg.rule_paths] + [str(p) for p in rules or []],
            plugins=not no_plugins,
            online=frozenset(s for s, on in (("nppes", nppes), ("pecos", pecos), ("exclusions", exclusions))
                             if on or online) | ({"history"} if history or cfg.history else set()),
            use_cache=not no_cache,
        )
        if staged_documents:
            from ..changed import profiles_of_staged_documents

            paths = [*(paths or []), *profiles_of_staged_documents(cfg.paths or [Path(".")], options.exclude)]
            if not paths:
                sys.stderr.write("pecoscheck: no staged profile, and no staged change to a document a profile "
                                 "references\n")
                raise typer.Exit(EXIT_OK)
        elif not paths:
            paths = cfg.paths or [Path(".")]
        n_jobs = jobs or os.cpu_count() or 1
        if changed or since is not None:
            from ..changed import changed_profiles

            paths, compared_with = changed_profiles(paths, options.exclude, since)
            if not paths:
                warn(f"no profile changed (compared with {compared_with})")
        _batch_gc()
        progress = progress_bar() if _show_progress(output, fmt, quiet) else None
        run = run_paths(paths, options, jobs=n_jobs, progress=progress.update if progress else None)
        if baseline is not None or write_baseline is not None:
            from ._baseline import with_baseline

            run, tally = with_baseline(run, baseline, write_baseline)
    except PecosCheckError as exc:  # UsageError too: all of these come before the first profile is checked
        fail(str(exc))

    if run.not_profiles:
        _note_not_profiles(run.not_profiles)

    from .. import reporters
    from ..engine import RuleSet

    ctx = reporters.RenderContext(registry=RuleSet.build(options).registry, color=use_color(output) and fmt == "text",
                                  quiet=quiet, statistics=statistics)
    if baseline is not None and tally is not None:
        ctx.extra["baseline"] = tally
    write = reporters.writer(fmt)
    try:
        with output_stream(output) as out:
            write(run, ctx, out)
    except PecosCheckError as exc:
        fail(str(exc))
    except BrokenPipeError:
        if output is not None:
            raise
        reader_gone()
    except OSError as exc:
        if output is None:
            raise
        fail(f"cannot write {output}: {exc.strerror or exc}")
    finally:
        if progress:
            progress.close()
    if write_baseline is not None and tally is not None:
        from ._baseline import save_baseline

        save_baseline(write_baseline, tally, run.as_of)
    if statistics and fmt != "text":
        from ..reporters.text import render_statistics

        sys.stderr.write(render_statistics(run.tally) + "\n")
    if run.registry_unavailable:
        raise typer.Exit(EXIT_REGISTRY)
    raise typer.Exit(EXIT_OK if run.ready else EXIT_NOT_READY)


def _show_progress(output: Path | None, fmt: str, quiet: bool) -> bool:
    """A progress bar on a terminal's stderr, unless the report itself is appearing on that terminal."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return False
    return output is not None or not sys.stdout.isatty() or (quiet and fmt == "text")


def _batch_gc() -> None:
    """Tune the cyclic garbage collector for a run over many profiles (this process only).

    Each profile allocates thousands of short-lived containers (YAML nodes, dicts, models): with the
    default threshold of 700 the collector ran ~430 times per 1,000 profiles and its full passes rescanned
    everything imported and every result kept so far, about 9 % of the run. What is loaded so far lives
    for the whole run (frozen: never scanned again), and young objects are collected every 10,000
    allocations instead of 700. Forked --jobs workers inherit both. Only when pecoscheck is the program:
    the collector settings belong to the whole process.
    """
    if not STATE.own_process:
        return
    import gc

    gc.freeze()
    gc.set_threshold(10_000, 10, 10)




def _note_not_profiles(names: list[str]) -> None:
    """One line on stderr for the YAML files a folder walk left out because they are not profiles."""
    from pathlib import Path

    from ..engine import display_path

    shown = [display_path(Path(n)) for n in names[:5]]
    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
    text = (f"note: skipped {len(names)} YAML file{'s' if len(names) != 1 else ''} that "
            f"{'are' if len(names) != 1 else 'is'} not a profile (no profile key at the top level): "
            f"{', '.join(shown)}{more}; name a file to check it anyway, or set `paths` in pecoscheck.toml")
    from ..sinks import terminal

    sys.stderr.write(terminal(text) + "\n")
