"""A small, careful HTTP layer shared by the online clients (NPPES, data.cms.gov).

Every request is a ``GET`` that expects JSON. Transient failures (connection
errors, timeouts, HTTP 5xx and 429) are retried with exponential backoff and
jitter; anything that still does not yield parseable JSON raises
:class:`UnavailableError`. Redirects are never followed, TLS verification is
never disabled, cookies are never stored or sent, and bodies larger than a
bound are refused.
"""

from __future__ import annotations

import email.utils
import json
import math
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from pecoscheck._version import __version__

if TYPE_CHECKING:  # httpx (~90 ms) and http.cookiejar are imported when the first request is made
    import http.cookiejar

    import httpx

__all__ = [
    "DEFAULT_ATTEMPTS",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_IN_FLIGHT",
    "DEFAULT_TIMEOUT",
    "TIMEOUT_ENV",
    "HttpClient",
    "UnavailableError",
    "user_agent",
]

DEFAULT_TIMEOUT = 10.0
DEFAULT_ATTEMPTS = 3
DEFAULT_MAX_IN_FLIGHT = 4
DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
DEFAULT_BACKOFF_BASE = 0.5
DEFAULT_BACKOFF_CAP = 8.0
DEFAULT_RETRY_AFTER_CAP = 30.0
TIMEOUT_ENV = "PECOSCHECK_HTTP_TIMEOUT"

T = TypeVar("T")
R = TypeVar("R")


