"""Styled lines for the text report without Rich: a ``Text`` of (string, style) spans and a ``Console``.

The text report is what most runs print, and Rich's import is a tenth of a one-profile run; the
report needs only bold, dim and a few colours. The names and calls follow Rich's (``Text.assemble``,
``Text.append``, ``Console.print``) so the reporter reads the same. Spans are printed as given: the
caller passes every untrusted value through :func:`pecoscheck.sinks.terminal` first.
"""

from __future__ import annotations

from typing import TextIO

_SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}


def _codes(style: str) -> str:
    return ";".join(_SGR[word] for word in style.split() if word in _SGR)


class Text:
    """One line of text made of styled spans."""

    def __init__(self, text: str = "", style: str = "") -> None:
        self.spans: list[tuple[str, str]] = [(text, style)] if text else []

    @classmethod
    def assemble(cls, *parts: str | tuple[str, str] | Text) -> Text:
        line = cls()
        for part in parts:
            if isinstance(part, Text):
                line.spans += part.spans
            else:
                line.spans.append(part if isinstance(part, tuple) else (part, ""))
        return line

    def append(self, text: str, style: str = "") -> None:
        self.spans.append((text, style))

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.spans)

    def render(self, color: bool) -> str:
        if not color:
            return self.plain
        out = []
        for text, style in self.spans:
            codes = _codes(style)
            out.append(f"\x1b[{codes}m{text}\x1b[0m" if codes and text else text)
        return "".join(out)

    def __str__(self) -> str:
        return self.plain


class Console:
    """Writes lines to ``file``, with ANSI styles when ``color``."""

    def __init__(self, file: TextIO, color: bool = False) -> None:
        self.file = file
        self.color = color

    def print(self, line: Text | str = "") -> None:
        self.file.write((line.render(self.color) if isinstance(line, Text) else line) + "\n")
