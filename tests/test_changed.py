"""``validate --changed [--since REF]``: only profiles changed in git, or whose documents changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import AS_OF, EXAMPLES
from pecoscheck.cli import app


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def git_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Git that ignores the user's configuration and signs nothing."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{var}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{var}_EMAIL", "test@example.com")


def make_repo(root: Path) -> Path:
    """A repository with three committed profiles (each with its docs) on branch main."""
    repo = root / "repo"
    for name in ("solo-practitioner", "group-practice", "clinical-lab"):
        shutil.copytree(EXAMPLES / name, repo / "profiles" / name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "profiles")
    return repo


def validate(repo: Path, *args: str) -> tuple[int, list[str], str]:
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        r = CliRunner().invoke(app, ["validate", "profiles", "--format", "json", "--jobs", "1",
                                     "--as-of", AS_OF.isoformat(), *args])
    finally:
        os.chdir(cwd)
    paths = [p["path"] for p in json.loads(r.stdout)["profiles"]] if r.stdout.startswith("{") else []
    return r.exit_code, paths, r.stderr


def touch(path: Path) -> None:
    path.write_text(path.read_text("utf-8") + "\n# edited\n", "utf-8")


def test_feature_branch_selects_changed_profiles_and_documents(tmp_path: Path, git_env: None) -> None:
    repo = make_repo(tmp_path)
    git(repo, "switch", "-q", "-c", "feature")
    touch(repo / "profiles/solo-practitioner/profile.yaml")
    git(repo, "commit", "-q", "-am", "edit solo")
    # a document of the group practice changes (uncommitted), the lab is untouched
    doc = next((repo / "profiles/group-practice/docs").glob("*.pdf"))
    doc.write_bytes(doc.read_bytes() + b"\n%% new scan\n")
    code, paths, _ = validate(repo, "--changed")
    assert code == 0
    assert paths == ["profiles/group-practice/profile.yaml", "profiles/solo-practitioner/profile.yaml"]


def test_untracked_profiles_count_and_ignored_files_do_not(tmp_path: Path, git_env: None) -> None:
    repo = make_repo(tmp_path)
    git(repo, "switch", "-q", "-c", "feature")
    new = repo / "profiles/new/profile.yaml"
    new.parent.mkdir()
    new.write_text("schema_version: 1\nprovider: [\n", "utf-8")
    ignored = repo / "profiles/scratch/profile.yaml"
    ignored.parent.mkdir()
    ignored.write_text("schema_version: 1\n", "utf-8")
    (repo / ".gitignore").write_text("scratch/\n", "utf-8")
    code, paths, _ = validate(repo, "--changed")
    assert code == 1
    assert paths == ["profiles/new/profile.yaml"]


def test_since_ref(tmp_path: Path, git_env: None) -> None:
    repo = make_repo(tmp_path)
    git(repo, "tag", "v1")
    touch(repo / "profiles/clinical-lab/profile.yaml")
    git(repo, "commit", "-q", "-am", "lab")
    touch(repo / "profiles/group-practice/profile.yaml")
    git(repo, "commit", "-q", "-am", "group")
    assert validate(repo, "--since", "v1")[1] == ["profiles/clinical-lab/profile.yaml",
                                                  "profiles/group-practice/profile.yaml"]
    # on the default branch itself, the default base is HEAD~1
    assert validate(repo, "--changed")[1] == ["profiles/group-practice/profile.yaml"]
    code, _, err = validate(repo, "--since", "no-such-ref")
    assert code == 2 and "no-such-ref" in err and "Traceback" not in err


def test_nothing_changed_is_ready_with_a_note(tmp_path: Path, git_env: None) -> None:
    repo = make_repo(tmp_path)
    git(repo, "switch", "-q", "-c", "feature")
    code, paths, err = validate(repo, "--changed")
    assert (code, paths) == (0, [])
    assert "no profile changed" in err


def test_repository_without_commits_counts_everything(tmp_path: Path, git_env: None) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "solo-practitioner", repo / "profiles" / "solo")
    git(repo, "init", "-q", "-b", "main")
    assert validate(repo, "--changed")[1] == ["profiles/solo/profile.yaml"]


def test_no_git_repository_is_a_usage_error(tmp_path: Path, git_env: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "plain"
    shutil.copytree(EXAMPLES / "solo-practitioner", folder / "profiles" / "solo")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, _, err = validate(folder, "--changed")
    assert code == 2
    assert err.startswith("pecoscheck: --changed needs a git repository") and "Traceback" not in err


def test_clone_uses_origin_head_and_detached_checkouts_use_head_1(tmp_path: Path, git_env: None) -> None:
    upstream = make_repo(tmp_path)
    touch(upstream / "profiles/clinical-lab/profile.yaml")
    git(upstream, "commit", "-q", "-am", "lab")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    git(clone, "switch", "-q", "-c", "topic")
    touch(clone / "profiles/group-practice/profile.yaml")
    git(clone, "commit", "-q", "-am", "group")
    touch(clone / "profiles/solo-practitioner/profile.yaml")
    git(clone, "commit", "-q", "-am", "solo")
    assert validate(clone, "--changed")[1] == ["profiles/group-practice/profile.yaml",
                                               "profiles/solo-practitioner/profile.yaml"]
    git(clone, "switch", "-q", "--detach", "origin/main")  # as in a CI job for a push to main
    assert validate(clone, "--changed")[1] == ["profiles/clinical-lab/profile.yaml"]
