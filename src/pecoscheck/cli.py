"""The command line: a thin Typer layer over the library. Heavy imports happen inside commands."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer

from ._version import __version__

EXIT_OK, EXIT_NOT_READY, EXIT_USAGE, EXIT_REGISTRY = 0, 1, 2, 3
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, as a shell reports a tool killed by a closed pipe
FORMATS = ("text", "json", "sarif", "junit", "github", "html")

app = typer.Typer(
    name="pecoscheck",
    help="Check Medicare (PECOS) enrollment profiles before you submit them.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="The rule catalogue.", no_args_is_help=True, rich_markup_mode=None)
npi_app = typer.Typer(help="NPI checks, NPPES registry lookups and searches.", no_args_is_help=True,
                      rich_markup_mode=None)
app.add_typer(rules_app, name="rules")
app.add_typer(npi_app, name="npi")


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one line to stderr and exit."""
    sys.stderr.write(f"pecoscheck: {message}\n")
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"pecoscheck {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on internal errors.")] = False,
) -> None:
    """Check Medicare (PECOS) enrollment profiles before you submit them."""
    if debug:
        os.environ["PECOSCHECK_DEBUG"] = "1"


def _parse_date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of must be a date written YYYY-MM-DD, got {value!r}")


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


def write_output(text: str, output: Path | None) -> None:
    """Write to ``output`` atomically (temporary file, then rename), or to stdout."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .util import atomic_write

    try:
        atomic_write(output, text)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")


def _color(output: Path | None) -> bool:
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Profile files or folders (searched recursively).",
                                                show_default=False)],
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
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the registry cache.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Profiles checked in parallel "
                                                "(default: number of CPUs).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary line (text format).")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="Also print a count per rule.")] = False,
    no_plugins: Annotated[bool, typer.Option("--no-plugins", help="Do not load rule plugins.")] = False,
    changed: Annotated[bool, typer.Option("--changed", help="Only profiles that changed in git, or whose "
                                          "documents changed, since --since.")] = False,
    since: Annotated[str | None, typer.Option("--since", metavar="REF", help="Git ref for --changed (default: "
                                              "merge base with the default branch, else HEAD~1); implies "
                                              "--changed.")] = None,
) -> None:
    """Check profiles and report what to fix before submitting to PECOS."""
    from .config import Config, find_config, load_config
    from .engine import Options, run_paths
    from .errors import PecosCheckError

    fmt = format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if jobs is not None and jobs < 1:
        fail("--jobs must be at least 1")
    as_of_date = _parse_date(as_of)
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
            select=_split(select) or None, ignore=cfg.ignore + _split(ignore),
            extend_select=cfg.extend_select + _split(extend_select),
            rule_dirs=[str(p) for p in cfg.rule_paths] + [str(p) for p in rules or []],
            plugins=not no_plugins,
            online=frozenset(s for s, on in (("nppes", nppes), ("pecos", pecos), ("exclusions", exclusions))
                             if on or online),
            use_cache=not no_cache,
        )
        n_jobs = jobs or os.cpu_count() or 1
        if changed or since is not None:
            from .changed import changed_profiles

            paths, compared_with = changed_profiles(paths, options.exclude, since)
            if not paths:
                sys.stderr.write(f"pecoscheck: no profile changed (compared with {compared_with})\n")
        _batch_gc()
        progress = _progress_bar() if _show_progress(output, fmt, quiet) else None
        run = run_paths(paths, options, jobs=n_jobs, progress=progress.update if progress else None)
    except PecosCheckError as exc:  # UsageError too: all of these come before the first profile is checked
        fail(str(exc))

    from . import reporters
    from .engine import RuleSet

    ctx = reporters.RenderContext(registry=RuleSet.build(options).registry, color=_color(output) and fmt == "text",
                                  quiet=quiet, statistics=statistics)
    write = reporters.writer(fmt)
    try:
        with _output_stream(output) as out:
            write(run, ctx, out)
    except PecosCheckError as exc:
        fail(str(exc))
    except BrokenPipeError:
        if output is not None:
            raise
        _reader_gone()
    except OSError as exc:
        if output is None:
            raise
        fail(f"cannot write {output}: {exc.strerror or exc}")
    finally:
        if progress:
            progress.close()
    if statistics and fmt != "text":
        from .reporters.text import render_statistics

        sys.stderr.write(render_statistics(run.tally) + "\n")
    if run.registry_unavailable:
        raise typer.Exit(EXIT_REGISTRY)
    raise typer.Exit(EXIT_OK if run.ready else EXIT_NOT_READY)


@contextlib.contextmanager
def _output_stream(output: Path | None) -> Iterator[TextIO]:
    """Standard output, or ``output`` written through a temporary file renamed when the report is complete."""
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    from .util import atomic_open

    with atomic_open(output) as fh:
        yield fh


def _reader_gone() -> NoReturn:
    """The report's reader closed the pipe (``| head``): stop quietly, with the shell's code for SIGPIPE."""
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
    raise typer.Exit(EXIT_PIPE_CLOSED)


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
    if not _OWN_PROCESS:
        return
    import gc

    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


class _ProgressBar:
    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self._progress = Progress(console=Console(stderr=True), transient=True, redirect_stdout=False,
                                  redirect_stderr=False)
        self._task: object = None

    def update(self, done: int, total: int) -> None:
        if total < 50:
            return
        if self._task is None:
            self._progress.start()
            self._task = self._progress.add_task("checking profiles", total=total)
        self._progress.update(self._task, completed=done)  # type: ignore[arg-type]

    def close(self) -> None:
        if self._task is not None:
            self._progress.stop()


def _progress_bar() -> _ProgressBar:
    return _ProgressBar()


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the schema to this file.")] = None,
) -> None:
    """Print the JSON Schema of the profile format (for editors' YAML language servers)."""
    from .schema import profile_schema

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
    from .starter import starter_profile

    if kind not in ("individual", "organization"):
        fail("--kind must be individual or organization")
    if path.exists() and not force:
        fail(f"{path} already exists; use --force to overwrite it")
    from .util import atomic_write

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
) -> None:
    """What is due when: expiries, revalidation and change-reporting deadlines, as a table or calendar."""
    from .deadline_formats import DEADLINE_FORMATS, render
    from .deadlines import deadlines_for_paths
    from .errors import PecosCheckError

    if format not in DEADLINE_FORMATS:
        fail(f"unknown format {format!r}; choose one of {', '.join(DEADLINE_FORMATS)}")
    if within < 0 or remind < 0:
        fail("--within and --remind must be zero or more days")
    try:
        from .config import find_config, load_config

        found = find_config(Path.cwd())
        run = deadlines_for_paths(paths, _parse_date(as_of), load_config(found).exclude if found else ())
    except PecosCheckError as exc:
        fail(str(exc))
    for path, why in run.skipped:
        sys.stderr.write(f"pecoscheck: skipped {path}: {why}\n")
    write_output(render(format, run, run.within(within), within=within, remind_days=remind,
                        color=_color(output) and format == "table"), output)


