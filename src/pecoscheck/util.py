"""Small file helpers shared by the CLI and the caches."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TextIO

_WRITE_CHUNK = 1 << 20


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: int | None = None) -> Iterator[TextIO]:
    """A text file to write ``path`` through: a temporary file beside it, renamed over it on success.

    No reader ever sees half a file, and an error (or Ctrl-C) inside the block leaves ``path`` as it
    was. A path that exists and is not a regular file (``/dev/null``, a named pipe, ``/dev/stdout``)
    is written in place: renaming over it would replace the device or pipe with a regular file.
    ``mode`` sets the permissions of a new file (default: what the umask allows; an existing file
    keeps its own).
    """
    target = Path(path)
    try:
        kind = os.stat(target).st_mode
    except OSError:
        kind = stat.S_IFREG
    if not (stat.S_ISREG(kind) or stat.S_ISDIR(kind)):
        with open(target, "w", encoding="utf-8", newline="") as fh:
            yield fh
        return
    folder = target.parent if str(target.parent) else Path(".")
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        elif target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: str | os.PathLike[str], text: str, mode: int | None = None) -> None:
    """Write ``text`` to ``path`` with :func:`atomic_open`."""
    with atomic_open(path, mode) as fh:
        for start in range(0, len(text), _WRITE_CHUNK):  # encoded a slice at a time, not all at once
            fh.write(text[start:start + _WRITE_CHUNK])


@lru_cache(maxsize=1024)  # LRU: the parents every profile shares stay hot; one-off folders go
def real_folder(folder: str) -> str:
    """``os.path.realpath`` of an absolute, normalized folder: one that is not a link is its parent's real
    path plus its name, so a new folder costs one ``lstat`` instead of one per path component."""
    parent, name = os.path.split(folder)
    if name in ("", ".", "..") or parent == folder or os.path.islink(folder):
        return os.path.realpath(folder)
    return os.path.join(real_folder(parent), name)
