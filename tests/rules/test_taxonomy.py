"""TAX rules: NUCC taxonomy codes, the primary flag, the code's section and the Medicare crosswalk."""

from __future__ import annotations

import pytest

from helpers import check, findings_of, line_of, make_profile
from pecoscheck.rules.builtin.taxonomy import (
    closest_code,
    crosswalk_index_text,
    index_text,
    medicare_specialties,
    nucc_codes,
    parse_code_set,
    parse_crosswalk,
)

SOLO_TAX = "{code: 207Q00000X, primary: true, license_state: CA}"


def test_shipped_code_set_loads() -> None:
    codes = nucc_codes()
    assert len(codes) == 883
    assert sum(c.section == "Non-Individual" for c in codes.values()) == 185
    assert codes["193200000X"].section == "Individual" and codes["193200000X"].organizational
    assert codes["193400000X"].organizational
    assert not codes["207Q00000X"].organizational
    assert codes["1835G0000X"].inactive_since == "1/1/2006" and codes["1835G0000X"].replacement == "183500000X"
    crosswalk = medicare_specialties()
    assert crosswalk["207Q00000X"] == ("08 Physician/Family Practice",)
    assert "261QF0400X" in crosswalk  # listed with a trailing space in the CSV
    assert "" not in crosswalk
    assert all("[" not in s for v in crosswalk.values() for s in v)


def test_shipped_index_is_the_csv() -> None:
    """The rules read nucc_index.tsv; it must say what NUCC's CSV says (regenerate: scripts/make_nucc_index.py)."""
    parsed = parse_code_set()
    assert nucc_codes() == parsed
    assert len(nucc_codes()) == len(parsed) and list(nucc_codes()) == list(parsed)
    assert "207Q00000X" in nucc_codes() and "207Q0000XX" not in nucc_codes()
    from importlib import resources

    shipped = resources.files("pecoscheck").joinpath("data", "nucc", "nucc_index.tsv").read_text("utf-8")
    assert shipped == index_text(parsed)


def test_index_lookups_search_the_text_and_agree_with_the_table() -> None:
    """Looking a code up (before anything iterates the index) finds the same row the full table holds."""
    from pecoscheck.packagedata import read_data
    from pecoscheck.rules.builtin.taxonomy import INDEX_FILE, _Index

    parsed = parse_code_set()
    text = read_data("nucc", INDEX_FILE)
    for code, expected in parsed.items():
        fresh = _Index(text)
        assert code in fresh and fresh[code] == expected
        assert fresh._table is None  # answered from the text
    searched = _Index(text.replace("\n", "\r\n"))
    assert searched["207Q00000X"] == parsed["207Q00000X"]
    for absent in ("", "207Q0000XX", "207Q00000", "#", "# Derived", "207Q00000X\t", "a\nb"):
        assert absent not in _Index(text)
        with pytest.raises(KeyError):
            _Index(text)[absent]


def test_shipped_crosswalk_index_is_the_csv() -> None:
    """The rules read crosswalk_index.tsv; it must say what CMS's crosswalk CSV says (same script)."""
    parsed = parse_crosswalk()
    assert medicare_specialties() == parsed
    assert len(parsed) > 400
    from importlib import resources

    shipped = resources.files("pecoscheck").joinpath("data", "nucc", "crosswalk_index.tsv").read_text("utf-8")
    assert shipped == crosswalk_index_text(parsed)


def test_index_texts_refuse_cells_they_cannot_hold() -> None:
    with pytest.raises(ValueError):
        crosswalk_index_text({"207Q00000X": ("08 Family\tPractice",)})
    with pytest.raises(ValueError):
        crosswalk_index_text({"207Q00000X": ("",)})
    with pytest.raises(ValueError):
        crosswalk_index_text({"207Q00000X": ()})
    code = nucc_codes()["207Q00000X"]
    with pytest.raises(ValueError):
        index_text({code.code: code._replace(name="Family\nMedicine")})


def test_closest_code() -> None:
    assert closest_code("207Q0000X") == "207Q00000X"
    assert closest_code("207q00000x") == "207Q00000X"
    assert closest_code("nonsense") is None


def test_tax001_unknown_code(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"code: 207Q00000X": "code: 207Q0000X"})
    [f] = findings_of(check(path), "TAX001")
    assert f.severity.value == "error"
    assert f.path == "provider.taxonomies[0].code"
    assert f.line == line_of(path, "code: 207Q0000X")
    assert "207Q0000X" in f.message
    assert "207Q00000X" in f.hint and "Family Medicine" in f.hint


def test_tax001_passes_on_examples(tmp_path) -> None:
    for name in ("solo-practitioner", "reassigning-np", "group-practice", "dmepos-supplier", "clinical-lab"):
        assert findings_of(check(make_profile(tmp_path / name, name)), "TAX001") == []


