"""DOC rules: the document matrix (rules/documents.yaml) and the document checks in builtin/documents.py."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest

from helpers import check, findings_of, line_of, make_profile

EXAMPLES = ("solo-practitioner", "reassigning-np", "group-practice", "dmepos-supplier", "clinical-lab")
DOC_IDS = ("DOC001", "DOC002", "DOC004", "DOC005", "DOC007", "DOC008", "DOC009", "DOC010", "DOC011", "DOC012",
           "DOC013", "DOC014", "DOC015", "DOC016", "DOC017", "DOC018", "DOC019", "DOC020", "DOC021", "DOC022")


def drop(line: str) -> dict[str, str]:
    """A ``replace`` entry that deletes one whole line of the profile."""
    return {line + "\n": ""}


@pytest.mark.parametrize("name", EXAMPLES)
def test_ready_examples_have_no_doc_findings(tmp_path: Path, name: str) -> None:
    result = check(make_profile(tmp_path, name))
    assert [f for f in result.findings if f.rule in DOC_IDS] == []


# --- DOC001 IRS proof ---------------------------------------------------------------------------------

CP575_LAB = ('  - {type: irs_cp575, file: docs/irs-cp575.pdf, issued: 2026-05-11, '
             'refers_to: "Bay State Diagnostic Laboratory, Inc."}')


def test_doc001_organization_without_irs_letter(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", drop(CP575_LAB))
    [f] = findings_of(check(path), "DOC001")
    assert f.severity.value == "error"
    assert f.path == "documents"
    assert f.line == line_of(path, "- {type: clia_certificate")
    assert "irs_cp575" in f.message and "irs_147c" in f.message


def test_doc001_sole_proprietor_with_ein(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  sole_proprietor: true\n":
                                                        "  sole_proprietor: true\n  tin: 84-1234567\n"})
    [f] = findings_of(check(path), "DOC001")
    assert f.line == line_of(path, "- {type: state_license")


def test_doc001_passes_with_147c_or_941_and_for_individual_without_ein(tmp_path: Path) -> None:
    path = make_profile(tmp_path / "a", "clinical-lab", {"type: irs_cp575": "type: irs_941"})
    assert findings_of(check(path), "DOC001") == []
    assert findings_of(check(make_profile(tmp_path / "b", "solo-practitioner")), "DOC001") == []


# --- DOC002 / DOC010 W-9, W-2, SS-4 ---------------------------------------------------------------------

def test_doc002_w9_offered_as_irs_proof(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {"type: irs_cp575, file: docs/irs-cp575.pdf":
                                                   "type: w9, file: docs/irs-cp575.pdf"})
    result = check(path)
    [f] = findings_of(result, "DOC002")
    assert f.severity.value == "warning"
    assert f.path == "documents[0].type"
    assert f.line == line_of(path, "type: w9")
    assert "W-9" in f.message and "docs/irs-cp575.pdf" in f.message
    assert findings_of(result, "DOC001")


def test_doc002_ss4_mentions_mac_variation(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {"type: irs_cp575": "type: ss4"})
    [f] = findings_of(check(path), "DOC002")
    assert "SS-4" in f.message and "MAC" in f.message


def test_doc002_silent_when_an_irs_letter_is_there_but_doc010_notes_the_w9(tmp_path: Path) -> None:
    bank = "  - {type: bank_letter, file: docs/bank-letter.pdf, issued: 2026-11-19}\n"
    path = make_profile(tmp_path, "clinical-lab", {bank: bank + "  - {type: w9, file: docs/irs-cp575.pdf}\n"})
    result = check(path)
    assert findings_of(result, "DOC002") == []
    [f] = findings_of(result, "DOC010")
    assert f.severity.value == "info"
    assert f.path == "documents[6].type"
    assert f.line == line_of(path, "type: w9")
    assert "W-9" in f.message


def test_doc010_silent_without_w9(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "clinical-lab")), "DOC010") == []


# --- DOC004 CMS-588 -------------------------------------------------------------------------------------

CMS588_SOLO = "  - {type: cms_588_eft, file: docs/cms-588-signed.pdf, issued: 2026-11-18}"


def test_doc004_initial_without_cms588(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", drop(CMS588_SOLO))
    [f] = findings_of(check(path), "DOC004")
    assert f.severity.value == "error"
    assert f.path == "documents"
    assert f.line == line_of(path, "- {type: state_license")
    assert "cms_588_eft" in f.message and "initial" in f.message


def test_doc004_bank_change_without_cms588(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {
        "  - {type: cms_588_eft, file: docs/cms-588-signed.pdf, issued: 2026-11-12}\n": "",
        "changes:\n": "changes:\n  - {kind: bank_account, effective_date: 2026-11-01}\n"})
    [f] = findings_of(check(path), "DOC004")
    assert f.line == line_of(path, "- {type: irs_cp575")


def test_doc004_not_for_a_revalidation_without_bank_change(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice",
                        drop("  - {type: cms_588_eft, file: docs/cms-588-signed.pdf, issued: 2026-11-12}"))
    assert findings_of(check(path), "DOC004") == []


def test_doc004_exempt_when_all_benefits_reassigned(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "reassigning-np")), "DOC004") == []


def test_doc004_fires_when_reassigning_practitioner_keeps_an_account(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "reassigning-np", {
        "adverse_actions: []": 'bank_account: {routing_number: "121000358", account_holder: Priya Raman}\n'
                               "adverse_actions: []"})
    [f] = findings_of(check(path), "DOC004")
    assert f.path == "documents"


# --- DOC005 voided check / bank letter / deposit slip ---------------------------------------------------

def test_doc005_cms588_without_voided_check(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner",
                        drop("  - {type: voided_check, file: docs/voided-check.pdf, issued: 2026-11-18}"))
    [f] = findings_of(check(path), "DOC005")
    assert f.severity.value == "error"
    assert f.path == "documents[3].type"
    assert f.line == line_of(path, "type: cms_588_eft")
    assert "docs/cms-588-signed.pdf" in f.message


def test_doc005_deposit_slip(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"type: voided_check, file: docs/voided-check.pdf":
                                                        "type: deposit_slip, file: docs/voided-check.pdf"})
    found = findings_of(check(path), "DOC005")
    assert {f.path for f in found} == {"documents[3].type", "documents[4].type"}
    slip = next(f for f in found if f.path == "documents[4].type")
    assert slip.line == line_of(path, "type: deposit_slip")
    assert "deposit slip" in slip.message


def test_doc005_passes_with_bank_letter(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "clinical-lab")), "DOC005") == []


# --- DOC007 / DOC008 / DOC009 application fee -----------------------------------------------------------

def test_doc007_lab_without_fee_receipt(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", drop(
        "  - {type: application_fee_receipt, file: docs/application-fee-receipt.pdf, issued: 2026-11-23}"))
    [f] = findings_of(check(path), "DOC007")
    assert f.severity.value == "error"
    assert f.path == "documents"
    assert f.line == line_of(path, "- {type: irs_cp575")
    assert "application_fee_receipt" in f.message and "CMS-855B" in f.message


def test_doc007_dmepos_and_hardship_request(tmp_path: Path) -> None:
    receipt = "type: application_fee_receipt, file: docs/application-fee-receipt.pdf"
    path = make_profile(tmp_path / "a", "dmepos-supplier",
                        {receipt: "type: other, file: docs/application-fee-receipt.pdf"})
    assert findings_of(check(path), "DOC007")
    path = make_profile(tmp_path / "b", "dmepos-supplier",
                        {receipt: "type: hardship_request, file: docs/application-fee-receipt.pdf"})
    assert findings_of(check(path), "DOC007") == []


def test_doc007_not_for_physician_group(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "group-practice")), "DOC007") == []


def test_doc008_amount_of_another_year(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {"paid_on: 2026-11-23, amount: 750}":
                                                   "paid_on: 2026-11-23, amount: 730}"})
    [f] = findings_of(check(path), "DOC008")
    assert f.severity.value == "warning"
    assert f.path == "enrollment.application_fee.amount"
    assert f.line == line_of(path, "amount: 730")
    assert "$730" in f.message and "CY2025" in f.message and "$750" in f.message and "CY2026" in f.message


def test_doc008_unknown_year_is_a_note(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {"submitted_on: 2026-11-30": "submitted_on: 2027-01-15"})
    [f] = findings_of(check(path), "DOC008")
    assert f.severity.value == "info"
    assert "CY2027" in f.message and "not known to pecoscheck" in f.message


def test_doc008_right_amount(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "clinical-lab")), "DOC008") == []


def test_doc009_fee_paid_by_physician_group(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {"application_fee: {required: false}":
                                                     "application_fee: {required: false, paid_on: 2026-11-20, "
                                                     "amount: 750}"})
    [f] = findings_of(check(path), "DOC009")
    assert f.severity.value == "info"
    assert f.path == "enrollment.application_fee"
    assert f.line == line_of(path, "application_fee:")
    assert "$750" in f.message and "group practice" in f.message


def test_doc009_receipt_for_practitioner(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"type: cms_460,": "type: application_fee_receipt,"})
    [f] = findings_of(check(path), "DOC009")
    assert f.path == "documents[5].type"
    assert f.line == line_of(path, "type: application_fee_receipt")


def test_doc009_silent_for_fee_payers_and_unpaid_exempt(tmp_path: Path) -> None:
    for name in ("clinical-lab", "group-practice"):
        assert findings_of(check(make_profile(tmp_path / name, name)), "DOC009") == []


# --- DOC011 CMS-460 -------------------------------------------------------------------------------------

def test_doc011_cms460_while_all_benefits_reassigned(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "reassigning-np", {"  - {type: diploma,": "  - {type: cms_460, file: docs/"
                                                     "msn-diploma.pdf}\n  - {type: diploma,"})
    [f] = findings_of(check(path), "DOC011")
    assert f.severity.value == "info"
    assert f.path == "documents[2].type"
    assert f.line == line_of(path, "type: cms_460")
    assert "CMS-460" in f.message


def test_doc011_silent_when_billing_own_account(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "solo-practitioner")), "DOC011") == []


# --- DOC012 DEA -----------------------------------------------------------------------------------------

DEA_SOLO = ("  - {type: dea_certificate, file: docs/dea-registration-ca.pdf, issued: 2026-06-15, "
            "expires: 2029-05-31, refers_to: CA}")


def test_doc012_prescriber_without_dea(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", drop(DEA_SOLO))
    [f] = findings_of(check(path), "DOC012")
    assert f.severity.value == "warning"
    assert f.path == "provider.prescribes_controlled_substances"
    assert f.line == line_of(path, "prescribes_controlled_substances: true")
    assert "DEA" in f.message


def test_doc012_dea_for_another_state(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"expires: 2029-05-31, refers_to: CA}":
                                                        "expires: 2029-05-31, refers_to: NV}"})
    [f] = findings_of(check(path), "DOC012")
    assert f.path == "practice_locations[0].address.state"
    assert f.line == line_of(path, "      state: CA")
    assert "CA" in f.message and "NV" in f.message


def test_doc012_passes(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path / "a", "solo-practitioner")), "DOC012") == []
    path = make_profile(tmp_path / "b", "solo-practitioner", {"expires: 2029-05-31, refers_to: CA}":
                                                              "expires: 2029-05-31}"})
    assert findings_of(check(path), "DOC012") == []
    assert findings_of(check(make_profile(tmp_path / "c", "reassigning-np")), "DOC012") == []


# --- DOC013 / DOC014 / DOC015 / DOC016 matrix -----------------------------------------------------------

def test_doc013_lab_without_clia(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", drop(
        "  - {type: clia_certificate, file: docs/clia-certificate-22D2187345.pdf, issued: 2026-10-20, "
        "expires: 2028-10-19}"))
    [f] = findings_of(check(path), "DOC013")
    assert f.severity.value == "error"
    assert f.path == "documents"
    assert f.line == line_of(path, "- {type: irs_cp575")
    assert "CLIA" in f.message


def test_doc013_passes(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "clinical-lab")), "DOC013") == []


BOND = "  - {type: surety_bond, file: docs/surety-bond.pdf, issued: 2026-11-01, expires: 2027-11-01}"
ACCR = "  - {type: accreditation, file: docs/accreditation-letter.pdf, issued: 2026-10-28, expires: 2029-10-27}"
GL = ("  - {type: liability_insurance, file: docs/general-liability-certificate.pdf, issued: 2026-10-01, "
      "expires: 2027-10-01}")


def test_doc014_dmepos_without_surety_bond(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", drop(BOND))
    [f] = findings_of(check(path), "DOC014")
    assert f.severity.value == "error"
    assert f.path == "documents"
    assert f.line == line_of(path, "- {type: irs_147c")
    assert "surety bond" in f.message and "surety_bond" in f.message


def test_doc014_each_missing_document_named(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {**drop(BOND), **drop(ACCR), **drop(GL)})
    messages = sorted(f.message for f in findings_of(check(path), "DOC014"))
    assert len(messages) == 3
    assert any("accreditation" in m for m in messages)
    assert any("liability_insurance" in m for m in messages)


def test_doc014_accreditation_exemption_counts(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {"type: accreditation,": "type: accreditation_exemption,"})
    assert findings_of(check(path), "DOC014") == []


def test_doc015_adverse_action_without_record(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {
        "adverse_actions: []": "adverse_actions:\n  - {kind: license_suspension, date: 2019-04-02}"})
    [f] = findings_of(check(path), "DOC015")
    assert f.severity.value == "error"
    assert f.path == "documents"
    assert f.line == line_of(path, "- {type: state_license")
    assert "adverse_action_record" in f.message


def test_doc015_passes_with_record(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {
        "adverse_actions: []": "adverse_actions:\n  - {kind: license_suspension, date: 2019-04-02}",
        "type: board_certification": "type: adverse_action_record"})
    assert findings_of(check(path), "DOC015") == []


def test_doc016_org_owner_without_chart(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", drop(
        "  - {type: ownership_chart, file: docs/ownership-chart.txt, issued: 2026-11-10}"))
    [f] = findings_of(check(path), "DOC016")
    assert f.severity.value == "warning"
    assert f.path == "documents"
    assert f.line == line_of(path, "- {type: irs_cp575")
    assert "ownership_chart" in f.message


def test_doc016_passes(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path / "a", "group-practice")), "DOC016") == []
    assert findings_of(check(make_profile(tmp_path / "b", "clinical-lab")), "DOC016") == []


# --- DOC017 files ---------------------------------------------------------------------------------------

def test_doc017_missing_file(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner")
    (path.parent / "docs" / "voided-check.pdf").unlink()
    [f] = findings_of(check(path), "DOC017")
    assert f.severity.value == "error"
    assert f.path == "documents[4].file"
    assert f.line == line_of(path, "file: docs/voided-check.pdf")
    assert "docs/voided-check.pdf" in f.message and "does not exist" in f.message


def test_doc017_empty_file_and_folder(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner")
    (path.parent / "docs" / "voided-check.pdf").write_bytes(b"")
    (path.parent / "docs" / "cms-460-par-agreement.pdf").unlink()
    (path.parent / "docs" / "cms-460-par-agreement.pdf").mkdir()
    found = {f.path: f.message for f in findings_of(check(path), "DOC017")}
    assert "empty" in found["documents[4].file"]
    assert "folder" in found["documents[5].file"]


def test_doc017_judges_the_path_as_written(tmp_path: Path) -> None:
    """The escape check's lstat is reused only where it is the file's stat: not for a link, a `..`, a `/`."""
    path = make_profile(tmp_path, "solo-practitioner")
    docs = path.parent / "docs"
    (docs / "empty.pdf").write_bytes(b"")
    (docs / "to-empty.pdf").symlink_to(docs / "empty.pdf")  # a link inside the repository: its target counts
    (docs / "deep" / "sub").mkdir(parents=True)
    (docs / "via").symlink_to(docs / "deep" / "sub", target_is_directory=True)
    (docs / "full.pdf").write_bytes(b"%PDF-1.7\n")  # by text docs/full.pdf; for the kernel docs/deep/full.pdf
    (tmp_path / ".git").mkdir()
    text = path.read_text("utf-8")
    extra = "".join(f"  - {{type: other, file: {f}}}\n"
                    for f in ("docs/to-empty.pdf", "docs/voided-check.pdf/", "docs/via/../full.pdf"))
    path.write_text(text.replace("\ndocuments:\n", "\ndocuments:\n" + extra, 1), "utf-8")
    found = {f.path: f.message for f in findings_of(check(path), "DOC017")}
    assert "empty" in found["documents[0].file"]
    assert "does not exist" in found["documents[1].file"]
    assert "does not exist" in found["documents[2].file"]
    assert len(found) == 3


def test_doc017_passes(tmp_path: Path) -> None:
    for name in EXAMPLES:
        assert findings_of(check(make_profile(tmp_path / name, name)), "DOC017") == []


# --- DOC018 expiry --------------------------------------------------------------------------------------

def test_doc018_expired_document(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {"issued: 2026-11-01, expires: 2027-11-01":
                                                      "issued: 2025-11-01, expires: 2026-11-01"})
    [f] = findings_of(check(path), "DOC018")
    assert f.severity.value == "error"
    assert f.path == "documents[3].expires"
    assert f.line == line_of(path, "expires: 2026-11-01")
    assert "surety_bond" in f.message and "2026-11-01" in f.message and "2026-11-30" in f.message


def test_doc018_expiring_document_is_a_warning(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {"issued: 2026-11-01, expires: 2027-11-01":
                                                      "issued: 2025-12-15, expires: 2026-12-15"})
    [f] = findings_of(check(path), "DOC018")
    assert f.severity.value == "warning"
    assert "15 days" in f.message


def test_doc018_threshold_comes_from_settings(tmp_path: Path) -> None:
    from pecoscheck.rules.base import Settings

    path = make_profile(tmp_path, "dmepos-supplier", {"issued: 2026-11-01, expires: 2027-11-01":
                                                      "issued: 2025-12-15, expires: 2026-12-15"})
    assert findings_of(check(path, settings=Settings(document_expiry_warning_days=10)), "DOC018") == []


def test_doc018_passes(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "dmepos-supplier")), "DOC018") == []


# --- DOC019 type ----------------------------------------------------------------------------------------

def test_doc019_unknown_type_with_suggestion(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"type: board_certification": "type: board_cert"})
    [f] = findings_of(check(path), "DOC019")
    assert f.severity.value == "error"
    assert f.path == "documents[2].type"
    assert f.line == line_of(path, "type: board_cert")
    assert "`board_cert`" in f.message and "did you mean `board_certification`" in f.message


def test_doc019_w_dash_9(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"type: board_certification": "type: W-9"})
    [f] = findings_of(check(path), "DOC019")
    assert "did you mean `w9`" in f.message


def test_doc019_passes(tmp_path: Path) -> None:
    for name in EXAMPLES:
        assert findings_of(check(make_profile(tmp_path / name, name)), "DOC019") == []


# --- DOC020 paths outside the repository ----------------------------------------------------------------

@pytest.fixture
def no_open(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything opens a file whose name contains ``outside``."""
    real_open, real_os_open = builtins.open, os.open

    def guarded_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        assert "outside" not in str(file), f"opened {file}"
        return real_open(file, *args, **kwargs)

    def guarded_os_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        assert "outside" not in str(path), f"opened {path}"
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)


