"""Selection, configuration files, inline suppressions, user rule packs and plugins."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import check, findings_of, line_of, make_profile
from pecoscheck.cli import app
from pecoscheck.config import find_config, load_config
from pecoscheck.errors import ConfigError
from pecoscheck.rules import registry as registry_module

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-26"]


def _bad_npi_profile(tmp_path: Path) -> Path:
    path = make_profile(tmp_path, "solo-practitioner")
    text = path.read_text("utf-8")
    import re

    m = re.search(r'npi: "?(\d{10})"?', text)
    assert m
    bad = m.group(1)[:9] + str((int(m.group(1)[9]) + 1) % 10)
    path.write_text(text.replace(m.group(1), bad, 1), "utf-8")
    return path


def _rules_of(out: str) -> set[str]:
    return {f["rule"] for p in json.loads(out)["profiles"] for f in p["findings"]}


def test_select_and_ignore_by_prefix(tmp_path: Path) -> None:
    path = _bad_npi_profile(tmp_path)
    r = runner.invoke(app, ["validate", str(path), "-f", "json", *AS_OF, "--select", "NPI"])
    assert r.exit_code == 1 and _rules_of(r.stdout) == {"NPI003"}
    r = runner.invoke(app, ["validate", str(path), "-f", "json", *AS_OF, "--ignore", "NPI003"])
    assert "NPI003" not in _rules_of(r.stdout)
    r = runner.invoke(app, ["validate", str(path), "-f", "json", *AS_OF, "--select", "LIC", "--extend-select", "NPI0"])
    assert "NPI003" in _rules_of(r.stdout)


def test_config_file_is_found_upward_and_applied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _bad_npi_profile(tmp_path)
    (tmp_path / "pecoscheck.toml").write_text('ignore = ["NPI003"]\n[severity]\nNPI001 = "warning"\n'
                                              '[thresholds]\nlicense_expiry_warning_days = 90\n')
    sub = tmp_path / "case"
    monkeypatch.chdir(sub)
    assert find_config(sub) == tmp_path / "pecoscheck.toml"
    cfg = load_config(tmp_path / "pecoscheck.toml")
    assert cfg.settings.license_expiry_warning_days == 90
    r = runner.invoke(app, ["validate", str(path), "-f", "json", *AS_OF])
    assert "NPI003" not in _rules_of(r.stdout)


def test_pyproject_table_and_explicit_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _bad_npi_profile(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.pecoscheck]\nselect = ["NPI"]\n')
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["validate", str(path), "-f", "json", *AS_OF])
    assert _rules_of(r.stdout) == {"NPI003"}
    other = tmp_path / "other.toml"
    other.write_text('select = ["NPI"]\n[severity]\nNPI003 = "info"\n')
    r = runner.invoke(app, ["validate", str(path), "-f", "json", *AS_OF, "--config", str(other)])
    doc = json.loads(r.stdout)
    assert r.exit_code == 0 and doc["profiles"][0]["findings"][0]["severity"] == "info"


@pytest.mark.parametrize("text, message", [
    ('selcet = ["NPI"]\n', "unknown key"),
    ('select = ["NOPE"]\n', "unknown rule"),
    ('[severity]\nNPI003 = "fatal"\n', "must be error, warning, info or off"),
    ('[thresholds]\nlicense_days = 3\n', "unknown threshold"),
    ('select = [\n', "not valid TOML"),
])
def test_bad_config_is_an_error_exit_2(tmp_path: Path, text: str, message: str) -> None:
    cfg = tmp_path / "pecoscheck.toml"
    cfg.write_text(text)
    path = make_profile(tmp_path, "solo-practitioner")
    r = runner.invoke(app, ["validate", str(path), "--config", str(cfg)])
    assert r.exit_code == 2 and message in r.stderr
    if "unknown key" in message:
        with pytest.raises(ConfigError):
            load_config(cfg)


def test_inline_suppression_with_reason_is_reported(tmp_path: Path) -> None:
    path = _bad_npi_profile(tmp_path)
    line = findings_of(check(path), "NPI003")[0].line
    assert line
    lines = path.read_text("utf-8").splitlines()
    lines[line - 1] += "  # pecoscheck: ignore[NPI003] NPI confirmed by phone with NPPES, typo in their record"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    result = check(path)
    assert not findings_of(result, "NPI003")
    assert [(f.rule, f.suppressed) for f in result.suppressed] == [
        ("NPI003", "NPI confirmed by phone with NPPES, typo in their record")]
    r = runner.invoke(app, ["validate", str(path), "-f", "json", *AS_OF, "--select", "NPI"])
    doc = json.loads(r.stdout)["profiles"][0]
    assert doc["suppressed"][0]["rule"] == "NPI003" and doc["suppressed"][0]["reason"].startswith("NPI confirmed")


def test_suppression_without_reason_is_an_error(tmp_path: Path) -> None:
    path = _bad_npi_profile(tmp_path)
    line = findings_of(check(path), "NPI003")[0].line
    assert line
    lines = path.read_text("utf-8").splitlines()
    lines[line - 1] += "  # pecoscheck: ignore[NPI003]"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    result = check(path)
    assert findings_of(result, "NPI003") and findings_of(result, "SUP001")[0].line == line


def test_unused_suppression_is_noted(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner")
    line = line_of(path, "npi:")
    lines = path.read_text("utf-8").splitlines()
    lines[line - 1] += "  # pecoscheck: ignore[NPI003] stale"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    [f] = findings_of(check(path), "SUP002")
    assert f.line == line and f.severity.value == "info"


PACK = """\
pack: house
description: Our own rules
rules:
  - id: HOUSE001
    title: Practice locations have a phone number
    severity: warning
    message: "practice location {path} has no phone number"
    hint: Add the phone number patients call.
    rationale: Our MAC calls the location during site review.
    source: House credentialing manual 4.2
    require:
      present: practice_locations[*].phone
