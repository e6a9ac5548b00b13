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

from .client import CmsDataClient, cached_dataset_refs
from .datasets import (
    CATALOG_MAX_BYTES,
    CATALOG_TTL,
    CAVEATS,
    CMS_DATA_URL_ENV,
    DATA_TTL,
    DATASETS,
    DEFAULT_BASE_URL,
    NOT_FOUND_NOTE,
    Dataset,
    DatasetRef,
    cms_data_base_url,
    fallback_refs,
    normalise_title,
)
from .models import (
    DueDate,
    Enrollment,
    OptOut,
    OrderReferring,
    PecosRecord,
    Reassignment,
    Revalidation,
    parse_cms_date,
)
from .results import Found, LookupResult, NotFound, QueryResult, Stats, Unavailable

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
    "fallback_refs",
    "normalise_title",
    "parse_cms_date",
]
