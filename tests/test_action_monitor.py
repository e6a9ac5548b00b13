"""action.yml with `command: monitor` and `baseline`: the check step as written, offline."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import AS_OF
from test_action import ACTION, run_step


def test_inputs() -> None:
    inputs = ACTION["inputs"]
    assert inputs["command"]["default"] == "validate" and inputs["baseline"]["default"] == ""
    assert inputs["state"]["default"].endswith(".json")


def test_monitor_writes_state_summary_and_sarif(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    state = tmp_path / "state.json"
    inputs = {"command": "monitor", "state": str(state), "sarif": "true", "paths": "examples/not-ready",
              "args": f"--as-of {AS_OF}"}
    proc, _ = run_step("check", tmp_path, **inputs)
    assert proc.returncode == 1, proc.stderr  # first run: everything is new
    assert summary.read_text("utf-8").startswith("## pecoscheck monitor")
    assert json.loads(state.read_text("utf-8"))["format"] == "pecoscheck-monitor-state"
    sarif = json.loads((tmp_path / "pecoscheck.sarif").read_text("utf-8"))
    assert {r["baselineState"] for r in sarif["runs"][0]["results"]} == {"new"}
    proc, output = run_step("sarif", tmp_path, **inputs)
    assert proc.returncode == 0 and output.read_text("utf-8") == f"file={tmp_path / 'pecoscheck.sarif'}\n"
    proc, _ = run_step("check", tmp_path, **inputs)
    assert proc.returncode == 0, proc.stdout  # nothing changed since
    assert "Nothing changed." in proc.stdout


def test_validate_with_baseline(tmp_path: Path) -> None:
    baseline = tmp_path / "b.json"
    proc, _ = run_step("check", tmp_path, paths="examples/not-ready/npi-check-digit.yaml",
                       args=f"--as-of {AS_OF} --write-baseline {baseline}")
    assert proc.returncode == 1
    proc, _ = run_step("check", tmp_path, paths="examples/not-ready/npi-check-digit.yaml", baseline=str(baseline),
                       args=f"--as-of {AS_OF}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc, _ = run_step("check", tmp_path, command="nonsense")
    assert proc.returncode == 2
