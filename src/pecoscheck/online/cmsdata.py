"""A client for CMS's public PECOS datasets on data.cms.gov (the Data API v1).

Five datasets are read, by NPI only:

* ``enrollment``: Medicare Fee-For-Service Public Provider Enrollment (PPEF);
* ``revalidation``: Revalidation Due Date List;
* ``reassignment``: Revalidation Reassignment List;
* ``order_referring``: Order and Referring;
* ``opt_out``: Opt Out Affidavits.

Rows come from ``GET {base}/data-api/v1/dataset/{id}/data?filter[COL]=VALUE&size=N&offset=M``
(a bare JSON array of flat objects whose values are all strings) and counts
from ``.../data/stats``. Dataset ids are resolved by title from the catalogue
``{base}/data.json`` (titles compared whitespace-normalised and case-folded:
the PPEF title has two spaces), cached, and fall back to the long-stable ids
when the catalogue cannot be read.

A lookup answers with one of three outcomes, as the NPPES client does:

* :class:`Found`: at least one dataset has a row for the NPI;
* :class:`NotFound`: every dataset answered and none has a row. This means
  "not in these public extracts", never "not enrolled": the files are
  refreshed periodically (PPEF quarterly) and are not live PECOS status;
* :class:`Unavailable`: at least one dataset gave no usable answer after
  retries; what the others said is kept in ``record``.

Caveats carried into every report: none of these datasets is live PECOS
status; a due date of ``TBD`` means CMS has set none; past due dates can
linger in the list until processing finishes.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import TracebackType
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict

from pecoscheck.online.cache import DiskCache
from pecoscheck.online.http import (
    DEFAULT_ATTEMPTS,
    DEFAULT_MAX_IN_FLIGHT,
    HttpClient,
    UnavailableError,
)

__all__ = [
    "CATALOG_MAX_BYTES",
    "CATALOG_TTL",
    "CAVEATS",
    "CMS_DATA_URL_ENV",
    "DATASETS",
    "DATA_TTL",
    "DEFAULT_BASE_URL",
    "NOT_FOUND_NOTE",
    "CmsDataClient",
    "Dataset",
    "DatasetRef",
    "DueDate",
    "Enrollment",
    "Found",
    "LookupResult",
    "NotFound",
    "OptOut",
    "OrderReferring",
    "PecosRecord",
    "QueryResult",
    "Reassignment",
    "Revalidation",
    "Stats",
    "Unavailable",
    "cached_dataset_refs",
    "cms_data_base_url",
    "normalise_title",
    "parse_cms_date",
]

CMS_DATA_URL_ENV = "PECOSCHECK_CMS_DATA_URL"
DEFAULT_BASE_URL = "https://data.cms.gov"
DATA_TTL = 24 * 60 * 60.0
DEFAULT_CMS_TIMEOUT = 30.0  # filtered queries run over millions of rows server-side
CATALOG_TTL = 7 * 24 * 60 * 60.0
CATALOG_MAX_BYTES = 64 * 1024 * 1024
PAGE_SIZE = 1000
MAX_ROWS = 10_000
_CATALOG_FORMAT = "pecoscheck-dataset-ids-1"

NOT_FOUND_NOTE = (
    "No row for this NPI in CMS's public extracts. That means 'not in this extract', not "
    "'not enrolled': the public files are refreshed periodically (the enrollment file quarterly) "
    "and are not live PECOS status."
)
CAVEATS = (
    "data.cms.gov public extracts, refreshed periodically; not live PECOS status.",
    "A non-match means 'not in this extract', not 'not enrolled'.",
    "A due date of TBD means CMS has not set one; past due dates can linger until processing finishes.",
)


def cms_data_base_url() -> str:
    """The Data API host: ``$PECOSCHECK_CMS_DATA_URL`` or ``https://data.cms.gov``."""
    return (os.environ.get(CMS_DATA_URL_ENV, "").strip() or DEFAULT_BASE_URL).rstrip("/")


@dataclass(frozen=True)
class Dataset:
    """One of the public datasets: its catalogue title, known id and NPI column."""

    key: str
    title: str
    known_id: str
    npi_column: str
    cadence: str


