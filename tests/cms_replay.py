"""A loopback server for data.cms.gov and the OIG LEIE download, built on the NPPES replay server.

It reuses :class:`replay_server.ReplayServer` (threads, recorded requests,
requests in flight, and every failure switch: ``fail_first``, ``mode``,
``latency``, ...) and answers, on the same port:

* ``GET /data.json``: the real catalogue excerpt (``catalog_mode`` switches it
  to a maintenance page or a catalogue without the datasets);
* ``GET /data-api/v1/dataset/{id}/data?filter[COL]=VALUE&size=N&offset=M``:
  the rows of the constructed dataset whose ``COL`` equals ``VALUE``
  (case-insensitive, as the real API), paged; an unknown id answers like an
  error object;
* ``GET /data-api/v1/dataset/{id}/data/stats``: ``{"found_rows", "total_rows"}``;
* ``GET /exclusions/downloadables/UPDATED.csv``: an LEIE file (the real 2017
  subset unless ``leie_body`` is replaced) with ``Last-Modified``, honouring
  ``If-Modified-Since`` with 304;
* ``GET /exclusions/downloadables/YYYY/YYMMEXCL.csv`` (and ``REIN``): the
  monthly supplements put in ``leie_supplements`` (path -> body), else 404;
* anything else: the NPPES replay.
"""

from __future__ import annotations

import email.utils
import json
import re
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from replay_server import ReplayServer

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CMS_FIXTURES = FIXTURES / "cmsdata"
CONSTRUCTED = CMS_FIXTURES / "constructed"
LEIE_FIXTURES = FIXTURES / "leie"
CATALOG_FILE = CMS_FIXTURES / "cmsdata_catalog_data_json_excerpt.json"
LEIE_UPDATED = LEIE_FIXTURES / "oig_leie_UPDATED_psm_testsubset_2017.csv"
LEIE_DIR = "/exclusions/downloadables/"
LEIE_PATH = LEIE_DIR + "UPDATED.csv"
LEIE_LAST_MODIFIED = "Tue, 06 Jun 2017 12:00:00 GMT"

DATASET_FILES = {
    "2457ea29-fc82-48b0-86ec-3b0755de7515": "ppef_enrollment.json",
    "3746498e-874d-45d8-9c69-68603cafea60": "revalidation_due_date_list.json",
    "20f51cff-4137-4f3a-b6b7-bfc9ad57983b": "revalidation_reassignment_list.json",
    "c99b5865-1119-4436-bb80-c5af2773ea1f": "order_and_referring.json",
    "9887a515-7552-4693-bf58-735c77af46d7": "opt_out_affidavits.json",
}
_DATA_PATH = re.compile(r"^/data-api/v1/dataset/([0-9a-fA-F-]{36})/data(/stats)?/?$")
_FILTER = re.compile(r"^filter\[([^\]]+)\]$")
_CONDITION = re.compile(r"^filter\[([^\]]+)\]\[condition\]\[(path|operator|value)\]$")


