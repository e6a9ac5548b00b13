"""A client for the NPPES NPI Registry API (version 2.1).

:class:`NppesClient` looks NPIs up and runs searches. A lookup answers with
one of four outcome types:

* :class:`Found`: the registry has a record (parsed into :class:`NppesRecord`);
* :class:`NotFound`: no record; the registry answers the same way for
  deactivated NPIs, so this means "not found or deactivated";
* :class:`Unavailable`: no usable answer after retries (network, HTTP 5xx/429,
  timeout, a non-JSON or wrongly shaped body); never to be read as "not found";
* :class:`Rejected`: the registry refused the query with an ``Errors`` answer
  (HTTP 200), naming the field.

:meth:`NppesClient.search` raises :class:`RegistryQueryError` and
:class:`RegistryUnavailableError` instead.

:class:`NppesRecord` hides the differences between the 2019 and the modern
response formats (int vs string numbers, seconds vs milliseconds epochs,
``gender`` vs ``sex``, omitted vs empty vs null fields, ``--`` as a blank).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict

from pecoscheck.online.cache import DiskCache
from pecoscheck.online.http import (
    DEFAULT_ATTEMPTS,
    DEFAULT_MAX_IN_FLIGHT,
    DEFAULT_TIMEOUT,
    HttpClient,
    UnavailableError,
)

__all__ = [
    "API_VERSION",
    "DEFAULT_BASE_URL",
    "MAX_PAGE_SIZE",
    "MAX_SKIP",
    "NOT_FOUND_NOTE",
    "NPPES_URL_ENV",
    "RESULT_CEILING",
    "Address",
    "AuthorizedOfficial",
    "Found",
    "Identifier",
    "LookupResult",
    "NotFound",
    "NppesClient",
    "NppesRecord",
    "OtherName",
    "PersonName",
    "RecordFormatError",
    "RegistryError",
    "RegistryQueryError",
    "RegistryUnavailableError",
    "Rejected",
    "SearchResult",
    "Taxonomy",
    "Unavailable",
    "nppes_base_url",
]

NPPES_URL_ENV = "PECOSCHECK_NPPES_URL"
DEFAULT_BASE_URL = "https://npiregistry.cms.hhs.gov/api/"
API_VERSION = "2.1"
MAX_PAGE_SIZE = 200
MAX_SKIP = 1000
RESULT_CEILING = MAX_SKIP + MAX_PAGE_SIZE
NOT_FOUND_NOTE = (
    "The NPPES registry has no record for this NPI. It answers the same way for "
    "deactivated NPIs, so this means 'not found or deactivated'."
)

_TEN_DIGITS = re.compile(r"\d{10}")


def nppes_base_url() -> str:
    """The registry URL: ``$PECOSCHECK_NPPES_URL`` or the public API."""
    return os.environ.get(NPPES_URL_ENV, "").strip() or DEFAULT_BASE_URL


def _is_ten_digits(npi: str) -> bool:
    return bool(_TEN_DIGITS.fullmatch(npi))




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
        return _parse_record(raw)

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


def _text(value: Any) -> str | None:
    """A cleaned string, or None for absent, null, empty and ``--`` blanks."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    if not text or text == "--":
        return None
    return text


def _date(value: Any) -> date | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _epoch(value: Any) -> datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
        value = int(value)
    if not isinstance(value, (int, float)):
        return None
    seconds = value / 1000 if value > 100_000_000_000 else value
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _yes_no(value: Any) -> bool | None:
    text = _text(value)
    if text is None:
        return None
    upper = text.upper()
    if upper in ("YES", "Y", "TRUE"):
        return True
    if upper in ("NO", "N", "FALSE"):
        return False
    return None


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "y", "1")
    return bool(value)


