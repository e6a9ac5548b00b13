"""Declarative YAML rule packs: rules written as data, checked without ``eval``.

A pack is a YAML file with a ``rules:`` list. Each rule has an id, title,
severity, message, hint, rationale and source, an optional ``when`` (the
conditions under which it applies) and one ``require`` (what must then be
true). Paths are dotted profile paths; ``[*]`` means every item of a list;
``$application`` is the CMS form the profile files (derived when absent)
and ``$kind`` the provider kind. A ``when`` mapping holds path tests (all must
hold) and optionally ``any_of`` (a list of such mappings, one must hold) and
``not`` (a mapping that must not hold). See the README's "Rule packs" section.

This module evaluates a pack's data; :mod:`.pack_format` defines and validates the file (Pydantic).
A shipped pack whose bytes match its entry in :mod:`.pack_index` is read from there, already
validated, so a run does not build the pack models (about 5 ms of every start).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from ..findings import Severity
from ..loader import PathKey, format_path
from .base import Context, Hit, Rule

INDEX_FORMAT = 1  # the shape of a pack's data in pack_index.py; raise it when the models change
INDEX_NOTE = "written by scripts/make_pack_index.py from the packs' YAML (do not edit)."
_SEGMENT = re.compile(r"([A-Za-z_$][A-Za-z0-9_]*)|\[(\*|\d+)\]")


def parse_path(path: str) -> list[str | int]:
    parts: list[str | int] = []
    pos = 0
    text = path.strip()
    while pos < len(text):
        if text[pos] == ".":
            pos += 1
        m = _SEGMENT.match(text, pos)
        if not m:
            raise ValueError(f"cannot read the path `{path}` at `{text[pos:]}`")
        parts.append(m.group(1) if m.group(1) else ("*" if m.group(2) == "*" else int(m.group(2))))
        pos = m.end()
    if not parts:
        raise ValueError("empty path")
    return parts


@lru_cache(maxsize=4096)
def _parsed(path: str) -> tuple[str | int, ...]:
    """:func:`parse_path`, once per path: rules evaluate the same paths for every profile."""
    return tuple(parse_path(path))


@lru_cache(maxsize=4096)
def _names_only(path: str) -> bool:
    return all(isinstance(p, str) and p != "*" for p in _parsed(path))


def resolve(ctx: Context, path: str) -> Iterator[tuple[PathKey, Any]]:
    """Every (concrete path, value) that ``path`` names in the profile; missing values give ``None``."""
    parts = _parsed(path)
    if parts[0] == "$application":
        yield ("enrollment", "application"), ctx.application
        return
    if parts[0] == "$kind":
        yield ("provider", "kind"), ctx.kind
        return
    if _names_only(path):  # the common case, one value: the same answer without the frontier lists
        value: Any = ctx.profile
        for part in parts:
            value = getattr(value, part, None) if value is not None else None  # type: ignore[arg-type]
        yield parts, value
        return
    frontier: list[tuple[PathKey, Any]] = [((), ctx.profile)]
    for part in parts:
        nxt: list[tuple[PathKey, Any]] = []
        for where, value in frontier:
            if part == "*":
                if isinstance(value, (list, tuple)):
                    nxt.extend(((*where, i), item) for i, item in enumerate(value))
            elif isinstance(part, int):
                ok = isinstance(value, (list, tuple)) and part < len(value)
                nxt.append(((*where, part), value[part] if ok else None))
            else:
                nxt.append(((*where, part), getattr(value, part, None) if value is not None else None))
        frontier = nxt
    yield from frontier


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


class _Test:
    """A test on the value(s) at a path: ``equals``, ``one_of`` (``in``), ``not_in`` (``not``), ``present``."""

    __slots__ = ("equals", "not_in", "one_of", "present")

    def __init__(self, spec: dict[str, Any]) -> None:
        self.equals = spec.get("equals")
        self.one_of = spec.get("one_of")
        self.not_in = spec.get("not_in")
        self.present = spec.get("present")

    def holds(self, value: Any) -> bool:
        if self.present is not None and _empty(value) == self.present:
            return False
        if self.equals is not None and value != self.equals:
            return False
        if self.one_of is not None and value not in self.one_of:
            return False
        return not (self.not_in is not None and value in self.not_in)


class _Condition:
    """A ``when``: path tests that all hold, ``any_of`` alternatives (one holds), ``not`` (does not hold)."""

    __slots__ = ("any_of", "not_", "tests")

    def __init__(self, spec: dict[str, Any]) -> None:
        self.tests = {path: _Test(test) for path, test in spec.get("tests", {}).items()}
        self.any_of = [_Condition(c) for c in spec.get("any_of", ())]
        self.not_ = _Condition(spec["not_"]) if spec.get("not_") is not None else None

    def holds(self, ctx: Context) -> bool:
        for path, test in self.tests.items():
            if not any(test.holds(v) for _, v in resolve(ctx, path)):
                return False
        if self.any_of and not any(c.holds(ctx) for c in self.any_of):
            return False
        return not (self.not_ is not None and self.not_.holds(ctx))


def _check(spec: dict[str, Any], names: dict[str, str]) -> Any:
    (kind, arg), = spec["require"].items()
    when = _Condition(spec.get("when", {}))
    message = spec["message"]

    def named(types: list[str]) -> str:
        return " or ".join(names.get(t, t) for t in types)

    def fmt(template: str, **kw: Any) -> str:
        out = template
        for k, v in kw.items():
            out = out.replace("{" + k + "}", str(v))
        return out

    def check(ctx: Context) -> Iterator[Hit]:
        if not when.holds(ctx):
            return
        base = {"as_of": ctx.check_date.isoformat(), "application": ctx.application, "action": ctx.action}
        if kind == "document":
            if not ctx.has_document(*arg):
                yield Hit(("documents",), fmt(message, types=", ".join(arg), names=named(arg), **base))
        elif kind == "all_documents":
            for item in arg:
                types = [item] if isinstance(item, str) else item
                if not ctx.has_document(*types):
                    yield Hit(("documents",), fmt(message, types=" or ".join(types), names=named(types), **base))
        elif kind == "present":
            for where, value in resolve(ctx, arg):
                if _empty(value):
                    yield Hit(where, fmt(message, path=format_path(where), **base))
        elif kind == "absent":
            for where, value in resolve(ctx, arg):
                if not _empty(value):
                    yield Hit(where, fmt(message, path=format_path(where), value=value, **base))
        elif kind == "not_before_as_of":
            for where, value in resolve(ctx, arg):
                if isinstance(value, date) and value < ctx.check_date:
                    yield Hit(where, fmt(message, path=format_path(where), value=value, **base))
        elif kind == "one_of":
            for path, allowed in arg.items():
                for where, value in resolve(ctx, path):
                    if not _empty(value) and value not in allowed:
                        yield Hit(where, fmt(message, path=format_path(where), value=value, **base))
        elif kind == "count":
            for path, bounds in arg.items():
                n = sum(1 for _, v in resolve(ctx, path) if not _empty(v) and v is not False)
                if n < bounds.get("min", 0) or n > bounds.get("max", 10**9):
                    anchor = _parsed(path)
                    top: PathKey = tuple(p for p in anchor if isinstance(p, str) and p != "*")[:1]
                    yield Hit(top, fmt(message, count=n, path=path, **base))

    return check


def load_pack(path: Path) -> tuple[list[Rule], dict[str, str]]:
    """Read one pack file into rules; a broken pack raises :class:`RulePackError` naming file and line."""
    pack = _indexed(path)
    if pack is None:
        from .pack_format import read_pack

        pack = read_pack(path)
    names = dict(pack.get("document_types", {}))
    rules = [Rule(
        id=spec["id"], title=spec["title"], severity=Severity(spec["severity"]), check=_check(spec, names),
        message=spec["message"], hint=spec["hint"], rationale=" ".join(spec["rationale"].split()),
        source=spec["source"], kinds=frozenset(spec["kinds"]), applications=frozenset(spec["applications"]),
        actions=frozenset(spec["actions"]), example_fail=spec["example_fail"].strip("\n"),
        example_pass=spec["example_pass"].strip("\n"), origin=f"pack:{path.name}",
    ) for spec in pack.get("rules", ())]
    return rules, names


def _indexed(path: Path) -> dict[str, Any] | None:
    """The validated data of a pack file identical (same name, same SHA-256) to a shipped one, else ``None``."""
    entry = _index().get(path.name)
    if entry is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None  # read_pack reports it
    import hashlib

    return entry["pack"] if hashlib.sha256(data).hexdigest() == entry["sha256"] else None


@cache
def _index() -> dict[str, Any]:
    try:
        from . import pack_index
    except ImportError:
        return {}
    return pack_index.PACKS if getattr(pack_index, "FORMAT", None) == INDEX_FORMAT else {}