def test_doc020_absolute_path(tmp_path: Path, no_open: None) -> None:
    outside = tmp_path / "outside.pdf"
    outside.write_text("secret")
    path = make_profile(tmp_path, "solo-practitioner", {"file: docs/abfm-certificate.pdf": f"file: {outside}"})
    result = check(path)
    [f] = findings_of(result, "DOC020")
    assert f.severity.value == "error"
    assert f.path == "documents[2].file"
    assert f.line == line_of(path, "outside.pdf")
    assert "absolute" in f.message and str(outside) in f.message
    assert findings_of(result, "DOC017") == []


def test_doc020_dotdot_out_of_the_profile_folder(tmp_path: Path, no_open: None) -> None:
    (tmp_path / "outside.pdf").write_text("secret")
    path = make_profile(tmp_path, "solo-practitioner", {"file: docs/abfm-certificate.pdf":
                                                        "file: docs/../../outside.pdf"})
    [f] = findings_of(check(path), "DOC020")
    assert f.path == "documents[2].file"
    assert "`..`" in f.message


def test_doc020_symlink_pointing_outside(tmp_path: Path, no_open: None) -> None:
    (tmp_path / "outside.pdf").write_text("secret")
    path = make_profile(tmp_path, "solo-practitioner")
    link = path.parent / "docs" / "abfm-certificate.pdf"
    link.unlink()
    link.symlink_to(tmp_path / "outside.pdf")
    result = check(path)
    [f] = findings_of(result, "DOC020")
    assert f.path == "documents[2].file"
    assert f.line == line_of(path, "file: docs/abfm-certificate.pdf")
    assert "symbolic link" in f.message
    assert findings_of(result, "DOC017") == []


