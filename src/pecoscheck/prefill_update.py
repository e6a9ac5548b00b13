"""``init --from-npi --update``: fill the empty fields of an existing profile from the registries.

The file's text is edited in place (comments, key order and quoting of
everything else stay as written); nothing already written is changed. Where a
written value differs from the registry's, that is reported as a diff
(:class:`Disagreement`), never overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .prefill import PrefillError, prefilled
from .yaml_text import Flow, Note, _inline, mapping_lines, scalar, sequence_lines

Path_ = tuple[str | int, ...]
_LIST_KEYS: dict[Path_, tuple[str, ...]] = {
    ("provider", "taxonomies"): ("code",),
    ("licenses",): ("state", "number"),
    ("practice_locations",): ("address.line1", "address.zip"),
    ("reassignments",): ("group_name",),
    ("officials",): ("name",),
}


@dataclass(frozen=True)
class Disagreement:
    """A value the profile holds that the registry has otherwise (or a list item one side lacks)."""

    path: str
    line: int
    profile: str | None  # the profile's text, or None when the profile lacks the item
    registry: str | None  # the registry's, or None when the registry lacks it
    source: str

    def diff(self) -> str:
        head = f"@@ {self.path} (line {self.line}) @@"
        lines = [head]
        if self.profile is not None:
            lines.append(f"- {self.profile}")
        if self.registry is not None:
            lines.append(f"+ {self.registry}  # {self.source}")
        return "\n".join(lines)


@dataclass
class UpdateResult:
    """The new text, the fields filled (dotted paths) and where the registry disagrees."""

    text: str
    filled: list[str] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)


def _norm(value: Any) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    text = re.sub(r"[.,]", "", text.casefold())
    return " ".join(text.split())


def _same(path: Path_, written: str, registry: Any) -> bool:
    a, b = _norm(written), _norm(registry)
    if path and path[-1] == "zip":
        return a[:5] == b[:5] and (len(a) == 5 or len(b) == 5 or a == b)
    if path and path[-1] == "phone":
        return re.sub(r"\D", "", a) == re.sub(r"\D", "", b)
    return a == b


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def _child(node: Any, key: str) -> tuple[Any, Any] | None:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def _is_empty(node: Any) -> bool:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return node.tag.endswith(":null") or (node.value == "" and node.style is None)
    return isinstance(node, yaml.SequenceNode | yaml.MappingNode) and not node.value


def _last_line(node: Any) -> int:
    """The 0-based line on which the last scalar under ``node`` ends."""
    import yaml

    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        return int(node.end_mark.line)
    children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else node.value
    return max((_last_line(c) for c in children), default=int(node.start_mark.line))


class _Editor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.edits: list[tuple[int, int, str]] = []  # (start, end, replacement) on the original text
        starts = [0]
        for m in re.finditer("\n", text):
            starts.append(m.end())
        self.line_starts = starts

    def line_end(self, line: int) -> int:
        """Index just after the newline of 0-based ``line`` (end of text if none)."""
        return self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)

    def apply(self) -> str:
        out = self.text
        for start, end, new in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            out = out[:start] + new + out[end:]
        return out


def _subtree(tree: dict[str, Any], path: Path_) -> Any:
    node: Any = tree
    for key in path:
        node = node.value if isinstance(node, Note) else node
        node = node.items if isinstance(node, Flow) else node
        node = node[key]
    return node


def _render(key: str, value: Any, indent: int) -> str:
    return "\n".join(mapping_lines({key: value}, indent)) + "\n"


def _item_key(item: Any, fields: tuple[str, ...]) -> tuple[str, ...]:
    def get(obj: Any, dotted: str) -> Any:
        for part in dotted.split("."):
            obj = obj.value if isinstance(obj, Note) else obj
            obj = obj.items if isinstance(obj, Flow) else obj
            obj = obj.get(part) if isinstance(obj, dict) else None
        return obj.value if isinstance(obj, Note) else obj

    return tuple(_norm(get(item, f) or "")[: 5 if f.endswith("zip") else None] for f in fields)


def _node_key(node: Any, fields: tuple[str, ...]) -> tuple[str, ...]:
    def get(n: Any, dotted: str) -> str:
        for part in dotted.split("."):
            found = _child(n, part)
            if found is None:
                return ""
            n = found[1]
        return str(getattr(n, "value", "")) if not isinstance(getattr(n, "value", None), list) else ""

    return tuple(_norm(get(node, f))[: 5 if f.endswith("zip") else None] for f in fields)


def update_text(text: str, tree: dict[str, Any]) -> UpdateResult:
    """Fill the empty fields of the profile ``text`` from the draft ``tree``; report disagreements."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}" if where is not None else ""
        raise PrefillError(f"cannot update: the profile is not valid YAML{at}; fix it first (pecoscheck validate "
                           "shows the problem)", 2) from None
    if not isinstance(root, yaml.MappingNode):
        raise PrefillError("cannot update: the profile is not a mapping of keys", 2)
    result = UpdateResult(text=text)
    ed = _Editor(text)
    done_lists: set[Path_] = set()
    appended: list[str] = []
    for path, value, source in prefilled(tree):
        list_at = next((i for i, p in enumerate(path) if isinstance(p, int)), None)
        if list_at is not None:
            lp = path[:list_at]
            if lp not in done_lists:
                done_lists.add(lp)
                _update_list(ed, root, tree, lp, result, appended)
            continue
        _update_scalar(ed, root, tree, path, value, source, result, appended)
    new = ed.apply()
    if appended:
        new = new.rstrip("\n") + "\n\n" + "\n".join(a.rstrip("\n") for a in appended) + "\n"
    result.text = new
    return result


