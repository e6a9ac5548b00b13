"""FORM004, NPI005, DOC023 (builtin/entities.py): TIN change, solely owned organization's NPI, Form 8832."""

from __future__ import annotations

from pathlib import Path

from helpers import check, findings_of, make_profile

SOLO_NPI = '  npi: "1653828966"\n'
GROUP_TIN = "  tin: 41-2873906\n"
GROUP_CHANGE = "  - kind: practice_location\n"


def test_ready_examples_have_none(tmp_path: Path) -> None:
    for name in ("solo-practitioner", "group-practice", "hospital-855a"):
        result = check(make_profile(tmp_path / name, name))
        assert [f for f in result.findings if f.rule in ("FORM004", "NPI005", "DOC023")] == []


def test_form004_tin_change_as_change_of_information(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "hospital-855a", {"  - kind: practice_location\n": "  - kind: tin\n"})
    [f] = findings_of(check(path), "FORM004")
    assert f.severity.value == "warning" and f.path == "changes[0].kind" and "initial application" in f.message


def test_form004_not_for_an_initial_application(tmp_path: Path) -> None:
    tin = "changes:\n  - {kind: tin, effective_date: 2026-11-02}\n"
    path = make_profile(tmp_path, "ambulance-supplier", append=tin)
    assert findings_of(check(path), "FORM004") == []


def test_npi005_sole_owned_organization_without_npi(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {
        SOLO_NPI: SOLO_NPI + '  sole_owned_organization: {legal_name: "Lucia Ferreira MD, PC"}\n'})
    [f] = findings_of(check(path), "NPI005")
    assert f.severity.value == "warning" and f.path == "provider.sole_owned_organization"


def test_npi005_own_npi_reused_and_valid_npi_passes(tmp_path: Path) -> None:
    same = make_profile(tmp_path / "a", "solo-practitioner", {
        SOLO_NPI: SOLO_NPI + '  sole_owned_organization: {legal_name: "Lucia Ferreira MD, PC", npi: "1653828966"}\n'})
    assert "own NPI" in findings_of(check(same), "NPI005")[0].message
    good = make_profile(tmp_path / "b", "solo-practitioner", {
        SOLO_NPI: SOLO_NPI + '  sole_owned_organization: {legal_name: "Lucia Ferreira MD, PC", npi: "1294176031"}\n'})
    result = check(good)
    assert findings_of(result, "NPI005") == [] and findings_of(result, "NPI003") == []


def test_sole_owned_organization_npi_gets_the_check_digit_rule(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {
        SOLO_NPI: SOLO_NPI + '  sole_owned_organization: {legal_name: "Lucia Ferreira MD, PC", npi: "1294176032"}\n'})
    [f] = findings_of(check(path), "NPI003")
    assert f.path == "provider.sole_owned_organization.npi"


def test_doc023_disregarded_llc_without_8832(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {GROUP_TIN: GROUP_TIN + "  disregarded_entity: true\n"})
    [f] = findings_of(check(path), "DOC023")
    assert f.severity.value == "warning" and f.path == "provider.disregarded_entity"


def test_doc023_with_8832_passes(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "group-practice", {GROUP_TIN: GROUP_TIN + "  disregarded_entity: true\n"},
                        append="")
    text = path.read_text("utf-8").replace(
        "documents:\n", "documents:\n  - {type: irs_8832, file: docs/ownership-chart.txt, issued: 2012-02-17}\n", 1)
    path.write_text(text, "utf-8")
    assert findings_of(check(path), "DOC023") == []
