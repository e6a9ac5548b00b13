"""Effective dates (42 CFR 424.520(d), 424.521(a)) and applications filed too early (42 CFR 424.526(a))."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from ...findings import Severity
from ..base import Context, Hit, rule

_S520 = "42 CFR 424.520(d)(1)-(2) (eCFR, current through 2026-04-05)"
_S521 = ("42 CFR 424.521(a)(1)-(2) (73 FR 69940); [S66] 42 CFR 424.520 and 424.521 text; Palmetto GBA JJ Part B, "
         "effective date for new providers (MM6310)")
_S526 = "42 CFR 424.526(a)(2)-(4)"
_SIGNED = "[S60] Noridian JF-A, Changes in PECOS e-signature timeline (CR 9776, effective 2017-01-09)"

# 424.520(d)(2) types pecoscheck can recognise; certified providers (489.13), IDTFs (410.33(i)) and DMEPOS
# suppliers (424.57(b)) have effective dates of their own.
_520D_ORGANIZATIONS = frozenset({"group_practice", "clinic", "ambulance", "laboratory"})
_521_ORGANIZATIONS = frozenset({"group_practice", "clinic"})
_180_DAY_TYPES = frozenset({"ambulatory_surgical_center"})
_RETRO_DAYS = 30
_DISASTER_DAYS = 90
EARLY_DAYS = 60
EARLY_DAYS_855A = 180


def filing_date(ctx: Context) -> date:
    """When the contractor receives the application: the submission (else the check date), or the signature date
    when that is later (a PECOS application counts as received once every signature is in)."""
    signed = ctx.profile.enrollment.signed_on
    return max(ctx.check_date, signed) if signed else ctx.check_date


def _filing_text(ctx: Context) -> str:
    e = ctx.profile.enrollment
    if e.signed_on and e.signed_on > ctx.check_date:
        return f"the filing date {filing_date(ctx).isoformat()} (when the application is signed)"
    if e.submitted_on:
        return f"the filing date {filing_date(ctx).isoformat()}"
    return f"the check date {filing_date(ctx).isoformat()} (no `submitted_on`)"


def effective_date_type(ctx: Context) -> str | None:
    """``"521"`` for physicians, NPPs and their organizations, ``"520d"`` for the other 424.520(d) types
    pecoscheck recognises, ``None`` for everyone else (and for forms other than the 855I and 855B)."""
    if ctx.application not in ("CMS-855I", "CMS-855B"):
        return None
    if ctx.kind == "individual":
        return "521"
    org = ctx.profile.provider.organization_type
    if org in _521_ORGANIZATIONS:
        return "521"
    return "520d" if org in _520D_ORGANIZATIONS else None


def _services_began(ctx: Context) -> tuple[int, date] | None:
    dated = [(i, loc.services_began) for i, loc in enumerate(ctx.profile.practice_locations) if loc.services_began]
    return min(dated, key=lambda t: t[1]) if dated else None


@rule("EFF001", "Requested effective date earlier than retrospective billing allows", "error",
      hint="Request an effective date no earlier than 30 days before the filing date (90 days when a "
           "Presidentially declared disaster kept you from enrolling: set `enrollment.presidential_disaster: "
           "true`); services before that cannot be billed.",
      rationale="For physicians, non-physician practitioners and their organizations (and the other types "
                "42 CFR 424.520(d)(2) lists) the effective date is the later of the filing date of an "
                "application that is approved and the date services first began at a new practice location. "
                "Under 424.521(a) physicians, NPPs and their organizations may bill retrospectively for up to "
                "30 days before it when circumstances precluded enrolling in advance, or 90 days after a "
                "Presidentially declared disaster. The filing date is `enrollment.submitted_on` (else the as-of "
                "date), or `signed_on` when later, since a PECOS application is received only with all its "
                "signatures. For the other 424.520(d) types pecoscheck recognises (ambulance suppliers and "
                "laboratories), 424.521 as published names no retrospective billing, so an effective date "
                "before the filing date is a warning: that reading is not confirmed with a MAC. Checked for "
                "initial enrollments on the CMS-855I and CMS-855B.",
      source=f"{_S520}; {_S521}; {_SIGNED}", actions=("initial",), applications=("CMS-855I", "CMS-855B"),
      example_fail="enrollment:\n  action: initial\n  submitted_on: 2026-11-30\n  effective_date: 2026-09-01",
      example_pass="enrollment:\n  action: initial\n  submitted_on: 2026-11-30\n  effective_date: 2026-11-16")
def retro_billing(ctx: Context) -> Iterator[Hit]:
    kind = effective_date_type(ctx)
    requested = ctx.profile.enrollment.effective_date
    if kind is None or requested is None:
        return
    filed = filing_date(ctx)
    path = ("enrollment", "effective_date")
    if kind == "521":
        disaster = bool(ctx.profile.enrollment.presidential_disaster)
        days = _DISASTER_DAYS if disaster else _RETRO_DAYS
        earliest = filed - timedelta(days=days)
        if requested < earliest:
            why = "after a Presidentially declared disaster" if disaster else "(90 only after a Presidentially " \
                                                                               "declared disaster)"
            yield Hit(path, f"requested effective date {requested.isoformat()} is {(filed - requested).days} days "
                      f"before {_filing_text(ctx)}; retrospective billing reaches back at most {days} days {why}, "
                      f"to {earliest.isoformat()}")
    elif requested < filed:
        yield Hit(path, f"requested effective date {requested.isoformat()} is before {_filing_text(ctx)}; for "
                  "this supplier type the effective date is the later of the filing date and the start of "
                  "services (42 CFR 424.520(d)), and 424.521 names no retrospective billing for it",
                  severity=Severity.WARNING)


@rule("EFF002", "Requested effective date before services began", "warning",
      hint="Set `enrollment.effective_date` no earlier than the first `services_began` date of the practice "
           "locations, or correct `services_began`.",
      rationale="Under 42 CFR 424.520(d)(1)(ii) the effective date is never earlier than the date services first "
                "began at a new practice location, and 424.521(a) allows retrospective billing only for services "
                "furnished at the enrolled location. A requested effective date before the earliest "
                "`services_began` of the practice locations asks for days with no services; one of the two "
                "dates is probably wrong. Checked for initial enrollments of the 424.520(d) types pecoscheck "
                "recognises.",
      source=f"{_S520}; {_S521}", actions=("initial",), applications=("CMS-855I", "CMS-855B"),
      example_fail="enrollment:\n  effective_date: 2026-11-01\npractice_locations:\n"
                   "  - {services_began: 2026-11-16}",
      example_pass="enrollment:\n  effective_date: 2026-11-16\npractice_locations:\n"
                   "  - {services_began: 2026-11-16}")
def before_services(ctx: Context) -> Iterator[Hit]:
    requested = ctx.profile.enrollment.effective_date
    began = _services_began(ctx)
    if effective_date_type(ctx) is None or requested is None or began is None or requested >= began[1]:
        return
    yield Hit(("enrollment", "effective_date"), f"requested effective date {requested.isoformat()} is before "
              f"services began at any practice location (first: {began[1].isoformat()}, "
              f"practice_locations[{began[0]}])")


def early_limit(ctx: Context) -> tuple[int, str] | None:
    """How many days before its effective date an application may be received, and the paragraph that says so;
    ``None`` when 42 CFR 424.526(a) sets no limit for this application."""
    org = ctx.profile.provider.organization_type
    if ctx.application == "CMS-855A" or org in _180_DAY_TYPES:
        return (EARLY_DAYS_855A, "424.526(a)(4)") if ctx.action == "initial" else None
    return EARLY_DAYS, "424.526(a)(2)"


@rule("EFF003", "Application filed too long before its effective date", "error",
      hint="File no earlier than 60 days before the requested effective date (180 days for an initial CMS-855A "
           "or ambulatory surgical center application), or request an earlier effective date.",
      rationale="CMS may return an application that the contractor receives more than 60 days before the "
                "effective date listed on it (42 CFR 424.526(a)(2)); for initial applications of CMS-855A "
                "providers, ambulatory surgical centers and portable x-ray suppliers the limit is 180 days "
                "(424.526(a)(4)), and (a)(2) does not apply to them. Measured from the filing date "
                "(`submitted_on`, else the as-of date, or `signed_on` when later) to `enrollment.effective_date`. "
                "Portable x-ray suppliers have no `organization_type` of their own and get the 60 days. Not "
                "checked for voluntary terminations. Reassignment dates are checked by REA006, a CHOW's sale "
                "date by CHG007.",
      source=_S526,
      actions=("initial", "revalidation", "change_of_information", "reactivation", "reassignment"),
      example_fail="enrollment:\n  submitted_on: 2026-11-30\n  effective_date: 2027-03-01",
      example_pass="enrollment:\n  submitted_on: 2026-11-30\n  effective_date: 2027-01-15")
def filed_too_early(ctx: Context) -> Iterator[Hit]:
    requested = ctx.profile.enrollment.effective_date
    limit = early_limit(ctx)
    if requested is None or limit is None:
        return
    days, para = limit
    filed = filing_date(ctx)
    if (requested - filed).days > days:
        yield Hit(("enrollment", "effective_date"), f"requested effective date {requested.isoformat()} is "
                  f"{(requested - filed).days} days after {_filing_text(ctx)}; CMS may return an application "
                  f"received more than {days} days before its effective date ({para}); file on or after "
                  f"{(requested - timedelta(days=days)).isoformat()}")
