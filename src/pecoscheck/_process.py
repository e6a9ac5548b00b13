"""How the ``pecoscheck`` program starts and ends: the garbage collector and a fast exit.

Only the program (``__main__.main`` without arguments) changes these: they belong to the whole
process, which is not ours when a test or a host application calls the library.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn

_paused = False


def pause_gc() -> None:
    """Stop the cyclic collector while the program imports its libraries.

    Start-up creates tens of thousands of objects that live until the end (modules, classes, the
    Pydantic validators), and the collector scanned them again and again while they were made: about
    6 ms of a one-profile run. Mypy does the same (``gc.set_threshold`` at the top of its ``main``).
    """
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """Collect again after start-up (a no-op unless :func:`pause_gc` stopped the collector)."""
    global _paused
    if _paused:
        gc.enable()
        _paused = False


def hard_exit(code: int) -> NoReturn:
    """End the program with ``code`` without tearing the interpreter down, when that is safe.

    Freeing every module and object one by one at exit took about 12 ms of a one-profile run; the
    report is complete and flushed by now, and nothing else of ours is running, so the operating
    system can reclaim the memory at once (mypy's ``hard_exit``, for the same reason). ``atexit``
    handlers do not run: pecoscheck registers none, and its own files are written and closed by now.
    Anything still running (a thread, a worker process) or output that cannot be flushed takes the
    ordinary exit.
    """
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    processes = sys.modules.get("multiprocessing")
    if processes is not None and processes.active_children():
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)

