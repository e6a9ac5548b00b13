"""Turn loaded data into a :class:`~pecoscheck.model.Profile`, with schema problems as findings."""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .findings import Finding, Severity, clip
from .loader import PathKey, SourceMap, format_path
from .model import Profile, shape_problems

MAX_SCHEMA_FINDINGS = 100


def _model_at(loc: PathKey) -> type[BaseModel] | None:
    """The model class that owns the mapping at ``loc``."""
    model: Any = Profile
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return None
        model = _inner_model(model.model_fields[part].annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    stack = [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
        origin = typing.get_origin(a)
        if origin is typing.Annotated:
            stack.append(typing.get_args(a)[0])
        elif origin in (list, typing.Union, types.UnionType):
            stack.extend(typing.get_args(a))
    return None


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"`{text[:60]}{'…' if len(text) > 60 else ''}`"


def _message(err: Any, loc: PathKey) -> tuple[str, str]:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    key = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        return f"missing required key `{key}`", f"Add `{key}:` here; see the profile format for what it holds."
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        known = list(parent.model_fields) if parent else []
        from .suggest import closest

        guess = closest(str(key), known)
        if guess is not None:
            return f"unknown key `{key}`; did you mean `{guess}`?", f"Rename `{key}` to `{guess}`."
        allowed = ", ".join(f"`{k}`" for k in known)
        return f"unknown key `{key}`", f"Allowed keys here: {allowed}." if allowed else "Remove the key."
    if kind in ("string_type",):
        return f"expected text, got {_describe(value)}", "Put the value in quotes if it is text."
    if kind == "bool_type":
        return (f"expected `true` or `false`, got {_describe(value)}",
                "Write `true` or `false`; YAML's yes/no/on/off are not accepted as booleans.")
    if kind in ("int_parsing", "int_type", "float_parsing", "float_type", "int_from_float"):
        return f"expected a number, got {_describe(value)}", "Write a plain number such as 50."
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        from .suggest import closest

        options = re.findall(r"'([^']*)'", str(expected))
        where = ".".join(part for part in loc if isinstance(part, str)) or key
        guess = closest(value, options, key)
        if guess is not None:
            return (f"{_describe(value)} is not an allowed value for `{key}`; did you mean `{guess}`?",
                    f"Write `{guess}`; allowed: {expected} (see `pecoscheck reference {where}`).")
        return (f"{_describe(value)} is not an allowed value for `{key}`; expected {expected}",
                f"Use one of the listed values exactly as written (see `pecoscheck reference {where}`).")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (f"`{key}` must be a mapping of keys, got {_describe(value)}",
                "Write the section as `key: value` lines indented under it.")
    if kind == "list_type":
        return f"`{key}` must be a list, got {_describe(value)}", "Write each item on its own line starting with `- `."
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        bound = next(iter(ctx.values()), "")
        word = {"less_than_equal": "at most", "greater_than_equal": "at least", "less_than": "below",
                "greater_than": "above"}[kind]
        return f"`{key}` must be {word} {bound}, got {_describe(value)}", "Correct the number."
    if kind in ("iso_date", "schema_version"):
        return err["msg"], "Write dates as YYYY-MM-DD, for example 2026-06-30."
    if kind == "union_tag_invalid" or kind.startswith("union"):
        return f"{_describe(value)} is not a valid value for `{key}`", ""
    return f"`{key}`: {err['msg']}", ""


def _clean_loc(loc: tuple[Any, ...]) -> PathKey:
    """Drop Pydantic's union/function markers from an error location."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, int):
            out.append(part)
        elif isinstance(part, str) and ("[" in part or part in ("literal['TBD']", "date", "function-before")):
            continue
        else:
            out.append(part)
    return tuple(out)


def _place_key(err: Any, source: SourceMap) -> tuple[int, int]:
    loc = _clean_loc(err["loc"])
    line, col = source.key_place(loc) if err["type"] == "extra_forbidden" else source.locate(loc)
    return (line if line is not None else 1 << 30, col or 0)


def to_profile(data: object, source: SourceMap) -> tuple[Profile | None, list[Finding]]:
    """Validate data against the model. Returns the profile (or ``None``) and the schema findings."""
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        findings: list[Finding] = []
        seen: set[tuple[PathKey, str]] = set()
        errors = exc.errors(include_url=False)
        hidden = 0
        if len(errors) > 4 * MAX_SCHEMA_FINDINGS:  # describe only the first ones by place (difflib is slow)
            errors.sort(key=lambda e: _place_key(e, source))
            hidden = len(errors) - 4 * MAX_SCHEMA_FINDINGS
            errors = errors[: 4 * MAX_SCHEMA_FINDINGS]
        for err in errors:
            loc = _clean_loc(err["loc"])
            message, hint = _message(err, loc)
            if (loc, message) in seen:
                continue
            seen.add((loc, message))
            rule = {"missing": "SCH002", "extra_forbidden": "SCH001", "iso_date": "SCH004"}.get(err["type"], "SCH003")
            line, col = source.key_place(loc) if err["type"] == "extra_forbidden" else source.locate(loc)
            findings.append(Finding(rule, Severity.ERROR, clip(message), format_path(loc), line, col, hint))
        findings.sort(key=Finding.sort_key)
        if len(findings) + hidden > MAX_SCHEMA_FINDINGS:
            rest = len(findings) + hidden - MAX_SCHEMA_FINDINGS
            findings = findings[:MAX_SCHEMA_FINDINGS]
            findings.append(Finding("SCH003", Severity.ERROR, f"… and {rest:,} more format problems not shown",
                                    "", None, None, "Fix the problems above and run again."))
        return None, findings
    findings = []
    for loc, message, hint in shape_problems(profile):
        line, col = source.locate(loc)
        findings.append(Finding("SCH002", Severity.ERROR, message, format_path(loc), line, col, hint))
    return profile, findings
