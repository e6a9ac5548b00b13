"""What redistributors get: the licence in every artefact, an sdist whose own tests run, full metadata."""

from __future__ import annotations

import subprocess
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from helpers import ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from hatchling.builders.sdist import SdistBuilder
    from hatchling.builders.wheel import WheelBuilder

    out = tmp_path_factory.mktemp("dist")
    (sdist,) = SdistBuilder(str(ROOT)).build(directory=str(out))
    (wheel,) = WheelBuilder(str(ROOT)).build(directory=str(out))
    return Path(sdist), Path(wheel)


def _project_files() -> set[str]:
    """The repository's files: git's list in a clone, else (an unpacked sdist) what is on disk."""
    if (ROOT / ".git").exists():
        done = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        return {n for n in done.stdout.decode().split("\0") if n and (ROOT / n).exists()}
    skip = {"__pycache__", ".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
    return {str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
            if p.is_file() and not skip & set(p.relative_to(ROOT).parts) and p.name != "PKG-INFO"}


def test_sdist_holds_every_file_the_tests_read(built: tuple[Path, Path]) -> None:
    sdist, _ = built
    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if m.isfile() and "/" in m.name}
    missing = _project_files() - members
    assert not missing, f"left out of the sdist: {sorted(missing)[:20]}"
    for needed in ("LICENSE", "action.yml", ".pre-commit-hooks.yaml", "pecoscheck.toml", "schema/profile.schema.json",
                   "scripts/install-browser.sh", "tests/conftest.py", "examples/README.md", ".ci/run"):
        assert needed in members, needed
    assert not [m for m in members if m.startswith(".hypothesis/") or "__pycache__" in m]


def test_wheel_carries_the_licence_and_the_metadata(built: tuple[Path, Path]) -> None:
    _, wheel = built
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta = Parser().parsestr(zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode())
        licence = next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))
        assert zf.read(licence).decode() == (ROOT / "LICENSE").read_text("utf-8")
    assert "pecoscheck/packs/documents.yaml" in names
    assert "pecoscheck/data/sources.yaml" in names  # what `rules explain` resolves [Snn] ids with
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Source", "Issues", "Changelog"} <= set(urls)
    classifiers = meta.get_all("Classifier") or []
    assert "Programming Language :: Python :: 3.11" in classifiers and "Typing :: Typed" in classifiers
    assert "medicare" in (meta["Keywords"] or "")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_script(shell: str) -> None:
    import os
    import sys

    # Typer reads the shell from the process tree unless told not to; then --show-completion takes its name
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    done = subprocess.run([sys.executable, "-m", "pecoscheck", "--show-completion", shell], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "_PECOSCHECK_COMPLETE" in done.stdout and f"complete_{shell}" in done.stdout
