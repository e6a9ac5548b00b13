"""SAM.gov exclusions (GSA's System for Award Management): the public extract as a local index.

``pecoscheck data update sam --file EXTRACT`` indexes the public exclusions
extract (CSV, version 1 or 2) into ``<cache>/sam/sam.sqlite3``;
:class:`SamIndex` answers by NPI and by name (with state). The optional
:class:`~.api.SamApiClient` asks the live API with a key from
``$PECOSCHECK_SAM_API_KEY``.
"""

from __future__ import annotations

from .index import SamIndex, SamIndexStatus, build_sam_index, sam_index_status
from .records import (
    COLUMNS_V1,
    COLUMNS_V2,
    NoSamIndexError,
    SamFormatError,
    SamRecord,
    default_sam_index_path,
)

__all__ = [
    "COLUMNS_V1",
    "COLUMNS_V2",
    "NoSamIndexError",
    "SamFormatError",
    "SamIndex",
    "SamIndexStatus",
    "SamRecord",
    "build_sam_index",
    "default_sam_index_path",
    "sam_index_status",
]
