"""NPPES rules (``--nppes``): the profile compared with the provider's NPPES registry record."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from functools import lru_cache
from typing import Any

from ..base import Context, Hit, rule

_NAME_SOURCE = ("[S21] NGS Top Reasons Behind Delays; [S20] NGS revalidation documents; [S63] PIM text: a match "
                "is accepted when a comma or period is the only difference")
_LOOKUP_SOURCE = "[S41] 45 CFR 162.408 (NPIs deactivated, never reassigned); [S83] NPPES API v2.1"
_NOT_FOUND = ("the NPPES registry has no record for NPI {npi} (the registry answers the same way for a "
              "deactivated NPI)")


def _answer(ctx: Context, npi: str) -> Any:
    """The registry's answer for ``npi`` (Found/NotFound/...), or ``None`` when it was not looked up."""
    return ctx.online.get("nppes", {}).get(npi)


def _record(ctx: Context) -> Any:
    from ...online.nppes import Found

    answer = _answer(ctx, ctx.profile.provider.npi)
    return answer.record if isinstance(answer, Found) else None


def norm_name(text: str | None) -> str:
    """Case, commas, periods and runs of whitespace do not count in a name comparison."""
    return " ".join(re.sub(r"[.,]", "", text or "").upper().split())


@lru_cache(maxsize=1024)
def norm_address(line1: str, line2: str, city: str, state: str, zip_code: str) -> tuple[str, str, str, str]:
    """USPS-normalised (line1 + line2, city, state, ZIP5) of an address."""
    zip5 = re.sub(r"\D", "", zip_code)[:5]
    try:
        from scourgify import normalize_address_record

        rec = normalize_address_record({"address_line_1": line1, "address_line_2": line2 or None, "city": city,
                                        "state": state, "postal_code": zip5})
        street = " ".join(x for x in (rec.get("address_line_1"), rec.get("address_line_2")) if x)
        return (street, rec.get("city") or "", rec.get("state") or "", zip5)
    except Exception:  # scourgify raises on addresses it cannot parse; compare them plainly
        street = norm_name(f"{line1} {line2}").replace("#", "")
        return (street, norm_name(city), norm_name(state), zip5)


@rule("NPPES001", "NPI not found or deactivated in NPPES", "error", online="nppes",
      hint="Check the NPI in the NPPES registry; a deactivated NPI must be reactivated in NPPES before "
           "any Medicare enrollment.",
      rationale="An NPI must exist before any Medicare enrollment application, and deactivated NPIs are "
                "never reassigned. The registry answers a lookup of a deactivated NPI with no result, so "
                "'not found' means 'never issued or deactivated'.",
      source=_LOOKUP_SOURCE + "; [S23] FCSO tips (NPI first)")
def nppes_found(ctx: Context) -> Iterator[Hit]:
    from ...online.nppes import Found, NotFound

    npi = ctx.profile.provider.npi
    answer = _answer(ctx, npi)
    if isinstance(answer, NotFound):
        yield Hit(("provider", "npi"), _NOT_FOUND.format(npi=npi))
    elif isinstance(answer, Found) and answer.record.is_deactivated:
        yield Hit(("provider", "npi"), f"NPPES lists NPI {npi} as deactivated")
    for i, r in enumerate(ctx.profile.reassignments):
        group = _answer(ctx, r.group_npi)
        if isinstance(group, NotFound):
            yield Hit(("reassignments", i, "group_npi"), "group " + _NOT_FOUND.format(npi=r.group_npi))


@rule("NPPES002", "NPPES enumeration type does not match the provider kind", "error", online="nppes",
      hint="Individuals enroll with their Type 1 NPI, organizations with their Type 2 NPI; "
           "a group's NPI in a reassignment is a Type 2 NPI.",
      rationale="NPPES enumerates individuals (NPI-1, including sole proprietors) and organizations (NPI-2) "
                "separately; an incorporated individual has both and must use the right one.",
      source="[S62] NPI categories (CMS text), NPPES help; [S83] NPPES API v2.1")
def nppes_type(ctx: Context) -> Iterator[Hit]:
    from ...online.nppes import Found

    record = _record(ctx)
    if record is not None and record.type != ctx.kind:
        want = "Type 1 (individual)" if ctx.kind == "individual" else "Type 2 (organization)"
        yield Hit(("provider", "npi"), f"NPI {record.npi} is a {record.type} NPI in NPPES; this "
                  f"{ctx.kind} profile needs a {want} NPI")
    for i, r in enumerate(ctx.profile.reassignments):
        group = _answer(ctx, r.group_npi)
        if isinstance(group, Found) and group.record.type != "organization":
            yield Hit(("reassignments", i, "group_npi"), f"group NPI {r.group_npi} is an individual (Type 1) "
                      "NPI in NPPES; benefits are reassigned to the group's Type 2 NPI")


