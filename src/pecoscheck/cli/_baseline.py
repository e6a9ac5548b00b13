"""The ``--baseline`` and ``--write-baseline`` options of ``validate``, over :mod:`pecoscheck.baseline`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ._common import fail

if TYPE_CHECKING:
    from ..baseline import BaselineTally
    from ..findings import Run


def with_baseline(run: Run, baseline: Path | None, write_to: Path | None) -> tuple[Run, BaselineTally]:
    """The run filtered by ``baseline`` (if given); a file to write is checked before anything runs."""
    from ..baseline import apply_baseline, load_baseline

    if write_to is not None and write_to.exists():
        load_baseline(write_to)  # refuse a file that is not a usable baseline before anything runs
    loaded = load_baseline(baseline) if baseline is not None else None
    return apply_baseline(run, loaded, str(baseline) if baseline is not None else "")


def save_baseline(path: Path, tally: BaselineTally, as_of: date) -> None:
    from ..baseline import BaselineError, baseline_of, write_baseline

    try:
        write_baseline(path, baseline_of(tally, as_of))
    except BaselineError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
