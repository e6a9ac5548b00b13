"""Parsing NPPES answers: a ``results`` list into records, an ``Errors`` answer into errors."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from pecoscheck.online.http import UnavailableError

from .records import (
    Address,
    AuthorizedOfficial,
    Identifier,
    NppesRecord,
    OtherName,
    PersonName,
    RecordFormatError,
    Taxonomy,
)
from .results import RegistryError, RegistryQueryError

_TEN_DIGITS = re.compile(r"\d{10}")


def is_ten_digits(npi: str) -> bool:
    """Ten ASCII digits, nothing else."""
    return bool(_TEN_DIGITS.fullmatch(npi))


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
    if not is_ten_digits(text):
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


def parse_record(raw: Any) -> NppesRecord:
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


def parse_results(data: Any) -> list[NppesRecord]:
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
        return [parse_record(item) for item in results]
    except RecordFormatError as exc:
        raise UnavailableError(f"unexpected record shape: {exc}") from None
