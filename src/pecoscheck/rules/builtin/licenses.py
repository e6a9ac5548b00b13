"""License rules: an active license for every practice state, expiry, status, state codes, license copies.

The document requirements for non-physician practitioners (LIC003, LIC004) are in the
``rules/documents.yaml`` pack.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...findings import Severity
from ...model import License
from ...usps import usps_codes
from ..base import Context, Hit, rule
from .documents import check_date_text

BAD_STATUS = ("expired", "suspended", "revoked", "inactive")

_ACTIVE_ACTIONS = ("initial", "revalidation", "change_of_information", "reactivation", "reassignment")
_S69 = "[S69] NGS Avoiding Common Errors (license information missing or expired)"
_S52 = "42 CFR 424.530 via [S52] Noridian denial decision tree"


def _label(lic: License) -> str:
    return f"license {lic.state} {lic.number}"


def practice_states(ctx: Context) -> dict[str, int]:
    """USPS state of each practice location (upper case) -> index of the first location there."""
    out: dict[str, int] = {}
    for i, loc in enumerate(ctx.profile.practice_locations):
        out.setdefault(loc.address.state.strip().upper(), i)
    return out


def _current(lic: License, ctx: Context) -> bool:
    return lic.status == "active" and (lic.expires is None or lic.expires >= ctx.check_date)


@rule("LIC001", "No active license for a practice state", "error",
      hint="List the active license for every state with a practice location (renew a lapsed one before "
           "filing); a CMS-855O applicant needs an active license, or a residency letter if unlicensed.",
      rationale="Not being licensed where services are furnished is a denial ground (42 CFR 424.530), and "
                "missing or expired license information is a common reason for development. A license counts "
                "when its status is `active` and it does not expire before `enrollment.submitted_on` (else the "
                "as-of date). For the CMS-855O, which has no practice locations, at least one active license "
                "is needed, or a `residency_letter` for an unlicensed resident. Licenses with status expired, "
                "suspended, revoked or inactive are reported by LIC006 and not repeated here. Every license "
                "listed for a practice state is judged on its own: a nurse practitioner's lapsed APRN license "
                "is an error even while her RN license is current (a license renewed under a new number: "
                "remove the lapsed entry). Checked for "
                "individual practitioners; organizations need a license only where the state licenses the "
                "entity, which pecoscheck cannot tell.",
      source=f"{_S52}; {_S69}; [S14] NGS CMS-855O completion tips",
      kinds=("individual",), actions=_ACTIVE_ACTIONS,
      example_fail="enrollment: {submitted_on: 2026-11-30}\n"
                   "licenses:\n  - {state: TX, number: R4821, status: active, expires: 2026-08-31}\n"
                   "practice_locations:\n  - address: {state: TX}",
      example_pass="licenses:\n  - {state: TX, number: R4821, status: active, expires: 2028-08-31}")
def license_for_practice_state(ctx: Context) -> Iterator[Hit]:
    licenses = ctx.profile.licenses
    if ctx.application == "CMS-20134":
        return
    if ctx.application == "CMS-855O":
        if any(_current(lic, ctx) for lic in licenses) or ctx.has_document("residency_letter"):
            return
        yield from _why_not_current(ctx, list(enumerate(licenses)), None) or [
            Hit(("licenses",), "a CMS-855O applicant lists no active license and no residency letter")]
        return
    for state, loc in practice_states(ctx).items():
        held = [(j, lic) for j, lic in enumerate(licenses) if lic.state.strip().upper() == state]
        current = [lic for _, lic in held if _current(lic, ctx)]
        if current:
            yield from _lapsed_beside_current(ctx, held, current)
            continue
        if any(lic.status in BAD_STATUS for _, lic in held):
            continue
        hits = _why_not_current(ctx, held, state)
        if hits:
            yield from hits
        else:
            name = ctx.profile.practice_locations[loc].name
            at = f" (practice location {name})" if name else ""
            yield Hit(("practice_locations", loc, "address", "state"),
                      f"no license is listed for {state}, where a practice location is{at}")


def _lapsed_beside_current(ctx: Context, held: list[tuple[int, License]],
                           current: list[License]) -> Iterator[Hit]:
    """Each license of a practice state still marked active but past its expiry, though another one is current."""
    others = ", ".join(f"{_kind(lic)}{lic.number}" for lic in current)
    for j, lic in held:
        if lic.status == "active" and lic.expires is not None and lic.expires < ctx.check_date:
            yield Hit(("licenses", j, "expires"), f"{_label(lic)}{_type(lic)} expired on {lic.expires.isoformat()}, "
                      f"before {check_date_text(ctx)}; each license held for a practice state must be current, and "
                      f"the current {lic.state.strip().upper()} license {others} does not stand in for it")


def _kind(lic: License) -> str:
    return f"{lic.type} " if lic.type else ""


def _type(lic: License) -> str:
    return f" ({lic.type})" if lic.type else ""


def _why_not_current(ctx: Context, held: list[tuple[int, License]], state: str | None) -> list[Hit]:
    """Hits for licenses that are active but expired, else pending; empty when none is listed."""
    lapsed = [(j, lic) for j, lic in held if lic.status == "active" and lic.expires is not None]
    where = f" for practice state {state}" if state else ""
    if lapsed:
        j, lic = max(lapsed, key=lambda t: t[1].expires or ctx.check_date)
        assert lic.expires is not None
        return [Hit(("licenses", j, "expires"), f"{_label(lic)} expired on {lic.expires.isoformat()}, before "
                    f"{check_date_text(ctx)}; no active license remains{where}")]
    pending = [(j, lic) for j, lic in held if lic.status == "pending"]
    if pending:
        j, lic = pending[0]
        return [Hit(("licenses", j, "status"), f"{_label(lic)} is still pending; no active license is "
                    f"listed{where}")]
    return []


@rule("LIC002", "License expires soon", "warning",
      hint="Renew the license before filing, or be ready to send the renewed license if the MAC asks.",
      rationale="A license that lapses while the application is processed leads to development or denial. "
                "pecoscheck warns when an active license expires within `license_expiry_warning_days` (default "
                "60) of `enrollment.submitted_on` (else the as-of date); the 60 days are a pecoscheck "
                "threshold, not a CMS rule.",
      source=_S69,
      actions=_ACTIVE_ACTIONS,
      example_fail="enrollment: {submitted_on: 2026-11-30}\n"
                   "licenses:\n  - {state: CA, number: A178452, expires: 2026-12-31}",
      example_pass="enrollment: {submitted_on: 2026-11-30}\n"
                   "licenses:\n  - {state: CA, number: A178452, expires: 2028-05-31}")
def license_expiring(ctx: Context) -> Iterator[Hit]:
    cd, days = ctx.check_date, ctx.settings.license_expiry_warning_days
    for j, lic in enumerate(ctx.profile.licenses):
        if lic.status != "active" or lic.expires is None or lic.expires < cd:
            continue
        left = (lic.expires - cd).days
        if left <= days:
            yield Hit(("licenses", j, "expires"), f"{_label(lic)} expires on {lic.expires.isoformat()}, {left} "
                      f"days after {check_date_text(ctx)} (pecoscheck warns within {days} days)")


@rule("LIC005", "CMS-855O license issued after the planned receipt date", "info",
      hint="File the CMS-855O once the license is in effect, or set `enrollment.submitted_on` to a later date.",
      rationale="For the CMS-855O the license must be in effect before the MAC receives the application; a "
                "license issued after the planned submission date is not yet effective at receipt.",
      source="[S14] NGS CMS-855O completion tips",
      kinds=("individual",), applications=("CMS-855O",),
      example_fail="enrollment: {application: CMS-855O, submitted_on: 2026-11-30}\n"
                   "licenses:\n  - {state: OH, number: \"35.123456\", issued: 2026-12-15}",
      example_pass="enrollment: {application: CMS-855O, submitted_on: 2026-11-30}\n"
                   "licenses:\n  - {state: OH, number: \"35.123456\", issued: 2026-07-01}")
def order_refer_license_date(ctx: Context) -> Iterator[Hit]:
    for j, lic in enumerate(ctx.profile.licenses):
        if lic.issued is not None and lic.issued > ctx.check_date:
            yield Hit(("licenses", j, "issued"), f"{_label(lic)} is issued {lic.issued.isoformat()}, after "
                      f"{check_date_text(ctx)}; it must be in effect before the MAC receives the CMS-855O")


@rule("LIC006", "License expired, suspended, revoked or inactive", "error",
      hint="Reinstate or renew the license before filing, or remove a license that is no longer held; report "
           "a suspension or revocation as a final adverse action.",
      rationale="A license that is not in good standing does not license the practitioner or facility "
                "(42 CFR 424.530 denial ground), and suspension or revocation of a health care license is a "
                "final adverse action that must be reported. An error when the license is for a state with a "
                "practice location, otherwise a warning. For organizations this also covers a license still "
                "marked active whose expiry date has passed (for individuals LIC001 reports it).",
      source=f"{_S52}; {_S69}; [S51] final adverse action definition (424.502)",
      actions=_ACTIVE_ACTIONS,
      example_fail="licenses:\n  - {state: TX, number: R4821, status: suspended}\n"
                   "practice_locations:\n  - address: {state: TX}",
      example_pass="licenses:\n  - {state: TX, number: R4821, status: active, expires: 2028-08-31}")
def license_status(ctx: Context) -> Iterator[Hit]:
    states = practice_states(ctx)
    for j, lic in enumerate(ctx.profile.licenses):
        lapsed = lic.status == "active" and lic.expires is not None and lic.expires < ctx.check_date
        if ctx.kind == "organization" and lapsed:
            where = lic.state.strip().upper()
            yield Hit(("licenses", j, "expires"), f"{_label(lic)} is listed as active but expired on {lic.expires}, "
                      f"before {ctx.check_date}", severity=None if where in states else Severity.WARNING)
            continue
        if lic.status not in BAD_STATUS:
            continue
        state = lic.state.strip().upper()
        if state in states:
            yield Hit(("licenses", j, "status"), f"{_label(lic)} is {lic.status}, and a practice location is "
                      f"in {state}")
        else:
            yield Hit(("licenses", j, "status"), f"{_label(lic)} is {lic.status}", severity=Severity.WARNING)


@rule("LIC007", "License state is not a USPS state code", "error",
      hint="Write the two-letter USPS code of the state, territory or DC in capitals (e.g. CA, PR, DC).",
      rationale="License states are matched against practice-location states by their USPS codes; a name, a "
                "lower-case or unknown code matches nothing, so the license would count for no state.",
      source="pecoscheck profile format v1 (docs/profile-format.md: `state` is a USPS two-letter code); "
             "state list from the `us` package",
      example_fail="licenses:\n  - {state: Calif, number: A178452}",
      example_pass="licenses:\n  - {state: CA, number: A178452}")
def license_state_code(ctx: Context) -> Iterator[Hit]:
    codes = usps_codes()
    for j, lic in enumerate(ctx.profile.licenses):
        if lic.state in codes:
            continue
        found = None
        if lic.state.strip():
            import us  # only for the guess: see pecoscheck.usps

            found = us.states.lookup(lic.state.strip())
        tip = f"; did you mean {found.abbr} ({found.name})?" if found is not None and found.abbr in codes else ""
        yield Hit(("licenses", j, "state"), f"license state `{lic.state}` is not a USPS state code{tip}")


@rule("LIC008", "No copy of the license for a licensed practice state", "warning",
      hint="Attach a copy of each license (`type: state_license`, `refers_to: <state>`).",
      rationale="MACs ask for copies of the licenses, certifications and registrations that federal or state "
                "law requires. pecoscheck expects a `state_license` document for each state that has both a "
                "license and a practice location (for the CMS-855O: each state with an active license). A "
                "`state_license` document without `refers_to` counts for one state.",
      source="[S19] NGS Supporting Documentation Information; [S20] NGS Supporting Documentation Required for "
             "Revalidations",
      actions=("initial", "revalidation", "reactivation"),
      example_fail="licenses:\n  - {state: CA, number: A178452}\n"
                   "documents:\n  - {type: dea_certificate, file: docs/dea-ca.pdf, refers_to: CA}",
      example_pass="licenses:\n  - {state: CA, number: A178452}\n"
                   "documents:\n  - {type: state_license, file: docs/ca-license.pdf, refers_to: CA}")
def license_copy(ctx: Context) -> Iterator[Hit]:
    licenses = ctx.profile.licenses
    if ctx.application == "CMS-855O":
        wanted = [lic.state.strip().upper() for lic in licenses if lic.status == "active"]
    else:
        where = practice_states(ctx)
        wanted = [lic.state.strip().upper() for lic in licenses if lic.state.strip().upper() in where]
    copies = [(d.refers_to or "").strip().upper() for _, d in ctx.documents_of("state_license")]
    spare = sum(1 for c in copies if not c)
    for state in dict.fromkeys(wanted):
        if state in copies:
            continue
        if spare:
            spare -= 1
            continue
        j = next(j for j, lic in enumerate(licenses) if lic.state.strip().upper() == state)
        yield Hit(("licenses", j, "state"), f"no copy of the {state} license {licenses[j].number} is listed "
                  f"(a state_license document with `refers_to: {state}`)")
