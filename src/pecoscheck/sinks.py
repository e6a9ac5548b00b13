"""Every value leaving the program passes here, made safe for where it goes (its sink).

A profile value is attacker-controlled whenever a repository takes contributions, and so are file
names and registry answers. Each sink has one function; the reporters (``pecoscheck.reporters``),
the deadline formats (:mod:`pecoscheck.deadline_formats`) and the CLI's messages call them, and
``tests/test_sinks.py`` checks that they do (and that each output format names its sink in
:data:`FORMAT_SINKS` or :data:`DEADLINE_SINKS`):

========  ===================================================================================
sink      what is done
========  ===================================================================================
terminal  every C0 and C1 control (ESC, CSI U+009B, BEL, BS, CR, LF, TAB...), DEL, the bidi
          overrides and the line/paragraph separators are shown escaped (``\\x1b``, ``\\n``), so a
          value stays on one line and cannot move the cursor, clear the screen or open a link
csv       a cell starting with ``= + - @``, TAB or CR gets a leading ``'`` (OWASP's advice), so a
          spreadsheet shows it as text; NUL and other controls are dropped; numbers pass as numbers
xml/html  characters XML 1.0 forbids (NUL, most C0 controls, lone surrogates, U+FFFE/FFFF) and
          the C1 controls are dropped; ``html`` also escapes ``& < > " '``
github    workflow commands: ``%``, CR and LF escaped as ``@actions/core`` does (and ``:`` and ``,``
          in properties); every other control (and bidi override) dropped, TAB becomes a space
markdown  the step summary: controls dropped, a line break becomes a space, ``|`` escaped, a backtick
          becomes ``'`` (a code span cannot be left), ``< > &`` escaped outside code spans
ics       controls other than line breaks dropped (iCalendar TEXT forbids them)
json      lossless: controls are ``\\u`` escapes; a lone surrogate (an undecodable file name) is
          written as its ``\\u`` escape, so the file is still valid UTF-8
========  ===================================================================================

Masking (:mod:`pecoscheck.masking`) comes first, on the raw text, then the sink's treatment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from .masking import mask_identifiers

__all__ = [
    "DEADLINE_SINKS", "FORMAT_SINKS", "csv_cell", "csv_text", "github_data", "github_property", "html",
    "ics", "json_dumps", "markdown", "mask_identifiers", "masked_terminal", "terminal", "xml",
]

FORMAT_SINKS = {"text": "terminal", "json": "json", "sarif": "json", "junit": "xml", "github": "github",
                "html": "html", "roster": "terminal"}
DEADLINE_SINKS = {"table": "terminal", "json": "json", "csv": "csv", "ics": "ics"}

_BIDI_AND_SEPARATORS = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_TERMINAL_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# The other sinks' patterns compile at their first use: a run writes to one or two sinks, and compiling
# every pattern at import took about 1 ms of each start.
_NOT_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"  # XML 1.0 forbids these; C1 too
_CONTROLS = "[\x00-\x1f\x7f-\x9f\ud800-\udfff]"
_CONTROLS_BUT_BREAKS = "[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]"
_SURROGATE = "[\ud800-\udfff]"
_BIDI = "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def terminal(value: object) -> str:
    """One line of plain text for a terminal: controls shown escaped (``\\x1b``, ``\\n``)."""
    return _TERMINAL_UNSAFE.sub(_escape_char, _text(value))


def csv_cell(value: object) -> str | int | float:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula (OWASP CSV injection)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raw = _text(value)
    text = _compiled(_CONTROLS_BUT_BREAKS).sub("", raw.replace("\t", " "))
    if raw.startswith(_FORMULA_START) or text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """A CSV document (RFC 4180, CRLF line ends) whose every cell, header included, went through :func:`csv_cell`."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def xml(value: object) -> str:
    """Text that XML 1.0 accepts (forbidden characters and C1 controls dropped); escaping is the serializer's."""
    return _compiled(_NOT_XML).sub("", _text(value))


def html(value: object) -> str:
    """Text for HTML, in an element or a quoted attribute: :func:`xml`, then ``& < > " '`` escaped."""
    import html as _html

    return _html.escape(xml(value), quote=True)


def github_data(value: object) -> str:
    """The message of a workflow command (``escapeData`` of ``@actions/core``; other controls dropped)."""
    text = _text(value).replace("\t", " ")
    text = _compiled(_BIDI).sub("", _compiled(_CONTROLS_BUT_BREAKS).sub("", text))
    text = text.replace("\u2028", " ").replace("\u2029", " ")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(value: object) -> str:
    """A property value of a workflow command (``escapeProperty`` of ``@actions/core``)."""
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


def markdown(value: object, code: bool = False) -> str:
    """Text for a Markdown table cell of the GitHub step summary (``code``: inside a code span there)."""
    text = _compiled(_CONTROLS).sub(lambda m: " " if m.group(0) in "\r\n\t" else "", _text(value))
    if not code:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("`", "'")


def ics(value: object) -> str:
    """Text for an iCalendar TEXT value: controls but line breaks dropped (the library escapes the rest)."""
    return _compiled(_CONTROLS_BUT_BREAKS).sub("", _text(value).replace("\t", " "))


def json_dumps(data: object, indent: int | None = 2) -> str:
    """JSON text of ``data``, lossless: non-ASCII kept as is, lone surrogates written as ``\\u`` escapes.

    The text is ``json.dumps(data, indent=indent, ensure_ascii=False)``'s; with an indent, plain data
    (dicts with text keys, lists, tuples, text, numbers, booleans, None) is written by :func:`_indented`,
    about 1.6 times as fast as the standard library's encoder, which has no C version for indented output.
    """
    import json

    text = None
    if indent is not None:
        parts: list[str] = []
        try:
            from json.encoder import encode_basestring  # the C version where there is one

            _indented(data, "\n", " " * indent, parts, encode_basestring)
            text = "".join(parts)
        except _Unusual:
            pass
    if text is None:
        text = json.dumps(data, indent=indent, ensure_ascii=False)
    if _compiled(_SURROGATE).search(text):
        text = _compiled(_SURROGATE).sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
    return text


class _Unusual(Exception):
    """Data :func:`_indented` leaves to the standard library (a key that is not text, an unknown type)."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _indented(obj: object, newline: str, step: str, out: list[str], encode_basestring: Any) -> None:
    """Append ``json.dumps(obj, indent=len(step), ensure_ascii=False)``'s text for plain data to ``out``."""
    if isinstance(obj, str):
        out.append(encode_basestring(obj))
    elif obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif isinstance(obj, int):
        out.append(int.__repr__(obj))
    elif isinstance(obj, float):
        out.append(_float(obj))
    elif isinstance(obj, dict):
        if not obj:
            out.append("{}")
            return
        inner = newline + step
        sep = "{" + inner
        for key, value in obj.items():
            if not isinstance(key, str):
                raise _Unusual
            out.append(sep)
            out.append(encode_basestring(key))
            out.append(": ")
            _indented(value, inner, step, out, encode_basestring)
            sep = "," + inner
        out.append(newline + "}")
    elif isinstance(obj, (list, tuple)):
        if not obj:
            out.append("[]")
            return
        inner = newline + step
        sep = "[" + inner
        for value in obj:
            out.append(sep)
            _indented(value, inner, step, out, encode_basestring)
            sep = "," + inner
        out.append(newline + "]")
    else:
        raise _Unusual


def masked_terminal(value: object, field: str = "") -> str:
    """:func:`terminal` of the text with its identifiers masked (for a message about ``field``)."""
    return terminal(mask_identifiers(_text(value), field))
