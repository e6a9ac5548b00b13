"""A loopback HTTP server that replays recorded NPPES registry answers.

Every record of every JSON file in ``tests/fixtures/nppes/`` is indexed by NPI,
so ``?number=X`` answers ``{"result_count": 1, "results": [record]}`` with the
record in its original format (2019 or modern), or zero results for an unknown
NPI. Other queries (searches) answer with a chosen fixture file, optionally
paged by ``limit``/``skip`` with the real registry's clamping.

Switches on the :class:`ReplayServer` instance (set them per test; ``reset()``
restores the defaults) inject latency, HTTP 500/503/429, truncated bodies, HTML
maintenance pages, invalid JSON, ``Errors`` answers, huge bodies, redirects and
hangs. Every request is recorded (path, query parameters, headers), and the
number of requests in flight is tracked.
"""

from __future__ import annotations

import contextlib
import copy
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "nppes"
TEMPLATE_NPI = "1225701881"

Mode = Literal[
    "normal",
    "truncated",
    "html",
    "invalid_json",
    "wrong_shape",
    "errors",
    "huge",
    "redirect",
    "hang",
]

HTML_MAINTENANCE = (
    b"<!DOCTYPE html><html><head><title>NPPES NPI Registry - Maintenance</title></head>"
    b"<body><h1>The NPI Registry is undergoing scheduled maintenance.</h1>"
    b"<p>Please try again later.</p></body></html>"
)


def luhn_npi_ok(npi: str) -> bool:
    """True when ``npi`` is 10 digits with a valid 80840-prefixed Luhn check digit."""
    if len(npi) != 10 or not npi.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed("80840" + npi)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def make_npi(base9: str) -> str:
    """The valid NPI whose first nine digits are ``base9``."""
    for check in "0123456789":
        if luhn_npi_ok(base9 + check):
            return base9 + check
    raise AssertionError("unreachable")