def test_doc020_dotdot_inside_the_git_repository_is_fine(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "abfm.pdf").write_text("specimen")
    path = make_profile(tmp_path, "solo-practitioner", {"file: docs/abfm-certificate.pdf":
                                                        "file: ../shared/abfm.pdf"})
    result = check(path)
    assert findings_of(result, "DOC020") == []
    assert findings_of(result, "DOC017") == []


def test_doc020_passes(tmp_path: Path) -> None:
    for name in EXAMPLES:
        assert findings_of(check(make_profile(tmp_path / name, name)), "DOC020") == []


# --- the not-ready examples for this family -------------------------------------------------------------

@pytest.mark.parametrize(("name", "rule", "needle"), [
    ("missing-irs-letter", "DOC001", "- {type: cms_588_eft"),
    ("org-w9-instead-of-irs-letter", "DOC001", "- {type: w9"),
    ("ein-ss4-instead-of-cp575", "DOC001", "- {type: ss4"),
    ("ein-ss4-instead-of-cp575", "DOC002", "type: ss4"),
    ("missing-document-file", "DOC017", "file: docs/missing-document-file/dea-registration-nm.pdf"),
    ("dmepos-no-surety-bond", "DOC014", "- {type: irs_cp575"),
    ("document-outside-repo", "DOC020", "file: /Users/mkowalski/Downloads"),
])
def test_not_ready_examples(name: str, rule: str, needle: str) -> None:
    from helpers import EXAMPLES as ROOT

    path = ROOT / "not-ready" / f"{name}.yaml"
    result = check(path)
    [f] = findings_of(result, rule)
    assert f.line == line_of(path, needle)
    assert not result.ready


