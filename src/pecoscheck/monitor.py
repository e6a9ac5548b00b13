"""Scheduled re-screening: check profiles with the registries and say what changed since the last run.

:func:`monitor` checks the profiles (with the online sources asked for), compares with the state file
of the previous run and returns a :class:`Changes`: findings that are new or resolved, registry records
whose fields changed, and deadlines that entered their warning window. :func:`save_state` writes the
new state atomically. The state keeps findings as a baseline does (masked messages), a hash per field
of each registry answer (never the values) and the ids of deadlines inside their window; a party's
name is kept only as a hash. A damaged, foreign or newer state file is a
:class:`~pecoscheck.baseline.BaselineError` and is left as it is.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import registry_answers
from .baseline import BaselineError, BaselineTally, Comparison, Entry, compare, entries_from, read_document
from .deadlines import Deadline, collect
from .engine import Options, RuleSet, discover_names, display_path, iter_results
from .findings import ProfileResult, Report
from .rules.base import Settings

FORMAT = "pecoscheck-monitor-state"
VERSION = 1
CHANGE_WARNING_DAYS = 30  # change reports have no configured window: pecoscheck's choice, not CMS's


def warning_days(kind: str, settings: Settings) -> int:
    """How many days before a deadline of ``kind`` it counts as upcoming (the rules' settings)."""
    return {
        "license_expires": settings.license_expiry_warning_days,
        "dea_expires": settings.document_expiry_warning_days,
        "document_expires": settings.document_expiry_warning_days,
        "surrogate_expires": settings.surrogate_expiry_warning_days,
        "revalidation_due": settings.revalidation_warning_days,
        "revalidation_window": 0,
        "change_report_due": CHANGE_WARNING_DAYS,
    }.get(kind, 0)


@dataclass
class RecordChange:
    """A registry answer whose fields differ from the previous run's."""

    source: str
    key: str  # the NPI, or the party's name as written in the profile
    profiles: list[str]
    fields: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "key": self.key, "profiles": self.profiles, "fields": self.fields}


@dataclass
class State:
    """What a monitoring run leaves for the next one."""

    as_of: str | None = None
    findings: list[Entry] = field(default_factory=list)
    registry: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # source -> key id -> answer
    in_window: dict[str, dict[str, Any]] = field(default_factory=dict)  # deadline uid -> what, date, profile

    def to_document(self) -> dict[str, Any]:
        from ._version import __version__

        findings = sorted(self.findings, key=lambda e: (e.profile, e.rule, e.path, e.fingerprint, e.line or 0))
        return {"format": FORMAT, "version": VERSION, "tool": {"name": "pecoscheck", "version": __version__},
                "as_of": self.as_of, "findings": [e.to_dict() for e in findings],
                "registry": self.registry, "deadlines_in_window": self.in_window}


@dataclass
class Changes:
    """What changed since the previous run (everything is new on a first run)."""

    as_of: date
    first_run: bool
    profiles: int = 0
    new: list[Entry] = field(default_factory=list)
    resolved: list[Entry] = field(default_factory=list)
    still_present: int = 0
    records: list[RecordChange] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)
    since: str | None = None
    state: State = field(default_factory=State)
    report: Report | None = None  # this run's results, new findings only (for SARIF)
    comparisons: dict[str, Comparison] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.new or self.resolved or self.records or self.deadlines)

    def baseline_tally(self, file: str) -> BaselineTally:
        """The comparison in the shape the reporters read (``ctx.extra["baseline"]``)."""
        return BaselineTally(file=file, new=len(self.new), unchanged=self.still_present,
                             resolved=len(self.resolved), comparisons=self.comparisons)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(), "since": self.since, "first_run": self.first_run,
            "profiles": self.profiles, "changed": self.changed,
            "summary": {"new": len(self.new), "resolved": len(self.resolved), "still_present": self.still_present,
                        "records_changed": len(self.records), "deadlines_entered_window": len(self.deadlines)},
            "new": [e.to_dict() for e in self.new],
            "resolved": [e.to_dict() for e in self.resolved],
            "records_changed": [r.to_dict() for r in self.records],
            "deadlines_entered_window": [d.to_dict() for d in self.deadlines],
            "unavailable": dict(self.unavailable),
        }


