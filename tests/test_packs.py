"""YAML rule packs: the loader's errors, the condition/requirement vocabulary, the shipped document pack, --rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import check, findings_of, line_of, make_profile
from pecoscheck.cli import app
from pecoscheck.errors import RulePackError
from pecoscheck.rules.packs import load_pack
from pecoscheck.rules.registry import builtin_pack_dir, default_registry

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-26"]

HEADER = """\
pack: house
description: Our own rules
document_types:
  malpractice_face_sheet: malpractice insurance face sheet
rules:
"""
RULE = """\
  - id: HOUSE001
    title: Sole proprietors attach a malpractice face sheet
    severity: warning
    message: "no {names} ({types}) for this {application}"
    hint: Attach the face sheet.
    rationale: Our credentialing committee asks for it.
    source: House manual 4.2
    kinds: [individual]
    when:
      provider.kind: individual
      any_of:
        - {provider.sole_proprietor: true}
        - {provider.tin: {present: true}}
      not:
        reassignments: {present: true}
    require:
      all_documents: [malpractice_face_sheet, [board_certification, diploma]]
"""


def write_pack(folder: Path, body: str, name: str = "house.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body, "utf-8")
    return path


def pack_error(tmp_path: Path, body: str) -> RulePackError:
    path = write_pack(tmp_path / "packs", body)
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    assert info.value.file == str(path)
    assert str(path) in str(info.value)
    return info.value


def line_in(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), start=1) if needle in ln)


# --- broken packs -------------------------------------------------------------------------------------

def test_bad_yaml_names_file_and_line(tmp_path: Path) -> None:
    body = HEADER + RULE.replace("    hint: Attach the face sheet.", "    hint: [unclosed")
    err = pack_error(tmp_path, body)
    assert err.line is not None and err.line >= line_in(body, "hint: [unclosed")


def test_unknown_key_names_file_and_line(tmp_path: Path) -> None:
    body = HEADER + RULE.replace("    hint:", "    hnit: typo\n    hint:")
    err = pack_error(tmp_path, body)
    assert err.line == line_in(body, "hnit:")
    assert "hnit" in str(err)


def test_bad_rule_id_names_file_and_line(tmp_path: Path) -> None:
    body = HEADER + RULE.replace("id: HOUSE001", "id: house-1")
    err = pack_error(tmp_path, body)
    assert err.line == line_in(body, "id: house-1")
    assert "rule id" in err.detail


@pytest.mark.parametrize("bad", ["provider..kind", "provider.kind!", "licenses[x].state"])
def test_bad_path_in_when_names_file_and_line(tmp_path: Path, bad: str) -> None:
    body = HEADER + RULE.replace("      provider.kind: individual", f'      "{bad}": individual')
    err = pack_error(tmp_path, body)
    assert err.line == line_in(body, bad)
    assert "cannot read the path" in err.detail


def test_bad_path_inside_any_of_and_not(tmp_path: Path) -> None:
    body = HEADER + RULE.replace("{provider.tin: {present: true}}", '{"provider tin": {present: true}}')
    assert pack_error(tmp_path / "a", body).line == line_in(body, "provider tin")
    body = HEADER + RULE.replace("        reassignments: {present: true}", '        "re*": {present: true}')
    assert pack_error(tmp_path / "b", body).line == line_in(body, '"re*"')


def test_bad_path_in_require(tmp_path: Path) -> None:
    body = HEADER + RULE.replace("      all_documents: [malpractice_face_sheet, [board_certification, diploma]]",
                                 "      present: practice_locations[*]..phone")
    err = pack_error(tmp_path, body)
    assert err.line == line_in(body, "..phone")


def test_bad_test_value_in_nested_condition(tmp_path: Path) -> None:
    body = HEADER + RULE.replace("reassignments: {present: true}", "reassignments: {present: maybe}")
    err = pack_error(tmp_path, body)
    assert err.line == line_in(body, "present: maybe")
    assert "not.reassignments.present" in err.detail


def test_bad_document_type_ids(tmp_path: Path) -> None:
    body = HEADER.replace("  malpractice_face_sheet:", "  Malpractice-Face:") + RULE
    assert pack_error(tmp_path / "a", body).line == line_in(body, "document_types:") + 1
    body = HEADER + RULE.replace("[board_certification, diploma]", "[Board Cert, diploma]")
    assert "not a document type id" in pack_error(tmp_path / "b", body).detail


def test_require_needs_exactly_one_key(tmp_path: Path) -> None:
    body = HEADER + RULE.replace("    require:\n", "    require:\n      document: [w9]\n")
    err = pack_error(tmp_path, body)
    assert err.line == line_in(body, "require:") + 1
    assert "exactly one" in err.detail


def test_duplicate_rule_id_in_one_pack(tmp_path: Path) -> None:
    body = HEADER + RULE + RULE
    err = pack_error(tmp_path, body)
    assert err.line == [i for i, ln in enumerate(body.splitlines(), 1) if "id: HOUSE001" in ln][1]


# --- the vocabulary -----------------------------------------------------------------------------------

def rules_from(tmp_path: Path, body: str) -> list[str]:
    write_pack(tmp_path / "packs", body)
    return [str(tmp_path / "packs")]


def test_all_documents_any_of_and_not_evaluate(tmp_path: Path) -> None:
    dirs = rules_from(tmp_path, HEADER + RULE)
    solo = make_profile(tmp_path / "solo", "solo-practitioner")
    [f] = findings_of(check(solo, rule_dirs=dirs), "HOUSE001")
    assert f.severity.value == "warning" and f.path == "documents"
    assert f.line == line_of(solo, "- {type: state_license")
    assert f.message == "no malpractice insurance face sheet (malpractice_face_sheet) for this CMS-855I"
    # the second item is satisfied by board_certification; without it both items are reported
    no_board = make_profile(tmp_path / "nb", "solo-practitioner", {"type: board_certification": "type: other"})
    assert len(findings_of(check(no_board, rule_dirs=dirs), "HOUSE001")) == 2
    # any_of: neither sole proprietor nor an EIN
    employed = make_profile(tmp_path / "emp", "solo-practitioner", {"sole_proprietor: true": "sole_proprietor: false"})
    assert findings_of(check(employed, rule_dirs=dirs), "HOUSE001") == []
    with_ein = make_profile(tmp_path / "ein", "solo-practitioner", {
        "sole_proprietor: true": "sole_proprietor: false\n  tin: 84-1234567"})
    assert findings_of(check(with_ein, rule_dirs=dirs), "HOUSE001")
    # not: a practitioner with reassignments is exempt
    np = make_profile(tmp_path / "np", "reassigning-np", {"prescribes_controlled_substances: false":
                                                          "prescribes_controlled_substances: false\n"
                                                          "  sole_proprietor: true"})
    assert findings_of(check(np, rule_dirs=dirs), "HOUSE001") == []


def test_user_document_type_is_known_to_doc019(tmp_path: Path) -> None:
    dirs = rules_from(tmp_path, HEADER + RULE)
    path = make_profile(tmp_path / "p", "solo-practitioner", {"type: board_certification":
                                                             "type: malpractice_face_sheet"})
    result = check(path, rule_dirs=dirs)
    assert findings_of(result, "DOC019") == []
    [f] = findings_of(result, "HOUSE001")
    assert "(board_certification or diploma)" in f.message


def test_existing_requirements_still_work(tmp_path: Path) -> None:
    body = HEADER + """\
  - id: HOUSE002
    title: Phone
    severity: info
    message: "{path} has no phone"
    hint: h
    rationale: r
    source: s
    when: {$application: [CMS-855I], enrollment.action: {not: [voluntary_termination]}}
    require:
      present: practice_locations[*].phone
  - id: HOUSE003
    title: Checking only
    severity: info
    message: "{path} is {value}"
    hint: h
    rationale: r
    source: s
    require:
      one_of: {bank_account.account_type: [savings]}
  - id: HOUSE004
    title: At most one license
    severity: info
    message: "{count} licenses at {path}"
    hint: h
    rationale: r
    source: s
    require:
      count: {"licenses[*].number": {max: 0}}
