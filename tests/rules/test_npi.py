"""NPI001-NPI003 on every NPI of a profile: the provider, reassignment groups and owners."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check, findings_of, line_of, make_profile
from pecoscheck.npi import check_digit, is_valid, problem


@pytest.mark.parametrize("npi", ["1234567893", "1558598797", "1528060837", "1184699621", "1003026055",
                                 "1437187390", "1508860420", "1710983663"])
def test_valid_npis_including_check_digit_zero(npi: str) -> None:
    assert is_valid(npi)


def test_check_digit_of_the_cms_example() -> None:
    assert check_digit("123456789") == 3
    assert problem("1234567898") == ("NPI003", "NPI 1234567898 fails the check digit (expected 3)")


@pytest.mark.parametrize(("bad", "rule", "words"), [
    ("123-456-7893", "NPI001", "characters other than digits"),
    ("123456789", "NPI001", "not exactly 10 digits (it has 9)"),
    ("3234567893", "NPI002", "starts with 3"),
    ("1234567890", "NPI003", "expected 3"),
])
def test_provider_npi_problems(tmp_path: Path, bad: str, rule: str, words: str) -> None:
    path = make_profile(tmp_path, "solo-practitioner", replace={'npi: "1653828966"': f'npi: "{bad}"'})
    [f] = findings_of(check(path), rule)
    assert (f.path, f.line) == ("provider.npi", line_of(path, f'npi: "{bad}"'))
    assert words in f.message and bad in f.message
    assert not {"NPI001", "NPI002", "NPI003"} - {rule} & {x.rule for x in check(path).findings}


def test_group_npi_of_a_reassignment(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "reassigning-np")
    text = path.read_text("utf-8")
    import re

    m = re.search(r'group_npi: "?(\d{10})"?', text)
    assert m
    bad = m.group(1)[:9] + str((int(m.group(1)[9]) + 1) % 10)
    path.write_text(text.replace(m.group(1), bad), "utf-8")
    [f] = findings_of(check(path), "NPI003")
    assert (f.path, f.line) == ("reassignments[0].group_npi", line_of(path, bad))


def test_owner_npi(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", replace={'npi: "1097080240"': 'npi: "2097080240"'})
    [f] = findings_of(check(path), "NPI003")
    assert (f.path, f.line) == ("ownership[0].npi", line_of(path, "2097080240"))


@pytest.mark.parametrize("example", ["solo-practitioner", "reassigning-np", "group-practice"])
def test_examples_pass(tmp_path: Path, example: str) -> None:
    result = check(make_profile(tmp_path, example))
    assert not [f for f in result.findings if f.rule.startswith("NPI")]