# --- issue #22: facts corrected -----------------------------------------------------------------------

RECEIPT = "  - {type: application_fee_receipt, file: docs/application-fee-receipt.pdf, issued: 2026-11-23}"


def _lab_adds_location(tmp_path: Path, location: str, receipt: bool = False) -> Path:
    replace = {"  action: initial": "  action: change_of_information"}
    if not receipt:
        replace.update(drop(RECEIPT))
    return make_profile(tmp_path, "clinical-lab", replace, append=(
        "\nchanges:\n  - {kind: practice_location, effective_date: 2026-11-20, reported_on: 2026-11-30, "
        f"location: {location}}}\n"))


def test_doc007_fee_also_for_an_added_practice_location(tmp_path: Path) -> None:
    """42 CFR 424.514: institutional providers pay when they add a practice location, not only when enrolling."""
    path = _lab_adds_location(tmp_path, "added")
    [f] = findings_of(check(path), "DOC007")
    assert f.severity.value == "error"
    assert "change_of_information" in f.message


def test_doc007_no_fee_for_a_moved_location_or_with_the_receipt(tmp_path: Path) -> None:
    assert findings_of(check(_lab_adds_location(tmp_path / "a", "moved")), "DOC007") == []
    assert findings_of(check(_lab_adds_location(tmp_path / "b", "added", receipt=True)), "DOC007") == []


