"""SUR rules (builtin/surrogates.py): the I&A account and surrogate connections."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check, findings_of, line_of, make_profile

EXAMPLES = ("solo-practitioner", "reassigning-np", "group-practice", "dmepos-supplier", "clinical-lab")
IDS = ("SUR001", "SUR003", "SUR004", "SUR005", "SUR006", "SUR007", "SUR008", "SUR009", "SUR010", "SUR011")
PIKE_EXPIRES = "    expires: 2027-06-30"


@pytest.mark.parametrize("name", EXAMPLES)
def test_ready_examples_have_no_surrogate_findings(tmp_path: Path, name: str) -> None:
    result = check(make_profile(tmp_path, name))
    assert [f for f in result.findings if f.rule in IDS] == []


# --- SUR001 -------------------------------------------------------------------------------------------

def test_sur001_pending_connection(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "not-ready/surrogate-pending.yaml")
    [f] = findings_of(check(path), "SUR001")
    assert f.severity.value == "error"
    assert f.path == "surrogates[0].status"
    assert f.line == line_of(path, "status: pending")
    assert "Alicia Moreno" in f.message and "pending" in f.message


def test_sur001_revoked_connection(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {"    status: approved\n    expires":
                                                     "    status: revoked\n    expires"})
    [f] = findings_of(check(path), "SUR001")
    assert f.line == line_of(path, "status: revoked")
    assert "revoked" in f.message


def test_sur001_connection_without_pecos(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "not-ready/surrogate-not-covering-pecos.yaml")
    [f] = findings_of(check(path), "SUR001")
    assert f.path == "surrogates[0].systems"
    assert f.line == line_of(path, "systems: [NPPES]")
    assert "Tara Nguyen" in f.message and "NPPES" in f.message


# --- SUR007 / SUR011 expiry ---------------------------------------------------------------------------

def test_sur007_connection_expired_before_submission(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {PIKE_EXPIRES: "    expires: 2026-11-28"})
    result = check(path)
    [f] = findings_of(result, "SUR007")
    assert f.severity.value == "warning"  # connection expiry is known only from third-party guides
    assert f.path == "surrogates[0].expires"
    assert f.line == line_of(path, "expires: 2026-11-28")
    assert "2026-11-28" in f.message and "2026-11-30" in f.message
    assert findings_of(result, "SUR011") == []


def test_sur011_connection_expires_soon(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {PIKE_EXPIRES: "    expires: 2026-12-20"})
    result = check(path)
    [f] = findings_of(result, "SUR011")
    assert f.severity.value == "warning"
    assert f.path == "surrogates[0].expires"
    assert f.line == line_of(path, "expires: 2026-12-20")
    assert "2026-12-20" in f.message and "20 days" in f.message
    assert findings_of(result, "SUR007") == []


def test_sur011_threshold_from_settings(tmp_path: Path) -> None:
    from pecoscheck.rules.base import Settings

    path = make_profile(tmp_path, "group-practice", {PIKE_EXPIRES: "    expires: 2026-12-20"})
    assert findings_of(check(path, settings=Settings(surrogate_expiry_warning_days=10)), "SUR011") == []


# --- SUR003 approver ----------------------------------------------------------------------------------

def test_sur003_individual_connection_approved_by_someone_else(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "reassigning-np", {"    approved_by: Priya Raman": "    approved_by: Karen Dahl"})
    [f] = findings_of(check(path), "SUR003")
    assert f.severity.value == "error"
    assert f.path == "surrogates[0].approved_by"
    assert f.line == line_of(path, "approved_by: Karen Dahl")
    assert "Karen Dahl" in f.message and "Priya Raman" in f.message


def test_sur003_organization_connection_approved_by_delegated_official(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {"    approved_by: Thomas Lindqvist":
                                                     "    approved_by: Karen Dahl"})
    [f] = findings_of(check(path), "SUR003")
    assert "Karen Dahl" in f.message and "access manager" in f.message


def test_sur003_missing_approver_is_a_warning(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {"    approved_by: Thomas Lindqvist\n": ""})
    [f] = findings_of(check(path), "SUR003")
    assert f.severity.value == "warning"
    assert f.line == line_of(path, "- name: Jordan Pike")


def test_sur003_any_authorized_official_may_approve(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {
        "  holder: Thomas Lindqvist": "  holder: Karen Dahl",
        "  role: authorized_official\n  organization_registered": "  role: access_manager\n  organization_registered"})
    assert findings_of(check(path), "SUR003") == []


# --- SUR004 surrogate signs ---------------------------------------------------------------------------

def test_sur004_surrogate_named_as_signer(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "not-ready/surrogate-as-signer.yaml")
    [f] = findings_of(check(path), "SUR004")
    assert f.severity.value == "error"
    assert f.path == "enrollment.signer"
    assert f.line == line_of(path, "signer: Brooke Tanner")
    assert "Brooke Tanner" in f.message and "Canyon Credentialing" in f.message


def test_sur004_individual(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "reassigning-np", {"  signer: Priya Raman": "  signer: Karen Dahl"})
    [f] = findings_of(check(path), "SUR004")
    assert f.line == line_of(path, "signer: Karen Dahl")


# --- SUR005 shared login ------------------------------------------------------------------------------

def test_sur005_surrogate_uses_provider_email(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "reassigning-np", {"    email: kdahl@northstar-fm.example.com":
                                                     "    email: PRaman@northstar-fm.example.com"})
    [f] = findings_of(check(path), "SUR005")
    assert f.severity.value == "warning"
    assert f.path == "surrogates[0].email"
    assert f.line == line_of(path, "email: PRaman@")
    assert "Karen Dahl" in f.message and "PRaman@northstar-fm.example.com" in f.message


# --- SUR006 I&A AO vs enrollment AO -------------------------------------------------------------------

def test_sur006_ia_ao_not_among_officials(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {"  holder: Evelyn Park": "  holder: Hannah Weiss",
                                                   "  email: epark@baystatedx.example.com\n  role":
                                                   "  email: hweiss@baystatedx.example.com\n  role"})
    [f] = findings_of(check(path), "SUR006")
    assert f.severity.value == "info"
    assert f.path == "identity_access.holder"
    assert f.line == line_of(path, "holder: Hannah Weiss")
    assert "Hannah Weiss" in f.message


def test_sur006_ia_ao_is_a_delegated_official(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {"  holder: Evelyn Park": "  holder: Michael Osei"})
    [f] = findings_of(check(path), "SUR006")
    assert "Michael Osei" in f.message and "delegated" in f.message


# --- SUR008 individual's account ----------------------------------------------------------------------

def test_sur008_account_held_by_someone_else(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  holder: Lucia Ferreira": "  holder: Rosa Delgado"})
    [f] = findings_of(check(path), "SUR008")
    assert f.severity.value == "error"
    assert f.path == "identity_access.holder"
    assert f.line == line_of(path, "holder: Rosa Delgado")
    assert "Rosa Delgado" in f.message and "Lucia Ferreira" in f.message


def test_sur008_wrong_role(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  role: individual_provider": "  role: access_manager"})
    [f] = findings_of(check(path), "SUR008")
    assert f.path == "identity_access.role"
    assert f.line == line_of(path, "role: access_manager")


# --- SUR009 organization's account --------------------------------------------------------------------

def test_sur009_organization_not_registered(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "not-ready/organization-not-registered-in-ia.yaml")
    [f] = findings_of(check(path), "SUR009")
    assert f.severity.value == "error"
    assert f.path == "identity_access.organization_registered"
    assert f.line == line_of(path, "organization_registered: false")


def test_sur009_registration_unknown_is_a_warning(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {"  organization_registered: true\n": ""})
    [f] = findings_of(check(path), "SUR009")
    assert f.severity.value == "warning"
    assert f.path == "identity_access"


def test_sur009_individual_provider_role(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {"  role: authorized_official\n  organization_registered":
                                                      "  role: individual_provider\n  organization_registered"})
    [f] = findings_of(check(path), "SUR009")
    assert f.path == "identity_access.role"
    assert f.line == line_of(path, "role: individual_provider")
    assert "individual_provider" in f.message


# --- SUR010 account reaches PECOS ---------------------------------------------------------------------

def test_sur010_account_without_pecos(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  systems: [PECOS, NPPES]": "  systems: [NPPES]"})
    [f] = findings_of(check(path), "SUR010")
    assert f.severity.value == "error"
    assert f.path == "identity_access.systems"
    assert f.line == line_of(path, "systems: [NPPES]")
    assert "Lucia Ferreira" in f.message and "NPPES" in f.message
