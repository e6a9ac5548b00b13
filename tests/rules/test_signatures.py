"""SIG/OFF rules and OWN007 (builtin/signatures.py), plus the shared name matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check, findings_of, line_of, make_profile
from pecoscheck.rules.builtin.signatures import name_key, same_person

EXAMPLES = ("solo-practitioner", "reassigning-np", "group-practice", "dmepos-supplier", "clinical-lab")
def exact_line(path: Path, text: str) -> int:
    return path.read_text("utf-8").splitlines().index(text) + 1


IDS = ("SIG001", "SIG002", "SIG003", "SIG004", "SIG005", "SIG006", "OFF001", "OWN007")


@pytest.mark.parametrize("name", EXAMPLES)
def test_ready_examples_have_no_signature_findings(tmp_path: Path, name: str) -> None:
    result = check(make_profile(tmp_path, name))
    assert [f for f in result.findings if f.rule in IDS] == []


@pytest.mark.parametrize(("a", "b"), [
    ("Thomas Lindqvist", "Dr. Thomas J. Lindqvist, MD"),
    ("thomas lindqvist", "THOMAS LINDQVIST"),
    ("Lindqvist, Thomas", "Thomas Lindqvist"),
    ("Anh Do", "Anh Do, MD"),
    ("Jane Doe Jr.", "Jane Doe"),
])
def test_same_person(a: str, b: str) -> None:
    assert same_person(a, b)


def test_different_people_and_single_words() -> None:
    assert not same_person("Thomas Lindqvist", "Karen Dahl")
    assert not same_person("Thomas Lindqvist", "Thomas Lindgren")
    assert name_key("Madonna") is None
    assert not same_person("Madonna", "Madonna")


# --- SIG002 -------------------------------------------------------------------------------------------

def test_sig002_855i_signed_by_office_manager(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"signer: Lucia Ferreira": "signer: Rosa Delgado"})
    [f] = findings_of(check(path), "SIG002")
    assert f.severity.value == "error"
    assert f.path == "enrollment.signer"
    assert f.line == line_of(path, "signer: Rosa Delgado")
    assert "Rosa Delgado" in f.message and "Lucia Ferreira" in f.message


def test_sig002_accepts_middle_name_and_credential(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"signer: Lucia Ferreira": "signer: Dr. Lucia M. Ferreira, MD"})
    assert findings_of(check(path), "SIG002") == []


def test_sig002_not_ready_example(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "not-ready/signer-not-practitioner.yaml")
    [f] = findings_of(check(path), "SIG002")
    assert f.line == line_of(path, "signer: Gloria Patel")


def test_sig002_855o_signed_by_staff(tmp_path: Path) -> None:
    """The CMS-855O is the practitioner's own application too: staff cannot sign it."""
    path = make_profile(tmp_path, "not-ready/order-refer-with-eft.yaml",
                        {"  signer: Hannah Brooks": "  signer: Carl Jensen"})
    [f] = findings_of(check(path), "SIG002")
    assert f.severity.value == "error"
    assert f.line == line_of(path, "signer: Carl Jensen")
    assert "CMS-855O" in f.message and "Hannah Brooks" in f.message


def test_sig002_855o_signed_by_the_practitioner(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "not-ready/order-refer-with-eft.yaml")), "SIG002") == []


# --- SIG003 (PECOS e-signature within 20 days) ------------------------------------------------------------

def test_sig003_signed_more_than_20_days_after_submission(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  submitted_on: 2026-11-30\n":
                                                        "  submitted_on: 2026-11-30\n  signed_on: 2026-12-21\n"})
    [f] = findings_of(check(path), "SIG003")
    assert f.severity.value == "error"
    assert f.path == "enrollment.signed_on"
    assert f.line == line_of(path, "signed_on: 2026-12-21")
    assert "21 days" in f.message and "rejected" in f.message


def test_sig003_within_20_days(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  submitted_on: 2026-11-30\n":
                                                        "  submitted_on: 2026-11-30\n  signed_on: 2026-12-20\n"})
    assert findings_of(check(path), "SIG003") == []


# --- SIG006 (CMS-588 signed by the application's signer) ---------------------------------------------------

CMS588 = "  - {type: cms_588_eft, file: docs/cms-588-signed.pdf, issued: 2026-11-12}"


def test_sig006_cms588_signed_by_someone_else(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {
        CMS588: "  - {type: cms_588_eft, file: docs/cms-588-signed.pdf, issued: 2026-11-12, signed_by: Karen Dahl}"})
    [f] = findings_of(check(path), "SIG006")
    assert f.severity.value == "error"
    assert f.path.startswith("documents[") and f.path.endswith("].signed_by")
    assert f.line == line_of(path, "signed_by: Karen Dahl")
    assert "Karen Dahl" in f.message and "Thomas Lindqvist" in f.message


def test_sig006_same_signer_passes(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {
        CMS588: "  - {type: cms_588_eft, file: docs/cms-588-signed.pdf, issued: 2026-11-12, "
                "signed_by: Thomas J. Lindqvist}"})
    assert findings_of(check(path), "SIG006") == []


