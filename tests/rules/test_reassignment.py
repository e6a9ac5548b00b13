"""REA rules (builtin/reassignment.py): reassignments of benefits on the CMS-855I."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check, findings_of, line_of, make_profile

EXAMPLES = ("solo-practitioner", "reassigning-np", "group-practice", "dmepos-supplier", "clinical-lab")
IDS = ("REA001", "REA002", "REA004", "REA005", "REA006", "REA007", "REA008", "REA009")
NP = "reassigning-np"
NOT_ENROLLED = "not-ready/reassignment-group-not-enrolled.yaml"
SECOND = ('  - {group_npi: "1881649713", group_name: "Northstar Family Medicine, LLC", group_ptan: "N418275", '
          "group_enrolled: true, status: pending}\n")


@pytest.mark.parametrize("name", EXAMPLES)
def test_ready_examples_have_no_reassignment_findings(tmp_path: Path, name: str) -> None:
    result = check(make_profile(tmp_path, name))
    assert [f for f in result.findings if f.rule in IDS] == []


# --- REA001 -------------------------------------------------------------------------------------------

def test_rea001_group_not_enrolled(tmp_path: Path) -> None:
    path = make_profile(tmp_path, NOT_ENROLLED)
    result = check(path)
    [f] = findings_of(result, "REA001")
    assert f.severity.value == "error"
    assert f.path == "reassignments[0].group_enrolled"
    assert f.line == line_of(path, "    group_enrolled: false")
    assert "Front Range Family Care, PLLC" in f.message
    assert findings_of(result, "REA004") == []  # no PTAN expected from a group that is not enrolled


def test_rea001_enrollment_unknown_is_a_warning(tmp_path: Path) -> None:
    path = make_profile(tmp_path, NP, {"    group_enrolled: true\n": ""})
    [f] = findings_of(check(path), "REA001")
    assert f.severity.value == "warning"
    assert f.path == "reassignments[0]"
    assert f.line == line_of(path, '- group_npi: "1881649713"')


def test_rea001_linked_implies_enrolled(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "not-ready/ssn-in-profile.yaml", {"group_enrolled: true, ": ""})
    assert findings_of(check(path), "REA001") == []


# --- REA004 -------------------------------------------------------------------------------------------

def test_rea004_enrolled_group_without_ptan(tmp_path: Path) -> None:
    path = make_profile(tmp_path, NP, {'    group_ptan: "N418275"\n': ""})
    [f] = findings_of(check(path), "REA004")
    assert f.severity.value == "warning"
    assert f.path == "reassignments[0].group_ptan"
    assert f.line == line_of(path, '- group_npi: "1881649713"')
    assert "Northstar Family Medicine, LLC" in f.message and "PTAN" in f.message


def test_rea004_missing_name_and_npi(tmp_path: Path) -> None:
    path = make_profile(tmp_path, NP, {"    group_name: Northstar Family Medicine, LLC\n": "",
                                       '- group_npi: "1881649713"': '- group_npi: ""'})
    found = findings_of(check(path), "REA004")
    assert sorted(f.path for f in found) == ["reassignments[0].group_name", "reassignments[0].group_npi"]


# --- REA005 (withdrawn) / REA002 ------------------------------------------------------------------------

PA = {"  practitioner_type: nurse_practitioner": "  practitioner_type: physician_assistant"}


def test_rea005_physician_assistant_may_reassign(tmp_path: Path) -> None:
    """Since 2022 (CAA 2021 s.403, SSA 1842(b)(6)(C)) a PA may reassign: the old warning is withdrawn."""
    result = check(make_profile(tmp_path, NP, PA))
    assert findings_of(result, "REA005") == []
    assert [f for f in result.findings if f.rule.startswith("REA")] == []


def test_rea005_is_kept_as_withdrawn_so_configs_still_load() -> None:
    from pecoscheck.rules.registry import default_registry

    rule = default_registry().rules["REA005"]
    assert rule.title.startswith("Withdrawn") and rule.severity.value == "info"
    assert "1842(b)(6)(C)" in rule.rationale and "sec. 403" in rule.source


def test_rea002_reassignment_without_group_signer(tmp_path: Path) -> None:
    path = make_profile(tmp_path, NP, {"    group_signer: Thomas Lindqvist\n": ""})
    [f] = findings_of(check(path), "REA002")
    assert f.severity.value == "warning"
    assert f.path == "reassignments[0]"
    assert "authorized or delegated official" in f.message


def test_rea002_linked_reassignment_not_checked(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "not-ready/ssn-in-profile.yaml")), "REA002") == []


# --- REA006 -------------------------------------------------------------------------------------------

def test_rea006_effective_date_far_in_the_future(tmp_path: Path) -> None:
    path = make_profile(tmp_path, NP, {"    effective_date: 2026-11-16\n    # Filed":
                                       "    effective_date: 2027-02-01\n    # Filed"})
    [f] = findings_of(check(path), "REA006")
    assert f.severity.value == "error"  # 42 CFR 424.526(a)(2), no longer an unverified tip
    assert f.path == "reassignments[0].effective_date"
    assert f.line == line_of(path, "effective_date: 2027-02-01")
    assert "2027-02-01" in f.message and "63 days" in f.message and "424.526(a)(2)" in f.message


def test_rea006_counts_from_the_signature_date(tmp_path: Path) -> None:
    path = make_profile(tmp_path, NP, {"    effective_date: 2026-11-16\n    # Filed":
                                       "    effective_date: 2027-02-01\n    # Filed",
                                       "  submitted_on: 2026-11-30\n": "  submitted_on: 2026-11-30\n"
                                                                     "  signed_on: 2026-12-05\n"})
    assert findings_of(check(path), "REA006") == []


def test_rea006_within_60_days(tmp_path: Path) -> None:
    path = make_profile(tmp_path, NP, {"    effective_date: 2026-11-16\n    # Filed":
                                       "    effective_date: 2027-01-29\n    # Filed"})
    assert findings_of(check(path), "REA006") == []


# --- REA007 -------------------------------------------------------------------------------------------

def test_rea007_linked_before_enrolled(tmp_path: Path) -> None:
    path = make_profile(tmp_path, NP, {"    status: pending": "    status: linked"})
    [f] = findings_of(check(path), "REA007")
    assert f.severity.value == "warning"
    assert f.path == "reassignments[0].status"
    assert f.line == line_of(path, "status: linked")
    assert "Northstar Family Medicine, LLC" in f.message


def test_rea007_not_for_enrolled_practitioner(tmp_path: Path) -> None:
    path = make_profile(tmp_path, NP, {"    status: pending": "    status: linked",
                                       "    status: not_enrolled": "    status: approved"})
    assert findings_of(check(path), "REA007") == []


# --- REA008 -------------------------------------------------------------------------------------------

def test_rea008_own_npi(tmp_path: Path) -> None:
    path = make_profile(tmp_path, NP, {'- group_npi: "1881649713"': '- group_npi: "1680729906"'})
    [f] = findings_of(check(path), "REA008")
    assert f.severity.value == "error"
    assert f.path == "reassignments[0].group_npi"
    assert f.line == line_of(path, '- group_npi: "1680729906"')
    assert "1680729906" in f.message


# --- REA009 -------------------------------------------------------------------------------------------

def test_rea009_duplicate_group(tmp_path: Path) -> None:
    path = make_profile(tmp_path, NP, {"\nidentity_access:": SECOND + "\nidentity_access:"})
    [f] = findings_of(check(path), "REA009")
    assert f.severity.value == "error"
    assert f.path == "reassignments[1].group_npi"
    assert f.line == line_of(path, '- {group_npi: "1881649713"')
    assert "1881649713" in f.message and "reassignments[0]" in f.message
