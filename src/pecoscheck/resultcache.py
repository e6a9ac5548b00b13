"""The result cache: a profile whose inputs are unchanged is not checked again (as ruff's cache).

One entry file per profile (and per run fingerprint) under ``<cache root>/results``, so a run reads and
writes one small file per profile and memory stays flat however many there are. An entry holds:

* the run fingerprint: pecoscheck's version and sources, Python, PyYAML and pydantic, the rules (code,
  metadata, effective severities), the packs' bytes, the plugins (name, distribution version, module
  file), the options (``--as-of``, strict, select/ignore/extend-select, severity, thresholds);
* the profile's absolute path and the sha256 of its bytes;
* for each document the profile lists: existence, type, size, mtime, ctime and inode of the file, and
  the repository root that document paths are measured against;
* the result itself, as checked, with TIN- and SSN-shaped numbers masked as every report masks them.

A hit needs every part to match. An entry that is unreadable, malformed, of another format or
version, not owned by the user, or group/world-writable is a miss and is overwritten. Runs that ask a
registry (``--nppes``, ``--pecos``, ``--exclusions``) do not use the result cache at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .findings import Finding, ProfileResult, Severity, mask_identifiers

if TYPE_CHECKING:
    from .engine import Options, RuleSet
    from .rules.base import Rule

__all__ = ["ResultCache", "ResultCacheInfo", "clear", "info", "results_dir", "run_fingerprint"]

FORMAT = 2
_SUBDIR = "results"
_SUFFIX = ".json"
_TMP_PREFIX = ".tmp-"
_UNSAFE_MODE = stat.S_IWGRP | stat.S_IWOTH
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_MAX_ENTRY = 8 * 1024 * 1024


@dataclass(frozen=True)
class ResultCacheInfo:
    """What the result cache holds."""

    folder: Path
    entries: int
    bytes: int


def results_dir(root: str | os.PathLike[str] | None = None) -> Path:
    """The folder of result entries: ``results`` below the cache root."""
    if root is None:
        from .online.cache import cache_dir

        root = cache_dir()
    return Path(root) / _SUBDIR


def _owned_safely(st: os.stat_result) -> bool:
    """Owned by this user and not writable by group or others."""
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & _UNSAFE_MODE


def _private_dir(path: Path) -> bool:
    """Make ``path`` (and missing parents) owner-only; True if it is then a folder this user alone controls."""
    missing: list[Path] = []
    probe = path
    while not os.path.lexists(probe):
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and _owned_safely(st)


# --- the run fingerprint ----------------------------------------------------------------------------------


def _tree_signature(folder: Path, digest: Any) -> None:
    """Names, sizes and mtimes of the files below ``folder`` (bytecode excluded)."""
    stack = [str(folder)]
    while stack:
        here = stack.pop()
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name == "__pycache__" or entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    stack.append(entry.path)
                    continue
                st = entry.stat()
            except OSError:
                continue
            digest.update(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


def _pack_bytes(folders: Iterable[str | os.PathLike[str]], digest: Any) -> None:
    for folder in folders:
        digest.update(f"pack-dir\0{os.path.abspath(folder)}\n".encode())
        for path in sorted(Path(folder).glob("*.y*ml")):
            try:
                digest.update(f"{path.name}\0".encode() + path.read_bytes() + b"\0")
            except OSError as exc:
                digest.update(f"{path.name}\0unreadable {exc.errno}\0".encode())


def _plugins(digest: Any) -> None:
    from .entrypoints import entry_points
    from .rules.registry import ENTRY_POINT_GROUP

    for ep in sorted(entry_points(ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value)):
        dist = getattr(ep, "dist", None)
        version = f"{dist.metadata['Name']} {dist.version}" if dist is not None else "?"
        module = sys.modules.get(ep.module)
        where = getattr(module, "__file__", None)
        sig = ""
        if where:
            with contextlib.suppress(OSError):
                st = os.stat(where)
                sig = f"{where}\0{st.st_size}\0{st.st_mtime_ns}"
        digest.update(f"plugin\0{ep.name}\0{ep.value}\0{version}\0{sig}\n".encode())


def _code_text(code: CodeType) -> str:
    consts = [_code_text(c) if isinstance(c, CodeType) else _canonical(c) for c in code.co_consts]
    return f"{code.co_code.hex()}|{','.join(consts)}|{','.join(code.co_names)}"


def _code_digest(fn: object) -> str:
    code = getattr(fn, "__code__", None)
    if not isinstance(code, CodeType):
        return repr(type(fn))
    return hashlib.sha256(_code_text(code).encode()).hexdigest()


def _canonical(value: object) -> str:
    """A repr that does not depend on hash order (sets sorted), for fingerprints."""
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_canonical(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_canonical(k)}:{_canonical(v)}" for k, v in sorted(value.items(), key=repr)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    return repr(value)


def _rule_text(rule: Rule) -> str:
    parts = [f"{name}={_canonical(getattr(rule, name))}" for name in rule._fields if name != "check"]
    check = rule.check
    parts.append(f"{getattr(check, '__module__', '')}.{getattr(check, '__qualname__', '')}:{_code_digest(check)}")
    return f"{type(rule).__module__}.{type(rule).__qualname__}(" + ",".join(parts) + ")"


def run_fingerprint(options: Options, ruleset: RuleSet) -> str:
    """Everything a profile's result depends on besides the profile and its documents, as one digest."""
    import pydantic
    import yaml

    from .rules.registry import builtin_pack_dir

    digest = hashlib.sha256()
    digest.update(f"{FORMAT}\0{__version__}\0{sys.version}\0{yaml.__version__}\0{pydantic.VERSION}\n".encode())
    _tree_signature(Path(__file__).parent, digest)
    _pack_bytes([builtin_pack_dir(), *options.rule_dirs], digest)
    if options.plugins:
        _plugins(digest)
    for rule in ruleset.rules:
        digest.update(_rule_text(rule).encode() + b"\n")
    digest.update(_canonical({k: None if v is None else v.value for k, v in ruleset.severity.items()}).encode())
    digest.update(_canonical(ruleset.registry.document_types).encode())
    digest.update(_canonical((options.as_of.isoformat(), options.strict, options.select, options.ignore,
                              options.extend_select, options.severity, repr(options.settings),
                              options.plugins, options.online, options.drafts)).encode())
    return digest.hexdigest()


