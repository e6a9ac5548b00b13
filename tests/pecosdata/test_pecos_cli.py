"""The commands: pecos lookup, exclusions check, data update leie, data status; validate --pecos and friends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cms_replay import LEIE_UPDATED, CmsReplayServer
from pecoscheck.cli import app
from pecoscheck.online.leie import default_index_path

from .profiles import individual, organization, write

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-26"]


def invoke(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


# --------------------------------------------------------------------------- pecos lookup


def test_pecos_lookup_text(cms_env: CmsReplayServer) -> None:
    code, out, _ = invoke("pecos", "lookup", "1320000015", *AS_OF)
    assert code == 0
    assert "I20150302000117" in out and "2027-04-30" in out
    assert "NORTHSTAR FAMILY MEDICINE, LLC" in out and "LAKE COUNTRY URGENT CARE, PA" in out
    assert "Order and Referring: eligible" in out and "Opt-out: not on the Opt Out Affidavits list" in out
    assert "not live PECOS status" in out


def test_pecos_lookup_json(cms_env: CmsReplayServer) -> None:
    code, out, _ = invoke("pecos", "lookup", "--format", "json", "1320000023", "1881649713", *AS_OF)
    assert code == 0
    okafor, group = json.loads(out)
    assert okafor["npi"] == "1320000023" and okafor["found"] is True
    assert okafor["opt_out"]["active"] is True
    assert okafor["opt_out"]["records"][0]["effective_date"] == "2025-07-01"
    assert okafor["order_referring"] == {"listed": True, "eligible": True, "partb": True, "dme": True,
                                         "hha": True, "pmd": True, "hospice": True}
    assert okafor["enrollments"] == []
    assert {r["individual_npi"] for r in group["reassignments"]["from"]} == {"1320000015", "1320000031",
                                                                           "1320000106"}
    assert group["revalidation"][0]["due_date"] == "2027-03-31"
    assert group["sources"]["enrollment"]["id"] == "2457ea29-fc82-48b0-86ec-3b0755de7515"
    assert any("not in this extract" in c for c in group["caveats"])


def test_pecos_lookup_tbd_and_adjusted(cms_env: CmsReplayServer) -> None:
    _code, out, _ = invoke("pecos", "lookup", "-f", "json", "1320000031", "1320000056")
    lund, park = json.loads(out)
    assert lund["revalidation"][0]["due_date"] == "TBD" and lund["revalidation"][0]["adjusted_due_date"] == "TBD"
    assert park["revalidation"][0]["adjusted_due_date"] == "2027-03-31"


def test_pecos_lookup_not_found_exit_1(cms_env: CmsReplayServer) -> None:
    code, out, _ = invoke("pecos", "lookup", "1234567893")
    assert code == 1 and "not in this extract" in out
    code, out, _ = invoke("pecos", "lookup", "-f", "json", "1234567893")
    (payload,) = json.loads(out)
    assert code == 1 and payload["found"] is False and "not 'not enrolled'" in payload["note"]


def test_pecos_lookup_invalid_npi_refused_before_any_request(cms_env: CmsReplayServer) -> None:
    code, _out, err = invoke("pecos", "lookup", "1234567890")
    assert code == 1 and "fails the check digit" in err and "NPI003" in err
    assert cms_env.requests == []


def test_pecos_lookup_unavailable_exit_3(cms_env: CmsReplayServer) -> None:
    cms_env.switches.mode = "html"
    code, _, err = invoke("pecos", "lookup", "1320000015")
    assert code == 3 and "data.cms.gov gave no usable answer" in err and err.count("\n") == 1


def test_pecos_lookup_no_cache(cms_env: CmsReplayServer) -> None:
    invoke("pecos", "lookup", "1320000015")
    before = len(cms_env.data_requests())
    invoke("pecos", "lookup", "1320000015")
    assert len(cms_env.data_requests()) == before  # cached
    invoke("pecos", "lookup", "--no-cache", "1320000015")
    assert len(cms_env.data_requests()) > before


def test_pecos_lookup_bad_format(cms_env: CmsReplayServer) -> None:
    assert invoke("pecos", "lookup", "--format", "xml", "1320000015")[0] == 2


# --------------------------------------------------------------------------- data update leie / data status


def test_data_update_leie_real_2017_file(cms_env: CmsReplayServer) -> None:
    code, out, _ = invoke("data", "update", "leie")
    assert code == 0
    assert "LEIE copy updated: 335 rows (335 active exclusions), file date 2017-06-06 (last-modified)" in out
    assert default_index_path().is_file()
    code, out, _ = invoke("data", "update", "leie")
    assert code == 0 and "current" in out
    code, out, _ = invoke("data", "update", "leie", "--force", "--format", "json")
    payload = json.loads(out)
    assert payload["outcome"] == "updated" and payload["rows"] == 335 and payload["file_date"] == "2017-06-06"


def test_data_update_leie_from_a_file(cms_env: CmsReplayServer) -> None:
    code, out, _ = invoke("data", "update", "leie", "--file", str(LEIE_UPDATED), "--file-date", "2017-06-06")
    assert code == 0 and "335 rows" in out and "2017-06-06 (given)" in out
    assert cms_env.requests == []


def test_data_update_leie_bad_file(cms_env: CmsReplayServer, tmp_path: Path) -> None:
    bad = tmp_path / "page.html"
    bad.write_text("<html>maintenance</html>\n")
    code, _, err = invoke("data", "update", "leie", "--file", str(bad))
    assert code == 2 and "not the LEIE layout" in err
    assert invoke("data", "update", "leie", "--file", str(tmp_path / "missing.csv"))[0] == 2


def test_data_update_leie_unavailable_exit_3(cms_env: CmsReplayServer) -> None:
    cms_env.switches.mode = "html"
    code, _, err = invoke("data", "update", "leie")
    assert code == 3 and "could not be downloaded" in err and "unchanged" in err


def test_data_status(cms_env: CmsReplayServer) -> None:
    code, out, _ = invoke("data", "status")
    assert code == 0 and "no local copy" in out and "pecoscheck data update leie" in out
    assert "known id; catalogue not read yet" in out
    invoke("data", "update", "leie")
    invoke("pecos", "lookup", "1320000015")
    requests = len(cms_env.requests)
    code, out, _ = invoke("data", "status", "--format", "json")
    payload = json.loads(out)
    assert payload["leie"]["present"] is True and payload["leie"]["file_date"] == "2017-06-06"
    assert payload["leie"]["rows"] == 335 and payload["leie"]["stale"] is True
    assert payload["datasets"]["opt_out"]["resolved_by"] == "catalog"
    assert payload["datasets"]["opt_out"]["version"] == "Opt Out Affidavits : 2025-08-01"
    assert payload["cache"]["entries"] > 0
    assert len(cms_env.requests) == requests  # status makes no request
    code, out, _ = invoke("data", "status")
    assert "LEIE copy of 2017-06-06" in out and "release 2025-08-01" in out


# --------------------------------------------------------------------------- exclusions check


def test_exclusions_check_without_index(cms_env: CmsReplayServer) -> None:
    code, _, err = invoke("exclusions", "check", "Joni Barrows")
    assert code == 2 and "run `pecoscheck data update leie`" in err


def test_exclusions_check(cms_env: CmsReplayServer, leie_index: Path) -> None:
    code, out, _ = invoke("exclusions", "check", "1609915321", "Thomas Lindqvist")
    assert code == 1
    assert "NPI match" in out and "JONI BARROWS" in out and "no match" in out
    code, out, _ = invoke("exclusions", "check", "Thomas Lindqvist", "1097080240")
    assert code == 0
    code, out, _ = invoke("exclusions", "check", "-f", "json", "Barrows, Joni", "Ancor Medical Services Inc")
    payload = json.loads(out)
    assert code == 1
    assert [r["verify_with_oig"] for r in payload["results"]] == [True, True]
    assert payload["results"][0]["matches"][0]["npi"] == "1609915321"
    assert payload["results"][1]["matches"][0]["kind"] == "entity"
    assert "SSN or EIN" in payload["note"] and payload["index"]["file_date"] == "2026-11-10"


def test_exclusions_check_name_needs_verifying(cms_env: CmsReplayServer, leie_index: Path) -> None:
    code, out, _ = invoke("exclusions", "check", "Joni Barrows")
    assert code == 1 and "NAME ONLY: verify" in out and "online search" in out


def test_exclusions_check_reinstated_is_clear(cms_env: CmsReplayServer, leie_index: Path) -> None:
    assert invoke("exclusions", "check", "1427205822", "Heather Ashley")[0] == 0


def test_exclusions_check_kind_and_usage(cms_env: CmsReplayServer, leie_index: Path) -> None:
    assert invoke("exclusions", "check", "--kind", "person", "Ancor Medical Services Inc")[0] == 0
    assert invoke("exclusions", "check", "--kind", "business", "Ancor Medical Services Inc")[0] == 1
    assert invoke("exclusions", "check", "--kind", "robot", "x")[0] == 2
    code, _, err = invoke("exclusions", "check", "1609915320")
    assert code == 1 and "NPI003" in err


# --------------------------------------------------------------------------- validate


def test_validate_pecos(cms_env: CmsReplayServer, tmp_path: Path) -> None:
    path = write(tmp_path, individual(medicare={"revalidation_due": "2027-06-30"}))
    code, out, _ = invoke("validate", "--pecos", "--select", "PEC", "-f", "json", *AS_OF, str(path))
    payload = json.loads(out)
    assert code == 1
    assert {f["rule"] for f in payload["profiles"][0]["findings"]} == {"PEC003", "PEC005"}
    assert "unavailable" not in payload


def test_validate_exclusions(cms_env: CmsReplayServer, leie_index: Path, tmp_path: Path) -> None:
    group = organization(ownership=[*organization()["ownership"],
                                    {"party": "individual", "name": "Joni Barrows", "npi": "1609915321",
                                     "percent": 5, "roles": ["direct_owner"]}])
    code, out, _ = invoke("validate", "--exclusions", "--select", "EXC", "-f", "json", *AS_OF,
                          str(write(tmp_path, group)))
    assert code == 1
    (f,) = json.loads(out)["profiles"][0]["findings"]
    assert (f["rule"], f["severity"], f["path"]) == ("EXC001", "error", "ownership[3].npi")


def test_validate_without_online_options_sends_nothing(cms_env: CmsReplayServer, tmp_path: Path) -> None:
    code, out, _ = invoke("validate", "--select", "PEC,EXC", "-f", "json", *AS_OF,
                          str(write(tmp_path, individual(medicare={"revalidation_due": "2027-06-30"}))))
    assert code == 0 and json.loads(out)["profiles"][0]["findings"] == []
    assert cms_env.requests == []


def test_validate_online_is_all_three(cms_env: CmsReplayServer, leie_index: Path, tmp_path: Path) -> None:
    path = write(tmp_path, individual(medicare={"revalidation_due": "2027-06-30"}))
    _code, out, _ = invoke("validate", "--online", "--select", "PEC,EXC,NPPES", "-f", "json", *AS_OF, str(path))
    payload = json.loads(out)
    assert "PEC003" in {f["rule"] for f in payload["profiles"][0]["findings"]}
    assert {r.path for r in cms_env.requests if r.path.startswith("/api")}  # NPPES was asked too
    assert cms_env.data_requests()


def test_validate_exit_3_when_a_source_is_unavailable(cms_env: CmsReplayServer, tmp_path: Path) -> None:
    profile = individual()
    profile["provider"]["npi"] = "1320000016"  # NPI003, offline
    path = write(tmp_path, profile)
    code, out, _ = invoke("validate", "--exclusions", "--select", "EXC,NPI", "-f", "json", *AS_OF, str(path))
    payload = json.loads(out)
    assert code == 3
    assert "run `pecoscheck data update leie`" in payload["unavailable"]["exclusions"]
    assert "`pecoscheck data update sam --file EXTRACT.csv`" in payload["unavailable"]["exclusions"]
    assert [f["rule"] for f in payload["profiles"][0]["findings"]] == ["NPI003"]
    cms_env.switches.mode = "html"
    code, out, _ = invoke("validate", "--pecos", "--select", "PEC,NPI", *AS_OF, str(path))
    assert code == 3 and "could not reach data.cms.gov" in out


@pytest.mark.parametrize("command", [["pecos", "--help"], ["exclusions", "check", "--help"],
                                     ["data", "update", "leie", "--help"], ["data", "status", "--help"]])
def test_help(command: list[str]) -> None:
    assert invoke(*command)[0] == 0
