"""What an NPPES lookup answers: Found, NotFound, Unavailable or Rejected, and the query errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from .records import NppesRecord

NOT_FOUND_NOTE = (
    "The NPPES registry has no record for this NPI. It answers the same way for "
    "deactivated NPIs, so this means 'not found or deactivated'."
)


@dataclass(frozen=True)
class RegistryError:
    """One entry of an ``Errors`` answer."""

    field: str
    number: str | None
    description: str

    def __str__(self) -> str:
        code = f" (error {self.number})" if self.number else ""
        return f"field {self.field!r}{code}: {self.description}"


def _errors_message(errors: Sequence[RegistryError]) -> str:
    return "the NPPES registry refused the query: " + "; ".join(str(e) for e in errors)


class RegistryQueryError(ValueError):
    """The registry answered with ``Errors`` (or the query was refused before sending)."""

    def __init__(self, errors: Sequence[RegistryError]) -> None:
        self.errors = tuple(errors)
        super().__init__(_errors_message(self.errors))

    @property
    def field(self) -> str:
        """The field of the first error."""
        return self.errors[0].field if self.errors else "generic"

    @property
    def description(self) -> str:
        """The description of the first error."""
        return self.errors[0].description if self.errors else ""


class RegistryUnavailableError(Exception):
    """The registry gave no usable answer after retries."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the NPPES registry is unavailable: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class Found:
    """The registry has a record for the NPI."""

    record: NppesRecord
    from_cache: bool = False

    @property
    def npi(self) -> str:
        return self.record.npi

    def to_dict(self) -> dict[str, Any]:
        return self.record.to_dict()


@dataclass(frozen=True)
class NotFound:
    """The registry has no record: the NPI was never issued, or it is deactivated."""

    npi: str
    from_cache: bool = False
    note: str = NOT_FOUND_NOTE

    def to_dict(self) -> dict[str, Any]:
        return {**_empty_dict(self.npi), "found": False, "note": self.note}


@dataclass(frozen=True)
class Unavailable:
    """No usable answer came back (after retries); this says nothing about the NPI."""

    npi: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {**_empty_dict(self.npi), "found": None, "error": f"registry unavailable: {self.reason}"}


@dataclass(frozen=True)
class Rejected:
    """The registry refused the lookup with an ``Errors`` answer."""

    npi: str
    errors: tuple[RegistryError, ...]

    @property
    def message(self) -> str:
        return _errors_message(self.errors)

    def to_dict(self) -> dict[str, Any]:
        return {
            **_empty_dict(self.npi),
            "found": None,
            "error": self.message,
            "errors": [{"field": e.field, "number": e.number, "description": e.description} for e in self.errors],
        }


LookupResult: TypeAlias = Found | NotFound | Unavailable | Rejected


def _empty_dict(npi: str) -> dict[str, Any]:
    return {
        "npi": npi,
        "found": False,
        "type": None,
        "status": None,
        "name": None,
        "addresses": [],
        "taxonomies": [],
        "last_updated": None,
    }


@dataclass(frozen=True)
class SearchResult:
    """The records a search returned, in registry order.

    ``truncated`` is True when the registry's 1,200-record window was used up,
    so more matches may exist than could be fetched.
    """

    records: tuple[NppesRecord, ...]
    truncated: bool = False
    requests: int = 0
    params: Mapping[str, str] = field(default_factory=dict)


