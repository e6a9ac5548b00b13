"""LOC rules: practice locations and the other addresses (P.O. boxes, primary flag, state, ZIP)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from ...model import Address
from ...packagedata import read_data
from ...usps import usps_names
from ..base import Context, Hit, rule

PathKey = tuple[str | int, ...]

_PO_BOX = re.compile(
    r"""\b(?:
        p\.?\s*o\.?\s*(?:box|drawer)         # PO Box, P.O. Box, P O Box, POBox, PO Drawer
      | p\.?\s*o\.?\s*b\.?\s*\#?\s*\d+         # POB 12, P.O.B. 12
      | post\s+office\s+(?:box|drawer)
      | post\s+box
      | (?:lock|caller)\s*box
      | box\s*\#?\s*\d+                      # Box 123, Box #12
      | pmb\s*\#?\s*\d+                      # private mailbox at a mail store
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_ZIP = re.compile(r"\d{5}(?:-\d{4})?")
_ZIP4 = re.compile(r"\d{5}-\d{4}")
_MILITARY = frozenset({"AA", "AE", "AP"})

_SRC_USPS = "USPS state and ZIP data (the `us` and `zipcodes` packages); [S82] OIG: NPPES/PECOS address mismatches (3P)"


def po_box(text: str) -> str | None:
    """The P.O.-box-like part of an address line, or ``None``."""
    m = _PO_BOX.search(text)
    return m.group(0).strip() if m else None


@cache
def usps_state(code: str, mailing: bool = False) -> str | None:
    """The state's name when ``code`` is a USPS code (states, DC, territories; APO/FPO for mail), else None."""
    c = code.strip().upper()
    if mailing and c in _MILITARY:
        return "Armed Forces"
    return usps_names().get(c)


@cache
def _zip_table() -> tuple[bytes, bytes, list[int], list[str]]:
    """(known bitmap, active bitmap, first ZIP of each run, its state) from ``data/zip_states.txt``.

    The table is derived from the ``zipcodes`` package by ``benchmarks/make_zip_table.py``: asking
    ``zipcodes`` directly costs about 270 ms per process for its first answer and 1 ms per new ZIP.
    """
    import base64
    import zlib

    text = read_data("zip_states.txt")
    maps: dict[str, bytes] = {}
    starts: list[int] = []
    states: list[str] = []
    for line in text.splitlines():
        if line.startswith(("known ", "active ")):
            name, data = line.split(" ", 1)
            maps[name] = zlib.decompress(base64.b64decode(data))
        elif line and not line.startswith("#"):
            first, _last, state = line.split()
            starts.append(int(first))
            states.append(state)
    return maps["known"], maps["active"], starts, states


@lru_cache(maxsize=1024)  # bounded: one entry per distinct ZIP would grow with the number of profiles
def zip_states(zip5: str, active_only: bool = False) -> tuple[str, ...]:
    """The states a 5-digit ZIP belongs to (empty when the ZIP is unknown, or retired with ``active_only``)."""
    import bisect

    if len(zip5) != 5 or not zip5.isascii() or not zip5.isdigit():
        return ()
    known, active, starts, states = _zip_table()
    n = int(zip5)
    if not (active if active_only else known)[n >> 3] >> (n & 7) & 1:
        return ()
    return (states[bisect.bisect_right(starts, n) - 1],)


def _addresses(ctx: Context) -> Iterator[tuple[PathKey, Address, str]]:
    p = ctx.profile
    for i, loc in enumerate(p.practice_locations):
        yield ("practice_locations", i, "address"), loc.address, "practice location"
    if p.correspondence_address is not None:
        yield ("correspondence_address",), p.correspondence_address, "correspondence address"
    if p.special_payments_address is not None:
        yield ("special_payments_address",), p.special_payments_address, "special payments address"


def _norm_name(text: str) -> str:
    words = re.sub(r"[^a-z0-9 ]", " ", text.lower()).split()
    stop = {"llc", "inc", "pc", "pa", "pllc", "llp", "lp", "corp", "co", "ltd", "the", "sc", "of"}
    return " ".join(w for w in words if w not in stop)


@rule("LOC001", "Practice location is a P.O. box", "error",
      hint="Give the physical street address where patients are seen or services are rendered; a P.O. box "
           "can be the correspondence address only.",
      rationale="A practice location must be a physical site; having no physical business address is a "
                "denial ground under 42 CFR 424.530. A P.O. box, lock box or mail-store box is not one.",
      source="42 CFR 424.530 via [S52] Noridian denial decision tree; [S2] FCSO practice-address tutorial",
      example_fail="practice_locations:\n  - address: {line1: P.O. Box 16422, city: Columbus, state: OH, "
                   "zip: \"43215\"}",
      example_pass="practice_locations:\n  - address: {line1: 100 E Broad St, city: Columbus, state: OH, "
                   "zip: \"43215\"}")
def practice_po_box(ctx: Context) -> Iterator[Hit]:
    for i, loc in enumerate(ctx.profile.practice_locations):
        for key in ("line1", "line2"):
            text = getattr(loc.address, key)
            found = po_box(text) if text else None
            if found:
                yield Hit(("practice_locations", i, "address", key),
                          f"practice location address `{text}` is a mailbox (`{found}`), not a physical site")


@rule("LOC002", "Correspondence address is a billing agency or MSO", "error",
      hint="Use the provider's own mailing address for Medicare correspondence, not the address of a "
           "billing agency, management company or other representative.",
      rationale="The correspondence address must be the provider's own, not that of a billing agency, MSO, "
                "chain home office or representative. pecoscheck can only see this when the address names "
                "a surrogate's organization (other than the provider and its reassignment groups) or an "
                "owner with the managing_organization role.",
      source="[S71] Palmetto Provider Address Job Aid",
      example_fail="correspondence_address: {line1: c/o Meridian Revenue Partners, line2: 500 Main St, ...}\n"
                   "surrogates:\n  - {name: Jordan Pike, organization: \"Meridian Revenue Partners, Inc.\", ...}",
      example_pass="correspondence_address: {line1: 2918 Hennepin Ave S, ...}")
def correspondence_representative(ctx: Context) -> Iterator[Hit]:
    p = ctx.profile
    addr = p.correspondence_address
    if addr is None:
        return
    own = {_norm_name(n) for n in (p.provider.legal_name, p.provider.dba_name) if n}
    own |= {_norm_name(r.group_name) for r in p.reassignments if r.group_name}
    own |= {_norm_name(loc.name) for loc in p.practice_locations if loc.name}
    parties = [(s.organization, "surrogate organization") for s in p.surrogates if s.organization]
    parties += [(o.name, "managing organization") for o in p.ownership if "managing_organization" in o.roles]
    for key in ("line1", "line2"):
        line = getattr(addr, key)
        text = f" {_norm_name(line)} " if line else ""
        for name, what in parties:
            core = _norm_name(name)
            if len(core) >= 6 and core not in own and f" {core} " in text:
                yield Hit(("correspondence_address", key), f"correspondence address `{line}` names {name}, "
                          f"the {what}, instead of the provider's own address")
                return


@rule("LOC003", "Practice location lacks the date services began", "warning",
      hint="Add `services_began` (the date the first Medicare patient was seen there); it bounds the "
           "effective date and retrospective billing.",
      rationale="The CMS-855I asks when services began at each practice location; under 42 CFR 424.520(d) "
                "the effective date is the later of the filing date and the date services began at a new "
                "location.",
      source="[S2] FCSO, completing the CMS-855I; 42 CFR 424.520(d) via [S66]",
      applications=("CMS-855I", "CMS-855B", "CMS-855A", "CMS-855S", "CMS-20134"),
      actions=("initial", "revalidation", "change_of_information", "reactivation", "reassignment"),
      example_fail="practice_locations:\n  - name: Main office\n    address: {...}\n    primary: true",
      example_pass="practice_locations:\n  - name: Main office\n    address: {...}\n    primary: true\n"
                   "    services_began: 2026-11-16")
def location_services_began(ctx: Context) -> Iterator[Hit]:
    for i, loc in enumerate(ctx.profile.practice_locations):
        if loc.services_began is None:
            name = f"`{loc.name}`" if loc.name else f"at {loc.address.line1}"
            yield Hit(("practice_locations", i), f"practice location {name} has no `services_began` date")


@rule("LOC004", "CMS-855A location lacks ZIP+4, or FQHC lists several locations", "warning",
      hint="Give each CMS-855A practice location its 9-digit ZIP+4 (NNNNN-NNNN); an FQHC files one "
           "application per site.",
      rationale="Noridian lists a missing ZIP+4 on the 855A, and an FQHC with more than one location on one "
                "application, among the top reasons for Part A enrollment delays. UNVERIFIED against the "
                "CMS-855A form and its instructions (one MAC's list of delay reasons), hence a warning.",
      source="[S49] Noridian JE-A Top Reasons for Delays (6/26/2025)",
      applications=("CMS-855A",),
      example_fail="practice_locations:\n  - address: {line1: 1 Main St, city: Bend, state: OR, zip: \"97701\"}",
      example_pass="practice_locations:\n  - address: {line1: 1 Main St, city: Bend, state: OR, "
                   "zip: \"97701-1234\"}")
def location_zip4(ctx: Context) -> Iterator[Hit]:
    locations = ctx.profile.practice_locations
    for i, loc in enumerate(locations):
        z = loc.address.zip.strip()
        if _ZIP.fullmatch(z) and not _ZIP4.fullmatch(z):
            yield Hit(("practice_locations", i, "address", "zip"), f"CMS-855A practice location ZIP {z} has no "
                      "ZIP+4")
    if ctx.profile.provider.organization_type == "federally_qualified_health_center" and len(locations) > 1:
        yield Hit(("practice_locations", 1), f"an FQHC lists {len(locations)} practice locations on one "
                  "CMS-855A")


@rule("LOC005", "Not exactly one primary practice location", "error",
      hint="Mark exactly one practice location `primary: true` and the others `primary: false`.",
      rationale="NPPES keeps one primary practice location (the LOCATION address) and lists the others as "
                "secondary. Two primary locations, or several locations with none marked, leave the primary "
                "one undefined. A single location is taken as the primary one. A pecoscheck consistency check.",
      source="Profile format (docs/profile-format.md), `practice_locations[].primary`; NPPES API v2.1 record "
             "structure as seen in recorded responses: one LOCATION address, the others in practiceLocations "
             "(API documentation: https://npiregistry.cms.hhs.gov/api-page; [S83] NPPES API v2.1 parameters)",
      example_fail="practice_locations:\n  - {name: A, address: {...}, primary: true}\n"
                   "  - {name: B, address: {...}, primary: true}",
      example_pass="practice_locations:\n  - {name: A, address: {...}, primary: true}\n"
                   "  - {name: B, address: {...}, primary: false}")
def location_primary(ctx: Context) -> Iterator[Hit]:
    locations = ctx.profile.practice_locations
    primaries = [i for i, loc in enumerate(locations) if loc.primary]
    if len(locations) > 1 and not primaries:
        yield Hit(("practice_locations",), f"none of the {len(locations)} practice locations is marked "
                  "`primary: true`", at_key=True)
    for i in primaries[1:]:
        yield Hit(("practice_locations", i, "primary"), f"practice location {i + 1} is marked primary, but "
                  f"location {primaries[0] + 1} already is; exactly one may be primary")


@rule("LOC006", "Address state is not a USPS code", "error",
      hint="Write the two-letter USPS code of the state, DC or territory (e.g. CA, DC, PR).",
      rationale="Addresses in NPPES and PECOS carry the two-letter USPS state code; anything else cannot "
                "match the registry record or be assigned to a MAC jurisdiction. APO/FPO codes (AA, AE, AP) "
                "are accepted for mailing addresses only.",
      source=_SRC_USPS,
      example_fail="practice_locations:\n  - address: {line1: 1 Main St, city: Austin, state: Tex, zip: \"78701\"}",
      example_pass="practice_locations:\n  - address: {line1: 1 Main St, city: Austin, state: TX, zip: \"78701\"}")
def address_state(ctx: Context) -> Iterator[Hit]:
    for path, addr, what in _addresses(ctx):
        if usps_state(addr.state, mailing=what != "practice location") is None:
            yield Hit((*path, "state"), f"{what} state `{addr.state}` is not a USPS state code")


@rule("LOC007", "ZIP code is malformed", "error",
      hint="Write the ZIP as 5 digits or ZIP+4 (NNNNN or NNNNN-NNNN), quoted so a leading zero is kept.",
      rationale="The profile format and USPS use NNNNN or NNNNN-NNNN; any other shape is a typo that "
                "breaks address matching with NPPES and PECOS.",
      source="Profile format (docs/profile-format.md), `address.zip`; " + _SRC_USPS,
      example_fail="correspondence_address: {line1: 1 Main St, city: Woburn, state: MA, zip: \"1801\"}",
      example_pass="correspondence_address: {line1: 1 Main St, city: Woburn, state: MA, zip: \"01801\"}")
def address_zip_format(ctx: Context) -> Iterator[Hit]:
    for path, addr, what in _addresses(ctx):
        if not _ZIP.fullmatch(addr.zip.strip()):
            yield Hit((*path, "zip"), f"{what} ZIP `{addr.zip}` is not NNNNN or NNNNN-NNNN")


def _zip_checks(ctx: Context) -> Iterator[tuple[PathKey, str, str, str]]:
    """(path, label, state, 5-digit ZIP) of each address whose ZIP and state are well formed."""
    for path, addr, what in _addresses(ctx):
        z = addr.zip.strip()
        state = addr.state.strip().upper()
        if _ZIP.fullmatch(z) and usps_state(state, mailing=what != "practice location") and state not in _MILITARY:
            yield (*path, "zip"), f"{what} ZIP {z}", state, z[:5]


@rule("LOC008", "ZIP code belongs to another state", "error",
      hint="Correct the ZIP or the state (one of them is mistyped); copy the address from USPS or NPPES.",
      rationale="Each ZIP code belongs to a state; a ZIP from another state means the ZIP or the state is "
                "wrong, so the address cannot match NPPES/PECOS or locate the MAC jurisdiction.",
      source=_SRC_USPS,
      example_fail="practice_locations:\n  - address: {line1: 3100 Hillsborough St, city: Raleigh, state: NC, "
                   "zip: \"29607\"}",
      example_pass="practice_locations:\n  - address: {line1: 3100 Hillsborough St, city: Raleigh, state: NC, "
                   "zip: \"27607\"}")
def address_zip_state(ctx: Context) -> Iterator[Hit]:
    for path, label, state, zip5 in _zip_checks(ctx):
        states = zip_states(zip5)
        if states and state not in states:
            yield Hit(path, f"{label} belongs to {' / '.join(states)}, not {state}")


@rule("LOC009", "ZIP code is unknown or retired", "warning",
      hint="Check the ZIP with the USPS ZIP lookup; new or unique ZIPs may be missing from pecoscheck's list.",
      rationale="The ZIP is not in the USPS-derived ZIP list pecoscheck uses (the `zipcodes` package), or is "
                "listed there as no longer active; it may be mistyped. A warning because the list can lag "
                "behind USPS.",
      source=_SRC_USPS,
      example_fail="practice_locations:\n  - address: {line1: 1 Main St, city: Tucson, state: AZ, zip: \"85099\"}",
      example_pass="practice_locations:\n  - address: {line1: 1 Main St, city: Tucson, state: AZ, zip: \"85711\"}")
def address_zip_unknown(ctx: Context) -> Iterator[Hit]:
    for path, label, _state, zip5 in _zip_checks(ctx):
        if not zip_states(zip5):
            yield Hit(path, f"{label} is not a known ZIP code")
        elif not zip_states(zip5, active_only=True):
            yield Hit(path, f"{label} is listed as no longer in use")
