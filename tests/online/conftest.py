"""Fixtures for the online tests: a replay server and an environment pointing at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pecoscheck.online.cache import DiskCache
from pecoscheck.online.nppes import NppesClient
from replay_server import ReplayServer, SleepRecorder, client_factory


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    """A fresh replay server on 127.0.0.1 with every switch off."""
    with ReplayServer() as server:
        yield server


@pytest.fixture
def nppes_env(replay: ReplayServer, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> ReplayServer:
    """Point ``PECOSCHECK_NPPES_URL`` at the replay server and the cache at a temporary folder."""
    monkeypatch.setenv("PECOSCHECK_NPPES_URL", replay.url)
    monkeypatch.setenv("PECOSCHECK_CACHE_DIR", str(cache_dir))
    return replay


@pytest.fixture
def make_client(nppes_env: ReplayServer, sleeps: SleepRecorder) -> Iterator[Callable[..., NppesClient]]:
    """Build NPPES clients against the replay server (see :func:`replay_server.client_factory`)."""
    with client_factory(NppesClient, sleeps) as build:
        yield build


@pytest.fixture
def disk_cache(cache_dir: Path) -> DiskCache:
    return DiskCache(cache_dir)
