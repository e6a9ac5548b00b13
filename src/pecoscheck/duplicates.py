"""Checks across the profiles of one run: the same NPI, license or PTAN in two profiles.

Each profile's result carries its own identifiers (a few short tuples, cached with the result); the run
gathers them as results stream past and, after the last profile, reports every value held by more
than one profile. The findings belong to the run, not to a profile: the profiles were already reported
when the last one arrives, so reporters list them in an "across profiles" block and the exit code
counts them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from .findings import Severity
from .loader import PathKey
from .rules.base import Rule

# (kind, value, line) of one identifier a profile holds as its own.
Identifier = tuple[str, str, int | None]

RULES = [
    Rule(id="DUP001", title="Same NPI in two profiles", severity=Severity.ERROR, check=lambda ctx: (),
         rationale="An NPI identifies one provider: an individual has one for life, an NPI is never reassigned "
         "to another provider, and an organization's subparts get NPIs of their own. Two profiles with the "
         "same own NPI are one provider entered twice, or a copied profile whose NPI was never changed. A "
         "practitioner's NPI listed in a group's reassignments is not compared: only each profile's "
         "`provider.npi`.",
         source="[S62] NPPES: one NPI per individual for life; [S41] 45 CFR 162.408 (never reassigned; subparts)",
         hint="Keep one profile per provider; if this one was copied as a starter, enter its own NPI from NPPES.",
         origin="repository"),
    Rule(id="DUP002", title="Same license in two profiles", severity=Severity.ERROR, check=lambda ctx: (),
         rationale="The same state and license number in two profiles is a copy-paste error in one of them, or "
         "one practitioner entered twice. pecoscheck's own consistency check: its sources do not say how "
         "boards number licenses, so state and number are compared as written.",
         source="pecoscheck consistency check (no regulatory source found)",
         hint="Copy the license number from the state board's lookup for this practitioner.", origin="repository"),
    Rule(id="DUP003", title="Same PTAN in two profiles", severity=Severity.WARNING, check=lambda ctx: (),
         rationale="A PTAN is issued by the MAC in the approval letter; a provider may hold several (by MAC, "
         "group, locality), but two profiles claiming one PTAN as their own is usually a copied value. A "
         "warning, not an error: pecoscheck's sources do not say a PTAN is never shared, so check the "
         "approval letters.",
         source="[S64] PTAN (Noridian JF/JE: issued per enrollment; several per provider possible)",
         hint="Copy each profile's PTAN from its own MAC approval letter.", origin="repository"),
]
_RULE_OF = {"npi": RULES[0], "license": RULES[1], "ptan": RULES[2]}
RULE_IDS = {kind: rule.id for kind, rule in _RULE_OF.items()}
_LABEL = {"npi": "NPI", "license": "license", "ptan": "PTAN"}
_LINE_BITS = 24  # a packed place: the profile's ordinal above, its line (0: none) below
_LINE_MASK = (1 << _LINE_BITS) - 1


class CrossFinding(NamedTuple):
    """A finding about several profiles: the rule, its message and hint, and each (path, line) involved."""

    rule: str
    severity: Severity
    message: str
    hint: str
    places: tuple[tuple[str, int | None], ...]


def identifiers(profile: object, locate: Callable[[PathKey], tuple[int | None, int | None]]) -> tuple[Identifier, ...]:
    """The NPI, licenses and PTAN a profile holds as its own, with their lines (``locate(key) -> (line, col)``)."""
    out: list[Identifier] = []
    p = getattr(profile, "provider", None)
    place = locate
    npi = getattr(p, "npi", None)
    if isinstance(npi, str) and npi.strip():
        out.append(("npi", npi.strip(), place(("provider", "npi"))[0]))
    for i, lic in enumerate(getattr(profile, "licenses", None) or []):
        state, number = getattr(lic, "state", None), getattr(lic, "number", None)
        if isinstance(state, str) and isinstance(number, str) and number.strip():
            value = f"{state.strip().upper()} {number.strip().upper()}"
            out.append(("license", value, place(("licenses", i, "number"))[0]))
    ptan = getattr(getattr(p, "medicare", None), "ptan", None)
    if isinstance(ptan, str) and ptan.strip():
        out.append(("ptan", ptan.strip().upper(), place(("provider", "medicare", "ptan"))[0]))
    return tuple(out)


class Collector:
    """Gathers identifiers as results pass; :meth:`findings` after the last one.

    Kept small, since it grows with the run: each value seen once is a text key and one int (the
    profile's ordinal and the line), and only values seen twice get a list of places.
    """

    __slots__ = ("_first", "_many", "_paths", "enabled")

    def __init__(self, enabled: dict[str, Severity] | None = None) -> None:
        self.enabled = enabled if enabled is not None else {r.id: r.severity for r in RULES}
        self._paths: list[str] = []
        self._first: dict[str, int] = {}
        self._many: dict[str, list[int]] = {}

    def add(self, path: str, ids: Iterable[Identifier]) -> None:
        ordinal = -1
        for kind, value, line in ids:
            if _RULE_OF[kind].id not in self.enabled:
                continue
            if ordinal < 0:
                ordinal = len(self._paths)
                self._paths.append(path)
            key = f"{kind}\0{value}"
            place = ordinal << _LINE_BITS | min(line if line is not None else 0, _LINE_MASK)
            first = self._first.setdefault(key, place)
            if first != place and first >> _LINE_BITS != ordinal:
                many = self._many.setdefault(key, [first])
                if many[-1] >> _LINE_BITS != ordinal:
                    many.append(place)

    def _place(self, packed: int) -> tuple[str, int | None]:
        return self._paths[packed >> _LINE_BITS], (packed & _LINE_MASK) or None

    def findings(self) -> Iterator[CrossFinding]:
        split = [(key.split("\0", 1), packed) for key, packed in self._many.items()]
        for (kind, value), packed in sorted(split, key=lambda kv: (_RULE_OF[kv[0][0]].id, kv[0][1])):
            places = [self._place(p) for p in packed]
            rule = _RULE_OF[kind]
            names = ", ".join(p for p, _ in places)
            yield CrossFinding(rule.id, self.enabled[rule.id],
                               f"{_LABEL[kind]} {value} is in {len(places)} profiles: {names}", rule.hint,
                               tuple(places))
