"""Baselines: the findings of an earlier run, to report only what is new since then.

A finding is keyed by its profile's display path, its rule, its field path and a fingerprint of
its masked message with every number replaced (so a day count or a line number moving does not
make it new), never by its line. Findings with the same key are matched by count. The file is
JSON (``{"format": "pecoscheck-baseline", "version": 1, ...}``); a damaged, foreign or newer file
is a :class:`BaselineError` and is never overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .errors import PecosCheckError
from .findings import Finding, ProfileResult, Run, mask_identifiers

FORMAT = "pecoscheck-baseline"
VERSION = 1
_NUMBER = re.compile(r"\d+")

Key = tuple[str, str, str, str]  # (profile, rule, path, fingerprint)


class BaselineError(PecosCheckError):
    """A baseline or state file cannot be used (exit 2)."""


def fingerprint(finding: Finding) -> str:
    """A short hash of the rule, the field path and the masked message with its numbers blanked."""
    text = _NUMBER.sub("#", mask_identifiers(finding.message, finding.path))  # as reports (and the cache) mask it
    raw = f"{finding.rule}\0{mask_identifiers(finding.path)}\0{text}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Entry:
    """One finding as a baseline keeps it (message masked; line only for display)."""

    profile: str
    rule: str
    path: str
    fingerprint: str
    severity: str
    message: str
    line: int | None = None

    @property
    def key(self) -> Key:
        return (self.profile, self.rule, self.path, self.fingerprint)

    @classmethod
    def of(cls, profile: str, f: Finding) -> Entry:
        return cls(profile, f.rule, mask_identifiers(f.path), fingerprint(f), f.severity.value,
                   mask_identifiers(f.message, f.path), f.line)

    def to_dict(self) -> dict[str, Any]:
        return {"profile": self.profile, "rule": self.rule, "path": self.path, "fingerprint": self.fingerprint,
                "severity": self.severity, "message": self.message, "line": self.line}

    @classmethod
    def from_dict(cls, data: Any) -> Entry:
        if not isinstance(data, dict):
            raise ValueError("a finding is not an object")
        line = data.get("line")
        names = ("profile", "rule", "path", "fingerprint", "severity", "message")
        values = [data.get(k) for k in names]
        if not all(isinstance(v, str) for v in values) or not (line is None or isinstance(line, int)):
            raise ValueError("a finding lacks profile, rule, path, fingerprint, severity or message")
        profile, rule, path, fp, severity, message = (str(v) for v in values)
        return cls(profile, rule, path, fp, severity, message, line)


def entries_of(result: ProfileResult) -> list[Entry]:
    return [Entry.of(result.path, f) for f in result.findings]


def read_document(path: str | os.PathLike[str], kind: str, version: int) -> dict[str, Any] | None:
    """The JSON document of a pecoscheck ``kind`` file, or ``None`` when there is no file.

    Anything else there (not JSON, another tool's file, a newer version) is a :class:`BaselineError`.
    """
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read {name}: {exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{name} is damaged (not JSON: {exc.msg} at line {exc.lineno}); fix or remove it") from None
    if not isinstance(doc, dict) or doc.get("format") != kind:
        raise BaselineError(f"{name} is not a {kind} file; use another file name (it was left as it is)")
    found = doc.get("version")
    if not isinstance(found, int) or found < 1:
        raise BaselineError(f"{name} is damaged (no valid version); fix or remove it") from None
    if found > version:
        raise BaselineError(f"{name} was written by a newer pecoscheck ({kind} version {found}; this one reads "
                            f"up to {version}); upgrade pecoscheck")
    return doc


@dataclass
class Baseline:
    """The findings of an earlier run."""

    entries: list[Entry] = field(default_factory=list)
    as_of: str | None = None

    def by_profile(self) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = {}
        for e in self.entries:
            out.setdefault(e.profile, []).append(e)
        return out

    def to_document(self) -> dict[str, Any]:
        from ._version import __version__

        ordered = sorted(self.entries, key=lambda e: (e.profile, e.rule, e.path, e.fingerprint, e.line or 0))
        return {"format": FORMAT, "version": VERSION, "tool": {"name": "pecoscheck", "version": __version__},
                "as_of": self.as_of, "findings": [e.to_dict() for e in ordered]}


def entries_from(doc: dict[str, Any], name: str) -> list[Entry]:
    raw = doc.get("findings")
    if not isinstance(raw, list):
        raise BaselineError(f"{name} is damaged (no list of findings); fix or remove it") from None
    try:
        return [Entry.from_dict(item) for item in raw]
    except ValueError as exc:
        raise BaselineError(f"{name} is damaged ({exc}); fix or remove it") from None


def load_baseline(path: str | os.PathLike[str]) -> Baseline:
    """Read a baseline; a missing file is an error too (a typo must not make every finding new)."""
    doc = read_document(path, FORMAT, VERSION)
    if doc is None:
        raise BaselineError(f"baseline not found: {os.fspath(path)} (write one with --write-baseline)")
    as_of = doc.get("as_of")
    return Baseline(entries_from(doc, os.fspath(path)), as_of if isinstance(as_of, str) else None)


def write_baseline(path: str | os.PathLike[str], baseline: Baseline) -> None:
    """Write atomically; an existing file that is not a baseline is refused, not replaced."""
    from .util import atomic_write

    doc = read_document(path, FORMAT, VERSION)
    if doc is not None:
        entries_from(doc, os.fspath(path))  # a damaged file is refused, not replaced
    atomic_write(path, json.dumps(baseline.to_document(), indent=1, ensure_ascii=False) + "\n")


@dataclass
class Comparison:
    """One profile's findings against the baseline: what is new, still there, and gone."""

    new: list[Finding] = field(default_factory=list)
    unchanged: list[Finding] = field(default_factory=list)
    absent: list[Entry] = field(default_factory=list)


def compare(profile: str, findings: Iterable[Finding], before: Iterable[Entry]) -> Comparison:
    """Match findings to the baseline's entries of the same profile by key, by count."""
    left = Counter(e.key for e in before)
    kept: dict[Key, list[Entry]] = {}
    for e in before:
        kept.setdefault(e.key, []).append(e)
    out = Comparison()
    for f in findings:
        key = Entry.of(profile, f).key
        if left[key] > 0:
            left[key] -= 1
            out.unchanged.append(f)
        else:
            out.new.append(f)
    for key, n in left.items():
        if n > 0:
            out.absent.extend(kept[key][-n:])
    return out


@dataclass
class BaselineTally:
    """Totals of a run against a baseline, complete once the run has been read."""

    file: str = ""
    new: int = 0
    unchanged: int = 0
    resolved: int = 0
    comparisons: dict[str, Comparison] = field(default_factory=dict)
    seen: list[Entry] = field(default_factory=list)  # every finding of the run, for --write-baseline

    def summary(self) -> dict[str, Any]:
        return {"file": self.file, "new": self.new, "unchanged": self.unchanged, "resolved": self.resolved}

    def text(self) -> str:
        return (f"baseline {self.file}: {self.new} new, {self.unchanged} still present, "
                f"{self.resolved} resolved")


def apply_baseline(run: Run, baseline: Baseline | None, file: str = "") -> tuple[Run, BaselineTally]:
    """A run whose profiles carry only their new findings, and the tally that fills in as it is read.

    Without a baseline nothing is filtered (the tally still collects every finding, for writing one).
    Exit status and readiness then follow the new findings only.
    """
    from .duplicates import RULES

    repository = {r.id for r in RULES}
    tally = BaselineTally(file=file)
    before = baseline.by_profile() if baseline is not None else None
    cross_before: Counter[Key] | None = None
    if before is not None:
        cross_before = Counter(e.key for es in before.values() for e in es if e.rule in repository)
        before = {p: [e for e in es if e.rule not in repository] for p, es in before.items()}

    def filtered() -> Iterator[ProfileResult]:
        for result in run:
            tally.seen.extend(entries_of(result))
            if before is None:
                yield result
                continue
            cmp = compare(result.path, result.findings, before.get(result.path, ()))
            tally.comparisons[result.path] = cmp
            tally.new += len(cmp.new)
            tally.unchanged += len(cmp.unchanged)
            tally.resolved += len(cmp.absent)
            result.findings = cmp.new
            yield result

    return Run(run.as_of, filtered(), run.unavailable, cross=_CrossFilter(run, tally, cross_before)), tally


class _CrossFilter:
    """The run's findings across profiles, counted in the tally once and kept only when new."""

    def __init__(self, run: Run, tally: BaselineTally, before: Counter[Key] | None) -> None:
        self.run, self.tally, self.before = run, tally, before
        self._kept: list[Any] | None = None

    @property
    def cross(self) -> list[Any]:
        if self._kept is None:
            self._kept = []
            for c in self.run.cross:
                entries = [Entry.of(path, Finding(c.rule, c.severity, c.message, "", line, None, c.hint))
                           for path, line in c.places]
                self.tally.seen.extend(entries)
                if self.before is not None and all(self.before[e.key] > 0 for e in entries):
                    self.tally.unchanged += 1
                    continue
                self.tally.new += self.before is not None
                self._kept.append(c)
        return self._kept


def baseline_of(tally: BaselineTally, as_of: date) -> Baseline:
    return Baseline(list(tally.seen), as_of.isoformat())
