"""Building the local LEIE index (full file, then monthly supplements) and reading it."""

from __future__ import annotations

import codecs
import csv
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from pecoscheck.online.localdb import private_folder as _private_folder
from pecoscheck.online.localdb import temporary_database as _temporary_index
from pecoscheck.online.localdb import untrusted

from .months import code, supplement_of
from .records import (
    _FORMAT,
    _HEADER_ALIASES,
    COLUMNS,
    IndexStatus,
    LeieFormatError,
    LeieRecord,
    NoIndexError,
    business_key,
    default_index_path,
    name_key,
)

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


def _rows(reader: Any, counter: _Counter) -> Iterator[list[str]]:
    """Cleaned rows plus their two name keys; LeieFormatError (with the line number) on a damaged row."""
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
                raise LeieFormatError(f"line {reader.line_num}: {n} fields where the LEIE layout has {width} "
                                      "(a truncated or damaged file)")
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


def _open_csv(source: str | os.PathLike[str]) -> IO[str]:
    return open(source, encoding="utf-8-sig", errors=_CP1252_FALLBACK, newline="")


def build_index(source: str | os.PathLike[str] | IO[str], dest: str | os.PathLike[str] | None = None, *,
                file_date: date | None = None, file_date_from: str = "file", source_name: str | None = None,
                last_modified: str | None = None) -> IndexStatus:
    """Build the index from an LEIE full file (a path or a text stream) and move it into place atomically.

    Raises :class:`LeieFormatError` (naming the line) when the file is not in
    the LEIE layout or a row is damaged; the existing index is then left untouched.
    """
    target = Path(dest) if dest is not None else default_index_path()
    _private_folder(target.parent)
    if isinstance(source, (str, os.PathLike)):
        name = source_name or str(source)
        if file_date is None:
            file_date = datetime.fromtimestamp(os.stat(source).st_mtime, tz=UTC).date()
        with _open_csv(source) as handle:
            return _build(handle, target, name, file_date, file_date_from, last_modified)
    return _build(source, target, source_name or "stream", file_date, file_date_from, last_modified)


def _reader(handle: IO[str]) -> Any:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise LeieFormatError("not the LEIE layout: the file is empty") from None
    except csv.Error as exc:
        raise LeieFormatError(f"line 1: not a CSV file ({exc})") from None
    _check_header(header)
    return reader


def _build(handle: IO[str], target: Path, source: str, file_date: date | None, file_date_from: str,
           last_modified: str | None) -> IndexStatus:
    reader = _reader(handle)
    counter = _Counter()
    built_at = datetime.now(UTC)
    with _temporary_index(target) as (con, _tmp):
        for statement in _SCHEMA.strip().split(";"):
            if statement.strip():
                con.execute(statement)
        try:
            con.executemany(_INSERT, _rows(reader, counter))
        except csv.Error as exc:
            raise LeieFormatError(f"line {reader.line_num}: unreadable CSV ({exc})") from None
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
            "supplements": "[]",
            "supplement_sources": "{}",
        }
        con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    return IndexStatus(path=target, source=source, file_date=file_date, file_date_from=file_date_from,
                       built_at=built_at, rows=counter.rows, active_rows=counter.active,
                       skipped_rows=counter.skipped, last_modified=last_modified)


_SAME_EXCLUSION = ("last_key = ? AND firstname = ? AND busname = ? AND npi = ? AND dob = ? AND excldate = ? "
                   "AND excltype = ?")


def apply_supplements(files: Sequence[tuple[str | os.PathLike[str] | IO[str], str]],
                      dest: str | os.PathLike[str] | None = None) -> IndexStatus:
    """Apply monthly supplements, each ``(file, name)`` with a name like ``1702EXCL.csv``, to the index.

    Exclusions are added (unless already listed); a reinstatement marks the
    matching exclusion reinstated, or is added as a reinstated row. All
    files are applied to a copy moved into place at the end, so a bad file
    (:class:`LeieFormatError`, naming file and line) leaves the index as it was.
    Raises :class:`NoIndexError` when no full file was indexed first.
    """
    target = Path(dest) if dest is not None else default_index_path()
    with LeieIndex(target) as current:
        status = current.status()
    order = []
    for source, name in files:
        found = supplement_of(name)
        if found is None:
            raise LeieFormatError(f"{name}: not a monthly supplement name (YYMMEXCL.csv or YYMMREIN.csv)")
        order.append((found, source, name))
    order.sort(key=lambda item: (item[0][0], item[0][1] == "REIN"))
    applied = list(status.supplements)
    sources = dict(status.supplement_sources)
    with _temporary_index(target, copy_from=target) as (con, _tmp):
        for (month, kind), source, name in order:
            if isinstance(source, (str, os.PathLike)):
                with _open_csv(source) as handle:
                    _apply_one(con, handle, kind, name)
                sources[f"{code(month)}{kind}"] = str(source)
            else:
                _apply_one(con, source, kind, name)
                sources[f"{code(month)}{kind}"] = name
            applied.append(f"{code(month)}{kind}")
        applied = sorted(set(applied))
        rows, active = con.execute("SELECT COUNT(*), SUM(reindate = '') FROM leie").fetchone()
        meta = {"supplements": json.dumps(applied), "supplement_sources": json.dumps(sources, sort_keys=True),
                "rows": str(rows), "active_rows": str(active or 0)}
        con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
    return index_status(target) or status


def _apply_one(con: sqlite3.Connection, handle: IO[str], kind: str, name: str) -> None:
    try:
        reader = _reader(handle)
    except LeieFormatError as exc:
        raise LeieFormatError(f"{name}: {exc}") from None
    counter = _Counter()
    try:
        for row in _rows(reader, counter):
            identity = (row[18], row[1], row[3], row[7], row[8], row[14], row[13])
            if kind == "REIN":
                if not row[15]:
                    raise LeieFormatError(f"line {reader.line_num}: a reinstatement without a REINDATE")
                changed = con.execute(f"UPDATE leie SET reindate = ? WHERE reindate = '' AND {_SAME_EXCLUSION}",  # noqa: S608
                                      (row[15], *identity)).rowcount
                if changed:
                    continue
            exists = con.execute(f"SELECT 1 FROM leie WHERE {_SAME_EXCLUSION} AND reindate = ? LIMIT 1",  # noqa: S608
                                 (*identity, row[15])).fetchone()
            if exists is None:
                con.execute(_INSERT, row)
    except LeieFormatError as exc:
        raise LeieFormatError(f"{name}: {exc}") from None
    except csv.Error as exc:
        raise LeieFormatError(f"{name}: line {reader.line_num}: unreadable CSV ({exc})") from None


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


def _json(text: str | None, default: Any) -> Any:
    try:
        value = json.loads(text) if text else default
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


class LeieIndex:
    """Read-only lookups in a built index. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_index_path()
        if not self.path.is_file():
            raise NoIndexError(self.path)
        problem = untrusted(self.path)
        if problem:
            raise NoIndexError(self.path, problem)
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
            last_modified=m.get("last_modified") or None, supplements=tuple(_json(m.get("supplements"), [])),
            supplement_sources=dict(_json(m.get("supplement_sources"), {})),
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


