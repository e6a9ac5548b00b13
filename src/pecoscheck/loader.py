"""Strict, position-keeping YAML loading.

The file is composed into nodes with libyaml (never constructed), then walked
into plain Python data: mappings, lists, ``None``, ``True``/``False`` and
strings that keep their original text. The model decides what a string means,
so ``zip: 02134`` stays ``"02134"``. Every value's line and column are kept in a
:class:`SourceMap`. Anything that would lose or invent data, or run code, is a
finding instead of a value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from .findings import Finding, Severity

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "timestamp", "binary")}
_NULL_TEXT = {"", "~", "null", "Null", "NULL"}
_BOOL_RE = re.compile(r"(?i)true|false")
_STR, _SEQ, _MAP, _NULL, _BOOL, _MERGE = (_TAG + t for t in ("str", "seq", "map", "null", "bool", "merge"))
# The YAML 1.1 implicit tags of untagged plain scalars that the walker tells apart from text; every
# other plain scalar (int, float, timestamp or str) is read as its text whatever its tag.
_IMPLICIT = {
    **dict.fromkeys(_NULL_TEXT, _NULL),
    **{w: _BOOL for b in ("yes", "no", "true", "false", "on", "off") for w in (b, b.capitalize(), b.upper())},
    "<<": _MERGE, "=": _TAG + "value", "!": _TAG + "yaml", "&": _TAG + "yaml", "*": _TAG + "yaml",
}


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader with implicit typing cut down to what the walker uses: a dictionary lookup
    instead of the resolver's regular expressions for every plain scalar (a quarter of compose time)."""

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _IMPLICIT.get(value, _STR) if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what libyaml counts as a line break


class SourceMap:
    """Line and column (1-based) of each value and key, by path."""

    __slots__ = ("keys", "values")

    def __init__(self, values: dict[PathKey, tuple[int, int]] | None = None,
                 keys: dict[PathKey, tuple[int, int]] | None = None) -> None:
        self.values: dict[PathKey, tuple[int, int]] = values if values is not None else {}
        self.keys: dict[PathKey, tuple[int, int]] = keys if keys is not None else {}

    def locate(self, path: PathKey, prefer_key: bool = False) -> tuple[int | None, int | None]:
        """The place of ``path``, or of its nearest ancestor that exists."""
        p = tuple(path)
        while True:
            first, second = (self.keys, self.values) if prefer_key else (self.values, self.keys)
            for table in (first, second):
                if p in table:
                    return table[p]
            if not p:
                return (None, None)
            p = p[:-1]

    def key_place(self, path: PathKey) -> tuple[int | None, int | None]:
        return self.locate(path, prefer_key=True)


def format_path(path: PathKey) -> str:
    """``("licenses", 0, "expires")`` -> ``licenses[0].expires``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def parse_path(text: str) -> PathKey:
    """Inverse of :func:`format_path`."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", text):
        parts.append(int(index) if index else name)
    return tuple(parts)


class Loaded:
    """The result of reading one file: data (or ``None``), positions, findings.

    This and :class:`SourceMap` are plain classes: generating their dataclass methods cost 0.5 ms of
    every start, and neither is compared or printed.
    """

    __slots__ = ("data", "findings", "source", "text")

    def __init__(self, data: object, source: SourceMap, findings: list[Finding], text: str = "") -> None:
        self.data = data
        self.source = source
        self.findings = findings
        self.text = text


def _finding(rule: str, message: str, line: int | None = None, column: int | None = None,
             hint: str = "", path: str = "") -> Finding:
    return Finding(rule, Severity.ERROR, message, path, line, column, hint)


def _decode(raw: bytes) -> tuple[str | None, Finding | None]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, _finding(
            "YML006", "the file is UTF-16 encoded; profiles must be UTF-8", 1, 1,
            "Save the file as UTF-8 (most editors: 'Save with encoding' > UTF-8).")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw[:8192]:
        return None, _finding("YML006", "the file contains NUL bytes; it looks binary, not a YAML profile",
                              1, 1, "Check that this is the profile and not a document such as a PDF.")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, _finding(
            "YML006", f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at line {line}, column {col})",
            line, col, "Save the file as UTF-8; a Windows-1252 or Latin-1 character was probably pasted in.")


