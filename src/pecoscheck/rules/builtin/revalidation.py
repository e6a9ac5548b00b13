"""Revalidation: the due date, the 7-month submission window and the 5-year (DMEPOS 3-year) cycle."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from ...findings import Severity
from ...model import Profile
from ..base import Context, Hit, rule

_DUE = ("provider", "medicare", "revalidation_due")
WINDOW_MONTHS = 7
_SOURCE_WINDOW = ("[S34] Noridian JE-B Revalidation; [S35] CGS Revalidation; [S17] Noridian JF-B CMS-855I "
                  "instructions")


def _days_in(year: int, month: int) -> int:
    """The days of a month (``calendar.monthrange`` without importing ``calendar`` and ``locale``)."""
    return ((date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)).day


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the end of the target month.

    ``add_months(date(2028, 2, 29), 12)`` is 2029-02-28; ``add_months(date(2027, 7, 31), 7)`` is 2028-02-29.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _days_in(year, month)))


def end_of_month(day: date) -> date:
    return day.replace(day=_days_in(day.year, day.month))


def revalidation_window_opens(due: date) -> date:
    """The first day a revalidation may be submitted: 7 calendar months before ``due`` (see :func:`add_months`).

    Anything received earlier is returned as unsolicited. For due dates at a month's end (as CMS sets them)
    the clamp makes e.g. 2027-09-30 open on 2027-02-28.
    """
    return add_months(due, -WINDOW_MONTHS)


def is_dmepos(profile: Profile, application: str) -> bool:
    return application == "CMS-855S" or profile.provider.organization_type == "dmepos_supplier"


def revalidation_cycle_years(profile: Profile, application: str) -> int:
    """5 years, or 3 for DMEPOS suppliers."""
    return 3 if is_dmepos(profile, application) else 5


def _due(ctx: Context) -> date | None:
    m = ctx.profile.provider.medicare
    return m.revalidation_due if m and isinstance(m.revalidation_due, date) else None


@rule("REV001", "Revalidation due date has passed", "error",
      hint="File the full revalidation now (or as planned, before the due date); after the due date the "
           "enrollment is in a stay and then deactivated retroactive to the due date.",
      rationale="Missing the revalidation due date puts the enrollment in a stay of enrollment (claims reject; "
                "FCSO: about 30 days to file), then deactivation retroactive to the due date; reactivation "
                "gets a new effective date, leaving an unbillable gap. Fires when the due date is before the "
                "as-of date, or (for a revalidation) before the planned submission date. Not checked for "
                "deactivated or revoked enrollments, reactivations and voluntary terminations.",
      source="[S36] FCSO Revalidation overview; [S37] CY2024 PFS enrollment changes (3P); [S75] DAB ALJ CR5613",
      example_fail="provider:\n  medicare: {revalidation_due: 2026-09-30}\nenrollment:\n  action: revalidation",
      example_pass="provider:\n  medicare: {revalidation_due: 2027-03-31}\nenrollment:\n  action: revalidation")
def revalidation_overdue(ctx: Context) -> Iterator[Hit]:
    due = _due(ctx)
    status = ctx.profile.provider.medicare.status if ctx.profile.provider.medicare else None
    if due is None or status in ("deactivated", "revoked") or ctx.action in ("reactivation",
                                                                              "voluntary_termination"):
        return
    if due < ctx.as_of:
        yield Hit(_DUE, f"revalidation was due {due.isoformat()}, {(ctx.as_of - due).days} days before "
                  f"{ctx.as_of.isoformat()}")
    elif ctx.action == "revalidation" and due < ctx.check_date:
        yield Hit(_DUE, f"revalidation is due {due.isoformat()}, before the planned submission "
                  f"{ctx.check_date.isoformat()}")


@rule("REV002", "Revalidation filed while the due date is TBD or more than 7 months away", "error",
      hint="Wait until CMS posts a due date and the submission is at most 7 months before it; the window "
           "opens on the date given in the message.",
      rationale="Revalidations are submitted within 7 months of the posted due date; one received earlier, or "
                "while the Revalidation Due Date List shows 'TBD', is returned as unsolicited (older Noridian "
                "text said 6 months). The window opens 7 calendar months before the due date: the same day of "
                "the month, clamped to the month's end (2027-09-30 -> 2027-02-28); a submission on that day is "
                "accepted. A revalidation with no due date recorded gets a warning.",
      source=_SOURCE_WINDOW, actions=("revalidation",),
      example_fail="provider:\n  medicare: {revalidation_due: TBD}\nenrollment:\n  action: revalidation",
      example_pass="provider:\n  medicare: {revalidation_due: 2027-03-31}\nenrollment:\n  action: revalidation\n"
                   "  submitted_on: 2026-11-30")
def revalidation_too_early(ctx: Context) -> Iterator[Hit]:
    m = ctx.profile.provider.medicare
    due = m.revalidation_due if m else None
    if due == "TBD":
        yield Hit(_DUE, "revalidation planned while the due date is TBD; CMS has posted no due date yet")
    elif due is None:
        yield Hit(("provider", "medicare"), "revalidation planned, but no `revalidation_due` is recorded; check "
                  "the Revalidation Due Date List before filing", severity=Severity.WARNING)
    elif isinstance(due, date):
        opens = revalidation_window_opens(due)
        if ctx.check_date < opens:
            yield Hit(_DUE, f"submission on {ctx.check_date.isoformat()} is more than 7 months before the due "
                      f"date {due.isoformat()}; the window opens {opens.isoformat()}")


@rule("REV003", "Revalidation due soon and none planned", "warning",
      hint="Plan the revalidation (`enrollment.action: revalidation`) before the due date.",
      rationale="Revalidation due dates are posted about 6-7 months ahead and a revalidation may be filed "
                "within 7 months of the due date; missing it leads to a stay and deactivation. Fires when the "
                "due date lies within `revalidation_warning_days` (default 214, about 7 months) of the as-of "
                "date and the profile plans something else. Not for CMS-855O-only enrollees or voluntary "
                "terminations.",
      source=_SOURCE_WINDOW,
      example_fail="provider:\n  medicare: {revalidation_due: 2027-03-31}\nenrollment:\n"
                   "  action: change_of_information",
      example_pass="provider:\n  medicare: {revalidation_due: 2027-03-31}\nenrollment:\n  action: revalidation")
def revalidation_due_soon(ctx: Context) -> Iterator[Hit]:
    due = _due(ctx)
    if (due is None or ctx.action in ("revalidation", "voluntary_termination") or ctx.application == "CMS-855O"
            or due < ctx.as_of):
        return
    if (due - ctx.as_of).days <= ctx.settings.revalidation_warning_days:
        yield Hit(_DUE, f"revalidation is due {due.isoformat()} ({(due - ctx.as_of).days} days away; the "
                  f"window opened {revalidation_window_opens(due).isoformat()}) and this profile plans a "
                  f"{ctx.action.replace('_', ' ')}, not a revalidation")


@rule("REV004", "Due date does not match the revalidation cycle", "warning",
      hint="Check the due date on the Revalidation Due Date List; if CMS set it off-cycle, keep it.",
      rationale="Enrollments revalidate every 5 years (DMEPOS suppliers every 3), and CMS sets due dates on "
                "the last day of a month. pecoscheck expects the due date at the end of the month in which "
                "`last_revalidated` + 5 (or 3) years falls, and warns when the posted date differs by more "
                "than 31 days. CMS may order off-cycle revalidations, so this is a heuristic for a typo, "
                "not an error.",
      source="[S34] Noridian JE-B Revalidation; [S79] Revalidation overview (3P)",
      example_fail="provider:\n  medicare: {last_revalidated: 2022-03-22, revalidation_due: 2028-03-31}",
      example_pass="provider:\n  medicare: {last_revalidated: 2022-03-22, revalidation_due: 2027-03-31}")
def revalidation_cycle(ctx: Context) -> Iterator[Hit]:
    m = ctx.profile.provider.medicare
    due = _due(ctx)
    if m is None or due is None or m.last_revalidated is None:
        return
    years = revalidation_cycle_years(ctx.profile, ctx.application)
    expected = end_of_month(add_months(m.last_revalidated, 12 * years))
    if abs(due - expected) > timedelta(days=31):
        kind = "DMEPOS suppliers revalidate every 3 years" if years == 3 else "the cycle is 5 years"
        yield Hit(_DUE, f"due date {due.isoformat()} is not {years} years after the last revalidation "
                  f"{m.last_revalidated.isoformat()} (expected about {expected.isoformat()}; {kind})")


@rule("REV005", "Revalidation planned for an order/certify-only enrollee", "info",
      hint="CMS-855O-only enrollees do not revalidate; check whether another action is meant.",
      rationale="Opted-out practitioners and enrollees who only order, certify or refer (CMS-855O) do not "
                "revalidate. (Opt-out status is not in the profile, so only the CMS-855O case is checked.)",
      source="[S34] Noridian JE-B Revalidation", kinds=("individual",), applications=("CMS-855O",),
      actions=("revalidation",),
      example_fail="enrollment:\n  application: CMS-855O\n  action: revalidation",
      example_pass="enrollment:\n  application: CMS-855O\n  action: change_of_information")
def revalidation_855o(ctx: Context) -> Iterator[Hit]:
    yield Hit(("enrollment", "action"), "revalidation planned for a CMS-855O (order/certify-only) enrollment; "
              "855O-only enrollees do not revalidate")
