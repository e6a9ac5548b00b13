"""The ``pecos`` prefetch source: CMS's public PECOS datasets for every NPI of every profile.

:func:`fetch` is registered in :data:`pecoscheck.online.prefetch.SOURCES`. It
looks every NPI up in the five data.cms.gov datasets (all queries at once,
bounded, through the disk cache) and answers ``{npi: PecosRecord}``. Rules
read ``ctx.online["pecos"][npi]``; a record whose ``unavailable`` names a
dataset says nothing about that dataset, and the source is then reported as
unavailable (exit code 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ...npi import is_valid

if TYPE_CHECKING:
    from ..prefetch import ProfileKeys


def fetch(keys: Sequence[ProfileKeys], use_cache: bool) -> tuple[dict[str, Any], str | None]:
    """NPI -> :class:`~pecoscheck.online.cmsdata.PecosRecord`; the first reason a dataset was unavailable."""
    from .client import CmsDataClient
    from .results import Unavailable

    npis = list(dict.fromkeys(n for k in keys for n in k.npis if is_valid(n)))
    if not npis:
        return {}, None
    with CmsDataClient(cache=use_cache) as client:
        results = client.lookup_many(npis)
    problem = next((r.reason for r in results if isinstance(r, Unavailable)), None)
    return {r.npi: r.record for r in results}, problem
