"""Exclusion screening (``--exclusions``): the provider and every owner, official and managing employee
against OIG's List of Excluded Individuals/Entities (LEIE) and SAM.gov's exclusions, from local indexes.

The screening itself happens before the rules run (``pecoscheck.online.screening``);
the answers are in ``ctx.online["exclusions"]``, keyed by NPI and by each party's
name as written in the profile. NPI first: an NPI match on an active exclusion
is an error. Then the name: a match by name alone is a warning, because
neither download carries an SSN or EIN, so only the list's own search can
confirm it; for SAM.gov a name match counts only in a state the profile
practises or is licensed in (or when the record names no state).
Reinstated or terminated exclusions never match.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ...findings import Severity
from ..base import Context, Hit, rule

if TYPE_CHECKING:
    from ...online.leie import LeieRecord
    from ...online.sam import SamRecord
    from ...online.screening import Screened

_SOURCE = ("[S87] OIG LEIE: oig.hhs.gov/exclusions/tips.asp and state-agencies.asp (no SSN/EIN in the "
           "download; verify with the online search); [S52] Noridian denial decision tree / Palmetto denial "
           "reasons (excluded or debarred party, 42 CFR 424.530)")
VERIFY = ("the LEIE download has no SSN or EIN, so verify it with OIG's online search "
          "(exclusions.oig.hhs.gov) using the SSN or EIN before acting")
_SAM_SOURCE = ("[S88] SAM.gov public extract, Exclusions (GSA); [S89] 42 CFR 455.436 (state agencies check LEIE and "
               "SAM at enrollment and monthly); [S52] Noridian / Palmetto denial reasons (excluded or debarred party)")
SAM_VERIFY = ("the SAM.gov extract has no SSN or EIN, so confirm it on SAM.gov (Search, Exclusions) with the SAM "
              "number, address and date of birth or TIN before acting")


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


def _states(ctx: Context) -> set[str]:
    """The states the profile practises or is licensed in."""
    p = ctx.profile
    found = {loc.address.state.upper() for loc in p.practice_locations if loc.address and loc.address.state}
    found |= {lic.state.upper() for lic in p.licenses if lic.state}
    return found


def _same_sam(a: SamRecord, b: SamRecord) -> bool:
    return (a.display_name, a.sam_number, a.agency, a.active_date) == (b.display_name, b.sam_number, b.agency,
                                                                        b.active_date)


def _sam_note(answer: Screened) -> str:
    status = answer.sam_status
    return (f"SAM.gov exclusions extract of {status.file_date.isoformat()}" if status and status.file_date
            else "the local SAM.gov exclusions extract")


@rule("EXC002", "Provider or party matches an active SAM.gov exclusion", "error", online="exclusions",
      hint="An NPI match: the party is debarred or excluded from federal programs; confirm on SAM.gov (Search, "
           "Exclusions) and remove the party. A name-only match: confirm it on SAM.gov with the SAM number, "
           "address and date of birth or TIN before acting.",
      rationale="SAM.gov lists the debarments, suspensions and exclusions of every federal agency (HHS OIG's among "
                "them); 42 CFR 455.436 has state agencies check it with the LEIE at enrollment and monthly, and "
                "CMS denies enrollment to excluded or debarred parties. The public extract carries an NPI for few "
                "records and no SSN or EIN, so a match by name (in a state of the profile) is only a warning.",
      source=_SAM_SOURCE,
      example_fail="officials:\n  - {name: Cassie Collins, role: authorized_official}   # SAM.gov: DOL, DC",
      example_pass="officials:\n  - {name: Thomas Lindqvist, role: authorized_official}")
def sam_match(ctx: Context) -> Iterator[Hit]:
    states = _states(ctx)
    for label, name_path, name, npi_path, npi in _parties(ctx):
        by_npi = _answer(ctx, npi)
        npi_hits = list(by_npi.sam) if by_npi else []
        for record in npi_hits:
            assert by_npi is not None
            yield Hit(npi_path, f"{label}: NPI {npi} is on the {_sam_note(by_npi)} as excluded: "
                                f"{record.describe()}", severity=Severity.ERROR)
        by_name = _answer(ctx, name)
        if by_name is None:
            continue
        for record in by_name.sam:
            if any(_same_sam(record, r) for r in npi_hits):
                continue
            if npi and record.npi and record.npi != npi:
                continue
            if record.state and states and record.state.upper() not in states:
                continue  # same name in another state: not this party, as far as the extract can tell
            yield Hit(name_path, f"{label}: possible match by name only on the {_sam_note(by_name)}: "
                                 f"{record.describe()}; {SAM_VERIFY}", severity=Severity.WARNING)


@rule("EXC900", "The local copy of the OIG exclusion list lacks the latest month", "warning", online="exclusions",
      hint="Run `pecoscheck data update leie`: it downloads the full list and the monthly supplements it lacks.",
      rationale="OIG updates the full LEIE and publishes the previous month's supplements (new exclusions, "
                "reinstatements) by the 10th of each month [S87]. The copy is stale when the last month OIG has "
                "published (allowing pecoscheck's own 5 days' grace) is neither in the full file nor applied as a "
                "supplement, or when a month is missing between them.",
      source=_SOURCE,
      example_fail="# LEIE full file of 2026-09-10, no supplement since, checked 2026-11-26",
      example_pass="# LEIE full file of 2026-11-10, checked 2026-11-26")
def leie_copy_old(ctx: Context) -> Iterator[Hit]:
    from ...online.leie.months import expected_through, label

    answer = next((a for a in (_answer(ctx, key) for _, _, key, _, _ in _parties(ctx)) if a), None)
    answer = answer or _answer(ctx, ctx.profile.provider.npi)
    status = answer.leie_status if answer else None
    if status is None:
        return
    gaps = status.gaps()
    if gaps:
        yield Hit("", f"the OIG LEIE copy used for screening lacks the monthly supplements {', '.join(gaps)} "
                      "between its full file and its latest month; exclusions or reinstatements of those months "
                      "may be missing")
    if status.stale(ctx.as_of):
        latest = status.latest_month
        held = label(latest) if latest is not None else "an unknown month"
        yield Hit("", f"exclusion screening used an OIG LEIE copy holding exclusions through {held}, but OIG had "
                      f"published {label(expected_through(ctx.as_of))} by {ctx.as_of.isoformat()}; recent "
                      "exclusions may be missing")
