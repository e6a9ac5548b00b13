"""Downloading OIG's LEIE files into the local index: the full list, then the monthly supplements it lacks.

The full list is ``UPDATED.csv`` (``$PECOSCHECK_LEIE_URL``); the supplements
sit beside it, one folder per year: ``2017/1702EXCL.csv`` and
``2017/1702REIN.csv``. The case of those names has changed over the years,
so a 404 is retried once in lower case. Every file goes to a private
temporary file first; the index changes only when every file read cleanly.
"""

from __future__ import annotations

import contextlib
import email.utils
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin

from pecoscheck.online.http import DEFAULT_ATTEMPTS, NotModified, UnavailableError, download_to
from pecoscheck.online.localdb import private_folder as _private_folder

from .index import _build, _open_csv, apply_supplements, index_status
from .months import KINDS, code, published_through, supplement_name
from .records import (
    DOWNLOAD_TIMEOUT,
    LEIE_URL_ENV,
    MAX_DOWNLOAD_BYTES,
    IndexStatus,
    LeieFormatError,
    default_index_path,
    leie_url,
)

MAX_SUPPLEMENT_MONTHS = 24
_ACCEPT = {"Accept": "text/csv, text/plain;q=0.9, */*;q=0.1"}


@dataclass(frozen=True)
class UpdateResult:
    """What ``update`` did: ``updated`` (new index) or ``current`` (server said not modified).

    ``supplements`` lists the supplement files applied now; ``not_published``
    those the server did not have (404), for the caller to report.
    """

    outcome: Literal["updated", "current"]
    status: IndexStatus
    bytes: int = 0
    supplements: tuple[str, ...] = ()
    not_published: tuple[str, ...] = field(default_factory=tuple)


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def supplement_url(full_url: str, month: int, kind: str) -> str:
    """Where a supplement sits, beside the full file: ``.../downloadables/2017/1702EXCL.csv``."""
    return urljoin(full_url, f"{month // 12:04d}/{supplement_name(month, kind)}")


def update(url: str | None = None, dest: str | os.PathLike[str] | None = None, *, force: bool = False,
           timeout: float = DOWNLOAD_TIMEOUT, retries: int = DEFAULT_ATTEMPTS,
           sleep: Callable[[float], None] = time.sleep, max_bytes: int = MAX_DOWNLOAD_BYTES,
           today: Callable[[], date] = date.today, supplements: bool = True) -> UpdateResult:
    """Download ``UPDATED.csv`` (unless unchanged) and the supplements of the months after it.

    Unless ``force``, a conditional request (``If-Modified-Since``) is sent
    when the existing index came from the same URL; a 304 answer keeps it.
    Raises :class:`UnavailableError` when no usable full file came back (the
    existing index is never damaged).
    """
    source = url or leie_url()
    target = Path(dest) if dest is not None else default_index_path()
    current = index_status(target)
    headers = dict(_ACCEPT)
    if not force and current is not None and current.source == source and current.last_modified:
        headers["If-Modified-Since"] = current.last_modified
    _private_folder(target.parent)
    outcome: Literal["updated", "current"] = "updated"
    with _temporary_file(target.parent) as tmp:
        try:
            size, last_modified = download_to(source, tmp, headers, timeout=timeout, retries=retries, sleep=sleep,
                                              max_bytes=max_bytes, redirect_hint=f"set {LEIE_URL_ENV} to the "
                                              "new address")
        except NotModified:
            assert current is not None
            status, size, outcome = current, 0, "current"
        else:
            when = _http_date(last_modified)
            file_date = when.date() if when else today()
            try:
                with _open_csv(tmp) as handle:
                    status = _build(handle, target, source, file_date,
                                    "last-modified" if when else "download date", last_modified)
            except LeieFormatError as exc:
                raise UnavailableError(f"the download is not the LEIE file ({exc})") from None
    if not supplements:
        return UpdateResult(outcome, status, size)
    applied, absent = _fetch_supplements(source, target, status, today(), timeout=timeout, retries=retries,
                                         sleep=sleep, max_bytes=max_bytes)
    if applied:
        status = index_status(target) or status
    return UpdateResult(outcome, status, size, tuple(applied), tuple(absent))


def _fetch_supplements(source: str, target: Path, status: IndexStatus, today: date, *, timeout: float,
                       retries: int, sleep: Callable[[float], None], max_bytes: int) -> tuple[list[str], list[str]]:
    """Download and apply the supplements after the full file up to the last month published; (applied, 404)."""
    start = status.covered_through
    if start is None:
        return [], []
    last = published_through(today)
    months = list(range(max(start + 1, last - MAX_SUPPLEMENT_MONTHS + 1), last + 1))
    wanted = [(m, k) for m in months for k in KINDS if not status.applied(m, k)]
    if not wanted:
        return [], []
    absent: list[str] = []
    with contextlib.ExitStack() as stack:
        files: list[tuple[str | os.PathLike[str], str]] = []
        for month, kind in wanted:
            tmp = stack.enter_context(_temporary_file(target.parent))
            name = supplement_name(month, kind)
            for candidate in (name, name.lower()):
                try:
                    download_to(supplement_url(source, month, kind).rsplit("/", 1)[0] + "/" + candidate, tmp,
                                _ACCEPT, timeout=timeout, retries=retries, sleep=sleep, max_bytes=max_bytes)
                except UnavailableError as exc:
                    if "HTTP 404" in exc.reason and candidate != name.lower():
                        continue
                    if "HTTP 404" in exc.reason:
                        absent.append(f"{code(month)}{kind}")
                        break
                    raise UnavailableError(f"{name}: {exc.reason}", offline=exc.offline) from None
                except NotModified:
                    break
                files.append((tmp, name))
                break
        if not files:
            return [], absent
        try:
            apply_supplements(files, target)
        except LeieFormatError as exc:
            raise UnavailableError(f"a downloaded supplement is damaged ({exc})") from None
    return [name.removesuffix(".csv") for _, name in files], absent


@contextlib.contextmanager
def _temporary_file(folder: Path) -> Iterator[str]:
    fd, tmp = tempfile.mkstemp(prefix=".leie-download-", suffix=".csv", dir=folder)
    os.close(fd)
    os.chmod(tmp, 0o600)
    try:
        yield tmp
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
