"""EFF rules (builtin/effective.py): effective dates (424.520(d), 424.521(a)) and filing too early (424.526(a))."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check, findings_of, line_of, make_profile

EXAMPLES = ("solo-practitioner", "reassigning-np", "group-practice", "dmepos-supplier", "clinical-lab")
IDS = ("EFF001", "EFF002", "EFF003")
SOLO_DATE = "  effective_date: 2026-11-16\n"  # submitted 2026-11-30; services began 2026-11-16


def solo(tmp_path: Path, effective: str, extra: str = "", began: str | None = None) -> Path:
    replace = {SOLO_DATE: f"  effective_date: {effective}\n{extra}"}
    if began:
        replace["    services_began: 2026-11-16"] = f"    services_began: {began}"
    return make_profile(tmp_path, "solo-practitioner", replace)


@pytest.mark.parametrize("name", EXAMPLES)
def test_ready_examples_have_no_effective_date_findings(tmp_path: Path, name: str) -> None:
    result = check(make_profile(tmp_path, name))
    assert [f for f in result.findings if f.rule in IDS] == []


# --- EFF001 -------------------------------------------------------------------------------------------

def test_eff001_retro_billing_more_than_30_days(tmp_path: Path) -> None:
    path = solo(tmp_path, "2026-10-15", began="2026-10-15")
    [f] = findings_of(check(path), "EFF001")
    assert f.severity.value == "error"
    assert f.path == "enrollment.effective_date"
    assert f.line == line_of(path, "effective_date: 2026-10-15")
    assert "46 days" in f.message and "at most 30 days" in f.message and "2026-10-31" in f.message


def test_eff001_exactly_30_days_back_passes(tmp_path: Path) -> None:
    assert findings_of(check(solo(tmp_path, "2026-10-31", began="2026-10-31")), "EFF001") == []


def test_eff001_presidential_disaster_allows_90_days(tmp_path: Path) -> None:
    path = solo(tmp_path / "a", "2026-09-15", "  presidential_disaster: true\n", began="2026-09-15")
    assert findings_of(check(path), "EFF001") == []
    path = solo(tmp_path / "b", "2026-08-15", "  presidential_disaster: true\n", began="2026-08-15")
    [f] = findings_of(check(path), "EFF001")
    assert "at most 90 days" in f.message and "disaster" in f.message


def test_eff001_filing_date_is_the_signature_date_when_later(tmp_path: Path) -> None:
    """A PECOS application is received once it is signed: signing late moves the earliest date too."""
    path = solo(tmp_path, "2026-11-01", "  signed_on: 2026-12-10\n", began="2026-11-01")
    [f] = findings_of(check(path), "EFF001")
    assert "2026-12-10" in f.message and "signed" in f.message


def test_eff001_laboratory_before_filing_is_a_warning(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {"  submitted_on: 2026-11-30\n":
                                                   "  submitted_on: 2026-11-30\n  effective_date: 2026-11-09\n"})
    [f] = findings_of(check(path), "EFF001")
    assert f.severity.value == "warning" and "424.520(d)" in f.message


def test_eff001_not_for_dmepos_suppliers(tmp_path: Path) -> None:
    """DMEPOS suppliers' effective date is set by 424.57(b), not 424.520(d)."""
    path = make_profile(tmp_path, "dmepos-supplier", {"  submitted_on: 2026-11-30\n":
                                                      "  submitted_on: 2026-11-30\n  effective_date: 2026-06-01\n"})
    assert findings_of(check(path), "EFF001") == []


# --- EFF002 -------------------------------------------------------------------------------------------

def test_eff002_effective_date_before_services_began(tmp_path: Path) -> None:
    path = solo(tmp_path, "2026-11-10")
    [f] = findings_of(check(path), "EFF002")
    assert f.severity.value == "warning"
    assert "2026-11-16" in f.message and "practice_locations[0]" in f.message
    assert findings_of(check(path), "EFF001") == []


# --- EFF003 -------------------------------------------------------------------------------------------

def test_eff003_filed_more_than_60_days_early(tmp_path: Path) -> None:
    path = solo(tmp_path, "2027-02-01", began="2027-02-01")
    [f] = findings_of(check(path), "EFF003")
    assert f.severity.value == "error"
    assert f.line == line_of(path, "effective_date: 2027-02-01")
    assert "63 days" in f.message and "424.526(a)(2)" in f.message and "2026-12-03" in f.message


def test_eff003_within_60_days(tmp_path: Path) -> None:
    assert findings_of(check(solo(tmp_path, "2027-01-29", began="2027-01-29")), "EFF003") == []


def _hospital(tmp_path: Path, effective: str, action: str = "initial") -> Path:
    return make_profile(tmp_path, "clinical-lab", {
        "  organization_type: laboratory": "  organization_type: hospital",
        "  application: CMS-855B": "  application: CMS-855A",
        "  action: initial": f"  action: {action}",
        "  submitted_on: 2026-11-30\n": f"  submitted_on: 2026-11-30\n  effective_date: {effective}\n"})


def test_eff003_855a_initial_gets_180_days(tmp_path: Path) -> None:
    assert findings_of(check(_hospital(tmp_path / "a", "2027-05-01")), "EFF003") == []
    [f] = findings_of(check(_hospital(tmp_path / "b", "2027-06-15")), "EFF003")
    assert "424.526(a)(4)" in f.message and "197 days" in f.message


def test_eff003_855a_change_has_no_limit(tmp_path: Path) -> None:
    assert findings_of(check(_hospital(tmp_path, "2027-09-01", "change_of_information")), "EFF003") == []