def _parent_and_missing(root: Any, path: Path_) -> tuple[Any, int]:
    """The deepest existing mapping node along ``path`` and how many keys of ``path`` it already covers."""
    node = root
    for depth, key in enumerate(path[:-1]):
        found = _child(node, str(key))
        if found is None or (_is_empty(found[1]) and not isinstance(found[1], yaml_mapping())):
            return node, depth
        node = found[1]
    return node, len(path) - 1


def yaml_mapping() -> type:
    import yaml

    return yaml.MappingNode


def _insert_under(ed: _Editor, parent: Any, key: str, block: Any, appended: list[str], top: bool) -> None:
    """Add ``key: block`` at the end of the mapping ``parent``."""
    if top:
        appended.append(_render(key, block, 0))
        return
    if getattr(parent, "flow_style", False):
        end = parent.end_mark.index - 1  # the closing brace
        inline = _inline(block, True)
        sep = ", " if parent.value else ""
        ed.edits.append((end, end, f"{sep}{key}: {inline}"))
        return
    indent = parent.value[0][0].start_mark.column if parent.value else parent.start_mark.column + 2
    at = ed.line_end(_last_line(parent))
    rendered = _render(key, block, indent)
    if at == len(ed.text) and not ed.text.endswith("\n"):
        rendered = "\n" + rendered
    ed.edits.append((at, at, rendered))


def _update_scalar(ed: _Editor, root: Any, tree: dict[str, Any], path: Path_, value: Any, source: str,
                   result: UpdateResult, appended: list[str]) -> None:
    import yaml

    parent, depth = _parent_and_missing(root, path)
    if depth < len(path) - 1:  # a whole section is missing: add it as the draft has it
        key = str(path[depth])
        section = path[: depth + 1]
        if any(p == section[: len(p)] for p in _filled_sections(result)):
            return
        existing = _child(parent, key)
        block = _subtree(tree, section)
        if existing is not None:  # present but empty (`medicare:` or `medicare: {}`)
            _replace_empty(ed, existing[1], key, block, parent, depth == 0)
        else:
            _insert_under(ed, parent, key, block, appended, depth == 0)
        result.filled.append(_dotted(section))
        return
    key = str(path[-1])
    found = _child(parent, key)
    if found is None:
        _insert_under(ed, parent, key, Note(value, source), appended, depth == 0 and len(path) == 1)
        result.filled.append(_dotted(path))
        return
    node = found[1]
    if _is_empty(node) and isinstance(node, yaml.ScalarNode):
        start, end = node.start_mark.index, node.end_mark.index
        gap = "" if start < end or ed.text[start - 1:start] == " " else " "
        ed.edits.append((start, end, gap + scalar(value)))
        result.filled.append(_dotted(path))
        return
    if isinstance(node, yaml.ScalarNode) and not _same(path, node.value, value):
        result.disagreements.append(Disagreement(_dotted(path), node.start_mark.line + 1,
                                                 f"{key}: {node.value}", f"{key}: {scalar(value)}", source))


