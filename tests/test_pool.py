"""``--jobs N`` over several folders: the workers start while later folders are searched (pecoscheck.pool)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from helpers import AS_OF
from pecoscheck import pool
from pecoscheck.engine import Options, UsageError, run_paths
from pecoscheck.findings import Report
from pecoscheck.reporters.json import as_dict
from profilegen import generate


def _report(paths: list[Path], jobs: int) -> dict[str, object]:
    run = run_paths(paths, Options(as_of=AS_OF, use_cache=False), jobs=jobs)
    profiles = list(run)
    return as_dict(Report(run.as_of, profiles, run.unavailable))


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    out = []
    for i, n in enumerate((30, 25, 40)):
        generate(tmp_path / f"batch-{i}", n, seed=i)
        out.append(tmp_path / f"batch-{i}")
    return out


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Chunks of 2 (early submission from 32 files with 2 jobs), and a record of the early starts."""
    monkeypatch.setattr(pool, "MAX_CHUNK", 2)
    starts: list[int] = []
    submit = pool.Feeder._submit

    def spy(self: pool.Feeder, chunk: int, final: bool) -> None:
        if not final and self.pool is None:
            starts.append(self.total)
        submit(self, chunk, final)

    monkeypatch.setattr(pool.Feeder, "_submit", spy)
    return starts


def test_early_start_gives_the_report_of_one_job(folders: list[Path], small_chunks: list[int]) -> None:
    one = _report(folders, 1)
    two = _report(folders, 2)
    assert small_chunks == [55]  # the workers started after the second folder, before the third was searched
    assert two == one
    assert two["summary"]["profiles"] == 95  # type: ignore[index]


def test_no_early_start_below_a_full_chunk_split(folders: list[Path], small_chunks: list[int],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "MAX_CHUNK", 64)
    assert _report(folders, 2) == _report(folders, 1)
    assert small_chunks == []


def test_a_missing_folder_after_the_start_is_a_usage_error_and_stops_the_workers(
        folders: list[Path], small_chunks: list[int], tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or folder"):
        run_paths([*folders, tmp_path / "missing"], Options(as_of=AS_OF, use_cache=False), jobs=2)
    assert small_chunks == [55]  # started, then stopped
    assert multiprocessing.active_children() == []


def test_a_reader_that_stops_early_stops_the_workers(folders: list[Path], small_chunks: list[int]) -> None:
    run = run_paths(folders, Options(as_of=AS_OF, use_cache=False), jobs=2)
    results = iter(run)
    first = next(results)
    assert first.path.endswith(".yaml")
    del results, run  # the run's iterator goes: so do the pool and its workers
    assert multiprocessing.active_children() == []
