"""YAML syntax errors in plain words: what is wrong, on the line where it is.

The parser reports where it gave up, which is often the line after the mistake and in its own terms
("mapping values are not allowed here"). :func:`diagnose` looks at the text for the usual causes (a
tab, a line indented differently from its neighbours, a space before a top-level key, a missing space
after a colon, an unclosed quote or bracket) and names the line and column of the cause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY = re.compile(r"^( *)(- +)?([A-Za-z_][\w-]*)\s*:(?:\s|$)")
_OPENS = re.compile(r"^\s*(?:- +)?[^#\s][^#]*:\s*(?:[&!]\S+\s*)?(?:#.*)?$")
# What the parser says when a line's indentation is the problem.
_LAYOUT = ("mapping values are not allowed", "did not find expected key", "expected <block end>",
           "did not find expected '-' indicator", "could not find expected ':'")
_NO_SPACE = re.compile(r"^( *)(?:- +)?([A-Za-z_][\w-]*):(?![\s/]|$)(\S)")


@dataclass(frozen=True, slots=True)
class Diagnosis:
    line: int
    column: int
    message: str
    hint: str


def _content(lines: list[str], n: int) -> bool:
    s = lines[n].strip()
    return bool(s) and not s.startswith("#")


def diagnose(text: str, line: int | None, problem: str, context: str | None,
             context_line: int | None = None) -> Diagnosis | None:
    """The likely cause of a syntax error the parser reported at ``line`` (1-based), or ``None``."""
    lines = text.splitlines()
    stop = min(len(lines), line or len(lines))
    for n in range(stop):
        raw = lines[n]
        lead = raw[: len(raw) - len(raw.lstrip(" \t"))]
        if "\t" in lead:
            return Diagnosis(n + 1, lead.index("\t") + 1, f"a tab character indents line {n + 1}; YAML allows "
                             "only spaces for indentation", "Replace the tab with spaces (two per level, as the "
                             "lines around it are indented).")
    if context and "quoted scalar" in context and context_line:
        return Diagnosis(context_line, _first_quote(lines, context_line), f"the quote opened on line {context_line} "
                         "is never closed", "Close the quote at the end of the value (or remove it).")
    if context and "flow" in context:
        found = _unclosed(lines)
        if found is None and context_line and context_line <= len(lines) and "flow node" not in context:
            bracket = "{" if "mapping" in context else "["
            found = context_line, max(lines[context_line - 1].find(bracket) + 1, 1), bracket
        if found is not None:
            n, col, bracket = found
            close = "}" if bracket == "{" else "]"
            return Diagnosis(n, col, f"the `{bracket}` opened on line {n} is not closed",
                             f"Add the missing `{close}` (or a missing `,` between items) on that line.")
    for n in range(stop):
        body = lines[n].split(" #", 1)[0].replace('\\"', "")
        if not lines[n].lstrip().startswith("#") and body.count('"') % 2:
            return Diagnosis(n + 1, body.index('"') + 1, f"the quote opened on line {n + 1} is not closed on that "
                             "line", "Close the quote at the end of the value (or remove it).")
    for n in range(min(len(lines), (line or len(lines)) + 1)):
        m = _NO_SPACE.match(lines[n])
        if m and "://" not in lines[n]:
            return Diagnosis(n + 1, len(m.group(0)) - 1, f"no space after the colon in `{m.group(2)}:` on line "
                             f"{n + 1}, so YAML reads the line as one word", f"Write `{m.group(2)}: value`, with a "
                             "space after the colon.")
    if line is None or not any(p in problem for p in _LAYOUT):
        return None
    return _indentation(lines, line)


def _indentation(lines: list[str], line: int) -> Diagnosis | None:
    """A line whose indentation matches neither its block nor any enclosing one, at or before ``line``."""
    for n in range(min(line, len(lines)) - 1, -1, -1):
        if not _content(lines, n):
            continue
        indent = len(lines[n]) - len(lines[n].lstrip(" "))
        prev = next((k for k in range(n - 1, -1, -1) if _content(lines, k)), None)
        if prev is None:
            if indent:
                return _stray_space(n, indent, lines)
            continue
        before = len(lines[prev]) - len(lines[prev].lstrip(" "))
        opens = bool(_OPENS.match(lines[prev])) or lines[prev].lstrip().startswith("- ")
        allowed = _enclosing(lines, prev) | {before}
        if lines[prev].lstrip().startswith("- "):
            allowed.add(before + 2)
        if indent in allowed or (opens and indent > before):
            continue
        if before == 0 and indent <= 2 and not opens:
            return _stray_space(n, indent, lines)
        near = sorted(allowed, key=lambda a: abs(a - indent))[0]
        return Diagnosis(n + 1, indent + 1, f"line {n + 1} is indented {indent} space{'s' if indent != 1 else ''}, "
                         f"but the keys of its block are at {near}", f"Indent it with {near} spaces, like the "
                         "lines it belongs with (mixed indentation confuses YAML).")
    return None


def _stray_space(n: int, indent: int, lines: list[str]) -> Diagnosis:
    m = _KEY.match(lines[n])
    key = f"`{m.group(3)}`" if m else "this line"
    return Diagnosis(n + 1, 1, f"{indent} space{'s' if indent != 1 else ''} before {key} on line {n + 1}; a "
                     "top-level key starts in the first column", "Delete the spaces at the start of the line.")


def _enclosing(lines: list[str], n: int) -> set[int]:
    """The indentations of the blocks that enclose line ``n`` (0-based), outermost included."""
    out = {0}
    current = len(lines[n]) - len(lines[n].lstrip(" "))
    for k in range(n - 1, -1, -1):
        if not _content(lines, k):
            continue
        indent = len(lines[k]) - len(lines[k].lstrip(" "))
        if indent < current:
            out.add(indent)
            stripped = lines[k].lstrip(" ")
            if stripped.startswith("- "):
                out.add(indent + 2)
            current = indent
    return out


def _unclosed(lines: list[str]) -> tuple[int, int, str] | None:
    """The line, column and bracket of the innermost flow bracket left open at the end of ``lines``."""
    stack: list[tuple[int, int, str]] = []
    for n, raw in enumerate(lines, 1):
        quote = ""
        for i, ch in enumerate(raw):
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "\"'" and (i == 0 or raw[i - 1] in " [{,:"):
                quote = ch
            elif ch == "#" and (i == 0 or raw[i - 1] == " "):
                break
            elif ch in "[{":
                stack.append((n, i + 1, ch))
            elif ch in "]}" and stack:
                stack.pop()
    return stack[-1] if stack else None


def _first_quote(lines: list[str], line: int) -> int:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    positions = [i for i in (text.find('"'), text.find("'")) if i >= 0]
    return min(positions) + 1 if positions else 1
