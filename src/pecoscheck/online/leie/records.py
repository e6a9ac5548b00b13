"""LEIE records, the file layout, name normalisation and what an index holds (no I/O here)."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

LEIE_URL_ENV = "PECOSCHECK_LEIE_URL"
DEFAULT_LEIE_URL = "https://oig.hhs.gov/exclusions/downloadables/UPDATED.csv"
INDEX_FILE = "leie.sqlite3"
_SUBDIR = "leie"
_FORMAT = "1"
DOWNLOAD_TIMEOUT = 60.0
DOWNLOAD_DEADLINE = 15 * 60.0
MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024

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

    def __init__(self, path: Path, problem: str | None = None) -> None:
        if problem:
            message = (f"the LEIE index at {path} is not used: {problem}; run `pecoscheck data update leie` with "
                       "PECOSCHECK_CACHE_DIR pointing at a folder of your own")
        else:
            message = f"no LEIE index at {path}; run `pecoscheck data update leie` first"
        super().__init__(message)
        self.path = path
        self.problem = problem


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
    """What the local index holds: the full file, the supplements applied on top of it, and how current it is.

    ``covered_through`` is the last month the full file holds (from its date);
    ``supplements`` the supplement files applied (``1702EXCL``, ``1702REIN``).
    """

    path: Path
    source: str
    file_date: date | None
    file_date_from: str  # "last-modified", "download date", "given" or "file"
    built_at: datetime | None
    rows: int
    active_rows: int
    skipped_rows: int
    last_modified: str | None = None
    supplements: tuple[str, ...] = ()
    supplement_sources: dict[str, str] = field(default_factory=dict)

    def age_days(self, today: date | None = None) -> int | None:
        if self.file_date is None:
            return None
        return ((today or date.today()) - self.file_date).days

    @property
    def covered_through(self) -> int | None:
        """The last month the full file holds (None when its date is unknown)."""
        from .months import published_through

        return published_through(self.file_date) if self.file_date else None

    def applied(self, month: int, kind: str) -> bool:
        from .months import code

        return f"{code(month)}{kind}" in self.supplements

    @property
    def latest_month(self) -> int | None:
        """The last month held: the full file's, or a later month of which a supplement was applied."""
        from .months import supplement_of

        months = [m for m, kind in (supplement_of(f"{s}.csv") or (None, None) for s in self.supplements)
                  if m is not None and kind is not None]
        candidates = [m for m in (self.covered_through, *months) if m is not None]
        return max(candidates) if candidates else None

    def missing(self, today: date | None = None) -> list[str]:
        """Supplement files (``1703REIN``) that should be applied and are not: gaps and months not yet fetched."""
        from .months import KINDS, code, expected_through

        start = self.covered_through
        if start is None:
            return []
        last = max(expected_through(today or date.today()), self.latest_month or start)
        return [f"{code(m)}{k}" for m in range(start + 1, last + 1) for k in KINDS if not self.applied(m, k)]

    def gaps(self) -> list[str]:
        """Supplement files missing between the full file and the last month applied (a hole, not just lag)."""
        from .months import KINDS, code

        start, end = self.covered_through, self.latest_month
        if start is None or end is None:
            return []
        return [f"{code(m)}{k}" for m in range(start + 1, end + 1) for k in KINDS if not self.applied(m, k)]

    def stale(self, today: date | None = None) -> bool:
        """The latest month OIG has published (plus a few days' grace) is not in the index."""
        from .months import expected_through

        latest = self.latest_month
        return latest is None or latest < expected_through(today or date.today())

    def to_dict(self, today: date | None = None) -> dict[str, Any]:
        from .months import label

        covered, latest = self.covered_through, self.latest_month
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
            "full_file_through": label(covered) if covered is not None else None,
            "supplements": list(self.supplements),
            "latest_month": label(latest) if latest is not None else None,
            "gaps": self.gaps(),
            "missing": self.missing(today),
            "stale": self.stale(today),
        }
