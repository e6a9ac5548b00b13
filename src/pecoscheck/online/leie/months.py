"""LEIE months: which monthly supplement a file is, and which month OIG has published by a given day.

OIG updates the full list (``UPDATED.csv``) and publishes the supplements of
the month before (``YYMMEXCL.csv``: new exclusions, ``YYMMREIN.csv``:
reinstatements) by the 10th of each month [S87]. A month is an int,
``year * 12 + month - 1``, so that consecutive months are consecutive ints.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

PUBLISHED_BY_DAY = 10  # OIG: "updated by the 10th of each month" [S87]
GRACE_DAYS = 5  # pecoscheck's own allowance for a late publication before the index counts as stale
KINDS: tuple[Literal["EXCL", "REIN"], ...] = ("EXCL", "REIN")

_SUPPLEMENT = re.compile(r"(\d{2})(\d{2})(EXCL|REIN)\.csv$", re.IGNORECASE)


def month_of(day: date) -> int:
    """The month ``day`` falls in."""
    return day.year * 12 + day.month - 1


def label(month: int) -> str:
    """``2017-02``."""
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def code(month: int) -> str:
    """``1702``, as in OIG's file names."""
    return f"{month // 12 % 100:02d}{month % 12 + 1:02d}"


def from_label(text: str) -> int | None:
    """The month of ``2017-02`` (None when unreadable)."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def supplement_of(filename: str) -> tuple[int, Literal["EXCL", "REIN"]] | None:
    """``(month, kind)`` when the file name ends like ``1702EXCL.csv`` or ``1702rein.csv``, else None."""
    match = _SUPPLEMENT.search(filename)
    if match is None:
        return None
    yy, mm, kind = int(match.group(1)), int(match.group(2)), match.group(3).upper()
    if not 1 <= mm <= 12:
        return None
    return (2000 + yy) * 12 + mm - 1, ("EXCL" if kind == "EXCL" else "REIN")


def published_through(day: date) -> int:
    """The latest month whose supplements OIG has published by ``day`` (the month before the last update)."""
    return month_of(day - timedelta(days=PUBLISHED_BY_DAY - 1)) - 1


def expected_through(today: date) -> int:
    """The latest month an index must hold on ``today`` not to be stale (publication day plus a grace)."""
    return month_of(today - timedelta(days=PUBLISHED_BY_DAY - 1 + GRACE_DAYS)) - 1


def supplement_name(month: int, kind: str) -> str:
    """``1702EXCL.csv``."""
    return f"{code(month)}{kind}.csv"