def load_state(path: str | os.PathLike[str]) -> State | None:
    """The previous run's state, ``None`` when there is none yet."""
    doc = read_document(path, FORMAT, VERSION)
    if doc is None:
        return None
    name = os.fspath(path)
    registry, in_window = doc.get("registry", {}), doc.get("deadlines_in_window", {})
    if not isinstance(registry, dict) or not all(isinstance(v, dict) for v in registry.values()) \
            or not isinstance(in_window, dict):
        raise BaselineError(f"{name} is damaged (registry or deadlines are not objects); fix or remove it")
    as_of = doc.get("as_of")
    return State(as_of if isinstance(as_of, str) else None, entries_from(doc, name), registry, in_window)


def save_state(path: str | os.PathLike[str], state: State) -> None:
    """Write the state atomically; a file there that is not a state file is refused."""
    from .util import atomic_write

    load_state(path)  # a file there that is not a usable state is refused, not replaced
    atomic_write(path, json.dumps(state.to_document(), indent=1, ensure_ascii=False) + "\n")


def _key_id(key: str) -> str:
    """NPIs as they are (public); names only as a hash."""
    if key.isdigit() and len(key) == 10:
        return key
    return "name:" + hashlib.sha256(key.encode()).hexdigest()[:16]


def monitor(paths: Sequence[str | os.PathLike[str]], options: Options, previous: State | None,
            jobs: int = 1) -> Changes:
    """Check ``paths`` with ``options.online`` and compare with ``previous`` (``None``: a first run)."""
    files = discover_names(paths, options.exclude)
    ruleset = RuleSet.build(options)
    fetched = registry_answers.prefetch(files, sorted(options.online), options.use_cache) if options.online \
        else None
    results: list[ProfileResult] = list(iter_results(files, options, jobs, ruleset,
                                                     fetched.for_file if fetched else None))
    out = Changes(as_of=options.as_of, first_run=previous is None, profiles=len(results),
                  since=previous.as_of if previous else None,
                  unavailable=dict(fetched.unavailable) if fetched else {})
    before: dict[str, list[Entry]] = {}
    for e in previous.findings if previous else []:
        before.setdefault(e.profile, []).append(e)
    for r in results:
        entries = [Entry.of(r.path, f) for f in r.findings]
        out.state.findings += entries
        cmp = compare(r.path, r.findings, before.get(r.path, ()))
        out.comparisons[r.path] = cmp
        out.new += [Entry.of(r.path, f) for f in cmp.new]
        out.resolved += cmp.absent
        out.still_present += len(cmp.unchanged)
        r.findings = cmp.new
    out.report = Report(as_of=options.as_of, profiles=results, unavailable=dict(out.unavailable))
    if fetched is not None:
        _compare_registry(fetched, files, previous, out)
    _compare_deadlines(files, options, previous, out)
    out.state.as_of = options.as_of.isoformat()
    return out


def _compare_registry(fetched: Any, files: list[str], previous: State | None, out: Changes) -> None:
    concerns: dict[str, list[str]] = {}
    for f in files:
        k = fetched.keys.get(os.fspath(f))
        for key in ([*k.npis, *(n for _, n in k.names)] if k else []):
            concerns.setdefault(key, []).append(display_path(Path(f)))
    old = previous.registry if previous else {}
    for source, answers in sorted(fetched.answers.items()):
        kept = out.state.registry.setdefault(source, {})
        for key, answer in sorted(answers.items()):
            kid = _key_id(key)
            was = old.get(source, {}).get(kid)
            if not registry_answers.usable(answer):
                if was is not None:
                    kept[kid] = was  # nothing learnt: keep what the last good answer said
                continue
            fields = registry_answers.field_hashes(answer)
            kept[kid] = {"fingerprint": registry_answers.digest(fields), "fields": fields}
            if previous is None or not isinstance(was, dict) or was.get("fingerprint") == kept[kid]["fingerprint"]:
                continue
            raw = was.get("fields")
            before: dict[str, Any] = raw if isinstance(raw, dict) else {}
            changed = sorted(p for p in set(fields) | set(before) if fields.get(p) != before.get(p))
            out.records.append(RecordChange(source, key, sorted(set(concerns.get(key, []))), changed))


def _compare_deadlines(files: list[str], options: Options, previous: State | None, out: Changes) -> None:
    run = collect(files, options.as_of, displays=[display_path(Path(f)) for f in files])
    old = previous.in_window if previous else {}
    for d in run.deadlines:
        if d.days_left > warning_days(d.kind, options.settings):
            continue
        out.state.in_window[d.uid] = {"what": d.to_dict()["what"], "date": d.date.isoformat(), "profile": d.profile}
        if d.uid not in old:
            out.deadlines.append(d)
