"""Where a finding sits in a document's text: a finding's line and column widened to the token there.

Positions here are 0-based and count characters (code points); the server converts them to the
client's units (UTF-16 by default).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Finding


@dataclass(frozen=True, slots=True)
class Span:
    """A range of text on one or more lines, 0-based, end exclusive."""

    line: int
    start: int
    end_line: int
    end: int


def _closing_quote(text: str, i: int) -> int:
    """The index after the quoted scalar that opens at ``i`` (or the line's end when it is not closed)."""
    quote = text[i]
    j = i + 1
    while j < len(text):
        ch = text[j]
        if quote == '"' and ch == "\\":
            j += 2
            continue
        if ch == quote:
            if quote == "'" and j + 1 < len(text) and text[j + 1] == "'":
                j += 2
                continue
            return j + 1
        j += 1
    return len(text)


def _flow_depth(text: str, upto: int) -> int:
    depth, quote = 0, ""
    for ch in text[:upto]:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth = max(0, depth - 1)
    return depth


def _closing_bracket(text: str, i: int) -> int:
    depth, quote = 0, ""
    for j in range(i, len(text)):
        ch = text[j]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text.rstrip())


def token_end(text: str, i: int) -> int:
    """The end of the YAML token (key or scalar value) that starts at ``i`` on a line."""
    if i >= len(text):
        return i
    ch = text[i]
    if ch in "'\"":
        return _closing_quote(text, i)
    if ch in "[{":
        return _closing_bracket(text, i)
    stops = ",]}" if _flow_depth(text, i) else ""
    j = i
    while j < len(text):
        c = text[j]
        if c in stops or (c == ":" and (j + 1 == len(text) or text[j + 1] in " \t" + stops)):
            break
        if c == "#" and j > i and text[j - 1] in " \t":
            break
        j += 1
    while j > i and text[j - 1] in " \t":
        j -= 1
    return j if j > i else min(i + 1, len(text))


def finding_span(lines: list[str], finding: Finding) -> Span:
    """The range an editor underlines for ``finding``: the token at its place, else its line, else line 1."""
    if not lines:
        return Span(0, 0, 0, 0)
    if finding.line is None:
        return Span(0, 0, 0, len(lines[0].rstrip("\r\n")))
    n = min(max(finding.line - 1, 0), len(lines) - 1)
    text = lines[n].rstrip("\r\n")
    if finding.column is None:
        start = len(text) - len(text.lstrip())
        return Span(n, start, n, max(start, len(text.rstrip())))
    start = min(max(finding.column - 1, 0), len(text))
    return Span(n, start, n, token_end(text, start))


def word_at(text: str, character: int) -> str:
    """The run of letters and digits around ``character`` on a line (for hover on a rule id)."""
    if not text:
        return ""
    i = min(max(character, 0), len(text))
    start = i
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    end = i
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]
