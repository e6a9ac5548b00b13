"""The OIG List of Excluded Individuals/Entities (LEIE), as a local SQLite index.

``UPDATED.csv`` (the full list of current exclusions, refreshed monthly by
OIG) is downloaded from ``$PECOSCHECK_LEIE_URL`` (default
``https://oig.hhs.gov/exclusions/downloadables/UPDATED.csv``) and streamed
into ``<cache>/leie/leie.sqlite3`` (owner-only), built in a temporary file and
moved into place atomically, so a reader never sees half an index. The
monthly supplements (``YYMMEXCL.csv``: new exclusions, ``YYMMREIN.csv``:
reinstatements) of the months after the full file are applied on top, and
the index records which; it is stale when the last month OIG has published
is not in it (:mod:`.months`).

The real layout (OIG's record layout, 18 columns)::

    LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,
    CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE

is parsed as found in OIG's files: dates ``YYYYMMDD`` with ``00000000`` for
"no date", ``0000000000`` for "no NPI", exclusion types padded with blanks,
a middle name of one blank, quoted or unquoted empty fields, CRLF or LF. A
row with the wrong number of fields stops the build with its line number.
A row with a reinstatement date is reinstated and never matches.

Lookups: :meth:`LeieIndex.by_npi`, :meth:`LeieIndex.by_name` and
:meth:`LeieIndex.by_business`. Names are compared normalised (case, accents,
blanks and punctuation ignored; for businesses a trailing INC/LLC/PC/...).
The download carries no SSN or EIN, so a name-only match must be verified
with OIG's online search.
"""

from __future__ import annotations

from .download import UpdateResult, supplement_url, update
from .index import LeieIndex, apply_supplements, build_index, index_status
from .records import (
    COLUMNS,
    DEFAULT_LEIE_URL,
    INDEX_FILE,
    LEIE_URL_ENV,
    IndexStatus,
    LeieFormatError,
    LeieRecord,
    NoIndexError,
    business_key,
    default_index_path,
    leie_url,
    name_key,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_LEIE_URL",
    "INDEX_FILE",
    "LEIE_URL_ENV",
    "IndexStatus",
    "LeieFormatError",
    "LeieIndex",
    "LeieRecord",
    "NoIndexError",
    "UpdateResult",
    "apply_supplements",
    "build_index",
    "business_key",
    "default_index_path",
    "index_status",
    "leie_url",
    "name_key",
    "supplement_url",
    "update",
]
