"""Commented YAML text for the profiles ``init`` writes (starters and registry drafts).

A profile is described as plain dicts and lists; a value wrapped in :class:`Note`
gets a trailing comment, a :class:`Flow` mapping is written on one line, and a
key starting with ``#`` is a comment line. The output is block YAML that the
project's loader reads back to the same values.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

_PLAIN = re.compile(r"[A-Za-z0-9_/][A-Za-z0-9 _.,'&()/+-]*")
_NUMBERISH = re.compile(r"[-+0-9_.:, ]+|0[xXoObB].*|[-+]?\.?(inf|nan)|\d.*[eE][-+]?\d+", re.IGNORECASE)
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", "tbd"}


@dataclass(frozen=True)
class Note:
    """A value with a trailing ``# comment``."""

    value: Any
    comment: str


@dataclass(frozen=True)
class Flow:
    """A mapping written on one line: ``{a: 1, b: 2}``."""

    items: dict[str, Any]


def scalar(value: Any, flow: bool = False) -> str:
    """One YAML scalar: plain when it reads back as the same string, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text == "TBD":
        return text
    if (_PLAIN.fullmatch(text) and text.lower() not in _RESERVED and text == text.strip()
            and not _NUMBERISH.fullmatch(text) and not (flow and "," in text)):
        return text
    return json.dumps(text, ensure_ascii=False)


def _inline(value: Any, flow: bool = False) -> str:
    if isinstance(value, Note):
        return _inline(value.value, flow)
    if isinstance(value, Flow):
        return "{" + ", ".join(f"{k}: {_inline(v, True)}" for k, v in value.items.items()) + "}"
    if isinstance(value, dict):
        return _inline(Flow(value))
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v, True) for v in value) + "]"
    return scalar(value, flow)


def _with_comment(line: str, comment: str | None) -> str:
    if not comment:
        return line
    return f"{line.ljust(30)}  # {comment}" if len(line) < 30 else f"{line}  # {comment}"


def _is_block(value: Any) -> bool:
    inner = value.value if isinstance(value, Note) else value
    if isinstance(inner, dict):
        return bool(inner)
    if isinstance(inner, list):
        return any(isinstance(v, dict | Note | Flow) for v in inner)
    return False


def mapping_lines(tree: dict[str, Any], indent: int = 0) -> list[str]:
    """The lines of a block mapping at ``indent`` spaces."""
    pad = " " * indent
    out: list[str] = []
    for key, value in tree.items():
        if key.startswith("#"):
            out.extend(f"{pad}# {line}".rstrip() for line in str(value).splitlines() or [""])
            continue
        comment = value.comment if isinstance(value, Note) else None
        inner = value.value if isinstance(value, Note) else value
        if inner is None:
            out.append(_with_comment(f"{pad}{key}:", comment))
            continue
        if not _is_block(value):
            out.append(_with_comment(f"{pad}{key}: {_inline(inner)}", comment))
            continue
        out.append(_with_comment(f"{pad}{key}:", comment))
        if isinstance(inner, dict):
            out.extend(mapping_lines(inner, indent + 2))
        else:
            out.extend(sequence_lines(inner, indent + 2))
    return out


def sequence_lines(items: list[Any], indent: int) -> list[str]:
    """The lines of a block sequence whose dashes stand at ``indent`` spaces."""
    pad = " " * indent
    out: list[str] = []
    for item in items:
        comment = item.comment if isinstance(item, Note) else None
        inner = item.value if isinstance(item, Note) else item
        if isinstance(inner, dict) and not isinstance(inner, Flow) and inner:
            lines = mapping_lines(inner, indent + 2)
            first = next(i for i, ln in enumerate(lines) if not ln.lstrip().startswith("#"))
            out.extend(lines[:first])
            out.append(_with_comment(f"{pad}- {lines[first].lstrip()}", comment))
            out.extend(lines[first + 1:])
        else:
            out.append(_with_comment(f"{pad}- {_inline(inner)}", comment))
    return out


def document(sections: dict[str, Any]) -> str:
    """A whole profile: top-level sections separated by blank lines."""
    out: list[str] = []
    pending_comment: list[str] = []
    for key, value in sections.items():
        lines = mapping_lines({key: value})
        if key.startswith("#"):
            pending_comment.extend(lines)
            continue
        if out:
            out.append("")
        out.extend(pending_comment)
        pending_comment = []
        out.extend(lines)
    if pending_comment:
        out.append("")
        out.extend(pending_comment)
    return "\n".join(out) + "\n"