@rule("NPPES003", "Name differs from NPPES", "error", online="nppes",
      hint="Make the profile, the IRS letter (organizations) or SSA record (individuals) and NPPES agree; "
           "change the name at SSA/IRS and NPPES first.",
      rationale="A name that disagrees with NPPES delays or rejects the application. Individuals: first and "
                "last name as in NPPES (which must match SSA). Organizations: the legal business name, "
                "including the suffix (PC, PA, LLC); a DBA belongs in NPPES as an 'other name', never as the "
                "legal name. Case, commas, periods and extra spaces are ignored (case-folding is a pecoscheck "
                "choice).",
      source=_NAME_SOURCE + "; [S69] NGS Avoiding Common Errors")
def nppes_name(ctx: Context) -> Iterator[Hit]:
    record = _record(ctx)
    if record is None or record.type != ctx.kind:
        return
    p = ctx.profile.provider
    if ctx.kind == "individual" and p.name is not None and record.name is not None:
        for part in ("first", "last"):
            mine, theirs = getattr(p.name, part), getattr(record.name, part)
            if theirs and norm_name(mine) != norm_name(theirs):
                yield Hit(("provider", "name", part), f"{part} name `{mine}` differs from NPPES `{theirs}`")
    elif ctx.kind == "organization" and p.legal_name and record.organization_name:
        dbas = {norm_name(o.name) for o in record.other_names if o.code == "3"}
        if norm_name(p.legal_name) != norm_name(record.organization_name):
            extra = " (NPPES lists it as a doing-business-as name)" if norm_name(p.legal_name) in dbas else ""
            yield Hit(("provider", "legal_name"), f"legal name `{p.legal_name}` differs from the NPPES legal "
                      f"business name `{record.organization_name}`{extra}")
        if p.dba_name and norm_name(p.dba_name) == norm_name(record.organization_name) \
                and norm_name(p.dba_name) != norm_name(p.legal_name):
            yield Hit(("provider", "dba_name"), f"NPPES holds the DBA `{p.dba_name}` as the legal business "
                      "name; the DBA belongs in NPPES as an 'other name'")


@rule("NPPES004", "Practice location not in NPPES", "warning", online="nppes",
      hint="Add the location to NPPES (practice locations) within 30 days of the change, or correct the "
           "address in the profile.",
      rationale="OIG found most PECOS and NPPES records inconsistent, mostly in addresses; NPPES must be "
                "updated within 30 days of a change. Addresses are compared after USPS normalisation "
                "(street suffixes, suite forms, ZIP+4 against ZIP5).",
      source="[S82] OIG NPPES/PECOS inconsistency summary (3P); [S41] 45 CFR 162.410(a)(4)")
def nppes_locations(ctx: Context) -> Iterator[Hit]:
    record = _record(ctx)
    if record is None:
        return
    known = {norm_address(a.line1 or "", a.line2 or "", a.city or "", a.state or "", a.postal_code or "")
             for a in (*[a for a in record.addresses if a.purpose == "LOCATION"], *record.practice_locations)}
    known_streets = {(k[0], k[3]) for k in known}
    for i, loc in enumerate(ctx.profile.practice_locations):
        a = loc.address
        key = norm_address(a.line1, a.line2 or "", a.city, a.state, a.zip)
        if key not in known and (key[0], key[3]) not in known_streets:
            yield Hit(("practice_locations", i, "address"), f"practice location `{a.line1}, {a.city}, {a.state} "
                      f"{a.zip}` is not among the NPPES locations of NPI {record.npi}")


@rule("NPPES005", "Primary taxonomy differs from NPPES", "warning", online="nppes",
      hint="Make the primary taxonomy in NPPES the one the enrollment specialty is based on.",
      rationale="A taxonomy inconsistent with the enrollment specialty is a common PECOS/NPPES mismatch.",
      source="[S82] OIG NPPES/PECOS inconsistency summary (3P); [S83] NPPES API v2.1")
