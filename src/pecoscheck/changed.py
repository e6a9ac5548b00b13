"""``validate --changed``: only the profiles that git says changed, or whose documents changed.

Changed files are those that differ between a base commit and the working
tree (committed, staged or not), plus untracked files that are not ignored.
The base is the merge base of ``HEAD`` with ``--since REF``; without a ref, the
merge base with the default branch (``origin/HEAD``, else ``main``, else
``master``). When that is ``HEAD`` itself, a branch with no commits of its own
compares with ``HEAD`` (only uncommitted work counts), while the default branch
itself or a detached ``HEAD`` (a CI checkout) compares with ``HEAD~1``, as does a
repository with no default branch; in a repository without commits, every file
counts.

A profile is selected when its own file changed or when one of its
``documents[].file`` (relative to the profile's folder) did.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from .engine import UsageError, discover

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's well-known empty tree
DEFAULT_BRANCHES = ("origin/HEAD", "main", "master")


def _git(args: Sequence[str], cwd: Path, check: bool = True) -> str | None:
    """Output of a git command, or ``None`` when it fails and ``check`` is false."""
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                              errors="surrogateescape", check=False)
    except FileNotFoundError:
        raise UsageError("--changed needs git, and git was not found on PATH") from None
    except OSError as exc:
        raise UsageError(f"--changed: cannot run git: {exc}") from None
    if proc.returncode != 0:
        if check:
            detail = (proc.stderr.strip().splitlines() or ["unknown error"])[-1]
            raise UsageError(f"--changed: `git {' '.join(args)}` failed: {detail}")
        return None
    return proc.stdout


def _commit(ref: str, cwd: Path) -> str | None:
    if ref.startswith("-"):
        return None
    out = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd, check=False)
    return out.strip() if out else None


def _merge_base(a: str, b: str, cwd: Path) -> str | None:
    out = _git(["merge-base", a, b], cwd, check=False)
    return out.strip() if out else None


def repo_root(start: Path) -> Path:
    """The top folder of the git work tree holding ``start``; :class:`UsageError` outside one."""
    folder = start if start.is_dir() else start.parent
    out = _git(["rev-parse", "--show-toplevel"], folder if folder.is_dir() else Path.cwd(), check=False)
    if not out or not out.strip():
        raise UsageError(f"--changed needs a git repository, and {folder.resolve()} is not inside one "
                         "(run `git init`, or drop --changed)")
    return Path(out.strip())


def base_commit(root: Path, since: str | None = None) -> tuple[str, str]:
    """The commit (or tree) to compare the working tree with, and a description of how it was chosen."""
    head = _commit("HEAD", root)
    if since is not None:
        ref = _commit(since, root)
        if ref is None:
            raise UsageError(f"--since: `{since}` is not a commit in this repository "
                             "(in a shallow CI clone, fetch more history: `fetch-depth: 0`)")
        if head is None:
            return ref, since
        base = _merge_base(ref, head, root)
        return (base, f"the merge base of HEAD and {since}") if base else (ref, since)
    if head is None:
        return EMPTY_TREE, "an empty repository"
    current = (_git(["symbolic-ref", "--quiet", "--short", "HEAD"], root, check=False) or "").strip()
    for branch in DEFAULT_BRANCHES:
        ref = _commit(branch, root)
        if ref is None:
            continue
        base = _merge_base(ref, head, root)
        if base and base != head:
            return base, f"the merge base of HEAD and {branch}"
        name = (_git(["rev-parse", "--abbrev-ref", branch], root, check=False) or branch).strip()
        if base == head and current and current != name.removeprefix("origin/"):
            return head, f"HEAD (branch {current} has no commits of its own yet)"
        break
    parent = _commit("HEAD~1", root)
    if parent:
        return parent, "HEAD~1"
    return EMPTY_TREE, "the first commit"


def changed_files(root: Path, base: str) -> set[Path]:
    """Absolute paths of files that differ from ``base`` in the working tree, plus untracked files."""
    diff = _git(["diff", "--name-only", "--no-renames", "-z", base, "--"], root) or ""
    untracked = _git(["ls-files", "--others", "--exclude-standard", "--full-name", "-z"], root) or ""
    names = [n for n in (diff + untracked).split("\0") if n]
    return {_key(root / n) for n in names}


def _key(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _documents(profile: Path) -> list[str]:
    """The ``documents[].file`` values of a profile, read with the strict loader (no check)."""
    from .loader import load

    data = load(profile).data
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        return []
    return [d["file"] for d in data["documents"] if isinstance(d, dict) and isinstance(d.get("file"), str)]


def select_changed(profiles: Sequence[Path], changed: set[Path]) -> list[Path]:
    """The profiles that changed themselves or reference a changed document."""
    out = []
    for p in profiles:
        if _key(p) in changed or any(_key(p.parent / f) in changed for f in _documents(p)):
            out.append(p)
    return out


def changed_profiles(paths: Sequence[str | os.PathLike[str]], exclude: Sequence[str] = (),
                     since: str | None = None) -> tuple[list[Path], str]:
    """Profiles under ``paths`` that changed (see the module docstring), and what they were compared with."""
    first = Path(paths[0]) if paths else Path.cwd()
    root = repo_root(first.absolute() if first.exists() else Path.cwd())
    base, how = base_commit(root, since)
    profiles = discover(paths, exclude)
    return select_changed(profiles, changed_files(root, base)), how


def staged_files(root: Path) -> set[Path]:
    """Absolute paths of files whose staged state differs from ``HEAD``: added, modified or deleted."""
    base = "HEAD" if _commit("HEAD", root) else EMPTY_TREE
    diff = _git(["diff", "--cached", "--name-only", "--no-renames", "-z", base, "--"], root) or ""
    return {_key(root / n) for n in diff.split("\0") if n}


def profiles_of_staged_documents(paths: Sequence[str | os.PathLike[str]],
                                 exclude: Sequence[str] = ()) -> list[Path]:
    """Profiles under ``paths`` that are not staged themselves but reference a staged (or deleted) document.

    pre-commit passes a hook the staged files that still exist, so a profile whose PDF was replaced or
    deleted would never be checked; these are the profiles to add to its file list.
    """
    first = Path(paths[0]) if paths else Path.cwd()
    root = repo_root(first.absolute() if first.exists() else Path.cwd())
    staged = staged_files(root)
    if not staged:
        return []
    return [p for p in discover(paths, exclude)
            if _key(p) not in staged and any(_key(p.parent / f) in staged for f in _documents(p))]