@rules_app.command("list")
def rules_list(
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra folder of YAML rule packs.")] = None,
) -> None:
    """List every rule: id, severity, title and source."""
    from .errors import PecosCheckError
    from .rules.registry import default_registry

    try:
        registry = default_registry([str(p) for p in rules or []])
    except PecosCheckError as exc:
        fail(str(exc))
    items = [registry.rules[k] for k in sorted(registry.rules)]
    if format == "json":
        write_output(json.dumps([r.describe() for r in items], indent=2) + "\n", None)
        return
    if format != "text":
        fail("--format must be text or json")
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, box=None, header_style="bold")
    for col in ("id", "severity", "title", "source"):
        table.add_column(col, overflow="fold")
    for r in items:
        table.add_row(r.id, r.severity.value, r.title, r.source)
    Console(width=160 if not sys.stdout.isatty() else None).print(table)


@rules_app.command("explain")
def rules_explain(
    rule_id: Annotated[str, typer.Argument(metavar="RULE", help="A rule id such as NPI003.")],
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra folder of YAML rule packs.")] = None,
) -> None:
    """Explain one rule: why it exists, how to fix it, its source and examples."""
    from .errors import PecosCheckError
    from .rules.registry import default_registry

    try:
        registry = default_registry([str(p) for p in rules or []])
    except PecosCheckError as exc:
        fail(str(exc))
    r = registry.rules.get(rule_id.strip().upper())
    if r is None:
        fail(f"unknown rule {rule_id!r}; see `pecoscheck rules list`")
    scope = []
    if r.kinds != {"individual", "organization"}:
        scope.append("providers: " + ", ".join(sorted(r.kinds)))
    if r.applications:
        scope.append("applications: " + ", ".join(sorted(r.applications)))
    if r.actions:
        scope.append("actions: " + ", ".join(sorted(r.actions)))
    parts = [f"{r.id}  {r.title}", f"severity: {r.severity.value}   family: {r.family}   origin: {r.origin}"]
    if r.online:
        parts.append(f"needs: --{r.online}")
    parts.append("applies to: " + ("; ".join(scope) if scope else "every profile"))
    parts += ["", "Why", "  " + r.rationale]
    if r.hint:
        parts += ["", "How to fix", "  " + r.hint]
    parts += ["", "Source", "  " + r.source]
    if r.example_fail:
        parts += ["", "Fails", *("  " + ln for ln in r.example_fail.splitlines())]
    if r.example_pass:
        parts += ["", "Passes", *("  " + ln for ln in r.example_pass.splitlines())]
    write_output("\n".join(parts) + "\n", None)


