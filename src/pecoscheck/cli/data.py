"""Registry data commands: ``cache``, ``pecos``, ``exclusions`` and ``data``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import Group, app, parse_date, read_npis, write_output

cache_app = typer.Typer(cls=Group, help="The registry answer cache and the result cache.", no_args_is_help=True,
                        rich_markup_mode=None)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info() -> None:
    """Where the cache is, how many answers and results it holds and their size."""
    from .. import resultcache
    from ..online import cache

    info = cache.info()
    results = resultcache.info()
    write_output(f"folder:  {info.folder}\nentries: {info.entries}\nsize:    {info.bytes:,} bytes\n"
                 f"results: {results.entries} ({results.bytes:,} bytes in {results.folder})\n", None)


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached registry answer and every cached result."""
    from .. import resultcache
    from ..online import cache

    removed = cache.clear()
    results = resultcache.clear()
    write_output(f"removed {removed} cached answer{'s' if removed != 1 else ''} and {results} cached "
                 f"result{'s' if results != 1 else ''}\n", None)


pecos_app = typer.Typer(cls=Group, help="CMS's public PECOS data (data.cms.gov): enrollments, revalidation, "
                        "reassignments, order and referring, opt-out.", no_args_is_help=True, rich_markup_mode=None)
exclusions_app = typer.Typer(cls=Group, help="Screen names and NPIs against the local OIG exclusion list (LEIE).",
                             no_args_is_help=True, rich_markup_mode=None)
data_app = typer.Typer(cls=Group, help="Local copies of public data: download and status.", no_args_is_help=True,
                       rich_markup_mode=None)
data_update_app = typer.Typer(cls=Group, help="Download a public data set.", no_args_is_help=True,
                              rich_markup_mode=None)
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
    from ._registry import lookup_command

    raise typer.Exit(lookup_command(read_npis(npis), format, use_cache=not no_cache, as_of=parse_date(as_of)))


@exclusions_app.command("check")
def exclusions_check(
    queries: Annotated[list[str], typer.Argument(metavar="NAME-or-NPI...", help="NPIs, person names (\"Jane Doe\" "
                                                 "or \"Doe, Jane\") or business names.")],
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    kind: Annotated[str, typer.Option("--kind", help="How to read a name: any, person or business.")] = "any",
) -> None:
    """Look names and NPIs up in the local LEIE copy (exit 1 on any match; name-only matches need verifying)."""
    from ._registry import exclusions_command

    raise typer.Exit(exclusions_command(queries, format, kind=kind))


@data_update_app.command("leie")
def data_update_leie(
    url: Annotated[str | None, typer.Option("--url", help="Download from here (default: $PECOSCHECK_LEIE_URL "
                                            "or OIG's UPDATED.csv).")] = None,
    file: Annotated[list[Path] | None, typer.Option("--file", help="Build from local files instead (a copy "
                                                    "fetched elsewhere): UPDATED.csv and/or monthly supplements "
                                                    "(YYMMEXCL.csv, YYMMREIN.csv); repeatable.")] = None,
    file_date: Annotated[str | None, typer.Option("--file-date", help="With --file: the list's date "
                                                  "(YYYY-MM-DD; default the file's time).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Download even if the server says nothing changed.")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Download OIG's exclusion list (UPDATED.csv and the monthly supplements it lacks) and index it locally."""
    from ._registry import update_leie_command

    when = parse_date(file_date) if file_date else None
    raise typer.Exit(update_leie_command(url=url, files=file, force=force, file_date=when, fmt=format))


@data_update_app.command("sam")
def data_update_sam(
    file: Annotated[Path, typer.Option("--file", help="The SAM.gov public exclusions extract (CSV, version 1 or "
                                       "2 layout) downloaded from SAM.gov Data Services.")],
    file_date: Annotated[str | None, typer.Option("--file-date", help="The extract's date (YYYY-MM-DD; default "
                                                  "the file's time).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Index SAM.gov's public exclusions extract locally for --exclusions."""
    from ._registry import update_sam_command

    when = parse_date(file_date) if file_date else None
    raise typer.Exit(update_sam_command(file, file_date=when, fmt=format))


@data_app.command("status")
def data_status(
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """The local LEIE and SAM.gov copies (months, age, rows) and the data.cms.gov datasets; makes no request."""
    from ._registry import status_command

    raise typer.Exit(status_command(format))


_OWN_PROCESS = False  # True when run() is the program (not when a test or a host calls the app)
