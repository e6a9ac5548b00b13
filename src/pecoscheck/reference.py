"""What a profile may contain: its sections and keys, the allowed values, the document type ids.

Built from the pydantic model (``model.py``) and the loaded rule packs, so it never drifts from what
the format check accepts. Values carry a meaning only where the model records one.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal

from pydantic import BaseModel

from .model import Profile
from .model_docs import description

TOPICS = {
    "sections": "the top-level sections of a profile (`pecoscheck reference SECTION` for one, e.g. `licenses`)",
    "enums": "every key with a fixed set of values (`pecoscheck reference provider.practitioner_type` for one)",
    "documents": "the document type ids for `documents[].type`, from the rule packs",
}


def _inner(annotation: Any) -> tuple[type[BaseModel] | None, list[str]]:
    """The model class and the literal values found inside an annotation."""
    model: type[BaseModel] | None = None
    values: list[str] = []
    stack = [annotation]
    while stack:
        a = stack.pop()
        origin = typing.get_origin(a)
        if isinstance(a, type) and issubclass(a, BaseModel):
            model = model or a
        elif origin is Literal:
            values.extend(str(v) for v in typing.get_args(a))
        elif origin in (list, typing.Union, types.UnionType, typing.Annotated):
            stack.extend(typing.get_args(a)[:1] if origin is typing.Annotated else typing.get_args(a))
    return model, values


def _type_name(annotation: Any) -> str:
    """A short reader's name for an annotation: text, date, number, true/false, list of X, X or none."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        names = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(dict.fromkeys(names)) + (" (optional)" if type(None) in args else "")
    if origin is list:
        return "list of " + (_type_name(args[0]) if args else "items")
    if origin is dict:
        return "mapping"
    if origin is Literal:
        return ", ".join(f"`{v}`" for v in args)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return "mapping"
        return {"str": "text", "int": "number", "float": "number", "bool": "true/false",
                "date": "date"}.get(annotation.__name__, annotation.__name__)
    return str(annotation)


def sections() -> list[dict[str, Any]]:
    return [{"name": name, "required": f.is_required(), "description": description(Profile, name)}
            for name, f in Profile.model_fields.items()]


def section(name: str) -> list[dict[str, Any]] | None:
    """The keys of one section (or nested path such as ``provider.name``), or ``None`` if unknown."""
    model: type[BaseModel] | None = Profile
    for part in name.split("."):
        if model is None or part not in model.model_fields:
            return None
        model, _ = _inner(model.model_fields[part].annotation)
    if model is None:
        return None
    out = []
    for key, f in model.model_fields.items():
        _, values = _inner(f.annotation)
        out.append({"key": key, "type": "one of: " + ", ".join(values) if values else _type_name(f.annotation),
                    "required": f.is_required(), "description": description(model, key)})
    return out


def enums() -> dict[str, dict[str, Any]]:
    """Every key path with a fixed set of values: ``{path: {values, description}}``."""
    out: dict[str, dict[str, Any]] = {}

    def walk(model: type[BaseModel], prefix: str, seen: tuple[type[BaseModel], ...]) -> None:
        for key, f in model.model_fields.items():
            sub, values = _inner(f.annotation)
            path = f"{prefix}{key}"
            if values and values != ["TBD"]:
                out[path] = {"values": [v for v in values if v != "TBD"] if sub is None else values,
                             "description": description(model, key)}
            if sub is not None and sub not in seen:
                walk(sub, path + ".", (*seen, sub))

    walk(Profile, "", (Profile,))
    return out


def enum(name: str) -> tuple[str, dict[str, Any]] | None:
    """One enum by full path (``provider.practitioner_type``) or unique last key (``practitioner_type``)."""
    table = enums()
    if name in table:
        return name, table[name]
    hits = [p for p in table if p.rsplit(".", 1)[-1] == name or p.endswith("." + name)]
    return (hits[0], table[hits[0]]) if len(hits) == 1 else None


def documents(extra_rules: list[str] | None = None) -> dict[str, str]:
    from .rules.registry import default_registry

    return dict(sorted(default_registry(extra_rules or [], plugins=False).document_types.items()))
