"""EFT rules: the CMS-588 bank account."""

from __future__ import annotations

import pytest

from helpers import EXAMPLES, check, findings_of, line_of, make_profile
from pecoscheck.model import PersonName
from pecoscheck.rules.builtin.eft import normalize_name, person_matches

EFT_RULES = ("EFT001", "EFT002", "EFT003", "EFT004", "EFT005")


def test_normalize_name() -> None:
    assert normalize_name("Northstar Family Medicine, LLC") == normalize_name("NORTHSTAR FAMILY MEDICINE LLC")
    assert normalize_name("U.S. Bank N.A.") == "u s bank n a"


@pytest.mark.parametrize(("holder", "ok"), [
    ("Lucia Ferreira", True), ("LUCIA M. FERREIRA", True), ("Ferreira, Lucia", True),
    ("Lucia Maria Ferreira Jr", True), ("Lucia Ferreira MD", True),
    ("Lucy Ferreira", False), ("Ferreira Family Medicine", False), ("Lucia Ferreira Ferreira", False),
])
def test_person_matches(holder: str, ok: bool) -> None:
    name = PersonName(first="Lucia", middle="Maria", last="Ferreira", suffix="Jr.", credential="MD")
    assert person_matches(holder, name) is ok


def test_ready_examples_pass(tmp_path) -> None:
    for name in ("solo-practitioner", "group-practice", "dmepos-supplier", "clinical-lab"):
        result = check(make_profile(tmp_path / name, name))
        assert [f for f in result.findings if f.rule.startswith("EFT")] == []


def test_no_bank_account_no_findings(tmp_path) -> None:
    result = check(make_profile(tmp_path, "reassigning-np"))
    assert [f for f in result.findings if f.rule.startswith("EFT")] == []


def test_eft001_bad_checksum(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {'routing_number: "121000358"': 'routing_number: "121000359"'})
    [f] = findings_of(check(path), "EFT001")
    assert f.severity.value == "error"
    assert f.path == "bank_account.routing_number"
    assert f.line == line_of(path, 'routing_number: "121000359"')
    assert "0359" in f.message and "should be 8" in f.message


def test_eft001_wrong_length(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {'routing_number: "121000358"': 'routing_number: "12100035"'})
    [f] = findings_of(check(path), "EFT001")
    assert "12100035" in f.message and "9 digits" in f.message


def test_eft001_not_ready_example() -> None:
    path = EXAMPLES / "not-ready" / "bad-routing-number.yaml"
    [f] = findings_of(check(path), "EFT001")
    assert f.line == line_of(path, 'routing_number: "124103979"')


def test_eft002_joint_account(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"joint: false": "joint: true"})
    [f] = findings_of(check(path), "EFT002")
    assert f.severity.value == "error"
    assert f.path == "bank_account.joint"
    assert f.line == line_of(path, "joint: true")
    assert "joint" in f.message


def test_eft003_money_market(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {"account_type: checking": "account_type: money_market"})
    [f] = findings_of(check(path), "EFT003")
    assert f.severity.value == "warning"  # unverified: no primary source names money-market accounts
    assert f.path == "bank_account.account_type"
    assert f.line == line_of(path, "account_type: money_market")
    assert "money-market" in f.message


def test_eft003_savings_passes(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {"account_type: checking": "account_type: savings"})
    assert findings_of(check(path), "EFT003") == []


def test_eft004_dba_account(tmp_path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {"account_holder: Sonoran Home Medical Supply, LLC":
                                                      "account_holder: SONORAN HME"})
    result = check(path)
    [f] = findings_of(result, "EFT004")
    assert f.severity.value == "error"
    assert f.path == "bank_account.account_holder"
    assert f.line == line_of(path, "account_holder: SONORAN HME")
    assert "SONORAN HME" in f.message and "Sonoran Home Medical Supply, LLC" in f.message
    assert findings_of(result, "EFT005") == []


def test_eft004_not_ready_example() -> None:
    path = EXAMPLES / "not-ready" / "eft-dba-account-holder.yaml"
    [f] = findings_of(check(path), "EFT004")
    assert f.line == line_of(path, "account_holder: Cascade PT")


def test_eft005_organization_name_without_suffix(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {"account_holder: Northstar Family Medicine, LLC":
                                                     "account_holder: Northstar Family Medicine"})
    [f] = findings_of(check(path), "EFT005")
    assert f.severity.value == "error"
    assert f.path == "bank_account.account_holder"
    assert f.line == line_of(path, "account_holder: Northstar Family Medicine")
    assert "`Northstar Family Medicine`" in f.message


def test_eft005_individual_business_name(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"account_holder: Lucia Ferreira":
                                                        "account_holder: Ferreira Family Medicine"})
    [f] = findings_of(check(path), "EFT005")
    assert "Ferreira Family Medicine" in f.message and "Lucia Ferreira" in f.message


def test_eft005_tolerates_case_commas_and_periods(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {"account_holder: Northstar Family Medicine, LLC":
                                                     "account_holder: NORTHSTAR FAMILY MEDICINE LLC."})
    assert findings_of(check(path), "EFT005") == []
    path = make_profile(tmp_path / "b", "solo-practitioner", {"account_holder: Lucia Ferreira":
                                                              'account_holder: "FERREIRA, LUCIA"'})
    assert findings_of(check(path), "EFT005") == []
