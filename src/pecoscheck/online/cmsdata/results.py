"""What a data.cms.gov lookup answers (Found, NotFound, Unavailable) and the raw query results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

from pecoscheck.online.http import UnavailableError

from .datasets import NOT_FOUND_NOTE, DatasetRef
from .models import PecosRecord


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
    dropped: int = 0  # rows that did not carry the value asked for


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