def _filled_sections(result: UpdateResult) -> list[Path_]:
    return [tuple(p.split(".")) for p in result.filled]


def _replace_empty(ed: _Editor, node: Any, key: str, block: Any, parent: Any, top: bool) -> None:
    """Replace an empty value (``key:``, ``key: []``, ``key: {}``) with the draft's ``block``."""
    import yaml

    inner = block.value if isinstance(block, Note) else block
    indent = parent.value[0][0].start_mark.column if parent.value and not top else 0
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        start, end = node.start_mark.index, node.end_mark.index
        line_end = ed.text.find("\n", end)
        line_end = len(ed.text) if line_end < 0 else line_end
        comment = ed.text[end:line_end]
        if isinstance(inner, list):
            body = "\n".join(sequence_lines(inner, indent + 2))
        elif isinstance(inner, dict):
            body = "\n".join(mapping_lines(inner, indent + 2))
        else:
            ed.edits.append((start, end, ("" if start < end else " ") + _inline(inner)))
            return
        keep = comment if comment.strip().startswith("#") else ""
        if start < end and ed.text[start - 1:start] == " " and not keep:
            start -= 1
        ed.edits.append((start, line_end, keep.rstrip() + "\n" + body))


def _update_list(ed: _Editor, root: Any, tree: dict[str, Any], lp: Path_, result: UpdateResult,
                 appended: list[str]) -> None:
    import yaml

    draft = _subtree(tree, lp)
    items = draft.value if isinstance(draft, Note) else draft
    parent = root
    for key in lp[:-1]:
        found = _child(parent, str(key))
        if found is None or not isinstance(found[1], yaml.MappingNode):
            return  # the enclosing section is missing: the scalar pass adds it whole
        parent = found[1]
    key = str(lp[-1])
    found = _child(parent, key)
    if found is None:
        _insert_under(ed, parent, key, draft, appended, len(lp) == 1)
        result.filled.append(_dotted(lp))
        return
    node = found[1]
    if _is_empty(node):
        _replace_empty(ed, node, key, draft, parent, len(lp) == 1)
        result.filled.append(_dotted(lp))
        return
    if not isinstance(node, yaml.SequenceNode):
        return
    fields = _LIST_KEYS.get(lp, ())
    if not fields:
        return
    written = {_node_key(n, fields): n for n in node.value}
    for item in items:
        k = _item_key(item, fields)
        if k not in written:
            source = item.comment if isinstance(item, Note) else next(
                (s for _, _, s in prefilled(item)), "registry")
            shown = _inline(item.value if isinstance(item, Note) else item)
            result.disagreements.append(Disagreement(
                f"{_dotted(lp)}[]", node.start_mark.line + 1, None, f"- {shown}", source))
    if lp in (("provider", "taxonomies"), ("licenses",)):
        registry = {_item_key(item, fields) for item in items}
        for k, n in written.items():
            if k not in registry:
                text = ed.text[n.start_mark.index:n.end_mark.index].strip().splitlines()[0]
                result.disagreements.append(Disagreement(
                    f"{_dotted(lp)}[]", n.start_mark.line + 1, f"- {text}", None, "registry"))
