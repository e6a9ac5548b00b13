"""MDP rules (builtin/mdpp.py): MDPP suppliers on the CMS-20134 (42 CFR 424.205)."""

from __future__ import annotations

from pathlib import Path

from helpers import check, findings_of, line_of, make_profile

RECOGNITION = ("  - {type: cdc_recognition, file: docs/cdc-dprp-full-recognition.pdf, issued: 2026-06-15, "
               "expires: 2029-06-14}\n")


def test_mdpp_example_with_recognition_passes(tmp_path: Path) -> None:
    assert findings_of(check(make_profile(tmp_path, "mdpp-supplier")), "MDP001") == []


def test_mdp001_no_cdc_recognition(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "mdpp-supplier", {RECOGNITION: ""})
    result = check(path)
    [f] = findings_of(result, "MDP001")
    assert f.severity.value == "error" and not result.ready
    assert f.path == "documents" and f.line == line_of(path, "documents:")
    assert "424.205(b)" in f.message


def test_mdp001_revalidation_also_needs_recognition(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "mdpp-supplier", {RECOGNITION: "", "  action: initial": "  action: revalidation"})
    assert findings_of(check(path), "MDP001")


def test_mdp001_not_for_other_forms(tmp_path: Path) -> None:
    """Other organizations never need CDC recognition."""
    assert findings_of(check(make_profile(tmp_path, "clinical-lab")), "MDP001") == []
