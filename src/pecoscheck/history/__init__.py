"""Unreported changes, found in the repository's history (``pecoscheck changes``, ``validate --history``).

For each profile, the last submitted version is found (the commit that set today's
``enrollment.submitted_on``, or ``since``: a revision, tag or date), the reportable parts are diffed
from it to today's file (commit by commit, so each change has the commit and day it was made), and each
change gets the reporting window of :func:`~pecoscheck.rules.builtin.changes.change_window` /
:func:`~pecoscheck.rules.builtin.changes.change_deadline` (one table of windows, shared with CHG001-006).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..loader import format_path
from .diff import RawChange, reportable_changes
from .git import Repo, read_blobs, read_repo, relative, repo_root, resolve

FETCH_HINT = ("fetch the whole history: `git fetch --unshallow` (GitHub Actions: `fetch-depth: 0` in "
              "actions/checkout)")
_COVERS = {
    "ownership": {"ownership", "managing_control"},
    "officials": {"authorized_official", "managing_control", "ownership"},
    "practice_location": {"practice_location"},
    "name": {"name"},
    "tin": {"other", "name"},
    "bank_account": {"bank_account"},
    "adverse_action": {"adverse_action"},
    "license": {"license", "adverse_action"},
    "reassignment": {"other"},
}


@dataclass(frozen=True, slots=True)
class HistoryChange:
    """One reportable change since the last submission, with its window and whether it is covered."""

    part: str
    what: str
    path: str
    line: int | None
    commit: str  # full sha, or "" for uncommitted work
    subject: str
    committed: date
    day: date  # the day the window counts from (the item's own date, else the commit's)
    window_days: int
    window_rule: str
    basis: str
    due: date  # the earliest due date pecoscheck applies
    regulatory_due: date
    status: str  # covered, pending, late (past a non-regulatory window), overdue
    covered_by: str | None
    days_left: int

    def to_dict(self) -> dict[str, Any]:
        return {"part": self.part, "what": self.what, "path": self.path, "line": self.line,
                "commit": self.commit or None, "subject": self.subject, "committed": self.committed.isoformat(),
                "date": self.day.isoformat(), "window_days": self.window_days, "window_rule": self.window_rule,
                "basis": self.basis, "due": self.due.isoformat(), "regulatory_due": self.regulatory_due.isoformat(),
                "status": self.status, "covered_by": self.covered_by, "days_left": self.days_left}


@dataclass(slots=True)
class ProfileHistory:
    path: str
    changes: list[HistoryChange] = field(default_factory=list)
    baseline: str | None = None  # the commit compared with
    baseline_how: str = ""
    note: str | None = None  # why there is no (complete) answer

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "baseline": self.baseline, "baseline_how": self.baseline_how, "note": self.note,
                "changes": [c.to_dict() for c in self.changes]}


@dataclass(slots=True)
class HistoryRun:
    as_of: date
    profiles: list[ProfileHistory] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "profiles": [p.to_dict() for p in self.profiles]}


@dataclass
class _Version:
    pos: int  # commit position (newest first); -1: the working tree
    blob: str
    data: Any = None


def _chain(repo: Repo, rel: str) -> tuple[list[_Version], bool]:
    """The versions of ``rel`` newest first, following renames, and whether the chain reaches the file's start."""
    import bisect

    out: list[_Version] = []
    path, pos = rel, 0
    while True:
        positions = repo.index.get(path, [])
        i = bisect.bisect_left(positions, pos)
        if i == len(positions):
            return out, False
        at = positions[i]
        entry = next(e for e in repo.entries[at] if e.dst == path)
        if entry.status == "D":
            return out, True
        out.append(_Version(at, entry.blob))
        if entry.status == "A":
            return out, repo.commits[at].sha not in repo.boundary
        if entry.status in "RC" and entry.src != path:
            path = entry.src
        pos = at + 1


