"""Fixtures for the data.cms.gov, LEIE and PECOS-data rule tests: a loopback server and a built LEIE index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cms_replay import LEIE_FIXTURES, LEIE_UPDATED, CmsReplayServer
from pecoscheck.online.cmsdata import CmsDataClient
from pecoscheck.online.leie import build_index, default_index_path
from replay_server import SleepRecorder, client_factory

SAM_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sam"
SAM_V2 = SAM_FIXTURES / "sam_exclusions_v2_extract_excerpt.csv"
SAM_V1 = SAM_FIXTURES / "sam_exclusions_v1_extract_excerpt.csv"


@pytest.fixture
def cms() -> Iterator[CmsReplayServer]:
    """A fresh data.cms.gov + LEIE replay server on 127.0.0.1."""
    with CmsReplayServer() as server:
        yield server


@pytest.fixture
def cms_env(cms: CmsReplayServer, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> CmsReplayServer:
    """Point data.cms.gov, the LEIE download, NPPES and the cache at the replay server and a temporary folder."""
    monkeypatch.setenv("PECOSCHECK_CMS_DATA_URL", cms.base)
    monkeypatch.setenv("PECOSCHECK_LEIE_URL", cms.leie_url)
    monkeypatch.setenv("PECOSCHECK_NPPES_URL", cms.url)
    monkeypatch.setenv("PECOSCHECK_CACHE_DIR", str(cache_dir))
    return cms


@pytest.fixture
def make_cms(cms_env: CmsReplayServer, sleeps: SleepRecorder) -> Iterator[Callable[..., CmsDataClient]]:
    """Build data.cms.gov clients against the replay server (see :func:`replay_server.client_factory`)."""
    with client_factory(CmsDataClient, sleeps) as build:
        yield build


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

    from pecoscheck.online.sam import build_sam_index

    target = default_index_path()
    build_index(leie_csv, target, file_date=date(2026, 11, 10), file_date_from="last-modified")
    build_sam_index(SAM_V2, file_date=date(2026, 11, 20))
    return target
