"""The result cache: a hit reproduces the report byte for byte; any change to an input re-checks that profile."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import AS_OF, EXAMPLES
from pecoscheck import engine, resultcache
from pecoscheck.cli import app
from pecoscheck.engine import Options, run_paths
from pecoscheck.rules import registry as registry_module
from pecoscheck.rules.base import Settings

runner = CliRunner()
FORMATS = ("text", "json", "sarif", "junit", "github", "html")
SUPPRESSED = "# pecoscheck: ignore[DOC017] the CP-575 is mailed separately\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three profile folders with their documents, one with a suppression, one not ready."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    for name in ("solo-practitioner", "group-practice", "clinical-lab"):
        shutil.copytree(EXAMPLES / name, root / name)
    group = root / "group-practice" / "profile.yaml"
    text = group.read_text("utf-8")
    line = next(ln for ln in text.splitlines() if "file:" in ln)
    (group.parent / re.search(r"file: ([^,}\s]+)", line).group(1)).unlink()  # type: ignore[union-attr]
    group.write_text(text.replace(line, line + "  " + SUPPRESSED.strip(), 1), "utf-8")
    not_ready = root / "not-ready"
    not_ready.mkdir()
    for name in ("expired-license", "ssn-in-profile", "missing-document-file"):
        shutil.copy(EXAMPLES / "not-ready" / f"{name}.yaml", not_ready)
        if (EXAMPLES / "not-ready" / "docs" / name).is_dir():
            shutil.copytree(EXAMPLES / "not-ready" / "docs" / name, not_ready / "docs" / name)
    monkeypatch.chdir(tmp_path)
    return root


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The profiles actually checked (not answered from the cache), in order."""
    seen: list[str] = []
    real = engine.check_loaded

    def spy(loaded, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(path.stem if path.name != "profile.yaml" else path.parent.name)
        return real(loaded, path, *args, **kwargs)

    monkeypatch.setattr(engine, "check_loaded", spy)
    return seen


def run(paths: list[Path] | Path, options: Options | None = None) -> list[dict[str, object]]:
    opts = options or Options(as_of=AS_OF)
    out = []
    for p in run_paths(paths if isinstance(paths, list) else [paths], opts):
        out.append({"path": p.path, "findings": [f.to_dict() for f in p.findings],
                    "suppressed": [f.to_dict() for f in p.suppressed], "rules": p.rules_checked})
    return out


def rerun_checks(repo: Path, checked: list[str], options: Options | None = None) -> list[str]:
    checked.clear()
    run(repo, options)
    return sorted(checked)


ALL = sorted(["solo-practitioner", "group-practice", "clinical-lab", "expired-license", "ssn-in-profile",
              "missing-document-file"])


def test_a_second_run_checks_nothing_and_reports_the_same(repo: Path, checked: list[str]) -> None:
    first = run(repo)
    assert sorted(checked) == ALL
    assert rerun_checks(repo, checked) == []
    assert run(repo) == first == run(repo, Options(as_of=AS_OF, use_cache=False))
    assert [f["rule"] for p in first for f in p["suppressed"]] == ["DOC017"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_byte_identical_from_the_cache(repo: Path, fmt: str, checked: list[str]) -> None:
    args = ["validate", str(repo), "-f", fmt, "--as-of", "2026-11-26", "--statistics", "-j", "1"]
    fresh = runner.invoke(app, [*args, "--no-cache"])
    assert not list(resultcache.results_dir().glob("*.json")), "--no-cache wrote result entries"
    cold = runner.invoke(app, args)
    checked.clear()
    warm = runner.invoke(app, args)
    assert checked == [], "the warm run checked profiles again"
    assert fresh.exit_code == cold.exit_code == warm.exit_code == 1
    assert fresh.stdout == cold.stdout == warm.stdout and fresh.stderr == cold.stderr == warm.stderr


def test_jobs_workers_use_the_cache(repo: Path) -> None:
    for i in range(6):  # --jobs only fans out from 8 profiles
        shutil.copy(repo / "not-ready" / "expired-license.yaml", repo / "not-ready" / f"copy{i}.yaml")
    options = Options(as_of=AS_OF)
    cold = [p.findings for p in run_paths([repo], options, jobs=2)]
    entries = len(list(resultcache.results_dir().glob("*.json")))
    assert entries == 12
    warm = [p.findings for p in run_paths([repo], options, jobs=2)]
    assert warm == cold and len(list(resultcache.results_dir().glob("*.json"))) == entries


def test_editing_a_profile_rechecks_it_even_with_the_same_size_and_mtime(repo: Path, checked: list[str]) -> None:
    run(repo)
    path = repo / "solo-practitioner" / "profile.yaml"
    st = path.stat()
    text = path.read_text("utf-8")
    path.write_text(text.replace("credential: MD", "credential: DO", 1), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert rerun_checks(repo, checked) == ["solo-practitioner"]
    assert rerun_checks(repo, checked) == []


def test_touching_or_deleting_a_document_rechecks_its_profile(repo: Path, checked: list[str]) -> None:
    run(repo)
    doc = repo / "clinical-lab" / "docs" / sorted(os.listdir(repo / "clinical-lab" / "docs"))[0]
    st = doc.stat()
    os.utime(doc, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert rerun_checks(repo, checked) == ["clinical-lab"]
    doc.unlink()
    assert rerun_checks(repo, checked) == ["clinical-lab"]
    [lab] = [p for p in run(repo) if "clinical-lab" in str(p["path"])]
    assert any(f["rule"] == "DOC017" and doc.name in str(f["message"]) for f in lab["findings"])  # type: ignore[attr-defined]
    doc.write_bytes(b"")  # back, but empty
    assert rerun_checks(repo, checked) == ["clinical-lab"]


def test_a_new_git_root_rechecks_profiles_with_documents(repo: Path, checked: list[str]) -> None:
    run(repo)
    (repo / "solo-practitioner" / ".git").mkdir()
    from pecoscheck.rules.builtin import documents

    documents._git_root.cache_clear()
    documents._git_above.cache_clear()
    assert rerun_checks(repo, checked) == ["solo-practitioner"]


@pytest.mark.parametrize("change", [
    {"strict": True}, {"select": ["DOC"]}, {"ignore": ["DOC017"]}, {"extend_select": ["NPI"]},
    {"severity": {"LIC": "warning"}}, {"settings": Settings(license_expiry_warning_days=365)},
    {"as_of": date(2027, 1, 5)}, {"plugins": False},
])
def test_a_config_or_date_change_rechecks_every_profile(repo: Path, checked: list[str],
                                                       change: dict[str, object]) -> None:
    run(repo)
    changed = replace(Options(as_of=AS_OF), **change)  # type: ignore[arg-type]
    assert rerun_checks(repo, checked, changed) == ALL
    assert rerun_checks(repo, checked, changed) == []
    assert rerun_checks(repo, checked) == []  # the first configuration's entries are still there


def test_the_config_file_is_part_of_the_key(repo: Path, checked: list[str], tmp_path: Path) -> None:
    args = ["validate", str(repo), "-f", "json", "--as-of", "2026-11-26", "-j", "1"]
    runner.invoke(app, args)
    checked.clear()
    runner.invoke(app, args)
    assert checked == []
    (tmp_path / "pecoscheck.toml").write_text('[severity]\nDOC017 = "warning"\n', "utf-8")
    r = runner.invoke(app, args)
    assert sorted(checked) == ALL, r.stderr
    assert '"DOC017"' not in r.stdout or '"severity": "warning"' in r.stdout


PACK = """\
pack: house
rules:
  - id: HOUSE001
    title: Face sheet
    severity: {severity}
    message: "no {{names}} ({{types}})"
    hint: Attach it.
    rationale: House rule.
    source: House manual 4.2
    kinds: [individual]
    require:
      all_documents: [board_certification]
"""


def test_a_changed_rule_pack_rechecks_every_profile(repo: Path, checked: list[str], tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "house.yaml").write_text(PACK.format(severity="warning"), "utf-8")
    options = Options(as_of=AS_OF, rule_dirs=[str(packs)])
    run(repo, options)
    assert rerun_checks(repo, checked, options) == []
    (packs / "house.yaml").write_text(PACK.format(severity="error"), "utf-8")
    registry_module._DEFAULT.clear()  # a new process would read the pack afresh
    assert rerun_checks(repo, checked, options) == ALL


@pytest.fixture
def plugin_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demo plugin installed as pip would (package plus .dist-info), version 0.1."""
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "plugin_pkg" / "pecoscheck_demo_plugin", site / "pecoscheck_demo_plugin")
    _dist_info(site, "0.1")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(registry_module, "_DEFAULT", {})
    yield site
    sys.modules.pop("pecoscheck_demo_plugin", None)
    registry_module._DEFAULT.clear()


def _dist_info(site: Path, version: str) -> None:
    for old in site.glob("*.dist-info"):
        shutil.rmtree(old)
    info = site / f"pecoscheck_demo_plugin-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: pecoscheck-demo-plugin\nVersion: {version}\n")
    (info / "entry_points.txt").write_text("[pecoscheck.rules]\nacme = pecoscheck_demo_plugin:rules\n")


def test_upgrading_a_plugin_rechecks_every_profile(repo: Path, checked: list[str], plugin_site: Path) -> None:
    first = run(repo)
    assert all("ACME001" in p["rules"] for p in first if "not-ready" not in str(p["path"]))  # type: ignore[operator]
    assert rerun_checks(repo, checked) == []
    _dist_info(plugin_site, "0.2")
    import importlib

    importlib.invalidate_caches()
    registry_module._DEFAULT.clear()
    assert rerun_checks(repo, checked) == ALL
    assert rerun_checks(repo, checked) == []


def test_a_changed_rule_function_rechecks(repo: Path, checked: list[str], plugin_site: Path) -> None:
    run(repo)
    import pecoscheck_demo_plugin  # type: ignore[import-not-found]

    def other(ctx):  # type: ignore[no-untyped-def]
        return iter(())

    registry_module._DEFAULT.clear()
    original = pecoscheck_demo_plugin._check
    pecoscheck_demo_plugin._check = other
    try:
        assert rerun_checks(repo, checked) == ALL
    finally:
        pecoscheck_demo_plugin._check = original
        registry_module._DEFAULT.clear()


def test_registry_checks_bypass_the_result_cache(repo: Path) -> None:
    options = Options(as_of=AS_OF, online=frozenset({"exclusions"}))
    assert resultcache.ResultCache.open(options, engine.RuleSet.build(Options(as_of=AS_OF))) is None
    assert resultcache.ResultCache.open(Options(use_cache=False), engine.RuleSet.build(Options())) is None


def _entries() -> list[Path]:
    return sorted(resultcache.results_dir().glob("*.json"))


def test_entries_are_owner_only_and_atomic(repo: Path) -> None:
    run(repo)
    folder = resultcache.results_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert len(_entries()) == len(ALL)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in _entries())
    assert not list(folder.glob(".tmp-*"))


def test_stored_findings_are_masked(repo: Path) -> None:
    run(repo)
    stored = "".join(p.read_text("utf-8") for p in _entries())
    assert "PII001" in stored and "6789" in stored  # the finding about the SSN is there...
    assert "123-45-6789" not in stored and "123456789" not in stored  # ...but not the SSN itself


def _tamper(entry: Path) -> None:
    """Keep the keys, drop the findings: an entry that would report a not-ready profile as ready."""
    data = json.loads(entry.read_bytes())
    data["result"][0] = []
    entry.write_text(json.dumps(data), "utf-8")


@pytest.mark.parametrize("spoil", ["garbage", "truncated", "version", "format", "world-writable",
                                   "group-writable", "foreign-owner", "symlink"])
def test_a_corrupt_or_foreign_entry_is_never_trusted(repo: Path, checked: list[str], spoil: str) -> None:
    expected = run(repo)
    for entry in _entries():
        if spoil == "garbage":
            entry.write_bytes(b"\x00not json")
        elif spoil == "truncated":
            entry.write_bytes(entry.read_bytes()[:40])
        elif spoil in ("version", "format"):
            data = json.loads(entry.read_bytes())
            data["result"][0] = []
            data[spoil] = "0.0.0-other" if spoil == "version" else 999
            entry.write_text(json.dumps(data), "utf-8")
        else:
            _tamper(entry)
            if spoil == "world-writable":
                entry.chmod(0o602)
            elif spoil == "group-writable":
                entry.chmod(0o620)
            elif spoil == "foreign-owner":
                if os.getuid() != 0:
                    pytest.fail("this check needs root to give a file to another user")
                os.chown(entry, os.getuid() + 4242, -1)
            else:
                target = entry.with_suffix(".real")
                entry.rename(target)
                entry.symlink_to(target)
    assert rerun_checks(repo, checked) == ALL
    assert run(repo) == expected


def test_an_untrustworthy_folder_disables_the_cache(repo: Path, checked: list[str]) -> None:
    run(repo)
    folder = resultcache.results_dir()
    folder.chmod(0o777)
    for entry in _entries():
        _tamper(entry)
    assert rerun_checks(repo, checked) == ALL
    folder.chmod(0o700)


def test_no_cache_and_the_cache_commands(repo: Path, checked: list[str]) -> None:
    args = ["validate", str(repo), "-f", "json", "--as-of", "2026-11-26", "-j", "1"]
    runner.invoke(app, args)
    checked.clear()
    runner.invoke(app, [*args, "--no-cache"])
    assert sorted(checked) == ALL
    r = runner.invoke(app, ["cache", "info"])
    assert r.exit_code == 0 and f"results: {len(ALL)} (" in r.stdout
    r = runner.invoke(app, ["cache", "clear"])
    assert r.exit_code == 0 and f"and {len(ALL)} cached results" in r.stdout
    assert _entries() == []
    checked.clear()
    runner.invoke(app, args)
    assert sorted(checked) == ALL
