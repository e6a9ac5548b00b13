"""``pecoscheck validate`` without Typer: the command's work, and a fast path that parses its options.

``pecoscheck validate ...`` starts here (see :mod:`pecoscheck.__main__`): Typer and its parameter
adapters cost about a third of a one-profile run, so the options are read by :func:`parse` from the
table the Typer command is declared with (:data:`OPTIONS`, checked against it by a test). Anything
the table does not cover (``--help``, attached short values, a value of the wrong type) goes to
Typer, which gives its usual help and usage errors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from ._base import (
    EXIT_NOT_READY,
    EXIT_OK,
    EXIT_REGISTRY,
    FORMATS,
    STATE,
    fail,
    output_stream,
    parse_date,
    progress_bar,
    reader_gone,
    split_list,
    use_color,
    warn,
)


class ValidateArgs:
    """The options of ``validate``, as the command line gives them: each a keyword, all optional.

    A plain class, not a dataclass: generating a dataclass's methods costs about 0.8 ms of every start.
    """

    paths: list[Path] | None = None
    format: str = ""
    output: Path | None = None
    as_of: str | None = None
    strict: bool = False
    select: list[str] | None = None
    extend_select: list[str] | None = None
    ignore: list[str] | None = None
    config: Path | None = None
    rules: list[Path] | None = None
    nppes: bool = False
    pecos: bool = False
    exclusions: bool = False
    online: bool = False
    history: bool = False
    no_cache: bool = False
    no_drafts: bool = False
    jobs: int | None = None
    quiet: bool = False
    statistics: bool = False
    no_plugins: bool = False
    changed: bool = False
    staged_documents: bool = False
    since: str | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None

    def __init__(self, **values: Any) -> None:
        for key, value in values.items():
            if key not in type(self).__annotations__:
                raise TypeError(f"ValidateArgs has no option {key!r}")
            setattr(self, key, value)


#: Option spelling -> (field, kind): ``flag``, ``str``, ``path``, ``int``; a list field repeats.
OPTIONS: dict[str, tuple[str, str]] = {
    "--format": ("format", "str"), "-f": ("format", "str"),
    "--output": ("output", "path"), "-o": ("output", "path"),
    "--as-of": ("as_of", "str"),
    "--strict": ("strict", "flag"),
    "--select": ("select", "str"),
    "--extend-select": ("extend_select", "str"),
    "--ignore": ("ignore", "str"),
    "--config": ("config", "path"),
    "--rules": ("rules", "path"),
    "--nppes": ("nppes", "flag"),
    "--pecos": ("pecos", "flag"),
    "--exclusions": ("exclusions", "flag"),
    "--online": ("online", "flag"),
    "--history": ("history", "flag"),
    "--no-cache": ("no_cache", "flag"),
    "--no-drafts": ("no_drafts", "flag"),
    "--jobs": ("jobs", "int"), "-j": ("jobs", "int"),
    "--quiet": ("quiet", "flag"), "-q": ("quiet", "flag"),
    "--statistics": ("statistics", "flag"),
    "--no-plugins": ("no_plugins", "flag"),
    "--changed": ("changed", "flag"),
    "--staged-documents": ("staged_documents", "flag"),
    "--since": ("since", "str"),
    "--baseline": ("baseline", "path"),
    "--write-baseline": ("write_baseline", "path"),
}
_LISTS = {name for name, kind in ValidateArgs.__annotations__.items() if "list[" in str(kind)}


def parse(argv: list[str]) -> ValidateArgs | None:
    """The options of ``validate`` from ``argv`` (after the command name), or ``None`` to let Typer read them."""
    a = ValidateArgs()
    values: dict[str, object] = {}
    paths: list[Path] = []
    args = iter(argv)
    for arg in args:
        if arg == "--":
            paths += [Path(x) for x in args]
            break
        if not arg.startswith("-") or arg == "-":
            paths.append(Path(arg))
            continue
        name, eq, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        spec = OPTIONS.get(name)
        if spec is None:
            return None
        key, kind = spec
        if kind == "flag":
            if eq:
                return None
            values[key] = True
            continue
        raw = attached if eq else next(args, None)
        if raw is None:
            return None
        value: object = raw
        if kind == "path":
            value = Path(raw)
        elif kind == "int":
            try:
                value = int(raw)
            except ValueError:
                return None
        if key in _LISTS:
            values.setdefault(key, [])
            values[key].append(value)  # type: ignore[attr-defined]
        else:
            values[key] = value
    for key, value in values.items():
        setattr(a, key, value)
    a.paths = paths or None
    return a


def fast_main(argv: list[str]) -> int | None:
    """Run ``validate`` with these arguments without Typer; ``None`` when Typer must read them."""
    a = parse(argv)
    if a is None:
        return None
    STATE.own_process = True
    try:
        return run_validate(a)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except KeyboardInterrupt:
        sys.stderr.write("pecoscheck: interrupted\n")
        return 130
    except Exception as exc:
        if os.environ.get("PECOSCHECK_DEBUG"):
            raise
        from ..sinks import masked_terminal

        sys.stderr.write(f"pecoscheck: internal error: {type(exc).__name__}: {masked_terminal(exc)} (run with "
                         "--debug for the traceback)\n")
        return 2


def run_validate(a: ValidateArgs) -> int:
    """Check profiles and report what to fix before submitting to PECOS; returns the exit code."""
    paths = a.paths
    from ..config import Config, find_config, load_config
    from ..engine import Options, run_paths
    from ..errors import PecosCheckError

    fmt = a.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if a.jobs is not None and a.jobs < 1:
        fail("--jobs must be at least 1")
    as_of_date = parse_date(a.as_of)
    tally = None
    try:
        if a.config is not None:
            if not a.config.is_file():
                fail(f"config file not found: {a.config}")
            cfg = load_config(a.config)
        else:
            found = find_config(Path.cwd())
            cfg = load_config(found) if found else Config()
        options = Options.from_config(
            cfg, as_of=as_of_date, strict=a.strict or cfg.strict,
            select=split_list(a.select) or None, ignore=cfg.ignore + split_list(a.ignore),
            extend_select=cfg.extend_select + split_list(a.extend_select),
            rule_dirs=[str(p) for p in cfg.rule_paths] + [str(p) for p in a.rules or []],
            plugins=not a.no_plugins,
            online=frozenset(s for s, on in (("nppes", a.nppes), ("pecos", a.pecos), ("exclusions", a.exclusions))
                             if on or a.online) | ({"history"} if a.history or cfg.history else set()),
            use_cache=not a.no_cache,
            drafts=not a.no_drafts,
        )
        if a.staged_documents:
            from ..changed import profiles_of_staged_documents

            paths = [*(paths or []), *profiles_of_staged_documents(cfg.paths or [Path(".")], options.exclude)]
            if not paths:
                sys.stderr.write("pecoscheck: no staged profile, and no staged change to a document a profile "
                                 "references\n")
                return EXIT_OK
        elif not paths:
            paths = cfg.paths or [Path(".")]
        n_jobs = a.jobs or os.cpu_count() or 1
        if a.changed or a.since is not None:
            from ..changed import changed_profiles

            paths, compared_with = changed_profiles(paths, options.exclude, a.since)
            if not paths:
                warn(f"no profile changed (compared with {compared_with})")
        _batch_gc()
        progress = progress_bar() if _show_progress(a.output, fmt, a.quiet) else None
        run = run_paths(paths, options, jobs=n_jobs, progress=progress.update if progress else None)
        if a.baseline is not None or a.write_baseline is not None:
            from ._baseline import with_baseline

            run, tally = with_baseline(run, a.baseline, a.write_baseline)
    except PecosCheckError as exc:  # UsageError too: all of these come before the first profile is checked
        fail(str(exc))

    if run.not_profiles:
        _note_not_profiles(run.not_profiles)

    from .. import reporters
    from ..engine import RuleSet

    ctx = reporters.RenderContext(registry=RuleSet.build(options).registry, color=use_color(a.output) and fmt == "text",
                                  quiet=a.quiet, statistics=a.statistics)
    if a.baseline is not None and tally is not None:
        ctx.extra["baseline"] = tally
    write = reporters.writer(fmt)
    try:
        with output_stream(a.output) as out:
            write(run, ctx, out)
    except PecosCheckError as exc:
        fail(str(exc))
    except BrokenPipeError:
        if a.output is not None:
            raise
        reader_gone()
    except OSError as exc:
        if a.output is None:
            raise
        fail(f"cannot write {a.output}: {exc.strerror or exc}")
    finally:
        if progress:
            progress.close()
    if a.write_baseline is not None and tally is not None:
        from ._baseline import save_baseline

        run.cross  # noqa: B018  (complete the tally with the findings across profiles)

        save_baseline(a.write_baseline, tally, run.as_of)
    if a.statistics and fmt != "text":
        from ..reporters.text import render_statistics

        sys.stderr.write(render_statistics(run.tally) + "\n")
    if run.registry_unavailable:
        return EXIT_REGISTRY
    return EXIT_OK if run.ready else EXIT_NOT_READY


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

    from .._process import resume_gc

    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    resume_gc()




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