@npi_app.command("check")
def npi_check(
    npis: Annotated[list[str], typer.Argument(metavar="NPI...", help="NPIs to check (offline).")],
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Offline: is each number a well-formed NPI (10 digits, 1 or 2 first, check digit)?"""
    from .npi import check_command

    raise typer.Exit(check_command(npis, format))


def _read_npis(args: list[str]) -> list[str]:
    """NPIs from the arguments; ``-`` reads stdin and ``@FILE`` (or an existing file) reads one per line."""
    out: list[str] = []
    for a in args:
        if a == "-":
            lines = sys.stdin.read().splitlines()
        elif a.startswith("@") or (not a.isdigit() and Path(a).is_file()):
            try:
                lines = Path(a.removeprefix("@")).read_text("utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                fail(f"cannot read NPIs from {a}: {exc}")
        else:
            lines = [a]
        out += [ln.split("#", 1)[0].strip() for ln in lines if ln.split("#", 1)[0].strip()]
    return out


def _record_rows(records: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for col in ("npi", "found", "type", "status", "name", "location", "primary taxonomy", "updated"):
        table.add_column(col, overflow="fold")
    for r in records:
        addresses = r.get("addresses") or []
        loc = next((a for a in addresses if isinstance(a, dict) and a.get("purpose") == "LOCATION"), None)
        where = f"{loc.get('line1')}, {loc.get('city')} {loc.get('state')} {loc.get('postal_code')}" if loc else ""
        taxes = r.get("taxonomies") or []
        primary = next((t for t in taxes if isinstance(t, dict) and t.get("primary")), None)
        found = {True: "yes", False: "no", None: "?"}[r.get("found")]
        note = str(r.get("error") or r.get("note") or "")
        table.add_row(str(r.get("npi")), found, str(r.get("type") or ""), str(r.get("status") or ""),
                      str(r.get("name") or note), where,
                      f"{primary.get('code')} {primary.get('desc') or ''}" if primary else "",
                      str(r.get("last_updated") or ""))
    Console(width=None if sys.stdout.isatty() else 160).print(table)


@npi_app.command("lookup")
def npi_lookup(
    npis: Annotated[list[str], typer.Argument(metavar="NPI...", help="NPIs, `-` for stdin, or a file with one "
                                              "NPI per line.")],
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the registry cache.")] = False,
) -> None:
    """The NPPES registry record of each NPI."""
    from .npi import problem
    from .online.nppes import Found, NotFound, NppesClient, Unavailable

    if format not in ("text", "json"):
        fail("--format must be text or json")
    numbers = _read_npis(npis)
    if not numbers:
        fail("no NPI given")
    bad = [(n, problem(n)) for n in numbers if problem(n)]
    for n, p in bad:
        sys.stderr.write(f"pecoscheck: {p[1] if p else n} [{p[0] if p else ''}]; not looked up\n")
    valid = [n for n in numbers if not problem(n)]
    results = []
    if valid:
        progress = _progress_bar() if sys.stderr.isatty() and len(valid) >= 50 else None
        with NppesClient(cache=not no_cache, validate=lambda n: problem(n) is None) as client:
            if progress:
                done = 0
                for chunk_start in range(0, len(valid), 20):
                    results += client.lookup_many(valid[chunk_start:chunk_start + 20])
                    done += len(valid[chunk_start:chunk_start + 20])
                    progress.update(done, len(valid))
                progress.close()
            else:
                results = client.lookup_many(valid)
    rows = [r.to_dict() for r in results]
    if format == "json":
        write_output(json.dumps(rows, indent=2) + "\n", None)
    else:
        _record_rows(rows)
    if any(isinstance(r, Unavailable) for r in results):
        raise typer.Exit(EXIT_REGISTRY)
    ok = not bad and all(isinstance(r, Found) for r in results)
    if any(isinstance(r, NotFound) for r in results) and format == "text":
        sys.stderr.write("note: 'not found' also means 'deactivated': the registry answers both the same way\n")
    raise typer.Exit(EXIT_OK if ok else EXIT_NOT_READY)


@npi_app.command("search")
def npi_search(
    first_name: Annotated[str | None, typer.Option("--first-name", help="Individuals; trailing * after 2 "
                                                   "characters.")] = None,
    last_name: Annotated[str | None, typer.Option("--last-name")] = None,
    organization: Annotated[str | None, typer.Option("--organization", help="Organization name (any name "
                                                     "type).")] = None,
    state: Annotated[str | None, typer.Option("--state", help="Two-letter state (needs another criterion).")] = None,
    city: Annotated[str | None, typer.Option("--city")] = None,
    postal_code: Annotated[str | None, typer.Option("--postal-code")] = None,
    taxonomy: Annotated[str | None, typer.Option("--taxonomy", help="Taxonomy description.")] = None,
    type: Annotated[str | None, typer.Option("--type", help="individual or organization.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Records wanted (up to 1,200).")] = 10,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the registry cache.")] = False,
) -> None:
    """Search the NPPES registry."""
    from .online.nppes import NppesClient, RegistryQueryError, RegistryUnavailableError

    if format not in ("text", "json"):
        fail("--format must be text or json")
    if type is not None and type not in ("individual", "organization"):
        fail("--type must be individual or organization")
    if not any((first_name, last_name, organization, city, postal_code, taxonomy)):
        fail("give at least one of --first-name, --last-name, --organization, --city, --postal-code, --taxonomy")
    if limit < 1 or limit > 1200:
        fail("--limit must be between 1 and 1200 (the registry's ceiling)")
    try:
        with NppesClient(cache=not no_cache) as client:
            result = client.search(first_name=first_name, last_name=last_name, organization_name=organization,
                                   state=state, city=city, postal_code=postal_code,
                                   taxonomy_description=taxonomy, enumeration_type=type, limit=limit)
    except RegistryQueryError as exc:
        fail(f"the registry refused the search: {exc}")
    except RegistryUnavailableError as exc:
        fail(f"the NPPES registry could not be reached: {exc}", EXIT_REGISTRY)
    except ValueError as exc:
        fail(str(exc))
    rows = [r.to_dict() for r in result.records]
    if format == "json":
        write_output(json.dumps({"results": rows, "count": len(rows), "truncated": result.truncated},
                                indent=2) + "\n", None)
    else:
        _record_rows(rows)
        sys.stdout.write(f"{len(rows)} record{'s' if len(rows) != 1 else ''}")
        if result.truncated:
            sys.stdout.write("; the registry returns at most 1,200 matches, so more may exist: narrow the search")
        sys.stdout.write("\n")


cache_app = typer.Typer(help="The registry answer cache.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info() -> None:
    """Where the cache is, how many answers it holds and their size."""
    from .online import cache

    info = cache.info()
    write_output(f"folder:  {info.folder}\nentries: {info.entries}\nsize:    {info.bytes:,} bytes\n", None)


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached registry answer."""
    from .online import cache

    removed = cache.clear()
    write_output(f"removed {removed} cached answer{'s' if removed != 1 else ''}\n", None)


pecos_app = typer.Typer(help="CMS's public PECOS data (data.cms.gov): enrollments, revalidation, reassignments, "
                        "order and referring, opt-out.", no_args_is_help=True, rich_markup_mode=None)
exclusions_app = typer.Typer(help="Screen names and NPIs against the local OIG exclusion list (LEIE).",
                             no_args_is_help=True, rich_markup_mode=None)
data_app = typer.Typer(help="Local copies of public data: download and status.", no_args_is_help=True,
                       rich_markup_mode=None)
data_update_app = typer.Typer(help="Download a public data set.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(pecos_app, name="pecos")
app.add_typer(exclusions_app, name="exclusions")
app.add_typer(data_app, name="data")
data_app.add_typer(data_update_app, name="update")


@pecos_app.command("lookup")
def pecos_lookup(
    npis: Annotated[list[str], typer.Argument(metavar="NPI...", help="NPIs, `-` for stdin, or a file with one "
                                              "NPI per line.")],
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the answer cache.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date an opt-out is judged active on "
                                                 "(YYYY-MM-DD; default today).")] = None,
) -> None:
    """Each NPI in CMS's public enrollment, revalidation, reassignment, order-and-referring and opt-out data."""
    from .online.pecos_cli import lookup_command

    raise typer.Exit(lookup_command(_read_npis(npis), format, use_cache=not no_cache, as_of=_parse_date(as_of)))


