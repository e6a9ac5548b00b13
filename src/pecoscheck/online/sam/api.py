"""An optional client for the SAM.gov Exclusions API (GSA, ``api.sam.gov``), for a key holder.

The key is read from ``$PECOSCHECK_SAM_API_KEY`` only: it is sent as the
``api_key`` query parameter GSA requires, never written to the cache (answers
are not cached at all), and removed from every message. The answer layout
(``excludedEntity[]`` with ``exclusionDetails``, ``exclusionIdentification``,
``exclusionActions`` and ``exclusionPrimaryAddress``) follows GSA's published
documentation (open.gsa.gov/api/exclusions-api); pecoscheck's tests replay a
constructed answer in that layout, not a recorded one.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

from pecoscheck.online.http import DEFAULT_ATTEMPTS, HttpClient, UnavailableError

from .records import SamRecord

SAM_API_KEY_ENV = "PECOSCHECK_SAM_API_KEY"
SAM_API_URL_ENV = "PECOSCHECK_SAM_API_URL"
DEFAULT_SAM_API_URL = "https://api.sam.gov/entity-information/v4/exclusions"


class NoApiKeyError(RuntimeError):
    """``$PECOSCHECK_SAM_API_KEY`` is not set."""

    def __init__(self) -> None:
        super().__init__(f"no SAM.gov API key: set {SAM_API_KEY_ENV} (a key from your SAM.gov account details)")


def _get(raw: Any, *keys: str) -> Any:
    for key in keys:
        raw = raw.get(key) if isinstance(raw, dict) else None
    return raw


def _s(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value).strip()


def record_from_api(item: Mapping[str, Any]) -> SamRecord:
    """One ``excludedEntity`` element as a :class:`SamRecord`."""
    details, ident = _get(item, "exclusionDetails"), _get(item, "exclusionIdentification")
    actions = _get(item, "exclusionActions", "listOfActions")
    action = actions[0] if isinstance(actions, list) and actions and isinstance(actions[0], dict) else {}
    address = _get(item, "exclusionPrimaryAddress") or {}
    return SamRecord.from_values({
        "classification": _s(_get(details, "classificationType")), "name": _s(_get(ident, "entityName")),
        "prefix": _s(_get(ident, "prefix")), "first": _s(_get(ident, "firstName")),
        "middle": _s(_get(ident, "middleName")), "last": _s(_get(ident, "lastName")),
        "suffix": _s(_get(ident, "suffix")), "city": _s(_get(address, "city")),
        "state": _s(_get(address, "stateOrProvinceCode")), "country": _s(_get(address, "countryCode")),
        "zip": _s(_get(address, "zipCode")), "entity_id": _s(_get(ident, "ueiSAM")),
        "program": _s(_get(details, "exclusionProgram")), "agency": _s(_get(details, "excludingAgencyCode")),
        "exclusion_type": _s(_get(details, "exclusionType")), "active_date": _s(action.get("activateDate")),
        "termination_date": _s(action.get("terminationDate")), "record_status": _s(action.get("recordStatus")),
        "cage": _s(_get(ident, "cageCode")), "npi": _s(_get(ident, "npi")),
    })


class SamApiClient:
    """Looks exclusions up by NPI or name on the SAM.gov Exclusions API; nothing is cached."""

    def __init__(self, base_url: str | None = None, *, api_key: str | None = None, timeout: float = 20.0,
                 retries: int = DEFAULT_ATTEMPTS, sleep: Callable[[float], None] = time.sleep) -> None:
        key = api_key if api_key is not None else os.environ.get(SAM_API_KEY_ENV, "").strip()
        if not key:
            raise NoApiKeyError
        self._key = key
        self.base_url = base_url or os.environ.get(SAM_API_URL_ENV, "").strip() or DEFAULT_SAM_API_URL
        self.http = HttpClient(timeout=timeout, retries=retries, sleep=sleep)

    def __repr__(self) -> str:
        return f"SamApiClient({self.base_url!r}, api_key=<hidden>)"

    def __enter__(self) -> SamApiClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def _hide(self, text: str) -> str:
        return text.replace(self._key, "<api key>")

    def search(self, **criteria: str) -> list[SamRecord]:
        """Exclusions matching ``criteria`` (API parameter names, e.g. ``npi``, ``exclusionName``)."""
        params = {k: v for k, v in criteria.items() if v}
        try:
            data = self.http.get_json(self.base_url, {"api_key": self._key, **params})
        except UnavailableError as exc:
            raise UnavailableError(self._hide(exc.reason), offline=exc.offline) from None
        items = _get(data, "excludedEntity")
        if not isinstance(items, list):
            message = _s(_get(data, "error", "message") or _get(data, "message"))
            raise UnavailableError(self._hide("unexpected SAM.gov answer: no excludedEntity list"
                                              + (f" ({message[:200]})" if message else "")))
        return [record_from_api(i) for i in items if isinstance(i, dict)]

    def by_npi(self, npi: str) -> list[SamRecord]:
        return self.search(npi=npi.strip())

    def by_name(self, name: str, state: str | None = None) -> list[SamRecord]:
        return self.search(exclusionName=f'"{name.strip()}"', stateProvince=(state or "").strip())