def test_doc007_cites_424_514_and_the_fee_notices() -> None:
    from pecoscheck.rules.registry import default_registry

    source = default_registry().rules["DOC007"].source
    assert "424.514" in source and "88 FR 76754" in source and "90 FR 55738" in source


def test_doc008_cites_the_right_federal_register_pages() -> None:
    from pecoscheck.rules.registry import default_registry

    source = default_registry().rules["DOC008"].source
    assert "CY2024 $709, 88 FR 76754" in source and "CY2025 $730, 89 FR 95215" in source


def test_doc009_cites_the_institutional_provider_definition() -> None:
    from pecoscheck.rules.registry import default_registry

    rule = default_registry().rules["DOC009"]
    assert "424.502" in rule.source and "CMS-20134" in rule.rationale


@pytest.mark.parametrize("exemption", ["government_operated", "physician_or_practitioner",
                                       "orthotic_prosthetic_personnel", "physical_or_occupational_therapist"])
def test_doc014_surety_bond_exception_recorded(tmp_path: Path, exemption: str) -> None:
    path = make_profile(tmp_path, "not-ready/dmepos-no-surety-bond.yaml", append="")
    text = path.read_text("utf-8").replace("provider:\n", f"provider:\n  surety_bond_exemption: {exemption}\n", 1)
    path.write_text(text, "utf-8")
    result = check(path)
    assert findings_of(result, "DOC014") == []
    assert result.ready


