"""Git access for history: one ``git log`` pass for the whole repository and one ``cat-file --batch``.

Commands used (git's command line, no library):

- ``git rev-parse --show-toplevel`` / ``--is-shallow-repository`` / ``--verify REV^{commit}``
- ``git log --first-parent --diff-merges=first-parent -M --raw -z --no-abbrev --format=...`` over
  every ``*.yaml``/``*.yml`` of the repository: each commit of the current branch with the blobs it wrote
- ``git cat-file --batch``: the text of every needed blob, all through one process
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..changed import _git

_PATHSPECS = (":(glob)**/*.yaml", ":(glob)**/*.yml")


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    day: date  # the author's local date
    subject: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One file a commit wrote: status (A, M, R, C, D, T), the path before and after, the new blob."""

    status: str
    src: str
    dst: str
    blob: str


@dataclass
class Repo:
    root: Path
    shallow: bool
    commits: list[Commit]  # newest first, first-parent chain of HEAD
    entries: list[list[Entry]]  # per commit, what it wrote
    index: dict[str, list[int]]  # dst path -> commit positions (newest first)
    boundary: frozenset[str] = frozenset()  # a shallow clone's cut-off commits (their "additions" are not)


def repo_root(start: Path) -> Path | None:
    folder = start if start.is_dir() else start.parent
    out = _git(["rev-parse", "--show-toplevel"], folder if folder.is_dir() else Path.cwd(), check=False)
    return Path(out.strip()) if out and out.strip() else None


def resolve(rev: str, root: Path) -> str | None:
    if rev.startswith("-"):
        return None
    out = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root, check=False)
    return out.strip() if out else None


def read_repo(root: Path) -> Repo:
    """The history of every profile-shaped file on HEAD's first-parent chain, in one git call."""
    shallow = (_git(["rev-parse", "--is-shallow-repository"], root, check=False) or "").strip() == "true"
    commits: list[Commit] = []
    entries: list[list[Entry]] = []
    if resolve("HEAD", root) is None:
        return Repo(root, shallow, commits, entries, {})
    out = _git(["log", "--first-parent", "--diff-merges=first-parent", "-M", "--raw", "-z", "--no-abbrev",
                "--format=%x1e%H%x1f%ad%x1f%s", "--date=short", "HEAD", "--", *_PATHSPECS], root) or ""
    for record in out.split("\x1e")[1:]:
        header, _, rest = record.partition("\x00")
        sha, day, subject = ([*header.split("\x1f"), "", ""])[:3]
        commits.append(Commit(sha, date.fromisoformat(day.strip()), subject.strip()))
        entries.append(_parse_raw(rest))
    index: dict[str, list[int]] = {}
    for pos, written in enumerate(entries):
        for e in written:
            index.setdefault(e.dst, []).append(pos)
    return Repo(root, shallow, commits, entries, index, _boundary(root) if shallow else frozenset())


def _boundary(root: Path) -> frozenset[str]:
    name = (_git(["rev-parse", "--git-path", "shallow"], root, check=False) or "").strip()
    try:
        return frozenset((root / name).read_text("ascii").split()) if name else frozenset()
    except OSError:
        return frozenset()


def _parse_raw(text: str) -> list[Entry]:
    fields = list(text.lstrip("\n").split("\x00"))
    out: list[Entry] = []
    i = 0
    while i < len(fields):
        meta = fields[i].strip("\n")
        if not meta.startswith(":"):
            i += 1
            continue
        parts = meta[1:].split()
        status = parts[4][0]
        if status in "RC":
            src, dst = fields[i + 1], fields[i + 2]
            i += 3
        else:
            src = dst = fields[i + 1]
            i += 2
        out.append(Entry(status, src, dst, parts[3]))
    return out


def read_blobs(root: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """The contents of ``blobs``, all through one ``git cat-file --batch``."""
    wanted = list(dict.fromkeys(blobs))
    if not wanted:
        return {}
    proc = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input="\n".join(wanted).encode() + b"\n",
                          capture_output=True, check=False)
    data, out, pos = proc.stdout, {}, 0
    for sha in wanted:
        end = data.index(b"\n", pos)
        head = data[pos:end].split()
        pos = end + 1
        if len(head) < 3 or head[1] == b"missing":
            continue
        size = int(head[2])
        out[sha] = data[pos:pos + size]
        pos += size + 1
    return out


def relative(root: Path, path: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


__all__: Sequence[str] = ("Commit", "Entry", "Repo", "read_blobs", "read_repo", "repo_root", "resolve")