"""
    dirs = rules_from(tmp_path, body)
    path = make_profile(tmp_path / "p", "solo-practitioner", {"    phone: 707-555-0148\n": ""})
    result = check(path, rule_dirs=dirs)
    [phone] = findings_of(result, "HOUSE002")
    assert phone.path == "practice_locations[0].phone"
    [acct] = findings_of(result, "HOUSE003")
    assert acct.message == "bank_account.account_type is checking"
    [count] = findings_of(result, "HOUSE004")
    assert count.message == "1 licenses at licenses[*].number" and count.path == "licenses"


# --- the shipped document pack ------------------------------------------------------------------------

SPEC_TYPES = ("irs_cp575", "irs_147c", "state_license", "cms_588_eft", "voided_check", "bank_letter", "cms_460",
              "dea_certificate", "board_certification", "clia_certificate", "accreditation", "surety_bond",
              "liability_insurance", "ownership_chart", "irs_8832", "application_fee_receipt", "hardship_request",
              "diploma", "national_certification", "adverse_action_record", "w9")


def test_shipped_pack_defines_the_spec_document_types() -> None:
    rules, types = load_pack(builtin_pack_dir() / "documents.yaml")
    assert set(SPEC_TYPES) <= set(types)
    assert {"irs_941", "ss4", "w2", "residency_letter", "deposit_slip"} <= set(types)
    assert {r.id for r in rules} == {"DOC001", "DOC004", "DOC007", "DOC013", "DOC015", "DOC016", "LIC003",
                                     "LIC004"}  # DOC014 needs code for the surety bond exceptions
    assert all(r.origin == "pack:documents.yaml" for r in rules)
    assert set(SPEC_TYPES) <= set(default_registry().document_types)


def test_shipped_pack_rules_explain() -> None:
    r = runner.invoke(app, ["rules", "explain", "DOC013"])
    assert r.exit_code == 0
    assert "origin: pack:documents.yaml" in r.stdout and "[S19]" in r.stdout


# --- the command line ---------------------------------------------------------------------------------

def test_cli_user_pack_adds_a_rule_that_fires(tmp_path: Path) -> None:
    write_pack(tmp_path / "packs", HEADER + RULE)
    path = make_profile(tmp_path / "p", "solo-practitioner")
    r = runner.invoke(app, ["validate", str(path), "-f", "json", *AS_OF, "--rules", str(tmp_path / "packs")])
    assert r.exit_code == 0, r.stderr
    [f] = [f for f in json.loads(r.stdout)["profiles"][0]["findings"] if f["rule"] == "HOUSE001"]
    assert f["severity"] == "warning" and f["line"] == line_of(path, "- {type: state_license")


def test_cli_broken_pack_exits_2_with_file_and_line(tmp_path: Path) -> None:
    body = HEADER + RULE.replace("      provider.kind: individual", '      "provider..kind": individual')
    pack = write_pack(tmp_path / "packs", body)
    path = make_profile(tmp_path / "p", "solo-practitioner")
    r = runner.invoke(app, ["validate", str(path), *AS_OF, "--rules", str(tmp_path / "packs")])
    assert r.exit_code == 2
    assert f"{pack}:{line_in(body, 'provider..kind')}" in r.stderr
    r = runner.invoke(app, ["rules", "list", "--rules", str(tmp_path / "packs")])
    assert r.exit_code == 2 and str(pack) in r.stderr


# --- the shipped packs' index (rules/pack_index.py) ------------------------------------------------------

def test_pack_index_says_what_the_shipped_packs_say() -> None:
    """The index must be regenerated when a pack changes: scripts/make_pack_index.py (compared as data, so a
    Python whose pprint lays the text out otherwise agrees too)."""
    from pecoscheck.rules import pack_index
    from pecoscheck.rules.pack_format import index_entries, index_text
    from pecoscheck.rules.packs import INDEX_FORMAT

    assert pack_index.FORMAT == INDEX_FORMAT
    assert index_entries(builtin_pack_dir()) == pack_index.PACKS
    written: dict[str, object] = {}
    exec(compile(index_text(builtin_pack_dir()), "pack_index.py", "exec"), written)
    assert written["PACKS"] == pack_index.PACKS


def test_shipped_pack_is_read_from_the_index_without_the_pack_models(monkeypatch: pytest.MonkeyPatch) -> None:
    from pecoscheck.rules import pack_format

    expected_rules, expected_types = load_pack(builtin_pack_dir() / "documents.yaml")

    def refuse(path: Path) -> None:
        raise AssertionError(f"{path} was read from its YAML")

    monkeypatch.setattr(pack_format, "read_pack", refuse)
    rules, types = load_pack(builtin_pack_dir() / "documents.yaml")
    assert [r.describe() for r in rules] == [r.describe() for r in expected_rules]
    assert types == expected_types


def test_indexed_and_yaml_reading_give_the_same_rules(tmp_path: Path) -> None:
    shipped = builtin_pack_dir() / "documents.yaml"
    copy = write_pack(tmp_path, shipped.read_text("utf-8") + "\n# a comment: other bytes, read from the YAML\n",
                      name="documents.yaml")
    indexed, indexed_types = load_pack(shipped)
    parsed, parsed_types = load_pack(copy)
    assert [r.describe() for r in parsed] == [r.describe() for r in indexed]
    assert [(r.message, r.example_fail, r.example_pass) for r in parsed] == [
        (r.message, r.example_fail, r.example_pass) for r in indexed]
    assert parsed_types == indexed_types


def test_an_edited_shipped_pack_is_read_from_its_yaml(tmp_path: Path) -> None:
    """Same name, other bytes: the index entry is not used, and the edit takes effect (or is reported)."""
    text = (builtin_pack_dir() / "documents.yaml").read_text("utf-8")
    first = load_pack(builtin_pack_dir() / "documents.yaml")[0][0]
    edited = write_pack(tmp_path / "a", text.replace(f"title: {first.title}", "title: Edited title", 1),
                        name="documents.yaml")
    assert load_pack(edited)[0][0].title == "Edited title"
    broken = write_pack(tmp_path / "b", text.replace(f"id: {first.id}", "id: lowercase001", 1), name="documents.yaml")
    with pytest.raises(RulePackError, match="rule id"):
        load_pack(broken)


def test_an_index_of_another_format_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from pecoscheck.rules import pack_index, packs

    packs._index.cache_clear()
    monkeypatch.setattr(pack_index, "FORMAT", packs.INDEX_FORMAT + 1)
    try:
        assert packs._index() == {}
        assert load_pack(builtin_pack_dir() / "documents.yaml")[0]  # read from the YAML instead
    finally:
        packs._index.cache_clear()
