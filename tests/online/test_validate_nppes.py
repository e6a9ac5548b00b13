"""`validate --nppes`: each comparison against the replay server, failing and passing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pecoscheck.cli import app

INDIVIDUAL = """\
schema_version: 1
provider:
  kind: individual
  npi: "1720377294"
  name: {first: Elise, middle: Aileen, last: Hiza, credential: MD}
  taxonomies:
    - {code: 207X00000X, primary: true, license_state: NC}
enrollment:
  action: initial
licenses:
  - {state: NC, number: 2017-01132, status: active, expires: 2028-06-30}
practice_locations:
  - name: Hiza Orthopaedics
    address: {line1: 111 Victoria Road, city: Asheville, state: NC, zip: 28801-4811}
    primary: true
identity_access: {holder: Elise Hiza, role: individual_provider, systems: [PECOS]}
documents:
  - {type: state_license, file: license.pdf}
changes:
  - {kind: practice_location, effective_date: 2018-04-01, reported_on: 2018-04-10}
"""

ORGANIZATION = """\
schema_version: 1
provider:
  kind: organization
  npi: "1174270805"
  legal_name: Peach State Medical Practice, P.C.
  dba_name: Kindbody of PA Medical Practice, PC
  tin: 12-3456789
  organization_type: group_practice
  taxonomies:
    - {code: 207VE0102X, primary: true}
enrollment:
  action: initial
practice_locations:
  - address: {line1: 1414 Walnut Street, city: Philadelphia, state: PA, zip: "19102"}
    primary: true
ownership:
  - {party: individual, name: Fahimeh Sasan, percent: 100, roles: [direct_owner]}
officials:
  - {name: Fahimeh Sasan, role: authorized_official, is_owner: true}
identity_access: {holder: Fahimeh Sasan, role: authorized_official, organization_registered: true, systems: [PECOS]}
documents:
  - {type: irs_cp575, file: cp575.pdf}