DATASETS: dict[str, Dataset] = {
    d.key: d
    for d in (
        Dataset("enrollment", "Medicare Fee-For-Service  Public Provider Enrollment",
                "2457ea29-fc82-48b0-86ec-3b0755de7515", "NPI", "quarterly"),
        Dataset("revalidation", "Revalidation Due Date List",
                "3746498e-874d-45d8-9c69-68603cafea60", "National Provider Identifier", "monthly"),
        Dataset("reassignment", "Revalidation Reassignment List",
                "20f51cff-4137-4f3a-b6b7-bfc9ad57983b", "Individual NPI", "monthly"),
        Dataset("order_referring", "Order and Referring",
                "c99b5865-1119-4436-bb80-c5af2773ea1f", "NPI", "weekly"),
        Dataset("opt_out", "Opt Out Affidavits",
                "9887a515-7552-4693-bf58-735c77af46d7", "NPI", "monthly"),
    )
}
GROUP_ENROLLMENT_COLUMN = "Group Enrollment ID"

_UUID = re.compile(r"/dataset/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:/|$)")
_TEN_DIGITS = re.compile(r"\d{10}")


def normalise_title(title: str) -> str:
    """A title compared whitespace-normalised and case-insensitive."""
    return " ".join(title.split()).casefold()


# --------------------------------------------------------------------------- values


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%Y%m%d", "%m/%d/%y", "%m-%d-%Y")


def parse_cms_date(value: Any) -> date | Literal["TBD"] | None:
    """A date as CMS files write it: ``MM/DD/YYYY``, ``M/D/YYYY``, ISO (with or without a time), or ``TBD``."""
    text = _text(value)
    if text is None:
        return None
    if text.upper() == "TBD":
        return "TBD"
    head = text.split("T")[0].split(" ")[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    return None


def _date(value: Any) -> date | None:
    parsed = parse_cms_date(value)
    return parsed if isinstance(parsed, date) else None


def _flag(value: Any) -> bool | None:
    text = _text(value)
    if text is None:
        return None
    upper = text.upper()
    if upper in ("Y", "YES", "TRUE"):
        return True
    if upper in ("N", "NO", "FALSE"):
        return False
    return None


def _int(value: Any) -> int | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return int(float(text.replace(",", "")))
    except ValueError:
        return None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --------------------------------------------------------------------------- records


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DueDate(_Model):
    """A revalidation due date: a date, ``TBD`` (CMS has set none) or absent."""

    text: str | None = None
    day: date | None = None
    tbd: bool = False

    @classmethod
    def parse(cls, value: Any) -> DueDate:
        text = _text(value)
        parsed = parse_cms_date(text)
        return cls(text=text, day=parsed if isinstance(parsed, date) else None, tbd=parsed == "TBD")

    @property
    def known(self) -> bool:
        """A real date is listed."""
        return self.day is not None

    def display(self) -> str:
        if self.tbd:
            return "TBD"
        if self.day is not None:
            return self.day.isoformat()
        return self.text or ""

    def to_json(self) -> str | None:
        if self.tbd:
            return "TBD"
        return _iso(self.day) if self.day else self.text


class Enrollment(_Model):
    """A PPEF row: one Medicare enrollment of the NPI (per state and provider type)."""

    npi: str
    enrollment_id: str
    pac_id: str | None = None
    provider_type_code: str | None = None
    provider_type_desc: str | None = None
    state: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    org_name: str | None = None
    multiple_npi: bool | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Enrollment:
        return cls(
            npi=_text(row.get("NPI")) or "",
            enrollment_id=_text(row.get("ENRLMT_ID")) or "",
            pac_id=_text(row.get("PECOS_ASCT_CNTL_ID")),
            provider_type_code=_text(row.get("PROVIDER_TYPE_CD")),
            provider_type_desc=_text(row.get("PROVIDER_TYPE_DESC")),
            state=_text(row.get("STATE_CD")),
            first_name=_text(row.get("FIRST_NAME")),
            middle_name=_text(row.get("MDL_NAME")),
            last_name=_text(row.get("LAST_NAME")),
            org_name=_text(row.get("ORG_NAME")),
            multiple_npi=_flag(row.get("MULTIPLE_NPI_FLAG")),
        )

    @property
    def kind(self) -> Literal["individual", "organization"] | None:
        """From the enrollment id: ``I...`` individual, ``O...`` organization."""
        head = self.enrollment_id[:1].upper()
        return "individual" if head == "I" else "organization" if head == "O" else None

    @property
    def name(self) -> str:
        if self.org_name:
            return self.org_name
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)

    def to_dict(self) -> dict[str, Any]:
        return {
            "enrollment_id": self.enrollment_id,
            "pac_id": self.pac_id,
            "provider_type_code": self.provider_type_code,
            "provider_type_desc": self.provider_type_desc,
            "state": self.state,
            "name": self.name,
            "multiple_npi": self.multiple_npi,
        }


ENROLLMENT_TYPES = {"1": "Part A", "2": "DME", "3": "Non-DME Part B"}


