"""The data.cms.gov Data API v1 client: filtered queries by NPI over HTTP, through the cache."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any

from pecoscheck.online.cache import DiskCache
from pecoscheck.online.http import (
    DEFAULT_ATTEMPTS,
    DEFAULT_MAX_IN_FLIGHT,
    HttpClient,
    UnavailableError,
)

from .datasets import (
    _CATALOG_FORMAT,
    CATALOG_MAX_BYTES,
    CATALOG_TTL,
    DATA_TTL,
    DATASETS,
    DEFAULT_CMS_TIMEOUT,
    GROUP_ENROLLMENT_COLUMN,
    MAX_ROWS,
    PAGE_SIZE,
    ColumnsError,
    DatasetRef,
    _catalog_refs,
    _label,
    cms_data_base_url,
    fallback_refs,
    filter_params,
)
from .models import Enrollment, OptOut, OrderReferring, PecosRecord, Reassignment, Revalidation, _int
from .results import (
    Found,
    LookupResult,
    NotFound,
    QueryResult,
    Stats,
    Unavailable,
    _Outcome,
    _Query,
    _rows,
)


class CmsDataClient:
    """data.cms.gov Data API client: retries, bounded concurrency, disk cache with TTL.

    ``base_url`` defaults to ``$PECOSCHECK_CMS_DATA_URL`` or ``https://data.cms.gov``.
    ``cache``: True (default) uses a :class:`DiskCache` in the default folder
    with ``ttl`` (rows) and ``catalog_ttl`` (dataset ids, in the same
    folder unless ``catalog_cache`` is given); False or None disables caching
    (``--no-cache``); or pass a cache. ``http`` shares an
    existing :class:`HttpClient` (``close()`` then leaves it open).
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        cache: DiskCache | bool | None = True,
        ttl: float = DATA_TTL,
        catalog_ttl: float = CATALOG_TTL,
        catalog_cache: DiskCache | None = None,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        timeout: float = DEFAULT_CMS_TIMEOUT,
        retries: int = DEFAULT_ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
        http: HttpClient | None = None,
        page_size: int = PAGE_SIZE,
        max_rows: int = MAX_ROWS,
        use_catalog: bool = True,
        check_datasets: bool = True,
    ) -> None:
        self.base_url = (base_url or cms_data_base_url()).rstrip("/")
        if cache is True:
            self.cache: DiskCache | None = DiskCache(ttl=ttl)
        elif cache is False or cache is None:
            self.cache = None
        else:
            self.cache = cache
        if self.cache is None:
            self.catalog_cache: DiskCache | None = None
        else:
            self.catalog_cache = catalog_cache or DiskCache(self.cache.folder, ttl=catalog_ttl)
        self._owns_http = http is None
        self.http = http or HttpClient(timeout=timeout, retries=retries, max_in_flight=max_in_flight, sleep=sleep)
        self._catalog_timeout = max(timeout, 30.0)
        self._retries = retries
        self._sleep = sleep
        self.page_size = max(1, min(page_size, 5000))
        self.max_rows = max(self.page_size, max_rows)
        self.use_catalog = use_catalog
        self._refs: dict[str, DatasetRef] | None = None
        self.catalog_problem: str | None = None
        self._refs_lock = threading.Lock()
        self._checked: set[str] = set()
        self._column_problems: dict[str, UnavailableError] = {}
        self._column_lock = threading.Lock()
        self.check_datasets = check_datasets

    def __enter__(self) -> CmsDataClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Release the connections (only those this client opened)."""
        if self._owns_http:
            self.http.close()

    # -- dataset ids

    @property
    def catalog_url(self) -> str:
        return f"{self.base_url}/data.json"

    def dataset_refs(self) -> dict[str, DatasetRef]:
        """The id of each dataset: from the catalogue (cached), else the known ids."""
        with self._refs_lock:
            if self._refs is None:
                self._refs = self._resolve_refs()
            return self._refs

    def _resolve_refs(self) -> dict[str, DatasetRef]:
        refs = fallback_refs()
        if not self.use_catalog:
            return refs
        key = {"pecoscheck": _CATALOG_FORMAT}
        if self.catalog_cache is not None:
            cached = self.catalog_cache.get(self.catalog_url, key)
            if isinstance(cached, dict):
                try:
                    return {**refs, **{k: DatasetRef.model_validate(v) for k, v in cached.items() if k in refs}}
                except ValueError:
                    pass
        try:
            with HttpClient(timeout=self._catalog_timeout, retries=self._retries, sleep=self._sleep,
                            max_body_bytes=CATALOG_MAX_BYTES) as catalog_http:
                data = catalog_http.get_json(self.catalog_url)
            found = _catalog_refs(data)
        except UnavailableError as exc:
            self.catalog_problem = exc.reason
            return refs
        missing = sorted(set(refs) - set(found))
        if missing:
            self.catalog_problem = "not in the catalogue: " + ", ".join(DATASETS[m].title for m in missing)
        if self.catalog_cache is not None and found:
            self.catalog_cache.put(self.catalog_url, key, {k: v.model_dump() for k, v in found.items()})
        return {**refs, **found}

    def data_url(self, dataset: str) -> str:
        return f"{self.base_url}/data-api/v1/dataset/{self.dataset_refs()[dataset].id}/data"

    # -- raw queries

    def columns(self, dataset: str) -> list[str]:
        """The column names of ``dataset``, from its first row (cached like the catalogue).

        Raises :class:`UnavailableError` when the first page cannot be read or is empty.
        """
        url = self.data_url(dataset)
        key = {"pecoscheck": "columns-1", "size": "1", "offset": "0"}
        if self.catalog_cache is not None:
            cached = self.catalog_cache.get(url, key)
            if isinstance(cached, list) and cached and all(isinstance(c, str) for c in cached):
                return cached
        rows = _rows(self.http.get_json(url, {"size": "1", "offset": "0"}))
        if not rows:
            raise UnavailableError(f"the data.cms.gov dataset {_label(dataset)!r} returned no row to read its "
                                   "columns from")
        names = list(rows[0])
        if self.catalog_cache is not None:
            self.catalog_cache.put(url, key, names)
        return names

    def check_columns(self, dataset: str) -> None:
        """Raise :class:`ColumnsError` when ``dataset`` lacks a column the client reads (checked once per client)."""
        with self._column_lock:
            if dataset in self._checked:
                return
            problem = self._column_problems.get(dataset)
            if problem is not None:
                raise problem
            try:
                names = self.columns(dataset)
                missing = [c for c in DATASETS[dataset].columns if c not in names]
                if missing:
                    raise ColumnsError(dataset, missing, names)
            except UnavailableError as exc:
                self._column_problems[dataset] = exc
                raise
            self._checked.add(dataset)

    def query(self, dataset: str, column: str, value: str) -> QueryResult:
        """Every row of ``dataset`` whose ``column`` equals ``value`` (paged; capped at ``max_rows``).

        The dataset's columns are checked first (:meth:`check_columns`). Rows
        whose ``column`` is not ``value`` are dropped and counted in
        ``QueryResult.dropped``; when a whole page is such rows, the API
        ignored the filter and :class:`UnavailableError` says so. Raises
        :class:`UnavailableError` when a page gave no usable answer.
        """
        if dataset not in DATASETS:
            raise ValueError(f"unknown dataset {dataset!r}")
        if self.check_datasets:
            self.check_columns(dataset)
        url = self.data_url(dataset)
        rows: list[dict[str, str]] = []
        offset = 0
        all_cached = True
        truncated = False
        dropped = 0
        wanted = value.strip().upper()
        while True:
            params = {**filter_params(column, value), "size": str(self.page_size), "offset": str(offset)}
            page, cached = self._get_rows(url, params)
            all_cached = all_cached and cached
            mine = [r for r in page if r.get(column, "").strip().upper() == wanted]
            if page and not mine:
                raise UnavailableError(f"the data.cms.gov dataset {_label(dataset)!r} answered a query for "
                                       f"{column} = {value} with {len(page)} rows for other values (the filter "
                                       "was ignored), so its answer cannot be trusted")
            dropped += len(page) - len(mine)
            rows.extend(mine)
            if len(page) < self.page_size:
                break
            offset += self.page_size
            if offset >= self.max_rows:
                truncated = True
                break
        return QueryResult(rows=tuple(rows), from_cache=all_cached, truncated=truncated,
                           dataset=self.dataset_refs()[dataset], dropped=dropped)

    def stats(self, dataset: str, column: str | None = None, value: str | None = None) -> Stats:
        """``/data/stats`` for ``dataset`` (optionally filtered). Raises :class:`UnavailableError`."""
        url = self.data_url(dataset) + "/stats"
        params = filter_params(column, value) if column and value is not None else {}
        data = self.http.get_json(url, params)
        if not isinstance(data, dict):
            raise UnavailableError("unexpected stats answer: not an object")
        found, total = _int(data.get("found_rows")), _int(data.get("total_rows"))
        if found is None or total is None:
            raise UnavailableError("unexpected stats answer: no found_rows/total_rows")
        return Stats(found_rows=found, total_rows=total)

    def _get_rows(self, url: str, params: Mapping[str, str]) -> tuple[list[dict[str, str]], bool]:
        if self.cache is not None:
            cached = self.cache.get(url, params)
            if cached is not None:
                try:
                    return _rows(cached), True
                except UnavailableError:
                    pass
        data = self.http.get_json(url, params)
        rows = _rows(data)
        if self.cache is not None:
            self.cache.put(url, params, rows)
        return rows, False

    # -- lookups

    def check_npi(self, npi: str) -> str:
        """The NPI without surrounding blanks; ValueError (before any request) if it is not a valid NPI."""
        from pecoscheck.npi import problem

        text = npi.strip() if isinstance(npi, str) else ""
        found = problem(text) if text else ("NPI001", "empty NPI")
        if found is not None:
            raise ValueError(f"not a valid NPI: {npi!r} ({found[1]})")
        return text

    def lookup(self, npi: str, *, group_reassignments: bool = True) -> LookupResult:
        """What the five datasets hold for one NPI. Raises ValueError, before any request, for an invalid NPI."""
        return self.lookup_many([npi], group_reassignments=group_reassignments)[0]

    def lookup_many(self, npis: Iterable[str], *, group_reassignments: bool = False,
                    datasets: Sequence[str] = tuple(DATASETS)) -> list[LookupResult]:
        """Look many NPIs up; every (NPI, dataset) query runs concurrently (bounded). Results in input order.

        Every NPI is checked first, so an invalid one raises ValueError before
        any request. With ``group_reassignments``, the reassignments *to* each
        organization enrollment found are fetched too (``direction="from"``).
        """
        numbers = [self.check_npi(n) for n in npis]
        unique = list(dict.fromkeys(numbers))
        refs = self.dataset_refs()
        queries = [_Query(d, DATASETS[d].npi_column, n) for n in unique for d in datasets]
        outcomes = self._run(queries)
        records: dict[str, PecosRecord] = {}
        cached: dict[str, bool] = {}
        for n in unique:
            records[n], cached[n] = self._assemble(n, {q.dataset: outcomes[q] for q in queries if q.value == n},
                                                   refs)
        if group_reassignments:
            self._add_group_reassignments(records, cached)
        results: dict[str, LookupResult] = {}
        for n, record in records.items():
            if record.unavailable:
                results[n] = Unavailable(record=record, reason=summarise(record.unavailable))
            elif record.any_rows:
                results[n] = Found(record=record, from_cache=cached[n])
            else:
                results[n] = NotFound(record=record, from_cache=cached[n])
        return [results[n] for n in numbers]

    def _run(self, queries: Sequence[_Query]) -> dict[_Query, _Outcome]:
        def one(q: _Query) -> _Outcome:
            try:
                return _Outcome(result=self.query(q.dataset, q.column, q.value))
            except UnavailableError as exc:
                return _Outcome(error=exc.reason)

        unique = list(dict.fromkeys(queries))
        return dict(zip(unique, self.http.fetch_many(one, unique), strict=True))

    def _assemble(self, npi: str, outcomes: Mapping[str, _Outcome],
                  refs: Mapping[str, DatasetRef]) -> tuple[PecosRecord, bool]:
        parsed: dict[str, tuple[Any, ...]] = {}
        unavailable: dict[str, str] = {}
        truncated: list[str] = []
        dropped: dict[str, int] = {}
        from_cache = True
        builders: dict[str, Callable[[Mapping[str, str]], Any]] = {
            "enrollment": Enrollment.from_row,
            "revalidation": Revalidation.from_row,
            "reassignment": lambda row: Reassignment.from_row(row, "to"),
            "order_referring": OrderReferring.from_row,
            "opt_out": OptOut.from_row,
        }
        for dataset, outcome in outcomes.items():
            if outcome.result is None:
                unavailable[dataset] = outcome.error or "no answer"
                parsed[dataset] = ()
                continue
            from_cache = from_cache and outcome.result.from_cache
            if outcome.result.truncated:
                truncated.append(dataset)
            if outcome.result.dropped:
                dropped[dataset] = outcome.result.dropped
            try:
                parsed[dataset] = tuple(builders[dataset](row) for row in outcome.result.rows)
            except ValueError as exc:
                unavailable[dataset] = f"unexpected row shape: {exc}"
                parsed[dataset] = ()
        record = PecosRecord(
            npi=npi,
            enrollments=parsed.get("enrollment", ()),
            revalidations=parsed.get("revalidation", ()),
            reassignments=parsed.get("reassignment", ()),
            order_referring=parsed.get("order_referring", ()),
            opt_outs=parsed.get("opt_out", ()),
            unavailable=unavailable,
            truncated=tuple(truncated),
            dropped=dropped,
            sources={k: refs[k] for k in outcomes if k in refs},
        )
        return record, from_cache

    def _add_group_reassignments(self, records: dict[str, PecosRecord], cached: dict[str, bool]) -> None:
        wanted: dict[_Query, list[str]] = {}
        for npi, record in records.items():
            for e in record.enrollments:
                if e.kind == "organization" and e.enrollment_id:
                    q = _Query("reassignment", GROUP_ENROLLMENT_COLUMN, e.enrollment_id)
                    wanted.setdefault(q, []).append(npi)
        if not wanted:
            return
        outcomes = self._run(list(wanted))
        for q, npis in wanted.items():
            outcome = outcomes[q]
            for npi in npis:
                record = records[npi]
                if outcome.result is None:
                    unavailable = {**record.unavailable, "reassignment": outcome.error or "no answer"}
                    records[npi] = record.model_copy(update={"unavailable": unavailable})
                    continue
                extra = tuple(Reassignment.from_row(row, "from") for row in outcome.result.rows)
                truncated = record.truncated + (("reassignment",) if outcome.result.truncated else ())
                dropped = dict(record.dropped)
                if outcome.result.dropped:
                    dropped["reassignment"] = dropped.get("reassignment", 0) + outcome.result.dropped
                records[npi] = record.model_copy(update={"reassignments": record.reassignments + extra,
                                                         "truncated": tuple(dict.fromkeys(truncated)),
                                                         "dropped": dropped})
                cached[npi] = cached[npi] and outcome.result.from_cache


def cached_dataset_refs(base_url: str | None = None, cache: DiskCache | None = None) -> dict[str, DatasetRef] | None:
    """The dataset ids resolved from the catalogue and still cached (no request is made), or None."""
    base = (base_url or cms_data_base_url()).rstrip("/")
    store = cache or DiskCache(ttl=CATALOG_TTL)
    cached = store.get(f"{base}/data.json", {"pecoscheck": _CATALOG_FORMAT})
    if not isinstance(cached, dict):
        return None
    try:
        return {k: DatasetRef.model_validate(v) for k, v in cached.items() if k in DATASETS}
    except ValueError:
        return None



def summarise(problems: Mapping[str, str]) -> str:
    """Why datasets could not be read, each distinct reason once: ``reason`` or ``Title: reason; ...``."""
    by_reason: dict[str, list[str]] = {}
    for dataset, why in problems.items():
        by_reason.setdefault(why, []).append(_label(dataset))
    if len(by_reason) == 1 and len(problems) > 1:
        return next(iter(by_reason))
    return "; ".join(f"{', '.join(titles)}: {why}" for why, titles in by_reason.items())
