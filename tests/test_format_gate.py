"""The format gate: readiness rules run when the only format errors are unknown keys; otherwise a note says how
many checks are waiting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import check, findings_of, line_of, make_profile

EXPIRED = {"expires: 2028-05-31\n": "expires: 2026-10-31\n"}


def _rules(path: Path) -> list[str]:
    return [f.rule for f in check(path).findings]


def test_unknown_keys_do_not_hold_back_the_readiness_rules(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", replace={
        **EXPIRED,
        "\nlicenses:\n  - state: CA\n": "\noffice_notes: call Maria\nlicenses:\n  - state: CA\n    color: blue\n"})
    result = check(path)
    rules = [f.rule for f in result.findings]
    assert rules.count("SCH001") == 2 and "LIC001" in rules and "SCH900" not in rules
    lic = next(f for f in result.findings if f.rule == "LIC001")
    assert lic.line == line_of(path, "expires: 2026-10-31") and lic.path == "licenses[0].expires"
    assert not result.ready and result.npi and result.provider_name


def test_a_misspelt_section_makes_the_rules_wait_and_says_how_many(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", replace={**EXPIRED, "\nlicenses:": "\nlicences:"})
    result = check(path)
    assert [f.rule for f in result.findings] == ["SCH001", "SCH900"]
    note = result.findings[-1].message
    m = re.fullmatch(r"up to (\d+) readiness checks are waiting: they run once the profile matches the format", note)
    assert m and int(m.group(1)) > 50


def test_a_wrong_value_makes_the_rules_wait(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner",
                        replace={**EXPIRED, "    issued: 2018-07-20\n": "    issued: 2018-02-30\n"})
    rules = _rules(path)
    assert "SCH900" in rules and "LIC001" not in rules


def test_the_loaded_data_is_not_changed(tmp_path: Path) -> None:
    from pecoscheck.loader import load
    from pecoscheck.salvage import salvage

    path = make_profile(tmp_path, "solo-practitioner", replace={"\nlicenses:": "\noffice_notes: x\nlicenses:"})
    loaded = load(path)
    assert isinstance(loaded.data, dict)
    before = repr(loaded.data)
    out = salvage(loaded.data)
    assert out is not None and "office_notes" not in out[1]
    assert repr(loaded.data) == before and "office_notes" in loaded.data


def test_list_defaults_are_fresh_empty_lists() -> None:
    """A list key left out is an empty list of its own in every profile (not one list shared by all)."""
    from pecoscheck.model import Profile

    raw = {"schema_version": 1, "provider": {"kind": "individual", "npi": "1234567893"},
           "enrollment": {"action": "initial", "application": "CMS-855I"},
           "identity_access": {"holder": "Jane Doe", "email": "jane@example.com", "role": "individual_provider"}}
    a, b = Profile.model_validate(raw), Profile.model_validate(raw)
    assert a.licenses == [] and a.documents == [] and a.provider.taxonomies == []
    assert a.licenses is not b.licenses and a.provider.taxonomies is not b.provider.taxonomies


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("sole_proprietor: true", 'sole_proprietor: "yes"', "`true` or `false`"),
    ("sole_proprietor: true", "sole_proprietor: 1", "`true` or `false`"),
])
def test_the_models_take_no_coerced_values(tmp_path: Path, old: str, new: str, expected: str) -> None:
    """Strict models (one model setting): a quoted `"yes"` or a 1 is not a boolean; a number is not text."""
    result = check(make_profile(tmp_path, "solo-practitioner", {old: new}))
    assert [f.rule for f in result.findings if f.rule.startswith("SCH")][:1] == ["SCH003"]
    assert expected in findings_of(result, "SCH003")[0].message


def test_a_whole_number_is_a_number_for_the_number_fields(tmp_path: Path) -> None:
    result = check(make_profile(tmp_path, "group-practice"))  # percent: 35, written without a decimal point
    assert not findings_of(result, "SCH003")
