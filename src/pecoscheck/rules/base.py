"""The rule interface: metadata plus a pure check over a :class:`Context`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from ..findings import Severity
from ..loader import PathKey, SourceMap, parse_path
from ..model import Profile, derived_application

Kind = str  # "individual" | "organization"


class Hit(NamedTuple):
    """What a rule's check yields: a place in the profile and what is wrong there.

    A named tuple (immutable, compared by value): a frozen dataclass cost 0.5 ms of every start to
    generate and three times as long to build, and a run builds one per finding.
    """

    path: PathKey | str
    message: str
    hint: str | None = None
    severity: Severity | None = None
    at_key: bool = False

    @property
    def path_key(self) -> PathKey:
        return parse_path(self.path) if isinstance(self.path, str) else self.path


@dataclass(slots=True)
class Settings:
    """Thresholds and other knobs that rules read (from the config file)."""

    license_expiry_warning_days: int = 60
    revalidation_warning_days: int = 214  # about 7 months
    document_expiry_warning_days: int = 30
    surrogate_expiry_warning_days: int = 30


class Context:
    """What a rule sees: the validated profile and where it came from.

    A plain class (generating a dataclass's methods cost 0.4 ms of every start, and a context is
    never compared or printed).
    """

    def __init__(self, profile: Profile, source: SourceMap, path: Path, as_of: date, settings: Settings | None = None,
                 raw: dict[str, Any] | None = None, root: Path | None = None, online: dict[str, Any] | None = None,
                 text: str = "") -> None:
        self.profile = profile  # None only for rules marked ``raw``, when the profile fails the schema
        self.source = source
        self.path = path
        self.as_of = as_of
        self.settings = settings if settings is not None else Settings()
        self.raw: dict[str, Any] = raw if raw is not None else {}
        self.root = root
        self.online: dict[str, Any] = online if online is not None else {}
        self.text = text  # the profile's text as read, for rules that look at comments

    @property
    def kind(self) -> Kind:
        return self.profile.provider.kind

    @cached_property
    def application(self) -> str:
        return derived_application(self.profile)

    @property
    def action(self) -> str:
        return self.profile.enrollment.action

    @property
    def check_date(self) -> date:
        """The date that date rules measure against: the planned submission, else the as-of date."""
        return self.profile.enrollment.submitted_on or self.as_of

    @property
    def folder(self) -> Path:
        return self.path.parent

    def documents_of(self, *types: str) -> list[tuple[int, Any]]:
        return [(i, d) for i, d in enumerate(self.profile.documents) if d.type in types]

    def has_document(self, *types: str) -> bool:
        return any(d.type in types for d in self.profile.documents)


CheckFn = Callable[[Context], Iterable[Hit]]


class Rule(NamedTuple):
    """One check: a stable id, what it means, where the fact comes from, and the check itself.

    A named tuple (immutable; ``_replace`` for a changed copy): a frozen dataclass cost 0.7 ms of
    every start to define, and each of the ~150 rules was slower to build.
    """

    id: str
    title: str
    severity: Severity
    check: CheckFn
    message: str = ""
    hint: str = ""
    rationale: str = ""
    source: str = ""
    kinds: frozenset[str] = frozenset({"individual", "organization"})
    applications: frozenset[str] = frozenset()
    actions: frozenset[str] = frozenset()
    example_fail: str = ""
    example_pass: str = ""
    origin: str = "builtin"
    online: str | None = None  # "nppes", "pecos" or "exclusions" for rules that need the network
    raw: bool = False  # reads only ctx.raw/source/path, so it also runs when the profile fails the schema

    @property
    def family(self) -> str:
        return self.id.rstrip("0123456789")

    @property
    def verified(self) -> bool:
        """False when the rule's own text says its fact is unverified or known only from third parties."""
        text = f"{self.rationale} {self.source}"
        return "UNVERIFIED" not in text and "third-party" not in text.lower()

    @property
    def precision(self) -> str:
        """SARIF's ``precision``: how far a finding of this rule can be trusted."""
        if not self.verified:
            return "medium"
        return "high" if self.online else "very-high"  # registry rules compare names and addresses loosely

    def applies(self, ctx: Context) -> bool:
        if ctx.profile is None:
            return self.raw
        if ctx.kind not in self.kinds:
            return False
        if self.applications and ctx.application not in self.applications:
            return False
        return not (self.actions and ctx.action not in self.actions)

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "severity": self.severity.value,
            "family": self.family,
            "hint": self.hint,
            "rationale": self.rationale,
            "source": self.source,
            "applies_to": {
                "kinds": sorted(self.kinds),
                "applications": sorted(self.applications),
                "actions": sorted(self.actions),
            },
            "origin": self.origin,
            "online": self.online,
            "verified": self.verified,
        }


BUILTIN: list[Rule] = []


def rule(
    id: str,
    title: str,
    severity: str,
    *,
    hint: str,
    rationale: str,
    source: str,
    kinds: Iterable[str] = ("individual", "organization"),
    applications: Iterable[str] = (),
    actions: Iterable[str] = (),
    example_fail: str = "",
    example_pass: str = "",
    online: str | None = None,
    raw: bool = False,
) -> Callable[[CheckFn], CheckFn]:
    """Declare a built-in rule; the decorated function is its check."""

    def register(fn: CheckFn) -> CheckFn:
        BUILTIN.append(Rule(
            id=id, title=title, severity=Severity(severity), check=fn, hint=hint,
            rationale=" ".join(rationale.split()), source=source, kinds=frozenset(kinds),
            applications=frozenset(applications), actions=frozenset(actions),
            example_fail=example_fail.strip("\n"), example_pass=example_pass.strip("\n"), online=online, raw=raw,
        ))
        return fn

    return register


def enumerate_hits(items: Iterable[Any], base: PathKey) -> Iterator[tuple[PathKey, Any]]:
    for i, item in enumerate(items):
        yield (*base, i), item
