"""OWN rules (builtin/ownership.py): who must be listed in ownership, and with what."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check, findings_of, line_of, make_profile
from pecoscheck.rules.builtin.ownership import entity_form

EXAMPLES = ("solo-practitioner", "reassigning-np", "group-practice", "dmepos-supplier", "clinical-lab")
IDS = ("OWN001", "OWN003", "OWN004", "OWN005", "OWN008", "OWN010")
PARK = ('{party: individual, name: Evelyn Park, npi: "1151798398", percent: 55, '
        "roles: [direct_owner, officer, director]")
OSEI = "{party: individual, name: Michael Osei, percent: 45, roles: [direct_owner, officer, director]"
LAKESIDE = '{party: organization, name: "Lakeside Physician Holdings, LLC", tin: 41-3958127, percent: 40'


@pytest.mark.parametrize("name", EXAMPLES)
def test_ready_examples_have_no_ownership_findings(tmp_path: Path, name: str) -> None:
    result = check(make_profile(tmp_path, name))
    assert [f for f in result.findings if f.rule in IDS] == []
    assert [f for f in findings_of(result, "OWN002") if f.severity.value != "info"] == []


@pytest.mark.parametrize(("name", "form"), [
    ("Bay State Diagnostic Laboratory, Inc.", "corporation"),
    ("Acme Medical Corp", "corporation"),
    ("Smith & Jones, P.C.", "corporation"),
    ("Bayshore Internal Medicine Associates, P.A.", "corporation"),
    ("Lakeview Surgical Partners, LLP", "partnership"),
    ("Hill Country Imaging, L.P.", "partnership"),
    ("River Oaks Medical Partners", "partnership"),
    ("Meridian Revenue Partners, Inc.", "corporation"),
    ("Summit Partners, LLC", None),
    ("Northstar Family Medicine, LLC", None),
    ("Cascade Physical Therapy, PLLC", None),
])
def test_entity_form(name: str, form: str | None) -> None:
    assert entity_form(name) == form


# --- OWN001 -------------------------------------------------------------------------------------------

def test_own001_only_officers_listed(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "not-ready/surrogate-pending.yaml", {
        "percent: 70, roles: [direct_owner, managing_control]": "roles: [officer]",
        "percent: 30, roles: [direct_owner]": "roles: [director]"})
    [f] = findings_of(check(path), "OWN001")
    assert f.severity.value == "error"
    assert f.path == "ownership"
    assert f.line == line_of(path, "ownership:")
    assert "2 `ownership` entries" in f.message


def test_own001_managing_employee_alone_is_enough(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "not-ready/surrogate-pending.yaml", {
        "percent: 70, roles: [direct_owner, managing_control]": "roles: [managing_employee]",
        "percent: 30, roles: [direct_owner]": "roles: [director]"})
    assert findings_of(check(path), "OWN001") == []


# --- OWN002 -------------------------------------------------------------------------------------------

def test_own002_indirect_owner_without_percent(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice")
    text = path.read_text("utf-8").replace(
        "\nofficials:", "\n  - {party: individual, name: Erik Sorensen, roles: [indirect_owner]}\n\nofficials:", 1)
    path.write_text(text, "utf-8")
    result = check(path)
    [f] = findings_of(result, "OWN002")
    assert f.severity.value == "warning"
    assert f.path == "ownership[4]"
    assert f.line == line_of(path, "name: Erik Sorensen")
    assert "Erik Sorensen" in f.message and "percent" in f.message


def test_own002_indirect_interest_larger_than_organizational_owners(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice")
    text = path.read_text("utf-8").replace(
        "\nofficials:", "\n  - {party: individual, name: Erik Sorensen, percent: 45, roles: [indirect_owner]}"
        "\n\nofficials:", 1)
    path.write_text(text, "utf-8")
    [f] = findings_of(check(path), "OWN002")
    assert f.path == "ownership[4].percent"
    assert f.line == line_of(path, "name: Erik Sorensen")
    assert "45%" in f.message and "40%" in f.message


def test_own002_owner_without_role(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {OSEI: OSEI.replace("roles: [direct_owner, officer, director]",
                                                                      "roles: []")})
    [f] = [f for f in findings_of(check(path), "OWN002") if f.severity.value == "warning"]
    assert f.path == "ownership[1].roles"
    assert f.line == line_of(path, "name: Michael Osei")
    assert "Michael Osei" in f.message and "45%" in f.message


def test_own002_note_for_organizational_owner(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", replace={
        "roles: [direct_owner, indirect_owner, managing_control]": "roles: [direct_owner, managing_control]",
        "roles: [direct_owner, indirect_owner]": "roles: [direct_owner]"})
    [f] = findings_of(check(path), "OWN002")
    assert f.severity.value == "info"
    assert f.path == "ownership[2].percent"
    assert f.line == line_of(path, "name: \"Lakeside Physician Holdings")
    assert "12.5%" in f.message


def test_own002_no_note_once_indirect_owners_are_listed(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice")
    text = path.read_text("utf-8").replace(
        "\nofficials:", "\n  - {party: individual, name: Erik Sorensen, percent: 20, roles: [indirect_owner]}"
        "\n\nofficials:", 1)
    path.write_text(text, "utf-8")
    assert findings_of(check(path), "OWN002") == []


# --- OWN003 -------------------------------------------------------------------------------------------

def test_own003_partnership_without_partners(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {"legal_name: Northstar Family Medicine, LLC":
                                                     "legal_name: Northstar Family Medicine, LLP"})
    [f] = findings_of(check(path), "OWN003")
    assert f.severity.value == "warning"
    assert f.path == "provider.legal_name"
    assert f.line == line_of(path, "legal_name: Northstar Family Medicine, LLP")
    assert "Northstar Family Medicine, LLP" in f.message


def test_own003_partners_listed(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {
        "legal_name: Northstar Family Medicine, LLC": "legal_name: Northstar Family Medicine, LLP",
        "percent: 35, roles: [direct_owner, indirect_owner, managing_control]":
        "percent: 35, roles: [partner, managing_control]"})
    assert findings_of(check(path), "OWN003") == []


# --- OWN004 -------------------------------------------------------------------------------------------

def test_own004_corporation_without_directors(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {
        PARK: PARK.replace("officer, director", "officer"), OSEI: OSEI.replace("officer, director", "officer")})
    [f] = findings_of(check(path), "OWN004")
    assert f.severity.value == "warning"
    assert f.path == "provider.legal_name"
    assert f.line == line_of(path, "legal_name: Bay State Diagnostic Laboratory, Inc.")
    assert "directors" in f.message and "officers" not in f.message


def test_own004_not_for_llc(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "dmepos-supplier")), "OWN004") == []


# --- OWN005 -------------------------------------------------------------------------------------------

def test_own005_official_missing_from_ownership(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {"  - name: Michael Osei\n": "  - name: Michael Osei-Bonsu\n"})
    [f] = findings_of(check(path), "OWN005")
    assert f.severity.value == "error"
    assert f.path == "officials[1].name"
    assert f.line == line_of(path, "- name: Michael Osei-Bonsu")
    assert "delegated official Michael Osei-Bonsu" in f.message


# --- OWN008 -------------------------------------------------------------------------------------------

def test_own008_organizational_owner_without_tin(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {LAKESIDE: LAKESIDE.replace(" tin: 41-3958127,", "")})
    [f] = findings_of(check(path), "OWN008")
    assert f.severity.value == "error"
    assert f.path == "ownership[2].tin"
    assert f.line == line_of(path, "name: \"Lakeside Physician Holdings")
    assert "Lakeside Physician Holdings, LLC" in f.message


# --- OWN010 -------------------------------------------------------------------------------------------

def test_own010_direct_ownership_over_100(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {"percent: 40, roles: [direct_owner]":
                                                      "percent: 45, roles: [direct_owner]"})
    [f] = findings_of(check(path), "OWN010")
    assert f.severity.value == "warning"
    assert f.path == "ownership"
    assert f.line == line_of(path, "ownership:")
    assert "105%" in f.message
