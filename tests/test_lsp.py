"""``pecoscheck lsp`` driven as an editor drives it: JSON-RPC with Content-Length framing over stdio."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lsp_client import LspClient, uri_of

ROOT = Path(__file__).resolve().parents[1]
SOLO = ROOT / "examples" / "solo-practitioner"
CLEAN = (SOLO / "profile.yaml").read_text("utf-8")
# Three mistakes in the ready example: a bad NPI check digit, a New York ZIP for a California office,
# and a joint bank account.
THREE = (CLEAN.replace('npi: "1653828966"', 'npi: "1653828967"')
         .replace('zip: "95404"\n    phone', 'zip: "10001"\n    phone', 1)
         .replace("joint: false", "joint: true"))
OFFLINE = {"PECOSCHECK_NPPES_URL": "http://127.0.0.1:9/unreachable/",
           "PECOSCHECK_CMS_DATA_URL": "http://127.0.0.1:9/unreachable/",
           "PECOSCHECK_LEIE_URL": "http://127.0.0.1:9/unreachable/"}


def _rng(line: int, start: int, end: int) -> dict[str, Any]:
    return {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}


def _start(tmp: Path, argv: list[str] | None = None, **options: Any) -> LspClient:
    env = {**os.environ, **OFFLINE, "PECOSCHECK_CACHE_DIR": str(tmp / "cache")}
    client = LspClient(argv, cwd=tmp, env=env)
    client.initialize(tmp, {"as_of": "2026-11-20", **options})
    return client


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lsp")
    shutil.copytree(SOLO, root / "solo")
    (root / "pecoscheck.toml").write_text("", "utf-8")  # the project's config: nothing above it is read
    return root


@pytest.fixture(scope="module")
def client(project: Path) -> Iterator[LspClient]:
    c = _start(project)
    yield c
    assert c.close() == 0


def _open(client: LspClient, path: Path, text: str) -> tuple[str, list[dict[str, Any]]]:
    uri = client.open(path, text)
    return uri, client.diagnostics(uri, 1)


def test_initialize_advertises_sync_hover_and_code_actions(project: Path) -> None:
    c = LspClient([sys.executable, "-m", "pecoscheck", "lsp"], cwd=project, env={**os.environ, **OFFLINE})
    caps = c.initialize(project)["capabilities"]
    assert caps["textDocumentSync"]["change"] == 2 and caps["textDocumentSync"]["save"]
    assert caps["hoverProvider"] is True
    assert caps["codeActionProvider"]["codeActionKinds"] == ["quickfix"]
    assert c.close() == 0


def test_three_mistakes_give_three_diagnostics_at_their_ranges(client: LspClient, project: Path) -> None:
    path = project / "solo" / "profile.yaml"  # on disk the profile is clean: the server checks the editor's text
    _, diags = _open(client, path, THREE)
    got = [(d["code"], d["range"], d["severity"], d["source"]) for d in diags]
    assert got == [
        ("NPI003", _rng(8, 7, 19), 1, "pecoscheck"),    # "1653828967", quotes included
        ("LOC008", _rng(47, 11, 18), 1, "pecoscheck"),  # "10001"
        ("EFT002", _rng(83, 9, 13), 1, "pecoscheck"),   # true
    ]
    npi = diags[0]["message"]
    assert npi.startswith("NPI 1653828967 fails the check digit")
    assert "\nSource: " in npi and len(npi.splitlines()) == 3  # message, hint, source


def test_changes_are_debounced_and_rechecked(client: LspClient, project: Path) -> None:
    path = project / "solo" / "debounce.yaml"
    uri, diags = _open(client, path, THREE)
    assert len(diags) == 3
    line = THREE.splitlines()[83]
    col = line.index("true")
    client.edit(uri, 2, 83, col, col + 4, "f")  # typing "false" over "true", a key at a time
    for version, typed in enumerate(("fa", "fal", "fals", "false"), start=3):
        client.edit(uri, version, 83, col, col + len(typed) - 1, typed)
    final = client.diagnostics(uri, 6)
    assert [d["code"] for d in final] == ["NPI003", "LOC008"]
    early = [m for m in client.drain("textDocument/publishDiagnostics") if m["params"]["uri"] == uri]
    assert len(early) <= 1  # five changes in a burst: one check (two at most on a slow machine), not five


def test_save_rechecks(client: LspClient, project: Path) -> None:
    path = project / "solo" / "saved.yaml"
    uri, _ = _open(client, path, CLEAN)
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []


def test_documents_resolve_relative_to_the_file(client: LspClient, project: Path) -> None:
    moved = project / "elsewhere"
    moved.mkdir()
    _, diags = _open(client, moved / "profile.yaml", CLEAN)  # the same text, but docs/ is not beside it
    assert {d["code"] for d in diags} == {"DOC017"}
    _, here = _open(client, project / "solo" / "beside.yaml", CLEAN)
    assert here == []


def test_half_typed_line_reports_and_keeps_serving(client: LspClient, project: Path) -> None:
    path = project / "solo" / "typing.yaml"
    broken = CLEAN.replace('  npi: "1653828966"', '  npi: "16538', 1)
    uri, diags = _open(client, path, broken)
    assert [d["code"] for d in diags] == ["YML001"] and diags[0]["severity"] == 1
    client.change(uri, 2, "provider:\n  kind: individual\n  npi: [\n")
    assert [d["code"] for d in client.diagnostics(uri, 2)] == ["YML001"]
    client.change(uri, 3, CLEAN)
    assert client.diagnostics(uri, 3) == []


def test_hover_on_a_finding_and_on_a_rule_id(client: LspClient, project: Path) -> None:
    path = project / "solo" / "hover.yaml"
    text = THREE.replace("joint: true", "joint: true  # pecoscheck: ignore[EFT002] joint owner is her spouse")
    uri, diags = _open(client, path, text)
    assert [d["code"] for d in diags] == ["NPI003", "LOC008"]
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 8,
                                                                                             "character": 10}})
    value = hover["contents"]["value"]
    assert value.startswith("**NPI003** (error): NPI 1653828967 fails the check digit")
    assert "NPI003  NPI fails the check digit" in value and "\nWhy\n" in value and "\nSource\n" in value
    col = text.splitlines()[83].index("EFT002") + 2
    on_id = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": 83, "character": col}})
    assert on_id["contents"]["value"].startswith("```text\nEFT002  Joint bank account")
    nothing = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                    "position": {"line": 5, "character": 0}})
    assert nothing is None


def _actions(client: LspClient, uri: str, line: int, diags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": _rng(line, 0, 0),
        "context": {"diagnostics": [d for d in diags if d["range"]["start"]["line"] == line]}})
    return result


def test_code_action_quotes_an_unquoted_zip(client: LspClient, project: Path) -> None:
    text = CLEAN.replace('zip: "95404"\n    phone', "zip: 95404\n    phone", 1)
    uri, diags = _open(client, project / "solo" / "zip.yaml", text)
    assert diags == []  # pecoscheck reads it as text; other YAML readers do not
    [action] = _actions(client, uri, 47, diags)
    assert action["title"] == "Quote zip 95404 (other YAML readers take it for a number)"
    assert action["kind"] == "quickfix"
    assert action["edit"]["changes"][uri] == [{"range": _rng(47, 11, 16), "newText": '"95404"'}]


def test_code_action_renames_a_misspelled_key(client: LspClient, project: Path) -> None:
    text = CLEAN.replace("\nlicenses:", "\nlicences:")
    uri, diags = _open(client, project / "solo" / "typo.yaml", text)
    line = text.splitlines().index("licences:")
    assert diags[0]["code"] == "SCH001" and diags[0]["range"] == _rng(line, 0, 8)
    [action] = _actions(client, uri, line, diags)
    assert action["title"] == "Rename `licences` to `licenses`" and action["isPreferred"] is True
    assert action["diagnostics"][0]["code"] == "SCH001"
    assert action["edit"]["changes"][uri] == [{"range": _rng(line, 0, 8), "newText": "licenses"}]


def test_code_action_adds_a_changes_skeleton(client: LspClient, project: Path) -> None:
    text = CLEAN.replace("action: initial", "action: change_of_information")
    uri, _ = _open(client, project / "solo" / "change.yaml", text)
    [action] = _actions(client, uri, 22, [])
    assert action["title"] == "Add a `changes:` entry skeleton"
    [edit] = action["edit"]["changes"][uri]
    end = len(text.splitlines())
    assert edit["range"] == _rng(end, 0, 0) and edit["newText"].startswith("\nchanges:\n  - kind: other")
    client.change(uri, 2, text + edit["newText"])
    after = client.diagnostics(uri, 2)
    assert [(d["code"], d["range"]["start"]["line"]) for d in after] == [("SCH004", end + 3), ("SCH900", 0)]


def test_code_action_removes_an_unused_suppression(client: LspClient, project: Path) -> None:
    text = CLEAN.replace("joint: false", "joint: false  # pecoscheck: ignore[EFT002] spouse")
    uri, diags = _open(client, project / "solo" / "stale.yaml", text)
    assert [(d["code"], d["severity"]) for d in diags] == [("SUP002", 3)]
    [action] = _actions(client, uri, 83, diags)
    assert action["title"] == "Remove the unused suppression of EFT002"
    assert action["edit"]["changes"][uri] == [{"range": _rng(83, 14, 51), "newText": ""}]


def test_configuration_is_found_upward_from_the_document(client: LspClient, project: Path) -> None:
    other = project / "other" / "deep"
    shutil.copytree(SOLO / "docs", other / "docs")
    (project / "other" / "pecoscheck.toml").write_text('ignore = ["EFT002"]\n', "utf-8")
    _, diags = _open(client, other / "profile.yaml", THREE)
    assert [d["code"] for d in diags] == ["NPI003", "LOC008"]
    (project / "other" / "pecoscheck.toml").write_text("ignore = 7\n", "utf-8")
    os.utime(project / "other" / "pecoscheck.toml", (1, 1))
    uri = uri_of(other / "profile.yaml")
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert [d["code"] for d in client.diagnostics(uri)] == ["NPI003", "LOC008", "EFT002"]  # defaults meanwhile
    logs = [m["params"] for m in client.drain("window/logMessage")]
    assert any(p["type"] == 1 and "must be a list of strings" in p["message"] for p in logs)


_CRASHY = """
import sys
import pecoscheck.rules.builtin
from pecoscheck.rules import base
import pecoscheck.engine as engine

