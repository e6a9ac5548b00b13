"""The language server's ranges and mechanical fixes, as plain functions."""

from __future__ import annotations

from pecoscheck.findings import Finding, Severity
from pecoscheck.lsp.fixes import fixes
from pecoscheck.lsp.ranges import Span, finding_span, token_end


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def test_token_ends_at_the_scalar_not_the_comment_or_the_flow_separator() -> None:
    line = '  - {type: w9, file: "docs/a, b.pdf", issued: 2026-01-02}  # note'
    assert line[11:token_end(line, 11)] == "w9"
    assert line[21:token_end(line, 21)] == '"docs/a, b.pdf"'
    assert line[46:token_end(line, 46)] == "2026-01-02"
    assert line[4:token_end(line, 4)] == line[4:line.index("}") + 1]
    assert "  zip: 95404   # x"[7:token_end("  zip: 95404   # x", 7)] == "95404"


def test_finding_without_a_place_takes_the_first_line_and_a_line_past_the_end_is_clamped() -> None:
    lines = _lines("schema_version: 1\nprovider:\n")
    assert finding_span(lines, Finding("X001", Severity.ERROR, "m")) == Span(0, 0, 0, 17)
    assert finding_span(lines, Finding("X001", Severity.ERROR, "m", line=9, column=1)) == Span(1, 0, 1, 8)
    assert finding_span([], Finding("X001", Severity.ERROR, "m", line=3)) == Span(0, 0, 0, 0)


def test_quoting_a_zip_with_a_leading_zero_says_what_yaml_would_read() -> None:
    lines = _lines("practice_locations:\n  - address: {city: Amherst, state: MA, zip: 01002}\n")
    [fix] = fixes(lines, [], 1, 1)
    assert fix.title == "Quote zip 01002 (YAML would read it as the number 1002)"
    assert [(e.span, e.text) for e in fix.edits] == [(Span(1, 45, 1, 50), '"01002"')]
    assert fixes(lines, [], 0, 0) == []  # only for the lines asked about
    assert fixes(_lines('  zip: "01002"\n  zip: 01002-1234\n'), [], 0, 1) == []  # quoted, or text anyway


def test_rename_only_when_the_key_is_where_the_finding_says() -> None:
    f = Finding("SCH001", Severity.ERROR, "unknown key `licences`; did you mean `licenses`?", "licences", 2, 1)
    [fix] = fixes(_lines("schema_version: 1\nlicences:\n"), [f], 1, 1)
    assert fix.finding == f and fix.edits[0].text == "licenses"
    assert fixes(_lines("schema_version: 1\nlicenses:\n"), [f], 1, 1) == []  # already edited: no stale fix


def test_quote_a_value_the_format_wants_as_text() -> None:
    f = Finding("SCH003", Severity.ERROR, "expected text, got `true`", "provider.dba_name", 2, 13)
    [fix] = fixes(_lines("provider:\n  dba_name: yes  # sic\n"), [f], 1, 1)
    assert fix.title == "Quote yes as text" and fix.edits[0].text == '"yes"' and fix.edits[0].span == Span(1, 12, 1, 15)


def test_unused_suppression_keeps_the_other_ids() -> None:
    text = "  joint: false  # pecoscheck: ignore[EFT002, EFT003] spouse\n"
    f = Finding("SUP002", Severity.INFO, "suppression of EFT003 is unused: the rule did not fire on this line", "", 1)
    [fix] = fixes(_lines(text), [f], 0, 0)
    assert fix.title == "Remove EFT003 from the suppression"
    assert [(e.span, e.text) for e in fix.edits] == [(Span(0, 37, 0, 51), "EFT002")]
    own_line = "# pecoscheck: ignore[EFT002] spouse\nbank_account: {}\n"
    f1 = Finding("SUP002", Severity.INFO, "suppression of EFT002 is unused: the rule did not fire on this line", "", 1)
    [drop] = fixes(_lines(own_line), [f1], 0, 0)
    assert drop.edits[0].span == Span(0, 0, 1, 0) and drop.edits[0].text == ""


def test_changes_skeleton_replaces_an_empty_list_and_not_a_filled_one() -> None:
    text = "enrollment:\n  action: change_of_information\nchanges: []\nadverse_actions: []\n"
    [fix] = fixes(_lines(text), [], 1, 1)
    assert fix.edits[0].span == Span(2, 0, 3, 0) and fix.edits[0].text.startswith("changes:\n  - kind: other")
    filled = "enrollment:\n  action: change_of_information\nchanges:\n  - {kind: name, effective_date: 2026-01-02}\n"
    assert fixes(_lines(filled), [], 1, 1) == []
    assert fixes(_lines(text.replace("change_of_information", "initial")), [], 1, 1) == []
