"""The text report's styled lines (``reporters._styled``): ANSI only when colour is on, text unchanged."""

from __future__ import annotations

import io

from helpers import EXAMPLES
from pecoscheck.reporters import RenderContext, render_with
from pecoscheck.reporters._styled import Console, Text
from pecoscheck.reporters.text import write


def test_spans_render_plain_without_colour_and_with_sgr_codes_with_it() -> None:
    line = Text.assemble(("NOT READY", "bold red"), "  ", Text("x", style="dim"), ("plain", ""))
    line.append("!", style="yellow")
    assert line.render(False) == line.plain == "NOT READY  xplain!"
    assert line.render(True) == "\x1b[1;31mNOT READY\x1b[0m  \x1b[2mx\x1b[0mplain\x1b[33m!\x1b[0m"


def test_console_prints_lines_and_blank_lines() -> None:
    out = io.StringIO()
    console = Console(out, color=False)
    console.print(Text("a", style="bold"))
    console.print()
    console.print("b")
    assert out.getvalue() == "a\n\nb\n"


def test_colour_report_has_the_same_text_as_the_plain_one() -> None:
    import re
    from datetime import date

    from pecoscheck.engine import Options, RuleSet, validate_paths

    options = Options(as_of=date(2026, 11, 26), use_cache=False)
    report = validate_paths([EXAMPLES / "not-ready"], options)
    registry = RuleSet.build(options).registry
    plain = render_with(write, report, RenderContext(registry=registry, color=False))
    coloured = render_with(write, report, RenderContext(registry=registry, color=True))
    assert "\x1b[1;31mNOT READY\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
