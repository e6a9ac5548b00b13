"""The command line: a thin Typer layer over the library. Heavy imports happen inside commands."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from ._version import __version__

EXIT_OK, EXIT_NOT_READY, EXIT_USAGE, EXIT_REGISTRY = 0, 1, 2, 3
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
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the registry cache.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Profiles checked in parallel "
                                                "(default: number of CPUs).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary line (text format).")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="Also print a count per rule.")] = False,
    no_plugins: Annotated[bool, typer.Option("--no-plugins", help="Do not load rule plugins.")] = False,
) -> None:
    """Check profiles and report what to fix before submitting to PECOS."""
    from .config import Config, find_config, load_config
    from .engine import Options, UsageError, validate_paths
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
            online=frozenset({"nppes"} if nppes else set()),
        )
        n_jobs = jobs or os.cpu_count() or 1
        progress = _progress_bar() if sys.stderr.isatty() and not os.environ.get("CI") else None
        report = validate_paths(paths, options, jobs=n_jobs,
                                progress=progress.update if progress else None)
        if progress:
            progress.close()
        if nppes:
            from .online.compare import compare_report

            compare_report(report, options, use_cache=not no_cache)
    except UsageError as exc:
        fail(str(exc))
    except PecosCheckError as exc:
        fail(str(exc))

    from . import reporters
    from .engine import RuleSet

    ctx = reporters.RenderContext(registry=RuleSet.build(options).registry, color=_color(output) and fmt == "text",
                                  quiet=quiet, statistics=statistics)
    text = reporters.get(fmt)(report, ctx)
    write_output(text, output)
    if statistics and fmt != "text":
        from .reporters.text import render_statistics

        sys.stderr.write(render_statistics(report) + "\n")
    if report.registry_unavailable:
        raise typer.Exit(EXIT_REGISTRY)
    raise typer.Exit(EXIT_OK if report.ready else EXIT_NOT_READY)


class _ProgressBar:
    def __init__(self) -> None:
        from rich.progress import Progress

        self._progress = Progress(transient=True)
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
    import json

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
        import json

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


def run() -> None:
    """Run the Typer app, turning any internal error into one line and exit code 2."""
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