class Revalidation(_Model):
    """A Revalidation Due Date List row (one per enrollment)."""

    npi: str
    enrollment_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    org_name: str | None = None
    state: str | None = None
    enrollment_type: str | None = None
    provider_type: str | None = None
    specialty: str | None = None
    due: DueDate = DueDate()
    adjusted_due: DueDate = DueDate()
    reassign_to_count: int | None = None
    receiving_count: int | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Revalidation:
        return cls(
            npi=_text(row.get("National Provider Identifier")) or "",
            enrollment_id=_text(row.get("Enrollment ID")),
            first_name=_text(row.get("First Name")),
            last_name=_text(row.get("Last Name")),
            org_name=_text(row.get("Organization Name")),
            state=_text(row.get("Enrollment State Code")),
            enrollment_type=_text(row.get("Enrollment Type")),
            provider_type=_text(row.get("Provider Type Text")),
            specialty=_text(row.get("Enrollment Specialty")),
            due=DueDate.parse(row.get("Revalidation Due Date")),
            adjusted_due=DueDate.parse(row.get("Adjusted Due Date")),
            reassign_to_count=_int(row.get("Individual Total Reassign To")),
            receiving_count=_int(row.get("Receiving Benefits Reassignment")),
        )

    @property
    def effective_due(self) -> DueDate:
        """The adjusted due date when CMS set one, else the due date."""
        if self.adjusted_due.known or (self.adjusted_due.tbd and not self.due.known):
            return self.adjusted_due
        return self.due

    @property
    def enrollment_type_label(self) -> str | None:
        if self.enrollment_type is None:
            return None
        return ENROLLMENT_TYPES.get(self.enrollment_type, self.enrollment_type)

    def to_dict(self) -> dict[str, Any]:
        return {
            "enrollment_id": self.enrollment_id,
            "state": self.state,
            "enrollment_type": self.enrollment_type_label,
            "provider_type": self.provider_type,
            "specialty": self.specialty,
            "due_date": self.due.to_json(),
            "adjusted_due_date": self.adjusted_due.to_json(),
            "reassign_to_count": self.reassign_to_count,
            "receiving_count": self.receiving_count,
        }


class Reassignment(_Model):
    """A Revalidation Reassignment List row: an individual's benefits go to a group.

    ``direction`` is from the looked-up NPI's side: ``to`` (the NPI is the
    individual, reassigning to the group) or ``from`` (the NPI is the group).
    """

    direction: Literal["to", "from"] = "to"
    group_pac_id: str | None = None
    group_enrollment_id: str | None = None
    group_name: str | None = None
    group_state: str | None = None
    group_due: DueDate = DueDate()
    group_reassignment_count: int | None = None
    record_type: str | None = None
    individual_pac_id: str | None = None
    individual_enrollment_id: str | None = None
    individual_npi: str | None = None
    individual_first_name: str | None = None
    individual_last_name: str | None = None
    individual_state: str | None = None
    individual_specialty: str | None = None
    individual_due: DueDate = DueDate()
    individual_employer_count: int | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, str], direction: Literal["to", "from"] = "to") -> Reassignment:
        return cls(
            direction=direction,
            group_pac_id=_text(row.get("Group PAC ID")),
            group_enrollment_id=_text(row.get("Group Enrollment ID")),
            group_name=_text(row.get("Group Legal Business Name")),
            group_state=_text(row.get("Group State Code")),
            group_due=DueDate.parse(row.get("Group Due Date")),
            group_reassignment_count=_int(row.get("Group Reassignments and Physician Assistants")),
            record_type=_text(row.get("Record Type")),
            individual_pac_id=_text(row.get("Individual PAC ID")),
            individual_enrollment_id=_text(row.get("Individual Enrollment ID")),
            individual_npi=_text(row.get("Individual NPI")),
            individual_first_name=_text(row.get("Individual First Name")),
            individual_last_name=_text(row.get("Individual Last Name")),
            individual_state=_text(row.get("Individual State Code")),
            individual_specialty=_text(row.get("Individual Specialty Description")),
            individual_due=DueDate.parse(row.get("Individual Due Date")),
            individual_employer_count=_int(row.get("Individual Total Employer Associations")),
        )

    @property
    def individual_name(self) -> str:
        return " ".join(p for p in (self.individual_first_name, self.individual_last_name) if p)

    @property
    def is_physician_assistant(self) -> bool:
        return (self.record_type or "").strip().lower() == "physician assistant"

    def to_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "record_type": self.record_type,
            "group_enrollment_id": self.group_enrollment_id,
            "group_pac_id": self.group_pac_id,
            "group_name": self.group_name,
            "group_state": self.group_state,
            "group_due_date": self.group_due.to_json(),
            "individual_npi": self.individual_npi,
            "individual_enrollment_id": self.individual_enrollment_id,
            "individual_name": self.individual_name,
            "individual_state": self.individual_state,
            "individual_specialty": self.individual_specialty,
            "individual_due_date": self.individual_due.to_json(),
        }


