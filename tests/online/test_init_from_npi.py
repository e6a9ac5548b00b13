"""`pecoscheck init --from-npi` (issue 19): drafts from recorded NPPES answers and the CMS replay data.

The parametrized test drafts a profile for each of the 237 NPIs recorded in tests/fixtures/nppes (issue 19's
"done when"); each costs about 7 loopback requests, so the file takes 20-30 s on a shared machine.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cms_replay import CmsReplayServer
from helpers import check
from pecoscheck.cli import app
from pecoscheck.loader import loads
from pecoscheck.online.http import HttpClient
from pecoscheck.prefill import PrefillError, draft_profile, draft_tree, prefilled, read_registries
from pecoscheck.validate import to_profile
from replay_server import FIXTURES, _load_fixtures

RECORDED, _ = _load_fixtures(FIXTURES)
runner = CliRunner()


@pytest.fixture(scope="module")
def server() -> Iterator[CmsReplayServer]:
    with CmsReplayServer() as s:
        yield s


@pytest.fixture
def env(server: CmsReplayServer, monkeypatch: pytest.MonkeyPatch) -> CmsReplayServer:
    server.reset()
    monkeypatch.setenv("PECOSCHECK_NPPES_URL", server.url)
    monkeypatch.setenv("PECOSCHECK_CMS_DATA_URL", server.base)
    monkeypatch.setenv("PECOSCHECK_HTTP_TIMEOUT", "2")
    return server


def invoke(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def _values(text: str) -> Any:
    loaded = loads(text)
    assert not loaded.findings, loaded.findings
    profile, findings = to_profile(loaded.data, loaded.source)
    # the model reads it; what is left to do (documents, ownership, tin) is a readiness finding, not a format one
    assert profile is not None and all(f.rule == "SCH002" for f in findings), findings
    return profile


def _up(value: Any) -> str:
    return " ".join(str(value or "").upper().split())


@pytest.fixture(scope="module")
def shared_http() -> Iterator[HttpClient]:
    """One connection pool for the 237 lookups below (a client each would cost ~0.1 s of setup per NPI)."""
    with HttpClient(timeout=2.0) as http:
        yield http


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("prefill-cache")  # the catalogue is read once, then cached


@pytest.mark.parametrize("npi", sorted(RECORDED))
def test_every_recorded_npi_gives_a_profile_that_loads_with_the_recorded_values(
        env: CmsReplayServer, shared_http: HttpClient, shared_cache: Path, monkeypatch: pytest.MonkeyPatch,
        npi: str) -> None:
    raw = RECORDED[npi]
    basic = raw["basic"]
    monkeypatch.setenv("PECOSCHECK_CACHE_DIR", str(shared_cache))
    reg = read_registries(npi, http=shared_http)
    text = draft_profile(reg)
    profile = _values(text)
    p = profile.provider
    assert p.npi == npi == str(raw["number"])
    if raw["enumeration_type"] == "NPI-1":
        assert p.kind == "individual"
        assert p.name is not None
        assert _up(p.name.first) == _up(basic.get("first_name")) and _up(p.name.last) == _up(basic.get("last_name"))
        assert profile.enrollment.signer == f"{p.name.first} {p.name.last}"
    else:
        assert p.kind == "organization" and _up(p.legal_name) == _up(basic["organization_name"])
        if basic.get("authorized_official_last_name"):
            assert _up(profile.officials[0].name).endswith(_up(basic["authorized_official_last_name"]))
    codes = [t["code"] for t in raw.get("taxonomies", [])]
    assert [t.code for t in p.taxonomies] == codes
    assert sum(t.primary for t in p.taxonomies) == (1 if codes else 0)
    recorded_licenses = {(t["state"], t["license"]) for t in raw.get("taxonomies", []) if t.get("license")
                         and t.get("state")}
    assert {(lic.state, lic.number) for lic in profile.licenses} == recorded_licenses
    location = next((a for a in raw.get("addresses", []) if a.get("address_purpose") == "LOCATION"), None)
    if location and location.get("country_code", "US") == "US":
        first = profile.practice_locations[0]
        assert _up(first.address.line1) == _up(location["address_1"]) and first.primary
        assert first.address.zip.replace("-", "") == str(location["postal_code"]).replace("-", "")
    # every prefilled value names its source and the date it was read
    for _path, _value, source in prefilled(draft_tree(reg)):
        assert source.startswith(("NPPES, ", "CMS ")) and reg.read_on.isoformat() in source
    assert "documents: []" in text and "TODO" in text


def test_the_draft_marks_what_the_registries_cannot_know_and_validate_lists_it(env: CmsReplayServer,
                                                                               tmp_path: Path) -> None:
    path = tmp_path / "elise" / "profile.yaml"
    code, out, err = invoke("init", str(path), "--from-npi", "1720377294", "--no-cache")
    assert code == 0, err
    text = path.read_text("utf-8")
    assert "first: ELISE" in text and "# NPPES, " in text
    for todo in ("TODO surrogates", "TODO bank_account", "documents: []  ", "ptan:"):
        assert todo in text
    assert "marked TODO" in out
    result = check(path)
    rules = {f.rule for f in result.findings if f.severity == "error"}
    assert {"DOC004", "LIC001"} <= rules and not result.ready
    assert not [f for f in result.findings if f.rule.startswith(("YML", "SCH9"))]


def test_an_organization_draft_names_its_authorized_official_and_dba(env: CmsReplayServer, tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    assert invoke("init", str(path), "--from-npi", "1174270805", "--no-cache")[0] == 0
    profile = _values(path.read_text("utf-8"))
    raw = RECORDED["1174270805"]
    dba = next(o["organization_name"] for o in raw["other_names"] if str(o.get("code")) == "3")
    assert profile.provider.dba_name == dba
    assert profile.officials[0].role == "authorized_official"
    assert "TODO tin" in path.read_text("utf-8")


def test_a_groups_draft_lists_the_practitioners_who_reassign_to_it(env: CmsReplayServer, tmp_path: Path) -> None:
    env.switches.synthetic = True  # the group's NPPES record: the modern org record under its NPI
    reg = read_registries("1881649713", use_cache=False)
    text = draft_profile(reg)
    for npi, name in (("1320000015", "ELENA MARSH"), ("1320000031", "HANNAH LUND")):
        assert f"#   {npi}  {name}" in text
    profile = _values(text)
    assert profile.provider.medicare is not None
    assert profile.provider.medicare.enrollment_id == "O20120405000318"
    assert str(profile.provider.medicare.revalidation_due) == "2027-03-31"
    assert profile.enrollment.action == "revalidation"


def test_an_individual_draft_lists_her_reassignments_with_the_groups_npi(env: CmsReplayServer) -> None:
    # a real recorded individual record, served under the NPI of the constructed CMS data's Elena Marsh
    record = copy.deepcopy(RECORDED["1720377294"])
    record["number"] = "1320000015"
    env.records["1320000015"] = record
    try:
        profile = _values(draft_profile(read_registries("1320000015", use_cache=False)))
    finally:
        del env.records["1320000015"]
    groups = {r.group_npi: r for r in profile.reassignments}
    assert groups["1881649713"].group_name is not None and groups["1881649713"].status == "linked"
    assert profile.provider.medicare is not None and profile.provider.medicare.enrollment_id == "I20150302000117"


@pytest.mark.parametrize(("npi", "code", "words"), [
    ("1234567890", 2, "check digit"),
    ("12345", 2, "10 digits"),
    ("1234567893", 1, "not in NPPES"),
])
def test_bad_or_unknown_npis_write_nothing(env: CmsReplayServer, tmp_path: Path, npi: str, code: int,
                                           words: str) -> None:
    path = tmp_path / "p.yaml"
    got, _, err = invoke("init", str(path), "--from-npi", npi, "--no-cache")
    assert got == code and words in err and "Traceback" not in err
    assert not path.exists() and not list(tmp_path.iterdir())


def test_a_deactivated_npi_writes_nothing(env: CmsReplayServer) -> None:
    record = copy.deepcopy(RECORDED["1720377294"])
    record["basic"]["status"] = "D"
    record["basic"]["deactivation_date"] = "2020-01-01"
    env.records["1720377294"] = record
    try:
        with pytest.raises(PrefillError, match="deactivated on 2020-01-01") as info:
            read_registries("1720377294", use_cache=False)
    finally:
        env.records["1720377294"] = RECORDED["1720377294"]
    assert info.value.code == 1


def test_offline_says_so_and_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PECOSCHECK_HTTP_TIMEOUT", "1")
    path = tmp_path / "p.yaml"
    code, _, err = invoke("init", str(path), "--from-npi", "1720377294", "--no-cache")
    assert code == 3 and "could not be reached" in err and err.count("\n") == 1
    assert not path.exists()


def test_cms_data_out_of_reach_also_exits_3(env: CmsReplayServer, tmp_path: Path) -> None:
    env.broken_datasets.add("2457ea29-fc82-48b0-86ec-3b0755de7515")
    code, _, err = invoke("init", str(tmp_path / "p.yaml"), "--from-npi", "1720377294", "--no-cache")
    assert code == 3 and "data.cms.gov" in err


def test_kind_mismatch_and_existing_file(env: CmsReplayServer, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    code, _, err = invoke("init", str(path), "--from-npi", "1720377294", "--kind", "organization", "--no-cache")
    assert code == 2 and "individual NPI" in err and not path.exists()
    path.write_text("keep me\n", "utf-8")
    code, _, err = invoke("init", str(path), "--from-npi", "1720377294", "--no-cache")
    assert code == 2 and "--force" in err and path.read_text("utf-8") == "keep me\n"
    assert invoke("init", str(path), "--from-npi", "1720377294", "--no-cache", "--force")[0] == 0
    assert "ELISE" in path.read_text("utf-8")


UPDATE_BEFORE = """\
schema_version: 1
# notes the user keeps
provider:
  kind: individual
  npi: "1720377294"
  name: {first: Elise, last: Hizza}   # her name
  taxonomies: []