@exclusions_app.command("check")
def exclusions_check(
    queries: Annotated[list[str], typer.Argument(metavar="NAME-or-NPI...", help="NPIs, person names (\"Jane Doe\" "
                                                 "or \"Doe, Jane\") or business names.")],
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    kind: Annotated[str, typer.Option("--kind", help="How to read a name: any, person or business.")] = "any",
) -> None:
    """Look names and NPIs up in the local LEIE copy (exit 1 on any match; name-only matches need verifying)."""
    from .online.pecos_cli import exclusions_command

    raise typer.Exit(exclusions_command(queries, format, kind=kind))


@data_update_app.command("leie")
def data_update_leie(
    url: Annotated[str | None, typer.Option("--url", help="Download from here (default: $PECOSCHECK_LEIE_URL "
                                            "or OIG's UPDATED.csv).")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Build from a local UPDATED.csv instead.")] = None,
    file_date: Annotated[str | None, typer.Option("--file-date", help="With --file: the list's date "
                                                  "(YYYY-MM-DD; default the file's time).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Download even if the server says nothing changed.")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Download OIG's exclusion list (UPDATED.csv) and index it locally for `exclusions check` and --exclusions."""
    from .online.pecos_cli import update_leie_command

    when = _parse_date(file_date) if file_date else None
    raise typer.Exit(update_leie_command(url=url, file=file, force=force, file_date=when, fmt=format))


@data_app.command("status")
def data_status(
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """The local LEIE copy (date, age, rows) and the data.cms.gov datasets and cache; makes no request."""
    from .online.pecos_cli import status_command

    raise typer.Exit(status_command(format))


_OWN_PROCESS = False  # True when run() is the program (not when a test or a host calls the app)


def run() -> None:
    """Run the Typer app, turning any internal error into one line and exit code 2."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    try:
        app(prog_name="pecoscheck")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("pecoscheck: interrupted\n")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("PECOSCHECK_DEBUG") or "--debug" in sys.argv:
            raise
        sys.stderr.write(f"pecoscheck: internal error: {type(exc).__name__}: {exc} (run with --debug for "
                         "the traceback)\n")
        sys.exit(EXIT_USAGE)

