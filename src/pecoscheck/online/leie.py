"""The OIG List of Excluded Individuals/Entities (LEIE), as a local SQLite index.

``UPDATED.csv`` (the full list of current exclusions, refreshed monthly by
OIG) is downloaded from ``$PECOSCHECK_LEIE_URL`` (default
``https://oig.hhs.gov/exclusions/downloadables/UPDATED.csv``) and streamed
into ``<cache>/leie/leie.sqlite3`` (owner-only), built in a temporary file and
moved into place atomically, so a reader never sees half an index.

The real layout (OIG's record layout, 18 columns)::

    LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,
    CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE

is parsed as found in OIG's files: dates ``YYYYMMDD`` with ``00000000`` for
"no date", ``0000000000`` for "no NPI", exclusion types padded with blanks,
a middle name of one blank, quoted or unquoted empty fields, CRLF or LF.
A row with a reinstatement date is reinstated and never matches.

Lookups: :meth:`LeieIndex.by_npi`, :meth:`LeieIndex.by_name` (last name and
optionally first name, individuals) and :meth:`LeieIndex.by_business`
(entities). Names are compared normalised: case, accents, blanks and
punctuation ignored, and for businesses a trailing INC/LLC/PC/... too. The
download carries no SSN or EIN, so a name-only match must be verified with
OIG's online search.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import email.utils
import os
import re
import sqlite3
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import BaseModel, ConfigDict

from pecoscheck.online.http import DEFAULT_ATTEMPTS, UnavailableError, parse_retry_after, user_agent

__all__ = [
    "COLUMNS",
    "DEFAULT_LEIE_URL",
    "INDEX_FILE",
    "LEIE_URL_ENV",
    "IndexStatus",
    "LeieFormatError",
    "LeieIndex",
    "LeieRecord",
    "NoIndexError",
    "UpdateResult",
    "build_index",
    "business_key",
    "default_index_path",
    "leie_url",
    "name_key",
    "update",
]

LEIE_URL_ENV = "PECOSCHECK_LEIE_URL"
DEFAULT_LEIE_URL = "https://oig.hhs.gov/exclusions/downloadables/UPDATED.csv"
INDEX_FILE = "leie.sqlite3"
_SUBDIR = "leie"
_FORMAT = "1"
DOWNLOAD_TIMEOUT = 60.0
DOWNLOAD_DEADLINE = 15 * 60.0
MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024
STALE_DAYS = 45

COLUMNS = ("LASTNAME", "FIRSTNAME", "MIDNAME", "BUSNAME", "GENERAL", "SPECIALTY", "UPIN", "NPI", "DOB",
           "ADDRESS", "CITY", "STATE", "ZIP", "EXCLTYPE", "EXCLDATE", "REINDATE", "WAIVERDATE", "WVRSTATE")
_HEADER_ALIASES = {"WAIVERSTATE": "WVRSTATE", "ZIP CODE": "ZIP", "ZIPCODE": "ZIP"}


def leie_url() -> str:
    """Where ``UPDATED.csv`` is downloaded from: ``$PECOSCHECK_LEIE_URL`` or OIG's site."""
    return os.environ.get(LEIE_URL_ENV, "").strip() or DEFAULT_LEIE_URL


def default_index_path(folder: str | os.PathLike[str] | None = None) -> Path:
    """``<cache>/leie/leie.sqlite3`` (the cache is ``$PECOSCHECK_CACHE_DIR`` or the user cache folder)."""
    if folder is not None:
        return Path(folder) / INDEX_FILE
    from pecoscheck.online.cache import cache_dir

    return cache_dir() / _SUBDIR / INDEX_FILE


class LeieFormatError(ValueError):
    """The file is not in the LEIE layout (e.g. an HTML maintenance page)."""