"""


def test_user_rule_pack_adds_a_rule_that_fires(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "house.yaml").write_text(PACK)
    path = make_profile(tmp_path, "solo-practitioner")
    text = path.read_text("utf-8")
    import re

    text = re.sub(r"\n\s+phone: [^\n]+", "", text, count=1)
    path.write_text(text, "utf-8")
    r = runner.invoke(app, ["validate", str(path), "-f", "json", *AS_OF, "--rules", str(packs), "--select", "HOUSE"])
    doc = json.loads(r.stdout)
    [f] = doc["profiles"][0]["findings"]
    assert f["rule"] == "HOUSE001" and f["severity"] == "warning"
    assert f["path"] == "practice_locations[0].phone" and "has no phone number" in f["message"]
    r = runner.invoke(app, ["rules", "explain", "HOUSE001", "--rules", str(packs)])
    assert r.exit_code == 0 and "House credentialing manual" in r.stdout


def test_broken_pack_names_file_and_line(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "house.yaml").write_text(PACK.replace("severity: warning", "severity: loud"))
    path = make_profile(tmp_path, "solo-practitioner")
    r = runner.invoke(app, ["validate", str(path), "--rules", str(packs)])
    assert r.exit_code == 2
    assert f"{packs / 'house.yaml'}:6" in r.stderr


@pytest.fixture
def installed_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Install the demo plugin as pip would: package plus .dist-info with entry_points.txt."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "plugin_pkg" / "pecoscheck_demo_plugin", site / "pecoscheck_demo_plugin")
    info = site / "pecoscheck_demo_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pecoscheck-demo-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[pecoscheck.rules]\nacme = pecoscheck_demo_plugin:rules\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(registry_module, "_DEFAULT", {})
    yield
    sys.modules.pop("pecoscheck_demo_plugin", None)
    registry_module._DEFAULT.clear()


def test_plugin_rule_is_registered_and_fires(installed_plugin: None, tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", replace={", credential: MD}": "}"})
    r = runner.invoke(app, ["validate", str(path), "-f", "json", *AS_OF, "--select", "ACME"])
    [f] = json.loads(r.stdout)["profiles"][0]["findings"]
    assert f["rule"] == "ACME001" and f["path"] == "provider.name"
    r = runner.invoke(app, ["rules", "list", "--format", "json"])
    [desc] = [d for d in json.loads(r.stdout) if d["id"] == "ACME001"]
    assert desc["origin"] == "plugin:acme"
    r = runner.invoke(app, ["validate", str(path), "-f", "json", *AS_OF, "--no-plugins", "--select", "NPI"])
    assert r.exit_code == 0


@pytest.mark.parametrize(("text", "where"), [
    ('ignore = ["DOC99X"]\n', "`ignore`: unknown rule or prefix `DOC99X`; see"),
    ('select = ["NPI03"]\n', "`select`: unknown rule or prefix `NPI03` (did you mean `NPI003`?)"),
    ('[severity]\nLIC01 = "warning"\n', "`severity`: unknown rule or prefix `LIC01` (did you mean `LIC001`?)"),
])
def test_a_bad_rule_id_in_the_config_names_the_file_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            text: str, where: str) -> None:
    cfg = tmp_path / "pecoscheck.toml"
    cfg.write_text(text)
    path = make_profile(tmp_path / "providers", "solo-practitioner")
    monkeypatch.chdir(path.parent)
    r = runner.invoke(app, ["validate", str(path)])
    assert r.exit_code == 2 and f"{cfg}: {where}" in r.stderr


def test_a_bad_rule_id_on_the_command_line_names_the_option(tmp_path: Path) -> None:
    cfg = tmp_path / "pecoscheck.toml"
    cfg.write_text('ignore = ["DOC010"]\n')
    path = make_profile(tmp_path, "solo-practitioner")
    r = runner.invoke(app, ["validate", str(path), "--config", str(cfg), "--ignore", "DOC010,ZZZ1"])
    assert r.exit_code == 2 and "--ignore: unknown rule or prefix `ZZZ1`" in r.stderr
    assert str(cfg) not in r.stderr


def test_config_exclude_is_relative_to_the_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "pecoscheck.toml").parent.mkdir()
    (repo / "pecoscheck.toml").write_text('exclude = ["providers/archive/", "scratch"]\n')
    kept = make_profile(repo / "providers" / "kept", "solo-practitioner")
    make_profile(repo / "providers" / "archive" / "old", "solo-practitioner")
    make_profile(repo / "providers" / "kept" / "scratch", "solo-practitioner")
    runs = [(repo, ["providers"]), (repo / "providers", ["."]), (repo / "providers" / "archive", [".."]),
            (tmp_path, ["repo", "--config", "repo/pecoscheck.toml"])]
    for cwd, args in runs:
        monkeypatch.chdir(cwd)
        r = runner.invoke(app, ["validate", *args, "-f", "json", *AS_OF])
        paths = [Path(p["path"]).resolve() for p in json.loads(r.stdout)["profiles"]]
        assert paths == [kept.resolve()], (cwd, args, paths)
