"""The ``exclusions`` prefetch source: every party of every profile screened against the local LEIE index.

:func:`fetch` is registered in :data:`pecoscheck.online.prefetch.SOURCES`.
It answers ``{npi or name: Screened}``: for an NPI, the active exclusions
listing that NPI; for a party's name (as written in the profile), the active
exclusions whose name matches. Nothing is sent anywhere: the index is local
(``pecoscheck data update leie`` builds it). Without an index the source is
unavailable (exit code 3).

A person's name is one string in the profile (``ownership[].name``,
``officials[].name``); :func:`person_candidates` turns it into the (last,
first) pairs to look up: ``Last, First`` is read as such, a trailing suffix
or credential (``Jr``, ``MD``) is dropped, and every split point of the
remaining words is tried, so ``Mary Ann De La Cruz`` matches ``DE LA CRUZ,
MARY``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .leie import LeieIndex, LeieRecord
    from .prefetch import ProfileKeys

NO_INDEX = "no local copy of the OIG exclusion list: run `pecoscheck data update leie`"

_SUFFIXES = frozenset({
    "JR", "SR", "II", "III", "IV", "V", "MD", "DO", "DDS", "DMD", "DPM", "OD", "PHD", "PA", "PAC", "NP", "RN",
    "APRN", "CNP", "FNP", "CRNA", "CNM", "CNS", "DC", "DPT", "PT", "OT", "LCSW", "PSYD", "MBA", "MPH", "ESQ",
})
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Screened:
    """What the LEIE index said about one NPI or one name."""

    key: str
    how: Literal["npi", "name"]
    matches: tuple[LeieRecord, ...]
    list_date: date | None = None
    list_source: str = ""


def _clean_words(text: str) -> list[str]:
    words: list[str] = _WORDS.findall(text)
    while len(words) > 2 and words[-1].replace(".", "").upper() in _SUFFIXES:
        words.pop()
    return words


def person_candidates(name: str) -> list[tuple[str, str]]:
    """The (last, first) pairs a person's full name may stand for."""
    text = name.strip()
    if not text:
        return []
    if "," in text:
        head, _, tail = text.partition(",")
        tail_words = _WORDS.findall(tail)
        if tail_words and not all(w.replace(".", "").upper() in _SUFFIXES for w in tail_words):
            last_words, first_words = _WORDS.findall(head), tail_words
            if last_words and first_words:
                return [(" ".join(last_words), first_words[0]), (" ".join(last_words), " ".join(first_words))]
        text = head
    words = _clean_words(text)
    if len(words) < 2:
        return [(words[0], "")] if words else []
    out: list[tuple[str, str]] = []
    for split in range(1, len(words)):
        first, last = words[:split], words[split:]
        out.append((" ".join(last), " ".join(first)))
        if split > 1:
            out.append((" ".join(last), first[0]))
    return list(dict.fromkeys(out))


def screen_person(index: LeieIndex, name: str) -> list[LeieRecord]:
    """Active exclusions of individuals whose name matches ``name`` (first and last name both required)."""
    found: dict[tuple[Any, ...], LeieRecord] = {}
    for last, first in person_candidates(name):
        if not first:
            continue
        for record in index.by_name(last, first):
            found.setdefault(_identity(record), record)
    return list(found.values())


def screen_business(index: LeieIndex, name: str) -> list[LeieRecord]:
    """Active exclusions of entities whose business name matches ``name``."""
    return index.by_business(name)


def _identity(record: LeieRecord) -> tuple[Any, ...]:
    return (record.last_name, record.first_name, record.business_name, record.npi, record.dob,
            record.exclusion_date, record.exclusion_type)


def _unique(records: Iterable[LeieRecord]) -> tuple[LeieRecord, ...]:
    seen: dict[tuple[Any, ...], LeieRecord] = {}
    for r in records:
        seen.setdefault(_identity(r), r)
    return tuple(seen.values())


def fetch(keys: Sequence[ProfileKeys], use_cache: bool) -> tuple[dict[str, Any], str | None]:
    """Screen every NPI and party name of every profile; ``use_cache`` is irrelevant (the index is local)."""
    from .leie import LeieIndex, NoIndexError

    try:
        index = LeieIndex()
    except NoIndexError:
        return {}, NO_INDEX
    answers: dict[str, Any] = {}
    with index:
        status = index.status()
        for k in keys:
            for npi in k.npis:
                if npi not in answers:
                    answers[npi] = Screened(npi, "npi", _unique(index.by_npi(npi)), status.file_date, status.source)
            names: dict[str, list[LeieRecord]] = {}
            for kind, name in k.names:
                if not name.strip():
                    continue
                hits = screen_business(index, name) if kind == "organization" else screen_person(index, name)
                names.setdefault(name, []).extend(hits)
            for name, hits in names.items():
                previous = answers.get(name)
                merged = (*previous.matches, *hits) if isinstance(previous, Screened) else tuple(hits)
                answers[name] = Screened(name, "name", _unique(merged), status.file_date, status.source)
    return answers, None
