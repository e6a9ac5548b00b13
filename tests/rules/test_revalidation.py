"""REV rules (builtin/revalidation.py) and their date arithmetic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from helpers import check, findings_of, line_of, make_profile
from pecoscheck.rules.base import Settings
from pecoscheck.rules.builtin.revalidation import add_months, end_of_month, revalidation_window_opens

EXAMPLES = ("solo-practitioner", "reassigning-np", "group-practice", "dmepos-supplier", "clinical-lab")
IDS = ("REV001", "REV002", "REV003", "REV004", "REV005")
GROUP_DUE = "    revalidation_due: 2027-03-31"
GROUP_LAST = "    last_revalidated: 2022-03-22"


@pytest.mark.parametrize("name", EXAMPLES)
def test_ready_examples_have_no_revalidation_findings(tmp_path: Path, name: str) -> None:
    result = check(make_profile(tmp_path, name))
    assert [f for f in result.findings if f.rule in IDS] == []


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2028, 2, 29), 12, date(2029, 2, 28)),
    (date(2028, 2, 29), 1, date(2028, 3, 29)),
    (date(2028, 2, 29), -7, date(2027, 7, 29)),
    (date(2028, 2, 29), -12, date(2027, 2, 28)),
    (date(2028, 2, 29), 48, date(2032, 2, 29)),
    (date(2027, 7, 31), 7, date(2028, 2, 29)),
    (date(2027, 8, 31), 6, date(2028, 2, 29)),
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2026, 12, 15), 1, date(2027, 1, 15)),
    (date(2027, 1, 15), -1, date(2026, 12, 15)),
    (date(2026, 5, 31), 0, date(2026, 5, 31)),
])
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_window_and_month_end() -> None:
    assert revalidation_window_opens(date(2027, 3, 31)) == date(2026, 8, 31)
    assert revalidation_window_opens(date(2027, 9, 30)) == date(2027, 2, 28)
    assert revalidation_window_opens(date(2028, 9, 30)) == date(2028, 2, 29)
    assert end_of_month(date(2028, 2, 3)) == date(2028, 2, 29)


# --- REV001 -------------------------------------------------------------------------------------------

def test_rev001_due_date_passed(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "not-ready/revalidation-overdue.yaml")
    [f] = findings_of(check(path), "REV001")
    assert f.severity.value == "error"
    assert f.path == "provider.medicare.revalidation_due"
    assert f.line == line_of(path, "revalidation_due: 2026-09-30")
    assert "2026-09-30" in f.message and "57 days" in f.message


def test_rev001_due_before_planned_submission(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {"  submitted_on: 2026-11-30": "  submitted_on: 2027-04-05"})
    [f] = findings_of(check(path), "REV001")
    assert f.line == line_of(path, "revalidation_due: 2027-03-31")
    assert "2027-04-05" in f.message


def test_rev001_not_for_deactivated_enrollment(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "not-ready/revalidation-overdue.yaml", {"    status: approved":
                                                                          "    status: deactivated"})
    assert findings_of(check(path), "REV001") == []


# --- REV002 -------------------------------------------------------------------------------------------

def test_rev002_more_than_7_months_early(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "not-ready/revalidation-too-early.yaml")
    [f] = findings_of(check(path), "REV002")
    assert f.severity.value == "error"
    assert f.path == "provider.medicare.revalidation_due"
    assert f.line == line_of(path, "revalidation_due: 2027-09-30")
    assert "2027-09-30" in f.message and "2027-02-28" in f.message


def test_rev002_on_the_day_the_window_opens(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "not-ready/revalidation-too-early.yaml",
                        {"  submitted_on: 2026-11-30": "  submitted_on: 2027-02-28"})
    assert findings_of(check(path), "REV002") == []
    path = make_profile(tmp_path / "b", "not-ready/revalidation-too-early.yaml",
                        {"  submitted_on: 2026-11-30": "  submitted_on: 2027-02-27"})
    assert len(findings_of(check(path), "REV002")) == 1


def test_rev002_tbd(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {GROUP_DUE: "    revalidation_due: TBD"})
    [f] = findings_of(check(path), "REV002")
    assert f.severity.value == "error"
    assert f.line == line_of(path, "revalidation_due: TBD")
    assert "TBD" in f.message


def test_rev002_no_due_date_recorded_is_a_warning(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {GROUP_DUE + "\n": ""})
    [f] = findings_of(check(path), "REV002")
    assert f.severity.value == "warning"
    assert f.path == "provider.medicare"


# --- REV003 -------------------------------------------------------------------------------------------

def test_rev003_due_soon_without_revalidation(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {"  action: revalidation": "  action: change_of_information"})
    [f] = findings_of(check(path), "REV003")
    assert f.severity.value == "warning"
    assert f.path == "provider.medicare.revalidation_due"
    assert f.line == line_of(path, "revalidation_due: 2027-03-31")
    assert "2027-03-31" in f.message and "125 days" in f.message and "2026-08-31" in f.message


def test_rev003_threshold_from_settings(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {"  action: revalidation": "  action: change_of_information"})
    assert findings_of(check(path, settings=Settings(revalidation_warning_days=90)), "REV003") == []


def test_rev003_far_away(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "not-ready/ownership-change-late.yaml")
    assert findings_of(check(path), "REV003") == []


# --- REV004 -------------------------------------------------------------------------------------------

def test_rev004_due_date_off_cycle(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {GROUP_LAST: "    last_revalidated: 2023-03-22"})
    [f] = findings_of(check(path), "REV004")
    assert f.severity.value == "warning"
    assert f.path == "provider.medicare.revalidation_due"
    assert f.line == line_of(path, "revalidation_due: 2027-03-31")
    assert "2023-03-22" in f.message and "2028-03-31" in f.message


def test_rev004_dmepos_three_years(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {"    status: not_enrolled": (
        "    status: approved\n    last_revalidated: 2024-02-29\n    revalidation_due: 2029-02-28")})
    [f] = findings_of(check(path), "REV004")
    assert "3 years" in f.message and "2027-02-28" in f.message
    path = make_profile(tmp_path / "b", "dmepos-supplier", {"    status: not_enrolled": (
        "    status: approved\n    last_revalidated: 2024-02-29\n    revalidation_due: 2027-02-28")})
    assert findings_of(check(path), "REV004") == []


# --- REV005 -------------------------------------------------------------------------------------------

def test_rev005_855o_revalidation(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  action: initial\n  application: CMS-855I":
                                                        "  action: revalidation\n  application: CMS-855O"})
    [f] = findings_of(check(path), "REV005")
    assert f.severity.value == "info"
    assert f.path == "enrollment.action"
    assert f.line == line_of(path, "action: revalidation")
    assert "CMS-855O" in f.message


def test_rev005_not_for_855i(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  action: initial": "  action: revalidation"})
    assert findings_of(check(path), "REV005") == []


def test_days_in_month_agrees_with_calendar() -> None:
    import calendar

    from pecoscheck.rules.builtin.revalidation import _days_in

    assert all(_days_in(y, m) == calendar.monthrange(y, m)[1] for y in range(1896, 2105) for m in range(1, 13))
