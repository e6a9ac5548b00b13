"""Unreported changes found in git history (``validate --history``): see :mod:`pecoscheck.history`.

The windows are those of CHG001-CHG006 (:func:`~pecoscheck.rules.builtin.changes.change_window`); a change
counts from the item's own date, else the day of the commit that made it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...findings import Severity
from ..base import Context, Hit, rule

_SOURCE = ("42 CFR 424.516(d),(e), 424.57(c)(2), 410.33(g)(2) via [S38] Chapman Law Group (3P), [S39] Hall "
           "Render on MLN Connects (3P), MCN StayAlert quoting 424.516(d) (3P) and FCSO FAQ 227472 (MAC, "
           "practice locations 30 days); the eCFR text itself was not available to check")
_HINT = ("Report the change in PECOS (a change of information), then record it in `changes:` with "
         "`reported_on`, or set `enrollment.submitted_on` for the submission that carried it.")
_UNSURE = frozenset({"CHG005", "CHG006"})  # windows known only from third-party summaries


def _history(ctx: Context) -> Any:
    return ctx.online.get("history")


def _where(c: Any) -> str:
    commit = f"commit {c.commit[:10]} ({c.committed.isoformat()})" if c.commit else "uncommitted work"
    return f"{c.what}, {commit}"


@rule("HIS001", "Change since the last submission not reported yet (window still open)", "warning",
      hint=_HINT, online="history",
      rationale="A reportable part of the profile (ownership, officials, practice locations, names, TIN, bank "
                "account, adverse actions, licenses, reassignments) changed in git after the version last "
                "submitted, no `changes:` entry or later submission covers it, and its reporting window "
                "(30 or 90 days, as CHG001-CHG006 decide) is still open. The due date is in the message.",
      source=_SOURCE,
      example_fail="# committed 2026-12-10, after the submission of 2026-09-01:\n"
                   "provider:\n  legal_name: New Name, LLC",
      example_pass="changes:\n  - {kind: name, effective_date: 2026-12-10, reported_on: 2026-12-15}")
def pending(ctx: Context) -> Iterator[Hit]:
    h = _history(ctx)
    for c in h.changes if h else ():
        if c.status == "pending" or (c.status == "late" and c.window_rule in _UNSURE):
            yield Hit(c.path, f"{_where(c)}: not reported; due by {c.due.isoformat()} ({c.window_days}-day "
                      f"window, {c.window_rule}: {c.basis})")


@rule("HIS002", "Change since the last submission not reported within its window", "error",
      hint=_HINT, online="history",
      rationale="As HIS001, but the reporting window has passed: failing to report a change in time is a "
                "ground for deactivation or revocation (42 CFR 424.540, 424.535). Where the window is known "
                "only from third-party summaries (IDTF, CHG005), a warning.",
      source=_SOURCE,
      example_fail="# committed 2026-10-01, after the submission of 2026-09-01; today 2026-12-20:\nownership:\n"
                   "  - {party: individual, name: A. Owner, percent: 45, roles: [direct_owner]}",
      example_pass="changes:\n  - {kind: ownership, effective_date: 2026-10-01, reported_on: 2026-10-20}")
def overdue(ctx: Context) -> Iterator[Hit]:
    h = _history(ctx)
    for c in h.changes if h else ():
        if c.status == "overdue" or (c.status == "late" and c.window_rule not in _UNSURE):
            yield Hit(c.path, f"{_where(c)}: not reported, {-c.days_left} days past the due date "
                      f"{c.due.isoformat()} ({c.window_days}-day window, {c.window_rule}: {c.basis})",
                      severity=Severity.WARNING if c.window_rule in _UNSURE else None)


@rule("HIS900", "History could not be checked", "info", online="history",
      hint="Commit the profile; in a shallow clone run `git fetch --unshallow` (GitHub Actions: "
           "`fetch-depth: 0`).",
      rationale="`--history` needs the profile's git history back to its last submission. Without it (not a "
                "git repository, an uncommitted file, a shallow clone, a baseline outside the history) "
                "pecoscheck says so instead of guessing.",
      source="pecoscheck (no regulatory source: a note about the check itself)")
def unavailable(ctx: Context) -> Iterator[Hit]:
    h = _history(ctx)
    if h is not None and h.note and not h.note.startswith("never submitted"):
        yield Hit("", h.note)
