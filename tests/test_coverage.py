"""docs/coverage.md is generated from the rule metadata and the form sections, and kept up to date."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from helpers import ROOT
from pecoscheck.coverage import CoverageError, load_sections, render
from pecoscheck.rules.registry import default_registry

DOC = ROOT / "docs" / "coverage.md"
FORMS = ("CMS-855I", "CMS-855B", "CMS-855A", "CMS-855S", "CMS-855O", "CMS-20134", "CMS-855R")


def test_coverage_doc_is_up_to_date() -> None:
    assert DOC.read_text("utf-8") == render(), (
        "docs/coverage.md is out of date: run `python -m pecoscheck.coverage > docs/coverage.md`")


def test_every_registered_rule_is_in_the_table() -> None:
    text = DOC.read_text("utf-8")
    listed = set(re.findall(r"`([A-Z]+[0-9]+)`", text))
    assert set(default_registry(plugins=False).rules) <= listed


def test_every_rule_the_sections_name_exists() -> None:
    reg = default_registry(plugins=False)
    named = {rid for f in load_sections() for s in f.sections for rid in s.rules}
    assert named and named <= set(reg.rules)


def test_every_form_has_a_table() -> None:
    titles = {f.form for f in load_sections()}
    assert set(FORMS) <= titles
    for form in FORMS:
        assert f"## {form}: " in DOC.read_text("utf-8")


def test_unknown_rule_in_sections_is_refused() -> None:
    forms = load_sections("forms:\n  - form: CMS-855I\n    title: t\n    sections:\n"
                          "      - {section: s, rules: [NOPE999]}\n")
    with pytest.raises(CoverageError, match="NOPE999"):
        render(forms=forms)


def test_section_without_rules_or_reason_is_refused() -> None:
    with pytest.raises(CoverageError, match="not_covered"):
        load_sections("forms:\n  - form: CMS-855I\n    title: t\n    sections:\n      - {section: s}\n")


def test_malformed_sections_file_is_refused() -> None:
    with pytest.raises(CoverageError, match="malformed"):
        load_sections("forms:\n  - form: CMS-855I\n")


def test_not_covered_rows_say_why() -> None:
    text = render()
    rows = [line for line in text.splitlines() if "| not covered |" in line]
    assert rows and all(len(line.rsplit("|", 2)[-2].strip()) > 20 for line in rows)
    assert "Coach roster" in text and "REA003" in text


def test_rules_no_section_names_are_listed_automatically() -> None:
    forms = load_sections("forms:\n  - form: CMS-855I\n    title: t\n    sections:\n"
                          "      - {section: s, rules: [NPI001]}\n")
    text = render(forms=forms)
    assert "| `NPI003` NPI fails the check digit |" in text.split("## Rules not tied to a form section")[1]


def test_module_writes_the_table() -> None:
    out = subprocess.run([sys.executable, "-m", "pecoscheck.coverage"], capture_output=True, text=True, check=True)
    assert out.stdout == render()
