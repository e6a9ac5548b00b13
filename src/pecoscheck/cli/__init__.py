"""The command line: a thin Typer layer over the library, one module per command group.

Heavy imports happen inside commands, so that starting the program stays fast. The command modules
(and Typer) load on first use of :data:`app`: ``validate``'s fast path imports only
:mod:`._base` and :mod:`._validate` from this package.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from ._base import EXIT_USAGE, STATE, fail

if TYPE_CHECKING:
    import typer

    app: typer.Typer

__all__ = ["app", "fail", "run"]


def _app() -> typer.Typer:
    from . import data, history, init, lsp, monitor, npi, profiles, reference, rules, validate  # noqa: F401
    from ._common import app

    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return _app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run() -> None:
    """Run the Typer app, turning any internal error into one line and exit code 2."""
    STATE.own_process = True
    try:
        _app()(prog_name="pecoscheck")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("pecoscheck: interrupted\n")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("PECOSCHECK_DEBUG") or "--debug" in sys.argv:
            raise
        from ..sinks import masked_terminal

        sys.stderr.write(f"pecoscheck: internal error: {type(exc).__name__}: {masked_terminal(exc)} (run with "
                         "--debug for the traceback)\n")
        sys.exit(EXIT_USAGE)
