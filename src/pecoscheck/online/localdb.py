"""Local SQLite indexes (LEIE, SAM.gov): private folders, and databases built aside and moved into place."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path


def private_folder(folder: Path) -> None:
    """Create ``folder`` and its missing parents, owner-only (0700)."""
    missing = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for item in reversed(missing):
        with contextlib.suppress(FileExistsError):
            item.mkdir(mode=0o700)
        os.chmod(item, 0o700)



@contextlib.contextmanager
def temporary_database(target: Path, copy_from: Path | None = None) -> Iterator[tuple[sqlite3.Connection, Path]]:
    """A private temporary SQLite database beside ``target``, moved onto it only when the block completes."""
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o600)
    done = False
    try:
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            if copy_from is not None:
                with contextlib.closing(sqlite3.connect(copy_from.resolve().as_uri() + "?mode=ro", uri=True)) as src:
                    src.backup(con)
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            con.execute("PRAGMA cache_size=-65536")
            con.execute("BEGIN")
            yield con, tmp
            con.execute("COMMIT")
        finally:
            con.close()
        os.replace(tmp, target)
        done = True
    finally:
        if not done:
            with contextlib.suppress(OSError):
                os.unlink(tmp)




def untrusted(path: Path) -> str | None:
    """Why the local index file ``path`` must not be read (another user's, or writable by others), or None."""
    from pecoscheck.online.cache import _entry_trusted, folder_problem

    problem = folder_problem(path.parent)
    if problem is None and path.exists() and not _entry_trusted(path):
        problem = "the file is not your own private file"
    return problem
