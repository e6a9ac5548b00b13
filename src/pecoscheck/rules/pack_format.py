"""The format of a rule-pack file, as Pydantic models: reading and validating a pack.

:func:`read_pack` turns a pack file into plain data (the models' dump), or raises a
:class:`RulePackError` naming the file and line; :mod:`pecoscheck.rules.packs` evaluates that data.
The shipped packs are read here once, when ``scripts/make_pack_index.py`` writes their data to
``rules/pack_index.py``, and again only when a shipped file no longer matches its entry there.
"""

from __future__ import annotations

import hashlib
import pprint
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import RulePackError
from ..loader import PathKey, format_path, load
from ..validate import _clean_loc
from .packs import INDEX_FORMAT, INDEX_NOTE, parse_path

_ID = re.compile(r"[A-Z]{2,8}\d{3}")
_DOC_TYPE = re.compile(r"[a-z][a-z0-9_]*")


Scalar = str | int | float | bool


class Test(BaseModel):
    """A test on the value(s) at a path: equals, one of, present, not (evaluated by ``packs._Test``)."""

    model_config = ConfigDict(extra="forbid")
    equals: Scalar | None = None
    one_of: list[Scalar] | None = Field(None, alias="in")
    not_in: list[Scalar] | None = Field(None, alias="not")
    present: bool | None = None


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


def read_pack(path: Path) -> dict[str, Any]:
    """The validated data of one pack file; a broken pack raises :class:`RulePackError` naming file and line."""
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
    seen: set[str] = set()
    for i, spec in enumerate(pack.rules):
        if spec.id in seen:
            line, _ = loaded.source.locate(("rules", i, "id"))
            raise RulePackError(str(path), line, f"rule id {spec.id} is defined twice in this pack")
        seen.add(spec.id)
        for key_loc, when_path in spec.when.paths(("rules", i, "when")):
            try:
                parse_path(when_path)
            except ValueError as exc:
                line, _ = loaded.source.key_place(key_loc)
                raise RulePackError(str(path), line, f"{format_path(key_loc[:3])}: {exc}") from None
        try:
            for p in (spec.require.present, spec.require.absent, spec.require.not_before_as_of):
                if p:
                    parse_path(p)
            for p in list(spec.require.one_of or {}) + list(spec.require.count or {}):
                parse_path(p)
        except ValueError as exc:
            line, _ = loaded.source.locate(("rules", i, "require"))
            raise RulePackError(str(path), line, str(exc)) from None
    return pack.model_dump(exclude_none=True)


def index_entries(folder: Path) -> dict[str, dict[str, Any]]:
    """Each pack file in ``folder`` by name: its SHA-256 and its validated data (``rules/pack_index.py``'s PACKS)."""
    return {path.name: {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "pack": read_pack(path)}
            for path in sorted(folder.glob("*.y*ml"))}


def index_text(folder: Path) -> str:
    """The module ``rules/pack_index.py`` for the packs in ``folder``."""
    entries = index_entries(folder)
    return (f'"""The shipped rule packs, validated: {INDEX_NOTE}"""\n\n'
            f"FORMAT = {INDEX_FORMAT}\n\nPACKS = {pprint.pformat(entries, width=116, sort_dicts=True)}\n")