def _dict(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RecordFormatError(f"{what} is not an object")
    return value


def _dicts(raw: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise RecordFormatError(f"{key} is not a list of objects")
    return value


def _npi_of(raw: Any) -> str:
    number = raw.get("number") if isinstance(raw, dict) else None
    if isinstance(number, bool) or not isinstance(number, (int, str)):
        raise RecordFormatError("record has no NPI number")
    text = str(number).strip()
    if not _is_ten_digits(text):
        raise RecordFormatError(f"record number {text!r} is not 10 digits")
    return text


def _person(basic: Mapping[str, Any], prefix: str = "") -> dict[str, str | None]:
    return {
        "first": _text(basic.get(f"{prefix}first_name")),
        "middle": _text(basic.get(f"{prefix}middle_name")),
        "last": _text(basic.get(f"{prefix}last_name")),
        "prefix": _text(basic.get(f"{prefix}name_prefix") or basic.get(f"{prefix}prefix")),
        "suffix": _text(basic.get(f"{prefix}name_suffix") or basic.get(f"{prefix}suffix")),
        "credential": _text(basic.get(f"{prefix}credential")),
    }


def _address(raw: Mapping[str, Any], purpose: str | None) -> Address:
    return Address(
        purpose=purpose,
        address_type=_text(raw.get("address_type")),
        line1=_text(raw.get("address_1")),
        line2=_text(raw.get("address_2")),
        city=_text(raw.get("city")),
        state=_text(raw.get("state")),
        postal_code=_text(raw.get("postal_code")),
        country=_text(raw.get("country_code")),
        country_name=_text(raw.get("country_name")),
        phone=_text(raw.get("telephone_number")),
        fax=_text(raw.get("fax_number")),
    )


def _other_name(raw: Mapping[str, Any]) -> OtherName:
    person = _person(raw)
    has_person = any(person.values())
    return OtherName(
        code=_text(raw.get("code")),
        type=_text(raw.get("type")),
        organization_name=_text(raw.get("organization_name")),
        person=PersonName(**person) if has_person else None,
    )


def _parse_record(raw: Any) -> NppesRecord:
    if not isinstance(raw, dict):
        raise RecordFormatError("record is not an object")
    npi = _npi_of(raw)
    kind = _text(raw.get("enumeration_type"))
    if kind not in ("NPI-1", "NPI-2"):
        raise RecordFormatError(f"NPI {npi}: unknown enumeration_type {kind!r}")
    basic = _dict(raw.get("basic"), "basic")
    individual = kind == "NPI-1"

    official: AuthorizedOfficial | None = None
    ao = _person(basic, "authorized_official_")
    ao_title = _text(basic.get("authorized_official_title_or_position"))
    ao_phone = _text(basic.get("authorized_official_telephone_number"))
    if any(ao.values()) or ao_title or ao_phone:
        official = AuthorizedOfficial(**ao, title=ao_title, phone=ao_phone)

    taxonomies = []
    for item in _dicts(raw, "taxonomies"):
        code = _text(item.get("code"))
        if code is None:
            continue
        taxonomies.append(
            Taxonomy(
                code=code,
                desc=_text(item.get("desc")),
                primary=_bool(item.get("primary")),
                state=_text(item.get("state")),
                license=_text(item.get("license")),
                group=_text(item.get("taxonomy_group")),
            )
        )

    try:
        return NppesRecord(
            npi=npi,
            type="individual" if individual else "organization",
            status=_text(basic.get("status")),
            deactivation_date=_date(basic.get("deactivation_date")),
            reactivation_date=_date(basic.get("reactivation_date")),
            name=PersonName(**_person(basic)) if individual else None,
            sex=_text(basic.get("sex") or basic.get("gender")),
            sole_proprietor=_yes_no(basic.get("sole_proprietor")),
            organization_name=_text(basic.get("organization_name")),
            organizational_subpart=_yes_no(basic.get("organizational_subpart")),
            authorized_official=official,
            other_names=tuple(_other_name(o) for o in _dicts(raw, "other_names")),
            addresses=tuple(
                _address(a, (_text(a.get("address_purpose")) or "").upper() or None)
                for a in _dicts(raw, "addresses")
            ),
            practice_locations=tuple(_address(a, None) for a in _dicts(raw, "practiceLocations")),
            taxonomies=tuple(taxonomies),
            identifiers=tuple(
                Identifier(
                    code=_text(i.get("code")),
                    desc=_text(i.get("desc")),
                    identifier=_text(i.get("identifier")),
                    state=_text(i.get("state")),
                    issuer=_text(i.get("issuer")),
                )
                for i in _dicts(raw, "identifiers")
            ),
            enumeration_date=_date(basic.get("enumeration_date")),
            last_updated=_date(basic.get("last_updated")),
            certification_date=_date(basic.get("certification_date")),
            created_at=_epoch(raw.get("created_epoch")),
            updated_at=_epoch(raw.get("last_updated_epoch")),
        )
    except ValueError as exc:
        raise RecordFormatError(f"NPI {npi}: {exc}") from None




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




_WILDCARD_FIELDS = ("first_name", "last_name", "organization_name", "taxonomy_description", "postal_code")
_ENUMERATION_TYPES = {
    "individual": "NPI-1",
    "organization": "NPI-2",
    "npi-1": "NPI-1",
    "npi-2": "NPI-2",
}


def _check_wildcard(name: str, value: str) -> None:
    if "*" not in value:
        return
    if value.count("*") > 1 or not value.endswith("*") or len(value) < 3:
        raise RegistryQueryError(
            [
                RegistryError(
                    field=name,
                    number=None,
                    description="a wildcard must be a single trailing '*' after at least two characters",
                )
            ]
        )


class _Answer:
    """A parsed ``results`` answer."""

    __slots__ = ("from_cache", "records")

    def __init__(self, records: list[NppesRecord], from_cache: bool) -> None:
        self.records = records
        self.from_cache = from_cache


class NppesClient:
    """NPPES registry client with retries, a bounded number of requests in flight and a disk cache.

    ``base_url`` defaults to ``$PECOSCHECK_NPPES_URL`` or the public API.
    ``cache``: True (default) uses :class:`DiskCache` in the default folder,
    False or None disables caching (``--no-cache``), or pass a cache.
    ``retries`` is the maximum number of attempts per request, the first one
    included. ``validate`` decides whether an NPI may be looked up at all; the
    default only requires 10 digits (pass the project's check-digit validator).
    ``http`` shares an existing :class:`HttpClient` (then ``timeout``,
    ``retries``, ``max_in_flight`` and ``sleep`` are its own, and ``close()``
    leaves it open).
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        cache: DiskCache | bool | None = True,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_ATTEMPTS,
        validate: Callable[[str], bool] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        http: HttpClient | None = None,
    ) -> None:
        self.base_url = base_url or nppes_base_url()
        if cache is True:
            self.cache: DiskCache | None = DiskCache()
        elif cache is False or cache is None:
            self.cache = None
        else:
            self.cache = cache
        self._validate = validate or _is_ten_digits
        self._owns_http = http is None
        self.http = http or HttpClient(
            timeout=timeout, retries=retries, max_in_flight=max_in_flight, sleep=sleep
        )

    def __enter__(self) -> NppesClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the connections (only those this client opened)."""
        if self._owns_http:
            self.http.close()


    def check_npi(self, npi: str) -> str:
        """The NPI stripped of surrounding blanks; ValueError if it must not be looked up."""
        text = npi.strip() if isinstance(npi, str) else ""
        if not _is_ten_digits(text) or not self._validate(text):
            raise ValueError(f"not a valid NPI: {npi!r}")
        return text

    def lookup(self, npi: str) -> LookupResult:
        """Look one NPI up. Raises ValueError, before any request, for an invalid NPI."""
        number = self.check_npi(npi)
        params = {"version": API_VERSION, "number": number}
        try:
            answer = self._query(params)
        except UnavailableError as exc:
            return Unavailable(npi=number, reason=exc.reason)
        except RegistryQueryError as exc:
            return Rejected(npi=number, errors=exc.errors)
        matches = [r for r in answer.records if r.npi == number]
        if matches:
            return Found(record=matches[0], from_cache=answer.from_cache)
        if answer.records:
            return Unavailable(npi=number, reason="the registry answered with a record for another NPI")
        return NotFound(npi=number, from_cache=answer.from_cache)

    def lookup_many(self, npis: Iterable[str]) -> list[LookupResult]:
        """Look many NPIs up concurrently (bounded); results in input order.

        Every NPI is checked first, so an invalid one raises ValueError before
        any request. A repeated NPI is fetched once.
        """
        numbers = [self.check_npi(n) for n in npis]
        unique = list(dict.fromkeys(numbers))
        results = dict(zip(unique, self.http.fetch_many(self.lookup, unique), strict=True))
        return [results[n] for n in numbers]


    def search(
        self,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        organization_name: str | None = None,
        state: str | None = None,
        city: str | None = None,
        postal_code: str | None = None,
        taxonomy_description: str | None = None,
        enumeration_type: str | None = None,
        address_purpose: str | None = None,
        country_code: str | None = None,
        use_first_name_alias: bool | None = None,
        limit: int | None = 10,
        skip: int = 0,
    ) -> SearchResult:
        """Search the registry, paging as needed.

        ``limit`` is the total number of records wanted (None: as many as the
        registry lets through, 1,200 at most); ``skip`` the number of matches to
        pass over first. ``enumeration_type`` is ``individual``/``NPI-1`` or
        ``organization``/``NPI-2``. Raises :class:`RegistryQueryError` when the
        registry (or a local check) refuses the query, and
        :class:`RegistryUnavailableError` when a page could not be fetched.
        """
        criteria: dict[str, str] = {}
        for name, value in (
            ("first_name", first_name),
            ("last_name", last_name),
            ("organization_name", organization_name),
            ("state", state),
            ("city", city),
            ("postal_code", postal_code),
            ("taxonomy_description", taxonomy_description),
            ("address_purpose", address_purpose),
            ("country_code", country_code),
        ):
            text = _text(value)
            if text is None:
                continue
            if name in _WILDCARD_FIELDS:
                _check_wildcard(name, text)
            criteria[name] = text
        if use_first_name_alias is not None:
            criteria["use_first_name_alias"] = "True" if use_first_name_alias else "False"
        if enumeration_type is not None:
            kind = _ENUMERATION_TYPES.get(enumeration_type.strip().lower())
            if kind is None:
                raise RegistryQueryError(
                    [RegistryError("enumeration_type", None, f"unknown type {enumeration_type!r}")]
                )
            criteria["enumeration_type"] = kind
        if skip < 0 or skip >= RESULT_CEILING:
            raise ValueError(f"skip must be between 0 and {RESULT_CEILING - 1}")
        window = RESULT_CEILING - skip
        wanted = window if limit is None else min(max(limit, 0), window)

        records: list[NppesRecord] = []
        requests = 0
        position = skip
        exhausted = False
        while len(records) < wanted:
            request_skip = min(position, MAX_SKIP)
            offset = position - request_skip
            request_limit = min(MAX_PAGE_SIZE, offset + wanted - len(records))
            params = {"version": API_VERSION, **criteria, "limit": str(request_limit), "skip": str(request_skip)}
            try:
                answer = self._query(params)
            except UnavailableError as exc:
                raise RegistryUnavailableError(exc.reason) from None
            requests += 1
            page = answer.records[offset:request_limit]
            records.extend(page)
            position += len(page)
            if len(answer.records) < request_limit:
                exhausted = True
                break
        truncated = not exhausted and wanted == window and position >= RESULT_CEILING
        return SearchResult(records=tuple(records), truncated=truncated, requests=requests, params=criteria)


    def _query(self, params: Mapping[str, str]) -> _Answer:
        if self.cache is not None:
            cached = self.cache.get(self.base_url, params)
            if cached is not None:
                try:
                    return _Answer(_parse_results(cached), from_cache=True)
                except (UnavailableError, RegistryQueryError):
                    pass
        data = self.http.get_json(self.base_url, params)
        records = _parse_results(data)
        if self.cache is not None:
            self.cache.put(self.base_url, params, data)
        return _Answer(records, from_cache=False)


def _parse_errors(value: Any) -> list[RegistryError]:
    items = value if isinstance(value, list) else [value]
    errors = []
    for item in items:
        if not isinstance(item, dict):
            continue
        description = _text(item.get("description"))
        field_name = _text(item.get("field"))
        if description is None and field_name is None:
            continue
        errors.append(
            RegistryError(
                field=field_name or "generic",
                number=_text(item.get("number")),
                description=description or "(no description)",
            )
        )
    return errors


def _parse_results(data: Any) -> list[NppesRecord]:
    """The records of a registry answer; raises UnavailableError / RegistryQueryError."""
    if not isinstance(data, dict):
        raise UnavailableError(f"unexpected answer: a JSON {type(data).__name__}, not an object")
    if "Errors" in data:
        errors = _parse_errors(data["Errors"])
        if not errors:
            raise UnavailableError("unexpected answer: an empty or unreadable Errors list")
        raise RegistryQueryError(errors)
    results = data.get("results")
    if results is None and data.get("result_count") == 0:
        results = []
    if not isinstance(results, list):
        raise UnavailableError("unexpected answer: no 'results' list")
    try:
        return [NppesRecord.from_api(item) for item in results]
    except RecordFormatError as exc:
        raise UnavailableError(f"unexpected record shape: {exc}") from None
