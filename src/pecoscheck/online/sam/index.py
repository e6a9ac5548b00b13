"""The local SAM.gov exclusions index: built from the public extract file, read by NPI and by name."""

from __future__ import annotations

import csv
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from pecoscheck.online.leie.index import _CP1252_FALLBACK
from pecoscheck.online.leie.records import business_key, name_key
from pecoscheck.online.localdb import private_folder, temporary_database, untrusted

from .records import FIELDS, NoSamIndexError, SamFormatError, SamRecord, index_path_of, layout_of, row_values

_FORMAT = "1"
_COLUMNS = ", ".join(FIELDS)
_SCHEMA = (f"CREATE TABLE sam ({', '.join(f'{f} TEXT' for f in FIELDS)}, last_key TEXT, first_key TEXT, "
           "bus_key TEXT)", "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
_INDEXES = ("CREATE INDEX sam_npi ON sam (npi) WHERE npi != ''",
            "CREATE INDEX sam_person ON sam (last_key) WHERE last_key != ''",
            "CREATE INDEX sam_business ON sam (bus_key) WHERE bus_key != ''")
_INSERT = f"INSERT INTO sam VALUES ({','.join('?' * (len(FIELDS) + 3))})"  # noqa: S608 - placeholders only


@dataclass(frozen=True)
class SamIndexStatus:
    """What the local SAM.gov index holds."""

    path: Path
    source: str
    file_date: date | None
    built_at: datetime | None
    rows: int
    layout: int

    def age_days(self, today: date | None = None) -> int | None:
        return ((today or date.today()) - self.file_date).days if self.file_date else None

    def to_dict(self, today: date | None = None) -> dict[str, Any]:
        return {"path": str(self.path), "source": self.source,
                "file_date": self.file_date.isoformat() if self.file_date else None,
                "built_at": self.built_at.isoformat(timespec="seconds") if self.built_at else None,
                "rows": self.rows, "layout": f"version {self.layout}", "age_days": self.age_days(today)}


def build_sam_index(source: str | os.PathLike[str] | IO[str], dest: str | os.PathLike[str] | None = None, *,
                    file_date: date | None = None, source_name: str | None = None) -> SamIndexStatus:
    """Index a SAM.gov exclusions extract (version 1 or 2) and move it into place atomically.

    Raises :class:`SamFormatError` naming the line when the header is not an
    extract's or a row has the wrong number of fields (a truncated or damaged
    file); the existing index is then left as it was.
    """
    target = index_path_of(dest)
    private_folder(target.parent)
    if isinstance(source, (str, os.PathLike)):
        if file_date is None:
            file_date = datetime.fromtimestamp(os.stat(source).st_mtime, tz=UTC).date()
        with open(source, encoding="utf-8-sig", errors=_CP1252_FALLBACK, newline="") as handle:
            return _build(handle, target, source_name or str(source), file_date)
    return _build(source, target, source_name or "stream", file_date)


def _build(handle: IO[str], target: Path, source: str, file_date: date | None) -> SamIndexStatus:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise SamFormatError("not a SAM.gov exclusions extract: the file is empty") from None
    except csv.Error as exc:
        raise SamFormatError(f"line 1: not a CSV file ({exc})") from None
    version = layout_of(header)
    width = len(header)
    rows = 0
    built_at = datetime.now(UTC)
    with temporary_database(target) as (con, _tmp):
        for statement in _SCHEMA:
            con.execute(statement)
        try:
            for raw in reader:
                if not raw or (len(raw) == 1 and not raw[0].strip()):
                    continue
                if len(raw) != width:
                    raise SamFormatError(f"line {reader.line_num}: {len(raw)} fields where the extract has {width} "
                                         "(a truncated or damaged file)")
                values = row_values(raw, version)
                npi = values["npi"]
                if npi and not npi.strip("0"):
                    values["npi"] = ""
                keys = (name_key(values["last"]), name_key(values["first"]),
                        business_key(values["name"]) if values["name"] else "")
                con.execute(_INSERT, (*(values[f] for f in FIELDS), *keys))
                rows += 1
        except csv.Error as exc:
            raise SamFormatError(f"line {reader.line_num}: unreadable CSV ({exc})") from None
        for statement in _INDEXES:
            con.execute(statement)
        meta = {"format": _FORMAT, "source": source, "file_date": file_date.isoformat() if file_date else "",
                "built_at": built_at.isoformat(timespec="seconds"), "rows": str(rows), "layout": str(version)}
        con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    return SamIndexStatus(path=target, source=source, file_date=file_date, built_at=built_at, rows=rows,
                          layout=version)


class SamIndex:
    """Read-only lookups in the built index; only exclusions active on ``day`` are returned."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = index_path_of(path)
        if not self.path.is_file():
            raise NoSamIndexError(self.path)
        problem = untrusted(self.path)
        if problem:
            raise NoSamIndexError(self.path, problem)
        try:
            self._con = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)
            self._meta = dict(self._con.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as exc:
            raise NoSamIndexError(self.path) from exc
        if self._meta.get("format") != _FORMAT:
            self._con.close()
            raise NoSamIndexError(self.path)

    def __enter__(self) -> SamIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

    def status(self) -> SamIndexStatus:
        m = self._meta
        try:
            built_at = datetime.fromisoformat(m["built_at"]) if m.get("built_at") else None
            file_date = date.fromisoformat(m["file_date"]) if m.get("file_date") else None
        except ValueError:
            built_at, file_date = None, None
        return SamIndexStatus(path=self.path, source=m.get("source", ""), file_date=file_date, built_at=built_at,
                              rows=int(m.get("rows") or 0), layout=int(m.get("layout") or 2))

    def _select(self, where: str, args: tuple[Any, ...], day: date | None) -> list[SamRecord]:
        sql = f"SELECT {_COLUMNS} FROM sam WHERE {where}"  # noqa: S608 - fixed columns and clauses
        found = [SamRecord.from_values(dict(zip(FIELDS, r, strict=True)))
                 for r in self._con.execute(sql, args).fetchall()]
        when = day or date.today()
        return [r for r in found if r.active_on(when)]

    def by_npi(self, npi: str, *, day: date | None = None) -> list[SamRecord]:
        """Active exclusions listing this NPI."""
        number = npi.strip()
        if not number.strip("0"):
            return []
        return self._select("npi = ?", (number,), day)

    def by_person(self, last: str, first: str, state: str | None = None, *,
                  day: date | None = None) -> list[SamRecord]:
        """Active exclusions of individuals with this last and first name (in ``state`` when given)."""
        lk, fk = name_key(last), name_key(first)
        if not lk or not fk:
            return []
        rows = self._select("last_key = ? AND lower(classification) = 'individual'", (lk,), day)
        rows = [r for r in rows if fk in (name_key(r.first), name_key((r.first or "").split(" ", 1)[0]))]
        return [r for r in rows if not state or not r.state or r.state.upper() == state.upper()]

    def by_business(self, name: str, state: str | None = None, *, day: date | None = None) -> list[SamRecord]:
        """Active exclusions of firms and other entities with this name (in ``state`` when given)."""
        key = business_key(name)
        if not key:
            return []
        rows = self._select("bus_key = ? AND lower(classification) != 'individual'", (key,), day)
        return [r for r in rows if not state or not r.state or r.state.upper() == state.upper()]


def sam_index_status(path: str | os.PathLike[str] | None = None) -> SamIndexStatus | None:
    """The status of the index at ``path`` (default location), or None when there is none."""
    try:
        with SamIndex(path) as index:
            return index.status()
    except NoSamIndexError:
        return None
