"""``--format json``: the machine-readable report of spec/cli.md."""

from __future__ import annotations

import json
from typing import Any

from .._version import __version__
from ..findings import Report
from . import RenderContext


def as_dict(report: Report) -> dict[str, Any]:
    """The report as plain data, identifiers masked."""
    profiles = []
    for p in report.profiles:
        entry: dict[str, Any] = {
            "path": p.path,
            "ready": p.ready,
            "counts": p.counts,
            "findings": [f.to_dict() for f in p.findings],
        }
        if p.suppressed:
            entry["suppressed"] = [{**f.to_dict(), "reason": f.masked().suppressed} for f in p.suppressed]
        profiles.append(entry)
    out: dict[str, Any] = {
        "tool": {"name": "pecoscheck", "version": __version__},
        "as_of": report.as_of.isoformat(),
        "profiles": profiles,
        "summary": report.summary,
    }
    if report.registry_unavailable:
        out["registry_unavailable"] = True
        out["unavailable"] = dict(report.unavailable)
    return out


def render(report: Report, ctx: RenderContext) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
