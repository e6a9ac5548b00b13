"""Declarative YAML rule packs: rules written as data, checked without ``eval``.

A pack is a YAML file with a ``rules:`` list. Each rule has an id, title,
severity, message, hint, rationale and source, an optional ``when`` (the
conditions under which it applies) and one ``require`` (what must then be
true). Paths are dotted profile paths; ``[*]`` means every item of a list;
``$application`` is the CMS form the profile files (derived when absent)
and ``$kind`` the provider kind. A ``when`` mapping holds path tests (all must
hold) and optionally ``any_of`` (a list of such mappings, one must hold) and
``not`` (a mapping that must not hold). See the README's "Rule packs" section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import RulePackError
from ..findings import Severity
from ..loader import PathKey, format_path, load
from ..validate import _clean_loc
from .base import Context, Hit, Rule

_ID = re.compile(r"[A-Z]{2,8}\d{3}")
_DOC_TYPE = re.compile(r"[a-z][a-z0-9_]*")
_SEGMENT = re.compile(r"([A-Za-z_$][A-Za-z0-9_]*)|\[(\*|\d+)\]")


def _parse(path: str) -> list[str | int]:
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
    """:func:`_parse`, once per path: rules evaluate the same paths for every profile."""
    return tuple(_parse(path))


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


Scalar = str | int | float | bool


class Test(BaseModel):
    """A test on the value(s) at a path: equals, one of, present, not."""

    model_config = ConfigDict(extra="forbid")
    equals: Scalar | None = None
    one_of: list[Scalar] | None = Field(None, alias="in")
    not_in: list[Scalar] | None = Field(None, alias="not")
    present: bool | None = None

    def holds(self, value: Any) -> bool:
        if self.present is not None and _empty(value) == self.present:
            return False
        if self.equals is not None and value != self.equals:
            return False
        if self.one_of is not None and value not in self.one_of:
            return False
        return not (self.not_in is not None and value in self.not_in)


def _as_test(raw: Any) -> Any:
    if isinstance(raw, list):
        return {"in": raw}
    if isinstance(raw, dict):
        return raw
    return {"equals": raw}


_COMBINATORS = ("any_of", "not")


class Condition(BaseModel):
    """A ``when`` mapping: path tests that all hold, ``any_of`` alternatives (one holds), ``not`` (does not hold)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    tests: dict[str, Test] = {}
    any_of: list[Condition] = []
    not_: Condition | None = Field(None, alias="not")

    @model_validator(mode="before")
    @classmethod
    def _split(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        out: dict[str, Any] = {"tests": {}}
        for key, raw in v.items():
            if key in _COMBINATORS:
                out[key] = raw
            else:
                out["tests"][key] = _as_test(raw)
        return out

    def holds(self, ctx: Context) -> bool:
        for path, test in self.tests.items():
            if not any(test.holds(v) for _, v in resolve(ctx, path)):
                return False
        if self.any_of and not any(c.holds(ctx) for c in self.any_of):
            return False
        return not (self.not_ is not None and self.not_.holds(ctx))

    def paths(self, loc: PathKey) -> Iterator[tuple[PathKey, str]]:
        """Every (source location of the key, path) in this condition and its parts."""
        for path in self.tests:
            yield (*loc, path), path
        for i, c in enumerate(self.any_of):
            yield from c.paths((*loc, "any_of", i))
        if self.not_ is not None:
            yield from self.not_.paths((*loc, "not"))


def _doc_type(t: str) -> str:
    if not _DOC_TYPE.fullmatch(t):
        raise ValueError(f"`{t}` is not a document type id (lower-case letters, digits and _, e.g. irs_cp575)")
    return t


class Require(BaseModel):
    """What must be true when the rule applies (exactly one key)."""

    model_config = ConfigDict(extra="forbid")
    document: list[str] | None = Field(None, description="a document of one of these types is listed")
    all_documents: list[str | list[str]] | None = Field(
        None, description="each item is listed (an item that is a list: one of those types); one finding per "
        "missing item")
    present: str | None = Field(None, description="the path has a value")
    absent: str | None = Field(None, description="the path has no value")
    not_before_as_of: str | None = Field(None, description="dates at the path are not before the check date")
    one_of: dict[str, list[Scalar]] | None = Field(None, description="the value at the path is one of these")
    count: dict[str, dict[Literal["min", "max"], int]] | None = Field(
        None, description="the number of values matching the path is within bounds")

    @field_validator("document", "all_documents")
    @classmethod
    def _types(cls, v: list[str | list[str]] | None) -> list[str | list[str]] | None:
        for item in v or []:
            for t in [item] if isinstance(item, str) else item:
                _doc_type(t)
        return v

    @model_validator(mode="after")
    def _exactly_one(self) -> Require:
        chosen = [k for k, v in self.__dict__.items() if v is not None]
        if len(chosen) != 1:
            raise ValueError(f"`require` needs exactly one of {', '.join(type(self).model_fields)}")
        return self


class PackRule(BaseModel):
    """One declarative rule."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    severity: Literal["error", "warning", "info"]
    message: str
    hint: str
    rationale: str
    source: str
    kinds: list[Literal["individual", "organization"]] = ["individual", "organization"]
    applications: list[str] = []
    actions: list[str] = []
    when: Condition = Condition()
    require: Require
    example_fail: str = ""
    example_pass: str = ""

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID.fullmatch(v):
            raise ValueError("a rule id is 2-8 capital letters and 3 digits, e.g. DOC004")
        return v


class Pack(BaseModel):
    """A rule pack file."""

    model_config = ConfigDict(extra="forbid")
    pack: str
    description: str = ""
    document_types: dict[str, str] = {}
    rules: list[PackRule] = []

    @field_validator("document_types")
    @classmethod
    def _type_ids(cls, v: dict[str, str]) -> dict[str, str]:
        for t in v:
            _doc_type(t)
        return v


def _check(spec: PackRule, names: dict[str, str]) -> Any:
    req = spec.require

    def applies(ctx: Context) -> bool:
        return spec.when.holds(ctx)

    def named(types: list[str]) -> str:
        return " or ".join(names.get(t, t) for t in types)

    def fmt(template: str, **kw: Any) -> str:
        out = template
        for k, v in kw.items():
            out = out.replace("{" + k + "}", str(v))
        return out

    def check(ctx: Context) -> Iterator[Hit]:
        if not applies(ctx):
            return
        base = {"as_of": ctx.check_date.isoformat(), "application": ctx.application, "action": ctx.action}
        if req.document is not None:
            if not ctx.has_document(*req.document):
                yield Hit(("documents",), fmt(spec.message, types=", ".join(req.document),
                                              names=named(req.document), **base))
        elif req.all_documents is not None:
            for item in req.all_documents:
                types = [item] if isinstance(item, str) else item
                if not ctx.has_document(*types):
                    yield Hit(("documents",), fmt(spec.message, types=" or ".join(types), names=named(types),
                                                  **base))
        elif req.present is not None:
            for where, value in resolve(ctx, req.present):
                if _empty(value):
                    yield Hit(where, fmt(spec.message, path=format_path(where), **base))
        elif req.absent is not None:
            for where, value in resolve(ctx, req.absent):
                if not _empty(value):
                    yield Hit(where, fmt(spec.message, path=format_path(where), value=value, **base))
        elif req.not_before_as_of is not None:
            for where, value in resolve(ctx, req.not_before_as_of):
                if isinstance(value, date) and value < ctx.check_date:
                    yield Hit(where, fmt(spec.message, path=format_path(where), value=value, **base))
        elif req.one_of is not None:
            for path, allowed in req.one_of.items():
                for where, value in resolve(ctx, path):
                    if not _empty(value) and value not in allowed:
                        yield Hit(where, fmt(spec.message, path=format_path(where), value=value, **base))
        elif req.count is not None:
            for path, bounds in req.count.items():
                n = sum(1 for _, v in resolve(ctx, path) if not _empty(v) and v is not False)
                if n < bounds.get("min", 0) or n > bounds.get("max", 10**9):
                    anchor = _parse(path)
                    top: PathKey = tuple(p for p in anchor if isinstance(p, str) and p != "*")[:1]
                    yield Hit(top, fmt(spec.message, count=n, path=path, **base))

    return check


def load_pack(path: Path) -> tuple[list[Rule], dict[str, str]]:
    """Read one pack file into rules; a broken pack raises :class:`RulePackError` naming file and line."""
    loaded = load(path)
    if loaded.findings or not isinstance(loaded.data, dict):
        f = loaded.findings[0] if loaded.findings else None
        raise RulePackError(str(path), f.line if f else None, f.message if f else "the pack is not a mapping")
    try:
        pack = Pack.model_validate(loaded.data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(p for p in _clean_loc(err["loc"]) if p != "tests")
        line, _ = loaded.source.locate(loc)
        where = format_path(loc) or "the pack"
        raise RulePackError(str(path), line, f"{where}: {err['msg']}") from None
    rules = []
    seen: set[str] = set()
    for i, spec in enumerate(pack.rules):
        if spec.id in seen:
            line, _ = loaded.source.locate(("rules", i, "id"))
            raise RulePackError(str(path), line, f"rule id {spec.id} is defined twice in this pack")
        seen.add(spec.id)
        for key_loc, when_path in spec.when.paths(("rules", i, "when")):
            try:
                _parse(when_path)
            except ValueError as exc:
                line, _ = loaded.source.key_place(key_loc)
                raise RulePackError(str(path), line, f"{format_path(key_loc[:3])}: {exc}") from None
        try:
            for p in (spec.require.present, spec.require.absent, spec.require.not_before_as_of):
                if p:
                    _parse(p)
            for p in list(spec.require.one_of or {}) + list(spec.require.count or {}):
                _parse(p)
        except ValueError as exc:
            line, _ = loaded.source.locate(("rules", i, "require"))
            raise RulePackError(str(path), line, str(exc)) from None
        rules.append(Rule(
            id=spec.id, title=spec.title, severity=Severity(spec.severity),
            check=_check(spec, dict(pack.document_types)),
            message=spec.message, hint=spec.hint, rationale=" ".join(spec.rationale.split()),
            source=spec.source, kinds=frozenset(spec.kinds), applications=frozenset(spec.applications),
            actions=frozenset(spec.actions), example_fail=spec.example_fail.strip("\n"),
            example_pass=spec.example_pass.strip("\n"), origin=f"pack:{path.name}",
        ))
    return rules, dict(pack.document_types)
