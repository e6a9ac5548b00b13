"""What every command shares without Typer: exit codes, messages, dates, output and progress.

``validate`` runs from here without importing Typer (see :mod:`pecoscheck.cli._validate`), so nothing
in this module may import it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import NoReturn, TextIO

EXIT_OK, EXIT_NOT_READY, EXIT_USAGE, EXIT_REGISTRY = 0, 1, 2, 3
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, as a shell reports a tool killed by a closed pipe
FORMATS = ("text", "json", "sarif", "junit", "github", "html", "roster")

def warn(message: str) -> None:
    """Print one line to stderr: identifiers masked, controls shown escaped (it may quote what a user typed)."""
    from ..sinks import masked_terminal

    sys.stderr.write(f"pecoscheck: {masked_terminal(message)}\n")


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one line to stderr (as :func:`warn` does) and exit."""
    warn(message)
    raise SystemExit(code)


def parse_date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of must be a date written YYYY-MM-DD, got {value!r}")


def split_list(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


def write_output(text: str, output: Path | None) -> None:
    """Write to ``output`` atomically (temporary file, then rename), or to stdout."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ..util import atomic_write

    try:
        atomic_write(output, text)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")


def use_color(output: Path | None) -> bool:
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@contextlib.contextmanager
def output_stream(output: Path | None) -> Iterator[TextIO]:
    """Standard output, or ``output`` written through a temporary file renamed when the report is complete."""
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    from ..util import atomic_open

    with atomic_open(output) as fh:
        yield fh


def reader_gone() -> NoReturn:
    """The report's reader closed the pipe (``| head``): stop quietly, with the shell's code for SIGPIPE."""
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
    raise SystemExit(EXIT_PIPE_CLOSED)


class ProgressBar:
    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self._progress = Progress(console=Console(stderr=True), transient=True, redirect_stdout=False,
                                  redirect_stderr=False)
        self._task: object = None

    def update(self, done: int, total: int) -> None:
        if total < 50:
            return
        if self._task is None:
            self._progress.start()
            self._task = self._progress.add_task("checking profiles", total=total)
        self._progress.update(self._task, completed=done)  # type: ignore[arg-type]

    def close(self) -> None:
        if self._task is not None:
            self._progress.stop()


def progress_bar() -> ProgressBar:
    return ProgressBar()


def read_npis(args: list[str]) -> list[str]:
    """NPIs from the arguments; ``-`` reads stdin and ``@FILE`` (or an existing file) reads one per line."""
    out: list[str] = []
    for a in args:
        if a == "-":
            lines = sys.stdin.read().splitlines()
        elif a.startswith("@") or (not a.isdigit() and Path(a).is_file()):
            try:
                lines = Path(a.removeprefix("@")).read_text("utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                fail(f"cannot read NPIs from {a}: {exc}")
        else:
            lines = [a]
        out += [ln.split("#", 1)[0].strip() for ln in lines if ln.split("#", 1)[0].strip()]
    return out


class _State:
    own_process = False  # True when run() is the program (not when a test or a host calls the app)


STATE = _State()
