"""``--format json``: the machine-readable report of spec/cli.md (lossless, valid UTF-8: :mod:`pecoscheck.sinks`)."""

from __future__ import annotations

from typing import Any, TextIO

from .._version import __version__
from ..findings import ProfileResult, Report, Run
from ..sinks import json_dumps, mask_identifiers
from . import RenderContext, render_with


def as_dict(report: Report) -> dict[str, Any]:
    """The report as plain data, identifiers masked."""
    return _document(report, [_entry(p) for p in report.profiles])


def _entry(p: ProfileResult) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": p.path,
        "ready": p.ready,
        "counts": p.counts,
        "findings": [f.to_dict() for f in p.findings],
    }
    if p.draft:
        entry["draft"] = True
    if p.suppressed:
        entry["suppressed"] = [{**f.to_dict(), "reason": f.masked().suppressed} for f in p.suppressed]
    return entry


def _document(report: Report | Run, profiles: object, ctx: RenderContext | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "tool": {"name": "pecoscheck", "version": __version__},
        "as_of": report.as_of.isoformat(),
        "profiles": profiles,
        "summary": report.summary,
    }
    if report.registry_unavailable:
        out["registry_unavailable"] = True
        out["unavailable"] = dict(report.unavailable)
    baseline = ctx.extra.get("baseline") if ctx is not None else None
    if baseline is not None:
        out["baseline"] = baseline.summary()  # type: ignore[attr-defined]
    cross = report.cross
    if cross:
        out["across_profiles"] = [{"rule": c.rule, "severity": c.severity.value, "message": mask_identifiers(c.message),
                                   "hint": c.hint, "profiles": [{"path": p, "line": ln} for p, ln in c.places]}
                                  for c in cross]
    return out


_SLOT = "\x00profiles\x00"


def _around_profiles(run: Run, ctx: RenderContext) -> tuple[str, str]:
    """The document's text before and after the value of ``profiles``."""
    head, tail = json_dumps(_document(run, _SLOT, ctx)).split(json_dumps(_SLOT), 1)
    return head, tail


def write(run: Run, ctx: RenderContext, out: TextIO) -> None:
    """``json_dumps(as_dict(report))``, written one profile at a time.

    Each entry is encoded alone and indented to its place in the ``profiles`` list (a raw line break
    only occurs between items, never inside a string), so the text is the same as encoding the whole
    document at once; the summary, which follows the list, is encoded once the last profile is counted.
    """
    out.write(_around_profiles(run, ctx)[0])
    first = True
    for p in run:
        out.write("[\n    " if first else ",\n    ")
        out.write(json_dumps(_entry(p)).replace("\n", "\n    "))
        first = False
    out.write("[]" if first else "\n  ]")
    out.write(_around_profiles(run, ctx)[1] + "\n")


def render(report: Report, ctx: RenderContext) -> str:
    return render_with(write, report, ctx)