# --- entries ----------------------------------------------------------------------------------------------


def _file_signature(path: str) -> list[int] | None:
    """What a document check sees of a file: type, size, times and inode (of the link and its target)."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        return [-1, exc.errno or 0]
    sig = [st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    if stat.S_ISLNK(st.st_mode):
        try:
            target = os.stat(path)
        except OSError as exc:
            return [*sig, -1, exc.errno or 0]
        sig += [target.st_mode, target.st_size, target.st_mtime_ns, target.st_ctime_ns, target.st_ino]
    return sig


def document_files(data: object) -> list[str]:
    """The ``file`` of every document a loaded profile lists."""
    if not isinstance(data, dict):
        return []
    docs = data.get("documents")
    if not isinstance(docs, list):
        return []
    return [d["file"] for d in docs if isinstance(d, dict) and isinstance(d.get("file"), str)]


def _document_state(folder: str, files: list[str]) -> tuple[str | None, list[list[Any]]]:
    if not files:
        return None, []
    from .rules.builtin.documents import _git_root

    root = _git_root(os.path.abspath(folder or "."))
    return root, [[f, _file_signature(os.path.join(folder, f))] for f in files]


def _finding_row(f: Finding) -> list[Any]:
    """A finding as stored: identifiers masked (every reporter masks them anyway, and masking twice is a no-op)."""
    m = f.masked()
    return [m.rule, m.severity.value, m.message, mask_identifiers(m.path), m.line, m.column, m.hint, m.suppressed]


def _finding(row: Any) -> Finding:
    rule, severity, message, path, line, column, hint, suppressed = row
    if not (isinstance(rule, str) and isinstance(message, str) and isinstance(path, str) and isinstance(hint, str)
            and (line is None or type(line) is int) and (column is None or type(column) is int)
            and (suppressed is None or isinstance(suppressed, str))):
        raise ValueError("malformed finding")
    return Finding(rule, Severity(severity), message, path, line, column, hint, suppressed)


def _result(display: str, stored: Any) -> ProfileResult:
    findings, suppressed, strict, name, npi, rules, draft, ids = stored
    identifiers = tuple((str(k), str(v), line if type(line) is int else None) for k, v, line in ids)
    if not (type(strict) is bool and type(draft) is bool
            and all(k in ("npi", "license", "ptan") for k, _, _ in identifiers)
            and (name is None or isinstance(name, str))
            and (npi is None or isinstance(npi, str))
            and isinstance(rules, list)):
        raise ValueError("malformed result")
    checked = tuple(rules)
    known = _RULE_LISTS.get(checked)
    if known is None:  # most profiles share a handful of rule lists: check and keep each once
        if not all(isinstance(r, str) for r in checked):
            raise ValueError("malformed result")
        known = _RULE_LISTS[checked] = checked
    return ProfileResult(display, [_finding(r) for r in findings], [_finding(r) for r in suppressed], strict,
                         name, npi, known, draft, identifiers)


_RULE_LISTS: dict[tuple[str, ...], tuple[str, ...]] = {}


@dataclass(frozen=True)
class _Probe:
    """A profile's identity for the cache, worked out once per lookup."""

    entry: Path
    path: str
    digest: str


