"""The Typer app and its global options; the shared helpers live in :mod:`._base` (re-exported here)."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from .._version import __version__
from ._base import (
    EXIT_NOT_READY,
    EXIT_OK,
    EXIT_PIPE_CLOSED,
    EXIT_REGISTRY,
    EXIT_USAGE,
    FORMATS,
    STATE,
    ProgressBar,
    fail,
    output_stream,
    parse_date,
    progress_bar,
    read_npis,
    reader_gone,
    split_list,
    use_color,
    warn,
    write_output,
)

__all__ = [
    "EXIT_NOT_READY",
    "EXIT_OK",
    "EXIT_PIPE_CLOSED",
    "EXIT_REGISTRY",
    "EXIT_USAGE",
    "FORMATS",
    "STATE",
    "Group",
    "ProgressBar",
    "app",
    "fail",
    "main",
    "output_stream",
    "parse_date",
    "progress_bar",
    "read_npis",
    "reader_gone",
    "split_list",
    "use_color",
    "warn",
    "write_output",
]

class Group(TyperGroup):
    """A command group whose listing shows each command's first sentence whole, wrapped, never cut."""

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


app = typer.Typer(
    cls=Group,
    name="pecoscheck",
    help="Check Medicare (PECOS) enrollment profiles before you submit them.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"pecoscheck {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on internal errors.")] = False,
) -> None:
    """Check Medicare (PECOS) enrollment profiles before you submit them."""
    if debug:
        os.environ["PECOSCHECK_DEBUG"] = "1"


