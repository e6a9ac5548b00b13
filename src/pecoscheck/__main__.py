"""Entry point of ``pecoscheck`` and ``python -m pecoscheck``.

``--version``, ``npi check`` and ``validate`` run without importing Typer, so they start fast; anything
those fast paths do not read (``--help``, a usage error) goes to the Typer app.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if argv is None:  # pecoscheck is the program: no pydantic plugin scan (a third of pydantic's import)
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if args == ["--version"]:
        from ._version import __version__

        sys.stdout.write(f"pecoscheck {__version__}\n")
        sys.exit(0)
    if len(args) >= 3 and args[:2] == ["npi", "check"] and not any(a.startswith("-") for a in args[2:]):
        from .npi import check_command

        sys.exit(check_command(args[2:]))
    if args and args[0] == "validate":
        from .cli._validate import fast_main

        code = fast_main(args[1:])
        if code is not None:
            sys.exit(code)
    from .cli import run

    if argv is not None:
        sys.argv = [sys.argv[0], *argv]
    run()


if __name__ == "__main__":
    main()
