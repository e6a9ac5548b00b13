"""Findings: what a check says about one place in a profile, and the report of a run."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date


class Severity(enum.StrEnum):
    """How much a finding matters. Errors make a profile not ready."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


_TIN_RE = re.compile(r"(?<!\d)(\d{2})-?(\d{3})(\d{4})(?!\d)")
_SSN_RE = re.compile(r"(?<!\d)(\d{3})([-. ])(\d{2})\2(\d{4})(?!\d)")


def mask_identifiers(text: str) -> str:
    """Mask EIN- and SSN-shaped numbers in text: ``12-3456789`` becomes ``12-***6789``.

    Ten-digit NPIs are public and are not touched; a nine-digit run is masked
    as a possible TIN or SSN.
    """
    text = _SSN_RE.sub(lambda m: f"***-**-{m.group(4)}", text)
    return _TIN_RE.sub(lambda m: f"{m.group(1)}-***{m.group(3)}", text)


MAX_MESSAGE = 600


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """Shorten a message that quotes a huge value, keeping its start and end."""
    if len(text) <= limit:
        return text
    keep = (limit - 40) // 2
    return f"{text[:keep]} … [{len(text) - 2 * keep:,} characters] … {text[-keep:]}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem (or note) at one place in one profile."""

    rule: str
    severity: Severity
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None
    hint: str = ""
    suppressed: str | None = None  # the reason given in an inline suppression

    def masked(self) -> Finding:
        return replace(self, message=mask_identifiers(self.message), hint=mask_identifiers(self.hint),
                       suppressed=None if self.suppressed is None else mask_identifiers(self.suppressed))

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": mask_identifiers(self.message),
            "path": mask_identifiers(self.path),  # a key can be an identifier too
            "line": self.line,
            "column": self.column,
            "hint": mask_identifiers(self.hint),
        }

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.line if self.line is not None else 1 << 30, self.column or 0, self.rule, self.path)


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(_SEVERITY_VALUES, 0)  # iterating the enum costs more than the counting
    for f in findings:
        counts[f.severity.value] += 1
    return counts


_SEVERITY_VALUES = tuple(s.value for s in Severity)


@dataclass(slots=True)
class ProfileResult:
    """Everything pecoscheck found in one profile file."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    strict: bool = False
    provider_name: str | None = None
    npi: str | None = None
    rules_checked: tuple[str, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    @property
    def ready(self) -> bool:
        counts = self.counts
        return counts["error"] == 0 and (not self.strict or counts["warning"] == 0)


@dataclass(slots=True)
class Report:
    """The result of one run over one or more profiles."""

    as_of: date
    profiles: list[ProfileResult] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)  # online source -> why it could not be reached

    @property
    def registry_unavailable(self) -> bool:
        return bool(self.unavailable)

    @property
    def summary(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        ready = 0
        for p in self.profiles:
            ready += p.ready
            for k, v in p.counts.items():
                counts[k] += v
        return {
            "profiles": len(self.profiles),
            "ready": ready,
            "not_ready": len(self.profiles) - ready,
            **counts,
        }

    @property
    def ready(self) -> bool:
        return all(p.ready for p in self.profiles)