def _submitted(data: Any) -> date | None:
    value = data.get("enrollment", {}).get("submitted_on") if isinstance(data, dict) else None
    value = value if isinstance(data, dict) and isinstance(data.get("enrollment"), dict) else None
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def analyze(paths: Sequence[str | os.PathLike[str]], since: str | None = None, as_of: date | None = None,
            exclude: Sequence[str] = ()) -> HistoryRun:
    """The reportable changes of every profile under ``paths`` since its last submission (see the module doc)."""
    from ..engine import discover, display_path

    as_of = as_of or date.today()
    run = HistoryRun(as_of)
    files = discover(paths, exclude)
    repos: dict[Path, Repo] = {}
    roots: dict[Path, Path | None] = {}
    jobs: list[tuple[Path, ProfileHistory, Repo | None, list[_Version], bool]] = []
    for f in files:
        ph = ProfileHistory(display_path(f))
        run.profiles.append(ph)
        folder = f.absolute().parent
        if folder not in roots:  # one git call per folder, not per file
            roots[folder] = repo_root(folder)
        root = roots[folder]
        if root is None:
            ph.note = "not in a git repository: no history to compare with (run `git init` and commit the profile)"
            jobs.append((f, ph, None, [], False))
            continue
        if root not in repos:
            repos[root] = read_repo(root)
        repo = repos[root]
        versions, complete = _chain(repo, relative(root, f))
        if not versions:
            ph.note = ("no history: the file is not committed" if not repo.shallow
                       else f"no history in this shallow clone; {FETCH_HINT}")
        jobs.append((f, ph, repo, versions, complete or not repo.shallow))
    for root, each in repos.items():
        blobs = read_blobs(root, [v.blob for (_, _, r, vs, _) in jobs if r is each for v in vs])
        for _, _, r, vs, _ in jobs:
            if r is each:
                for v in vs:
                    v.data = _loads(blobs.get(v.blob, b""))
    for f, ph, found, versions, complete in jobs:
        if found is not None and versions:
            _profile(f, ph, found, versions, complete, since, as_of)
    return run


def _loads(raw: bytes) -> Any:
    from ..loader import loads

    try:
        return loads(raw.decode("utf-8")).data
    except UnicodeDecodeError:
        return None


def _profile(f: Path, ph: ProfileHistory, repo: Repo, versions: list[_Version], complete: bool,
             since: str | None, as_of: date) -> None:
    from ..loader import load
    from ..validate import to_profile

    loaded = load(f)
    profile = to_profile(loaded.data, loaded.source)[0] if isinstance(loaded.data, dict) else None
    if profile is None:
        ph.note = "today's file cannot be read as a profile; fix it first (see `pecoscheck validate`)"
        return
    source = loaded.source
    today = _Version(-1, "", loaded.data)
    if today.data == versions[0].data:
        chain = [today, *versions[1:]]
        chain[0] = _Version(versions[0].pos, versions[0].blob, today.data)
    else:
        chain = [today, *versions]
    base = _baseline(ph, repo, chain, complete, since, as_of)
    if base is None:
        return
    ph.baseline = repo.commits[chain[base].pos].sha if chain[base].pos >= 0 else None
    base_changes = {(c.get("kind"), str(c.get("effective_date"))) for c in
                    (chain[base].data or {}).get("changes", []) or [] if isinstance(c, dict)}
    for i in range(base - 1, -1, -1):
        v, older = chain[i], chain[i + 1]
        if not isinstance(v.data, dict) or not isinstance(older.data, dict):
            continue
        commit = repo.commits[v.pos] if v.pos >= 0 else None
        committed = commit.day if commit else as_of
        for raw in reportable_changes(older.data, v.data):
            ph.changes.append(_judge(raw, profile, source, today.data, chain[:i + 1], committed, commit, base_changes,
                                     as_of))


def _baseline(ph: ProfileHistory, repo: Repo, chain: list[_Version], complete: bool, since: str | None,
              as_of: date) -> int | None:
    def short_of(note: str) -> None:
        ph.note = note + ("" if complete else f"; the history is cut short (shallow clone): {FETCH_HINT}")

    if since is not None:
        day = _parse_day(since)
        if day is not None:
            hit = next((i for i, v in enumerate(chain) if v.pos >= 0 and repo.commits[v.pos].day <= day), None)
            ph.baseline_how = f"the last version on or before {since}"
        else:
            sha = resolve(since, repo.root)
            if sha is None:
                ph.note = f"`{since}` is not a commit, tag or date here (a shallow clone? {FETCH_HINT})"
                return None
            k = next((n for n, c in enumerate(repo.commits) if c.sha == sha), None)
            if k is None:
                day = None
                ph.note = f"`{since}` is not on the current branch's first-parent history"
                return None
            hit = next((i for i, v in enumerate(chain) if v.pos >= k), None)
            ph.baseline_how = f"the version at {since}"
        if hit is None:
            short_of(f"the file did not exist at {since}")
            return None
        return hit
    hit = next((i for i, v in enumerate(chain) if (s := _submitted(v.data)) is not None and s <= as_of), None)
    if hit is None:
        ph.note = ("never submitted: no version has an `enrollment.submitted_on` on or before the as-of date; "
                   "use --since REV to compare with a version")
        return None
    value = _submitted(chain[hit].data)
    while hit + 1 < len(chain) and _submitted(chain[hit + 1].data) == value:
        hit += 1
    if hit == len(chain) - 1 and not complete:
        ph.note = f"the commit that set submitted_on {value} is older than the fetched history; {FETCH_HINT}"
        return None
    ph.baseline_how = f"the commit that set submitted_on {value}"
    return hit


