"""The shared HTTP layer against a real loopback server."""

from __future__ import annotations

import random
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from pecoscheck._version import __version__
from pecoscheck.online.http import HttpClient, UnavailableError, parse_retry_after, user_agent
from replay_server import ReplayServer, SleepRecorder

LOOKUP = {"version": "2.1", "number": "1720377294"}


@pytest.fixture
def http(sleeps: SleepRecorder) -> Iterator[HttpClient]:
    with HttpClient(timeout=2.0, sleep=sleeps, rng=random.Random(7)) as client:
        yield client


def test_parses_json_served_as_text_plain(replay: ReplayServer, http: HttpClient) -> None:
    data = http.get_json(replay.url, LOOKUP)
    assert data["result_count"] == 1
    assert data["results"][0]["basic"]["last_name"] == "HIZA"
    assert len(replay.requests) == 1


def test_sends_user_agent_and_no_cookies(replay: ReplayServer, http: HttpClient) -> None:
    http.get_json(replay.url, LOOKUP)
    http.get_json(replay.url, LOOKUP)
    assert len(replay.requests) == 2
    for request in replay.requests:
        assert request.headers["user-agent"] == (
            f"pecoscheck/{__version__} (+https://github.com/pecoscheck/pecoscheck)"
        )
        assert "cookie" not in request.headers
        assert set(request.headers) <= {"host", "accept", "accept-encoding", "connection", "user-agent"}
    assert user_agent().startswith(f"pecoscheck/{__version__} ")


def test_retries_5xx_then_succeeds(replay: ReplayServer, http: HttpClient, sleeps: SleepRecorder) -> None:
    replay.switches.fail_first = 2
    replay.switches.fail_status = 500
    data = http.get_json(replay.url, LOOKUP)
    assert data["results"][0]["number"] == 1720377294
    assert len(replay.requests) == 3
    assert len(sleeps.calls) == 2
    assert 0.25 <= sleeps.calls[0] <= 0.5
    assert 0.5 <= sleeps.calls[1] <= 1.0


def test_gives_up_after_the_attempt_limit(replay: ReplayServer, http: HttpClient, sleeps: SleepRecorder) -> None:
    replay.switches.fail_first = 100
    with pytest.raises(UnavailableError, match=r"HTTP 503 \(after 3 attempts\)"):
        http.get_json(replay.url, LOOKUP)
    assert len(replay.requests) == 3
    assert len(sleeps.calls) == 2


def test_honours_retry_after_on_429(replay: ReplayServer, http: HttpClient, sleeps: SleepRecorder) -> None:
    replay.switches.fail_first = 2
    replay.switches.fail_status = 429
    replay.switches.retry_after = "7"
    assert http.get_json(replay.url, LOOKUP)["result_count"] == 1
    assert sleeps.calls == [7.0, 7.0]
    assert len(replay.requests) == 3


def test_a_retry_after_beyond_the_budget_gives_up_at_once_and_says_why(replay: ReplayServer,
                                                                         sleeps: SleepRecorder) -> None:
    """Issue 16: ``Retry-After: 86400`` must not stretch a lookup; the message says what the server asked."""
    replay.switches.fail_first = 5
    replay.switches.fail_status = 429
    replay.switches.retry_after = "86400"
    with HttpClient(sleep=sleeps) as client, pytest.raises(UnavailableError) as caught:
        client.get_json(replay.url, LOOKUP)
    assert sleeps.calls == []
    assert len(replay.requests) == 1
    assert "retry after 86400 s" in caught.value.reason and "20 s in all" in caught.value.reason


def test_retry_after_waits_add_up_to_the_budget_at_most(replay: ReplayServer, sleeps: SleepRecorder) -> None:
    replay.switches.fail_first = 5
    replay.switches.fail_status = 503
    replay.switches.retry_after = "12"
    with HttpClient(sleep=sleeps, retries=4) as client, pytest.raises(UnavailableError, match="20 s in all"):
        client.get_json(replay.url, LOOKUP)
    assert sum(sleeps.calls) <= 20 and sleeps.calls == [12.0]


def test_client_error_is_not_retried(replay: ReplayServer, http: HttpClient) -> None:
    replay.switches.fail_first = 100
    replay.switches.fail_status = 404
    with pytest.raises(UnavailableError, match="HTTP 404"):
        http.get_json(replay.url, LOOKUP)
    assert len(replay.requests) == 1


@pytest.mark.parametrize(
    ("mode", "attempts", "message"),
    [
        ("html", 1, "not JSON"),
        ("invalid_json", 1, "not JSON"),
        ("truncated", 3, "connection closed before the answer was complete"),
    ],
)
def test_unusable_bodies(replay: ReplayServer, http: HttpClient, mode: str, attempts: int, message: str) -> None:
    replay.switches.mode = mode  # type: ignore[assignment]
    with pytest.raises(UnavailableError, match=message):
        http.get_json(replay.url, LOOKUP)
    assert len(replay.requests) == attempts


