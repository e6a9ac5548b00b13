"""Reporters turn the results of a run into text. One module per format.

Each module defines ``render(report, ctx) -> str``. A module that can write
each profile as it arrives also defines ``write(run, ctx, out)``, which reads a
:class:`~pecoscheck.findings.Run` once and writes to a text stream, so that a
run over many profiles does not hold them all. ``FORMATS`` maps a format name
to its module so that only the chosen reporter is imported.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..findings import Report, Run
    from ..rules.registry import Registry

FORMATS: dict[str, str] = {
    "text": "pecoscheck.reporters.text",
    "json": "pecoscheck.reporters.json",
    "sarif": "pecoscheck.reporters.sarif",
    "junit": "pecoscheck.reporters.junit",
    "github": "pecoscheck.reporters.github",
    "html": "pecoscheck.reporters.html",
    "roster": "pecoscheck.reporters.roster",
}

Writer = Callable[["Run", "RenderContext", TextIO], None]


class RenderContext:
    """What a reporter may need beyond the report itself (a plain class: see :class:`~pecoscheck.config.Config`)."""

    def __init__(self, registry: Registry | None = None, color: bool = False, quiet: bool = False,
                 width: int | None = None, statistics: bool = False, extra: dict[str, object] | None = None) -> None:
        self.registry = registry
        self.color = color
        self.quiet = quiet
        self.width = width
        self.statistics = statistics
        self.extra: dict[str, object] = extra if extra is not None else {}


def get(name: str) -> Callable[[Report, RenderContext], str]:
    """The ``render`` function of the named format."""
    module = importlib.import_module(FORMATS[name])
    render: Callable[[Report, RenderContext], str] = module.render
    return render


def writer(name: str) -> Writer:
    """A function that writes a run in the named format as it goes.

    A format without ``write`` (its document starts with what only the last profile decides) gets
    the profiles collected into a :class:`~pecoscheck.findings.Report` and rendered at the end.
    """
    module = importlib.import_module(FORMATS[name])
    write: Writer | None = getattr(module, "write", None)
    if write is not None:
        return write
    render = get(name)

    def collect(run: Run, ctx: RenderContext, out: TextIO) -> None:
        from ..findings import Report

        profiles = list(run)
        report = Report(as_of=run.as_of, profiles=profiles, unavailable=dict(run.unavailable), cross=run.cross)
        out.write(render(report, ctx))

    return collect


def render_with(write: Writer, report: Report, ctx: RenderContext) -> str:
    """``render`` for a format that has ``write``: the whole report as one string."""
    from ..findings import Run

    buffer = io.StringIO()
    write(Run.of(report), ctx, buffer)
    return buffer.getvalue()
