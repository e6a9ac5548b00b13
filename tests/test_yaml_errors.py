"""YAML syntax errors in plain words, on the line of the cause, with the line and a caret in the text report."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pecoscheck.cli import app
from pecoscheck.engine import check_file

runner = CliRunner()
HEAD = 'schema_version: 1\nprovider:\n  kind: individual\n'
CASES = [
    ("tab", HEAD + '\tnpi: "1234567893"\n', 4, 1, "a tab character indents line 4"),
    ("indent", HEAD + '   npi: "1234567893"\n', 4, 4,
     "line 4 is indented 3 spaces, but the keys of its block are at 2"),
    ("space-before-key", 'schema_version: 1\n provider:\n  kind: individual\n', 2, 1,
     "1 space before `provider` on line 2; a top-level key starts in the first column"),
    ("no-space-after-colon", 'schema_version: 1\nprovider:\n  kind:individual\n  npi: "1"\n', 3, 7,
     "no space after the colon in `kind:` on line 3"),
    ("unclosed-quote", 'schema_version: 1\nprovider:\n  kind: "individual\n  npi: "1"\n', 3, 9,
     "the quote opened on line 3 is not closed on that line"),
    ("unclosed-brace", 'schema_version: 1\nprovider: {kind: individual, npi: "1"\nlicenses: []\n', 2, 11,
     "the `{` opened on line 2 is not closed"),
    ("list-dash", 'licenses:\n  - state: CA\n    number: A1\n   - state: NV\n', 4, 4,
     "line 4 is indented 3 spaces, but the keys of its block are at 2"),
]


@pytest.mark.parametrize(("name", "text", "line", "column", "message"), CASES, ids=[c[0] for c in CASES])
def test_the_cause_in_plain_words(tmp_path: Path, name: str, text: str, line: int, column: int, message: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, "utf-8")
    [f] = [f for f in check_file(path).findings if f.rule == "YML001"]
    assert (f.line, f.column) == (line, column) and f.message.startswith(message), f.message
    assert "(YAML parser: " in f.message and "Fix the YAML syntax at this place" not in f.hint
    r = runner.invoke(app, ["validate", str(path)])
    out = r.stdout.splitlines()
    at = next(i for i, x in enumerate(out) if "YML001" in x)
    source, caret = out[at + 1], out[at + 2]
    assert r.exit_code == 1 and source.startswith(f"{line:>6} | ") and "Traceback" not in r.output
    shown = text.splitlines()[line - 1].replace("\t", "→")
    assert source.endswith(shown)
    assert caret.index("^") == len(f"{line:>6} | ") + column - 1


def test_control_characters_in_the_shown_line_are_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text('schema_version: 1\nprovider:\n  kind: "indiv\x1b]8;;evil\x07idual\n  npi: "1"\n', "utf-8")
    r = runner.invoke(app, ["validate", str(path)])
    assert r.exit_code == 1 and "\x1b" not in r.stdout and "\x07" not in r.stdout and "YML001" in r.stdout


def test_an_error_without_a_known_cause_keeps_the_parsers_words(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("schema_version: 1\nprovider: &a\n  kind: *b\n", "utf-8")
    [f] = check_file(path).findings
    assert f.rule == "YML001" and f.message.startswith("YAML syntax error: ")
