"""Entry point of ``pecoscheck`` and ``python -m pecoscheck``.

``--version`` and ``npi check`` answer without importing Typer, so they start fast.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from ._version import __version__

        sys.stdout.write(f"pecoscheck {__version__}\n")
        sys.exit(0)
    if len(args) >= 3 and args[:2] == ["npi", "check"] and not any(a.startswith("-") for a in args[2:]):
        from .npi import check_command

        sys.exit(check_command(args[2:]))
    from .cli import run

    if argv is not None:
        sys.argv = [sys.argv[0], *argv]
    run()


if __name__ == "__main__":
    main()
