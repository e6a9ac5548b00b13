"""The profile models' field descriptions: the attribute docstrings under each field in :mod:`.model`.

They are docstrings, not ``Field(description=...)``: Pydantic builds every field's ``FieldInfo`` at each
start, and the descriptions made about 1.3 ms of that, while only the editor schema and the format
reference read them.
"""

from __future__ import annotations

import ast
from functools import cache


@cache
def field_descriptions() -> dict[str, dict[str, str]]:
    """Model class name -> field name -> its description (the docstring's words, on one line)."""
    from . import model

    with open(model.__file__, encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    out: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        docs = out[node.name] = {}
        for stmt, after in zip(node.body, node.body[1:], strict=False):
            if (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str)):
                docs[stmt.target.id] = " ".join(after.value.value.split())
    return out


def description(model: type, name: str) -> str:
    """The description of field ``name`` of ``model`` (or of the class that declares it), else ``""``."""
    for cls in model.__mro__:
        found = field_descriptions().get(cls.__name__, {}).get(name)
        if found:
            return found
    return ""
