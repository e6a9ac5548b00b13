"""Rows of the data.cms.gov datasets as records, and what they say about one NPI (no HTTP here)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from .datasets import CAVEATS, NOT_FOUND_NOTE, DatasetRef

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

    @property
    def unreadable(self) -> bool:
        """Something is written that is neither a readable date nor TBD."""
        return bool(self.text) and self.day is None and not self.tbd

    def display(self) -> str:
        if self.tbd:
            return "TBD"
        if self.day is not None:
            return self.day.isoformat()
        return f"unknown ({self.text!r} cannot be read)" if self.text else ""

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
    effective_text: str | None = None
    end_text: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> OptOut:
        return cls(
            effective_text=_text(row.get("Optout Effective Date")),
            end_text=_text(row.get("Optout End Date")),
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

    @property
    def unreadable(self) -> list[str]:
        """The dates written on the list that could not be read (``end date '31/13/2027'``)."""
        out = []
        if self.effective is None and self.effective_text:
            out.append(f"effective date {self.effective_text!r}")
        if self.end is None and self.end_text:
            out.append(f"end date {self.end_text!r}")
        return out

    def decide(self, day: date) -> bool | None:
        """Whether the opt-out covers ``day``; None when a date it depends on cannot be read."""
        if self.effective is None and self.effective_text:
            if self.end is not None and day > self.end:
                return False
            return None
        if self.effective is not None and day < self.effective:
            return False
        if self.end is None:
            return None if self.end_text else True  # an open end runs on; an unreadable one is unknown
        return day <= self.end

    def active_on(self, day: date) -> bool:
        """The opt-out period surely covers ``day`` (an open end counts as still running)."""
        return self.decide(day) is True

    def to_dict(self, as_of: date | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "effective_date": _iso(self.effective),
            "end_date": _iso(self.end),
            "specialty": self.specialty,
            "state": self.state,
            "eligible_to_order_refer": self.eligible_to_order_refer,
            "last_updated": _iso(self.last_updated),
        }
        if self.unreadable:
            out["unreadable"] = self.unreadable
            out["effective_date_text"], out["end_date_text"] = self.effective_text, self.end_text
        if as_of is not None:
            out["active"] = self.decide(as_of)
        return out



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
    dropped: dict[str, int] = {}  # rows returned for another NPI (ignored), per dataset
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

    def undecided_opt_outs(self, day: date) -> list[OptOut]:
        """Opt-outs that may cover ``day`` but whose dates cannot be read."""
        return [o for o in self.opt_outs if o.decide(day) is None]

    def unreadable_dates(self) -> list[tuple[str, str]]:
        """(dataset, what) of every date on the lists that could not be read."""
        out = [("opt_out", f"NPI {self.npi}: {what}") for o in self.opt_outs for what in o.unreadable]
        for r in self.revalidations:
            for label, due in (("due date", r.due), ("adjusted due date", r.adjusted_due)):
                if due.unreadable:
                    out.append(("revalidation", f"enrollment {r.enrollment_id or '?'}: {label} {due.text!r}"))
        return out

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
                "active": True if opt is not None else (None if self.undecided_opt_outs(day) else False),
                "records": [o.to_dict(day) for o in self.opt_outs],
            },
            "unavailable": dict(self.unavailable),
            "truncated": list(self.truncated),
            "dropped_rows": dict(self.dropped),
            "sources": {k: v.model_dump(exclude={"key"}) for k, v in self.sources.items()},
            "caveats": list(CAVEATS),
        }
        if not self.unavailable and not self.any_rows:
            out["note"] = NOT_FOUND_NOTE
        return out

