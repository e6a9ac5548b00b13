"""The disk cache, alone and behind the NPPES client."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pecoscheck.online import cache as cache_module
from pecoscheck.online.cache import DiskCache, cache_key
from pecoscheck.online.nppes import Found, NotFound, NppesClient, Rejected, Unavailable
from replay_server import ReplayServer

URL = "https://npiregistry.cms.hhs.gov/api/"
PARAMS = {"version": "2.1", "number": "1720377294"}
ANSWER = {"result_count": 0, "results": []}


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_round_trip_and_key(disk_cache: DiskCache) -> None:
    assert disk_cache.get(URL, PARAMS) is None
    assert disk_cache.put(URL, PARAMS, ANSWER)
    assert disk_cache.get(URL, PARAMS) == ANSWER
    assert disk_cache.get(URL, {"number": "1720377294", "version": "2.1"}) == ANSWER
    assert disk_cache.get(URL, {**PARAMS, "number": "1225701881"}) is None
    assert disk_cache.get("http://127.0.0.1:1/api/", PARAMS) is None
    assert cache_key(URL, PARAMS) == cache_key(URL, dict(reversed(list(PARAMS.items()))))
    assert len(cache_key(URL, PARAMS)) == 64
    assert disk_cache.path_for(URL, PARAMS).name == cache_key(URL, PARAMS) + ".json"


def test_ttl_expiry(cache_dir: Path) -> None:
    clock = Clock()
    store = DiskCache(cache_dir, ttl=3600, clock=clock)
    store.put(URL, PARAMS, ANSWER)
    clock.now += 3599
    assert store.get(URL, PARAMS) == ANSWER
    clock.now += 2
    assert store.get(URL, PARAMS) is None
    assert DiskCache(cache_dir, ttl=86400, clock=clock).get(URL, PARAMS) == ANSWER


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00\xff garbage",
        b'{"format": 1, "request": "',
        b"[1, 2, 3]",
        b'{"format": 99, "stored_at": 1, "value": {}}',
        b'{"format": 1, "request": "http://elsewhere/?a=b", "stored_at": 1800000000, "value": {}}',
        b'{"format": 1, "stored_at": "yesterday", "value": {}}',
        b"[" * 100_000,
    ],
)
def test_corrupt_entry_is_a_miss(cache_dir: Path, damage: bytes) -> None:
    store = DiskCache(cache_dir, clock=Clock())
    store.put(URL, PARAMS, ANSWER)
    store.path_for(URL, PARAMS).write_bytes(damage)
    assert store.get(URL, PARAMS) is None
    store.put(URL, PARAMS, ANSWER)
    assert store.get(URL, PARAMS) == ANSWER


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_folder_0700_and_files_0600(cache_dir: Path) -> None:
    old = os.umask(0o022)
    try:
        store = DiskCache(cache_dir)
        store.put(URL, PARAMS, ANSWER)
    finally:
        os.umask(old)
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.entries_dir.stat().st_mode) == 0o700
    entry = store.path_for(URL, PARAMS)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert [p.name for p in store.entries_dir.iterdir()] == [entry.name]


def test_info_and_clear(cache_dir: Path) -> None:
    store = DiskCache(cache_dir)
    assert store.info().entries == 0
    for n in range(5):
        store.put(URL, {"number": str(n)}, {"n": n})
    (store.entries_dir / ".tmp-stray.part").write_bytes(b"half")
    info = store.info()
    assert info.folder == cache_dir
    assert info.entries == 5
    assert info.bytes == sum(p.stat().st_size for p in store.entries_dir.glob("*.json"))
    assert info.bytes > 0
    assert store.clear() == 5
    assert store.info().entries == 0
    assert list(store.entries_dir.iterdir()) == []


def test_folder_from_environment(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PECOSCHECK_CACHE_DIR", str(cache_dir))
    assert cache_module.cache_dir() == cache_dir
    DiskCache().put(URL, PARAMS, ANSWER)
    assert cache_module.info().entries == 1
    assert cache_module.info().folder == cache_dir
    assert cache_module.clear() == 1
    monkeypatch.delenv("PECOSCHECK_CACHE_DIR")
    assert "pecoscheck" in str(cache_module.cache_dir())


def test_unwritable_folder_is_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.geteuid() == 0:  # root writes anywhere: let the temporary file be refused the way a user's would be

        def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(cache_module.tempfile, "mkstemp", refuse)
    store = DiskCache(locked / "cache")
    assert store.put(URL, PARAMS, ANSWER) is False
    assert store.get(URL, PARAMS) is None
    assert not list(locked.rglob("*.part"))


def test_a_file_where_the_folder_should_be_is_not_a_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    store = DiskCache(blocker)
    assert store.put(URL, PARAMS, ANSWER) is False
    assert store.get(URL, PARAMS) is None
    assert store.info().entries == 0
    assert store.clear() == 0


def _hammer(folder: str, writer: int, rounds: int) -> int:
    store = DiskCache(folder)
    bad = 0
    for i in range(rounds):
        key = {"number": str(i % 7)}
        store.put(URL, key, {"writer": writer, "round": i, "pad": "x" * (i * 131 % 20000)})
        got = store.get(URL, {"number": str((i + 3) % 7)})
        if got is None or set(got) != {"writer", "round", "pad"}:
            bad += 1
    return bad


def test_processes_writing_at_once_corrupt_nothing(cache_dir: Path) -> None:
    seed = DiskCache(cache_dir)
    for n in range(7):
        seed.put(URL, {"number": str(n)}, {"writer": -1, "round": -1, "pad": ""})
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        bad = pool.starmap(_hammer, [(str(cache_dir), w, 400) for w in range(4)])
    assert bad == [0, 0, 0, 0]
    store = DiskCache(cache_dir)
    names = sorted(p.name for p in store.entries_dir.iterdir())
    assert len(names) == 7
    assert all(not n.startswith(".tmp-") for n in names)
    for n in range(7):
        value = store.get(URL, {"number": str(n)})
        assert value is not None and value["writer"] in range(-1, 4)
        raw = json.loads(store.path_for(URL, {"number": str(n)}).read_bytes())
        assert raw["value"] == value


def test_second_lookup_sends_no_request(make_client: Callable[..., NppesClient], replay: ReplayServer,
                                        disk_cache: DiskCache) -> None:
    client = make_client(cache=disk_cache)
    first = client.lookup("1720377294")
    second = client.lookup("1720377294")
    assert isinstance(first, Found) and not first.from_cache
    assert isinstance(second, Found) and second.from_cache
    assert second.record == first.record
    assert len(replay.lookups()) == 1
    missing_first = client.lookup("1234567893")
    missing_again = client.lookup("1234567893")
    assert isinstance(missing_first, NotFound) and isinstance(missing_again, NotFound)
    assert missing_again.from_cache
    assert len(replay.lookups()) == 2
    assert disk_cache.info().entries == 2


def test_default_cache_follows_environment(make_client: Callable[..., NppesClient], replay: ReplayServer,
                                           cache_dir: Path) -> None:
    client = make_client(cache=True)
    assert client.cache is not None and client.cache.folder == cache_dir
    client.lookup("1225701881")
    assert isinstance(make_client(cache=True).lookup("1225701881"), Found)
    assert len(replay.lookups()) == 1


def test_no_cache_always_asks(make_client: Callable[..., NppesClient], replay: ReplayServer, cache_dir: Path) -> None:
    client = make_client(cache=None)
    client.lookup("1720377294")
    client.lookup("1720377294")
    assert len(replay.lookups()) == 2
    assert not cache_dir.exists()


def test_expired_entry_is_fetched_again(make_client: Callable[..., NppesClient], replay: ReplayServer,
                                        cache_dir: Path) -> None:
    clock = Clock()
    client = make_client(cache=DiskCache(cache_dir, ttl=60, clock=clock))
    client.lookup("1720377294")
    clock.now += 61
    result = client.lookup("1720377294")
    assert isinstance(result, Found) and not result.from_cache
    assert len(replay.lookups()) == 2


def test_corrupt_entry_behind_client_is_refetched(make_client: Callable[..., NppesClient], replay: ReplayServer,
                                                  disk_cache: DiskCache) -> None:
    client = make_client(cache=disk_cache)
    client.lookup("1720377294")
    path = disk_cache.path_for(client.base_url, {"version": "2.1", "number": "1720377294"})
    path.write_bytes(path.read_bytes()[:100])
    result = client.lookup("1720377294")
    assert isinstance(result, Found) and result.record.name is not None
    assert result.record.name.last == "HIZA"
    assert len(replay.lookups()) == 2


def test_cached_answer_of_wrong_shape_is_refetched(make_client: Callable[..., NppesClient], replay: ReplayServer,
                                                   disk_cache: DiskCache) -> None:
    client = make_client(cache=disk_cache)
    params = {"version": "2.1", "number": "1720377294"}
    disk_cache.put(client.base_url, params, {"results": [{"number": "oops"}]})
    assert isinstance(client.lookup("1720377294"), Found)
    assert len(replay.lookups()) == 1


@pytest.mark.parametrize("mode", ["html", "errors"])
def test_unavailable_and_errors_are_never_cached(make_client: Callable[..., NppesClient], replay: ReplayServer,
                                                 disk_cache: DiskCache, mode: str) -> None:
    client = make_client(cache=disk_cache)
    replay.switches.mode = mode  # type: ignore[assignment]
    replay.switches.mode_first = 1
    first = client.lookup("1720377294")
    assert isinstance(first, (Unavailable, Rejected))
    assert disk_cache.info().entries == 0
    second = client.lookup("1720377294")
    assert isinstance(second, Found) and not second.from_cache
    assert disk_cache.info().entries == 1


def test_retry_exhaustion_is_not_cached(make_client: Callable[..., NppesClient], replay: ReplayServer,
                                        disk_cache: DiskCache) -> None:
    client = make_client(cache=disk_cache)
    replay.switches.fail_first = 3
    assert isinstance(client.lookup("1720377294"), Unavailable)
    assert disk_cache.info().entries == 0
    assert isinstance(client.lookup("1720377294"), Found)
