"""The ``nppes`` prefetch source: every NPI of every profile, looked up concurrently."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...npi import is_valid
from ..prefetch import ProfileKeys
from .client import NppesClient
from .results import Unavailable


def fetch(keys: Sequence[ProfileKeys], use_cache: bool) -> tuple[dict[str, Any], str | None]:
    """NPI -> lookup result; the reason of the first unavailable answer, if any."""
    npis = list(dict.fromkeys(n for k in keys for n in k.npis))
    if not npis:
        return {}, None
    with NppesClient(cache=use_cache, validate=is_valid) as client:
        results = client.lookup_many(npis)
    problem = next((r.reason for r in results if isinstance(r, Unavailable)), None)
    return dict(zip(npis, results, strict=True)), problem
