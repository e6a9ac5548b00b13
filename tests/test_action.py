"""action.yml: a composite GitHub Action whose shell steps run as written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import AS_OF, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))


def step(step_id_or_name: str) -> dict:
    for s in ACTION["runs"]["steps"]:
        if step_id_or_name in (s.get("id"), s.get("name")):
            return s
    raise KeyError(step_id_or_name)


def test_shape() -> None:
    assert ACTION["runs"]["using"] == "composite"
    inputs = ACTION["inputs"]
    assert inputs["paths"]["default"] == ""  # validate's own default: config paths, else the checkout
    assert inputs["format"]["default"] == "github"
    assert inputs["sarif"]["default"] == "false"
    assert {"args", "python-version"} <= set(inputs)
    uses = [s.get("uses", "") for s in ACTION["runs"]["steps"]]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    install = step("Install pecoscheck")
    assert "github.action_path" in install["env"]["ACTION_PATH"] and "pip install" in install["run"]
    assert "steps.python.outputs.python-path" in install["env"]["PYTHON"] and "-m venv" in install["run"]
    for s in ACTION["runs"]["steps"]:
        if "run" in s:
            assert s["shell"] == "bash"
            assert "${{" not in s["run"], "inputs reach scripts through env, never by text substitution"


def run_step(name: str, tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    s = step(name)
    output = tmp_path / "github_output"
    output.touch()
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(output),
           "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    for key, expr in s.get("env", {}).items():
        name_ = expr.removeprefix("${{ inputs.").removesuffix(" }}")
        env[key] = inputs.get(name_, ACTION["inputs"].get(name_, {}).get("default", ""))
    proc = subprocess.run(["bash", "-eo", "pipefail", "-c", s["run"]], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    return proc, output


@pytest.mark.parametrize(("paths", "code"), [("examples/solo-practitioner examples/group-practice", 0),
                                             ("examples/not-ready/npi-check-digit.yaml", 1)])
def test_check_step(tmp_path: Path, paths: str, code: int) -> None:
    proc, _ = run_step("check", tmp_path, paths=paths, args=f"--as-of {AS_OF}")
    assert proc.returncode == code, proc.stderr
    assert proc.stdout.splitlines()[-1].startswith("pecoscheck: ")
    if code:
        assert proc.stdout.startswith("::error file=examples/not-ready/npi-check-digit.yaml,line=9,col=8,")


def test_sarif_step_tolerates_not_ready_but_not_usage_errors(tmp_path: Path) -> None:
    proc, output = run_step("sarif", tmp_path, paths="examples/not-ready", args=f"--as-of {AS_OF}")
    assert proc.returncode == 0, proc.stderr
    sarif = json.loads((tmp_path / "pecoscheck.sarif").read_text("utf-8"))
    assert sarif["runs"][0]["results"]
    assert output.read_text("utf-8") == f"file={tmp_path / 'pecoscheck.sarif'}\n"
    proc, _ = run_step("sarif", tmp_path, paths="no/such/folder")
    assert proc.returncode != 0 and "no such file or folder" in proc.stderr


CURRENT = {"actions/setup-python": 6, "github/codeql-action/upload-sarif": 4, "actions/checkout": 6,
           "actions/cache": 5, "actions/cache/restore": 5, "actions/cache/save": 5}  # Node 24 majors


def test_pins_are_current_and_the_callers_python_is_left_alone() -> None:
    for s in ACTION["runs"]["steps"]:
        if "uses" in s:
            name, _, version = s["uses"].partition("@")
            assert int(version.lstrip("v").split(".")[0]) >= CURRENT[name], s["uses"]
        if "run" in s:
            assert "GITHUB_PATH" not in s["run"] and "GITHUB_ENV" not in s["run"]
    setup = step("Set up Python")
    assert setup["with"]["update-environment"] is False
    readme = (ROOT / "README.md").read_text("utf-8")
    for name, version in re.findall(r"uses: ([\w./-]+)@v(\d+)", readme):
        if name in CURRENT:
            assert int(version) >= CURRENT[name], f"README pins {name}@v{version}"


def test_default_paths_pass_on_a_repository_with_other_yaml(tmp_path: Path) -> None:
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / "solo-practitioner", repo / "providers" / "ferreira")
    (repo / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n", "utf-8")
    (repo / "mkdocs.yml").write_text("site_name: Credentialing\n", "utf-8")
    s = step("check")
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(tmp_path / "out"),
           "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    for key, expr in s.get("env", {}).items():
        env[key] = ACTION["inputs"].get(expr.removeprefix("${{ inputs.").removesuffix(" }}"), {}).get("default", "")
    env["PECOSCHECK_ARGS"] = f"--as-of {AS_OF}"
    proc = subprocess.run(["bash", "-eo", "pipefail", "-c", s["run"]], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "docker-compose.yml" in proc.stderr and "not a profile" in proc.stderr
