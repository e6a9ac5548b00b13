"""Reporting changes (42 CFR 424.516, 424.57(c)(2), 410.33(g)(2)): which window applies and whether it was met."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import NamedTuple

from ...findings import Severity
from ...model import Change, Profile, derived_application
from ..base import Context, Hit, rule

_PHYSICIAN_GROUPS = frozenset({"group_practice", "clinic"})
_LICENSE_ACTION = re.compile(r"suspen|revo[ck]", re.IGNORECASE)
_SOURCE_516 = ("42 CFR 424.516 via [S38] Chapman Law Group (3P) and [S39] Ice Miller / Hall Render on MLN "
               "Connects (3P)")
_SOURCE_LOC = ("CY2024 PFS final rule via [S37] healthlawrx.com / mondaq.com (3P); FCSO FAQ, address change "
               "notification (2013: 30 days for any location change); not verified against the current 42 CFR "
               "424.516 text")
_SOURCE_IDTF = ("42 CFR 410.33(g)(2); MCN StayAlert, Timely reporting of provider enrollment information changes "
                "(2017, quoting 410.33(g)(2))")


class Window(NamedTuple):
    """The reporting window that applies to one change."""

    days: int
    rule: str
    basis: str
    uncertain: bool = False  # known only from secondary sources: at most a warning


def _provider_group(profile: Profile) -> str:
    p = profile.provider
    if derived_application(profile) == "CMS-855S" or p.organization_type == "dmepos_supplier":
        return "dmepos"
    if p.kind == "individual" or p.organization_type in _PHYSICIAN_GROUPS:
        return "physician"
    if p.organization_type == "independent_diagnostic_testing_facility":
        return "idtf"
    return "institutional"


def change_window(profile: Profile, change: Change) -> Window:
    """The regulatory window for ``change`` (REG-based; see :func:`change_deadline` for the earliest)."""
    group = _provider_group(profile)
    kind = change.kind
    if group == "dmepos":
        return Window(30, "CHG003", "DMEPOS suppliers report all changes within 30 days")
    if group == "physician":
        if kind in ("ownership", "adverse_action", "practice_location"):
            what = {"ownership": "a change of ownership", "adverse_action": "an adverse legal action",
                    "practice_location": "a practice-location change"}[kind]
            return Window(30, "CHG001", f"physicians, NPPs and their groups report {what} within 30 days")
        return Window(90, "CHG002", "other changes are reported within 90 days")
    if group == "idtf" and kind in ("ownership", "practice_location", "adverse_action"):
        return Window(30, "CHG005", "IDTFs report ownership, location and adverse-action changes within 30 days")
    license_action = kind in ("license", "adverse_action") and bool(_LICENSE_ACTION.search(change.description or ""))
    if kind in ("ownership", "managing_control", "authorized_official") or license_action:
        what = ("a license or certification suspension/revocation" if license_action
                else "a change of ownership or control (including AO/DO changes)")
        return Window(30, "CHG004", f"providers and suppliers report {what} within 30 days",
                      uncertain=license_action)
    return Window(90, "CHG002", "other changes are reported within 90 days")


def _location_window(profile: Profile, change: Change) -> Window | None:
    if change.kind == "practice_location" and change_window(profile, change).days > 30:
        return Window(30, "CHG006", "practice-location changes are reported within 30 days (CY2024 PFS rule)")
    return None


def change_deadline(ctx_or_profile: Context | Profile, change: Change) -> date:
    """The last day to report ``change``: its effective date plus the shortest window pecoscheck applies.

    That is the regulatory window of :func:`change_window`, or 30 days for a practice-location change of any
    provider (CY2024 PFS final rule, known only from third-party summaries).
    """
    profile = ctx_or_profile.profile if isinstance(ctx_or_profile, Context) else ctx_or_profile
    windows = [change_window(profile, change), _location_window(profile, change)]
    return change.effective_date + timedelta(days=min(w.days for w in windows if w))


def _hits(ctx: Context, rule_id: str) -> Iterator[Hit]:
    for i, c in enumerate(ctx.profile.changes):
        for w in (change_window(ctx.profile, c), _location_window(ctx.profile, c)):
            if w is None or w.rule != rule_id:
                continue
            deadline = c.effective_date + timedelta(days=w.days)
            when = c.reported_on or (ctx.as_of if ctx.as_of > deadline else ctx.check_date)
            if when <= deadline or (rule_id == "CHG006" and when > c.effective_date + timedelta(days=90)):
                continue
            what = f"{c.kind.replace('_', ' ')} change of {c.effective_date.isoformat()}"
            path = ("changes", i, "reported_on")
            if c.reported_on is not None:
                yield Hit(path, f"{what} was reported late, on {c.reported_on.isoformat()} (due by "
                          f"{deadline.isoformat()}: {w.basis})", severity=Severity.WARNING)
            elif ctx.as_of > deadline:
                yield Hit(path, f"{what} is not reported, {(ctx.as_of - deadline).days} days past the deadline "
                          f"{deadline.isoformat()} ({w.basis})",
                          severity=Severity.WARNING if w.uncertain else None)
            else:
                yield Hit(path, f"{what} must be reported by {deadline.isoformat()} ({w.basis}), but the planned "
                          f"submission is {ctx.check_date.isoformat()}", severity=Severity.WARNING)


_HINT = ("Report the change now (a change of information in PECOS) and record the date in `reported_on`; "
         "unreported changes are grounds for deactivation or revocation.")


@rule("CHG001", "Physician/NPP change of ownership, adverse action or location reported late", "error",
      hint=_HINT,
      rationale="Physicians, non-physician practitioners and their organizations (group practices, clinics) "
                "must report a change of ownership, any adverse legal action and a change in practice location "
                "within 30 days (42 CFR 424.516(d)). Fires when a change has no `reported_on` and the 30 days "
                "have passed as of the as-of date; a change reported after the deadline, or one whose "
                "window is still open but the planned submission is later, gives a warning.",
      source=_SOURCE_516,
      example_fail="changes:\n  - {kind: ownership, effective_date: 2026-09-15}",
      example_pass="changes:\n  - {kind: ownership, effective_date: 2026-09-15, reported_on: 2026-10-01}")
def physician_30_days(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "CHG001")


@rule("CHG002", "Change not reported within 90 days", "error",
      hint=_HINT,
      rationale="Changes other than those with a 30-day window must be reported within 90 days (42 CFR "
                "424.516(d)/(e)); failing to report a change within 90 days is a ground for deactivation "
                "(42 CFR 424.540(a)). A late report gives a warning.",
      source=f"{_SOURCE_516}; 42 CFR 424.540 via [S40]",
      example_fail="changes:\n  - {kind: name, effective_date: 2026-06-01}",
      example_pass="changes:\n  - {kind: name, effective_date: 2026-06-01, reported_on: 2026-07-15}")
def other_90_days(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "CHG002")


@rule("CHG003", "DMEPOS supplier change not reported within 30 days", "error",
      hint=_HINT,
      rationale="DMEPOS suppliers must report every change within 30 days (supplier standard 2, 42 CFR "
                "424.57(c)(2)). A late report gives a warning.",
      source=f"[S11] CMS-855S form text; {_SOURCE_516}",
      example_fail="changes:\n  - {kind: bank_account, effective_date: 2026-09-01}",
      example_pass="changes:\n  - {kind: bank_account, effective_date: 2026-09-01, reported_on: 2026-09-20}")
def dmepos_30_days(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "CHG003")


@rule("CHG004", "Change of ownership/control or license action not reported within 30 days", "error",
      hint=_HINT,
      rationale="Providers and suppliers other than physicians, NPPs, their groups and DMEPOS suppliers must "
                "report a change of ownership or control (including changes of authorized or delegated "
                "officials) and a revocation or suspension of a federal or state license or certification "
                "within 30 days (42 CFR 424.516(e)). Kinds `ownership`, `managing_control` and "
                "`authorized_official` count; a `license` or `adverse_action` change counts when its "
                "description mentions a suspension or revocation (a text heuristic; otherwise 90 days). The "
                "license half is known only from secondary summaries of 424.516(e), not yet checked against its "
                "current text, so an unreported license action is a warning, not an error.",
      source=f"{_SOURCE_516}; license half UNVERIFIED against the current 424.516(e)",
      example_fail="changes:\n  - {kind: managing_control, effective_date: 2026-09-15}",
      example_pass="changes:\n  - {kind: managing_control, effective_date: 2026-09-15, reported_on: 2026-10-01}")
def institutional_30_days(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "CHG004")


@rule("CHG005", "IDTF ownership, location or adverse-action change not reported within 30 days", "error",
      hint=_HINT,
      rationale="Independent diagnostic testing facilities report changes in ownership, changes of location, "
                "changes in general supervision and adverse legal actions within 30 calendar days, and all "
                "other changes within 90 days (42 CFR 410.33(g)(2)). Like CHG001, an unreported change past "
                "the 30 days is an error; one reported late, or one whose window is still open but the planned "
                "submission is later, gives a warning. General-supervision changes have no `kind` of their own "
                "and are not distinguished.",
      source=_SOURCE_IDTF, kinds=("organization",),
      example_fail="provider:\n  organization_type: independent_diagnostic_testing_facility\nchanges:\n"
                   "  - {kind: practice_location, effective_date: 2026-09-15}",
      example_pass="provider:\n  organization_type: independent_diagnostic_testing_facility\nchanges:\n"
                   "  - {kind: practice_location, effective_date: 2026-09-15, reported_on: 2026-10-01}")
def idtf_30_days(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "CHG005")


@rule("CHG006", "Practice-location change not reported within 30 days (all providers)", "warning",
      hint=_HINT,
      rationale="According to third-party summaries of the CY2024 Physician Fee Schedule final rule (effective "
                "2024-01-01), and to a 2013 FCSO answer, all providers and suppliers must report practice-"
                "location additions, deletions and changes within 30 days. UNVERIFIED: not confirmed against "
                "the current text of 42 CFR 424.516(e), so a warning; "
                "only for providers whose regulatory window for locations is otherwise 90 days (after 90 days "
                "CHG002 reports the error instead).",
      source=_SOURCE_LOC, kinds=("organization",),
      example_fail="provider:\n  organization_type: hospital\nchanges:\n"
                   "  - {kind: practice_location, effective_date: 2026-10-01}",
      example_pass="provider:\n  organization_type: hospital\nchanges:\n"
                   "  - {kind: practice_location, effective_date: 2026-10-01, reported_on: 2026-10-20}")
def location_30_days(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "CHG006")


CHOW_DAYS = 90


@rule("CHG007", "Change of ownership filed more than 90 days before the sale", "error",
      hint="File the CHOW application no earlier than 90 days before the anticipated date of the sale.",
      rationale="CMS may return a CMS-855A or CMS-855B change-of-ownership application that the seller or buyer "
                "submits more than 90 days before the anticipated date of the sale (42 CFR 424.526(a)(3)). "
                "pecoscheck takes a `changes[]` entry of kind `ownership` dated after the filing date "
                "(`submitted_on`, else the as-of date, or `signed_on` when later) as the anticipated sale.",
      source="42 CFR 424.526(a)(3)", applications=("CMS-855A", "CMS-855B"),
      example_fail="enrollment:\n  submitted_on: 2026-11-30\nchanges:\n  - {kind: ownership, effective_date: "
                   "2027-04-01}",
      example_pass="enrollment:\n  submitted_on: 2026-11-30\nchanges:\n  - {kind: ownership, effective_date: "
                   "2027-01-15}")
def chow_too_early(ctx: Context) -> Iterator[Hit]:
    from .effective import filing_date

    filed = filing_date(ctx)
    for i, c in enumerate(ctx.profile.changes):
        if c.kind == "ownership" and (c.effective_date - filed).days > CHOW_DAYS:
            yield Hit(("changes", i, "effective_date"), f"the change of ownership on {c.effective_date.isoformat()} "
                      f"is {(c.effective_date - filed).days} days after the filing date {filed.isoformat()}; CMS "
                      f"may return a CHOW application submitted more than {CHOW_DAYS} days before the sale "
                      "(424.526(a)(3))")
