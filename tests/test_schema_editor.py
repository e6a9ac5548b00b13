"""The editor schema: committed copy up to date, valid, and accepting what pecoscheck accepts.

Editors (VS Code's YAML extension) read YAML 1.2, where an unquoted ``npi:
1234567893`` is a number and a date is a string; the schema must not show
errors for profiles the tool reads without a format finding.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from helpers import AS_OF, EXAMPLES, ROOT, check
from pecoscheck.cli import app

COMMITTED = ROOT / "schema" / "profile.schema.json"
PROFILES = sorted([*EXAMPLES.glob("*/profile.yaml"), *(EXAMPLES / "not-ready").glob("*.yaml")])


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML with the YAML 1.2 core schema's implicit types, as editors' language servers read files."""


Yaml12Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag.rsplit(":", 1)[-1] not in ("bool", "int", "float", "timestamp")]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
                                   list("-+0123456789"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$"),
    list("-+.0123456789"))
Yaml12Loader.add_constructor("tag:yaml.org,2002:int", lambda loader, node: int(loader.construct_scalar(node), 0)
                             if loader.construct_scalar(node).startswith(("0o", "0x"))
                             else int(loader.construct_scalar(node)))


def load_12(text: str) -> Any:
    return yaml.load(text, Loader=Yaml12Loader)  # a SafeLoader subclass


def load_safe(text: str) -> Any:
    """yaml.safe_load (YAML 1.1), with dates turned back into the ISO text they were written as."""
    def iso(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: iso(v) for k, v in node.items()}
        if isinstance(node, list):
            return [iso(v) for v in node]
        return node.isoformat() if isinstance(node, dt.date) else node
    return iso(yaml.safe_load(text))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(COMMITTED.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_committed_schema_is_the_generated_one() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert COMMITTED.read_text("utf-8") == result.stdout, (
        "schema/profile.schema.json is out of date: run `pecoscheck schema -o schema/profile.schema.json`")


def test_every_property_has_a_title_and_description() -> None:
    schema = json.loads(COMMITTED.read_text("utf-8"))
    assert schema["$schema"].startswith("https://json-schema.org/") and schema["$id"] and schema["description"]
    for name, model in [("Profile", schema), *schema["$defs"].items()]:
        assert model.get("description"), name
        for key, prop in model.get("properties", {}).items():
            assert prop.get("title") and prop.get("description"), f"{name}.{key}"


def test_dates_enums_and_identifiers() -> None:
    defs = json.loads(COMMITTED.read_text("utf-8"))["$defs"]
    assert {"format": "date", "type": "string"} in defs["License"]["properties"]["expires"]["anyOf"]
    assert defs["License"]["properties"]["status"]["enum"][0] == "active"
    assert "individual" in defs["Provider"]["properties"]["kind"]["enum"]
    for model, field in (("Provider", "npi"), ("Provider", "tin"), ("Address", "zip"), ("Medicare", "ptan"),
                         ("BankAccount", "routing_number"), ("License", "number"), ("Reassignment", "group_npi"),
                         ("Owner", "npi")):
        text = json.dumps(defs[model]["properties"][field])
        assert '["string", "integer"]' in text, f"{model}.{field}"
    assert "irs_cp575" in defs["Document"]["properties"]["type"]["examples"]


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
@pytest.mark.parametrize("reader", [load_12, load_safe], ids=["yaml-1.2", "safe_load"])
def test_examples_the_tool_reads_validate_against_the_schema(validator, path: Path, reader) -> None:
    result = check(path, AS_OF)
    format_problems = [f for f in result.findings if f.rule[:3] in ("SCH", "YML") and f.rule != "SCH900"]
    found = errors(validator, reader(path.read_text("utf-8")))
    if not format_problems:
        assert found == []
    elif any(f.rule == "SCH001" for f in format_problems):
        assert found, "an unknown key the tool reports is also a schema error"


UNQUOTED = """\
schema_version: 1
provider:
  kind: individual
  npi: 1234567893
  name: {first: Jane, last: Doe}
  medicare: {ptan: 012345, revalidation_due: TBD}
enrollment: {action: initial, submitted_on: 2026-11-30}
licenses:
  - {state: CA, number: 123456, status: active, expires: 2028-06-30}
practice_locations:
  - address: {line1: 100 Main St, city: San Francisco, state: CA, zip: 02134}
    primary: true
identity_access: {holder: Jane Doe, role: individual_provider, systems: [PECOS]}
documents:
  - {type: state_license, file: docs/ca-license.pdf}
bank_account: {routing_number: 021000021}
"""


@pytest.mark.parametrize("reader", [load_12, load_safe], ids=["yaml-1.2", "safe_load"])
def test_unquoted_digits_are_no_editor_error(validator, reader, tmp_path: Path) -> None:
    assert errors(validator, reader(UNQUOTED)) == []
    profile = tmp_path / "profile.yaml"
    profile.write_text(UNQUOTED, "utf-8")
    assert [f for f in check(profile, AS_OF).findings if f.rule[:3] in ("SCH", "YML") and f.rule != "SCH900"] == []


def test_real_mistakes_are_still_editor_errors(validator) -> None:
    def with_(old: str, new: str) -> list[str]:
        assert old in UNQUOTED
        return errors(validator, load_12(UNQUOTED.replace(old, new)))

    assert with_("npi: 1234567893", 'npi: "12345"')  # quoted, not 10 digits
    assert with_("zip: 02134", 'zip: "0213"')
    assert with_("licenses:", "licences:")  # unknown key
    assert with_("expires: 2028-06-30", "expires: 06/30/2028")  # not a date
    assert with_("status: active", "status: current")  # not in the enum
    assert with_("  name: {first: Jane, last: Doe}\n", "")  # an individual needs a name
    assert with_("kind: individual", "kind: organization")  # an organization needs legal_name and tin


def test_every_model_field_is_described_by_its_docstring() -> None:
    """Descriptions live in the attribute docstring under each field (pecoscheck.model_docs), not in Field()."""
    from pydantic import BaseModel

    from pecoscheck import model
    from pecoscheck.model_docs import description

    models = [c for c in vars(model).values()
              if isinstance(c, type) and issubclass(c, BaseModel) and c.__module__ == model.__name__ and c.model_fields]
    assert len(models) > 15
    for cls in models:
        for name, info in cls.model_fields.items():
            assert description(cls, name), f"{cls.__name__}.{name} has no docstring"
            assert info.description is None, f"{cls.__name__}.{name}: the description belongs in its docstring"
    assert description(model.PersonName, "middle") == "Middle name or initial."
    assert description(model.PersonName, "nickname") == ""
