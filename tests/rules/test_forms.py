"""FORM rules: the CMS application fits the provider and the action."""

from __future__ import annotations

from helpers import check, findings_of, line_of, make_profile

BANK_BLOCK = """bank_account:
  bank_name: Bank of America, N.A.
  routing_number: "121000358"
  account_holder: Lucia Ferreira
  account_type: checking
  joint: false
"""


def test_form001_individual_on_855b(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"application: CMS-855I": "application: CMS-855B"})
    [f] = findings_of(check(path), "FORM001")
    assert f.severity.value == "error"
    assert f.path == "enrollment.application"
    assert f.line == line_of(path, "application: CMS-855B")
    assert "CMS-855B" in f.message and "individual" in f.message


def test_form001_group_on_855i(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {"application: CMS-855B": "application: CMS-855I"})
    [f] = findings_of(check(path), "FORM001")
    assert f.path == "enrollment.application"
    assert f.line == line_of(path, "application: CMS-855I")
    assert "CMS-855I" in f.message and "CMS-855B" in f.message


def test_form001_dmepos_on_855b(tmp_path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {"application: CMS-855S": "application: CMS-855B"})
    [f] = findings_of(check(path), "FORM001")
    assert "DMEPOS" in f.message and "CMS-855S" in f.message


def test_form001_passes_for_examples_and_855o(tmp_path) -> None:
    for name in ("solo-practitioner", "reassigning-np", "group-practice", "dmepos-supplier", "clinical-lab"):
        assert findings_of(check(make_profile(tmp_path / name, name)), "FORM001") == []
    path = make_profile(tmp_path / "o", "solo-practitioner", {"application: CMS-855I": "application: CMS-855O"})
    assert findings_of(check(path), "FORM001") == []


def test_form001_physician_may_enroll_as_dmepos_supplier(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"application: CMS-855I": "application: CMS-855S"})
    assert findings_of(check(path), "FORM001") == []


def test_form002_plans_855r(tmp_path) -> None:
    path = make_profile(tmp_path, "reassigning-np", {"application: CMS-855I": "application: CMS-855R"})
    result = check(path)
    [f] = findings_of(result, "FORM002")
    assert f.severity.value == "error"
    assert f.path == "enrollment.application"
    assert f.line == line_of(path, "application: CMS-855R")
    assert "CMS-855R" in f.message
    assert findings_of(result, "FORM001") == []


def test_form002_passes_on_855i(tmp_path) -> None:
    assert findings_of(check(make_profile(tmp_path, "reassigning-np")), "FORM002") == []


def test_form002_not_ready_example() -> None:
    from helpers import EXAMPLES

    path = EXAMPLES / "not-ready" / "plans-cms-855r.yaml"
    [f] = findings_of(check(path), "FORM002")
    assert f.line == line_of(path, "application: CMS-855R")


def test_form003_855o_with_eft_and_billing_documents(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"application: CMS-855I": "application: CMS-855O"})
    found = {f.path: f for f in findings_of(check(path), "FORM003")}
    assert set(found) == {"bank_account", "documents[3].type", "documents[5].type"}
    assert found["bank_account"].line == line_of(path, "bank_account:")
    assert found["documents[3].type"].line == line_of(path, "type: cms_588_eft")
    assert "CMS-588" in found["documents[3].type"].message
    assert "CMS-460" in found["documents[5].type"].message


def test_form003_855o_with_reassignment(tmp_path) -> None:
    path = make_profile(tmp_path, "reassigning-np", {"application: CMS-855I": "application: CMS-855O"})
    [f] = findings_of(check(path), "FORM003")
    assert f.path == "reassignments[0]"
    assert f.line == line_of(path, 'group_npi: "1881649713"')
    assert "1881649713" in f.message


def test_form003_clean_855o_passes(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {
        "application: CMS-855I": "application: CMS-855O",
        "  - {type: cms_588_eft, file: docs/cms-588-signed.pdf, issued: 2026-11-18}\n": "",
        "  - {type: cms_460, file: docs/cms-460-par-agreement.pdf, issued: 2026-11-18}\n": "",
        BANK_BLOCK: "",
    })
    assert findings_of(check(path), "FORM003") == []