class NoIndexError(FileNotFoundError):
    """No LEIE index has been built yet."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"no LEIE index at {path}; run `pecoscheck data update leie` first")
        self.path = path


# --------------------------------------------------------------------------- normalisation

_DROP_ASCII = "".join(chr(c) for c in range(128) if not chr(c).isalnum())
_DELETE = str.maketrans("", "", _DROP_ASCII)
_TOKENS = re.compile(r"[A-Z0-9]+")
_ENTITY_SUFFIXES = frozenset({
    "INC", "INCORPORATED", "LLC", "PLLC", "LLP", "LP", "LTD", "LIMITED", "PC", "PA", "PSC", "SC", "CORP",
    "CORPORATION", "CO", "COMPANY", "PLC", "CHTD", "CHARTERED",
})


def _ascii_upper(text: str) -> str:
    text = text.upper()
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text


def name_key(text: str | None) -> str:
    """A person's name part compared without case, accents, blanks or punctuation: ``O'Neil-Smith`` → ``ONEILSMITH``."""
    if not text:
        return ""
    return _ascii_upper(text).translate(_DELETE)


def business_key(text: str | None) -> str:
    """A business name without case, punctuation, a leading THE or trailing INC/LLC/PC/...; ``&`` reads AND."""
    if not text:
        return ""
    tokens = _TOKENS.findall(_ascii_upper(text).replace("&", " AND "))
    # "P.A." and "L L C" arrive as single letters: join a trailing run of them into one word
    run = 0
    while run < len(tokens) and len(tokens[-1 - run]) == 1:
        run += 1
    if run >= 2 and run < len(tokens):
        tokens[-run:] = ["".join(tokens[-run:])]
    while len(tokens) > 1 and tokens[-1] in _ENTITY_SUFFIXES:
        tokens.pop()
    if len(tokens) > 1 and tokens[0] == "THE":
        tokens.pop(0)
    return "".join(tokens)


# --------------------------------------------------------------------------- records


class LeieRecord(BaseModel):
    """One LEIE row, cleaned: blanks and ``00000000``/``0000000000`` placeholders are ``None``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    last_name: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    business_name: str | None = None
    general: str | None = None
    specialty: str | None = None
    upin: str | None = None
    npi: str | None = None
    dob: date | None = None
    address: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    exclusion_type: str | None = None
    exclusion_date: date | None = None
    reinstatement_date: date | None = None
    waiver_date: date | None = None
    waiver_state: str | None = None

    @property
    def kind(self) -> Literal["individual", "entity"]:
        return "entity" if self.business_name and not self.last_name else "individual"

    @property
    def reinstated(self) -> bool:
        return self.reinstatement_date is not None

    @property
    def display_name(self) -> str:
        if self.kind == "entity":
            return self.business_name or ""
        person = " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)
        return f"{person} ({self.business_name})" if self.business_name else person

    def describe(self) -> str:
        """One line for a report: name, type, NPI, place, exclusion type and date."""
        bits = [self.display_name]
        what = ", ".join(p for p in (self.general, self.specialty) if p)
        if what:
            bits.append(what)
        if self.npi:
            bits.append(f"NPI {self.npi}")
        place = ", ".join(p for p in (self.city, self.state) if p)
        if place:
            bits.append(place)
        excl = f"excluded {self.exclusion_date.isoformat()}" if self.exclusion_date else "excluded"
        if self.exclusion_type:
            excl += f" under {self.exclusion_type}"
        bits.append(excl)
        if self.waiver_date:
            bits.append(f"waiver {self.waiver_date.isoformat()}" + (f" ({self.waiver_state})"
                                                                     if self.waiver_state else ""))
        return "; ".join(bits)

    def to_dict(self) -> dict[str, Any]:
        out = self.model_dump(mode="json", exclude={"dob"})
        out["kind"] = self.kind
        out["name"] = self.display_name
        return out


