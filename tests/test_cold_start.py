"""Cold start: the fast paths import no heavy dependency, and validate loads only what it uses.

These check which modules are loaded (in a fresh interpreter), never how long anything takes:
timings belong to ``benchmarks/run.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "solo-practitioner" / "profile.yaml"
HEAVY = ("yaml", "pydantic", "httpx", "rich", "pygls", "lsprotocol")

# Run pecoscheck's entry point in a fresh interpreter, then print the loaded module names.
_SCRIPT = """
import contextlib, io, json, sys
from pecoscheck.__main__ import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(json.loads(sys.argv[1]))
    except SystemExit:
        pass
sys.stdout.write(json.dumps(sorted(sys.modules)))
"""

FAST_PATHS = [["--version"], ["npi", "check", "1234567893"], ["npi", "check", "1234567890", "1234567893"]]


def _loaded(args: list[str]) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _SCRIPT, json.dumps(args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    modules: list[str] = json.loads(done.stdout)
    return modules


def _tops(modules: list[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize("args", FAST_PATHS, ids=" ".join)
def test_fast_path_imports_no_heavy_module(args: list[str]) -> None:
    loaded = _tops(_loaded(args))
    assert not loaded & set(HEAVY), f"{' '.join(args)} imported {sorted(loaded & set(HEAVY))}"
    assert "typer" not in loaded  # the fast paths answer before the Typer app is built


@pytest.mark.parametrize("args", FAST_PATHS[:2], ids=" ".join)
def test_importtime_of_fast_path_lists_no_heavy_module(args: list[str]) -> None:
    """What ``python -X importtime -m pecoscheck --version`` shows: no yaml, pydantic, httpx or rich."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "pecoscheck", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:") and "|" in line}
    assert imported, "no -X importtime output"
    assert not _tops(sorted(imported)) & set(HEAVY)


# the result cache finds its folder with pecoscheck.online.cache.cache_dir (no network code in either)
CACHE_ROOT = ("pecoscheck.online", "pecoscheck.online.cache")


def test_validate_loads_no_network_code_and_no_rich_for_json() -> None:
    modules = _loaded(["validate", str(EXAMPLE), "--as-of", "2026-11-26", "--format", "json"])
    loaded = _tops(modules)
    assert "httpx" not in loaded and "rich" not in loaded
    assert not [m for m in modules if m.startswith("pecoscheck.online") and m not in CACHE_ROOT]


def test_validate_text_loads_no_rich_no_typer_and_no_network_code() -> None:
    modules = _loaded(["validate", str(EXAMPLE), "--as-of", "2026-11-26"])
    assert not _tops(modules) & {"httpx", "rich", "typer"}
    assert not [m for m in modules if m.startswith("pecoscheck.online") and m not in CACHE_ROOT]


def test_registry_client_imports_httpx_only_to_send_a_request() -> None:
    """Answers from the cache need no HTTP stack: NppesClient() and its cache do not import httpx."""
    code = ("import sys\nfrom pecoscheck.online.nppes import NppesClient\n"
            "with NppesClient('http://127.0.0.1:9/api/', cache=False) as client:\n"
            "    client.check_npi('1234567893')\n"
            "print('httpx' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.skipif(not hasattr(os, "mknod") or os.geteuid() != 0, reason="making a device node needs root")
def test_output_to_a_device_writes_through_it(tmp_path: Path) -> None:
    """``-o /dev/null`` (a benchmark's habit) must not replace the device with a regular file."""
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    done = subprocess.run([sys.executable, "-m", "pecoscheck", "validate", str(EXAMPLE), "--as-of", "2026-11-26",
                           "-f", "json", "-o", str(null)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.stat(null).st_mode)


# As the console script runs it: main() reads sys.argv, so pecoscheck is the program.
_PROGRAM = """
import contextlib, io, json, sys
sys.argv = ["pecoscheck", *json.loads(sys.argv[1])]
import pecoscheck._process
pecoscheck._process.hard_exit = sys.exit  # the program's fast exit would leave before the list below
from pecoscheck.__main__ import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
sys.stdout.write(json.dumps(sorted(sys.modules)))
"""


def _program_loaded(args: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _PROGRAM, json.dumps(args)], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=True, env=env)
    modules: list[str] = json.loads(done.stdout)
    return modules


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_validate_reads_no_package_metadata(cache: bool, tmp_path: Path) -> None:
    """No importlib.metadata (15-45 ms): no plugin declared, pydantic's loader stood in for, no `us`."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    here = tmp_path / "repo"  # outside this repository: no pyproject.toml above it to read
    shutil.copytree(EXAMPLE.parent, here)
    args = ["validate", str(here / EXAMPLE.name), "--as-of", "2026-11-26", *([] if cache else ["--no-cache"])]
    modules = _program_loaded(args, env, cwd=here)
    assert "pecoscheck.rules.builtin.licenses" in modules  # the rules did run
    assert not {"importlib.metadata", "email", "us", "tomllib"} & set(modules)
    assert ("pecoscheck.resultcache" in modules) is cache
    if not cache:  # shipped data is read by path, the NUCC and crosswalk indexes without the csv module
        assert not {"importlib.resources", "csv", "tempfile"} & set(modules)


def test_pydantic_plugins_named_by_the_user_still_load() -> None:
    """PYDANTIC_DISABLE_PLUGINS naming some plugins: pydantic's own loader runs (no stand-in)."""
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "some_plugin"}
    modules = _program_loaded(["validate", str(EXAMPLE), "--as-of", "2026-11-26", "--no-cache"], env)
    assert "importlib.metadata" in modules


def test_plugin_loader_stand_in_answers_like_pydantic() -> None:
    code = ("import sys\nfrom pecoscheck.__main__ import _no_plugin_loader\n_no_plugin_loader()\n"
            "from pydantic.plugin._loader import get_plugins\nassert tuple(get_plugins()) == ()\n"
            "from pydantic import BaseModel\nclass M(BaseModel):\n    x: int\nassert M(x=1).x == 1\n"
            "assert 'importlib.metadata' not in sys.modules\n"
            "import pydantic.plugin._loader as stub\nprint(stub.PYDANTIC_ENTRY_POINT_GROUP)\n")  # any other name: real
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "pydantic"
