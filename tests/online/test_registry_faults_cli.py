"""Registry faults seen through `pecoscheck validate --nppes` (issue 6).

The HTTP layer and the client have their own fault tests (test_http.py,
test_nppes_client.py); these check what a user sees: the exit code (3 when
the registry could not be reached), the offline findings still reported, the
reason in the JSON report, a bounded run time, and no traceback. The CLI's
timeout is shortened with ``PECOSCHECK_HTTP_TIMEOUT``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pecoscheck
from pecoscheck.cli import app
from pecoscheck.online.http import DEFAULT_TIMEOUT, TIMEOUT_ENV, HttpClient, default_timeout
from replay_server import ReplayServer

SRC = Path(__file__).resolve().parents[2] / "src" / "pecoscheck"
PKG = Path(pecoscheck.__file__).resolve().parent  # where the running code is (site-packages in CI)
PROFILE = """\
schema_version: 1
provider:
  kind: individual
  npi: "1720377294"
  name: {first: Elise, middle: Aileen, last: Hiza, credential: MD}
  taxonomies:
    - {code: 207X00000X, primary: true, license_state: NC}
enrollment:
  action: initial
licenses:
  - {state: NC, number: 2017-01132, status: active, expires: 2028-06-30}
practice_locations:
  - address: {line1: 111 Victoria Road, city: Asheville, state: NC, zip: 28801-4811}
    primary: true
identity_access: {holder: Elise Hiza, role: individual_provider, systems: [PECOS]}
documents:
  - {type: state_license, file: license.pdf}
