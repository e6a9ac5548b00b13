"""SAM.gov exclusion records and the public extract's layouts (version 1: 28 columns, version 2: 31).

The extract is a CSV with a quoted header. Version 2 (since 2022) has
``Unique Entity ID`` where version 1 had ``DUNS``, plus ``Open Data Flag``,
``Blank (Deprecated)`` and ``Creation_Date``. Dates are ``MM/DD/YYYY``; a
termination date may be ``Indefinite``; ``Creation_Date`` is ``YYYY-MM-DD``.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

SAM_INDEX_FILE = "sam.sqlite3"
_SUBDIR = "sam"

COLUMNS_V2 = ("Classification", "Name", "Prefix", "First", "Middle", "Last", "Suffix", "Address 1", "Address 2",
              "Address 3", "Address 4", "City", "State / Province", "Country", "Zip Code", "Open Data Flag",
              "Blank (Deprecated)", "Unique Entity ID", "Exclusion Program", "Excluding Agency", "CT Code",
              "Exclusion Type", "Additional Comments", "Active Date", "Termination Date", "Record Status",
              "Cross-Reference", "SAM Number", "CAGE", "NPI", "Creation_Date")
COLUMNS_V1 = ("Classification", "Name", "Prefix", "First", "Middle", "Last", "Suffix", "Address 1", "Address 2",
              "Address 3", "Address 4", "City", "State / Province", "Country", "Zip Code", "DUNS",
              "Exclusion Program", "Excluding Agency", "CT Code", "Exclusion Type", "Additional Comments",
              "Active Date", "Termination Date", "Record Status", "Cross-Reference", "SAM Number", "CAGE", "NPI")
FIELDS = ("classification", "name", "prefix", "first", "middle", "last", "suffix", "city", "state", "country",
          "zip", "entity_id", "program", "agency", "ct_code", "exclusion_type", "active_date", "termination_date",
          "record_status", "cross_reference", "sam_number", "cage", "npi", "creation_date")
_FROM_CSV = {"classification": "Classification", "name": "Name", "prefix": "Prefix", "first": "First",
             "middle": "Middle", "last": "Last", "suffix": "Suffix", "city": "City", "state": "State / Province",
             "country": "Country", "zip": "Zip Code", "program": "Exclusion Program", "agency": "Excluding Agency",
             "ct_code": "CT Code", "exclusion_type": "Exclusion Type", "active_date": "Active Date",
             "termination_date": "Termination Date", "record_status": "Record Status",
             "cross_reference": "Cross-Reference", "sam_number": "SAM Number", "cage": "CAGE", "npi": "NPI",
             "creation_date": "Creation_Date"}


class SamFormatError(ValueError):
    """The file is not a SAM.gov exclusions extract, or a row of it is damaged (the message names the line)."""


class NoSamIndexError(FileNotFoundError):
    """No SAM.gov index has been built yet."""

    def __init__(self, path: Path, problem: str | None = None) -> None:
        message = (f"the SAM.gov index at {path} is not used: {problem}" if problem else
                   f"no SAM.gov exclusions index at {path}; run `pecoscheck data update sam --file EXTRACT`")
        super().__init__(message)
        self.path = path
        self.problem = problem


def default_sam_index_path() -> Path:
    """``<cache>/sam/sam.sqlite3``."""
    from pecoscheck.online.cache import cache_dir

    return cache_dir() / _SUBDIR / SAM_INDEX_FILE


def layout_of(header: list[str]) -> Literal[1, 2]:
    """The extract version of a header; SamFormatError naming what differs."""
    names = tuple(h.strip().lstrip("\ufeff") for h in header)
    if names == COLUMNS_V2:
        return 2
    if names == COLUMNS_V1:
        return 1
    for expected in (COLUMNS_V2, COLUMNS_V1):
        if len(names) == len(expected):
            wrong = next(i for i, (a, b) in enumerate(zip(names, expected, strict=True)) if a != b)
            raise SamFormatError(f"line 1: column {wrong + 1} is {names[wrong]!r}, the SAM.gov exclusions extract "
                                 f"has {expected[wrong]!r} there")
    shown = ",".join(header)[:100]
    raise SamFormatError(f"line 1: not the SAM.gov exclusions extract layout ({len(names)} columns, expected "
                         f"{len(COLUMNS_V2)} or {len(COLUMNS_V1)}): {shown!r}")


def row_values(row: list[str], version: int) -> dict[str, str]:
    """The fields of one extract row by :data:`FIELDS` name."""
    columns = COLUMNS_V2 if version == 2 else COLUMNS_V1
    by_column = dict(zip(columns, (v.strip() for v in row), strict=True))
    out = {name: by_column.get(column, "") for name, column in _FROM_CSV.items()}
    out["entity_id"] = by_column.get("Unique Entity ID" if version == 2 else "DUNS", "")
    return out


def parse_sam_date(text: str | None) -> date | None:
    """``MM/DD/YYYY`` or ``YYYY-MM-DD``; None for blank, ``Indefinite`` or unreadable."""
    if not text:
        return None
    for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


class SamRecord(BaseModel):
    """One SAM.gov exclusion."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    classification: str | None = None
    name: str | None = None
    prefix: str | None = None
    first: str | None = None
    middle: str | None = None
    last: str | None = None
    suffix: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    zip: str | None = None
    entity_id: str | None = None
    program: str | None = None
    agency: str | None = None
    ct_code: str | None = None
    exclusion_type: str | None = None
    active_date: date | None = None
    termination_date: date | None = None
    indefinite: bool = False
    record_status: str | None = None
    cross_reference: str | None = None
    sam_number: str | None = None
    cage: str | None = None
    npi: str | None = None
    creation_date: date | None = None

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> SamRecord:
        """A record from :data:`FIELDS` values as stored (dates as written in the extract)."""
        def t(key: str) -> str | None:
            return str(values.get(key) or "").strip() or None

        termination = t("termination_date")
        return cls(
            classification=t("classification"), name=t("name"), prefix=t("prefix"), first=t("first"),
            middle=t("middle"), last=t("last"), suffix=t("suffix"), city=t("city"), state=t("state"),
            country=t("country"), zip=t("zip"), entity_id=t("entity_id"), program=t("program"),
            agency=t("agency"), ct_code=t("ct_code"), exclusion_type=t("exclusion_type"),
            active_date=parse_sam_date(t("active_date")), termination_date=parse_sam_date(termination),
            indefinite=(termination or "").lower() == "indefinite", record_status=t("record_status"),
            cross_reference=t("cross_reference"), sam_number=t("sam_number"), cage=t("cage"), npi=t("npi"),
            creation_date=parse_sam_date(t("creation_date")),
        )

    @property
    def kind(self) -> Literal["individual", "entity"]:
        return "individual" if (self.classification or "").lower() == "individual" else "entity"

    @property
    def display_name(self) -> str:
        if self.kind == "entity":
            return self.name or ""
        return " ".join(p for p in (self.first, self.middle, self.last, self.suffix) if p)

    def active_on(self, day: date) -> bool:
        """In force on ``day``: begun, and not terminated before it (``Indefinite`` never ends)."""
        if self.active_date is not None and day < self.active_date:
            return False
        return self.termination_date is None or day <= self.termination_date

    def describe(self) -> str:
        """One line for a report: name, place, exclusion type, agency and period."""
        bits = [self.display_name]
        if self.npi:
            bits.append(f"NPI {self.npi}")
        place = ", ".join(p for p in (self.city, self.state, self.country) if p)
        if place:
            bits.append(place)
        what = self.exclusion_type or "excluded"
        if self.agency:
            what += f" by {self.agency}"
        start = self.active_date.isoformat() if self.active_date else "?"
        end = "indefinite" if self.indefinite else (self.termination_date.isoformat() if self.termination_date
                                                    else "no end date")
        bits.append(f"{what}, {start} to {end}")
        if self.sam_number:
            bits.append(f"SAM number {self.sam_number}")
        return "; ".join(bits)

    def to_dict(self) -> dict[str, Any]:
        out = self.model_dump(mode="json")
        out["kind"] = self.kind
        out["display_name"] = self.display_name
        return out


def index_path_of(path: str | os.PathLike[str] | None) -> Path:
    return Path(path) if path is not None else default_sam_index_path()
