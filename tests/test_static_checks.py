"""The code passes ruff (bugbear, security, pyupgrade, ...) and mypy --strict, as configured in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff() -> None:
    r = _run("ruff", "check", "--no-cache", "src", "tests", "benchmarks")
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_strict() -> None:
    r = _run("mypy", "--cache-dir", "/tmp/pecoscheck-mypy-cache")
    assert r.returncode == 0, r.stdout + r.stderr