class OrderReferring(_Model):
    """An Order and Referring row: what the practitioner may order, refer or certify."""

    npi: str
    last_name: str | None = None
    first_name: str | None = None
    partb: bool | None = None
    dme: bool | None = None
    hha: bool | None = None
    pmd: bool | None = None
    hospice: bool | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> OrderReferring:
        return cls(
            npi=_text(row.get("NPI")) or "",
            last_name=_text(row.get("LAST_NAME")),
            first_name=_text(row.get("FIRST_NAME")),
            partb=_flag(row.get("PARTB")),
            dme=_flag(row.get("DME")),
            hha=_flag(row.get("HHA")),
            pmd=_flag(row.get("PMD")),
            hospice=_flag(row.get("HOSPICE")),
        )

    @property
    def flags(self) -> dict[str, bool | None]:
        return {"PARTB": self.partb, "DME": self.dme, "HHA": self.hha, "PMD": self.pmd, "HOSPICE": self.hospice}

    @property
    def eligible(self) -> bool:
        """Eligible to order or refer for at least one service type."""
        return any(v is True for v in self.flags.values())

    def to_dict(self) -> dict[str, Any]:
        return {"eligible": self.eligible, **{k.lower(): v for k, v in self.flags.items()}}


class OptOut(_Model):
    """An Opt Out Affidavits row."""

    npi: str
    first_name: str | None = None
    last_name: str | None = None
    specialty: str | None = None
    effective: date | None = None
    end: date | None = None
    city: str | None = None
    state: str | None = None
    eligible_to_order_refer: bool | None = None
    last_updated: date | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> OptOut:
        return cls(
            npi=_text(row.get("NPI")) or "",
            first_name=_text(row.get("First Name")),
            last_name=_text(row.get("Last Name")),
            specialty=_text(row.get("Specialty")),
            effective=_date(row.get("Optout Effective Date")),
            end=_date(row.get("Optout End Date")),
            city=_text(row.get("City Name")),
            state=_text(row.get("State Code")),
            eligible_to_order_refer=_flag(row.get("Eligible to Order and Refer")),
            last_updated=_date(row.get("Last updated")),
        )

    def active_on(self, day: date) -> bool:
        """The opt-out period covers ``day`` (an open end counts as still running)."""
        if self.effective is not None and day < self.effective:
            return False
        return self.end is None or day <= self.end

    def to_dict(self, as_of: date | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "effective_date": _iso(self.effective),
            "end_date": _iso(self.end),
            "specialty": self.specialty,
            "state": self.state,
            "eligible_to_order_refer": self.eligible_to_order_refer,
            "last_updated": _iso(self.last_updated),
        }
        if as_of is not None:
            out["active"] = self.active_on(as_of)
        return out


class DatasetRef(_Model):
    """Which release of a dataset answered: its id and, from the catalogue, its version title."""

    key: str
    id: str
    title: str
    version: str | None = None
    modified: str | None = None
    temporal: str | None = None
    resolved_by: Literal["catalog", "fallback"] = "fallback"