class CmsReplayServer(ReplayServer):
    """The NPPES replay server plus data.cms.gov and LEIE routes."""

    def __init__(self) -> None:
        super().__init__()
        self.catalog = CATALOG_FILE.read_bytes()
        self.datasets: dict[str, list[dict[str, str]]] = {
            uuid: json.loads((CONSTRUCTED / name).read_text("utf-8")) for uuid, name in DATASET_FILES.items()
        }
        self.default_cms()

    def default_cms(self) -> None:
        """Switches of the CMS and LEIE routes back to normal."""
        self.catalog_mode = "normal"  # "normal" | "html" | "empty"
        self.dataset_alias: dict[str, str] = {}  # served id -> constructed id
        self.leie_body = LEIE_UPDATED.read_bytes()
        self.leie_last_modified: str | None = LEIE_LAST_MODIFIED
        self.broken_datasets: set[str] = set()  # ids answered with an error object
        self.leie_supplements: dict[str, bytes] = {}  # "/exclusions/downloadables/2017/1702EXCL.csv" -> body
        self.ignore_unknown_filters = False  # answer as if a filter on a column the dataset lacks were absent
        self.columns_renamed: dict[str, dict[str, str]] = {}  # dataset id -> {old column: new column}
        self.replaced_rows: dict[str, list[dict[str, str]]] = {}  # dataset id -> rows served instead
        self.extra_rows: dict[str, list[dict[str, str]]] = {}  # dataset id -> rows added to every answer

    def reset(self) -> None:
        super().reset()
        self.default_cms()

    @property
    def base(self) -> str:
        """The ``PECOSCHECK_CMS_DATA_URL`` value (like ``https://data.cms.gov``)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def leie_url(self) -> str:
        return f"{self.base}{LEIE_PATH}"

    def data_requests(self, uuid: str | None = None, *, column_checks: bool = False) -> list[Any]:
        """The recorded filtered ``/data`` queries (of one dataset id when given); with ``column_checks``,
        the unfiltered first-row reads the client makes to check a dataset's columns instead."""
        with self._lock:
            return [r for r in self.requests if _DATA_PATH.match(r.path)
                    and (uuid is None or uuid in r.path)
                    and any(k.startswith("filter[") for k in r.query) != column_checks]

    def _respond(self, handler: BaseHTTPRequestHandler, index: int) -> None:
        path = urlsplit(handler.path).path
        sw = self.switches
        mode = sw.mode if sw.mode_first is None or index <= sw.mode_first else "normal"
        if path == LEIE_PATH and index > sw.fail_first and mode == "normal":
            if sw.latency:
                self._release.wait(sw.latency)
            self._send_leie(handler)
            return
        if path.startswith(LEIE_DIR) and path != LEIE_PATH and index > sw.fail_first and mode == "normal":
            body = self.leie_supplements.get(path)
            if body is None:
                self._send(handler, 404, b"<html>Not Found</html>", content_type="text/html")
            else:
                self._send(handler, 200, body, content_type="text/csv")
            return
        super()._respond(handler, index)

    def _send_leie(self, handler: BaseHTTPRequestHandler) -> None:
        since = handler.headers.get("If-Modified-Since")
        headers = {"Last-Modified": self.leie_last_modified} if self.leie_last_modified else {}
        if since and self.leie_last_modified:
            try:
                if email.utils.parsedate_to_datetime(since) >= email.utils.parsedate_to_datetime(
                        self.leie_last_modified):
                    handler.send_response(304)
                    handler.send_header("Content-Length", "0")
                    handler.send_header("Last-Modified", self.leie_last_modified)
                    handler.end_headers()
                    return
            except (TypeError, ValueError):
                pass
        self._send(handler, 200, self.leie_body, content_type="text/csv", headers=headers)

    def _answer(self, raw_path: str) -> bytes:
        split = urlsplit(raw_path)
        if split.path == "/data.json":
            if self.catalog_mode == "html":
                return b"<html><body>Down for maintenance</body></html>"
            if self.catalog_mode == "empty":
                return b'{"dataset": []}'
            return self.catalog
        if split.path == LEIE_PATH:
            return self.leie_body
        match = _DATA_PATH.match(split.path)
        if match is None:
            return super()._answer(raw_path)
        uuid = self.dataset_alias.get(match.group(1).lower(), match.group(1).lower())
        if uuid in self.broken_datasets or uuid not in self.datasets:
            return json.dumps({"message": "Dataset not found", "code": 404}).encode()
        query = parse_qs(split.query, keep_blank_values=True)
        rows = self.replaced_rows.get(uuid, self.datasets[uuid])
        renamed = self.columns_renamed.get(uuid, {})
        if renamed:
            rows = [{renamed.get(k, k): v for k, v in r.items()} for r in rows]
        columns = set(rows[0]) if rows else set()
        for column, wanted in _filters(query):
            if self.ignore_unknown_filters and column not in columns:
                continue
            rows = [r for r in rows if str(r.get(column, "")).strip().upper() == wanted.strip().upper()]
        if any(k.startswith("filter[") for k in query):
            rows = rows + self.extra_rows.get(uuid, [])
        if match.group(2):
            return json.dumps({"found_rows": len(rows), "total_rows": len(self.datasets[uuid])}).encode()
        size = _int(query.get("size", ["1000"])[-1], 1000, 1, 5000)
        offset = _int(query.get("offset", ["0"])[-1], 0, 0, 10**9)
        return json.dumps(rows[offset: offset + size], separators=(",", ":")).encode()


def _filters(query: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(column, value) of every filter: ``filter[COL]=V`` or ``filter[N][condition][path]=COL`` + ``[value]=V``."""
    out = []
    conditions: dict[str, dict[str, str]] = {}
    for name, values in query.items():
        m = _CONDITION.match(name)
        if m:
            conditions.setdefault(m.group(1), {})[m.group(2)] = values[-1]
            continue
        m = _FILTER.match(name)
        if m:
            out.append((m.group(1), values[-1]))
    for parts in conditions.values():
        if "path" in parts:
            out.append((parts["path"], parts.get("value", "")))
    return out


def _int(text: str, default: int, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        return default
    return max(low, min(high, value))


def http_date(when: datetime) -> str:
    return email.utils.format_datetime(when.astimezone(UTC), usegmt=True)
