"""Exclusion screening (``--exclusions``): the provider and every owner, official and managing employee
against OIG's List of Excluded Individuals/Entities (LEIE), from the local index.

The screening itself happens before the rules run (``pecoscheck.online.screening``);
the answers are in ``ctx.online["exclusions"]``, keyed by NPI and by each party's
name as written in the profile. An NPI match on an active exclusion is an
error; a match by name alone is a warning, because the download carries no SSN
or EIN: only OIG's online search can confirm it. Reinstated exclusions never
match.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ...findings import Severity
from ..base import Context, Hit, rule

if TYPE_CHECKING:
    from ...online.leie import LeieRecord
    from ...online.screening import Screened

_SOURCE = ("[S87] OIG LEIE: oig.hhs.gov/exclusions/tips.asp and state-agencies.asp (no SSN/EIN in the "
           "download; verify with the online search); [S52] Noridian denial decision tree / Palmetto denial "
           "reasons (excluded or debarred party, 42 CFR 424.530)")
VERIFY = ("the LEIE download has no SSN or EIN, so verify it with OIG's online search "
          "(exclusions.oig.hhs.gov) using the SSN or EIN before acting")


def _answer(ctx: Context, key: str | None) -> Screened | None:
    from ...online.screening import Screened

    if not key:
        return None
    answer = ctx.online.get("exclusions", {}).get(key)
    return answer if isinstance(answer, Screened) else None


def _parties(ctx: Context) -> Iterator[tuple[str, tuple[Any, ...], str | None, tuple[Any, ...], str | None]]:
    """(label, name path, name key, NPI path, NPI) of every party screened, keys as the prefetch wrote them."""
    p = ctx.profile.provider
    if p.kind == "individual" and p.name is not None:
        name: str | None = f"{p.name.first} {p.name.last}".strip()
        yield "the provider", ("provider", "name"), name, ("provider", "npi"), p.npi
    else:
        yield "the provider", ("provider", "legal_name"), p.legal_name, ("provider", "npi"), p.npi
    for i, o in enumerate(ctx.profile.ownership):
        roles = set(o.roles)
        label = "managing employee" if roles == {"managing_employee"} else "owner or managing party"
        yield (f"{label} {o.name}", ("ownership", i, "name"), o.name, ("ownership", i, "npi"), o.npi)
    for i, off in enumerate(ctx.profile.officials):
        label = "authorized official" if off.role == "authorized_official" else "delegated official"
        yield f"{label} {off.name}", ("officials", i, "name"), off.name, ("officials", i, "name"), None


def _list_note(answer: Screened) -> str:
    return f"OIG LEIE copy of {answer.list_date.isoformat()}" if answer.list_date else "the local OIG LEIE copy"


def _same_record(a: LeieRecord, b: LeieRecord) -> bool:
    return (a.last_name, a.first_name, a.business_name, a.npi, a.exclusion_date) == (
        b.last_name, b.first_name, b.business_name, b.npi, b.exclusion_date)


@rule("EXC001", "Provider or party matches an active OIG exclusion (LEIE)", "error", online="exclusions",
      hint="An NPI match: the party is excluded from federal health care programs and cannot be enrolled, "
           "own or manage an enrolled provider; confirm on OIG's online search and remove the party or "
           "seek reinstatement. A name-only match: verify it with OIG's online search using the SSN or EIN.",
      rationale="CMS denies enrollment when the provider or any owner, authorized or delegated official or "
                "managing employee is excluded by OIG (42 CFR 424.530). The LEIE download lists NPIs for many "
                "exclusions but no SSN or EIN, so a match by name alone is only a warning to verify; "
                "reinstated exclusions do not match. Screen again monthly: OIG updates the list by the 10th.",
      source=_SOURCE,
      example_fail="ownership:\n  - {party: individual, name: Joni Barrows, npi: \"1609915321\"}   # on the LEIE",
      example_pass="ownership:\n  - {party: individual, name: Thomas Lindqvist, npi: \"1097080240\"}")
def leie_match(ctx: Context) -> Iterator[Hit]:
    for label, name_path, name, npi_path, npi in _parties(ctx):
        by_npi = _answer(ctx, npi)
        npi_hits = list(by_npi.matches) if by_npi else []
        for record in npi_hits:
            assert by_npi is not None
            yield Hit(npi_path, f"{label}: NPI {npi} is on the {_list_note(by_npi)} as excluded: "
                                f"{record.describe()}", severity=Severity.ERROR)
        by_name = _answer(ctx, name)
        if by_name is None:
            continue
        for record in by_name.matches:
            if any(_same_record(record, r) for r in npi_hits):
                continue
            if npi and record.npi and record.npi != npi:
                continue  # the LEIE row names another NPI: another person or entity
            yield Hit(name_path, f"{label}: possible match by name only on the {_list_note(by_name)}: "
                                 f"{record.describe()}; {VERIFY}", severity=Severity.WARNING)


@rule("EXC900", "The local copy of the OIG exclusion list is old", "warning", online="exclusions",
      hint="Run `pecoscheck data update leie` to download the current list (OIG updates it monthly).",
      rationale="OIG publishes the full LEIE by the 10th of each month; screening against a copy more than "
                "45 days old can miss recent exclusions.",
      source=_SOURCE,
      example_fail="# LEIE copy dated 2026-09-10, checked 2026-11-26",
      example_pass="# LEIE copy dated 2026-11-10, checked 2026-11-26")
def leie_copy_old(ctx: Context) -> Iterator[Hit]:
    from ...online.leie import STALE_DAYS

    answer = next((a for a in (_answer(ctx, key) for _, _, key, _, _ in _parties(ctx)) if a), None)
    answer = answer or _answer(ctx, ctx.profile.provider.npi)
    if answer is None or answer.list_date is None:
        return
    age = (ctx.as_of - answer.list_date).days
    if age > STALE_DAYS:
        yield Hit("", f"exclusion screening used the OIG LEIE copy of {answer.list_date.isoformat()}, {age} days "
                      f"old on {ctx.as_of.isoformat()}; recent exclusions may be missing")
