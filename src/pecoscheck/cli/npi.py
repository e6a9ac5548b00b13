"""``pecoscheck npi``: NPI checks and NPPES lookups and searches."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from ._common import (
    EXIT_NOT_READY,
    EXIT_OK,
    EXIT_REGISTRY,
    Group,
    app,
    fail,
    progress_bar,
    read_npis,
    warn,
    write_output,
)

npi_app = typer.Typer(cls=Group, help="NPI checks, NPPES registry lookups and searches.", no_args_is_help=True,
                      rich_markup_mode=None)
app.add_typer(npi_app, name="npi")

@npi_app.command("check")
def npi_check(
    npis: Annotated[list[str], typer.Argument(metavar="NPI...", help="NPIs to check (offline).")],
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Offline: is each number a well-formed NPI (10 digits, 1 or 2 first, check digit)?"""
    from ..npi import check_command

    raise typer.Exit(check_command(npis, format))



def _record_rows(records: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..sinks import masked_terminal

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
        cells = (str(r.get("npi")), found, str(r.get("type") or ""), str(r.get("status") or ""),
                 str(r.get("name") or note), where,
                 f"{primary.get('code')} {primary.get('desc') or ''}" if primary else "",
                 str(r.get("last_updated") or ""))
        table.add_row(*(masked_terminal(c) for c in cells))
    Console(width=None if sys.stdout.isatty() else 160).print(table)


@npi_app.command("lookup")
def npi_lookup(
    npis: Annotated[list[str], typer.Argument(metavar="NPI...", help="NPIs, `-` for stdin, or a file with one "
                                              "NPI per line.")],
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the registry cache.")] = False,
) -> None:
    """The NPPES registry record of each NPI."""
    from ..npi import problem
    from ..online.nppes import Found, NotFound, NppesClient, Unavailable

    if format not in ("text", "json"):
        fail("--format must be text or json")
    numbers = read_npis(npis)
    if not numbers:
        fail("no NPI given")
    bad = [(n, problem(n)) for n in numbers if problem(n)]
    for n, p in bad:
        warn(f"{p[1] if p else n} [{p[0] if p else ''}]; not looked up")
    valid = [n for n in numbers if not problem(n)]
    results = []
    if valid:
        progress = progress_bar() if sys.stderr.isatty() and len(valid) >= 50 else None
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
    from ..online.nppes import NppesClient, RegistryQueryError, RegistryUnavailableError

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
