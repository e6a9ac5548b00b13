"""The NPPES NPI Registry (API version 2.1): models and parsing apart from the HTTP client.

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
:class:`RegistryUnavailableError` instead. Submodules: ``records`` (models),
``parse`` (answers into records), ``results`` (outcomes), ``client`` (HTTP),
``fetch`` (the ``nppes`` prefetch source).
"""

from __future__ import annotations

from .client import (
    API_VERSION,
    DEFAULT_BASE_URL,
    MAX_PAGE_SIZE,
    MAX_SKIP,
    NPPES_URL_ENV,
    RESULT_CEILING,
    NppesClient,
    nppes_base_url,
)
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
from .results import (
    NOT_FOUND_NOTE,
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