def test_doc014_exception_does_not_excuse_accreditation(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {**drop(BOND), **drop(ACCR),
                                                      "  kind: organization\n": "  kind: organization\n"
                                                      "  surety_bond_exemption: government_operated\n"})
    [f] = findings_of(check(path), "DOC014")
    assert "accreditation" in f.message


def test_doc014_cites_424_57_d() -> None:
    from pecoscheck.rules.registry import default_registry

    rule = default_registry().rules["DOC014"]
    assert "424.57(d)" in rule.source and "424.57(d)(15)" in rule.rationale and "surety vendors" not in rule.rationale


def test_doc014_unknown_exemption_is_a_format_error(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {"  kind: organization\n": "  kind: organization\n"
                                                      "  surety_bond_exemption: pharmacy\n"})
    result = check(path)
    assert any(f.rule == "SCH003" and "surety_bond_exemption" in f.path for f in result.findings)


def test_doc021_elevated_bond_for_adverse_actions(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {"adverse_actions: []": (
        "adverse_actions:\n  - {kind: license_suspension, date: 2019-04-02}\n"
        "  - {kind: felony_conviction, date: 2012-01-10}\n  - {kind: exclusion}")})
    [f] = findings_of(check(path), "DOC021")
    assert f.severity.value == "warning"
    assert "$150,000" in f.message and "1 of them undated" in f.message  # the 2012 action is over 10 years old


def test_doc021_not_without_adverse_actions_or_when_exempt(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path / "a", "dmepos-supplier")), "DOC021") == []
    path = make_profile(tmp_path / "b", "dmepos-supplier", {
        "adverse_actions: []": "adverse_actions:\n  - {kind: license_suspension, date: 2019-04-02}",
        "  kind: organization\n": "  kind: organization\n  surety_bond_exemption: government_operated\n"})
    assert findings_of(check(path), "DOC021") == []


EFT = "  - {type: cms_588_eft, file: docs/cms-588-signed.pdf, issued: 2026-11-18}"


@pytest.mark.parametrize(("version", "fires"), [("01/17", True), ("12/23", True), ("11/23", False),
                                                ("11/2023", False), ("(11/23)", False)])
def test_doc022_cms588_form_version(tmp_path: Path, version: str, fires: bool) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {
        EFT: "  - {type: cms_588_eft, file: docs/cms-588-signed.pdf, issued: 2026-11-18, "
             f"form_version: \"{version}\"}}"})
    found = findings_of(check(path), "DOC022")
    assert bool(found) == fires
    if fires:
        assert found[0].severity.value == "error" and "11/23" in found[0].message
