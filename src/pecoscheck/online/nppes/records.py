"""NPPES registry records: one model whatever the response format (2019 or modern).

:class:`NppesRecord` hides the differences between the 2019 and the modern
response formats (int vs string numbers, seconds vs milliseconds epochs,
``gender`` vs ``sex``, omitted vs empty vs null fields, ``--`` as a blank).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class RecordFormatError(ValueError):
    """A registry record does not have the expected shape."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PersonName(_Model):
    """A person's name as the registry holds it (uppercase)."""

    first: str | None = None
    middle: str | None = None
    last: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    credential: str | None = None

    @property
    def full(self) -> str:
        """First, middle, last and suffix joined by spaces."""
        return " ".join(p for p in (self.first, self.middle, self.last, self.suffix) if p)


class OtherName(_Model):
    """Another name of the provider: former, professional, doing-business-as, ..."""

    code: str | None = None
    type: str | None = None
    organization_name: str | None = None
    person: PersonName | None = None

    @property
    def name(self) -> str:
        """The organisation name or the person's full name."""
        if self.organization_name:
            return self.organization_name
        return self.person.full if self.person else ""


class AuthorizedOfficial(PersonName):
    """The person who may sign for an organisation: a name, a title and a phone number."""

    title: str | None = None
    phone: str | None = None


class Address(_Model):
    """A postal address. ``purpose`` is ``LOCATION``, ``MAILING`` or ``None`` (secondary practice location)."""

    purpose: str | None = None
    address_type: str | None = None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    country_name: str | None = None
    phone: str | None = None
    fax: str | None = None


class Taxonomy(_Model):
    """A provider taxonomy (NUCC code) with its licence."""

    code: str
    desc: str | None = None
    primary: bool = False
    state: str | None = None
    license: str | None = None
    group: str | None = None


class Identifier(_Model):
    """Another identifier (e.g. a Medicaid number)."""

    code: str | None = None
    desc: str | None = None
    identifier: str | None = None
    state: str | None = None
    issuer: str | None = None


class NppesRecord(_Model):
    """One registry record, the same whatever the response format was."""

    npi: str
    type: Literal["individual", "organization"]
    status: str | None = None
    deactivation_date: date | None = None
    reactivation_date: date | None = None
    name: PersonName | None = None
    sex: str | None = None
    sole_proprietor: bool | None = None
    organization_name: str | None = None
    organizational_subpart: bool | None = None
    authorized_official: AuthorizedOfficial | None = None
    other_names: tuple[OtherName, ...] = ()
    addresses: tuple[Address, ...] = ()
    practice_locations: tuple[Address, ...] = ()
    taxonomies: tuple[Taxonomy, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    enumeration_date: date | None = None
    last_updated: date | None = None
    certification_date: date | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def from_api(cls, raw: Any) -> NppesRecord:
        """Parse one element of a registry ``results`` list (2019 or modern format).

        Raises :class:`RecordFormatError` when the record is not shaped like one.
        """
        from .parse import parse_record

        return parse_record(raw)

    @property
    def display_name(self) -> str:
        """The organisation name, or the individual's full name."""
        if self.type == "organization":
            return self.organization_name or ""
        return self.name.full if self.name else ""

    @property
    def location_address(self) -> Address | None:
        """The primary practice location."""
        return next((a for a in self.addresses if a.purpose == "LOCATION"), None)

    @property
    def mailing_address(self) -> Address | None:
        """The mailing address."""
        return next((a for a in self.addresses if a.purpose == "MAILING"), None)

    @property
    def primary_taxonomy(self) -> Taxonomy | None:
        """The taxonomy marked primary, else the first one (the bulk-file convention)."""
        return next((t for t in self.taxonomies if t.primary), self.taxonomies[0] if self.taxonomies else None)

    @property
    def is_deactivated(self) -> bool:
        """True when the record itself says the NPI is deactivated (rarely returned by the API)."""
        if self.status is not None and self.status != "A":
            return True
        if self.deactivation_date is None:
            return False
        return self.reactivation_date is None or self.reactivation_date < self.deactivation_date

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable summary; the keys of ``npi lookup --format json`` come first."""
        return {
            "npi": self.npi,
            "found": True,
            "type": self.type,
            "status": self.status,
            "name": self.display_name,
            "addresses": [_address_dict(a) for a in self.addresses],
            "taxonomies": [
                {
                    "code": t.code,
                    "desc": t.desc,
                    "primary": t.primary,
                    "state": t.state,
                    "license": t.license,
                }
                for t in self.taxonomies
            ],
            "last_updated": _iso(self.last_updated),
            "credential": self.name.credential if self.name else None,
            "enumeration_date": _iso(self.enumeration_date),
            "deactivation_date": _iso(self.deactivation_date),
            "reactivation_date": _iso(self.reactivation_date),
            "other_names": [{"code": o.code, "type": o.type, "name": o.name} for o in self.other_names],
            "authorized_official": (
                self.authorized_official.model_dump() if self.authorized_official else None
            ),
            "practice_locations": [_address_dict(a) for a in self.practice_locations],
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _address_dict(address: Address) -> dict[str, Any]:
    return {
        "purpose": address.purpose,
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "state": address.state,
        "postal_code": address.postal_code,
        "country": address.country,
        "phone": address.phone,
    }
