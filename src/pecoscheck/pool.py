"""Worker processes for ``--jobs N``: chunks of files checked in other processes, results in file order.

A run with several folders (``validate providers/*/``, a pre-commit file list) can start checking
the first folders while the next ones are still being searched: :class:`Feeder` takes each folder's
files as discovery finds them and keeps the workers busy, within the same bounded window of chunks
that :func:`parallel_results` keeps, so discovery's time is spent beside the checking, not before it.
Nothing is reported before discovery ends, so a usage error still comes before any output.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import Options, RuleSet
    from .findings import ProfileResult
    from .resultcache import ResultCache

MAX_CHUNK = 64
WINDOW = 4  # chunks in flight per worker: results do not pile up ahead of the reader


def chunk_size(total: int, jobs: int) -> int:
    """Files per chunk: 64, or fewer so that every worker gets about eight chunks."""
    return max(1, min(MAX_CHUNK, total // (jobs * 8) or 1))


def _worker(paths: list[str], options: Options, online: list[dict[str, object] | None],
            cache: ResultCache | None = None) -> list[ProfileResult]:
    from .engine import check_file

    ruleset = _worker_ruleset(options)
    return [check_file(path, options, ruleset, data, cache) for path, data in zip(paths, online, strict=True)]


_WORKER_RULESETS: dict[str, RuleSet] = {}


def _worker_ruleset(options: Options) -> RuleSet:
    from .engine import RuleSet

    key = repr(options)
    if key not in _WORKER_RULESETS:
        _WORKER_RULESETS.clear()
        _WORKER_RULESETS[key] = RuleSet.build(options)
    return _WORKER_RULESETS[key]


class Feeder:
    """Files submitted to worker processes as discovery finds them (see the module's text)."""

    def __init__(self, jobs: int, options: Options, cache: ResultCache | None = None) -> None:
        self.jobs, self.options, self.cache = jobs, options, cache
        self.pool: ProcessPoolExecutor | None = None
        self.pending: deque[Future[list[ProfileResult]]] = deque()
        self.queued: list[str] = []
        self.total = 0

    def add(self, files: Sequence[str]) -> None:
        """More files, in report order. Chunks go out early only once a full chunk is certain (the chunk size
        of :func:`chunk_size` is 64 from ``jobs * 8 * 64`` files on), so the split is the one a finished
        list would get."""
        self.queued += files
        self.total += len(files)
        if self.total >= self.jobs * 8 * MAX_CHUNK:
            self._submit(MAX_CHUNK, final=False)

    def _submit(self, chunk: int, final: bool) -> None:
        while len(self.pending) < self.jobs * WINDOW and (len(self.queued) >= chunk or (final and self.queued)):
            if self.pool is None:
                self.pool = ProcessPoolExecutor(max_workers=self.jobs)
            batch, self.queued = self.queued[:chunk], self.queued[chunk:]
            self.pending.append(self.pool.submit(_worker, batch, self.options, [None] * len(batch), self.cache))

    @property
    def started(self) -> bool:
        return self.pool is not None

    def results(self) -> Iterator[ProfileResult]:
        """Every file's result in order, once discovery has ended."""
        assert self.pool is not None
        chunk = chunk_size(self.total, self.jobs)
        try:
            while self.pending or self.queued:
                self._submit(chunk, final=True)
                yield from self.pending.popleft().result()
        finally:  # the reader stopped early (an error, Ctrl-C): do not check what nobody will read
            self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def parallel_results(files: Sequence[str | os.PathLike[str]], options: Options, jobs: int,
                     online: Any = None, cache: ResultCache | None = None) -> Iterator[ProfileResult]:
    """Results of ``files`` checked by ``jobs`` worker processes, in the order of ``files``."""
    chunk = chunk_size(len(files), jobs)
    pending: deque[Future[list[ProfileResult]]] = deque()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        try:
            for start in range(0, len(files), chunk):
                batch = files[start:start + chunk]
                pending.append(pool.submit(_worker, [os.fspath(f) for f in batch], options,
                                           [online(f) if online else None for f in batch], cache))
                if len(pending) >= jobs * WINDOW:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            pool.shutdown(cancel_futures=True)
