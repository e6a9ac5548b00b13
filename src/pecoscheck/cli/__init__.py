"""The command line: a thin Typer layer over the library, one module per command group.

Heavy imports happen inside commands, so that starting the program stays fast.
"""

from __future__ import annotations

import os
import sys

from . import data, history, init, lsp, monitor, npi, profiles, reference, rules, validate  # noqa: F401  (each registers its commands)
from ._common import EXIT_USAGE, STATE, app, fail

__all__ = ["app", "fail", "run"]


def run() -> None:
    """Run the Typer app, turning any internal error into one line and exit code 2."""
    STATE.own_process = True
    try:
        app(prog_name="pecoscheck")
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