class PecosRecord(_Model):
    """Everything the public datasets hold for one NPI.

    ``unavailable`` names the datasets that gave no usable answer (and why);
    their lists here are empty and mean nothing.
    """

    npi: str
    enrollments: tuple[Enrollment, ...] = ()
    revalidations: tuple[Revalidation, ...] = ()
    reassignments: tuple[Reassignment, ...] = ()
    order_referring: tuple[OrderReferring, ...] = ()
    opt_outs: tuple[OptOut, ...] = ()
    unavailable: dict[str, str] = {}
    truncated: tuple[str, ...] = ()
    sources: dict[str, DatasetRef] = {}

    def available(self, *datasets: str) -> bool:
        """Every named dataset answered."""
        return not any(d in self.unavailable for d in datasets)

    @property
    def any_rows(self) -> bool:
        return bool(self.enrollments or self.revalidations or self.reassignments or self.order_referring
                    or self.opt_outs)

    @property
    def enrollment_ids(self) -> set[str]:
        ids = {e.enrollment_id.upper() for e in self.enrollments if e.enrollment_id}
        ids |= {r.enrollment_id.upper() for r in self.revalidations if r.enrollment_id}
        return ids

    @property
    def reassignments_to(self) -> tuple[Reassignment, ...]:
        return tuple(r for r in self.reassignments if r.direction == "to")

    @property
    def reassignments_from(self) -> tuple[Reassignment, ...]:
        return tuple(r for r in self.reassignments if r.direction == "from")

    def active_opt_out(self, day: date) -> OptOut | None:
        return next((o for o in self.opt_outs if o.active_on(day)), None)

    @property
    def order_refer_eligible(self) -> bool | None:
        """True/False from the Order and Referring list; None when the NPI is not on it."""
        if not self.order_referring:
            return None
        return any(o.eligible for o in self.order_referring)

    def to_dict(self, as_of: date | None = None) -> dict[str, Any]:
        day = as_of or date.today()
        found: bool | None = self.any_rows if not self.unavailable else (True if self.any_rows else None)
        opt = self.active_opt_out(day)
        out: dict[str, Any] = {
            "npi": self.npi,
            "found": found,
            "enrollments": [e.to_dict() for e in self.enrollments],
            "revalidation": [r.to_dict() for r in self.revalidations],
            "reassignments": {
                "to": [r.to_dict() for r in self.reassignments_to],
                "from": [r.to_dict() for r in self.reassignments_from],
            },
            "order_referring": (
                {"listed": True, **self.order_referring[0].to_dict()} if self.order_referring
                else {"listed": False, "eligible": False}
            ),
            "opt_out": {
                "active": opt is not None,
                "records": [o.to_dict(day) for o in self.opt_outs],
            },
            "unavailable": dict(self.unavailable),
            "truncated": list(self.truncated),
            "sources": {k: v.model_dump(exclude={"key"}) for k, v in self.sources.items()},
            "caveats": list(CAVEATS),
        }
        if not self.unavailable and not self.any_rows:
            out["note"] = NOT_FOUND_NOTE
        return out


@dataclass(frozen=True)
class Found:
    """At least one dataset has a row for the NPI (and every dataset answered)."""

    record: PecosRecord
    from_cache: bool = False

    @property
    def npi(self) -> str:
        return self.record.npi


@dataclass(frozen=True)
class NotFound:
    """Every dataset answered, none has a row: not in these public extracts."""

    record: PecosRecord
    from_cache: bool = False
    note: str = NOT_FOUND_NOTE

    @property
    def npi(self) -> str:
        return self.record.npi


@dataclass(frozen=True)
class Unavailable:
    """At least one dataset gave no usable answer; ``record`` holds what the others said."""

    record: PecosRecord
    reason: str

    @property
    def npi(self) -> str:
        return self.record.npi


LookupResult: TypeAlias = Found | NotFound | Unavailable


@dataclass(frozen=True)
class QueryResult:
    """The rows one filtered query returned (every page)."""

    rows: tuple[dict[str, str], ...]
    from_cache: bool = False
    truncated: bool = False
    dataset: DatasetRef | None = None


@dataclass(frozen=True)
class Stats:
    """``/data/stats``: rows matching the filters, and rows in the whole dataset."""

    found_rows: int
    total_rows: int


@dataclass(frozen=True)
class _Query:
    dataset: str
    column: str
    value: str


@dataclass
class _Outcome:
    result: QueryResult | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- client


def _rows(data: Any) -> list[dict[str, str]]:
    """The rows of a ``/data`` answer; UnavailableError when it is not an array of objects."""
    if not isinstance(data, list):
        what = type(data).__name__
        detail = ""
        if isinstance(data, dict):
            detail = str(data.get("message") or data.get("error") or "")[:200]
        raise UnavailableError(f"unexpected answer: a JSON {what}, not an array of rows"
                               + (f" ({detail})" if detail else ""))
    rows: list[dict[str, str]] = []
    for item in data:
        if not isinstance(item, dict):
            raise UnavailableError("unexpected answer: a row is not an object")
        rows.append({str(k): "" if v is None else str(v) for k, v in item.items()})
    return rows


