"""The program's start and end (``pecoscheck._process``): the paused collector and the fast exit."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pecoscheck import _process

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "solo-practitioner" / "profile.yaml"


def test_pause_and_resume_leave_the_collector_as_found() -> None:
    assert gc.isenabled()
    _process.pause_gc()
    try:
        assert not gc.isenabled()
        _process.pause_gc()  # already paused: resume still turns it back on
    finally:
        _process.resume_gc()
    assert gc.isenabled()
    _process.resume_gc()  # nothing paused: no change
    assert gc.isenabled()


def test_resume_does_not_enable_a_collector_someone_else_disabled() -> None:
    gc.disable()
    try:
        _process.pause_gc()
        _process.resume_gc()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_hard_exit_flushes_then_leaves_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    class Left(Exception):
        pass

    def fake_exit(code: int) -> None:
        calls.append(code)
        raise Left

    monkeypatch.setattr(_process.os, "_exit", fake_exit)
    monkeypatch.setattr(sys.stdout, "flush", lambda: calls.append("flush"))
    with pytest.raises(Left):
        _process.hard_exit(3)
    assert calls == ["flush", 3]


def test_hard_exit_takes_the_ordinary_exit_while_a_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_process.os, "_exit", lambda code: pytest.fail("os._exit with a thread running"))
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        with pytest.raises(SystemExit) as info:
            _process.hard_exit(1)
        assert info.value.code == 1
    finally:
        stop.set()
        worker.join()


def test_hard_exit_takes_the_ordinary_exit_when_output_cannot_be_flushed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_process.os, "_exit", lambda code: pytest.fail("os._exit with output unflushed"))

    def broken() -> None:
        raise BrokenPipeError

    monkeypatch.setattr(sys.stdout, "flush", broken)
    with pytest.raises(SystemExit) as info:
        _process.hard_exit(0)
    assert info.value.code == 0


@pytest.mark.parametrize(("extra", "code"), [([], 0), (["--select", "NOSUCH999"], 2)])
def test_the_program_exits_with_its_code_and_a_complete_report(tmp_path: Path, extra: list[str], code: int) -> None:
    """Through the console entry point (hard exit): the exit code and every byte of the report, to a pipe and a file."""
    args = [sys.executable, "-m", "pecoscheck", "validate", str(EXAMPLE), "--as-of", "2026-11-26", "--no-cache",
            "-f", "json", *extra]
    piped = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert piped.returncode == code, piped.stderr
    out = tmp_path / "report.json"
    written = subprocess.run([*args, "-o", str(out)], capture_output=True, text=True, timeout=120, check=False)
    assert written.returncode == code
    if code == 0:
        assert piped.stdout.rstrip().endswith("}")
        assert out.read_text("utf-8") == piped.stdout
    else:
        assert "NOSUCH999" in piped.stderr
