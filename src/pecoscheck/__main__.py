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
        from ._process import pause_gc

        pause_gc()
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
        if os.environ["PYDANTIC_DISABLE_PLUGINS"] in ("__all__", "1", "true"):
            _no_plugin_loader()
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
            if argv is None:
                from ._process import hard_exit

                hard_exit(code)
            sys.exit(code)
    from ._process import resume_gc
    from .cli import run

    resume_gc()

    if argv is not None:
        sys.argv = [sys.argv[0], *argv]
    run()


_LOADER = "pydantic.plugin._loader"


def _no_plugin_loader() -> None:
    """Stand in for pydantic's plugin loader while plugins are disabled.

    The real one answers "no plugins" then too, but imports ``importlib.metadata`` first (15-45 ms).
    The stand-in's ``get_plugins()`` returns nothing; any other name is read from the real module.
    """
    import types

    if _LOADER in sys.modules:
        return
    stub = types.ModuleType(_LOADER)

    def get_plugins() -> tuple[()]:
        return ()

    def real(name: str) -> object:
        import importlib

        if name.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(name)
        if sys.modules.get(_LOADER) is stub:
            del sys.modules[_LOADER]
        return getattr(importlib.import_module(_LOADER), name)

    stub.get_plugins = get_plugins  # type: ignore[attr-defined]
    stub.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[_LOADER] = stub


if __name__ == "__main__":
    main()
