"""The loader's guarantees, each with a real file (spec: profile-format.md, 'Reading rules')."""

from __future__ import annotations

from pathlib import Path

from helpers import check, example_text, findings_of, line_of, make_profile
from pecoscheck.loader import MAX_NODES, format_path, load, loads, parse_path
from pecoscheck.validate import to_profile


def _write(tmp_path: Path, text: str | bytes, name: str = "p.yaml") -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, "utf-8")
    return p


def test_unquoted_zip_keeps_its_leading_zero(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner")
    text = path.read_text("utf-8")
    loaded = load(path)
    zips = [loc["address"]["zip"] for loc in loaded.data["practice_locations"]]  # type: ignore[index]
    assert all(isinstance(z, str) for z in zips)
    loaded = loads("zip: 02134\nptan: 012345\nnpi: 1234567893\n")
    assert loaded.data == {"zip": "02134", "ptan": "012345", "npi": "1234567893"}
    assert text  # the example itself loads


def test_booleans_are_only_true_and_false() -> None:
    data = loads("a: true\nb: FALSE\nc: yes\nd: off\ne: 'true'\nf: ~\ng:\n").data
    assert data == {"a": True, "b": False, "c": "yes", "d": "off", "e": "true", "f": None, "g": None}


def test_yes_for_a_boolean_field_is_a_type_error(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", replace={"primary: true": "primary: yes"})
    result = check(path)
    found = [f for f in result.findings if f.rule == "SCH003" and f.path.endswith("primary")]
    assert found and "`yes`" in found[0].message and "true" in found[0].message


def test_duplicate_key_is_reported_at_the_second_key(tmp_path: Path) -> None:
    text = "schema_version: 1\nprovider:\n  kind: individual\n  npi: '1234567893'\n  npi: '1234567891'\n"
    result = check(_write(tmp_path, text))
    dup = findings_of(result, "YML002")
    assert len(dup) == 1
    assert (dup[0].line, dup[0].column, dup[0].path) == (5, 3, "provider.npi")
    assert "first at line 4" in dup[0].message


def test_unknown_key_names_the_closest_known_key(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", replace={"\nlicenses:": "\nlicences:"})
    result = check(path)
    unknown = findings_of(result, "SCH001")
    assert unknown[0].message == "unknown key `licences`; did you mean `licenses`?"
    assert unknown[0].path == "licences"
    assert unknown[0].line == line_of(path, "licences:")
    assert unknown[0].column == 1


def test_python_object_tag_is_refused_and_nothing_runs(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    text = f"schema_version: 1\nprovider: !!python/object/apply:os.system ['touch {canary}']\n"
    result = check(_write(tmp_path, text))
    tags = findings_of(result, "YML003")
    assert tags and tags[0].line == 2 and "construct objects" in tags[0].message
    assert not canary.exists()
    assert not result.ready


def test_unknown_tag_is_refused(tmp_path: Path) -> None:
    result = check(_write(tmp_path, "schema_version: !custom 1\n"))
    assert findings_of(result, "YML003")[0].message.startswith("unknown YAML tags are refused")


def test_alias_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    result = check(_write(tmp_path, "\n".join(lines) + "\n"))
    bomb = findings_of(result, "YML004")
    assert bomb and f"{MAX_NODES:,}" in bomb[0].message
    assert len(result.findings) == 1


def test_small_aliases_are_allowed(tmp_path: Path) -> None:
    text = example_text("group-practice")
    text = text.replace("correspondence_address: {", "correspondence_address: &corr {", 1)
    assert "&corr" in text
    loaded = loads(text + "special_payments_address: *corr\n")
    assert loaded.findings == []
    assert loaded.data["special_payments_address"] == loaded.data["correspondence_address"]  # type: ignore[index]


def test_oversized_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as fh:
        fh.seek(6 * 1024 * 1024)
        fh.write(b"\n")
    result = check(path)
    big = findings_of(result, "YML005")
    assert big and "refused without reading" in big[0].message


def test_invalid_utf8_points_at_the_byte(tmp_path: Path) -> None:
    path = _write(tmp_path, b"schema_version: 1\nprovider:\n  kind: caf\xe9\n")
    bad = findings_of(check(path), "YML006")
    assert bad and (bad[0].line, bad[0].column) == (3, 12)
    assert "0xe9" in bad[0].message


def test_utf16_is_refused_and_utf8_bom_is_read(tmp_path: Path) -> None:
    assert findings_of(check(_write(tmp_path, "a: 1\n".encode("utf-16"), "u16.yaml")), "YML006")
    bom = _write(tmp_path, b"\xef\xbb\xbf" + example_text("solo-practitioner").encode(), "bom.yaml")
    assert not list(load(bom).findings)


def test_tab_indentation_is_a_syntax_error_with_a_hint(tmp_path: Path) -> None:
    path = _write(tmp_path, "schema_version: 1\nprovider:\n\tkind: individual\n")
    err = findings_of(check(path), "YML001")
    assert err and err[0].line == 3
    assert "tab" in err[0].hint


def test_empty_and_comment_only_files(tmp_path: Path) -> None:
    for name, text in (("empty.yaml", ""), ("comments.yaml", "# nothing here\n# at all\n")):
        f = findings_of(check(_write(tmp_path, text, name)), "YML007")
        assert f and "empty" in f[0].message


def test_list_or_scalar_at_the_top(tmp_path: Path) -> None:
    listed = findings_of(check(_write(tmp_path, "- a\n- b\n", "l.yaml")), "YML007")
    assert listed and "not a list" in listed[0].message and listed[0].line == 1
    scalar = findings_of(check(_write(tmp_path, "just text\n", "s.yaml")), "YML007")
    assert scalar and "single value" in scalar[0].message


def test_list_where_a_mapping_belongs(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner")
    text = path.read_text("utf-8")
    start = text.index("\nenrollment:")
    path.write_text(text[:start] + "\nenrollment:\n  - initial\n" + _rest_after_section(text, start), "utf-8")
    f = [x for x in check(path).findings if x.path == "enrollment"]
    assert f and f[0].rule == "SCH003" and "must be a mapping" in f[0].message
    assert f[0].line == line_of(path, "- initial")


def _rest_after_section(text: str, start: int) -> str:
    lines = text[start + 1:].splitlines(keepends=True)
    i = 1
    while i < len(lines) and (lines[i].startswith((" ", "#")) or not lines[i].strip()):
        i += 1
    return "".join(lines[i:])


def test_several_documents_are_one_finding(tmp_path: Path) -> None:
    f = findings_of(check(_write(tmp_path, "a: 1\n---\nb: 2\n")), "YML001")
    assert f and "more than one YAML document" in f[0].message and f[0].line == 2


def test_bad_dates(tmp_path: Path) -> None:
    for bad, word in (("2026-02-30", "not a real calendar date"), ("02/03/2026", "YYYY-MM-DD"),
                      ("2026-13-01", "not a real calendar date")):
        path = make_profile(tmp_path / bad.replace("/", "_"), "solo-practitioner")
        text = path.read_text("utf-8")
        import re

        first = re.search(r"expires: (\d{4}-\d{2}-\d{2})", text)
        assert first
        path.write_text(text.replace(first.group(0), f"expires: {bad}", 1), "utf-8")
        f = findings_of(check(path), "SCH004")
        assert f and word in f[0].message and bad in f[0].message
        assert f[0].line == line_of(path, f"expires: {bad}")


def test_missing_key_points_at_the_enclosing_key(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner")
    text = path.read_text("utf-8")
    import re

    text = re.sub(r"\n  action: [a-z_]+", "", text, count=1)
    path.write_text(text, "utf-8")
    f = [x for x in findings_of(check(path), "SCH002") if x.path == "enrollment.action"]
    assert f and f[0].message == "missing required key `action`"
    lines = path.read_text("utf-8").splitlines()
    assert f[0].line == lines.index("enrollment:") + 2


def test_individual_without_name_is_a_shape_error(tmp_path: Path) -> None:
    data = loads(example_text("solo-practitioner")).data
    assert isinstance(data, dict)
    del data["provider"]["name"]
    _, findings = to_profile(data, loads(example_text("solo-practitioner")).source)
    assert [f.path for f in findings if f.rule == "SCH002"] == ["provider.name"]


def test_organization_needs_legal_name_and_tin() -> None:
    loaded = loads(example_text("group-practice"))
    assert isinstance(loaded.data, dict)
    del loaded.data["provider"]["legal_name"]
    del loaded.data["provider"]["tin"]
    _, findings = to_profile(loaded.data, loaded.source)
    assert sorted(f.path for f in findings) == ["provider.legal_name", "provider.tin"]


def test_paths_round_trip() -> None:
    assert format_path(("licenses", 0, "expires")) == "licenses[0].expires"
    assert parse_path("licenses[0].expires") == ("licenses", 0, "expires")
    assert format_path(()) == ""


def test_unreadable_file_is_a_finding(tmp_path: Path) -> None:
    import os

    path = _write(tmp_path, "a: 1\n")
    os.chmod(path, 0)
    try:
        if os.access(path, os.R_OK):  # running as root: permissions do not apply
            path.unlink()
            path.mkdir()
        f = findings_of(check(path), "YML008")
        assert f and "cannot read" in f[0].message
    finally:
        if path.is_file():
            os.chmod(path, 0o600)


def test_a_huge_value_is_clipped_in_messages(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner")
    text = path.read_text("utf-8")
    import re

    first = re.search(r"expires: (\d{4}-\d{2}-\d{2})", text)
    assert first
    path.write_text(text.replace(first.group(0), "expires: " + "9" * 100_000, 1), "utf-8")
    [f] = findings_of(check(path), "SCH004")
    assert len(f.message) <= 600 and "characters]" in f.message
