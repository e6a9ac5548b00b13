"""The ``exclusions`` prefetch source: every party of every profile screened against OIG's LEIE and SAM.gov.

:func:`fetch` is registered in :data:`pecoscheck.online.prefetch.SOURCES`.
It answers ``{npi or name: Screened}``: for an NPI, the active exclusions
listing that NPI; for a party's name (as written in the profile), the active
exclusions whose name matches (the rules then keep SAM.gov name matches in
the profile's states). Nothing is sent anywhere: both indexes are local
(``pecoscheck data update leie`` and ``data update sam --file EXTRACT``
build them). Without one of them the source is unavailable (exit code 3)
and the message says which to build.

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
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .leie import IndexStatus, LeieIndex, LeieRecord
    from .prefetch import ProfileKeys
    from .sam import SamIndex, SamIndexStatus, SamRecord

NO_INDEX = "no local copy of the OIG exclusion list: run `pecoscheck data update leie`"
NO_SAM_INDEX = ("no local copy of the SAM.gov exclusions: download the public extract from SAM.gov (Data Services, "
                "Exclusions) and run `pecoscheck data update sam --file EXTRACT.csv`")

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
    sam: tuple[SamRecord, ...] = ()
    leie_status: IndexStatus | None = None
    sam_status: SamIndexStatus | None = None


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


def screen_sam(index: SamIndex, kind: str, name: str) -> list[SamRecord]:
    """Active SAM.gov exclusions whose name matches ``name`` (any state: the rules keep the profile's)."""
    if kind == "organization":
        return index.by_business(name)
    found: dict[tuple[Any, ...], SamRecord] = {}
    for last, first in person_candidates(name):
        if first:
            for r in index.by_person(last, first):
                found.setdefault((r.first, r.last, r.sam_number, r.agency, r.active_date, r.ct_code), r)
    return list(found.values())


def _open_indexes() -> tuple[LeieIndex | None, SamIndex | None, list[str]]:
    from .leie import LeieIndex, NoIndexError
    from .sam import NoSamIndexError, SamIndex

    problems = []
    leie: LeieIndex | None = None
    sam: SamIndex | None = None
    try:
        leie = LeieIndex()
    except NoIndexError as exc:
        problems.append(str(exc) if exc.problem else NO_INDEX)
    try:
        sam = SamIndex()
    except NoSamIndexError as exc:
        problems.append(str(exc) if exc.problem else NO_SAM_INDEX)
    return leie, sam, problems


def fetch(keys: Sequence[ProfileKeys], use_cache: bool) -> tuple[dict[str, Any], str | None]:
    """Screen every NPI and party name of every profile; ``use_cache`` is irrelevant (the indexes are local)."""
    leie, sam, problems = _open_indexes()
    problem = "; ".join(problems) or None
    if leie is None and sam is None:
        return {}, problem
    answers: dict[str, Any] = {}
    try:
        leie_status = leie.status() if leie else None
        sam_status = sam.status() if sam else None
        base = Screened("", "npi", (), list_date=leie_status.file_date if leie_status else None,
                        list_source=leie_status.source if leie_status else "", leie_status=leie_status,
                        sam_status=sam_status)
        for k in keys:
            for npi in k.npis:
                if npi not in answers:
                    answers[npi] = replace(base, key=npi, matches=_unique(leie.by_npi(npi)) if leie else (),
                                           sam=tuple(sam.by_npi(npi)) if sam else ())
            names: dict[str, tuple[list[LeieRecord], list[SamRecord]]] = {}
            for kind, name in k.names:
                if not name.strip():
                    continue
                hits = names.setdefault(name, ([], []))
                if leie:
                    hits[0].extend(screen_business(leie, name) if kind == "organization"
                                   else screen_person(leie, name))
                if sam:
                    hits[1].extend(screen_sam(sam, kind, name))
            for name, (leie_hits, sam_hits) in names.items():
                previous = answers.get(name)
                merged = (*previous.matches, *leie_hits) if isinstance(previous, Screened) else tuple(leie_hits)
                sam_merged = (*previous.sam, *sam_hits) if isinstance(previous, Screened) else tuple(sam_hits)
                answers[name] = replace(base, key=name, how="name", matches=_unique(merged),
                                        sam=tuple(dict.fromkeys(sam_merged)))
    finally:
        if leie:
            leie.close()
        if sam:
            sam.close()
    return answers, problem