def test_sig006_individual_without_signer_named(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  signer: Lucia Ferreira\n": ""})
    text = path.read_text("utf-8").replace("type: cms_588_eft, file: docs/cms-588-signed.pdf",
                                           "type: cms_588_eft, signed_by: Rosa Delgado, file: docs/cms-588-signed.pdf")
    path.write_text(text, "utf-8")
    [f] = findings_of(check(path), "SIG006")
    assert "not by the practitioner Lucia Ferreira" in f.message


# --- SIG001 -------------------------------------------------------------------------------------------

def test_sig001_revalidation_signed_by_delegated_official(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {"  signer: Thomas Lindqvist": "  signer: Karen Dahl"})
    [f] = findings_of(check(path), "SIG001")
    assert f.severity.value == "error"
    assert f.path == "enrollment.signer"
    assert f.line == line_of(path, "signer: Karen Dahl")
    assert "Karen Dahl" in f.message and "delegated" in f.message and "Thomas Lindqvist" in f.message


def test_sig001_signer_not_an_official(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {"signer: Evelyn Park": "signer: Hannah Weiss"})
    [f] = findings_of(check(path), "SIG001")
    assert f.line == line_of(path, "signer: Hannah Weiss")
    assert "Hannah Weiss" in f.message and "not among `officials`" in f.message


def test_sig001_not_for_changes(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {"  action: revalidation": "  action: change_of_information",
                                                     "  signer: Thomas Lindqvist": "  signer: Karen Dahl"})
    result = check(path)
    assert findings_of(result, "SIG001") == []
    assert findings_of(result, "SIG005") == []


# --- SIG005 -------------------------------------------------------------------------------------------

def test_sig005_change_signed_by_non_official(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {"  action: revalidation": "  action: change_of_information",
                                                     "  signer: Thomas Lindqvist": "  signer: Jordan Pike"})
    [f] = findings_of(check(path), "SIG005")
    assert f.severity.value == "error"
    assert f.path == "enrollment.signer"
    assert f.line == line_of(path, "signer: Jordan Pike")
    assert "Jordan Pike" in f.message and "Karen Dahl" in f.message


# --- SIG004 -------------------------------------------------------------------------------------------

def test_sig004_missing_signer_individual(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  signer: Lucia Ferreira\n": ""})
    [f] = findings_of(check(path), "SIG004")
    assert f.severity.value == "warning"
    assert f.path == "enrollment.signer"
    assert f.line == exact_line(path, "enrollment:")
    assert "Lucia Ferreira" in f.message


def test_sig004_missing_signer_organization_names_the_aos(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {"  signer: Evelyn Park\n": ""})
    [f] = findings_of(check(path), "SIG004")
    assert "authorized official (Evelyn Park)" in f.message


# --- OFF001 -------------------------------------------------------------------------------------------

def test_off001_no_authorized_official(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {"    role: authorized_official": "    role: delegated_official"})
    [f] = findings_of(check(path), "OFF001")
    assert f.severity.value == "error"
    assert f.path == "officials"
    assert f.line == line_of(path, "officials:")
    assert "2 official(s)" in f.message


# --- OWN007 -------------------------------------------------------------------------------------------

DO_NOT_OWNER = "not-ready/do-not-owner.yaml"
SHAW_OWNER = "roles: [managing_employee], effective_date: 2026-11-02, w2_managing_employee: false}"
SHAW_OFFICIAL = "email: dshaw@harboreastcardio.example.com, is_owner: false, w2_managing_employee: false}"


def test_own007_contracted_delegated_official(tmp_path: Path) -> None:
    path = make_profile(tmp_path, DO_NOT_OWNER)
    [f] = findings_of(check(path), "OWN007")
    assert f.severity.value == "error"
    assert f.path == "officials[1]"
    assert f.line == line_of(path, "{name: Derek Shaw, role: delegated_official")
    assert "Derek Shaw" in f.message and "contracted" in f.message


def test_own007_unknown_w2_status_is_a_warning(tmp_path: Path) -> None:
    path = make_profile(tmp_path, DO_NOT_OWNER, {
        SHAW_OWNER: "roles: [managing_employee], effective_date: 2026-11-02}",
        SHAW_OFFICIAL: "email: dshaw@harboreastcardio.example.com, is_owner: false}"})
    [f] = findings_of(check(path), "OWN007")
    assert f.severity.value == "warning"
    assert f.path == "officials[1].w2_managing_employee"
    assert f.line == line_of(path, "{name: Derek Shaw, role: delegated_official")
    assert "W-2" in f.message


def test_own007_not_in_ownership_at_all(tmp_path: Path) -> None:
    path = make_profile(tmp_path, DO_NOT_OWNER, {"{name: Derek Shaw, role": "{name: Lee Jordan, role"})
    [f] = findings_of(check(path), "OWN007")
    assert "Lee Jordan" in f.message and "neither an owner" in f.message


@pytest.mark.parametrize("fix", [
    {SHAW_OFFICIAL: "email: dshaw@harboreastcardio.example.com, is_owner: false, w2_managing_employee: true}"},
    {SHAW_OWNER: "roles: [managing_employee], effective_date: 2026-11-02, w2_managing_employee: true}"},
    {"roles: [managing_employee], effective_date: 2026-11-02": "roles: [managing_control], effective_date: 2026-11-02"},
])
def test_own007_passes_with_w2_or_control(tmp_path: Path, fix: dict[str, str]) -> None:
    assert findings_of(check(make_profile(tmp_path, DO_NOT_OWNER, fix)), "OWN007") == []
