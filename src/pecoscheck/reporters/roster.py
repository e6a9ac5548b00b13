"""``--format roster``: one line per provider (verdict, counts, next deadline, name), for a repository at a glance.

Written as the profiles are checked. The next deadline is the first of ``pecoscheck deadlines`` for
that profile: an overdue item first, else the earliest date.
"""

from __future__ import annotations

import os
from datetime import date
from typing import TextIO

from ..findings import ProfileResult, Report, Run
from ..sinks import mask_identifiers, terminal
from . import RenderContext, render_with

HEADER = ("status", "errors", "warnings", "next deadline", "provider", "profile")
_WIDTHS = (16, 6, 8, 52, 28)


def next_deadline(p: ProfileResult, as_of: date) -> str:
    """``2027-01-31 License CA A178452 expires`` (``OVERDUE`` when past), or ``-``."""
    from ..deadlines import file_deadlines, sort_deadlines

    if not os.path.isfile(p.path):
        return "-"
    got = file_deadlines(p.path, as_of, display=p.path)
    if isinstance(got, str):
        return "-"
    items = [d for d in sort_deadlines(got.deadlines) if not (d.is_start and d.days_left < 0)]
    if not items:
        return "-"
    first = items[0]
    return f"{first.date.isoformat()} {'OVERDUE ' if first.overdue else ''}{first.what}"


def _status(p: ProfileResult) -> str:
    return "READY" if p.ready else "DRAFT, NOT READY" if p.draft else "NOT READY"


def _row(cells: tuple[str, ...]) -> str:
    out = []
    for cell, width in zip(cells, _WIDTHS, strict=False):
        text = cell if len(cell) <= width else cell[: width - 1] + "…"
        out.append(text.ljust(width))
    out.append(cells[-1])
    return "  ".join(out).rstrip()


def write(run: Run, ctx: RenderContext, out: TextIO) -> None:
    out.write(_row(HEADER) + "\n")
    for p in run:
        counts = p.counts
        cells = (_status(p), str(counts["error"]), str(counts["warning"]), next_deadline(p, run.as_of),
                 p.provider_name or "-", p.path)
        out.write(_row(tuple(terminal(mask_identifiers(c)) for c in cells)) + "\n")
    s = run.summary
    cross = s.get("across_profiles", 0)
    out.write(f"\n{s['ready']} of {s['profiles']} profile{'s' if s['profiles'] != 1 else ''} ready"
              + (f"; {cross} problem{'s' if cross != 1 else ''} across profiles (see --format text)" if cross else "")
              + f" (as of {run.as_of.isoformat()})\n")


def render(report: Report, ctx: RenderContext) -> str:
    return render_with(write, report, ctx)
