"""Fetch what online rules need, for every profile at once, before the rules run.

Each source (``nppes``, and those other modules register) maps the NPIs of
all profiles to its answers, concurrently and through its cache. Rules read
the answers from ``ctx.online[source]``; a source that could not be reached
is listed in :attr:`Prefetched.unavailable` (exit code 3).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..loader import load
from ..npi import is_valid


@dataclass
class ProfileKeys:
    """The identifiers of one profile that online sources are queried with."""

    npis: list[str] = field(default_factory=list)
    names: list[tuple[str, str]] = field(default_factory=list)  # (kind, name) of every screened party


@dataclass
class Prefetched:
    """Answers per source (keyed by NPI or name), and the sources that were unavailable."""

    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    keys: dict[str, ProfileKeys] = field(default_factory=dict)

    def for_file(self, path: str | os.PathLike[str]) -> dict[str, Any]:
        """The answers that concern one file, per source (small enough to send to a worker)."""
        k = self.keys.get(os.fspath(path), ProfileKeys())
        wanted = set(k.npis) | {name for _, name in k.names}
        out: dict[str, Any] = {s: {key: v for key, v in a.items() if key in wanted}
                               for s, a in self.answers.items()}
        for source, reason in self.unavailable.items():
            out.setdefault("_unavailable", {})[source] = reason
        return out


# source name -> fetch(keys of all profiles, use_cache) -> (answers, unavailable reason or None)
Fetcher = Callable[[Sequence[ProfileKeys], bool], tuple[dict[str, Any], str | None]]
SOURCES: dict[str, str] = {
    "nppes": "pecoscheck.online.nppes.fetch:fetch",
    "pecos": "pecoscheck.online.cmsdata.fetch:fetch",
    "exclusions": "pecoscheck.online.screening:fetch",
}


def profile_keys(path: str | os.PathLike[str]) -> ProfileKeys:
    """The valid NPIs (provider first) and party names of a profile, read leniently."""
    keys = ProfileKeys()
    if not os.path.isfile(path):  # a pipe (e.g. /dev/stdin) can be read only once: leave it to the check itself
        return keys
    data = load(path).data
    if not isinstance(data, dict):
        return keys
    raw_provider = data.get("provider")
    provider: dict[str, Any] = raw_provider if isinstance(raw_provider, dict) else {}
    candidates: list[object] = [provider.get("npi")]
    for section, key in (("reassignments", "group_npi"), ("ownership", "npi")):
        items = data.get(section)
        if isinstance(items, list):
            candidates += [i.get(key) for i in items if isinstance(i, dict)]
    for c in candidates:
        if isinstance(c, str) and is_valid(c) and c not in keys.npis:
            keys.npis.append(c)
    name = provider.get("name")
    if isinstance(name, dict):
        keys.names.append(("individual", " ".join(str(name.get(k) or "") for k in ("first", "last")).strip()))
    if isinstance(provider.get("legal_name"), str):
        keys.names.append(("organization", provider["legal_name"]))
    for section in ("ownership", "officials"):
        items = data.get(section)
        if isinstance(items, list):
            for i in items:
                if isinstance(i, dict) and isinstance(i.get("name"), str):
                    keys.names.append((str(i.get("party", "individual")), i["name"]))
    return keys


def prefetch(files: Sequence[str | os.PathLike[str]], sources: Sequence[str], use_cache: bool = True) -> Prefetched:
    """Query every requested source for the identifiers of every file."""
    import importlib

    keys = [profile_keys(f) for f in files]
    out = Prefetched(keys={os.fspath(f): k for f, k in zip(files, keys, strict=True)})
    for source in sources:
        if source not in SOURCES:
            continue
        module, _, attr = SOURCES[source].partition(":")
        fetch: Fetcher = getattr(importlib.import_module(module), attr)
        answers, problem = fetch(keys, use_cache)
        out.answers[source] = answers
        if problem:
            out.unavailable[source] = problem
    return out
