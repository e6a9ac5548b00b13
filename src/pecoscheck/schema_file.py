"""Where ``init`` keeps the editor schema, and the ``$schema=`` reference a profile uses to reach it.

The schema file is ``profile.schema.json`` at the project root: the folder of
the nearest pecoscheck config file (``pecoscheck.toml``, ``.pecoscheck.toml``,
a ``pyproject.toml`` with ``[tool.pecoscheck]``) above the profile, else the
top of its git work tree, else the profile's own folder. A profile refers to it
by a path relative to the profile's folder, so one folder per provider works.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

SCHEMA_NAME = "profile.schema.json"


@dataclass(frozen=True)
class SchemaPlace:
    """The schema file for a profile, the reference its first line carries, and what was done to the file."""

    file: Path
    ref: str
    action: str = "unchanged"  # "written", "updated", "unchanged" or "foreign" (a file of another origin kept)


def project_root(folder: Path) -> Path:
    """The project root for a profile in ``folder`` (see the module docstring)."""
    from .config import find_config

    folder = folder.resolve()
    found = find_config(folder)
    if found is not None:
        return found.parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def schema_reference(profile: Path, schema: Path) -> str:
    """``schema`` relative to the profile's folder, with forward slashes (what yaml-language-server expects)."""
    rel = os.path.relpath(schema.resolve(), profile.resolve().parent)
    return Path(rel).as_posix()


def current_schema_text() -> str:
    from .schema import profile_schema

    return json.dumps(profile_schema(), indent=2) + "\n"


def _ours(text: str, current: str) -> bool:
    try:
        return bool(json.loads(text).get("$id") == json.loads(current).get("$id"))
    except (ValueError, AttributeError):
        return False


def ensure_schema(profile: Path, root: Path | None = None) -> SchemaPlace:
    """Write (or refresh) the project's schema file for ``profile``; a file not written by pecoscheck is kept.

    Raises OSError when the file cannot be written.
    """
    from .util import atomic_write

    target = (root or project_root(profile.parent)) / SCHEMA_NAME
    current = current_schema_text()
    ref = schema_reference(profile, target)
    try:
        existing: str | None = target.read_text("utf-8")
    except FileNotFoundError:
        existing = None
    except (OSError, UnicodeDecodeError):
        return SchemaPlace(target, ref, "foreign")
    if existing == current:
        return SchemaPlace(target, ref, "unchanged")
    if existing is not None and not _ours(existing, current):
        return SchemaPlace(target, ref, "foreign")
    atomic_write(target, current)
    return SchemaPlace(target, ref, "written" if existing is None else "updated")
