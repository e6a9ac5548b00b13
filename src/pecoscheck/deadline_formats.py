"""Render deadlines (:mod:`pecoscheck.deadlines`) as a table, JSON, CSV or an iCalendar file. Returns text.

Every value goes through its sink's function in :mod:`pecoscheck.sinks` (see ``DEADLINE_SINKS`` there).
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from . import sinks
from ._version import __version__
from .deadlines import Deadline, DeadlineRun
from .sinks import mask_identifiers

DEADLINE_FORMATS = ("table", "json", "csv", "ics")
CSV_COLUMNS = ("date", "days_left", "status", "kind", "what", "rule", "profile", "provider", "npi", "path",
               "line", "fix")
DEFAULT_REMIND_DAYS = 14


def _days(d: Deadline) -> str:
    if d.is_start and d.days_left <= 0:
        return "open"
    if d.days_left < 0:
        return f"{-d.days_left} overdue"
    return "today" if d.days_left == 0 else str(d.days_left)


def render_table(run: DeadlineRun, items: Sequence[Deadline], *, color: bool = False, width: int | None = None,
                 within: int | None = None) -> str:
    """A Rich table; overdue rows are red when ``color`` is on."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    if width is None:
        width = shutil.get_terminal_size((160, 24)).columns  # COLUMNS, the terminal, else 160
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False)
    if not items:
        horizon = f" within {within} days" if within is not None else ""
        console.print(f"nothing due{horizon} of {run.as_of.isoformat()}")
    else:
        table = Table(box=None, header_style="bold", pad_edge=False)
        table.add_column("date", no_wrap=True)
        table.add_column("days", justify="right", no_wrap=True)
        table.add_column("what", overflow="fold", ratio=4)
        table.add_column("rule", no_wrap=True)
        table.add_column("for", overflow="fold", ratio=4)
        table.add_column("where", overflow="fold", ratio=3)
        for d in items:
            style = "red" if d.overdue else ("green" if d.is_start and d.days_left <= 0 else "")
            who = Text(sinks.masked_terminal(d.provider or d.profile))
            if d.npi:
                who.append(f" (NPI {sinks.masked_terminal(d.npi, 'provider.npi')})")
            who.append("\n" + sinks.terminal(d.profile), style="dim" if color else "")
            where = sinks.terminal(d.path + (f":{d.line}" if d.line else ""))
            table.add_row(d.date.isoformat(), _days(d), Text(sinks.masked_terminal(d.what, d.path)),
                          sinks.terminal(d.rule), who, where, style=style)
        console.print(table)
        overdue = sum(d.overdue for d in items)
        console.print(f"{len(items)} item{'s' if len(items) != 1 else ''}"
                      + (f" due within {within} days" if within is not None else "")
                      + f" of {run.as_of.isoformat()}; {overdue} overdue", style="red" if overdue and color else "")
    for u in run.undated:
        console.print(Text(sinks.masked_terminal(f"{u.profile}: {u.what} is TBD (no date): {u.note}", u.path)),
                      style="dim" if color else "")
    return buffer.getvalue()


def as_dict(run: DeadlineRun, items: Sequence[Deadline], within: int | None = None) -> dict[str, Any]:
    return {
        "tool": {"name": "pecoscheck", "version": __version__},
        "as_of": run.as_of.isoformat(),
        "within_days": within,
        "deadlines": [d.to_dict() for d in items],
        "undated": [u.to_dict() for u in run.undated],
        "skipped": [{"path": p, "reason": mask_identifiers(why)} for p, why in run.skipped],
        "summary": {"items": len(items), "overdue": sum(d.overdue for d in items),
                    "profiles": len({d.profile for d in items})},
    }


def render_json(run: DeadlineRun, items: Sequence[Deadline], within: int | None = None) -> str:
    return sinks.json_dumps(as_dict(run, items, within)) + "\n"


def render_csv(items: Sequence[Deadline]) -> str:
    """One row per deadline; every cell neutralised against formula injection (:func:`pecoscheck.sinks.csv_cell`)."""
    return sinks.csv_text(CSV_COLUMNS, (d.to_dict() for d in items))


def _dtstamp() -> datetime:
    """Now (UTC), or ``SOURCE_DATE_EPOCH`` for reproducible files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC).replace(microsecond=0)


def render_ics(run: DeadlineRun, items: Sequence[Deadline], remind_days: int = DEFAULT_REMIND_DAYS) -> str:
    """An RFC 5545 calendar: one all-day event per deadline, each with a reminder ``remind_days`` before."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", f"-//pecoscheck//pecoscheck {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "PECOS enrollment deadlines")
    stamp = _dtstamp()
    for d in items:
        event = Event()
        event.add("uid", d.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", d.date)
        event.add("dtend", d.date + timedelta(days=1))
        data = d.to_dict()  # texts masked for the field each is about
        who = data["provider"] or d.profile
        event.add("summary", sinks.ics(f"{data['what']} ({who})"))
        lines = [
            f"{data['what']}.",
            f"Profile: {d.profile}" + (f" ({who}, NPI {d.npi})" if d.npi else ""),
            f"Where: {d.path}" + (f", line {d.line}" if d.line else ""),
            (f"Rule: {d.rule} (filing before this date is returned)" if d.is_start
             else f"Rule: {d.rule} fires once this date has passed"),
            f"Fix: {data['fix']}",
            f"Explain: pecoscheck rules explain {d.rule}",
        ]
        event.add("description", sinks.ics("\n".join(lines)))
        event.add("categories", ["PECOS", sinks.ics(d.kind)])
        event.add("transp", "TRANSPARENT")
        if remind_days > 0:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", sinks.ics(f"In {remind_days} days: {data['what']} ({who})"))
            alarm.add("trigger", timedelta(days=-remind_days))
            event.add_component(alarm)
        cal.add_component(event)
    return str(cal.to_ical(), "utf-8")


def render(fmt: str, run: DeadlineRun, items: Sequence[Deadline], *, within: int | None = None,
           remind_days: int = DEFAULT_REMIND_DAYS, color: bool = False, width: int | None = None) -> str:
    if fmt == "table":
        return render_table(run, items, color=color, width=width, within=within)
    if fmt == "json":
        return render_json(run, items, within)
    if fmt == "csv":
        return render_csv(items)
    if fmt == "ics":
        return render_ics(run, items, remind_days)
    raise ValueError(f"unknown format {fmt!r}")
