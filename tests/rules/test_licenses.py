"""LIC rules: licenses for practice states, expiry, status, state codes, license copies, NPP credentials."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check, findings_of, line_of, make_profile
from pecoscheck.rules.base import Settings
from pecoscheck.rules.registry import default_registry

EXAMPLES = ("solo-practitioner", "reassigning-np", "group-practice", "dmepos-supplier", "clinical-lab")
LIC_IDS = ("LIC001", "LIC002", "LIC003", "LIC004", "LIC005", "LIC006", "LIC007", "LIC008")
TO_855O = {"application: CMS-855I": "application: CMS-855O"}


@pytest.mark.parametrize("name", EXAMPLES)
def test_ready_examples_have_no_lic_findings(tmp_path: Path, name: str) -> None:
    result = check(make_profile(tmp_path, name))
    assert [f for f in result.findings if f.rule in LIC_IDS] == []


# --- LIC001 -----------------------------------------------------------------------------------------------

def test_lic001_expired_license_example() -> None:
    from helpers import EXAMPLES as ROOT

    path = ROOT / "not-ready" / "expired-license.yaml"
    [f] = findings_of(check(path), "LIC001")
    assert f.severity.value == "error"
    assert f.path == "licenses[0].expires"
    assert f.line == line_of(path, "    expires: 2026-08-31")
    assert "TX R4821" in f.message and "2026-08-31" in f.message and "submission date 2026-11-30" in f.message


def test_lic001_no_license_for_practice_state(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  - state: CA\n": "  - state: NV\n"})
    [f] = findings_of(check(path), "LIC001")
    assert f.path == "practice_locations[0].address.state"
    assert f.line == line_of(path, "      state: CA")
    assert "CA" in f.message and "Ferreira Family Medicine" in f.message


def test_lic001_pending_license(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"status: active": "status: pending"})
    [f] = findings_of(check(path), "LIC001")
    assert f.path == "licenses[0].status"
    assert f.line == line_of(path, "status: pending")
    assert "pending" in f.message


def test_lic001_measures_against_as_of_without_submission_date(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  submitted_on: 2026-11-30\n": "",
                                                        "expires: 2028-05-31\n": "expires: 2026-11-20\n"})
    [f] = findings_of(check(path), "LIC001")
    assert "check date 2026-11-26" in f.message


def test_lic001_855o_without_active_license(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {**TO_855O, "status: active": "status: pending"})
    [f] = findings_of(check(path), "LIC001")
    assert f.path == "licenses[0].status"


def test_lic001_855o_resident_with_residency_letter(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {**TO_855O, "status: active": "status: pending",
                                                        "type: board_certification": "type: residency_letter"})
    assert findings_of(check(path), "LIC001") == []


def test_lic001_not_repeated_for_suspended_license(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"status: active": "status: suspended"})
    result = check(path)
    assert findings_of(result, "LIC001") == []
    assert findings_of(result, "LIC006")


def test_lic001_passes(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "reassigning-np")), "LIC001") == []


# --- LIC002 -----------------------------------------------------------------------------------------------

def test_lic002_license_expiring_soon(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"expires: 2028-05-31\n": "expires: 2027-01-15\n"})
    [f] = findings_of(check(path), "LIC002")
    assert f.severity.value == "warning"
    assert f.path == "licenses[0].expires"
    assert f.line == line_of(path, "expires: 2027-01-15")
    assert "CA A178452" in f.message and "46 days" in f.message


def test_lic002_threshold_from_settings_and_rationale(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"expires: 2028-05-31\n": "expires: 2027-01-15\n"})
    assert findings_of(check(path, settings=Settings(license_expiry_warning_days=30)), "LIC002") == []
    assert "not a CMS rule" in default_registry().rules["LIC002"].rationale


def test_lic002_passes(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "solo-practitioner")), "LIC002") == []


# --- LIC003 / LIC004 --------------------------------------------------------------------------------------

CERT = ("  - {type: national_certification, file: docs/aanp-fnp-certification.pdf, issued: 2023-08-15, "
        "expires: 2028-08-14}\n")
DIPLOMA = "  - {type: diploma, file: docs/msn-diploma.pdf, issued: 2023-05-12}\n"


def test_lic003_np_without_national_certification(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "reassigning-np", {CERT: ""})
    result = check(path)
    [f] = findings_of(result, "LIC003")
    assert f.severity.value == "error"
    assert f.path == "documents"
    assert f.line == line_of(path, "- {type: state_license")
    assert "national_certification" in f.message
    assert findings_of(result, "LIC004") == []


def test_lic003_each_missing_document(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "reassigning-np", {CERT: "", DIPLOMA: ""})
    assert len(findings_of(check(path), "LIC003")) == 2


def test_lic003_passes(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "reassigning-np")), "LIC003") == []


def test_lic004_np_revalidating_without_diploma(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "reassigning-np", {DIPLOMA: "", "action: initial": "action: revalidation"})
    result = check(path)
    [f] = findings_of(result, "LIC004")
    assert f.severity.value == "warning"
    assert f.path == "documents"
    assert f.line == line_of(path, "- {type: state_license")
    assert "`diploma`" in f.message
    assert findings_of(result, "LIC003") == []


def test_lic004_physician_assistant(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "reassigning-np", {"practitioner_type: nurse_practitioner":
                                                     "practitioner_type: physician_assistant", CERT: ""})
    [f] = findings_of(check(path), "LIC004")
    assert "national_certification" in f.message


def test_lic004_not_for_physicians(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "solo-practitioner")), "LIC004") == []


# --- LIC005 -----------------------------------------------------------------------------------------------

def test_lic005_855o_license_issued_after_receipt(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {**TO_855O, "issued: 2018-07-20": "issued: 2026-12-05"})
    [f] = findings_of(check(path), "LIC005")
    assert f.severity.value == "info"
    assert f.path == "licenses[0].issued"
    assert f.line == line_of(path, "issued: 2026-12-05")
    assert "2026-12-05" in f.message and "CMS-855O" in f.message


def test_lic005_only_for_855o(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"issued: 2018-07-20": "issued: 2026-12-05"})
    assert findings_of(check(path), "LIC005") == []


# --- LIC006 -----------------------------------------------------------------------------------------------

def test_lic006_suspended_license_in_practice_state(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"status: active": "status: suspended"})
    [f] = findings_of(check(path), "LIC006")
    assert f.severity.value == "error"
    assert f.path == "licenses[0].status"
    assert f.line == line_of(path, "status: suspended")
    assert "CA A178452 is suspended" in f.message


def test_lic006_lapsed_license_elsewhere_is_a_warning(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {
        "\npractice_locations:": "  - {state: NV, number: \"12345\", status: inactive}\n\npractice_locations:"})
    [f] = findings_of(check(path), "LIC006")
    assert f.severity.value == "warning"
    assert f.path == "licenses[1].status"
    assert f.line == line_of(path, "status: inactive")


def test_lic006_passes(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "solo-practitioner")), "LIC006") == []


# --- LIC007 -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("state", "tip"), [("California", "did you mean CA"), ("ca", "did you mean CA"),
                                            ("XX", "")])
def test_lic007_state_not_a_usps_code(tmp_path: Path, state: str, tip: str) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  - state: CA\n": f"  - state: {state}\n"})
    [f] = findings_of(check(path), "LIC007")
    assert f.severity.value == "error"
    assert f.path == "licenses[0].state"
    assert f.line == line_of(path, f"  - state: {state}")
    assert f"`{state}`" in f.message and tip in f.message


def test_lic007_territories_and_dc_are_codes(tmp_path: Path) -> None:
    for code in ("PR", "DC", "GU"):
        path = make_profile(tmp_path / code, "solo-practitioner", {"  - state: CA\n": f"  - state: {code}\n"})
        assert findings_of(check(path), "LIC007") == []


# --- LIC008 -----------------------------------------------------------------------------------------------

LICENSE_DOC = ("  - {type: state_license, file: docs/ca-medical-license-A178452.pdf, issued: 2018-07-20, "
               "expires: 2028-05-31, refers_to: CA}\n")


def test_lic008_no_license_copy(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {LICENSE_DOC: ""})
    [f] = findings_of(check(path), "LIC008")
    assert f.severity.value == "warning"
    assert f.path == "licenses[0].state"
    assert f.line == line_of(path, "  - state: CA")
    assert "CA license A178452" in f.message


def test_lic008_copy_without_refers_to_counts_once(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"expires: 2028-05-31, refers_to: CA}": "expires: 2028-05-31}"})
    assert findings_of(check(path), "LIC008") == []


def test_lic008_passes(tmp_path: Path) -> None:
    for name in EXAMPLES:
        assert findings_of(check(make_profile(tmp_path / name, name)), "LIC008") == []


def test_np_no_certification_example() -> None:
    from helpers import EXAMPLES as ROOT

    path = ROOT / "not-ready" / "np-no-certification.yaml"
    result = check(path)
    [f] = findings_of(result, "LIC003")
    assert f.line == line_of(path, "- {type: state_license")
    assert "national_certification" in f.message
    assert [g.rule for g in result.findings if g.severity.value == "error"] == ["LIC003"]


def test_lic006_organization_license_past_its_expiry(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab")
    text = path.read_text("utf-8")
    import re

    m = re.search(r"expires: (20\d\d-\d\d-\d\d)", text[text.index("\nlicenses:"):])
    assert m
    path.write_text(text.replace(f"expires: {m.group(1)}", "expires: 2026-10-31", 1), "utf-8")
    hits = findings_of(check(path), "LIC006")
    assert hits and hits[0].path.endswith(".expires") and "expired on 2026-10-31" in hits[0].message
    assert hits[0].line == line_of(path, "expires: 2026-10-31")
    assert not findings_of(check(make_profile(tmp_path / "ok", "clinical-lab")), "LIC006")


# --- every license judged on its own (issue #23) ------------------------------------------------------------

APRN = "  - {state: MN, number: A0045218, type: APRN-CNP, status: active, issued: 2023-09-05, expires: 2028-03-31}"
APRN_LAPSED = APRN.replace("expires: 2028-03-31", "expires: 2026-10-31")


def test_lic001_expired_aprn_license_beside_a_current_rn_license(tmp_path: Path) -> None:
    """An NP whose APRN license lapsed is not ready because her RN license is still current."""
    path = make_profile(tmp_path, "reassigning-np", {APRN: APRN_LAPSED})
    result = check(path)
    [f] = findings_of(result, "LIC001")
    assert f.severity.value == "error"
    assert f.path == "licenses[1].expires"
    assert f.line == line_of(path, "number: A0045218")
    assert "A0045218" in f.message and "APRN-CNP" in f.message and "2026-10-31" in f.message
    assert "RN R231847" in f.message
    assert not result.ready


def test_lic001_and_deadlines_agree_on_the_lapsed_license(tmp_path: Path) -> None:
    from helpers import AS_OF
    from pecoscheck.deadlines import file_deadlines

    path = make_profile(tmp_path, "reassigning-np", {APRN: APRN_LAPSED})
    got = file_deadlines(path, AS_OF)
    assert not isinstance(got, str)
    [overdue] = [d for d in got.deadlines if d.path == "licenses[1].expires"]
    assert overdue.days_left < 0 and overdue.rule == "LIC001"
    assert [f.path for f in findings_of(check(path), "LIC001")] == [overdue.path]


def test_lic001_both_licenses_current_passes(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "reassigning-np")), "LIC001") == []


def test_lic003_kept_an_error_with_its_reason() -> None:
    rule = default_registry().rules["LIC003"]
    assert rule.severity.value == "error"
    assert "Kept an error" in rule.rationale and "[S21]" in rule.source
