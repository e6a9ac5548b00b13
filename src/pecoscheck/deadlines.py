"""What is due when: every dated obligation in a profile, as :class:`Deadline` items. No printing.

One item per date that a rule measures against:

========================  =========================================  ===================================
kind                      date                                       rule that fires once it has passed
========================  =========================================  ===================================
``license_expires``       ``licenses[i].expires``                    LIC001 (organizations: LIC006)
``dea_expires``           ``documents[i].expires`` (DEA)             DOC018
``document_expires``      ``documents[i].expires`` (any other type)  DOC018
``surrogate_expires``     ``surrogates[i].expires`` (approved)       SUR007
``revalidation_due``      ``provider.medicare.revalidation_due``     REV001
``revalidation_window``   7 months before the due date               REV002 fires *before* it (a start)
``change_report_due``     ``changes[i].effective_date`` + window     CHG001-CHG006 (as the rules decide)
========================  =========================================  ===================================

The dates come from the rule modules themselves (:func:`~pecoscheck.rules.builtin.revalidation.
revalidation_window_opens`, :func:`~pecoscheck.rules.builtin.changes.change_deadline` and
:func:`~pecoscheck.rules.builtin.changes.change_window`), so the deadline view and the rules never disagree.

A revalidation due date of ``TBD`` has no date: it becomes an :class:`Undated` note (shown in JSON and the
HTML report, not in the table, CSV or calendar). Reassignment effective dates are not deadlines: the only
rule that reads them (REA006) compares them with the submission date, and nothing falls due on them.

The rules measure most dates against ``enrollment.submitted_on`` (else the as-of date); the deadline view
counts days from the as-of date, so it shows what will fire once the date has passed whatever the plan.
LIC001 applies to individuals' licenses for practice states; once an organization's license has passed
its expiry date while still marked active, LIC006 fires (an error for a practice state, else a warning).

``date`` is the last day on which the obligation is still met (a license expiring 2028-05-31 is valid
that day; a change due by 2026-10-15 may be reported that day); ``days_left`` counts from the as-of date
and is negative once the date has passed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .loader import PathKey, SourceMap, format_path, load
from .masking import mask_identifiers
from .model import Profile
from .rules.builtin.changes import change_deadline, change_window
from .rules.builtin.revalidation import revalidation_window_opens

LICENSE_RULE = "LIC001"  # individuals; organizations' licenses: ORG_LICENSE_RULE
ORG_LICENSE_RULE = "LIC006"  # LIC001 is for individuals (see the module doc)
DEA_RULE = "DOC018"
DOCUMENT_RULE = "DOC018"
SURROGATE_RULE = "SUR007"
REVALIDATION_RULE = "REV001"
WINDOW_RULE = "REV002"

KINDS = ("license_expires", "dea_expires", "document_expires", "surrogate_expires", "revalidation_due",
         "revalidation_window", "change_report_due")
START_KINDS = frozenset({"revalidation_window"})  # dates that open something rather than close it

_DOC_NAMES = {
    "accreditation": "Accreditation",
    "board_certification": "Board certification",
    "clia_certificate": "CLIA certificate",
    "dea_certificate": "DEA registration",
    "liability_insurance": "Liability insurance",
    "national_certification": "National certification",
    "state_license": "State license copy",
    "surety_bond": "Surety bond",
    "cdc_recognition": "CDC DPRP recognition",
}


@dataclass(frozen=True, slots=True)
class Deadline:
    """One dated obligation of one profile."""

    what: str  # human text, e.g. "License CA A12345 expires"
    kind: str  # one of KINDS
    date: date
    days_left: int  # negative: the date has passed
    rule: str  # the rule that fires once the date has passed (REV002: fires before a window opens)
    fix: str  # what to do about it
    profile: str  # the profile's display path
    path: str  # where the date lives in the profile, e.g. ``licenses[0].expires``
    provider: str | None = None
    npi: str | None = None
    line: int | None = None

    @property
    def is_start(self) -> bool:
        """The date opens a window (nothing is overdue after it)."""
        return self.kind in START_KINDS

    @property
    def overdue(self) -> bool:
        return self.days_left < 0 and not self.is_start

    @property
    def status(self) -> str:
        if self.is_start:
            return "open" if self.days_left <= 0 else "opens"
        if self.days_left < 0:
            return "overdue"
        return "due today" if self.days_left == 0 else "upcoming"

    @property
    def uid(self) -> str:
        """A stable id from the profile path and the item (for calendar UIDs): same item, same id."""
        digest = hashlib.sha256(f"{self.profile}\0{self.path}\0{self.kind}\0{self.rule}".encode()).hexdigest()
        return f"{digest[:32]}@pecoscheck"

    def sort_key(self) -> tuple[Any, ...]:
        return (0 if self.overdue else 1, self.date, self.profile, self.path, self.kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "days_left": self.days_left,
            "status": self.status,
            "overdue": self.overdue,
            "kind": self.kind,
            "what": mask_identifiers(self.what, self.path),
            "rule": self.rule,
            "fix": mask_identifiers(self.fix, self.path),
            "profile": self.profile,
            "provider": mask_identifiers(self.provider) if self.provider else None,
            "npi": self.npi,
            "path": self.path,
            "line": self.line,
            "uid": self.uid,
        }


@dataclass(frozen=True, slots=True)
class Undated:
    """An obligation that has no date yet (a revalidation due date of ``TBD``)."""

    what: str
    kind: str
    profile: str
    path: str
    note: str
    provider: str | None = None
    npi: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "what": mask_identifiers(self.what, self.path),
                "note": mask_identifiers(self.note, self.path), "profile": self.profile,
                "provider": mask_identifiers(self.provider) if self.provider else None, "npi": self.npi,
                "path": self.path, "line": self.line}


@dataclass(slots=True)
class ProfileDeadlines:
    """The dated and undated obligations of one profile."""

    profile: str
    deadlines: list[Deadline] = field(default_factory=list)
    undated: list[Undated] = field(default_factory=list)


@dataclass(slots=True)
class DeadlineRun:
    """Deadlines of several profiles, sorted; profiles that could not be read are in ``skipped``."""

    as_of: date
    deadlines: list[Deadline] = field(default_factory=list)
    undated: list[Undated] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (display path, why)

    def within(self, days: int | None) -> list[Deadline]:
        """Items due within ``days`` of the as-of date; overdue (and open) items are always included."""
        return select_within(self.deadlines, days)


def provider_name(profile: Profile) -> str | None:
    p = profile.provider
    if p.legal_name:
        return p.legal_name
    if p.name:
        return " ".join(x for x in (p.name.first, p.name.last) if x) or None
    return None


def sort_deadlines(items: Iterable[Deadline]) -> list[Deadline]:
    """Overdue first (oldest first), then the rest by date."""
    return sorted(items, key=Deadline.sort_key)


def select_within(items: Iterable[Deadline], days: int | None) -> list[Deadline]:
    return sort_deadlines(d for d in items if days is None or d.days_left <= days)


def _display(path: str | os.PathLike[str]) -> str:
    from .engine import display_path

    return display_path(Path(path))


def profile_deadlines(profile: Profile, path: str | os.PathLike[str], as_of: date, *,
                      display: str | None = None, source: SourceMap | None = None) -> ProfileDeadlines:
    """Every dated obligation of ``profile`` (read from ``path``), measured from ``as_of``."""
    shown = display or _display(path)
    name = provider_name(profile)
    npi = profile.provider.npi
    out = ProfileDeadlines(shown)

    def line_of(key: PathKey) -> int | None:
        return source.locate(key)[0] if source is not None else None

    def add(what: str, kind: str, when: date, rule: str, fix: str, key: PathKey) -> None:
        out.deadlines.append(Deadline(what=what, kind=kind, date=when, days_left=(when - as_of).days, rule=rule,
                                      fix=fix, profile=shown, path=format_path(key), provider=name, npi=npi,
                                      line=line_of(key)))

    for i, lic in enumerate(profile.licenses):
        if lic.expires is None:
            continue
        add(f"License {lic.state} {lic.number} expires", "license_expires", lic.expires,
            LICENSE_RULE if profile.provider.kind == "individual" else ORG_LICENSE_RULE,
            f"Renew the {lic.state} license before it expires and record the new date in "
            f"`licenses[{i}].expires`; an expired license blocks enrollment.", ("licenses", i, "expires"))

    for i, doc in enumerate(profile.documents):
        if doc.expires is None:
            continue
        label = _DOC_NAMES.get(doc.type, doc.type.replace("_", " ").capitalize())
        about = f" {doc.refers_to}" if doc.refers_to else ""
        key: PathKey = ("documents", i, "expires")
        if doc.type == "dea_certificate":
            add(f"DEA registration{about} expires", "dea_expires", doc.expires, DEA_RULE,
                f"Renew the DEA registration, attach the new certificate (now {doc.file}) and update "
                f"`documents[{i}].expires`.", key)
        else:
            add(f"{label}{about} expires", "document_expires", doc.expires, DOCUMENT_RULE,
                f"Renew the {label.lower()}, attach the new document (now {doc.file}) and update "
                f"`documents[{i}].expires`.", key)

    for i, sur in enumerate(profile.surrogates):
        if sur.expires is None or sur.status != "approved":
            continue
        who = sur.name + (f" ({sur.organization})" if sur.organization else "")
        add(f"Surrogate approval for {who} expires", "surrogate_expires", sur.expires, SURROGATE_RULE,
            "Renew the I&A connection (the provider or an authorized official approves it again) and update "
            f"`surrogates[{i}].expires`.", ("surrogates", i, "expires"))

    _revalidation(profile, as_of, add, out, shown, name, npi, line_of)

    for i, change in enumerate(profile.changes):
        if change.reported_on is not None:
            continue
        _change(profile, i, change, add)

    out.deadlines = sort_deadlines(out.deadlines)
    return out


def _revalidation(profile: Profile, as_of: date, add: Any, out: ProfileDeadlines, shown: str,
                  name: str | None, npi: str, line_of: Any) -> None:
    m = profile.provider.medicare
    due = m.revalidation_due if m else None
    key: PathKey = ("provider", "medicare", "revalidation_due")
    # REV001 does not apply to these (see rules/builtin/revalidation.py): the due date obliges nothing.
    if (due is None or (m is not None and m.status in ("deactivated", "revoked"))
            or profile.enrollment.action in ("reactivation", "voluntary_termination")):
        return
    if due == "TBD":
        out.undated.append(Undated(
            what="Revalidation due date", kind="revalidation_due", profile=shown, path=format_path(key),
            note="CMS lists the due date as TBD: no revalidation is due yet, and one filed now is returned "
                 "(REV002). Check the Revalidation Due Date List every two months.",
            provider=name, npi=npi, line=line_of(key)))
        return
    if not isinstance(due, date):
        return
    opens = revalidation_window_opens(due)
    if due >= as_of:  # once the due date has passed, only the overdue due date matters
        add(f"Revalidation window opens (due {due.isoformat()})", "revalidation_window", opens, WINDOW_RULE,
            "From this date the revalidation may be filed; one filed earlier is returned as unsolicited.", key)
    add("Revalidation due", "revalidation_due", due, REVALIDATION_RULE,
        "File the full revalidation in PECOS before this date; after it the enrollment is stayed, then "
        "deactivated.", key)


def _change(profile: Profile, i: int, change: Any, add: Any) -> None:
    key: PathKey = ("changes", i, "reported_on")
    what = f"{change.kind.replace('_', ' ')} change of {change.effective_date.isoformat()}"
    earliest = change_deadline(profile, change)
    regulatory = change_window(profile, change)
    reg_date = change.effective_date + timedelta(days=regulatory.days)
    fix = (f"Report the change in PECOS (a change of information) and record the date in "
           f"`changes[{i}].reported_on`.")
    if earliest != reg_date:
        # a shorter, non-regulatory window (CHG006, practice locations of institutional providers) comes first
        add(f"Report {what} ({(earliest - change.effective_date).days}-day window)", "change_report_due",
            earliest, "CHG006", fix, key)
    add(f"Report {what} ({regulatory.days}-day window)", "change_report_due", reg_date, regulatory.rule,
        fix + f" ({regulatory.basis}.)", key)


def load_profile(path: str | os.PathLike[str]) -> tuple[Profile | None, SourceMap, str | None]:
    """Read one profile file: the model, its source map, and why it could not be read (or ``None``)."""
    from .findings import Severity
    from .validate import to_profile

    loaded = load(path)
    if loaded.data is None:
        first = next((f for f in loaded.findings if f.severity is Severity.ERROR), None)
        return None, loaded.source, mask_identifiers(first.message, first.path) if first else "not a YAML profile"
    if any(f.rule == "YML003" and f.severity is Severity.ERROR for f in loaded.findings):
        return None, loaded.source, "the YAML is refused"
    profile, problems = to_profile(loaded.data, loaded.source)
    if profile is None:
        first = problems[0] if problems else None
        where = f" (line {first.line})" if first and first.line else ""
        return None, loaded.source, (f"does not match the profile format: "
                                     f"{mask_identifiers(first.message, first.path)}{where}" if first
                                     else "does not match the profile format")
    return profile, loaded.source, None


def file_deadlines(path: str | os.PathLike[str], as_of: date,
                   display: str | None = None) -> ProfileDeadlines | str:
    """The deadlines of one profile file, or why it was skipped."""
    profile, source, problem = load_profile(path)
    if profile is None:
        return problem or "could not be read"
    return profile_deadlines(profile, path, as_of, display=display, source=source)


def collect(paths: Sequence[str | os.PathLike[str]], as_of: date, *,
            displays: Sequence[str | None] | None = None) -> DeadlineRun:
    """The deadlines of each file in ``paths`` (files, not folders: see :func:`deadlines_for_paths`)."""
    run = DeadlineRun(as_of)
    names = list(displays) if displays is not None else [None] * len(paths)
    for p, shown in zip(paths, names, strict=True):
        got = file_deadlines(p, as_of, display=shown)
        if isinstance(got, str):
            run.skipped.append((shown or _display(p), mask_identifiers(got)))
            continue
        run.deadlines += got.deadlines
        run.undated += got.undated
    run.deadlines = sort_deadlines(run.deadlines)
    return run


def deadlines_for_paths(paths: Sequence[str | os.PathLike[str]], as_of: date,
                        exclude: Sequence[str] = ()) -> DeadlineRun:
    """Discover profiles like ``validate`` (files as given, folders recursively) and collect their deadlines.

    Raises :class:`~pecoscheck.engine.UsageError` for a missing path or an empty folder.
    """
    from .engine import discover

    return collect(discover(paths, exclude), as_of)


def deadlines_for_report(report: Any) -> DeadlineRun:
    """The deadlines of the profiles of a validation :class:`~pecoscheck.findings.Report` (for reporters).

    Each profile is read again from its path; one that is gone or does not match the format is skipped.
    """
    files = [p.path for p in report.profiles if Path(p.path).is_file()]
    return collect(files, report.as_of, displays=files)
