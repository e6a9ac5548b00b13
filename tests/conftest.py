"""Shared pytest configuration."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from replay_server import SleepRecorder

os.environ.setdefault("NO_COLOR", "1")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reaches the real registry or the user's cache."""
    monkeypatch.setenv("PECOSCHECK_NPPES_URL", "http://127.0.0.1:9/unreachable/")
    monkeypatch.setenv("PECOSCHECK_CMS_DATA_URL", "http://127.0.0.1:9/unreachable/")
    monkeypatch.setenv("PECOSCHECK_LEIE_URL", "http://127.0.0.1:9/unreachable/")
    monkeypatch.setenv("PECOSCHECK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    """A registry cache folder for one test (not created yet)."""
    return tmp_path / "cache"


@pytest.fixture
def sleeps() -> SleepRecorder:
    """Records the backoff sleeps of an HTTP client instead of sleeping."""
    return SleepRecorder()
