"""The pre-commit hook of this repository (.pre-commit-hooks.yaml) refuses a commit of a profile that is not ready.

The test installs the hook from a scratch git repository holding this
repository's manifest. It overrides ``language: system`` so that pre-commit
runs the ``pecoscheck`` already installed beside this Python instead of
building a virtualenv with pip (which needs the package index: with
``language: python`` pre-commit runs ``pip install .`` on the hook repository,
and building pecoscheck needs hatchling and the dependencies from PyPI).
Everything else (entry, files pattern, types, pass_filenames) comes from the
manifest under test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import AS_OF, EXAMPLES, ROOT

MANIFEST = ROOT / ".pre-commit-hooks.yaml"


def test_manifest() -> None:
    (hook,) = yaml.safe_load(MANIFEST.read_text("utf-8"))
    assert hook["id"] == "pecoscheck"
    assert hook["entry"] == "pecoscheck validate --staged-documents"
    assert hook["language"] == "python"
    assert hook["types"] == ["yaml"]
    assert hook["pass_filenames"] is True and hook["always_run"] is True and hook["require_serial"] is True
    files = re.compile(hook["files"])
    for path in ("profiles/dr-smith.yaml", "profile/a.yml", "clinic/providers/x/y.yaml", "providers/p.yaml"):
        assert files.search(path), path
    for path in ("profiles.yaml", "config/app.yaml", ".github/workflows/ci.yml", "myprofiles/x.yaml"):
        assert not files.search(path), path


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    e = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    e.update({
        "HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"), "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"), "PRE_COMMIT_COLOR": "never",
        "PIP_NO_INDEX": "1",  # prove that nothing is downloaded
        "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
    })
    assert shutil.which("pecoscheck", path=e["PATH"]), "the pecoscheck console script is not installed"
    return e


def sh(cwd: Path, env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def pre_commit(cwd: Path, env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return sh(cwd, env, sys.executable, "-m", "pre_commit", *args, check=check)


@pytest.fixture
def project(tmp_path: Path, env: dict[str, str]) -> Path:
    hooks = tmp_path / "hook-repo"
    hooks.mkdir()
    shutil.copy(MANIFEST, hooks / ".pre-commit-hooks.yaml")
    sh(hooks, env, "git", "init", "-q", "-b", "main")
    sh(hooks, env, "git", "add", ".")
    sh(hooks, env, "git", "commit", "-q", "-m", "hook manifest")
    rev = sh(hooks, env, "git", "rev-parse", "HEAD").stdout.strip()

    proj = tmp_path / "project"
    shutil.copytree(EXAMPLES / "solo-practitioner", proj / "profiles" / "solo")
    (proj / "profiles" / "bad").mkdir(parents=True)
    shutil.copytree(EXAMPLES / "not-ready" / "docs", proj / "profiles" / "bad" / "docs")
    (proj / "settings").mkdir()
    (proj / "settings" / "app.yaml").write_text("not: [a profile\n", "utf-8")  # outside `files:`: not checked
    (proj / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {hooks.as_posix()}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: pecoscheck\n"
        "        language: system  # offline: use the installed pecoscheck (see the module docstring)\n"
        f"        args: [--as-of, '{AS_OF.isoformat()}']\n", "utf-8")
    sh(proj, env, "git", "init", "-q", "-b", "main")
    sh(proj, env, "git", "add", ".pre-commit-config.yaml", "settings")
    sh(proj, env, "git", "commit", "-q", "-m", "setup")
    return proj


def test_pre_commit_run_fails_on_a_bad_profile_and_passes_on_a_good_one(project: Path, env: dict[str, str]) -> None:
    bad = project / "profiles" / "bad" / "npi.yaml"
    shutil.copy(EXAMPLES / "not-ready" / "npi-check-digit.yaml", bad)
    sh(project, env, "git", "add", "profiles")
    failed = pre_commit(project, env, "run", "--files", "profiles/bad/npi.yaml", check=False)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "NPI003" in failed.stdout and "NOT READY" in failed.stdout
    passed = pre_commit(project, env, "run", "--files", "profiles/solo/profile.yaml", "settings/app.yaml")
    assert "Passed" in passed.stdout
    other = pre_commit(project, env, "run", "--files", "settings/app.yaml")  # runs (always_run), checks nothing
    assert "Passed" in other.stdout and "NPI003" not in other.stdout


def test_git_commit_is_refused_until_the_profile_is_fixed(project: Path, env: dict[str, str]) -> None:
    pre_commit(project, env, "install")
    bad = project / "profiles" / "bad" / "npi.yaml"
    shutil.copy(EXAMPLES / "not-ready" / "npi-check-digit.yaml", bad)
    sh(project, env, "git", "add", "profiles/bad/npi.yaml")
    refused = sh(project, env, "git", "commit", "-m", "add a profile", check=False)
    assert refused.returncode != 0
    assert "NPI003" in refused.stdout + refused.stderr
    assert sh(project, env, "git", "rev-list", "--count", "HEAD").stdout.strip() == "1"
    # fix the typo (the NPPES record is 1908301660) and commit again
    bad.write_text(bad.read_text("utf-8").replace('npi: "1908310660"', 'npi: "1908301660"'), "utf-8")
    sh(project, env, "git", "add", "profiles")
    done = sh(project, env, "git", "commit", "-m", "add profiles", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sh(project, env, "git", "rev-list", "--count", "HEAD").stdout.strip() == "2"


def test_deleting_a_required_document_is_refused(project: Path, env: dict[str, str]) -> None:
    pre_commit(project, env, "install")
    sh(project, env, "git", "add", "profiles/solo")
    sh(project, env, "git", "commit", "-q", "-m", "a ready profile")
    sh(project, env, "git", "rm", "-q", "profiles/solo/docs/cms-588-signed.pdf")
    refused = sh(project, env, "git", "commit", "-m", "remove the EFT form", check=False)
    assert refused.returncode != 0, refused.stdout + refused.stderr
    said = refused.stdout + refused.stderr  # git shows the hook's output on stderr
    assert "profiles/solo/profile.yaml" in said and "NOT READY" in said
    assert sh(project, env, "git", "rev-list", "--count", "HEAD").stdout.strip() == "2"
    sh(project, env, "git", "reset", "-q", "--hard")
    # a replaced document re-checks its profile too, and a ready one commits
    (project / "profiles" / "solo" / "docs" / "cms-588-signed.pdf").write_bytes(b"%PDF-1.4 re-signed\n")
    sh(project, env, "git", "add", "profiles/solo/docs")
    done = sh(project, env, "git", "commit", "-m", "re-signed EFT form", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout + done.stderr