def _yaml_error(exc: yaml.YAMLError, text: str = "") -> Finding:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    if line is not None and text and not text.endswith(("\n", "\r", "\x85", "\u2028", "\u2029")):
        breaks = _LINE_BREAK.findall(text)  # libyaml puts the end of an unterminated last line on the next one
        if line > len(breaks) + 1:
            line, col = len(breaks) + 1, len(_LINE_BREAK.split(text)[-1]) + 1
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    if context and "expected a single document" in context:
        return _finding("YML001", "the file holds more than one YAML document; a profile is one document",
                        line, col, "Put each provider in its own file and remove the extra `---` separator.")
    from .yaml_errors import diagnose

    context_mark = getattr(exc, "context_mark", None)
    found = None
    if isinstance(exc, yaml.MarkedYAMLError) and "nesting depth" not in problem:
        found = diagnose(text, line, problem, context, context_mark.line + 1 if context_mark is not None else None)
    if found is not None:
        return _finding("YML001", f"{found.message} (YAML parser: {problem})", found.line, found.column, found.hint)
    hint = "Fix the YAML syntax at this place; check indentation and quoting."
    index = getattr(mark, "index", None)
    if "\t" in problem or (index is not None and text[index:index + 1] == "\t"):
        hint = "YAML does not allow tab characters for indentation; indent with spaces."
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    return _finding("YML001", message, line, col, hint)


class _Budget(Exception):
    pass


