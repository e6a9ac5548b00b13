"""PII rules: no SSN in a profile; every TIN a valid EIN."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import AS_OF, EXAMPLES, check, findings_of, line_of, make_profile
from pecoscheck.rules.builtin.pii import ein_problem, mask_tin, ssn_numbers

READY = ("solo-practitioner", "reassigning-np", "group-practice", "dmepos-supplier", "clinical-lab")


@pytest.mark.parametrize(("text", "found"), [
    ("SSN 123-45-6789", ["123456789"]), ("ssn: 123456789", ["123456789"]), ("SS# 123456789", ["123456789"]),
    ("Social Security No. 123456789", ["123456789"]), ("123 45 6789", ["123456789"]),
    ("phone 707-555-0148", []), ("2026-11-30", []), ("routing 121000358", []), ("EIN 41-2873906", []),
    ("1-123-45-6789", []), ("123-45-67890", []), ("passn 123456789", []),
])
def test_ssn_numbers(text: str, found: list[str]) -> None:
    assert list(ssn_numbers(text)) == found


def test_masks() -> None:
    assert mask_tin("41-2873906") == "41-***3906"
    assert mask_tin("412873906") == "41-***3906"
    assert "2873" not in mask_tin("4128-73906")
    assert ein_problem("41-2873906") is None
    assert ein_problem("412873906") == "is not written NN-NNNNNNN"
    assert "prefix 07" in (ein_problem("07-1234567") or "")


def test_ready_examples_pass(tmp_path) -> None:
    for name in READY:
        result = check(make_profile(tmp_path / name, name))
        assert [f for f in result.findings if f.rule.startswith("PII")] == []


def test_pii001_not_ready_example() -> None:
    path = EXAMPLES / "not-ready" / "ssn-in-profile.yaml"
    [f] = findings_of(check(path), "PII001")
    assert f.severity.value == "error"
    assert f.path == "changes[0].description"
    assert f.line == line_of(path, "SSN 123-45-6789")
    assert "***-**-6789" in f.message
    assert "123-45" not in f.message and "123456789" not in f.message


def test_pii001_labelled_nine_digits_in_a_value(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {
        "description: Highland Park clinic moved": "description: Karen Dahl ssn 987654321; Highland Park clinic moved"})
    [f] = findings_of(check(path), "PII001")
    assert f.path == "changes[0].description"
    assert f.line == line_of(path, "ssn 987654321")
    assert "***-**-4321" in f.message and "987654321" not in f.message


def test_pii001_in_a_trailing_comment(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  practitioner_type: physician":
                                                        "  practitioner_type: physician  # SSN 321-54-9876"})
    [f] = findings_of(check(path), "PII001")
    assert f.path == "provider.practitioner_type"
    assert f.line == line_of(path, "# SSN 321-54-9876")
    assert f"line {f.line}" in f.message and "***-**-9876" in f.message and "321-54" not in f.message


def test_pii001_in_a_full_line_comment(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {
        "  # The SSN itself is never stored here (profiles live in git).": "  # Her SSN is 321-54-9876."})
    [f] = findings_of(check(path), "PII001")
    comment_line = line_of(path, "# Her SSN is")
    assert f"line {comment_line}" in f.message
    assert f.path == "provider.prescribes_controlled_substances"
    assert f.line == comment_line + 1


def test_pii001_number_absent_from_json_findings() -> None:
    from pecoscheck.findings import Report
    from pecoscheck.reporters.json import as_dict

    result = check(EXAMPLES / "not-ready" / "ssn-in-profile.yaml")
    text = json.dumps(as_dict(Report(as_of=AS_OF, profiles=[result]))["profiles"][0]["findings"])
    assert "PII001" in text and "123-45-6789" not in text and "6789" in text


def test_pii002_organization_owner_bad_prefix(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {"tin: 41-3958127": "tin: 07-3958127"})
    [f] = findings_of(check(path), "PII002")
    assert f.severity.value == "error"
    assert f.path == "ownership[2].tin"
    assert f.line == line_of(path, "tin: 07-3958127")
    assert "07-***8127" in f.message and "3958127" not in f.message


def test_pii002_provider_tin_without_hyphen(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {"tin: 41-2873906": 'tin: "412873906"'})
    [f] = findings_of(check(path), "PII002")
    assert f.path == "provider.tin"
    assert f.line == line_of(path, 'tin: "412873906"')
    assert "41-***3906" in f.message and "NN-NNNNNNN" in f.message


def test_pii002_reassignment_group_tin(tmp_path) -> None:
    path = make_profile(tmp_path, "reassigning-np", {"group_tin: 41-2873906": "group_tin: 41-287390"})
    [f] = findings_of(check(path), "PII002")
    assert f.path == "reassignments[0].group_tin"
    assert f.line == line_of(path, "group_tin: 41-287390")


def test_pii002_ssn_shaped_tin_is_left_to_pii001(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {"tin: 41-2873906": "tin: 123-45-6789"})
    result = check(path)
    assert findings_of(result, "PII002") == []
    [f] = findings_of(result, "PII001")
    assert f.path == "provider.tin"


def test_pii003_individual_tin_not_an_ein(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  sole_proprietor: true\n":
                                                        '  sole_proprietor: true\n  tin: "123456789"\n'})
    result = check(path)
    [f] = findings_of(result, "PII003")
    assert f.severity.value == "error"
    assert f.path == "provider.tin"
    assert f.line == line_of(path, 'tin: "123456789"')
    assert "12-***6789" in f.message and "123456789" not in f.message
    assert findings_of(result, "PII002") == []


def test_pii003_individual_owner_tin(tmp_path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {"name: Michael Osei, percent: 45":
                                                   'name: Michael Osei, tin: "023456789", percent: 45'})
    [f] = findings_of(check(path), "PII003")
    assert f.path == "ownership[1].tin"
    assert "individual owner" in f.message


def test_pii003_sole_proprietor_ein_passes(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"  sole_proprietor: true\n":
                                                        "  sole_proprietor: true\n  tin: 94-3187265\n"})
    result = check(path)
    assert findings_of(result, "PII003") == [] and findings_of(result, "PII002") == []


def test_ssn_is_found_even_when_the_profile_fails_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("schema_version: 1\nprovider:\n  kind: individual\n  notes: SSN 123-45-6789\n", "utf-8")
    result = check(path)
    [f] = findings_of(result, "PII001")
    assert (f.path, f.line) == ("provider.notes", 4)
    assert "123-45-6789" not in f.message
    assert findings_of(result, "SCH001") and findings_of(result, "SCH900")
