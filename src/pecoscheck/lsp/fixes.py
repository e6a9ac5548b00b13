"""Mechanical fixes an editor can offer as code actions: each one is text edits, never a guess at data.

- a key the format flags as misspelled (SCH001 "did you mean") is renamed;
- a value the format wants as text (SCH003 "expected text") is quoted as written;
- an unquoted identifier such as ``zip: 02134`` is quoted, since other YAML readers take it for a number;
- an unused suppression (SUP002) is removed from its comment;
- a change-of-information profile without ``changes:`` gets an entry skeleton to fill in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..findings import Finding
from ..schema import UNQUOTED_DIGITS
from .ranges import Span, finding_span

_DID_YOU_MEAN = re.compile(r"unknown key `([^`]+)`; did you mean `([^`]+)`\?")
_UNUSED = re.compile(r"suppression of (\S+) is unused")
_IGNORE = re.compile(r"(\s*)#\s*pecoscheck:\s*ignore\[([^\]]*)\]")
_DIGITS = re.compile(r"(?<![\w-])(" + "|".join(sorted(UNQUOTED_DIGITS)) + r")(\s*:[ \t]+)(\d+)(?=[ \t]*(?:[,}\]]|#|$))")
_ACTION = re.compile(r"^\s+action:\s*[\"']?change_of_information[\"']?\s*(#.*)?$")
_CHANGES = re.compile(r"^changes:\s*(\[\s*\])?\s*(#.*)?$")
CHANGE_KINDS = ("ownership", "managing_control", "practice_location", "adverse_action", "license", "name",
                "bank_account", "authorized_official", "other")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text in ``span`` with ``text``."""

    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """One code action: a title, its edits, and the finding it resolves (if any)."""

    title: str
    edits: tuple[Edit, ...]
    finding: Finding | None = None
    preferred: bool = False
    kind: str = field(default="quickfix")


def _line(lines: list[str], n: int) -> str:
    return lines[n].rstrip("\r\n") if 0 <= n < len(lines) else ""


def _rename(lines: list[str], f: Finding) -> Fix | None:
    m = _DID_YOU_MEAN.match(f.message)
    if not m:
        return None
    span = finding_span(lines, f)
    if _line(lines, span.line)[span.start:span.end].strip("'\"") != m.group(1):
        return None
    return Fix(f"Rename `{m.group(1)}` to `{m.group(2)}`", (Edit(span, m.group(2)),), f, preferred=True)


def _quote_value(lines: list[str], f: Finding) -> Fix | None:
    if not f.message.startswith("expected text, got `"):
        return None
    span = finding_span(lines, f)
    value = _line(lines, span.line)[span.start:span.end]
    if not value or value[0] in "'\"[{|>&*!":
        return None
    return Fix(f"Quote {value} as text", (Edit(span, _quoted(value)),), f, preferred=True)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _drop_suppression(lines: list[str], f: Finding) -> Fix | None:
    m = _UNUSED.match(f.message)
    if not m or f.line is None:
        return None
    n = f.line - 1
    text = _line(lines, n)
    c = _IGNORE.search(text)
    if not c:
        return None
    ids = [i.strip() for i in c.group(2).split(",") if i.strip()]
    rest = [i for i in ids if i.upper() != m.group(1).upper()]
    if len(rest) == len(ids):
        return None
    if rest:
        start = c.start(2)
        return Fix(f"Remove {m.group(1)} from the suppression",
                   (Edit(Span(n, start, n, c.end(2)), ", ".join(rest)),), f, preferred=True)
    start = c.start() if text[:c.start()].strip() else 0
    end_line, end = n, len(text)
    if start == 0:  # a comment on its own line: delete the line
        end_line, end = n + 1, 0
    return Fix(f"Remove the unused suppression of {m.group(1)}", (Edit(Span(n, start, end_line, end), ""),), f,
               preferred=True)


def _quote_identifiers(lines: list[str], first: int, last: int) -> list[Fix]:
    out: list[Fix] = []
    for n in range(max(first, 0), min(last, len(lines) - 1) + 1):
        text = _line(lines, n)
        if "#" in text and text.lstrip().startswith("#"):
            continue
        for m in _DIGITS.finditer(text):
            key, digits = m.group(1), m.group(3)
            why = (f"YAML would read it as the number {int(digits)}" if digits.startswith("0") and len(digits) > 1
                   else "other YAML readers take it for a number")
            shown = f" {digits}" if len(digits) <= 5 else ""  # a ZIP, not an account, TIN or routing number
            out.append(Fix(f"Quote {key}{shown} ({why})",
                           (Edit(Span(n, m.start(3), n, m.end(3)), f'"{digits}"'),)))
    return out


def changes_skeleton() -> str:
    """The ``changes:`` block the code action inserts; the placeholders fail the format until filled in."""
    return ("changes:\n"
            f"  - kind: other  # one of: {', '.join(CHANGE_KINDS)}\n"
            "    effective_date: YYYY-MM-DD  # the date the change took effect\n"
            "    reported_on:  # the date it is (or will be) reported to Medicare\n"
            "    description:  # what changed, in words\n")


def _add_changes(lines: list[str], first: int, last: int) -> Fix | None:
    action_line = next((n for n, ln in enumerate(lines) if _ACTION.match(ln.rstrip("\r\n"))), None)
    if action_line is None:
        return None
    changes_line = next((n for n, ln in enumerate(lines) if re.match(r"^changes\s*:", ln)), None)
    touched = first <= action_line <= last or (changes_line is not None and first <= changes_line <= last)
    if not touched:
        return None
    title = "Add a `changes:` entry skeleton"
    if changes_line is not None:
        text = _line(lines, changes_line)
        m = _CHANGES.match(text)
        if m is None or (m.group(1) is None and _has_items(lines, changes_line)):
            return None
        if changes_line + 1 < len(lines):
            return Fix(title, (Edit(Span(changes_line, 0, changes_line + 1, 0), changes_skeleton()),))
        return Fix(title, (Edit(Span(changes_line, 0, changes_line, len(text)), changes_skeleton().rstrip("\n")),))
    if lines[-1].endswith(("\n", "\r")):
        return Fix(title, (Edit(Span(len(lines), 0, len(lines), 0), "\n" + changes_skeleton()),))
    tail = len(_line(lines, len(lines) - 1))
    return Fix(title, (Edit(Span(len(lines) - 1, tail, len(lines) - 1, tail), "\n\n" + changes_skeleton()),))


def _has_items(lines: list[str], n: int) -> bool:
    for ln in lines[n + 1:]:
        s = ln.strip()
        if not s or s.startswith("#"):
            continue
        return ln[:1] in " \t-"
    return False


def fixes(lines: list[str], findings: list[Finding], first: int, last: int) -> list[Fix]:
    """The fixes for the findings on lines ``first``..``last`` (0-based) and for the text there."""
    out: list[Fix] = []
    for f in findings:
        if f.line is None or not first <= f.line - 1 <= last:
            continue
        for make in (_rename, _quote_value, _drop_suppression):
            fix = make(lines, f)
            if fix is not None:
                out.append(fix)
    out += _quote_identifiers(lines, first, last)
    skeleton = _add_changes(lines, first, last)
    if skeleton is not None:
        out.append(skeleton)
    return out