@dataclass(frozen=True)
class IndexStatus:
    """What the local index holds and how old it is."""

    path: Path
    source: str
    file_date: date | None
    file_date_from: str  # "last-modified", "download date" or "file"
    built_at: datetime | None
    rows: int
    active_rows: int
    skipped_rows: int
    last_modified: str | None = None

    def age_days(self, today: date | None = None) -> int | None:
        if self.file_date is None:
            return None
        return ((today or date.today()) - self.file_date).days

    def stale(self, today: date | None = None, days: int = STALE_DAYS) -> bool:
        age = self.age_days(today)
        return age is not None and age > days

    def to_dict(self, today: date | None = None) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "source": self.source,
            "file_date": self.file_date.isoformat() if self.file_date else None,
            "file_date_from": self.file_date_from,
            "built_at": self.built_at.isoformat(timespec="seconds") if self.built_at else None,
            "rows": self.rows,
            "active_rows": self.active_rows,
            "skipped_rows": self.skipped_rows,
            "age_days": self.age_days(today),
            "stale": self.stale(today),
        }


# --------------------------------------------------------------------------- building

_SCHEMA = """
CREATE TABLE leie (
    lastname TEXT, firstname TEXT, midname TEXT, busname TEXT, general TEXT, specialty TEXT, upin TEXT,
    npi TEXT, dob TEXT, address TEXT, city TEXT, state TEXT, zip TEXT, excltype TEXT, excldate TEXT,
    reindate TEXT, waiverdate TEXT, wvrstate TEXT,
    last_key TEXT, bus_key TEXT
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
"""
_INDEXES = """
CREATE INDEX leie_npi ON leie (npi) WHERE npi != '';
CREATE INDEX leie_person ON leie (last_key) WHERE last_key != '';
CREATE INDEX leie_business ON leie (bus_key) WHERE bus_key != '';
"""
_INSERT = "INSERT INTO leie VALUES (" + ",".join("?" * 20) + ")"  # noqa: S608 - placeholders only
_FIELDS = ("lastname, firstname, midname, busname, general, specialty, upin, npi, dob, address, city, state, zip, "
           "excltype, excldate, reindate, waiverdate, wvrstate")
_DATE_FORMATS = ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d")


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode the bytes that are not UTF-8 as Windows-1252 (older OIG files are not UTF-8)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    return bytes(bad).decode("cp1252", errors="replace"), exc.end


_CP1252_FALLBACK = "pecoscheck-cp1252"
codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


def _iso_date(text: str) -> str:
    """``YYYYMMDD`` (or an older ``MM/DD/YY``) as ISO; ``00000000`` and blanks as ``""``."""
    text = text.strip()
    if not text or text.strip("0") == "":
        return ""
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return ""


def _check_header(header: list[str]) -> None:
    names = [_HEADER_ALIASES.get(h.strip().upper(), h.strip().upper()) for h in header]
    if names and names[0].startswith("\ufeff"):
        names[0] = names[0][1:]
    if tuple(names[: len(COLUMNS)]) != COLUMNS:
        shown = ",".join(header)[:120]
        raise LeieFormatError(f"not the LEIE layout: the first line is {shown!r}, expected "
                              f"{','.join(COLUMNS[:4])},...")


class _Counter:
    __slots__ = ("active", "rows", "skipped")

    def __init__(self) -> None:
        self.rows = 0
        self.active = 0
        self.skipped = 0


def _rows(reader: Iterator[list[str]], counter: _Counter) -> Iterator[list[str]]:
    width = len(COLUMNS)
    strip = str.strip
    dates: dict[str, str] = {"": "", "00000000": ""}
    names: dict[str, str] = {"": ""}

    def day(text: str) -> str:
        found = dates.get(text)
        if found is None:
            found = dates[text] = _iso_date(text)
        return found

    def key(text: str) -> str:
        found = names.get(text)
        if found is None:
            found = names[text] = name_key(text)
        return found

    for raw in reader:
        n = len(raw)
        if n != width:
            if n == 0 or (n == 1 and not raw[0].strip()):
                continue
            if n == width - 1:
                raw = [*raw, ""]
            else:
                counter.skipped += 1
                continue
        row = list(map(strip, raw))
        npi = row[7]
        if npi and not npi.strip("0"):
            row[7] = ""
        row[8] = day(row[8])
        row[14] = day(row[14])
        rein = row[15] = day(row[15])
        row[16] = day(row[16])
        row.append(key(row[0]))
        row.append(business_key(row[3]) if row[3] else "")
        counter.rows += 1
        if not rein:
            counter.active += 1
        yield row


