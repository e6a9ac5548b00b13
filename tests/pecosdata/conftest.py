"""Fixtures for the data.cms.gov, LEIE and PECOS-data rule tests: a loopback server and a built LEIE index."""

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

from cms_replay import LEIE_FIXTURES, LEIE_UPDATED, CmsReplayServer  # noqa: E402
from pecoscheck.online.cmsdata import CmsDataClient  # noqa: E402
from pecoscheck.online.leie import build_index, default_index_path  # noqa: E402
from replay_server import SleepRecorder  # noqa: E402


@pytest.fixture
def cms() -> Iterator[CmsReplayServer]:
    """A fresh data.cms.gov + LEIE replay server on 127.0.0.1."""
    with CmsReplayServer() as server:
        yield server


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def cms_env(cms: CmsReplayServer, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> CmsReplayServer:
    """Point data.cms.gov, the LEIE download, NPPES and the cache at the replay server and a temporary folder."""
    monkeypatch.setenv("PECOSCHECK_CMS_DATA_URL", cms.base)
    monkeypatch.setenv("PECOSCHECK_LEIE_URL", cms.leie_url)
    monkeypatch.setenv("PECOSCHECK_NPPES_URL", cms.url)
    monkeypatch.setenv("PECOSCHECK_CACHE_DIR", str(cache_dir))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    return cms


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make_cms(cms_env: CmsReplayServer, sleeps: SleepRecorder) -> Iterator[Callable[..., CmsDataClient]]:
    """Build clients against the replay server: no cache, instant backoff, short timeout unless told."""
    clients: list[CmsDataClient] = []

    def build(**kwargs: Any) -> CmsDataClient:
        kwargs.setdefault("cache", None)
        kwargs.setdefault("timeout", 2.0)
        kwargs.setdefault("sleep", sleeps)
        client = CmsDataClient(**kwargs)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def leie_csv(tmp_path: Path) -> Path:
    """The real 2017 UPDATED subset followed by the real 1702 reinstatement rows (one file, CRLF + LF)."""
    updated = LEIE_UPDATED.read_bytes()
    rein = (LEIE_FIXTURES / "oig_leie_oigmirror_1702REIN.csv").read_bytes().split(b"\n", 1)[1]
    path = tmp_path / "leie.csv"
    path.write_bytes(updated + rein)
    return path


@pytest.fixture
def leie_index(cms_env: CmsReplayServer, leie_csv: Path) -> Path:
    """An LEIE index in the default place (under the test cache folder), built from :func:`leie_csv`."""
    from datetime import date

    target = default_index_path()
    build_index(leie_csv, target, file_date=date(2026, 11, 10), file_date_from="last-modified")
    return target
