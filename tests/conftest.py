"""Shared pytest configuration."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("NO_COLOR", "1")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reaches the real registry or the user's cache."""
    monkeypatch.setenv("PECOSCHECK_NPPES_URL", "http://127.0.0.1:9/unreachable/")
    monkeypatch.setenv("PECOSCHECK_CMS_DATA_URL", "http://127.0.0.1:9/unreachable/")
    monkeypatch.setenv("PECOSCHECK_LEIE_URL", "http://127.0.0.1:9/unreachable/")
    monkeypatch.setenv("PECOSCHECK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
