"""Reporters turn a :class:`~pecoscheck.findings.Report` into text. One module per format.

Each module defines ``render(report, ctx) -> str``; ``FORMATS`` maps a format
name to its module so that only the chosen reporter is imported.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..findings import Report
    from ..rules.registry import Registry

FORMATS: dict[str, str] = {
    "text": "pecoscheck.reporters.text",
    "json": "pecoscheck.reporters.json",
    "sarif": "pecoscheck.reporters.sarif",
    "junit": "pecoscheck.reporters.junit",
    "github": "pecoscheck.reporters.github",
    "html": "pecoscheck.reporters.html",
}


@dataclass
class RenderContext:
    """What a reporter may need beyond the report itself."""

    registry: Registry | None = None
    color: bool = False
    quiet: bool = False
    width: int | None = None
    statistics: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def get(name: str) -> Callable[[Report, RenderContext], str]:
    """The ``render`` function of the named format."""
    module = importlib.import_module(FORMATS[name])
    render: Callable[[Report, RenderContext], str] = module.render
    return render