class UnavailableError(Exception):
    """The service gave no usable answer (after retries where retrying made sense)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def user_agent() -> str:
    """The User-Agent every pecoscheck request carries."""
    return f"pecoscheck/{__version__} (+https://github.com/pecoscheck/pecoscheck)"


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def default_timeout() -> float:
    """``$PECOSCHECK_HTTP_TIMEOUT`` (seconds, positive and finite), else :data:`DEFAULT_TIMEOUT`."""
    try:
        value = float(os.environ.get(TIMEOUT_ENV, "").strip() or DEFAULT_TIMEOUT)
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 and math.isfinite(value) else DEFAULT_TIMEOUT


def _no_cookie_jar() -> http.cookiejar.CookieJar:
    import http.cookiejar

    return http.cookiejar.CookieJar(policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))


class HttpClient:
    """A thread-safe JSON-over-HTTP client with retries and a bound on requests in flight.

    ``timeout`` bounds each attempt as a whole (connect, wait and body).
    ``retries`` is the maximum number of attempts per request, the first one
    included (1 means no retry). ``sleep`` and ``rng`` are injectable so tests
    run fast and deterministically.
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float | None = None,
        retries: int = DEFAULT_ATTEMPTS,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        backoff_base: float = DEFAULT_BACKOFF_BASE,
        backoff_cap: float = DEFAULT_BACKOFF_CAP,
        retry_after_cap: float = DEFAULT_RETRY_AFTER_CAP,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if timeout == DEFAULT_TIMEOUT:  # left at the default: $PECOSCHECK_HTTP_TIMEOUT may change it
            timeout = default_timeout()
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        if retries < 1:
            raise ValueError("retries (the number of attempts) must be at least 1")
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        if max_body_bytes < 1:
            raise ValueError("max_body_bytes must be at least 1")
        self.timeout = timeout
        self.retries = retries
        self.max_in_flight = max_in_flight
        self.max_body_bytes = max_body_bytes
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.retry_after_cap = retry_after_cap
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 (backoff jitter, not cryptography)
        self._rng_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_in_flight)
        self._connect_timeout = min(timeout, connect_timeout if connect_timeout is not None else 5.0)
        self._httpx: httpx.Client | None = None
        self._httpx_lock = threading.Lock()
        self._closed = False

    @property
    def _client(self) -> httpx.Client:
        """The httpx client, made for the first request: answers served from a cache need neither httpx
        (about 90 ms to import) nor its TLS context (about 50 ms to load the CA certificates)."""
        if self._httpx is None:
            with self._httpx_lock:
                if self._httpx is None:
                    if self._closed:
                        raise RuntimeError("Cannot send a request, as the client has been closed.")
                    import httpx

                    timeout = self.timeout
                    self._httpx = httpx.Client(
                        timeout=httpx.Timeout(timeout, connect=self._connect_timeout, pool=timeout),
                        limits=httpx.Limits(max_connections=self.max_in_flight,
                                            max_keepalive_connections=self.max_in_flight),
                        headers={"User-Agent": user_agent(), "Accept": "application/json"},
                        cookies=_no_cookie_jar(),
                        follow_redirects=False,
                        verify=True,
                    )
        return self._httpx

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        with self._httpx_lock:
            self._closed = True
            if self._httpx is not None:
                self._httpx.close()

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based): exponential, jittered."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2.0 ** (attempt - 1))
        with self._rng_lock:
            jitter: float = self._rng.uniform(0, ceiling / 2)
        return ceiling / 2 + jitter

    def get_json(self, url: str, params: Mapping[str, str] | None = None) -> Any:
        """GET ``url`` with ``params`` and return the parsed JSON body.

        Raises :class:`UnavailableError` when no usable answer came back.
        """
        reason = "no attempt made"
        for attempt in range(1, self.retries + 1):
            try:
                with self._slots:
                    return self._attempt(url, params)
            except _Retryable as exc:
                reason = exc.reason
                if attempt == self.retries:
                    break
                delay = self.backoff(attempt)
                if exc.retry_after is not None:
                    delay = min(exc.retry_after, self.retry_after_cap)
                self._sleep(delay)
        plural = "s" if self.retries != 1 else ""
        raise UnavailableError(f"{reason} (after {self.retries} attempt{plural})")

    def fetch_many(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """Apply ``fn`` to every item with at most ``max_in_flight`` running at once; results in input order."""
        todo = list(items)
        if len(todo) <= 1:
            return [fn(item) for item in todo]
        with ThreadPoolExecutor(
            max_workers=min(self.max_in_flight, len(todo)), thread_name_prefix="pecoscheck-http"
        ) as pool:
            return list(pool.map(fn, todo))

    def _attempt(self, url: str, params: Mapping[str, str] | None) -> Any:
        import httpx

        deadline = time.monotonic() + self.timeout
        try:
            with self._client.stream("GET", url, params=dict(params or {})) as response:
                body = self._read_body(response, deadline)
        except httpx.TimeoutException:
            raise _Retryable(f"no answer within {self.timeout:g} s") from None
        except httpx.UnsupportedProtocol as exc:
            raise UnavailableError(f"unsupported URL: {exc}") from None
        except httpx.TransportError as exc:
            raise _Retryable(f"connection failed ({type(exc).__name__}: {exc})") from None
        except httpx.HTTPError as exc:
            raise UnavailableError(f"bad response ({type(exc).__name__}: {exc})") from None
        try:
            return json.loads(body)
        except (ValueError, RecursionError):
            raise UnavailableError("the answer is not JSON (maintenance page or damaged body?)") from None

    def _read_body(self, response: httpx.Response, deadline: float) -> bytes:
        status = response.status_code
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise _Retryable(f"HTTP {status}", retry_after)
        if 300 <= status < 400:
            where = response.headers.get("Location", "?")
            raise UnavailableError(f"HTTP {status} redirect to {where} (redirects are not followed)")
        if status >= 400 or status < 200:
            raise UnavailableError(f"HTTP {status}")
        declared = response.headers.get("Content-Length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.max_body_bytes:
            raise UnavailableError(f"answer too large ({int(declared)} bytes > {self.max_body_bytes})")
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > self.max_body_bytes:
                raise UnavailableError(f"answer too large (more than {self.max_body_bytes} bytes)")
            if time.monotonic() > deadline:
                raise _Retryable(f"answer not complete within {self.timeout:g} s")
        return bytes(body)