class _Walker:
    def __init__(self) -> None:
        self.source = SourceMap()
        self.findings: list[Finding] = []
        self.nodes = 0

    def _mark(self, node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def walk(self, node: yaml.Node, path: PathKey, depth: int = 0) -> object:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Budget("size")
        if depth > MAX_DEPTH:
            raise _Budget("depth")
        mark = node.start_mark
        self.source.values[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:  # most values: the same answer as _scalar, sooner
                return node.value
            return self._scalar(node, path)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        assert isinstance(node, yaml.SequenceNode)
        if node.tag != _SEQ:
            return self._bad_tag(node, path)
        return [self.walk(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]

    def _bad_tag(self, node: yaml.Node, path: PathKey) -> object:
        line, col = self._mark(node)
        constructs = "python/" in node.tag
        what = "tags that construct objects are refused" if constructs else "unknown YAML tags are refused"
        self.findings.append(_finding(
            "YML003", f"{what}: `{node.tag.replace(_TAG, '!!')}`", line, col,
            "Remove the tag; profiles hold plain text, numbers, dates, lists and mappings.",
            format_path(path)))
        return None

    def _scalar(self, node: yaml.ScalarNode, path: PathKey) -> object:
        text = node.value
        if node.style is None or node.style == "":
            if node.tag == _NULL and text in _NULL_TEXT:
                return None
            if node.tag == _BOOL and _BOOL_RE.fullmatch(text):
                return text.lower() == "true"
            if node.tag in (_BOOL, _NULL):
                return text
        if node.tag in _PLAIN_TAGS or node.tag in (_BOOL, _NULL):
            return text
        return self._bad_tag(node, path)

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> object:
        if node.tag != _MAP:
            return self._bad_tag(node, path)
        out: dict[str, object] = {}
        seen: dict[str, int] = {}
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for src in sources:
                    if isinstance(src, yaml.MappingNode):
                        merged.extend(src.value)
                    else:
                        line, col = self._mark(src)
                        self.findings.append(_finding("YML001", "a `<<` merge key must name a mapping",
                                                      line, col, path=format_path(path)))
            else:
                pairs.append((key_node, value_node))
        if merged:
            explicit = {k.value for k, _ in pairs if isinstance(k, yaml.ScalarNode)}
            pairs += [(k, v) for k, v in merged if not (isinstance(k, yaml.ScalarNode) and k.value in explicit)]
        for key_node, value_node in pairs:
            mark = key_node.start_mark
            line, col = mark.line + 1, mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.findings.append(_finding("YML001", "a key must be plain text, not a list or mapping",
                                              line, col, path=format_path(path)))
                continue
            key = key_node.value
            if key in seen:
                self.findings.append(_finding(
                    "YML002", f"duplicate key `{key}` (first at line {seen[key]}); YAML would silently keep "
                    "only the last value", line, col,
                    "Remove one of the two entries, or merge their contents.", format_path((*path, key))))
                continue
            seen[key] = line
            child = (*path, key)
            self.source.keys[child] = (line, col)
            out[key] = self.walk(value_node, child, depth + 1)
        return out


def _expanded_size(root: yaml.Node) -> tuple[int, int]:
    """Number of values after alias expansion, computed without expanding, and of distinct values.

    Keys are not counted: the walker reads only plain-text keys and never expands one.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [v for _, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if done:
            sizes[id(node)] = min(MAX_NODES * 10, 1 + sum(sizes.get(id(c), 0) for c in children))
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)], len(sizes)


def loads(text: str) -> Loaded:
    """Load profile text (already decoded)."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        return Loaded(None, SourceMap(), [_yaml_error(exc, text)], text)
    except RecursionError:
        return Loaded(None, SourceMap(), [_finding(
            "YML005", "the file nests too deeply to read; refused", 1, 1)], text)
    if root is None:
        return Loaded(None, SourceMap(), [_finding(
            "YML007", "the file is empty (or holds only comments); a profile is a mapping of keys",
            1, 1, "Start from `pecoscheck init`, which writes a commented starter profile.")], text)
    walker = _Walker()
    # Without an alias (`*name`) every node is reached once, so expanded == distinct: skip the count.
    expanded, distinct = _expanded_size(root) if "*" in text else (0, 0)
    if expanded > MAX_NODES and distinct <= MAX_NODES:  # more distinct values than that: the walker says so
        line, col = walker._mark(root)
        return Loaded(None, SourceMap(), [_finding(
            "YML004", f"the file expands to more than {MAX_NODES:,} values through anchors and aliases "
            "(a 'billion laughs' file); refused", line, col,
            "Use anchors only for small repeated blocks such as an address.")], text)
    try:
        data = walker.walk(root, ())
    except _Budget as exc:
        msg = (f"the file nests deeper than {MAX_DEPTH} levels" if str(exc) == "depth"
               else f"the file holds more than {MAX_NODES:,} values")
        return Loaded(None, SourceMap(), [_finding("YML005", msg + "; refused", 1, 1)], text)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        line, col = walker._mark(root)
        walker.findings.append(_finding(
            "YML007", f"the top level of a profile must be a mapping of keys, not {kind}", line, col,
            "Start the file with `schema_version: 1` and the `provider:` section."))
        return Loaded(None, walker.source, walker.findings, text)
    return Loaded(data, walker.source, walker.findings, text)


def load(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> Loaded:
    """Read and load one profile file; problems become findings, never exceptions."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            return Loaded(None, SourceMap(), [_finding(
                "YML005", f"the file is {size / 1048576:.1f} MiB, over the {max_bytes / 1048576:.0f} MiB limit "
                "for a profile; refused without reading it", None, None,
                "A profile is a few kilobytes; keep documents as separate files referenced by `documents`.")])
        # O_NONBLOCK: opening a named pipe that nobody writes to must not hang; reads then block as usual
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if hasattr(os, "O_NONBLOCK"):
                os.set_blocking(fd, True)
            # read(n) allocates n bytes first: ask for the size stat gave (+1), and read on only if there is more
            want = min(size, max_bytes) + 1 if size else max_bytes + 1
            raw = fh.read(want)
            if len(raw) == want and want <= max_bytes:
                raw += fh.read(max_bytes + 1 - want)
    except OSError as exc:
        return Loaded(None, SourceMap(), [_finding(
            "YML008", f"cannot read the file: {exc.strerror or exc}", None, None,
            "Check that the file exists and that you may read it.")])
    if len(raw) > max_bytes:
        return Loaded(None, SourceMap(), [_finding(
            "YML005", f"the file is over the {max_bytes / 1048576:.0f} MiB limit for a profile; refused")])
    text, problem = _decode(raw)
    if problem is not None or text is None:
        return Loaded(None, SourceMap(), [problem] if problem else [])
    return loads(text)


def iter_comments(text: str) -> Iterator[tuple[int, str]]:
    """Yield (line, comment text) for each line carrying a ``#`` comment outside quotes."""
    for number, line in enumerate(text.splitlines(), start=1):
        if "#" not in line:
            continue
        quote = ""
        for i, ch in enumerate(line):
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
            elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
                yield number, line[i + 1:].strip()
                break
