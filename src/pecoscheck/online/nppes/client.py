"""The NPPES NPI Registry API (version 2.1) client: lookups and searches over HTTP, through the cache."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType

from pecoscheck.online.cache import DiskCache
from pecoscheck.online.http import (
    DEFAULT_ATTEMPTS,
    DEFAULT_MAX_IN_FLIGHT,
    DEFAULT_TIMEOUT,
    HttpClient,
    UnavailableError,
)

from .parse import _text, is_ten_digits, parse_results
from .records import NppesRecord
from .results import (
    Found,
    LookupResult,
    NotFound,
    RegistryError,
    RegistryQueryError,
    RegistryUnavailableError,
    Rejected,
    SearchResult,
    Unavailable,
)

NPPES_URL_ENV = "PECOSCHECK_NPPES_URL"
DEFAULT_BASE_URL = "https://npiregistry.cms.hhs.gov/api/"
API_VERSION = "2.1"
MAX_PAGE_SIZE = 200
MAX_SKIP = 1000
RESULT_CEILING = MAX_SKIP + MAX_PAGE_SIZE


def nppes_base_url() -> str:
    """The registry URL: ``$PECOSCHECK_NPPES_URL`` or the public API."""
    return os.environ.get(NPPES_URL_ENV, "").strip() or DEFAULT_BASE_URL



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
        self._validate = validate or is_ten_digits
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
        if not is_ten_digits(text) or not self._validate(text):
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
                    return _Answer(parse_results(cached), from_cache=True)
                except (UnavailableError, RegistryQueryError):
                    pass
        data = self.http.get_json(self.base_url, params)
        records = parse_results(data)
        if self.cache is not None:
            self.cache.put(self.base_url, params, data)
        return _Answer(records, from_cache=False)