def boom(ctx):
    raise RuntimeError("boom")

base.BUILTIN[:] = [r._replace(check=boom) if r.id == "EFT002" else r for r in base.BUILTIN]
real = engine.check_loaded

def flaky(loaded, *args, **kwargs):
    if "CRASH-THE-ENGINE" in loaded.text:
        raise ValueError("engine bug")
    return real(loaded, *args, **kwargs)

engine.check_loaded = flaky
from pecoscheck.lsp.server import serve
serve()
"""


def test_a_crash_inside_a_rule_or_the_engine_never_kills_the_server(tmp_path: Path) -> None:
    shutil.copytree(SOLO, tmp_path / "solo")
    (tmp_path / "pecoscheck.toml").write_text("", "utf-8")
    c = _start(tmp_path, [sys.executable, "-c", _CRASHY])
    try:
        uri, diags = _open(c, tmp_path / "solo" / "profile.yaml", THREE)
        assert [d["code"] for d in diags] == ["NPI003", "LOC008", "EFT002"]  # the others, and the broken rule
        assert diags[2]["message"].startswith("internal error in rule EFT002: RuntimeError: boom")
        c.change(uri, 2, THREE + "# CRASH-THE-ENGINE\n")
        [crash] = c.diagnostics(uri, 2)
        assert crash["code"] == "PECOSCHECK" and crash["range"] == _rng(0, 0, len(THREE.splitlines()[0]))
        c.change(uri, 3, "provider: [\n# CRASH-THE-ENGINE\n")
        assert [d["code"] for d in c.diagnostics(uri, 3)] == ["YML001", "PECOSCHECK"]  # what the loader saw
        logs = [m["params"]["message"] for m in c.drain("window/logMessage")]
        assert any("ValueError: engine bug" in m and "Traceback" in m for m in logs)
        assert any("internal error in rule EFT002" in m for m in logs)
        c.change(uri, 4, CLEAN)
        assert [d["code"] for d in c.diagnostics(uri, 4)] == ["EFT002"]
    finally:
        assert c.close() == 0


def test_registry_checks_only_when_asked_and_an_unreachable_registry_is_a_finding(tmp_path: Path) -> None:
    shutil.copytree(SOLO, tmp_path / "solo")
    (tmp_path / "pecoscheck.toml").write_text("", "utf-8")
    c = _start(tmp_path, online=["nppes"])  # NPPES at a closed loopback port: refused, retried, given up
    try:
        uri, first = _open(c, tmp_path / "solo" / "profile.yaml", CLEAN)
        assert first == []  # the offline findings come first, without waiting for the registry
        after = c.diagnostics(uri, 1, timeout=60)
        assert [(d["code"], d["severity"]) for d in after] == [("NPPES009", 3)]
        logs = [m["params"]["message"] for m in c.drain("window/logMessage")]
        assert any(m.startswith("nppes unavailable: ") for m in logs), logs
    finally:
        assert c.close() == 0


def test_code_action_titles_mask_identifier_shaped_numbers(client: LspClient, project: Path) -> None:
    text = CLEAN.replace('routing_number: "121000358"', "routing_number: 121000358")
    uri, diags = _open(client, project / "solo" / "routing.yaml", text)
    line = next(i for i, ln in enumerate(text.splitlines()) if "routing_number" in ln)
    [action] = _actions(client, uri, line, diags)
    assert action["title"] == "Quote routing_number (other YAML readers take it for a number)"
    assert action["edit"]["changes"][uri][0]["newText"] == '"121000358"'  # the edit keeps the real value


def test_without_pygls_the_command_says_what_to_install() -> None:
    import subprocess

    script = ("import sys; sys.modules['pygls'] = None; from pecoscheck.__main__ import main; "
              "main(['lsp'])")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("pecoscheck: the language server needs pygls")
    assert "pip install 'pecoscheck[lsp]'" in done.stderr and "Traceback" not in done.stderr
