"""Every link and cited source a user sees resolves: relative markdown links point to files (and headings)
that exist in the repository, and every shipped rule cites only [Snn] ids of the shipped source table,
CFR sections, URLs or files of the repository, never the name of an internal research note."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pecoscheck.cli import app
from pecoscheck.rules.explain import cited_ids, explain_data, explain_rule, source_table
from pecoscheck.rules.registry import default_registry

ROOT = Path(__file__).resolve().parents[1]

# [text](target) and [text]: target, outside code spans and fenced blocks
_INLINE = re.compile(r"(?<!\\)\[(?:[^\]\n]|\\\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE = re.compile(r"`[^`\n]*`")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)

# The research notes the rules were written from: their names mean nothing to a user.
_NOTE_NAME = re.compile(r"[\w./-]*\.md\b")


def markdown_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md")),
             *sorted((ROOT / "examples").rglob("*.md"))]
    return [f for f in files if f.is_file()]


def link_targets(text: str) -> list[str]:
    """The link targets of a markdown text, code blocks and code spans left out."""
    prose = _CODE.sub("", _FENCE.sub("", text))
    return [*_INLINE.findall(prose), *_REFDEF.findall(prose)]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, markup and punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = unicodedata.normalize("NFKC", text).lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    for heading in _HEADING.findall(_FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = slug(heading)
        n, candidate = 0, base
        while candidate in found:
            n += 1
            candidate = f"{base}-{n}"
        found.add(candidate)
    return found


def broken_links(md: Path, root: Path = ROOT) -> list[str]:
    """The relative links of ``md`` whose file (or ``#anchor`` in a markdown file) does not exist."""
    bad = []
    for target in link_targets(md.read_text(encoding="utf-8")):
        if _SCHEME.match(target) or target.startswith("//"):
            continue
        path_part, _, anchor = target.partition("#")
        dest = (md.parent / path_part).resolve() if path_part else md.resolve()
        missing = not dest.exists() or root.resolve() not in (dest, *dest.parents)
        if missing or (anchor and dest.suffix == ".md" and anchor.lower() not in anchors(dest)):
            bad.append(target)
    return bad


def bad_citations(text: str, table: dict[str, object], root: Path = ROOT) -> list[str]:
    """What a rule's source or rationale cites that a user cannot follow."""
    bad = [f"[{sid}] is not in sources.yaml" for sid in cited_ids(text) if sid not in table]
    for name in _NOTE_NAME.findall(re.sub(r"https?://\S+", "", text)):
        if not (name.startswith("docs/") and (root / name).is_file()):
            bad.append(f"{name} is not a file of the repository")
    return bad


# --- markdown links -------------------------------------------------------------------------------------


def test_the_contract_is_shipped_in_docs() -> None:
    for name in ("profile-format.md", "cli.md"):
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert "shipped with the project" in text
    assert "# The enrollment profile, format version 1" in (ROOT / "docs" / "profile-format.md").read_text()


@pytest.mark.parametrize("md", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(md: Path) -> None:
    assert broken_links(md) == []


@pytest.mark.parametrize("md", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_link_or_mention_of_the_research_tree(md: Path) -> None:
    text = md.read_text(encoding="utf-8")
    assert not re.findall(r"(?<![\w/])(?:shared/|spec/)[\w./-]*\.md", text)
    assert "nppes-and-cms-data.md" not in text and "medicare-enrollment.md" not in text


def test_the_checker_finds_broken_links(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "cli.md").write_text("# The CLI\n\n## Exit codes\n", encoding="utf-8")
    md = tmp_path / "README.md"
    md.write_text(
        "[ok](docs/cli.md) [ok anchor](docs/cli.md#exit-codes) [web](https://example.org/x.md)\n"
        "[gone](spec/profile-format.md) [bad anchor](docs/cli.md#nope) [outside](../elsewhere.md)\n"
        "[ref]: docs/missing.md\n"
        "`[code](not/checked.md)`\n\n```\n[fenced](not/checked/either.md)\n```\n",
        encoding="utf-8")
    (tmp_path.parent / "elsewhere.md").write_text("x", encoding="utf-8")
    assert broken_links(md, tmp_path) == ["spec/profile-format.md", "docs/cli.md#nope", "../elsewhere.md",
                                          "docs/missing.md"]


def test_slug_follows_github() -> None:
    assert slug("The profile format") == "the-profile-format"
    assert slug("`rules`") == "rules"
    assert slug("Reading rules (what the loader guarantees)") == "reading-rules-what-the-loader-guarantees"


# --- rule sources ---------------------------------------------------------------------------------------


def test_every_shipped_rule_cites_followable_sources() -> None:
    table = source_table()
    problems = {}
    for r in default_registry(plugins=False).rules.values():
        bad = bad_citations(f"{r.source}\n{r.rationale}", table)
        if bad:
            problems[r.id] = bad
    assert problems == {}


def test_every_cited_source_has_a_web_address() -> None:
    table = source_table()
    cited = {sid for r in default_registry(plugins=False).rules.values()
             for sid in cited_ids(f"{r.source} {r.rationale}")}
    assert len(cited) > 50
    for sid in sorted(cited):
        urls = [ln.url for ln in table[sid].links]
        assert urls and all(re.match(r"https?://[^\s/]+\.[^\s/]+", u) for u in urls), sid
        assert table[sid].title.strip(), sid


def test_the_citation_checker_rejects_note_names_and_unknown_ids() -> None:
    table = source_table()
    assert bad_citations("NPPES API record structure (nppes-and-cms-data.md a.5)", table) == [
        "nppes-and-cms-data.md is not a file of the repository"]
    assert bad_citations("see medicare-enrollment.md §6; [S999] nowhere", table) == [
        "[S999] is not in sources.yaml", "medicare-enrollment.md is not a file of the repository"]
    assert bad_citations("spec/profile-format.md", table) == ["spec/profile-format.md is not a file of the repository"]
    assert bad_citations("42 CFR 424.516; [S38]; docs/profile-format.md; https://example.org/a.md", table) == []


# --- rules explain --------------------------------------------------------------------------------------


def test_rules_explain_prints_the_cited_sources_with_urls() -> None:
    result = CliRunner().invoke(app, ["rules", "explain", "SUR004"])
    assert result.exit_code == 0, result.output
    assert "Cited sources\n  [S59] Palmetto, sign electronically\n" in result.output
    assert "    https://www.dmepdac.com/palmetto/jja.nsf/DID/8T8MH97062\n" in result.output
    assert "    FCSO PECOS signatures: https://medicare-prod.fcso.com/enrollment/pecos-application-signatures" in (
        result.output)


def test_rules_explain_json_has_the_cited_sources() -> None:
    result = CliRunner().invoke(app, ["rules", "explain", "chg001", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["id"] == "CHG001"
    assert [s["id"] for s in doc["cited_sources"]] == ["S38", "S39"]
    assert doc["cited_sources"][0]["links"] == [
        {"url": "https://www.chapmanlawgroup.com/practice_areas/medicare-reporting-obligations/"}]


def test_rules_explain_rejects_an_unknown_format() -> None:
    result = CliRunner().invoke(app, ["rules", "explain", "CHG001", "--format", "xml"])
    assert result.exit_code != 0


def test_a_rule_without_sid_citations_lists_none() -> None:
    r = default_registry(plugins=False).rules["CHG007"]
    assert "Cited sources" not in explain_rule(r)
    assert explain_data(r)["cited_sources"] == []


def test_sids_of_a_user_pack_are_not_resolved(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "pack: mine\nrules:\n  - id: ZZZ001\n    title: Mine\n    severity: warning\n    message: m\n"
        "    hint: h\n    rationale: r\n    source: '[S59] my own note'\n    require: {present: provider.npi}\n",
        encoding="utf-8")
    r = default_registry([str(tmp_path)], plugins=False).rules["ZZZ001"]
    assert "[S59] my own note" in explain_rule(r)
    assert "Cited sources" not in explain_rule(r)
