"""CHG rules (builtin/changes.py): reporting windows for changes, and change_deadline."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from helpers import check, findings_of, line_of, make_profile
from pecoscheck.loader import load
from pecoscheck.model import Change
from pecoscheck.rules.builtin.changes import change_deadline, change_window
from pecoscheck.validate import to_profile

EXAMPLES = ("solo-practitioner", "reassigning-np", "group-practice", "dmepos-supplier", "clinical-lab")
IDS = ("CHG001", "CHG002", "CHG003", "CHG004", "CHG005", "CHG006", "CHG007")
LATE = "not-ready/ownership-change-late.yaml"
GROUP_CHANGE = "    effective_date: 2026-10-01\n    reported_on: 2026-10-15\n"
IDTF = {"  organization_type: laboratory": "  organization_type: independent_diagnostic_testing_facility"}


def with_change(kind: str, effective: str, reported: str | None = None, description: str = "x") -> str:
    extra = f", reported_on: {reported}" if reported else ""
    return f"\nchanges:\n  - {{kind: {kind}, effective_date: {effective}{extra}, description: {description}}}\n"


@pytest.mark.parametrize("name", EXAMPLES)
def test_ready_examples_have_no_change_findings(tmp_path: Path, name: str) -> None:
    result = check(make_profile(tmp_path, name))
    assert [f for f in result.findings if f.rule in IDS] == []


# --- change_window / change_deadline ------------------------------------------------------------------

@pytest.mark.parametrize(("example", "replace", "kind", "days", "rule"), [
    ("group-practice", {}, "ownership", 30, "CHG001"),
    ("group-practice", {}, "practice_location", 30, "CHG001"),
    ("group-practice", {}, "managing_control", 90, "CHG002"),
    ("solo-practitioner", {}, "adverse_action", 30, "CHG001"),
    ("solo-practitioner", {}, "name", 90, "CHG002"),
    ("dmepos-supplier", {}, "bank_account", 30, "CHG003"),
    ("clinical-lab", {}, "authorized_official", 30, "CHG004"),
    ("clinical-lab", {}, "practice_location", 90, "CHG002"),
    ("clinical-lab", IDTF, "practice_location", 30, "CHG005"),
    ("clinical-lab", IDTF, "managing_control", 30, "CHG004"),
])
def test_change_window(tmp_path: Path, example: str, replace: dict[str, str], kind: str, days: int,
                       rule: str) -> None:
    path = make_profile(tmp_path, example, replace)
    loaded = load(path)
    profile, _ = to_profile(loaded.data, loaded.source)
    assert profile is not None
    change = Change(kind=kind, effective_date=date(2026, 9, 1))  # type: ignore[arg-type]
    window = change_window(profile, change)
    assert (window.days, window.rule) == (days, rule)
    expected = 30 if kind == "practice_location" else days
    assert change_deadline(profile, change) == date(2026, 9, 1) + timedelta(days=expected)


def test_license_suspension_is_30_days_for_institutions(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab")
    loaded = load(path)
    profile, _ = to_profile(loaded.data, loaded.source)
    assert profile is not None
    suspended = Change(kind="license", effective_date=date(2026, 9, 1), description="MA lab license suspended")
    renewed = Change(kind="license", effective_date=date(2026, 9, 1), description="MA lab license renewed")
    assert change_window(profile, suspended).rule == "CHG004"
    assert change_window(profile, renewed).days == 90


# --- CHG001 -------------------------------------------------------------------------------------------

def test_chg001_ownership_change_unreported(tmp_path: Path) -> None:
    path = make_profile(tmp_path, LATE)
    [f] = findings_of(check(path), "CHG001")
    assert f.severity.value == "error"
    assert f.path == "changes[0].reported_on"
    assert f.line == line_of(path, "- kind: ownership")
    assert "2026-09-15" in f.message and "2026-10-15" in f.message and "42 days" in f.message


def test_chg001_reported_late_is_a_warning(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {GROUP_CHANGE: (
        "    effective_date: 2026-10-01\n    reported_on: 2026-11-05\n")})
    [f] = findings_of(check(path), "CHG001")
    assert f.severity.value == "warning"
    assert f.path == "changes[0].reported_on"
    assert f.line == line_of(path, "reported_on: 2026-11-05")
    assert "late" in f.message and "2026-10-31" in f.message


def test_chg001_window_open_but_submission_later(tmp_path: Path) -> None:
    path = make_profile(tmp_path, LATE, {"    effective_date: 2026-09-15\n": "    effective_date: 2026-11-15\n",
                                         "  submitted_on: 2026-11-30": "  submitted_on: 2026-12-20"})
    [f] = findings_of(check(path), "CHG001")
    assert f.severity.value == "warning"
    assert "2026-12-15" in f.message and "2026-12-20" in f.message


def test_chg001_window_still_open(tmp_path: Path) -> None:
    path = make_profile(tmp_path, LATE, {"    effective_date: 2026-09-15\n": "    effective_date: 2026-11-15\n"})
    assert findings_of(check(path), "CHG001") == []


# --- CHG002 -------------------------------------------------------------------------------------------

def test_chg002_other_change_after_90_days(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", append=with_change("name", "2026-08-01"))
    [f] = findings_of(check(path), "CHG002")
    assert f.severity.value == "error"
    assert f.path == "changes[0].reported_on"
    assert f.line == line_of(path, "{kind: name")
    assert "name change of 2026-08-01" in f.message and "2026-10-30" in f.message


def test_chg002_within_90_days(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", append=with_change("name", "2026-09-01"))
    assert findings_of(check(path), "CHG002") == []


# --- CHG003 -------------------------------------------------------------------------------------------

def test_chg003_dmepos_any_change_after_30_days(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", append=with_change("bank_account", "2026-10-01"))
    [f] = findings_of(check(path), "CHG003")
    assert f.severity.value == "error"
    assert f.line == line_of(path, "{kind: bank_account")
    assert "bank account change of 2026-10-01" in f.message and "2026-10-31" in f.message


def test_chg003_reported_in_time(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", append=with_change("bank_account", "2026-10-01", "2026-10-20"))
    assert findings_of(check(path), "CHG003") == []


# --- CHG004 -------------------------------------------------------------------------------------------

def test_chg004_institutional_ao_change(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", append=with_change("authorized_official", "2026-10-01"))
    [f] = findings_of(check(path), "CHG004")
    assert f.severity.value == "error"
    assert f.path == "changes[0].reported_on"
    assert f.line == line_of(path, "{kind: authorized_official")
    assert "authorized official change of 2026-10-01" in f.message


def test_chg004_license_suspension(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab",
                        append=with_change("license", "2026-10-01", description="MA license suspended"))
    [f] = findings_of(check(path), "CHG004")
    assert "suspension" in f.message
    assert f.severity.value == "warning"  # the license half of 424.516(e) is not verified yet


# --- CHG005 -------------------------------------------------------------------------------------------

def test_chg005_idtf_location_change(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", IDTF, append=with_change("practice_location", "2026-10-01"))
    result = check(path)
    [f] = findings_of(result, "CHG005")
    assert f.severity.value == "error"  # 42 CFR 410.33(g)(2), like CHG001
    assert f.line == line_of(path, "{kind: practice_location")
    assert "IDTF" in f.message
    assert findings_of(result, "CHG006") == []


# --- CHG006 -------------------------------------------------------------------------------------------

def test_chg006_institutional_location_after_30_days(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", append=with_change("practice_location", "2026-10-01"))
    result = check(path)
    [f] = findings_of(result, "CHG006")
    assert f.severity.value == "warning"
    assert f.path == "changes[0].reported_on"
    assert f.line == line_of(path, "{kind: practice_location")
    assert "2026-10-31" in f.message
    assert findings_of(result, "CHG002") == []


def test_chg006_gives_way_to_chg002_after_90_days(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", append=with_change("practice_location", "2026-07-01"))
    result = check(path)
    assert findings_of(result, "CHG006") == []
    [f] = findings_of(result, "CHG002")
    assert f.severity.value == "error"


def test_change_deadline_accepts_a_context(tmp_path: Path) -> None:
    from pecoscheck.rules.base import Context

    path = make_profile(tmp_path, LATE)
    loaded = load(path)
    profile, _ = to_profile(loaded.data, loaded.source)
    assert profile is not None
    ctx = Context(profile=profile, source=loaded.source, path=path, as_of=date(2026, 11, 26))
    assert change_deadline(ctx, profile.changes[0]) == date(2026, 10, 15)


def test_chg005_source_is_410_33_g_2() -> None:
    from pecoscheck.rules.registry import default_registry

    rule = default_registry().rules["CHG005"]
    assert rule.severity.value == "error"
    assert "42 CFR 410.33(g)(2)" in rule.source and "Chapman" not in rule.source


def test_chg005_reported_late_is_a_warning(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", IDTF,
                        append=with_change("ownership", "2026-09-01", "2026-10-20"))
    [f] = findings_of(check(path), "CHG005")
    assert f.severity.value == "warning" and "reported late" in f.message


# --- CHG007 -------------------------------------------------------------------------------------------

def test_chg007_chow_filed_more_than_90_days_before_the_sale(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", append=with_change("ownership", "2027-03-15"))
    [f] = findings_of(check(path), "CHG007")
    assert f.severity.value == "error"
    assert f.path == "changes[0].effective_date"
    assert f.line == line_of(path, "{kind: ownership")
    assert "105 days" in f.message and "424.526(a)(3)" in f.message


def test_chg007_within_90_days(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "clinical-lab", append=with_change("ownership", "2027-02-28"))
    assert findings_of(check(path), "CHG007") == []


def test_chg007_not_for_the_855i(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", append=with_change("ownership", "2027-06-01"))
    assert findings_of(check(path), "CHG007") == []
