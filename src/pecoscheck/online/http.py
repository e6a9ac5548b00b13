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
    "NotModified",
    "UnavailableError",
    "download_to",
    "plain_connect_error",
    "user_agent",
]

DEFAULT_TIMEOUT = 10.0
DEFAULT_ATTEMPTS = 3
DEFAULT_MAX_IN_FLIGHT = 4
DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
DEFAULT_BACKOFF_BASE = 0.5
DEFAULT_BACKOFF_CAP = 8.0
DEFAULT_RETRY_AFTER_CAP = 30.0
DEFAULT_RETRY_AFTER_BUDGET = 20.0  # the most one lookup waits on Retry-After, all attempts together
TIMEOUT_ENV = "PECOSCHECK_HTTP_TIMEOUT"

T = TypeVar("T")
R = TypeVar("R")


class UnavailableError(Exception):
    """The service gave no usable answer (after retries where retrying made sense).

    ``reason`` is one plain sentence for a user; ``offline`` is True when the
    host could not be reached at all (no network, a name that does not resolve,
    a refused connection), so a command can say so once.
    """

    def __init__(self, reason: str, *, offline: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.offline = offline


OFFLINE_HINT = "check the network connection (or a proxy or firewall) and try again"
_OFFLINE_PHRASES = ("could not be looked up", "connection was refused", "network is unreachable")


def is_offline_reason(reason: str) -> bool:
    """The reason (from :func:`plain_connect_error`) says the host could not be reached at all."""
    return any(p in reason for p in _OFFLINE_PHRASES)


def plain_connect_error(exc: BaseException) -> str:
    """A connection failure in plain words, without the library's class name or errno."""
    text = str(exc)
    lowered = text.lower()
    if ("name or service not known" in lowered or "nodename nor servname" in lowered or "errno -2" in lowered
            or "errno -3" in lowered or "getaddrinfo" in lowered or "temporary failure in name resolution"
            in lowered or "no address associated" in lowered):
        return "the server's name could not be looked up (no network connection?)"
    if "refused" in lowered:
        return "the connection was refused"
    if "unreachable" in lowered:
        return "the network is unreachable"
    if "peer closed" in lowered or "incomplete" in lowered or "without sending" in lowered:
        return "the connection closed before the answer was complete"
    if "reset" in lowered:
        return "the connection was reset"
    if "ssl" in lowered or "certificate" in lowered:
        return "the secure connection (TLS) could not be set up"
    return "the connection failed"


class RetryAfterBudget:
    """How long one lookup may still wait on ``Retry-After`` answers, all attempts together."""

    def __init__(self, total: float) -> None:
        self.left = max(0.0, total)
        self.total = self.left

    def take(self, asked: float, reason: str) -> float:
        """The wait to honour; UnavailableError (saying why) when the server asks for more than is left."""
        if asked > self.left:
            raise UnavailableError(
                f"{reason}: the server asked to retry after {asked:g} s, more than pecoscheck waits on one "
                f"lookup ({self.total:g} s in all); try again later")
        self.left -= asked
        return asked


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None, *, offline: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.offline = offline


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
        retry_after_budget: float = DEFAULT_RETRY_AFTER_BUDGET,
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
        self.retry_after_budget = retry_after_budget
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
        offline = False
        budget = RetryAfterBudget(min(self.retry_after_budget, self.retry_after_cap * max(1, self.retries - 1)))
        for attempt in range(1, self.retries + 1):
            try:
                with self._slots:
                    return self._attempt(url, params)
            except _Retryable as exc:
                reason, offline = exc.reason, exc.offline
                if attempt == self.retries:
                    break
                delay = self.backoff(attempt)
                if exc.retry_after is not None:
                    delay = budget.take(exc.retry_after, reason)
                self._sleep(delay)
        plural = "s" if self.retries != 1 else ""
        raise UnavailableError(f"{reason} (after {self.retries} attempt{plural})", offline=offline)

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
        except httpx.ConnectError as exc:
            raise _Retryable(plain_connect_error(exc), offline=True) from None
        except httpx.TransportError as exc:
            raise _Retryable(plain_connect_error(exc)) from None
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


DOWNLOAD_DEADLINE = 15 * 60.0


class NotModified(Exception):
    """The server answered 304: the copy on disk is current."""


def download_to(url: str, path: str | os.PathLike[str], headers: Mapping[str, str], *, timeout: float,
                retries: int = DEFAULT_ATTEMPTS, sleep: Callable[[float], None] = time.sleep, max_bytes: int,
                retry_after_budget: float = DEFAULT_RETRY_AFTER_BUDGET, redirect_hint: str = "",
                deadline: float = DOWNLOAD_DEADLINE) -> tuple[int, str | None]:
    """Stream ``url`` into ``path``: (bytes, Last-Modified). Raises :class:`NotModified` on 304.

    Connection errors, timeouts, 5xx and 429 are retried (``Retry-After``
    honoured within ``retry_after_budget`` seconds in all); a body shorter
    than its ``Content-Length`` is a failed attempt. Raises
    :class:`UnavailableError` (``status`` 404 is in its reason as ``HTTP 404``).
    """
    import httpx

    reason = "no attempt made"
    offline = False
    budget = RetryAfterBudget(retry_after_budget)
    rng = random.Random()  # noqa: S311 - backoff jitter, not security
    with httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)), follow_redirects=False,
                      headers={"User-Agent": user_agent(), **headers}, cookies=_no_cookie_jar()) as client:
        for attempt in range(1, retries + 1):
            retry_after: float | None = None
            try:
                with client.stream("GET", url) as response:
                    status = response.status_code
                    if status == 304:
                        raise NotModified
                    if status == 429 or status >= 500:
                        retry_after = parse_retry_after(response.headers.get("Retry-After"))
                        raise _Retryable(f"HTTP {status}", retry_after)
                    if 300 <= status < 400:
                        where = response.headers.get("Location", "?")
                        raise UnavailableError(f"HTTP {status} redirect to {where} (redirects are not followed"
                                               + (f"; {redirect_hint}" if redirect_hint else "") + ")")
                    if status != 200:
                        raise UnavailableError(f"HTTP {status}")
                    declared = response.headers.get("Content-Length", "")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise UnavailableError(f"file too large ({declared} bytes > {max_bytes})")
                    stop = time.monotonic() + deadline
                    size = 0
                    with open(path, "wb") as out:
                        for chunk in response.iter_bytes(1 << 16):
                            size += len(chunk)
                            if size > max_bytes:
                                raise UnavailableError(f"file too large (more than {max_bytes} bytes)")
                            if time.monotonic() > stop:
                                raise _Retryable(f"download not complete within {deadline:g} s")
                            out.write(chunk)
                    if declared.isdigit() and size != int(declared):
                        raise _Retryable(f"download cut short ({size} of {declared} bytes)")
                    return size, response.headers.get("Last-Modified")
            except _Retryable as exc:
                reason, offline = exc.reason, exc.offline
            except httpx.TimeoutException:
                reason, offline = f"no answer within {timeout:g} s", False
            except httpx.UnsupportedProtocol as exc:
                raise UnavailableError(f"unsupported URL: {exc}") from None
            except httpx.ConnectError as exc:
                reason, offline = plain_connect_error(exc), True
            except httpx.TransportError as exc:
                reason, offline = plain_connect_error(exc), False
            except httpx.HTTPError as exc:
                raise UnavailableError(f"bad response ({type(exc).__name__})") from None
            if attempt < retries:
                if retry_after is not None:
                    sleep(budget.take(retry_after, reason))
                else:
                    ceiling = min(DEFAULT_BACKOFF_CAP, DEFAULT_BACKOFF_BASE * 2.0 ** (attempt - 1))
                    sleep(ceiling / 2 + rng.uniform(0, ceiling / 2))
    plural = "s" if retries != 1 else ""
    raise UnavailableError(f"{reason} (after {retries} attempt{plural})", offline=offline)
