"""The JSON Schema of the profile format, generated from the models."""

from __future__ import annotations

from typing import Any

from ._version import __version__

SCHEMA_ID = "https://pecoscheck.github.io/schema/profile-v1.json"


def profile_schema() -> dict[str, Any]:
    """A Draft 2020-12 JSON Schema for editors (titles, descriptions, enums, examples)."""
    from .model import Profile

    schema = Profile.model_json_schema(mode="validation", by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["description"] = (
        f"pecoscheck {__version__}: one enrolling party (an individual practitioner or an organization) and "
        "the enrollment action being prepared for PECOS. Check a profile with `pecoscheck validate`.")
    _allow_unquoted(schema)
    return schema


def _allow_unquoted(node: Any) -> None:
    """Editors read YAML 1.2: an unquoted ``1`` is a number. Numbers are fine where the tool reads text."""
    if isinstance(node, dict):
        for value in node.values():
            _allow_unquoted(value)
    elif isinstance(node, list):
        for value in node:
            _allow_unquoted(value)