def _catalog_refs(data: Any) -> dict[str, DatasetRef]:
    """Dataset refs found in a ``data.json`` catalogue, by dataset key."""
    if not isinstance(data, dict) or not isinstance(data.get("dataset"), list):
        raise UnavailableError("unexpected catalogue: no 'dataset' list")
    wanted = {normalise_title(d.title): d for d in DATASETS.values()}
    found: dict[str, DatasetRef] = {}
    for entry in data["dataset"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str):
            continue
        spec = wanted.get(normalise_title(entry["title"]))
        if spec is None or spec.key in found:
            continue
        latest: dict[str, Any] = {}
        distributions = entry.get("distribution")
        if isinstance(distributions, list):
            latest = next((d for d in distributions if isinstance(d, dict) and d.get("format") == "API"
                           and str(d.get("description", "")).lower() == "latest"),
                          next((d for d in distributions if isinstance(d, dict)), {}))
        uuid = None
        for candidate in (entry.get("identifier"), latest.get("accessURL")):
            match = _UUID.search(str(candidate or ""))
            if match:
                uuid = match.group(1).lower()
                break
        if uuid is None:
            continue
        found[spec.key] = DatasetRef(
            key=spec.key, id=uuid, title=" ".join(entry["title"].split()),
            version=_text(latest.get("title")), modified=_text(latest.get("modified") or entry.get("modified")),
            temporal=_text(latest.get("temporal") or entry.get("temporal")), resolved_by="catalog",
        )
    return found


def fallback_refs() -> dict[str, DatasetRef]:
    """The known, long-stable ids of the five datasets."""
    return {d.key: DatasetRef(key=d.key, id=d.known_id, title=" ".join(d.title.split()))
            for d in DATASETS.values()}


