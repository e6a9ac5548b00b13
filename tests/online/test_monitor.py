"""`pecoscheck monitor`: two rounds against the replay server, the registry record changed in between."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pecoscheck.cli import app
from replay_server import ReplayServer

NPI = "1720377294"
PROFILE = """\
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
  - {state: NC, number: 2017-01132, status: active, expires: 2027-01-10}
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

runner = CliRunner()


def _round(folder: Path, state: Path, as_of: str, *extra: str) -> tuple[int, dict[str, object]]:
    r = runner.invoke(app, ["monitor", str(folder), "--state", str(state), "--nppes", "-f", "json",
                            "--as-of", as_of, *extra])
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, json.loads(r.stdout)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "profile.yaml").write_text(PROFILE, "utf-8")
    (tmp_path / "p" / "license.pdf").write_bytes(b"%PDF-1.4\n")
    return tmp_path / "p"


def test_each_kind_of_change_is_reported_once(nppes_env: ReplayServer, folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    code, first = _round(folder, state, "2026-10-01")
    assert first["first_run"] is True and first["records_changed"] == []
    assert json.loads(state.read_text("utf-8"))["registry"]["nppes"][NPI]["fingerprint"]
    before = {(f["rule"], f["path"]) for f in first["new"]}  # type: ignore[union-attr]

    record = copy.deepcopy(nppes_env.records[NPI])  # the registry moves the practice
    record["addresses"][0]["address_1"] = "500 BILTMORE AVE"
    nppes_env.records[NPI] = record
    code, second = _round(folder, state, "2026-11-20")
    assert code == 1 and second["first_run"] is False and second["since"] == "2026-10-01"
    changed = second["records_changed"]
    assert [(c["source"], c["key"]) for c in changed] == [("nppes", NPI)]  # type: ignore[index]
    assert changed[0]["fields"] == ["addresses[0].line1"]  # type: ignore[index]
    assert [Path(p).name for p in changed[0]["profiles"]] == ["profile.yaml"]  # type: ignore[index]
    new = {(f["rule"], f["path"]) for f in second["new"]}  # type: ignore[union-attr]
    assert new and not new & before
    assert any(rule.startswith("NPPES") for rule, _ in new)
    assert [d["kind"] for d in second["deadlines_entered_window"]] == ["license_expires"]  # type: ignore[union-attr]

    record = copy.deepcopy(record)  # back as it was: the NPPES finding resolves, the record changes again
    record["addresses"][0]["address_1"] = "111 VICTORIA RD"
    nppes_env.records[NPI] = record
    code, third = _round(folder, state, "2026-11-21")
    assert {(f["rule"], f["path"]) for f in third["resolved"]} == {  # type: ignore[union-attr]
        (r, p) for r, p in new if r.startswith("NPPES")}
    assert third["deadlines_entered_window"] == [] and third["new"] == []

    code, fourth = _round(folder, state, "2026-11-22")
    assert code == 0 and fourth["changed"] is False
    assert fourth["summary"] == {"new": 0, "resolved": 0, "still_present": fourth["summary"]["still_present"],  # type: ignore[index]
                                 "records_changed": 0, "deadlines_entered_window": 0}


def test_markdown_and_sarif(nppes_env: ReplayServer, folder: Path, tmp_path: Path) -> None:
    import jsonschema

    schema = json.loads((Path(__file__).parents[1] / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    state, sarif = tmp_path / "state.json", tmp_path / "m.sarif"
    r = runner.invoke(app, ["monitor", str(folder), "--state", str(state), "--nppes", "-f", "markdown",
                            "--as-of", "2026-12-20", "--sarif", str(sarif)])
    assert r.exit_code == 1, r.output
    assert r.stdout.startswith("## pecoscheck monitor") and "### Deadlines now in their warning window" in r.stdout
    log = json.loads(sarif.read_text("utf-8"))
    assert jsonschema.Draft7Validator(schema).is_valid(log)
    assert {x["baselineState"] for x in log["runs"][0]["results"]} <= {"new"}


def test_unreachable_registry_keeps_the_last_answer(nppes_env: ReplayServer, folder: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "state.json"
    _round(folder, state, "2026-10-01")
    kept = json.loads(state.read_text("utf-8"))["registry"]
    monkeypatch.setenv("PECOSCHECK_NPPES_URL", "http://127.0.0.1:9/unreachable/")
    r = runner.invoke(app, ["monitor", str(folder), "--state", str(state), "--nppes", "-f", "json",
                            "--as-of", "2026-10-02"])
    assert r.exit_code == 3
    assert json.loads(r.stdout)["records_changed"] == []
    assert json.loads(state.read_text("utf-8"))["registry"] == kept


@pytest.mark.parametrize("text", ["{not json", '{"format": "something-else", "version": 1}',
                                  '{"format": "pecoscheck-monitor-state", "version": 99, "findings": []}',
                                  '{"format": "pecoscheck-monitor-state", "version": 1, "findings": [3]}'])
def test_unusable_state_is_an_error_and_left_alone(folder: Path, tmp_path: Path, text: str) -> None:
    state = tmp_path / "state.json"
    state.write_text(text, "utf-8")
    r = runner.invoke(app, ["monitor", str(folder), "--state", str(state)])
    assert r.exit_code == 2
    assert "Traceback" not in r.output and "state.json" in r.output
    assert state.read_text("utf-8") == text
