"""The README's quick start is what CI runs, and its browser step works on a machine without Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "install-browser.sh"


def quick_start_lines() -> list[str]:
    section = ROOT.joinpath("README.md").read_text("utf-8").split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_ci_runs_exactly_the_readme_test_line() -> None:
    install, test = quick_start_lines()
    assert install.startswith("pip install . && pecoscheck validate examples/")
    ci_lines = [ln for ln in ROOT.joinpath(".ci", "run").read_text("utf-8").splitlines() if ln.strip()]
    assert ci_lines[-1] == test
    assert "scripts/install-browser.sh" in test and "python -m pytest" in test


def _bin_with(tmp_path: Path, *names: str) -> str:
    """A PATH holding ``sh``, ``id`` and stand-ins for ``names`` only."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in ("sh", "id"):
        os.symlink(shutil.which(tool) or f"/bin/{tool}", folder / tool)
    for name in names:
        stub = folder / name
        stub.write_text("#!/bin/sh\necho \"$0 $*\" >> \"$STUB_LOG\"\n")
        stub.chmod(0o755)
    return str(folder)


def _run(tmp_path: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": path, "STUB_LOG": str(tmp_path / "calls.log")}
    return subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30, check=False)


def test_browser_script_does_nothing_when_chromium_is_there(tmp_path: Path) -> None:
    done = _run(tmp_path, _bin_with(tmp_path, "chromium", "apt-get"))
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "calls.log").exists()  # apt-get never called


def test_browser_script_installs_through_apt_get_when_missing(tmp_path: Path) -> None:
    path = _bin_with(tmp_path, "apt-get", "sudo")
    done = _run(tmp_path, path)
    assert done.returncode == 0, done.stderr
    calls = (tmp_path / "calls.log").read_text()
    assert "apt-get install -y -qq chromium" in calls and "apt-get update" in calls


def test_browser_script_says_what_to_do_without_apt_get(tmp_path: Path) -> None:
    done = _run(tmp_path, _bin_with(tmp_path))
    assert done.returncode == 1
    assert "install Chromium" in done.stderr