class SleepRecorder:
    """A stand-in for ``time.sleep`` that records the delays and returns at once."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


class _Closable(Protocol):
    def close(self) -> None: ...


C = TypeVar("C", bound=_Closable)


@contextlib.contextmanager
def client_factory(cls: Callable[..., C], sleeps: SleepRecorder) -> Iterator[Callable[..., C]]:
    """Build clients of ``cls`` for a replay server: no cache, instant backoff, short timeout unless told.

    Every client built is closed when the block ends.
    """
    clients: list[C] = []

    def build(**kwargs: Any) -> C:
        kwargs.setdefault("cache", None)
        kwargs.setdefault("timeout", 2.0)
        kwargs.setdefault("sleep", sleeps)
        client = cls(**kwargs)
        clients.append(client)
        return client

    try:
        yield build
    finally:
        for client in clients:
            client.close()


@dataclass
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float

    @property
    def params(self) -> dict[str, str]:
        """The query parameters, last value wins."""
        return {k: v[-1] for k, v in self.query.items()}


@dataclass
class Switches:
    """What the server does to its answers. All off by default."""

    latency: float = 0.0
    fail_first: int = 0
    fail_status: int = 503
    retry_after: str | None = None
    mode: Mode = "normal"
    mode_first: int | None = None
    hang_seconds: float = 5.0
    huge_bytes: int = 20 * 1024 * 1024
    huge_declared_length: bool = True
    redirect_to: str | None = None
    errors_file: str = "errors_enumeration_type_requires_more_criteria.json"
    search_file: str = "search_multi_city_atlanta_10.json"
    search_paging: bool = False
    synthetic: bool = False
    synthetic_search_total: int | None = None
    set_cookie: bool = True


def _load_fixtures(folder: Path) -> tuple[dict[str, dict[str, Any]], dict[str, bytes]]:
    files = {p.name: p.read_bytes() for p in sorted(folder.glob("*.json"))}
    by_npi: dict[str, dict[str, Any]] = {}
    parsed = {name: json.loads(raw) for name, raw in files.items()}
    ordered = sorted(parsed.items(), key=lambda kv: (len(kv[1].get("results", [])) != 1, kv[0]))
    for _name, doc in ordered:
        for record in doc.get("results", []) or []:
            by_npi.setdefault(str(record.get("number")), record)
    return by_npi, files


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in two sends: with Nagle on, each answer waits ~40 ms

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        owner = self.server.owner
        index = owner._enter(self)
        try:
            owner._respond(self, index)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True
        finally:
            owner._leave()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    owner: ReplayServer


class ReplayServer:
    """The replay server; use as a context manager or call ``start()``/``stop()``."""

    def __init__(self, fixtures: Path = FIXTURES) -> None:
        self.records, self.files = _load_fixtures(fixtures)
        self.switches = Switches()
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._in_flight = 0
        self.max_in_flight = 0
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._pool_cache: list[dict[str, Any]] = []

    def __enter__(self) -> ReplayServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Listen on 127.0.0.1 on a free port, serving from a background thread."""
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Release hung handlers and shut down."""
        self._release.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The base URL to give the client (like ``https://npiregistry.cms.hhs.gov/api/``)."""
        return f"http://127.0.0.1:{self.port}/api/"

    def reset(self) -> None:
        """Default switches, no recorded requests; hung handlers are released."""
        self._release.set()
        deadline = time.monotonic() + 5
        while self._in_flight and time.monotonic() < deadline:
            time.sleep(0.01)
        with self._lock:
            self._release = threading.Event()
            self.switches = Switches()
            self.requests.clear()
            self.max_in_flight = 0

    def lookups(self) -> list[RecordedRequest]:
        """The recorded requests that carried a ``number``."""
        with self._lock:
            return [r for r in self.requests if "number" in r.query]

    def _enter(self, handler: BaseHTTPRequestHandler) -> int:
        split = urlsplit(handler.path)
        request = RecordedRequest(
            method=handler.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in handler.headers.items()},
            at=time.monotonic(),
        )
        with self._lock:
            self.requests.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            return len(self.requests)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        *,
        content_type: str = "text/plain",
        headers: dict[str, str] | None = None,
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        if self.switches.set_cookie:
            handler.send_header("Set-Cookie", "TS01=tracking; Path=/")
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    def _respond(self, handler: BaseHTTPRequestHandler, index: int) -> None:
        sw = self.switches
        if sw.latency:
            self._release.wait(sw.latency)
        if index <= sw.fail_first:
            extra = {"Retry-After": sw.retry_after} if sw.retry_after is not None else {}
            self._send(handler, sw.fail_status, b"<html><body>Service Unavailable</body></html>",
                       content_type="text/html", headers=extra)
            return
        mode = sw.mode if sw.mode_first is None or index <= sw.mode_first else "normal"
        if mode == "hang":
            self._release.wait(sw.hang_seconds)
            handler.close_connection = True
            return
        if mode == "redirect":
            target = sw.redirect_to or "http://registry.invalid/api/"
            self._send(handler, 302, b"", headers={"Location": target})
            return
        if mode == "html":
            self._send(handler, 200, HTML_MAINTENANCE, content_type="text/html")
            return
        if mode == "invalid_json":
            self._send(handler, 200, b'{"result_count": 1, "results": [{"number": ')
            return
        if mode == "wrong_shape":
            self._send(handler, 200, b'{"result_count": 1, "results": [{"foo": "bar"}]}')
            return
        if mode == "errors":
            self._send(handler, 200, self.files[sw.errors_file])
            return
        if mode == "huge":
            self._send_huge(handler)
            return
        body = self._answer(handler.path)
        if mode == "truncated":
            handler.send_response(200)
            handler.send_header("Content-Type", "text/plain")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            return
        self._send(handler, 200, body)

    def _send_huge(self, handler: BaseHTTPRequestHandler) -> None:
        total = self.switches.huge_bytes
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        if self.switches.huge_declared_length:
            handler.send_header("Content-Length", str(total))
        else:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        head = b'{"result_count": 0, "results": [], "padding": "'
        tail = b'"}'
        handler.wfile.write(head)
        chunk = b"x" * 65536
        remaining = total - len(head) - len(tail)
        while remaining > 0:
            piece = chunk[: min(len(chunk), remaining)]
            handler.wfile.write(piece)
            remaining -= len(piece)
        handler.wfile.write(tail)

    def _answer(self, raw_path: str) -> bytes:
        params = {k: v[-1] for k, v in parse_qs(urlsplit(raw_path).query, keep_blank_values=True).items()}
        if "number" in params:
            record = self._record_for(params["number"])
            results = [record] if record is not None else []
            return json.dumps({"result_count": len(results), "results": results}, indent=2).encode()
        sw = self.switches
        if not sw.search_paging and sw.synthetic_search_total is None:
            return self.files[sw.search_file]
        pool = self._search_pool()
        limit = _clamp_int(params.get("limit"), default=10, low=1, high=200)
        skip = _clamp_int(params.get("skip"), default=0, low=0, high=1000)
        page = pool[skip : skip + limit]
        return json.dumps({"result_count": len(page), "results": page}).encode()

    def _record_for(self, number: str) -> dict[str, Any] | None:
        record = self.records.get(number)
        if record is not None:
            return record
        if self.switches.synthetic and luhn_npi_ok(number):
            return self.synthetic_record(number)
        return None

    def synthetic_record(self, number: str) -> dict[str, Any]:
        """The template record (modern format) with ``number`` substituted."""
        record = copy.deepcopy(self.records[TEMPLATE_NPI])
        record["number"] = number
        return record

    def _search_pool(self) -> list[dict[str, Any]]:
        total = self.switches.synthetic_search_total
        if total is None:
            doc = json.loads(self.files[self.switches.search_file])
            return list(doc.get("results", []))
        if len(self._pool_cache) != total:
            self._pool_cache = [self.synthetic_record(make_npi(f"1{i:08d}")) for i in range(total)]
        return self._pool_cache


def _clamp_int(value: str | None, *, default: int, low: int, high: int) -> int:
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    if number < low:
        return default
    return min(number, high)


def synthetic_npis(count: int, start: int = 0) -> Iterator[str]:
    """``count`` valid NPIs that are not in the fixtures (for benchmarks)."""
    for i in range(start, start + count):
        yield make_npi(f"19{i:07d}")


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted: ``python tests/replay_server.py [--synthetic] [--latency S]``."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--synthetic", action="store_true", help="answer any valid unknown NPI from a template")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    args = parser.parse_args(argv)
    server = ReplayServer()
    server.switches.synthetic = args.synthetic
    server.switches.latency = args.latency
    with server:
        sys.stdout.write(f"PECOSCHECK_NPPES_URL={server.url}\n")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