"""
runner = CliRunner()


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(PROFILE, "utf-8")
    (tmp_path / "license.pdf").write_bytes(b"%PDF-1.7 specimen\n")
    return path


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setenv(TIMEOUT_ENV, "0.5")
    return 0.5


def validate(profile: Path, *extra: str) -> tuple[int, dict[str, object], str]:
    r = runner.invoke(app, ["validate", str(profile), "--nppes", "-f", "json", "--as-of", "2026-11-26",
                            "--select", "NPPES,NPI", *extra])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.stdout
    # stderr is shared with the replay server's threads, whose socketserver may print a traceback of its own
    # when the client hangs up on a huge body: only a traceback through pecoscheck's code counts
    assert str(PKG) not in r.stderr, r.stderr
    return r.exit_code, json.loads(r.stdout), r.stderr


def _rules(doc: dict[str, object]) -> list[str]:
    return [f["rule"] for p in doc["profiles"] for f in p["findings"]]  # type: ignore[attr-defined, index]


@pytest.mark.parametrize(("mode", "reason", "attempts"), [
    ("huge", r"answer too large \(20971520 bytes > 5242880\)", 1),
    ("redirect", r"HTTP 302 redirect to http://registry\.invalid/api/ \(redirects are not followed\)", 1),
    ("invalid_json", r"the answer is not JSON", 1),
    ("html", r"the answer is not JSON", 1),
    ("wrong_shape", r"unexpected record shape", 1),
    ("truncated", r"the connection closed before the answer was complete \(after 3 attempts\)", 3),
    ("hang", r"no answer within 0\.5 s \(after 3 attempts\)", 3),
])
def test_unusable_registry_exits_3_with_the_reason(nppes_env: ReplayServer, profile: Path, short_timeout: float,
                                                   mode: str, reason: str, attempts: int) -> None:
    nppes_env.switches.mode = mode  # type: ignore[assignment]
    nppes_env.switches.hang_seconds = 30
    started = time.monotonic()
    code, doc, _ = validate(profile)
    assert time.monotonic() - started < 20
    assert code == 3
    assert doc["registry_unavailable"] is True
    assert re.search(reason, doc["unavailable"]["nppes"]), doc["unavailable"]  # type: ignore[index]
    assert _rules(doc) == ["NPPES009"]
    assert len(nppes_env.requests) == attempts


def test_a_20_mb_body_without_length_is_refused(nppes_env: ReplayServer, profile: Path,
                                                 short_timeout: float) -> None:
    nppes_env.switches.mode = "huge"
    nppes_env.switches.huge_declared_length = False
    code, doc, _ = validate(profile)
    assert code == 3
    assert doc["unavailable"] == {"nppes": "answer too large (more than 5242880 bytes)"}


def test_redirect_to_another_host_is_not_followed(nppes_env: ReplayServer, profile: Path,
                                                  short_timeout: float) -> None:
    with ReplayServer() as elsewhere:
        elsewhere.switches.synthetic = True
        nppes_env.switches.mode = "redirect"
        nppes_env.switches.redirect_to = f"http://localhost:{elsewhere.port}/api/?version=2.1&number=1720377294"
        code, doc, _ = validate(profile)
        assert code == 3 and "redirects are not followed" in doc["unavailable"]["nppes"]  # type: ignore[index]
        assert elsewhere.requests == []
    assert len(nppes_env.requests) == 1


def test_errors_answer_is_reported_not_a_crash(nppes_env: ReplayServer, profile: Path, short_timeout: float) -> None:
    nppes_env.switches.mode = "errors"
    code, doc, _ = validate(profile)
    [finding] = doc["profiles"][0]["findings"]  # type: ignore[index]
    assert finding["rule"] == "NPPES009"
    assert finding["message"].startswith("NPPES comparison skipped: the registry refused the query")
    assert "enumeration_type" in finding["message"]
    assert code == 0 and "registry_unavailable" not in doc  # the registry answered: it was reachable


def test_429_with_retry_after_is_waited_for_then_answered(nppes_env: ReplayServer, profile: Path,
                                                          short_timeout: float) -> None:
    nppes_env.switches.fail_first = 1
    nppes_env.switches.fail_status = 429
    nppes_env.switches.retry_after = "1"
    code, doc, _ = validate(profile)
    assert code == 0, doc
    assert _rules(doc) == []
    first, second = nppes_env.requests
    assert second.at - first.at >= 0.9  # Retry-After: 1 was honoured (the jittered backoff alone is shorter)


def test_429_forever_exits_3(nppes_env: ReplayServer, profile: Path, short_timeout: float) -> None:
    nppes_env.switches.fail_first = 100
    nppes_env.switches.fail_status = 429
    nppes_env.switches.retry_after = "0"
    code, doc, _ = validate(profile)
    assert code == 3 and doc["unavailable"] == {"nppes": "HTTP 429 (after 3 attempts)"}
    assert len(nppes_env.requests) == 3


def test_hanging_registry_in_a_real_process_exits_3_in_bounded_time(nppes_env: ReplayServer, profile: Path,
                                                                    tmp_path: Path) -> None:
    nppes_env.switches.mode = "hang"
    nppes_env.switches.hang_seconds = 60
    env = {**os.environ, TIMEOUT_ENV: "0.5", "NO_COLOR": "1"}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pecoscheck", "validate", str(profile), "--nppes",
                           "--as-of", "2026-11-26", "--select", "NPPES,NPI"], capture_output=True, text=True,
                          env=env, timeout=60)
    elapsed = time.monotonic() - started
    assert proc.returncode == 3, proc.stderr
    assert elapsed < 20  # three 0.5 s attempts and two backoffs, not three default 10 s timeouts
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "NPPES009" in proc.stdout and "could not reach the NPPES registry" in proc.stdout


def test_timeout_from_the_environment_only_replaces_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    assert default_timeout() == DEFAULT_TIMEOUT
    for bad in ("", "soon", "0", "-1", "nan", "inf"):
        monkeypatch.setenv(TIMEOUT_ENV, bad)
        assert default_timeout() == DEFAULT_TIMEOUT, bad
    monkeypatch.setenv(TIMEOUT_ENV, "2.5")
    with HttpClient() as default, HttpClient(timeout=4.0) as chosen:
        assert (default.timeout, chosen.timeout) == (2.5, 4.0)


def test_tls_verification_is_never_turned_off() -> None:
    offenders = []
    pattern = re.compile(r"verify\s*=\s*(False|0|None)\b|CERT_NONE|check_hostname\s*=\s*False|"
                         r"_create_unverified_context|PYTHONHTTPSVERIFY|follow_redirects\s*=\s*True")
    for path in sorted(SRC.rglob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []
    text = (SRC / "online" / "http.py").read_text("utf-8")
    assert "verify=True" in text and "follow_redirects=False" in text
