"""The one place the monitor reaches the registry clients: prefetch their answers and fingerprint them.

An answer (an NPPES lookup result, a data.cms.gov ``PecosRecord``, an LEIE ``Screened``) becomes a
flat map of field path to a short hash of its value, so that a state file can say which fields of a
record changed without holding the record. Fields that describe the fetch rather than the record
(whether it came from the cache, which dataset release answered) are left out.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

VOLATILE = frozenset({"from_cache", "list_date", "list_source", "sources", "truncated", "note"})


def prefetch(files: Sequence[str | os.PathLike[str]], sources: Sequence[str], use_cache: bool) -> Any:
    """:func:`pecoscheck.online.prefetch.prefetch` (a ``Prefetched``: answers, unavailable, keys, for_file)."""
    from .online.prefetch import prefetch as run

    return run(files, sources, use_cache)


def plain(value: Any) -> Any:
    """JSON-able data of an answer (Pydantic models, dataclasses, tuples, dates), volatile fields left out."""
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if str(k) not in VOLATILE}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def usable(answer: Any) -> bool:
    """Whether the answer says something about the record (not a timeout, a refusal or a missing dataset)."""
    if type(answer).__name__ in ("Unavailable", "Rejected"):
        return False
    return not getattr(answer, "unavailable", None)


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for k, v in value.items():
            _flatten(v, f"{prefix}.{k}" if prefix else k, out)
    elif isinstance(value, list) and value:
        for i, v in enumerate(value):
            _flatten(v, f"{prefix}[{i}]", out)
    else:
        out[prefix or "value"] = value


def field_hashes(answer: Any) -> dict[str, str]:
    """Field path -> a 12-hex-digit hash of its value (a lookup's ``record.`` prefix dropped)."""
    flat: dict[str, Any] = {}
    _flatten(plain(answer), "", flat)
    out: dict[str, str] = {}
    for path, v in flat.items():
        shown = path.removeprefix("record.")
        out[shown] = hashlib.sha256(json.dumps(v, sort_keys=True).encode()).hexdigest()[:12]
    return out


def digest(fields: dict[str, str]) -> str:
    """One fingerprint of a whole answer."""
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]
