"""The JSON Schema of the profile format, generated from the models, for editors' YAML language servers.

``pecoscheck schema`` prints it; a copy is kept in ``schema/profile.schema.json``
(a test keeps the two equal). What the models leave out for editors is added
here: readable titles, the document type ids of the built-in rule pack as
completions, the provider's kind-specific required keys, and integers where
the tool reads unquoted digits as text (see :func:`_allow_unquoted`).
"""

from __future__ import annotations

from typing import Any

SCHEMA_ID = "https://pecoscheck.github.io/schema/profile-v1.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Identifier fields that people write unquoted: pecoscheck reads `npi: 1234567893` as the text "1234567893",
# but a YAML 1.2 editor (VS Code's YAML extension) sees a number.
UNQUOTED_DIGITS = frozenset({"npi", "group_npi", "tin", "group_tin", "ptan", "group_ptan", "zip", "routing_number",
                             "number"})
PATTERNS = {"npi": r"^[0-9]{10}$", "group_npi": r"^[0-9]{10}$", "zip": r"^[0-9]{5}(-[0-9]{4})?$"}
_ACRONYMS = {"npi": "NPI", "tin": "TIN", "ptan": "PTAN", "zip": "ZIP code", "dba": "DBA", "id": "ID", "w2": "W-2",
             "cms": "CMS", "eft": "EFT"}


def profile_schema() -> dict[str, Any]:
    """A Draft 2020-12 JSON Schema for editors (titles, descriptions, enums, examples)."""
    from .model import Profile

    schema = Profile.model_json_schema(mode="validation", by_alias=True)
    schema["$schema"] = DIALECT
    schema["$id"] = SCHEMA_ID
    schema["description"] = (
        "A pecoscheck enrollment profile (format version 1): one enrolling party (an individual practitioner or "
        "an organization) and the enrollment action being prepared for PECOS. Check it with "
        "`pecoscheck validate`.")
    defs = schema.get("$defs", {})
    _describe([("Profile", schema), *defs.items()])
    for model in [schema, *defs.values()]:
        for name, prop in model.get("properties", {}).items():
            prop["title"] = title(name)
    _allow_unquoted(schema)
    _document_types(defs.get("Document"))
    _provider_requirements(defs.get("Provider"))
    return {k: schema[k] for k in ("$schema", "$id", "title", "description", *sorted(set(schema) - {
        "$schema", "$id", "title", "description"}))}


def _describe(models: list[tuple[str, dict[str, Any]]]) -> None:
    """Each property's description, from its field's docstring (:mod:`.model_docs`), where Pydantic puts one."""
    from .model_docs import field_descriptions

    docs = field_descriptions()
    for model_name, model in models:
        for name, prop in model.get("properties", {}).items():
            text = docs.get(model_name, {}).get(name)
            if text:
                prop["description"] = text
                ordered = sorted(prop.items())  # Pydantic sorts a property's keys
                prop.clear()
                prop.update(ordered)


def title(name: str) -> str:
    """``group_npi`` -> ``Group NPI``; ``w2_managing_employee`` -> ``W-2 managing employee``."""
    words = [_ACRONYMS.get(w, w) for w in name.split("_")]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


def _allow_unquoted(node: Any, name: str | None = None) -> None:
    """Editors read YAML 1.2: an unquoted ``1`` is a number. Numbers are fine where the tool reads text."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for key, prop in props.items():
                if key in UNQUOTED_DIGITS:
                    _string_or_integer(prop, key)
        for key, value in node.items():
            if key != "properties":
                _allow_unquoted(value)
            else:
                for prop in value.values():
                    _allow_unquoted(prop)
    elif isinstance(node, list):
        for value in node:
            _allow_unquoted(value)


def _string_or_integer(prop: dict[str, Any], name: str) -> None:
    branches = prop.get("anyOf", [prop])
    for branch in branches:
        if branch.get("type") == "string":
            branch["type"] = ["string", "integer"]
            if name in PATTERNS:
                branch["pattern"] = PATTERNS[name]  # applies to strings only; a bare number passes
    note = "Digits may be written unquoted."
    if note not in prop.get("description", ""):
        prop["description"] = (prop.get("description", "") + " " + note).strip()


def _document_types(document: dict[str, Any] | None) -> None:
    """Offer the document type ids of the built-in rule pack as completions (packs may add more)."""
    if not document:
        return
    from .rules.registry import default_registry

    types = default_registry(plugins=False).document_types
    if types:
        prop = document["properties"]["type"]
        prop["examples"] = sorted(types)
        prop["description"] = ("A document type id from the rule packs (`pecoscheck reference documents` lists "
                               "them, plus any `--rules` packs), e.g. `irs_cp575`, `state_license`.")
        prop["markdownDescription"] = "A document type id. Built in:\n\n" + "\n".join(
            f"- `{k}`: {types[k]}" for k in sorted(types)) + "\n\nRule packs given with `--rules` may define more."


def _provider_requirements(provider: dict[str, Any] | None) -> None:
    """What each kind of provider must have, as the tool's format check (SCH002) requires."""
    if not provider:
        return
    provider["allOf"] = [
        {"if": {"properties": {"kind": {"const": "individual"}}, "required": ["kind"]},
         "then": {"required": ["name"]}},
        {"if": {"properties": {"kind": {"const": "organization"}}, "required": ["kind"]},
         "then": {"required": ["legal_name", "tin"]}},
    ]
