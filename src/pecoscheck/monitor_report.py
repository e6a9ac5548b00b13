"""What ``pecoscheck monitor`` prints: the :class:`~pecoscheck.monitor.Changes` as text, JSON or Markdown."""

from __future__ import annotations

import json

from .findings import mask_identifiers
from .monitor import Changes

FORMATS = ("text", "json", "markdown")
_SOURCES = {"nppes": "NPPES", "pecos": "data.cms.gov (PECOS)", "exclusions": "OIG exclusion list"}


def _headline(c: Changes) -> str:
    since = "first run: everything is new" if c.first_run else f"since {c.since or 'the last run'}"
    return (f"{c.profiles} profile{'s' if c.profiles != 1 else ''} as of {c.as_of.isoformat()} ({since}): "
            f"{len(c.new)} new finding{'s' if len(c.new) != 1 else ''}, {len(c.resolved)} resolved, "
            f"{c.still_present} still present; {len(c.records)} registry record{'s' if len(c.records) != 1 else ''}"
            f" changed; {len(c.deadlines)} deadline{'s' if len(c.deadlines) != 1 else ''} entered the warning window")


def render_text(c: Changes) -> str:
    lines = [_headline(c)]
    if c.new:
        lines += ["", "New findings:"]
        lines += [f"  {e.severity:<7} {e.rule:<7} {e.profile}{f':{e.line}' if e.line else ''}  {e.message}"
                  for e in c.new]
    if c.resolved:
        lines += ["", "Resolved:"]
        lines += [f"  {e.rule:<7} {e.profile}  {e.message}" for e in c.resolved]
    if c.records:
        lines += ["", "Registry records changed:"]
        for r in c.records:
            lines.append(f"  {_SOURCES.get(r.source, r.source)} {mask_identifiers(r.key)} "
                         f"({', '.join(r.profiles)}): {', '.join(r.fields)}")
    if c.deadlines:
        lines += ["", "Deadlines now in their warning window:"]
        lines += [f"  {d.date.isoformat()} ({d.days_left:+d} days) {d.profile}  {mask_identifiers(d.what)}"
                  for d in c.deadlines]
    for source, why in sorted(c.unavailable.items()):
        lines.append(f"could not reach {_SOURCES.get(source, source)}: {why}; its last answers were kept")
    return "\n".join(lines) + "\n"


def render_json(c: Changes) -> str:
    return json.dumps(c.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return mask_identifiers(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(c: Changes) -> str:
    """For ``$GITHUB_STEP_SUMMARY`` or an issue body."""
    out = ["## pecoscheck monitor", "", _headline(c) + ".", ""]
    if c.new:
        out += ["### New findings", "", "| Severity | Rule | Profile | Message |", "|---|---|---|---|"]
        out += [f"| {e.severity} | {e.rule} | `{_cell(e.profile)}`{f' line {e.line}' if e.line else ''} | "
                f"{_cell(e.message)} |" for e in c.new]
        out.append("")
    if c.resolved:
        out += ["### Resolved", ""] + [f"- {e.rule} `{_cell(e.profile)}`: {_cell(e.message)}" for e in c.resolved]
        out.append("")
    if c.records:
        out += ["### Registry records changed", "", "| Source | Record | Profiles | Fields changed |",
                "|---|---|---|---|"]
        out += [f"| {_SOURCES.get(r.source, r.source)} | {_cell(r.key)} | {_cell(', '.join(r.profiles))} | "
                f"{_cell(', '.join(r.fields))} |" for r in c.records]
        out.append("")
    if c.deadlines:
        out += ["### Deadlines now in their warning window", "", "| Date | Days left | Profile | What |",
                "|---|---|---|---|"]
        out += [f"| {d.date.isoformat()} | {d.days_left} | `{_cell(d.profile)}` | {_cell(d.what)} |"
                for d in c.deadlines]
        out.append("")
    if c.unavailable:
        out += [f"> could not reach {_SOURCES.get(s, s)}: {_cell(w)}; its last answers were kept"
                for s, w in sorted(c.unavailable.items())] + [""]
    if not c.changed:
        out += ["Nothing changed.", ""]
    return "\n".join(out)


def render(c: Changes, fmt: str) -> str:
    return {"text": render_text, "json": render_json, "markdown": render_markdown}[fmt](c)