def test_tax002_no_primary(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner",
                        {SOLO_TAX: "{code: 207Q00000X, primary: false, license_state: CA}"})
    [f] = findings_of(check(path), "TAX002")
    assert f.severity.value == "error"
    assert f.path == "provider.taxonomies"
    assert f.line == line_of(path, "taxonomies:")
    assert "207Q00000X" in f.message


def test_tax002_two_primaries(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {
        SOLO_TAX: SOLO_TAX + "\n    - {code: 207R00000X, primary: true, license_state: CA}"})
    [f] = findings_of(check(path), "TAX002")
    assert f.path == "provider.taxonomies[1].primary"
    assert f.line == line_of(path, "code: 207R00000X")
    assert "207R00000X" in f.message and "207Q00000X" in f.message


def test_tax002_one_primary_passes(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {
        SOLO_TAX: SOLO_TAX + "\n    - {code: 207R00000X, primary: false, license_state: CA}"})
    assert findings_of(check(path), "TAX002") == []


def test_tax003_individual_with_group_code(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"code: 207Q00000X": "code: 193400000X"})
    [f] = findings_of(check(path), "TAX003")
    assert f.severity.value == "error"
    assert f.path == "provider.taxonomies[0].code"
    assert f.line == line_of(path, "code: 193400000X")
    assert "193400000X" in f.message and "Group" in f.message


def test_tax003_individual_with_non_individual_code(tmp_path) -> None:
    path = make_profile(tmp_path, "reassigning-np", {"code: 363LF0000X": "code: 261QP2300X"})
    [f] = findings_of(check(path), "TAX003")
    assert "261QP2300X" in f.message and "Non-Individual" in f.message


def test_tax003_passes_for_practitioner_and_group_codes(tmp_path) -> None:
    assert findings_of(check(make_profile(tmp_path / "a", "solo-practitioner")), "TAX003") == []
    assert findings_of(check(make_profile(tmp_path / "b", "group-practice")), "TAX003") == []


def test_tax004_primary_without_medicare_specialty(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"code: 207Q00000X": "code: 390200000X"})
    [f] = findings_of(check(path), "TAX004")
    assert f.severity.value == "warning"
    assert f.path == "provider.taxonomies[0].code"
    assert f.line == line_of(path, "code: 390200000X")
    assert "390200000X" in f.message


def test_tax004_secondary_code_is_not_checked(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {
        SOLO_TAX: SOLO_TAX + "\n    - {code: 390200000X, primary: false, license_state: CA}"})
    assert findings_of(check(path), "TAX004") == []


def test_tax005_license_state_without_license(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"license_state: CA": "license_state: NV"})
    [f] = findings_of(check(path), "TAX005")
    assert f.severity.value == "warning"
    assert f.path == "provider.taxonomies[0].license_state"
    assert f.line == line_of(path, "license_state: NV")
    assert "NV" in f.message and "CA" in f.message


def test_tax005_passes_when_license_listed(tmp_path) -> None:
    for name in ("solo-practitioner", "reassigning-np", "dmepos-supplier", "clinical-lab"):
        assert findings_of(check(make_profile(tmp_path / name, name)), "TAX005") == []


def test_tax006_deactivated_code(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"code: 207Q00000X": "code: 1835G0000X"})
    result = check(path)
    [f] = findings_of(result, "TAX006")
    assert f.severity.value == "warning"
    assert f.path == "provider.taxonomies[0].code"
    assert f.line == line_of(path, "code: 1835G0000X")
    assert "1835G0000X" in f.message and "1/1/2006" in f.message
    assert "183500000X" in f.hint
    assert findings_of(result, "TAX001") == [] and findings_of(result, "TAX004") == []


def test_tax006_active_code_passes(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"code: 207Q00000X": "code: 183500000X"})
    assert findings_of(check(path), "TAX006") == []


def test_tax007_organization_with_practitioner_code(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {"code: 193400000X": "code: 207Q00000X"})
    [f] = findings_of(check(path), "TAX007")
    assert f.severity.value == "info"
    assert f.path == "provider.taxonomies[0].code"
    assert f.line == line_of(path, "code: 207Q00000X")
    assert "207Q00000X" in f.message


def test_tax007_passes_for_group_and_supplier_codes(tmp_path) -> None:
    for name in ("group-practice", "dmepos-supplier", "clinical-lab"):
        assert findings_of(check(make_profile(tmp_path / name, name)), "TAX007") == []


def test_taxonomy_unknown_example() -> None:
    from helpers import EXAMPLES

    path = EXAMPLES / "not-ready" / "taxonomy-unknown.yaml"
    [f] = findings_of(check(path), "TAX001")
    assert f.line == line_of(path, "code: 207RCO000X")