def nppes_taxonomy(ctx: Context) -> Iterator[Hit]:
    record = _record(ctx)
    if record is None or record.primary_taxonomy is None:
        return
    for i, t in enumerate(ctx.profile.provider.taxonomies):
        if t.primary and t.code != record.primary_taxonomy.code:
            yield Hit(("provider", "taxonomies", i, "code"), f"primary taxonomy {t.code} differs from the NPPES "
                      f"primary taxonomy {record.primary_taxonomy.code} ({record.primary_taxonomy.desc or ''})")


@rule("NPPES006", "A change is not reflected in NPPES after 30 days", "warning", online="nppes",
      hint="Update NPPES: changes to NPPES data must be reported within 30 days.",
      rationale="Changes to NPPES data (name, practice location, mailing address, taxonomy) must be reported "
                "within 30 days. A change dated more than 30 days ago while the NPPES record was last updated "
                "before the change suggests NPPES was not updated.",
      source="[S41] 45 CFR 162.410(a)(4)")
def nppes_stale(ctx: Context) -> Iterator[Hit]:
    record = _record(ctx)
    if record is None or record.last_updated is None:
        return
    for i, c in enumerate(ctx.profile.changes):
        if c.kind in ("name", "practice_location") and c.effective_date + timedelta(days=30) < ctx.as_of \
                and record.last_updated < c.effective_date:
            yield Hit(("changes", i, "effective_date"), f"{c.kind.replace('_', ' ')} change of "
                      f"{c.effective_date} is more than 30 days old, but NPPES was last updated on "
                      f"{record.last_updated}")


@rule("NPPES007", "NPPES license differs from the profile", "info", online="nppes",
      hint="Make the license number and state in NPPES match the license on file.",
      rationale="NPPES taxonomies carry a license number and state; a difference from the profile's license "
                "is worth a look before submission.",
      source="[S83] NPPES API v2.1 (taxonomies: license, state)")
def nppes_license(ctx: Context) -> Iterator[Hit]:
    record = _record(ctx)
    if record is None:
        return
    mine = {(lic.state.upper(), re.sub(r"\W", "", lic.number).upper()) for lic in ctx.profile.licenses}
    states = {s for s, _ in mine}
    for t in record.taxonomies:
        if not t.license or not t.state:
            continue
        number = re.sub(r"\W", "", t.license).upper()
        if (t.state.upper(), number) in mine:
            continue
        path: tuple[str | int, ...] = ("licenses",)
        for i, lic in enumerate(ctx.profile.licenses):
            if lic.state.upper() == t.state.upper():
                path = ("licenses", i, "number")
                break
        what = "a different number" if t.state.upper() in states else "no license for that state"
        yield Hit(path, f"NPPES lists license {t.license} ({t.state}) for taxonomy {t.code}; the profile has {what}")


@rule("NPPES008", "NPPES authorized official is not among the profile's officials", "warning", online="nppes",
      kinds=("organization",),
      hint="List the NPPES authorized official among `officials`, or update NPPES.",
      rationale="The authorized official on the NPPES record should be one of the organization's officials "
                "on the enrollment; a difference often means one of the two records is out of date.",
      source="[S83] NPPES API v2.1 (authorized official); [S43] NGS AO and DO roles")
def nppes_official(ctx: Context) -> Iterator[Hit]:
    record = _record(ctx)
    if record is None or record.authorized_official is None:
        return
    ao = record.authorized_official
    first, last = norm_name(ao.first), norm_name(ao.last)
    for o in ctx.profile.officials:
        words = norm_name(o.name).split()
        if last in words and (not first or first in words):
            return
    yield Hit(("officials",), f"NPPES names {ao.first} {ao.last} as authorized official, who is not among the "
              "profile's officials")


@rule("NPPES009", "NPPES registry could not be reached", "info", online="nppes",
      hint="Run again later; the offline findings are complete.",
      rationale="When the registry gives no usable answer after retries, the NPPES comparison is skipped "
                "(and the run exits with code 3), rather than reporting a mismatch that may not exist.",
      source="[S83] NPPES API v2.1; pecoscheck behaviour")
def nppes_unavailable(ctx: Context) -> Iterator[Hit]:
    from ...online.nppes import Rejected, Unavailable

    answer = _answer(ctx, ctx.profile.provider.npi)
    if isinstance(answer, Unavailable):
        yield Hit(("provider", "npi"), f"NPPES comparison skipped: the registry is unavailable ({answer.reason})")
    elif isinstance(answer, Rejected):
        yield Hit(("provider", "npi"), f"NPPES comparison skipped: the registry refused the query ({answer.message})")