@pytest.mark.parametrize("declared", [True, False])
def test_refuses_a_20_mb_body(replay: ReplayServer, http: HttpClient, declared: bool) -> None:
    replay.switches.mode = "huge"
    replay.switches.huge_declared_length = declared
    started = time.monotonic()
    with pytest.raises(UnavailableError, match="too large"):
        http.get_json(replay.url, LOOKUP)
    assert time.monotonic() - started < 5
    assert len(replay.requests) == 1


def test_accepts_a_body_under_the_bound(replay: ReplayServer, sleeps: SleepRecorder) -> None:
    replay.switches.mode = "huge"
    replay.switches.huge_bytes = 1_000_000
    with HttpClient(sleep=sleeps, max_body_bytes=1_000_000) as client:
        assert client.get_json(replay.url, LOOKUP)["result_count"] == 0


def test_does_not_follow_redirects(replay: ReplayServer, http: HttpClient) -> None:
    with ReplayServer() as elsewhere:
        replay.switches.mode = "redirect"
        replay.switches.redirect_to = f"http://localhost:{elsewhere.port}/api/?number=1720377294"
        with pytest.raises(UnavailableError, match="redirect"):
            http.get_json(replay.url, LOOKUP)
        assert elsewhere.requests == []
    assert len(replay.requests) == 1


def test_hang_times_out_within_bound(replay: ReplayServer, sleeps: SleepRecorder) -> None:
    replay.switches.mode = "hang"
    replay.switches.hang_seconds = 30
    started = time.monotonic()
    with HttpClient(timeout=0.3, retries=2, sleep=sleeps) as client, \
            pytest.raises(UnavailableError, match=r"no answer within 0.3 s \(after 2 attempts\)"):
        client.get_json(replay.url, LOOKUP)
    assert time.monotonic() - started < 3
    assert len(replay.requests) == 2


def test_connection_refused_is_unavailable(sleeps: SleepRecorder) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with HttpClient(sleep=sleeps) as client, pytest.raises(UnavailableError) as caught:
        client.get_json(f"http://127.0.0.1:{port}/api/", LOOKUP)
    assert len(sleeps.calls) == 2
    assert caught.value.reason == "the connection was refused (after 3 attempts)" and caught.value.offline


def test_an_unresolvable_name_is_said_in_plain_words() -> None:
    """Issue 23: no ``ConnectError: [Errno -2]`` in what a user reads."""
    from pecoscheck.online.http import is_offline_reason, plain_connect_error

    text = plain_connect_error(OSError("[Errno -2] Name or service not known"))
    assert text == "the server's name could not be looked up (no network connection?)"
    assert is_offline_reason(text) and "Errno" not in text


def test_fetch_many_bounds_requests_in_flight(replay: ReplayServer, sleeps: SleepRecorder) -> None:
    replay.switches.latency = 0.15
    numbers = ["1720377294", "1225701881", "1568946812", "1174270805"] * 3
    with HttpClient(sleep=sleeps, max_in_flight=3) as client:
        answers = client.fetch_many(lambda n: client.get_json(replay.url, {"version": "2.1", "number": n}), numbers)
    assert [str(a["results"][0]["number"]) for a in answers] == numbers
    assert len(replay.requests) == 12
    assert 2 <= replay.max_in_flight <= 3


def test_the_semaphore_also_bounds_callers_own_threads(replay: ReplayServer, sleeps: SleepRecorder) -> None:
    import threading

    replay.switches.latency = 0.1
    with HttpClient(sleep=sleeps, max_in_flight=2) as client:
        threads = [threading.Thread(target=client.get_json, args=(replay.url, LOOKUP)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(replay.requests) == 8
    assert replay.max_in_flight == 2


def test_backoff_grows_and_is_capped() -> None:
    client = HttpClient(backoff_base=1.0, backoff_cap=4.0, rng=random.Random(1))
    try:
        delays = [client.backoff(n) for n in range(1, 7)]
    finally:
        client.close()
    assert 0.5 <= delays[0] <= 1.0
    assert 1.0 <= delays[1] <= 2.0
    assert all(2.0 <= d <= 4.0 for d in delays[2:])


def test_parse_retry_after() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(" 2.5 ") == 2.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    later = (now + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(later, now=now) == 90.0


def test_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        HttpClient(retries=0)
    with pytest.raises(ValueError):
        HttpClient(max_in_flight=0)
    with pytest.raises(ValueError):
        HttpClient(timeout=0)
