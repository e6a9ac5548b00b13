"""A small disk cache for JSON answers, safe to share between processes.

Entries are keyed by the sha256 of the canonical request (URL plus sorted query
parameters) and expire after a TTL. Each entry is one file written to a temporary
file in the same folder and moved into place with :func:`os.replace`, so a reader
sees either the old entry or the new one, never half of one. An unreadable,
truncated or foreign entry is a miss.

The cache is trusted only when it is private: a cache folder owned by another
user is not used at all (one line on stderr says so, and every answer is then
fetched fresh), a folder the user owns is tightened to 0700, and an entry
file that is not the user's own regular file, or that others may write, is a
miss. :func:`cache_dir` is the root every local store (answers, LEIE and
SAM.gov indexes) lives under.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

__all__ = [
    "CACHE_DIR_ENV",
    "DEFAULT_TTL",
    "CacheInfo",
    "DiskCache",
    "cache_dir",
    "cache_key",
    "clear",
    "folder_problem",
    "info",
]

CACHE_DIR_ENV = "PECOSCHECK_CACHE_DIR"
DEFAULT_TTL = 24 * 60 * 60.0
_FORMAT = 1
_SUBDIR = "http"
_SUFFIX = ".json"
_TMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class CacheInfo:
    """What the cache holds."""

    folder: Path
    entries: int
    bytes: int


def cache_dir() -> Path:
    """The cache root: ``$PECOSCHECK_CACHE_DIR``, else the user cache folder."""
    configured = os.environ.get(CACHE_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("pecoscheck"))


def canonical_request(url: str, params: Mapping[str, str] | None = None) -> str:
    """The request as one string: the URL and its parameters sorted by name."""
    query = urlencode(sorted((str(k), str(v)) for k, v in (params or {}).items()))
    return f"{url.strip()}?{query}"


def cache_key(url: str, params: Mapping[str, str] | None = None) -> str:
    """The sha256 hex digest of the canonical request."""
    return hashlib.sha256(canonical_request(url, params).encode("utf-8")).hexdigest()


_WARNED: set[str] = set()
_WARN_LOCK = threading.Lock()


def _own_uid() -> int | None:
    return os.getuid() if hasattr(os, "getuid") else None


def folder_problem(path: Path) -> str | None:
    """Why the existing folder ``path`` must not be trusted (None when it is private or absent).

    A folder the user owns but others may write is tightened to 0700 first.
    """
    uid = _own_uid()
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    if uid is None:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    if info.st_uid != uid:
        return f"it belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o077:
        try:
            os.chmod(path, 0o700)
        except OSError:
            return "others may write to it and its permissions cannot be tightened"
    return None


def _entry_trusted(path: Path) -> bool:
    uid = _own_uid()
    if uid is None:
        return True
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_uid == uid and not info.st_mode & 0o022


def _warn_once(folder: Path, problem: str) -> None:
    key = f"{folder}:{problem}"
    with _WARN_LOCK:
        if key in _WARNED:
            return
        _WARNED.add(key)
    sys.stderr.write(f"pecoscheck: not using the cache folder {folder}: {problem}; answers are fetched fresh "
                     f"(point {CACHE_DIR_ENV} at a folder of your own)\n")


def _make_private_dir(path: Path) -> None:
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(folder, 0o700)


class DiskCache:
    """JSON answers on disk, keyed by request, with a time to live in seconds."""

    def __init__(
        self,
        folder: str | os.PathLike[str] | None = None,
        *,
        ttl: float = DEFAULT_TTL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.folder = Path(folder) if folder is not None else cache_dir()
        self.ttl = ttl
        self._clock = clock
        self._trusted: bool | None = None

    def trusted(self) -> bool:
        """The cache folders are private (checked once; a refusal is said once on stderr)."""
        if self._trusted is None:
            for folder in (self.folder, self.entries_dir):
                problem = folder_problem(folder)
                if problem is not None:
                    _warn_once(folder, problem)
                    self._trusted = False
                    break
            else:
                self._trusted = True
        return self._trusted

    @property
    def entries_dir(self) -> Path:
        """The folder that holds the entry files."""
        return self.folder / _SUBDIR

    def path_for(self, url: str, params: Mapping[str, str] | None = None) -> Path:
        """Where the entry for this request lives."""
        return self.entries_dir / f"{cache_key(url, params)}{_SUFFIX}"

    def get(self, url: str, params: Mapping[str, str] | None = None) -> Any | None:
        """The stored answer, or ``None`` on a miss (absent, expired, unreadable)."""
        path = self.path_for(url, params)
        if not self.trusted() or not _entry_trusted(path):
            return None
        try:
            raw = path.read_bytes()
            entry = json.loads(raw)
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != _FORMAT:
            return None
        if entry.get("request") != canonical_request(url, params) or "value" not in entry:
            return None
        stored_at = entry.get("stored_at")
        if not isinstance(stored_at, (int, float)) or isinstance(stored_at, bool):
            return None
        age = self._clock() - stored_at
        if age < -60 or age > self.ttl:
            return None
        return entry["value"]

    def put(self, url: str, params: Mapping[str, str] | None, value: Any) -> bool:
        """Store an answer; returns False (and stores nothing) if the disk refused."""
        entry = {
            "format": _FORMAT,
            "request": canonical_request(url, params),
            "stored_at": self._clock(),
            "value": value,
        }
        data = json.dumps(entry, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        target = self.path_for(url, params)
        tmp_name: str | None = None
        if not self.trusted():
            return False
        try:
            _make_private_dir(self.entries_dir)
            fd, tmp_name = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=".part", dir=self.entries_dir)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp_name, target)
            tmp_name = None
        except OSError:
            return False
        finally:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
        return True

    def info(self) -> CacheInfo:
        """The folder, the number of entries and their total size in bytes."""
        entries = 0
        size = 0
        for path in self._entry_files():
            try:
                size += path.stat().st_size
            except OSError:
                continue
            entries += 1
        return CacheInfo(folder=self.folder, entries=entries, bytes=size)

    def clear(self) -> int:
        """Delete every entry (and stray temporary files); returns how many entries went."""
        if not self.trusted():
            return 0
        removed = 0
        for path in self._entry_files():
            try:
                path.unlink()
            except OSError:
                continue
            removed += 1
        try:
            strays = list(self.entries_dir.glob(f"{_TMP_PREFIX}*"))
        except OSError:
            strays = []
        for stray in strays:
            with contextlib.suppress(OSError):
                stray.unlink()
        return removed

    def _entry_files(self) -> list[Path]:
        try:
            return [
                p
                for p in self.entries_dir.iterdir()
                if p.name.endswith(_SUFFIX) and not p.name.startswith(_TMP_PREFIX)
            ]
        except OSError:
            return []


def info(folder: str | os.PathLike[str] | None = None) -> CacheInfo:
    """:meth:`DiskCache.info` for ``folder`` (default: :func:`cache_dir`)."""
    return DiskCache(folder).info()


def clear(folder: str | os.PathLike[str] | None = None) -> int:
    """:meth:`DiskCache.clear` for ``folder`` (default: :func:`cache_dir`)."""
    return DiskCache(folder).clear()