enrollment:
  action: initial
licenses:
  - {state: NC, number: 2017-01132, status: active, expires: 2028-06-30}
practice_locations:
identity_access: {holder: Elise Hiza, role: individual_provider, systems: [PECOS]}
documents:
  - {type: state_license, file: license.pdf}
"""


def test_update_fills_only_empty_fields_and_reports_disagreements_as_a_diff(env: CmsReplayServer,
                                                                            tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(UPDATE_BEFORE, "utf-8")
    code, out, err = invoke("init", str(path), "--update", "--no-cache")
    assert code == 1, err  # the registry disagrees with a written value
    after = path.read_text("utf-8")
    assert "# notes the user keeps" in after and "# her name" in after
    assert "last: Hizza" in after  # never overwritten
    assert "@@ provider.name.last (line 6) @@\n- last: Hizza\n+ last: HIZA  # NPPES, " in out
    assert "+    - {code: 207X00000X, primary: true, license_state: NC}" in out  # the unified diff of the fill
    profile = _values(after)
    assert [t.code for t in profile.provider.taxonomies] == ["207X00000X", "390200000X"]
    assert profile.practice_locations[0].address.city == "ASHEVILLE"
    assert profile.enrollment.signer == "ELISE HIZA"
    assert profile.licenses[0].expires is not None  # the written license is kept as it was
    lines_before = UPDATE_BEFORE.splitlines()
    assert [ln for ln in after.splitlines() if ln in lines_before][:5] == lines_before[:5]
    # a second run has nothing left to fill and reports the same disagreement
    code, out, _ = invoke("init", str(path), "--update", "--no-cache")
    assert code == 1 and "no empty field" in out and path.read_text("utf-8") == after


def test_update_of_a_clean_draft_changes_nothing(env: CmsReplayServer, tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    assert invoke("init", str(path), "--from-npi", "1568946812", "--no-cache")[0] == 0
    before = path.read_text("utf-8")
    code, out, _ = invoke("init", str(path), "--update", "--no-cache")
    assert code == 0 and "no empty field" in out and path.read_text("utf-8") == before


def test_json_of_the_recording_is_what_the_server_sends(env: CmsReplayServer) -> None:
    """Guard for the parametrized test: the replay really answers from the recorded files."""
    assert len(RECORDED) > 100
    assert json.loads(json.dumps(RECORDED["1568946812"]))["number"] in (1568946812, "1568946812")