def _judge(raw: RawChange, profile: Any, source: Any, today: Any, newer: list[_Version], committed: date,
           commit: Any, base_changes: set[tuple[Any, str]], as_of: date) -> HistoryChange:
    from ..model import Change
    from ..rules.builtin.changes import change_deadline, change_window

    day = committed
    own = _parse_day(raw.effective) if raw.effective else None
    if own is not None and own <= committed:
        day = own
    change = Change.model_validate({"kind": raw.kind, "effective_date": day,
                                    "description": raw.description or raw.what})
    window = change_window(profile, change)
    due = change_deadline(profile, change)
    reg_due = day + timedelta(days=window.days)
    covered = _covered(raw, profile, today, newer, day, base_changes, as_of)
    status = "covered" if covered else "overdue" if as_of > reg_due else "late" if as_of > due else "pending"
    line = source.locate(raw.path)[0] if source is not None else None
    return HistoryChange(raw.part, raw.what, format_path(raw.path), line, commit.sha if commit else "",
                         commit.subject if commit else "uncommitted", committed, day, (due - day).days,
                         window.rule if due == reg_due else "CHG006", window.basis, due, reg_due, status, covered,
                         (due - as_of).days)


def _covered(raw: RawChange, profile: Any, today: Any, newer: list[_Version], day: date,
             base_changes: set[tuple[Any, str]], as_of: date) -> str | None:
    kinds = _COVERS.get(raw.part, set())
    for i, c in enumerate(profile.changes):
        if c.kind in kinds and (abs((c.effective_date - day).days) <= 31
                                or (c.kind, c.effective_date.isoformat()) not in base_changes):
            return f"changes[{i}]" + (f" (reported {c.reported_on.isoformat()})" if c.reported_on else
                                      " (not reported yet: see CHG001-CHG006)")
    n = raw.path[1] if len(raw.path) > 1 else None
    if raw.part == "adverse_action" and isinstance(n, int):
        item = profile.adverse_actions[n] if n < len(profile.adverse_actions) else None
        if item is not None and item.reported_on is not None:
            return f"adverse_actions[{n}].reported_on {item.reported_on.isoformat()}"
    for v in newer:
        s = _submitted(v.data)
        if s is not None and day <= s <= as_of:
            return f"the submission of {s.isoformat()}"
    return None


def history_for(files: Sequence[str | os.PathLike[str]], as_of: date, since: str | None = None,
                base: Any = None) -> Any:
    """For the engine: a per-file lookup that adds ``{"history": ProfileHistory}`` to ``base``'s answers."""
    from ..engine import display_path

    run = analyze(files, since, as_of) if files else HistoryRun(as_of)
    by_path = {p.path: p for p in run.profiles}

    def lookup(path: str | os.PathLike[str]) -> dict[str, Any]:
        out: dict[str, Any] = dict(base(path)) if base else {}
        out["history"] = by_path.get(display_path(Path(path)))
        return out

    return lookup


def add_deadlines(run: Any, paths: Sequence[str | os.PathLike[str]], exclude: Sequence[str] = ()) -> None:
    """Add the due dates of changes found in history and not covered to a :class:`~pecoscheck.deadlines.DeadlineRun`."""
    from ..deadlines import Deadline, sort_deadlines

    for p in analyze(paths, None, run.as_of, exclude).profiles:
        for c in p.changes:
            if c.status == "covered":
                continue
            commit = f"commit {c.commit[:10]}" if c.commit else "uncommitted"
            run.deadlines.append(Deadline(
                what=f"Report {c.what} ({c.window_days}-day window; from history, {commit})",
                kind="change_report_due", date=c.due, days_left=c.days_left, rule="HIS002",
                fix="Report the change in PECOS (a change of information) and record it in `changes:` with "
                    "`reported_on`.", profile=p.path, path=c.path, line=c.line))
    run.deadlines = sort_deadlines(run.deadlines)