@dataclass(frozen=True)
class ResultCache:
    """Results on disk for one run fingerprint; picklable, so ``--jobs`` workers use it too."""

    folder: Path
    fingerprint: str

    @classmethod
    def open(cls, options: Options, ruleset: RuleSet, root: str | os.PathLike[str] | None = None,
             ) -> ResultCache | None:
        """The cache for this run, or ``None`` when it must not be used (registry checks, a foreign folder)."""
        if options.online or not options.use_cache:
            return None
        folder = results_dir(root)
        if not _private_dir(folder):
            return None
        return cls(folder, run_fingerprint(options, ruleset))

    def probe(self, path: str) -> tuple[_Probe, bytes] | None:
        """The profile's entry name and bytes, or ``None`` for anything but a readable regular file."""
        from .loader import MAX_BYTES

        absolute = os.path.abspath(path)
        try:
            st = os.stat(absolute)  # first, so an oversized file or a FIFO is never opened (as the loader does)
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
                return None
            with open(absolute, "rb") as fh:
                raw = fh.read(st.st_size + 1)  # read(n) allocates n bytes: not the size limit every time
        except OSError:
            return None
        if len(raw) != st.st_size:  # changing while we read: check it afresh, cache nothing
            return None
        name = hashlib.sha256(f"{self.fingerprint}\0{absolute}".encode()).hexdigest()
        return _Probe(self.folder / (name + _SUFFIX), absolute, hashlib.sha256(raw).hexdigest()), raw

    def get(self, probe: _Probe, path: str, display: str) -> ProfileResult | None:
        """The stored result if every input still matches, else ``None``."""
        entry = _read_entry(probe.entry)
        if entry is None:
            return None
        try:
            if (entry.get("format") != FORMAT or entry.get("version") != __version__
                    or entry.get("run") != self.fingerprint or entry.get("path") != probe.path
                    or entry.get("digest") != probe.digest):
                return None
            docs = entry["documents"]
            files = [d[0] for d in docs]
            if not all(isinstance(f, str) for f in files):
                return None
            root, now = _document_state(os.path.dirname(path), files)
            if root != entry.get("root") or now != docs:
                return None
            return _result(display, entry["result"])
        except (KeyError, TypeError, ValueError, IndexError):
            return None

    def put(self, probe: _Probe, path: str, data: object, result: ProfileResult) -> None:
        """Store a result (quietly nothing if the disk refuses)."""
        root, docs = _document_state(os.path.dirname(path), document_files(data))
        entry = {
            "format": FORMAT, "version": __version__, "run": self.fingerprint, "path": probe.path,
            "digest": probe.digest, "root": root, "documents": docs,
            "result": [[_finding_row(f) for f in result.findings], [_finding_row(f) for f in result.suppressed],
                       result.strict, result.provider_name, result.npi, list(result.rules_checked),
                       result.draft, [list(i) for i in result.identifiers]],
        }
        _write_entry(probe.entry, json.dumps(entry, separators=(",", ":"), ensure_ascii=False).encode())


def _read_entry(path: Path) -> dict[str, Any] | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _owned_safely(st) or st.st_size > _MAX_ENTRY:
            return None
        raw = os.read(fd, st.st_size + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        entry = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return entry if isinstance(entry, dict) else None


def _write_entry(target: Path, data: bytes) -> None:
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=".part", dir=target.parent)  # mode 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _entry_files(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.name.endswith(_SUFFIX) and not p.name.startswith(_TMP_PREFIX)]
    except OSError:
        return []


def info(root: str | os.PathLike[str] | None = None) -> ResultCacheInfo:
    """The result folder, its number of entries and their size in bytes."""
    folder = results_dir(root)
    entries = size = 0
    for path in _entry_files(folder):
        try:
            size += path.stat().st_size
        except OSError:
            continue
        entries += 1
    return ResultCacheInfo(folder, entries, size)


def clear(root: str | os.PathLike[str] | None = None) -> int:
    """Delete every result entry (and stray temporary files); returns how many entries went."""
    folder = results_dir(root)
    removed = 0
    for path in _entry_files(folder):
        try:
            path.unlink()
        except OSError:
            continue
        removed += 1
    with contextlib.suppress(OSError):
        for stray in folder.glob(f"{_TMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                stray.unlink()
    return removed