"""

runner = CliRunner()


def _run(tmp_path: Path, text: str, *extra: str) -> tuple[int, list[dict[str, object]], dict[str, object]]:
    path = tmp_path / "profile.yaml"
    path.write_text(text, "utf-8")
    r = runner.invoke(app, ["validate", str(path), "--nppes", "--select", "NPPES", "-f", "json",
                            "--as-of", "2026-11-26", *extra])
    doc = json.loads(r.stdout)
    return r.exit_code, doc["profiles"][0]["findings"], doc


def _rules(findings: list[dict[str, object]]) -> set[object]:
    return {f["rule"] for f in findings}


def test_matching_individual_has_no_findings(nppes_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, findings, _ = _run(tmp_path, INDIVIDUAL)
    assert (code, findings) == (0, [])
    assert [r.params for r in nppes_env.requests] == [{"version": "2.1", "number": "1720377294"}]


def test_matching_organization_with_dba_has_no_findings(nppes_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, findings, _ = _run(tmp_path, ORGANIZATION)
    assert (code, findings) == (0, [])


def test_name_mismatch_points_at_the_name(nppes_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, findings, _ = _run(tmp_path, INDIVIDUAL.replace("last: Hiza", "last: Hize"))
    assert code == 1
    [f] = [f for f in findings if f["rule"] == "NPPES003"]
    assert (f["path"], f["line"]) == ("provider.name.last", 5)
    assert "`Hize` differs from NPPES `HIZA`" in str(f["message"])


def test_dba_used_as_legal_name(nppes_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = ORGANIZATION.replace("legal_name: Peach State Medical Practice, P.C.",
                                "legal_name: Kindbody of PA Medical Practice PC")
    _, findings, _ = _run(tmp_path, text)
    [f] = [f for f in findings if f["rule"] == "NPPES003"]
    assert f["path"] == "provider.legal_name" and "doing-business-as" in str(f["message"])


def test_not_found_means_not_found_or_deactivated(nppes_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, findings, _ = _run(tmp_path, INDIVIDUAL.replace("1720377294", "1234567893"))
    assert code == 1
    [f] = findings
    assert f["rule"] == "NPPES001" and "deactivated" in str(f["message"]) and f["line"] == 4


def test_type_mismatch(nppes_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = ORGANIZATION.replace('"1174270805"', '"1720377294"')
    _, findings, _ = _run(tmp_path, text)
    assert "NPPES002" in _rules(findings)


def test_location_taxonomy_license_and_official(nppes_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (INDIVIDUAL.replace("111 Victoria Road", "500 Other St")
            .replace("code: 207X00000X", "code: 207Q00000X").replace("2017-01132", "99999"))
    _, findings, _ = _run(tmp_path, text)
    by_rule = {str(f["rule"]): f for f in findings}
    assert by_rule["NPPES004"]["path"] == "practice_locations[0].address"
    assert by_rule["NPPES004"]["severity"] == "warning"
    assert by_rule["NPPES005"]["path"] == "provider.taxonomies[0].code"
    assert by_rule["NPPES007"]["path"] == "licenses[0].number" and by_rule["NPPES007"]["severity"] == "info"
    org = ORGANIZATION.replace("name: Fahimeh Sasan, role", "name: Someone Else, role")
    _, findings, _ = _run(tmp_path, org)
    assert "NPPES008" in _rules(findings)


def test_change_not_reflected_after_30_days(nppes_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = INDIVIDUAL.replace("effective_date: 2018-04-01, reported_on: 2018-04-10",
                              "effective_date: 2026-09-01, reported_on: 2026-09-10")
    _, findings, _ = _run(tmp_path, text)
    [f] = [f for f in findings if f["rule"] == "NPPES006"]
    assert f["path"] == "changes[0].effective_date" and "2018-05-08" in str(f["message"])


def test_unavailable_registry_exits_3_with_offline_findings(nppes_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    nppes_env.switches.fail_status = 503
    nppes_env.switches.fail_first = 100
    path = tmp_path / "profile.yaml"
    path.write_text(INDIVIDUAL.replace('npi: "1720377294"', 'npi: "1720377294"\n  tin: 12-3456789'), "utf-8")
    r = runner.invoke(app, ["validate", str(path), "--nppes", "-f", "json", "--as-of", "2026-11-26"])
    assert r.exit_code == 3
    doc = json.loads(r.stdout)
    assert doc["registry_unavailable"] is True and "nppes" in doc["unavailable"]
    rules = _rules(doc["profiles"][0]["findings"])
    assert "NPPES009" in rules and "NPPES001" not in rules


def test_second_run_uses_the_cache(nppes_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _run(tmp_path, INDIVIDUAL)
    before = len(nppes_env.requests)
    _run(tmp_path, INDIVIDUAL)
    assert len(nppes_env.requests) == before
    _run(tmp_path, INDIVIDUAL, "--no-cache")
    assert len(nppes_env.requests) == before + 1


@pytest.mark.parametrize("npi", ["1720377294", "1225701881"])
def test_npi_lookup_command(nppes_env, npi: str) -> None:  # type: ignore[no-untyped-def]
    r = runner.invoke(app, ["npi", "lookup", npi, "--format", "json"])
    assert r.exit_code == 0
    [row] = json.loads(r.stdout)
    assert row["npi"] == npi and row["found"] is True
    assert list(row)[:8] == ["npi", "found", "type", "status", "name", "addresses", "taxonomies", "last_updated"]


def test_npi_lookup_refuses_invalid_before_any_request(nppes_env) -> None:  # type: ignore[no-untyped-def]
    r = runner.invoke(app, ["npi", "lookup", "1234567890"])
    assert r.exit_code == 1 and "check digit" in r.stderr
    assert nppes_env.requests == []


def test_npi_lookup_from_stdin_and_not_found(nppes_env) -> None:  # type: ignore[no-untyped-def]
    r = runner.invoke(app, ["npi", "lookup", "-", "-f", "json"], input="1720377294\n1234567893\n")
    assert r.exit_code == 1
    rows = json.loads(r.stdout)
    assert [row["found"] for row in rows] == [True, False]


def test_npi_search_command(nppes_env) -> None:  # type: ignore[no-untyped-def]
    r = runner.invoke(app, ["npi", "search", "--city", "Atlanta", "--state", "GA", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["count"] == len(doc["results"]) > 0 and doc["truncated"] is False
    r = runner.invoke(app, ["npi", "search", "--state", "GA"])
    assert r.exit_code == 2


def test_cache_commands(nppes_env) -> None:  # type: ignore[no-untyped-def]
    runner.invoke(app, ["npi", "lookup", "1720377294"])
    r = runner.invoke(app, ["cache", "info"])
    assert r.exit_code == 0 and "entries: 1" in r.stdout
    r = runner.invoke(app, ["cache", "clear"])
    assert r.exit_code == 0 and "removed 1" in r.stdout
