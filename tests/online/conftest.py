"""Fixtures for the online tests: a replay server and an environment pointing at it."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

_TESTS = Path(__file__).resolve().parents[1]
if str(_TESTS) not in sys.path:
    sys.path.insert(0, str(_TESTS))
if importlib.util.find_spec("pecoscheck") is None:
    sys.path.insert(0, str(_TESTS.parent / "src"))

from pecoscheck.online.cache import DiskCache  # noqa: E402
from pecoscheck.online.nppes import NppesClient  # noqa: E402
from replay_server import ReplayServer, SleepRecorder  # noqa: E402


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    """A fresh replay server on 127.0.0.1 with every switch off."""
    with ReplayServer() as server:
        yield server


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def nppes_env(replay: ReplayServer, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> ReplayServer:
    """Point ``PECOSCHECK_NPPES_URL`` at the replay server and the cache at a temporary folder."""
    monkeypatch.setenv("PECOSCHECK_NPPES_URL", replay.url)
    monkeypatch.setenv("PECOSCHECK_CACHE_DIR", str(cache_dir))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    return replay


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make_client(nppes_env: ReplayServer, sleeps: SleepRecorder) -> Iterator[Callable[..., NppesClient]]:
    """Build clients against the replay server: no cache, instant backoff, short timeout unless told."""
    clients: list[NppesClient] = []

    def build(**kwargs: Any) -> NppesClient:
        kwargs.setdefault("cache", None)
        kwargs.setdefault("timeout", 2.0)
        kwargs.setdefault("sleep", sleeps)
        client = NppesClient(**kwargs)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def disk_cache(cache_dir: Path) -> DiskCache:
    return DiskCache(cache_dir)