class CmsDataClient:
    """data.cms.gov Data API client: retries, bounded concurrency, disk cache with TTL.

    ``base_url`` defaults to ``$PECOSCHECK_CMS_DATA_URL`` or ``https://data.cms.gov``.
    ``cache``: True (default) uses a :class:`DiskCache` in the default folder
    with ``ttl`` (rows) and ``catalog_ttl`` (dataset ids, in the same
    folder unless ``catalog_cache`` is given); False or None disables caching
    (``--no-cache``); or pass a cache. ``http`` shares an
    existing :class:`HttpClient` (``close()`` then leaves it open).
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        cache: DiskCache | bool | None = True,
        ttl: float = DATA_TTL,
        catalog_ttl: float = CATALOG_TTL,
        catalog_cache: DiskCache | None = None,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        timeout: float = DEFAULT_CMS_TIMEOUT,
        retries: int = DEFAULT_ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
        http: HttpClient | None = None,
        page_size: int = PAGE_SIZE,
        max_rows: int = MAX_ROWS,
        use_catalog: bool = True,
    ) -> None:
        self.base_url = (base_url or cms_data_base_url()).rstrip("/")
        if cache is True:
            self.cache: DiskCache | None = DiskCache(ttl=ttl)
        elif cache is False or cache is None:
            self.cache = None
        else:
            self.cache = cache
        if self.cache is None:
            self.catalog_cache: DiskCache | None = None
        else:
            self.catalog_cache = catalog_cache or DiskCache(self.cache.folder, ttl=catalog_ttl)
        self._owns_http = http is None
        self.http = http or HttpClient(timeout=timeout, retries=retries, max_in_flight=max_in_flight, sleep=sleep)
        self._catalog_timeout = max(timeout, 30.0)
        self._retries = retries
        self._sleep = sleep
        self.page_size = max(1, min(page_size, 5000))
        self.max_rows = max(self.page_size, max_rows)
        self.use_catalog = use_catalog
        self._refs: dict[str, DatasetRef] | None = None
        self.catalog_problem: str | None = None
        self._refs_lock = threading.Lock()

    def __enter__(self) -> CmsDataClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Release the connections (only those this client opened)."""
        if self._owns_http:
            self.http.close()

    # -- dataset ids

    @property
    def catalog_url(self) -> str:
        return f"{self.base_url}/data.json"

    def dataset_refs(self) -> dict[str, DatasetRef]:
        """The id of each dataset: from the catalogue (cached), else the known ids."""
        with self._refs_lock:
            if self._refs is None:
                self._refs = self._resolve_refs()
            return self._refs

    def _resolve_refs(self) -> dict[str, DatasetRef]:
        refs = fallback_refs()
        if not self.use_catalog:
            return refs
        key = {"pecoscheck": _CATALOG_FORMAT}
        if self.catalog_cache is not None:
            cached = self.catalog_cache.get(self.catalog_url, key)
            if isinstance(cached, dict):
                try:
                    return {**refs, **{k: DatasetRef.model_validate(v) for k, v in cached.items() if k in refs}}
                except ValueError:
                    pass
        try:
            with HttpClient(timeout=self._catalog_timeout, retries=self._retries, sleep=self._sleep,
                            max_body_bytes=CATALOG_MAX_BYTES) as catalog_http:
                data = catalog_http.get_json(self.catalog_url)
            found = _catalog_refs(data)
        except UnavailableError as exc:
            self.catalog_problem = exc.reason
            return refs
        missing = sorted(set(refs) - set(found))
        if missing:
            self.catalog_problem = "not in the catalogue: " + ", ".join(DATASETS[m].title for m in missing)
        if self.catalog_cache is not None and found:
            self.catalog_cache.put(self.catalog_url, key, {k: v.model_dump() for k, v in found.items()})
        return {**refs, **found}

    def data_url(self, dataset: str) -> str:
        return f"{self.base_url}/data-api/v1/dataset/{self.dataset_refs()[dataset].id}/data"

    # -- raw queries

    def query(self, dataset: str, column: str, value: str) -> QueryResult:
        """Every row of ``dataset`` whose ``column`` equals ``value`` (paged; capped at ``max_rows``).

        Raises :class:`UnavailableError` when a page gave no usable answer.
        """
        if dataset not in DATASETS:
            raise ValueError(f"unknown dataset {dataset!r}")
        url = self.data_url(dataset)
        rows: list[dict[str, str]] = []
        offset = 0
        all_cached = True
        truncated = False
        while True:
            params = {f"filter[{column}]": value, "size": str(self.page_size), "offset": str(offset)}
            page, cached = self._get_rows(url, params)
            all_cached = all_cached and cached
            rows.extend(page)
            if len(page) < self.page_size:
                break
            offset += self.page_size
            if offset >= self.max_rows:
                truncated = True
                break
        return QueryResult(rows=tuple(rows), from_cache=all_cached, truncated=truncated,
                           dataset=self.dataset_refs()[dataset])

    def stats(self, dataset: str, column: str | None = None, value: str | None = None) -> Stats:
        """``/data/stats`` for ``dataset`` (optionally filtered). Raises :class:`UnavailableError`."""
        url = self.data_url(dataset) + "/stats"
        params = {f"filter[{column}]": value} if column and value is not None else {}
        data = self.http.get_json(url, params)
        if not isinstance(data, dict):
            raise UnavailableError("unexpected stats answer: not an object")
        found, total = _int(data.get("found_rows")), _int(data.get("total_rows"))
        if found is None or total is None:
            raise UnavailableError("unexpected stats answer: no found_rows/total_rows")
        return Stats(found_rows=found, total_rows=total)

    def _get_rows(self, url: str, params: Mapping[str, str]) -> tuple[list[dict[str, str]], bool]:
        if self.cache is not None:
            cached = self.cache.get(url, params)
            if cached is not None:
                try:
                    return _rows(cached), True
                except UnavailableError:
                    pass
        data = self.http.get_json(url, params)
        rows = _rows(data)
        if self.cache is not None:
            self.cache.put(url, params, rows)
        return rows, False

    # -- lookups

    def check_npi(self, npi: str) -> str:
        """The NPI without surrounding blanks; ValueError (before any request) if it is not a valid NPI."""
        from pecoscheck.npi import problem

        text = npi.strip() if isinstance(npi, str) else ""
        found = problem(text) if text else ("NPI001", "empty NPI")
        if found is not None:
            raise ValueError(f"not a valid NPI: {npi!r} ({found[1]})")
        return text

    def lookup(self, npi: str, *, group_reassignments: bool = True) -> LookupResult:
        """What the five datasets hold for one NPI. Raises ValueError, before any request, for an invalid NPI."""
        return self.lookup_many([npi], group_reassignments=group_reassignments)[0]

    def lookup_many(self, npis: Iterable[str], *, group_reassignments: bool = False,
                    datasets: Sequence[str] = tuple(DATASETS)) -> list[LookupResult]:
        """Look many NPIs up; every (NPI, dataset) query runs concurrently (bounded). Results in input order.

        Every NPI is checked first, so an invalid one raises ValueError before
        any request. With ``group_reassignments``, the reassignments *to* each
        organization enrollment found are fetched too (``direction="from"``).
        """
        numbers = [self.check_npi(n) for n in npis]
        unique = list(dict.fromkeys(numbers))
        refs = self.dataset_refs()
        queries = [_Query(d, DATASETS[d].npi_column, n) for n in unique for d in datasets]
        outcomes = self._run(queries)
        records: dict[str, PecosRecord] = {}
        cached: dict[str, bool] = {}
        for n in unique:
            records[n], cached[n] = self._assemble(n, {q.dataset: outcomes[q] for q in queries if q.value == n},
                                                   refs)
        if group_reassignments:
            self._add_group_reassignments(records, cached)
        results: dict[str, LookupResult] = {}
        for n, record in records.items():
            if record.unavailable:
                reason = "; ".join(f"{_label(d)}: {why}" for d, why in record.unavailable.items())
                results[n] = Unavailable(record=record, reason=reason)
            elif record.any_rows:
                results[n] = Found(record=record, from_cache=cached[n])
            else:
                results[n] = NotFound(record=record, from_cache=cached[n])
        return [results[n] for n in numbers]

    def _run(self, queries: Sequence[_Query]) -> dict[_Query, _Outcome]:
        def one(q: _Query) -> _Outcome:
            try:
                return _Outcome(result=self.query(q.dataset, q.column, q.value))
            except UnavailableError as exc:
                return _Outcome(error=exc.reason)

        unique = list(dict.fromkeys(queries))
        return dict(zip(unique, self.http.fetch_many(one, unique), strict=True))

    def _assemble(self, npi: str, outcomes: Mapping[str, _Outcome],
                  refs: Mapping[str, DatasetRef]) -> tuple[PecosRecord, bool]:
        parsed: dict[str, tuple[Any, ...]] = {}
        unavailable: dict[str, str] = {}
        truncated: list[str] = []
        from_cache = True
        builders: dict[str, Callable[[Mapping[str, str]], Any]] = {
            "enrollment": Enrollment.from_row,
            "revalidation": Revalidation.from_row,
            "reassignment": lambda row: Reassignment.from_row(row, "to"),
            "order_referring": OrderReferring.from_row,
            "opt_out": OptOut.from_row,
        }
        for dataset, outcome in outcomes.items():
            if outcome.result is None:
                unavailable[dataset] = outcome.error or "no answer"
                parsed[dataset] = ()
                continue
            from_cache = from_cache and outcome.result.from_cache
            if outcome.result.truncated:
                truncated.append(dataset)
            try:
                parsed[dataset] = tuple(builders[dataset](row) for row in outcome.result.rows)
            except ValueError as exc:
                unavailable[dataset] = f"unexpected row shape: {exc}"
                parsed[dataset] = ()
        record = PecosRecord(
            npi=npi,
            enrollments=parsed.get("enrollment", ()),
            revalidations=parsed.get("revalidation", ()),
            reassignments=parsed.get("reassignment", ()),
            order_referring=parsed.get("order_referring", ()),
            opt_outs=parsed.get("opt_out", ()),
            unavailable=unavailable,
            truncated=tuple(truncated),
            sources={k: refs[k] for k in outcomes if k in refs},
        )
        return record, from_cache

    def _add_group_reassignments(self, records: dict[str, PecosRecord], cached: dict[str, bool]) -> None:
        wanted: dict[_Query, list[str]] = {}
        for npi, record in records.items():
            for e in record.enrollments:
                if e.kind == "organization" and e.enrollment_id:
                    q = _Query("reassignment", GROUP_ENROLLMENT_COLUMN, e.enrollment_id)
                    wanted.setdefault(q, []).append(npi)
        if not wanted:
            return
        outcomes = self._run(list(wanted))
        for q, npis in wanted.items():
            outcome = outcomes[q]
            for npi in npis:
                record = records[npi]
                if outcome.result is None:
                    unavailable = {**record.unavailable, "reassignment": outcome.error or "no answer"}
                    records[npi] = record.model_copy(update={"unavailable": unavailable})
                    continue
                extra = tuple(Reassignment.from_row(row, "from") for row in outcome.result.rows)
                truncated = record.truncated + (("reassignment",) if outcome.result.truncated else ())
                records[npi] = record.model_copy(update={"reassignments": record.reassignments + extra,
                                                         "truncated": tuple(dict.fromkeys(truncated))})
                cached[npi] = cached[npi] and outcome.result.from_cache


def cached_dataset_refs(base_url: str | None = None, cache: DiskCache | None = None) -> dict[str, DatasetRef] | None:
    """The dataset ids resolved from the catalogue and still cached (no request is made), or None."""
    base = (base_url or cms_data_base_url()).rstrip("/")
    store = cache or DiskCache(ttl=CATALOG_TTL)
    cached = store.get(f"{base}/data.json", {"pecoscheck": _CATALOG_FORMAT})
    if not isinstance(cached, dict):
        return None
    try:
        return {k: DatasetRef.model_validate(v) for k, v in cached.items() if k in DATASETS}
    except ValueError:
        return None


def _label(dataset: str) -> str:
    return " ".join(DATASETS[dataset].title.split()) if dataset in DATASETS else dataset


def is_npi_shaped(value: str) -> bool:
    return bool(_TEN_DIGITS.fullmatch(value))