def _private_folder(folder: Path) -> None:
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


def build_index(source: str | os.PathLike[str] | IO[str], dest: str | os.PathLike[str] | None = None, *,
                file_date: date | None = None, file_date_from: str = "file", source_name: str | None = None,
                last_modified: str | None = None) -> IndexStatus:
    """Build the index from an LEIE CSV (a path or a text stream) and move it into place atomically.

    Raises :class:`LeieFormatError` when the first line is not the LEIE
    header; the existing index is then left untouched.
    """
    target = Path(dest) if dest is not None else default_index_path()
    _private_folder(target.parent)
    if isinstance(source, (str, os.PathLike)):
        name = source_name or str(source)
        if file_date is None:
            file_date = datetime.fromtimestamp(os.stat(source).st_mtime, tz=UTC).date()
        with open(source, encoding="utf-8-sig", errors=_CP1252_FALLBACK, newline="") as handle:
            return _build(handle, target, name, file_date, file_date_from, last_modified)
    return _build(source, target, source_name or "stream", file_date, file_date_from, last_modified)


def _build(handle: IO[str], target: Path, source: str, file_date: date | None, file_date_from: str,
           last_modified: str | None) -> IndexStatus:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise LeieFormatError("not the LEIE layout: the file is empty") from None
    except csv.Error as exc:
        raise LeieFormatError(f"not a CSV file: {exc}") from None
    _check_header(header)
    fd, tmp = tempfile.mkstemp(prefix=".leie-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o600)
    counter = _Counter()
    built_at = datetime.now(UTC)
    try:
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            con.execute("PRAGMA locking_mode=EXCLUSIVE")
            con.execute("PRAGMA cache_size=-65536")
            con.execute("BEGIN")
            for statement in _SCHEMA.strip().split(";"):
                if statement.strip():
                    con.execute(statement)
            try:
                con.executemany(_INSERT, _rows(reader, counter))
            except csv.Error as exc:
                raise LeieFormatError(f"unreadable CSV near row {counter.rows + 2}: {exc}") from None
            for statement in _INDEXES.strip().split(";"):
                if statement.strip():
                    con.execute(statement)
            meta = {
                "format": _FORMAT,
                "source": source,
                "file_date": file_date.isoformat() if file_date else "",
                "file_date_from": file_date_from,
                "built_at": built_at.isoformat(timespec="seconds"),
                "rows": str(counter.rows),
                "active_rows": str(counter.active),
                "skipped_rows": str(counter.skipped),
                "last_modified": last_modified or "",
            }
            con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            con.execute("COMMIT")
        finally:
            con.close()
        os.replace(tmp, target)
        tmp = ""
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return IndexStatus(path=target, source=source, file_date=file_date, file_date_from=file_date_from,
                       built_at=built_at, rows=counter.rows, active_rows=counter.active,
                       skipped_rows=counter.skipped, last_modified=last_modified)


# --------------------------------------------------------------------------- reading

def _to_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _record(row: tuple[Any, ...]) -> LeieRecord:
    (last, first, mid, bus, general, specialty, upin, npi, dob, address, city, state, zipc, excltype, excldate,
     reindate, waiverdate, wvrstate) = row

    def t(v: Any) -> str | None:
        return v or None

    return LeieRecord(
        last_name=t(last), first_name=t(first), middle_name=t(mid), business_name=t(bus), general=t(general),
        specialty=t(specialty), upin=t(upin), npi=t(npi), dob=_to_date(dob), address=t(address), city=t(city),
        state=t(state), zip=t(zipc), exclusion_type=t(excltype), exclusion_date=_to_date(excldate),
        reinstatement_date=_to_date(reindate), waiver_date=_to_date(waiverdate), waiver_state=t(wvrstate),
    )


class LeieIndex:
    """Read-only lookups in a built index. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_index_path()
        if not self.path.is_file():
            raise NoIndexError(self.path)
        uri = self.path.resolve().as_uri() + "?mode=ro"
        try:
            self._con = sqlite3.connect(uri, uri=True, check_same_thread=False)
            meta = dict(self._con.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as exc:
            raise NoIndexError(self.path) from exc
        if meta.get("format") != _FORMAT:
            self._con.close()
            raise NoIndexError(self.path)
        self._meta: dict[str, str] = meta

    def __enter__(self) -> LeieIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

    def status(self) -> IndexStatus:
        m = self._meta
        built = m.get("built_at") or ""
        try:
            built_at: datetime | None = datetime.fromisoformat(built) if built else None
        except ValueError:
            built_at = None
        return IndexStatus(
            path=self.path, source=m.get("source", ""), file_date=_to_date(m.get("file_date")),
            file_date_from=m.get("file_date_from", ""), built_at=built_at, rows=int(m.get("rows") or 0),
            active_rows=int(m.get("active_rows") or 0), skipped_rows=int(m.get("skipped_rows") or 0),
            last_modified=m.get("last_modified") or None,
        )

    def _select(self, where: str, args: tuple[Any, ...], include_reinstated: bool) -> list[LeieRecord]:
        sql = f"SELECT {_FIELDS} FROM leie WHERE {where}"  # noqa: S608 - fixed column list and clauses
        if not include_reinstated:
            sql += " AND reindate = ''"
        return [_record(r) for r in self._con.execute(sql, args).fetchall()]

    def by_npi(self, npi: str, *, include_reinstated: bool = False) -> list[LeieRecord]:
        """Exclusions listing this NPI (active ones unless ``include_reinstated``)."""
        number = npi.strip()
        if not number or number.strip("0") == "":
            return []
        return self._select("npi = ? AND npi != ''", (number,), include_reinstated)

    def by_name(self, last: str, first: str | None = None, *, include_reinstated: bool = False) -> list[LeieRecord]:
        """Individuals with this last name (and first name, matched whole or by its first word)."""
        lk = name_key(last)
        if not lk:
            return []
        if first is None or not name_key(first):
            return self._select("last_key = ? AND last_key != ''", (lk,), include_reinstated)
        fk = name_key(first)
        return [r for r in self._select("last_key = ? AND last_key != ''", (lk,), include_reinstated)
                if fk in (name_key(r.first_name), name_key((r.first_name or "").split(" ", 1)[0]))]

    def by_business(self, name: str, *, include_reinstated: bool = False) -> list[LeieRecord]:
        """Entities whose business name matches (normalised)."""
        key = business_key(name)
        if not key:
            return []
        return self._select("bus_key = ? AND bus_key != ''", (key,), include_reinstated)


def index_status(path: str | os.PathLike[str] | None = None) -> IndexStatus | None:
    """The status of the index at ``path`` (default location), or None when there is none."""
    try:
        with LeieIndex(path) as index:
            return index.status()
    except NoIndexError:
        return None


# --------------------------------------------------------------------------- downloading


@dataclass(frozen=True)
class UpdateResult:
    """What ``update`` did: ``updated`` (new index) or ``current`` (server said not modified)."""

    outcome: Literal["updated", "current"]
    status: IndexStatus
    bytes: int = 0


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def update(url: str | None = None, dest: str | os.PathLike[str] | None = None, *, force: bool = False,
           timeout: float = DOWNLOAD_TIMEOUT, retries: int = DEFAULT_ATTEMPTS,
           sleep: Callable[[float], None] = time.sleep, max_bytes: int = MAX_DOWNLOAD_BYTES,
           today: Callable[[], date] = date.today) -> UpdateResult:
    """Download ``UPDATED.csv`` and rebuild the index.

    Unless ``force``, a conditional request (``If-Modified-Since``) is sent
    when the existing index came from the same URL; a 304 answer leaves it as
    it is. Raises :class:`UnavailableError` when no usable file came back
    (the existing index is never damaged).
    """
    source = url or leie_url()
    target = Path(dest) if dest is not None else default_index_path()
    current = index_status(target)
    headers = {"User-Agent": user_agent(), "Accept": "text/csv, text/plain;q=0.9, */*;q=0.1"}
    if not force and current is not None and current.source == source and current.last_modified:
        headers["If-Modified-Since"] = current.last_modified
    _private_folder(target.parent)
    fd, tmp = tempfile.mkstemp(prefix=".leie-download-", suffix=".csv", dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o600)
    try:
        got = _download(source, tmp, headers, timeout=timeout, retries=retries, sleep=sleep, max_bytes=max_bytes)
        if got is None:
            assert current is not None
            return UpdateResult("current", current)
        size, last_modified = got
        when = _http_date(last_modified)
        file_date = when.date() if when else today()
        try:
            with open(tmp, encoding="utf-8-sig", errors=_CP1252_FALLBACK, newline="") as handle:
                status = _build(handle, target, source, file_date, "last-modified" if when else "download date",
                                last_modified)
        except LeieFormatError as exc:
            raise UnavailableError(f"the download is not the LEIE file ({exc})") from None
        return UpdateResult("updated", status, size)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _download(url: str, path: str, headers: dict[str, str], *, timeout: float, retries: int,
              sleep: Callable[[float], None], max_bytes: int) -> tuple[int, str | None] | None:
    """Stream ``url`` into ``path``; None on 304. Retries connection errors, timeouts, 5xx and 429."""
    import random

    import httpx

    reason = "no attempt made"
    with httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)), follow_redirects=False,
                      headers=headers) as client:
        for attempt in range(1, retries + 1):
            retry_after: float | None = None
            try:
                with client.stream("GET", url) as response:
                    status = response.status_code
                    if status == 304:
                        return None
                    if status == 429 or status >= 500:
                        retry_after = parse_retry_after(response.headers.get("Retry-After"))
                        raise _Retry(f"HTTP {status}")
                    if 300 <= status < 400:
                        where = response.headers.get("Location", "?")
                        raise UnavailableError(f"HTTP {status} redirect to {where} (redirects are not followed; "
                                               f"set {LEIE_URL_ENV} to the new address)")
                    if status != 200:
                        raise UnavailableError(f"HTTP {status}")
                    declared = response.headers.get("Content-Length", "")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise UnavailableError(f"file too large ({declared} bytes > {max_bytes})")
                    deadline = time.monotonic() + DOWNLOAD_DEADLINE
                    size = 0
                    with open(path, "wb") as out:
                        for chunk in response.iter_bytes(1 << 16):
                            size += len(chunk)
                            if size > max_bytes:
                                raise UnavailableError(f"file too large (more than {max_bytes} bytes)")
                            if time.monotonic() > deadline:
                                raise _Retry(f"download not complete within {DOWNLOAD_DEADLINE:g} s")
                            out.write(chunk)
                    if declared.isdigit() and size != int(declared):
                        raise _Retry(f"download cut short ({size} of {declared} bytes)")
                    return size, response.headers.get("Last-Modified")
            except _Retry as exc:
                reason = str(exc)
            except httpx.TimeoutException:
                reason = f"no answer within {timeout:g} s"
            except httpx.UnsupportedProtocol as exc:
                raise UnavailableError(f"unsupported URL: {exc}") from None
            except httpx.TransportError as exc:
                reason = f"connection failed ({type(exc).__name__}: {exc})"
            except httpx.HTTPError as exc:
                raise UnavailableError(f"bad response ({type(exc).__name__}: {exc})") from None
            if attempt < retries:
                delay = min(8.0, 0.5 * 2.0 ** (attempt - 1))
                delay = delay / 2 + random.uniform(0, delay / 2)  # noqa: S311 - jitter, not security
                sleep(min(retry_after, 30.0) if retry_after is not None else delay)
    plural = "s" if retries != 1 else ""
    raise UnavailableError(f"{reason} (after {retries} attempt{plural})")


class _Retry(Exception):
    pass
