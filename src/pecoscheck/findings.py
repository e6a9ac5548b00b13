"""Findings: what a check says about one place in a profile, and the report of a run."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from .masking import mask_identifiers as mask_identifiers  # re-exported: its home before masking.py

if TYPE_CHECKING:
    from .duplicates import Collector, CrossFinding


def plural(n: int, word: str) -> str:
    """``1 error``, ``0 errors``, ``2 notes``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def count_phrase(counts: Mapping[str, int]) -> str:
    """``1 error, 2 warnings, 0 notes`` from counts keyed by severity value."""
    return ", ".join(plural(counts[k], w) for k, w in (("error", "error"), ("warning", "warning"), ("info", "note")))


class Severity(enum.StrEnum):
    """How much a finding matters. Errors make a profile not ready."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


MAX_MESSAGE = 600


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """Shorten a message that quotes a huge value, keeping its start and end."""
    if len(text) <= limit:
        return text
    keep = (limit - 40) // 2
    return f"{text[:keep]} … [{len(text) - 2 * keep:,} characters] … {text[-keep:]}"


class Finding(NamedTuple):
    """One problem (or note) at one place in one profile.

    A named tuple (immutable, compared by value, ``_replace`` for a changed copy): a frozen dataclass
    cost 0.6 ms of every start to generate and three times as long to build.
    """

    rule: str
    severity: Severity
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None
    hint: str = ""
    suppressed: str | None = None  # the reason given in an inline suppression

    def masked(self) -> Finding:
        """The finding with identifiers masked in its texts, as fits the field it is about."""
        return self._replace(
            message=mask_identifiers(self.message, self.path), hint=mask_identifiers(self.hint, self.path),
            suppressed=None if self.suppressed is None else mask_identifiers(self.suppressed, self.path))

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": mask_identifiers(self.message, self.path),
            "path": mask_identifiers(self.path),  # a key can be an identifier too
            "line": self.line,
            "column": self.column,
            "hint": mask_identifiers(self.hint, self.path),
        }

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.line if self.line is not None else 1 << 30, self.column or 0, self.rule, self.path)


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(_SEVERITY_VALUES, 0)  # iterating the enum costs more than the counting
    for f in findings:
        counts[f.severity.value] += 1
    return counts


_SEVERITY_VALUES = tuple(s.value for s in Severity)


@dataclass(slots=True, weakref_slot=True)
class ProfileResult:
    """Everything pecoscheck found in one profile file."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    strict: bool = False
    provider_name: str | None = None
    npi: str | None = None
    rules_checked: tuple[str, ...] = ()
    draft: bool = False  # marked `# pecoscheck: draft`: reported in full, but does not fail the run
    identifiers: tuple[tuple[str, str, int | None], ...] = ()  # its own NPI, licenses, PTAN: for DUP checks

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    @property
    def ready(self) -> bool:
        return _ready(self.counts, self.strict)

    @property
    def blocking(self) -> bool:
        """Not ready and not a draft: the run fails."""
        return not self.draft and not self.ready


def _ready(counts: dict[str, int], strict: bool) -> bool:
    return counts["error"] == 0 and (not strict or counts["warning"] == 0)


class Tally:
    """Running totals over profiles: everything a summary needs, without holding the profiles."""

    __slots__ = ("by_rule", "counts", "drafts", "profiles", "ready")

    def __init__(self) -> None:
        self.profiles = 0
        self.ready = 0
        self.drafts = 0  # drafts that are not ready
        self.counts: dict[str, int] = dict.fromkeys(_SEVERITY_VALUES, 0)
        self.by_rule: Counter[tuple[str, Severity]] = Counter()

    def add(self, profile: ProfileResult) -> None:
        counts = profile.counts
        self.profiles += 1
        ready = _ready(counts, profile.strict)
        self.ready += ready
        self.drafts += profile.draft and not ready
        for key, n in counts.items():
            self.counts[key] += n
        self.by_rule.update((f.rule, f.severity) for f in profile.findings)

    @classmethod
    def of(cls, profiles: Iterable[ProfileResult]) -> Tally:
        tally = cls()
        for p in profiles:
            tally.add(p)
        return tally

    @property
    def summary(self) -> dict[str, int]:
        out = {"profiles": self.profiles, "ready": self.ready, "not_ready": self.profiles - self.ready,
               **self.counts}
        if self.drafts:
            out["drafts"] = self.drafts
        return out


@dataclass(slots=True)
class Report:
    """The result of one run over one or more profiles."""

    as_of: date
    profiles: list[ProfileResult] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)  # online source -> why it could not be reached
    cross: list[CrossFinding] = field(default_factory=list)  # findings across profiles (DUP)

    @property
    def registry_unavailable(self) -> bool:
        return bool(self.unavailable)

    @property
    def summary(self) -> dict[str, int]:
        return _with_cross(Tally.of(self.profiles).summary, self.cross)

    @property
    def ready(self) -> bool:
        return not any(p.blocking for p in self.profiles) and not _cross_blocks(
            self.cross, any(p.strict for p in self.profiles))


def _cross_blocks(cross: Iterable[CrossFinding], strict: bool) -> bool:
    return any(c.severity is Severity.ERROR or (strict and c.severity is Severity.WARNING) for c in cross)


def _with_cross(summary: dict[str, int], cross: list[CrossFinding]) -> dict[str, int]:
    if cross:
        summary["across_profiles"] = len(cross)
    return summary


class Run:
    """A report whose profiles arrive one at a time, for reporters that write as they go.

    Iterate it once; each profile is counted as it passes, so :attr:`tally` (and :attr:`summary`,
    :attr:`ready`) are complete when the iteration ends. What the online sources said is known
    before the first profile.
    """

    __slots__ = ("_cross", "_cross_found", "_results", "as_of", "collector", "not_profiles", "strict", "tally",
                 "unavailable")

    def __init__(self, as_of: date, results: Iterable[ProfileResult], unavailable: dict[str, str] | None = None,
                 collector: Collector | None = None, cross: Any = None):
        self.as_of = as_of
        self.collector = collector
        self._cross = cross  # another run whose cross-profile findings this one reports (a filtered run)
        self.unavailable = dict(unavailable or {})
        self.not_profiles: list[str] = []  # YAML files in the folders walked that are not profiles
        self.tally = Tally()
        self.strict = False
        self._results = iter(results)
        self._cross_found: list[CrossFinding] | None = None  # the collector's findings, once the last profile passed

    @classmethod
    def of(cls, report: Report) -> Run:
        run = cls(report.as_of, report.profiles, report.unavailable)
        run._cross = report
        return run

    def __iter__(self) -> Iterator[ProfileResult]:
        collector = self.collector
        for result in self._results:
            self.tally.add(result)
            self.strict = self.strict or result.strict
            if collector is not None and result.identifiers:
                collector.add(result.path, result.identifiers)
            yield result
        if collector is not None:
            self._cross_found = list(collector.findings())

    @property
    def cross(self) -> list[CrossFinding]:
        """Findings across profiles (complete once the iteration ends)."""
        if self._cross is not None:
            return list(self._cross.cross)
        if self._cross_found is not None:
            return list(self._cross_found)
        return list(self.collector.findings()) if self.collector is not None else []

    @property
    def registry_unavailable(self) -> bool:
        return bool(self.unavailable)

    @property
    def summary(self) -> dict[str, int]:
        return _with_cross(self.tally.summary, self.cross)

    @property
    def ready(self) -> bool:
        return (self.tally.ready + self.tally.drafts == self.tally.profiles
                and not _cross_blocks(self.cross, self.strict))
