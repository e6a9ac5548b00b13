"""Folders at speed: ``--jobs N`` gives the same report as ``--jobs 1``; one broken file never stops the others."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import AS_OF, EXAMPLES
from profilegen import generate


def pecoscheck(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "pecoscheck", "validate", *args, "--as-of", AS_OF.isoformat()],
                          cwd=cwd, capture_output=True, timeout=120, check=False)


def test_parallel_json_is_byte_identical_on_1000_profiles(tmp_path: Path) -> None:
    written = generate(tmp_path / "profiles", 1000)
    assert len(written) == 1000
    one = pecoscheck(tmp_path, "profiles", "--format", "json", "--jobs", "1")
    two = pecoscheck(tmp_path, "profiles", "--format", "json", "--jobs", "2")
    assert one.returncode == two.returncode == 1, one.stderr.decode()
    assert one.stdout == two.stdout
    report = json.loads(one.stdout)
    s = report["summary"]
    assert s["profiles"] == 1000
    assert 0 < s["not_ready"] < 1000 and s["ready"] > 0
    assert [p["path"] for p in report["profiles"]] == sorted(p["path"] for p in report["profiles"])
    rules = {f["rule"] for p in report["profiles"] for f in p["findings"]}
    assert {"NPI003", "SCH001", "YML001", "YML002"} <= rules


def _good_folder(root: Path, n: int) -> None:
    src = EXAMPLES / "solo-practitioner"
    for i in range(n):
        (root / f"good-{i:02}.yaml").write_text((src / "profile.yaml").read_text("utf-8"), "utf-8")
    import shutil

    shutil.copytree(src / "docs", root / "docs")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_binary_file_among_good_ones(tmp_path: Path, jobs: str) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    _good_folder(folder, 12)
    (folder / "photo.yaml").write_bytes(bytes(range(256)) * 8)
    (folder / "latin1.yaml").write_bytes("provider:\n  name: Jos\xe9\n".encode("latin-1"))
    proc = pecoscheck(tmp_path, "mixed", "--format", "json", "--jobs", jobs)
    assert proc.returncode == 1, proc.stderr.decode()
    assert proc.stderr == b""
    report = json.loads(proc.stdout)
    by_path = {p["path"]: p for p in report["profiles"]}
    assert len(by_path) == 14
    assert [f["rule"] for f in by_path["mixed/photo.yaml"]["findings"]] == ["YML006"]
    assert [f["rule"] for f in by_path["mixed/latin1.yaml"]["findings"]] == ["YML006"]
    assert all(by_path[f"mixed/good-{i:02}.yaml"]["ready"] for i in range(12))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_special_files_in_a_folder_are_skipped_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "with-fifo"
    folder.mkdir()
    _good_folder(folder, 9)
    os.mkfifo(folder / "pipe.yaml")  # reading it would block forever
    # nine copies of one profile share an NPI and a license: DUP001/DUP002 are right, and not this test's subject
    proc = pecoscheck(tmp_path, "with-fifo", "--format", "json", "--jobs", "2", "--ignore", "DUP")
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout)["summary"]["profiles"] == 9


def test_hidden_folders_and_excludes_are_skipped(tmp_path: Path) -> None:
    from pecoscheck.engine import discover

    for rel in ("a/p.yaml", ".git/x.yaml", "a/.cache/y.yaml", "vendor/z.yaml", "a/b/q.yml", "a/notes.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("schema_version: 1\n", "utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path], exclude=["vendor"])]
    assert found == ["a/b/q.yml", "a/p.yaml"]


def test_worker_ruleset_cache_survives_pickling() -> None:
    from pecoscheck.engine import Options, _worker_ruleset

    options = Options(as_of=AS_OF, ignore=["NPI001"], online=frozenset())
    first = _worker_ruleset(pickle.loads(pickle.dumps(options)))
    again = _worker_ruleset(pickle.loads(pickle.dumps(options)))
    assert first is again
    other = _worker_ruleset(pickle.loads(pickle.dumps(Options(as_of=AS_OF))))
    assert other is not first
    assert "NPI001" not in {r.id for r in first.rules} and "NPI001" in {r.id for r in other.rules}
