"""``--format sarif``: valid SARIF 2.1.0 (OASIS schema, Draft 7) with what GitHub code scanning requires."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from helpers import AS_OF, ROOT
from pecoscheck.cli import app

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", *args, "--as-of", AS_OF.isoformat(), "--jobs", "1"])
    return result.exit_code, result.stdout


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def not_ready() -> tuple[dict, dict]:
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        code, out = run("examples/not-ready", "--format", "sarif")
        _, js = run("examples/not-ready", "--format", "json")
    finally:
        os.chdir(cwd)
    assert code == 1
    return json.loads(out), json.loads(js)


def test_validates_against_the_official_schema(not_ready) -> None:
    sarif, _ = not_ready
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    errors = sorted(jsonschema.Draft7Validator(SCHEMA).iter_errors(sarif), key=lambda e: list(e.path))
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors]


def test_one_run_with_the_driver_and_github_required_fields(not_ready) -> None:
    sarif, _ = not_ready
    assert sarif["$schema"] and sarif["version"] == "2.1.0"
    assert len(sarif["runs"]) == 1
    run_ = sarif["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "pecoscheck"
    assert driver["version"] and driver["semanticVersion"] == driver["version"]
    assert driver["informationUri"].startswith("https://")
    assert run_["columnKind"] == "unicodeCodePoints"
    assert run_["invocations"] == [{"executionSuccessful": True}]
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(set(ids))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and len(rule["shortDescription"]["text"]) <= 1024
        assert rule["fullDescription"]["text"] and len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert rule["properties"]["tags"] == [rule["id"].rstrip("0123456789")]


def test_one_result_per_finding_with_a_full_region(not_ready) -> None:
    sarif, report = not_ready
    run_ = sarif["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    expected = [(p["path"], f) for p in report["profiles"] for f in p["findings"]]
    assert len(run_["results"]) == len(expected) > 0
    level = {"error": "error", "warning": "warning", "info": "note"}
    fingerprints = set()
    for result, (path, finding) in zip(run_["results"], expected, strict=True):
        assert result["ruleId"] == finding["rule"]
        assert rules[result["ruleIndex"]]["id"] == finding["rule"]
        assert result["level"] == level[finding["severity"]]
        assert result["message"]["text"].startswith(finding["message"])
        loc = result["locations"][0]
        art = loc["physicalLocation"]["artifactLocation"]
        assert art == {"uri": path, "uriBaseId": "%SRCROOT%"}
        assert not Path(art["uri"]).is_absolute() and (ROOT / art["uri"]).is_file()
        region = loc["physicalLocation"]["region"]
        assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
        if finding["line"] is None:
            assert (region["startLine"], region["startColumn"]) == (1, 1)
        else:
            assert (region["startLine"], region["startColumn"]) == (finding["line"], finding["column"] or 1)
        assert region["endLine"] == region["startLine"] and region["endColumn"] > region["startColumn"]
        if finding["path"]:
            assert loc["logicalLocations"][0]["fullyQualifiedName"] == finding["path"]
        fp = result["partialFingerprints"]["pecoscheck/v1"]
        assert fp not in fingerprints
        fingerprints.add(fp)


def test_rule_catalogue_covers_every_result_and_every_rule_checked(not_ready) -> None:
    sarif, _ = not_ready
    ids = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} <= ids
    assert "NPI003" in ids  # checked on every profile that matches the format


def test_end_column_covers_the_value() -> None:
    from pecoscheck.reporters.sarif import _end_column

    assert _end_column('  npi: "1908310660"', 8) == 8 + len('"1908310660"')
    assert _end_column("  npi: 1908310660  # typo", 8) == 18
    assert _end_column("  name: {first: Sam, last: Okafor}", 17) == 20
    assert _end_column("x", 5) == 6


def test_broken_and_binary_files_are_located_relative_to_the_working_folder(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.yaml").write_text("provider: {tin: 123-45-6789}\nbogus: [\n", "utf-8")
    (tmp_path / "bin.yaml").write_bytes(b"\x00\x01\x02binary")
    code, out = run(".", "--format", "sarif")
    assert code == 1
    sarif = json.loads(out)
    assert jsonschema.Draft7Validator(SCHEMA).is_valid(sarif)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"bin.yaml", "p.yaml"}


def test_absolute_paths_outside_the_working_folder_are_file_uris(tmp_path: Path) -> None:
    bad = tmp_path / "my profiles" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text("a: [\n", "utf-8")
    code, out = run(str(bad), "--format", "sarif")
    assert code == 1
    sarif = json.loads(out)
    assert jsonschema.Draft7Validator(SCHEMA).is_valid(sarif)
    art = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art["uri"].startswith("file:///") and "my%20profiles" in art["uri"] and "uriBaseId" not in art


def test_masked_messages_unknown_rules_and_suppressions(tmp_path: Path) -> None:
    from pecoscheck.findings import Finding, ProfileResult, Report, Severity
    from pecoscheck.reporters import RenderContext
    from pecoscheck.reporters.sarif import as_dict

    f = Finding("NPI003", Severity.ERROR, "bad check digit", "provider.npi", 3, 8, "fix it", suppressed="test NPI")
    g = Finding("TIN001", Severity.WARNING, "TIN 12-3456789 looks like an SSN 123-45-6789", "provider.tin", 4, 8)
    report = Report(as_of=AS_OF, profiles=[ProfileResult(path="p.yaml", findings=[g], suppressed=[f])])
    sarif = as_dict(report, RenderContext())
    assert jsonschema.Draft7Validator(SCHEMA).is_valid(sarif)
    first, second = sarif["runs"][0]["results"]
    assert first["message"]["text"] == "TIN 12-***6789 looks like an SSN ***-**-6789"
    assert first["level"] == "warning" and first["ruleId"] == "TIN001"
    assert "suppressions" not in first
    assert second["suppressions"] == [{"kind": "inSource", "justification": "test NPI"}]
    assert {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]} == {"NPI003", "TIN001"}


def test_precision_follows_the_rules_certainty() -> None:
    from pecoscheck.reporters import RenderContext
    from pecoscheck.reporters.sarif import _rule_descriptor
    from pecoscheck.rules.registry import default_registry

    registry = default_registry()
    ctx = RenderContext(registry=registry)
    unverified = [r for r in registry.rules.values() if "UNVERIFIED" in r.rationale + r.source]
    assert unverified, "some rules say their fact is unverified"
    for rule in unverified:
        assert _rule_descriptor(rule.id, ctx)["properties"]["precision"] == "medium"
    assert _rule_descriptor("NPI003", ctx)["properties"]["precision"] == "very-high"
    online = next(r for r in registry.rules.values() if r.online and r.verified)
    assert _rule_descriptor(online.id, ctx)["properties"]["precision"] == "high"
    levels = {_rule_descriptor(r, ctx)["properties"]["precision"] for r in registry.rules}
    assert levels == {"medium", "high", "very-high"}
