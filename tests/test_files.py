"""Files: reports are written atomically, profiles and documents are never written (issue 6).

The cache's own guarantees (folder 0700, entries 0600, a corrupt or truncated
entry is a miss, concurrent writers corrupt nothing) are tested on
:class:`~pecoscheck.online.cache.DiskCache` in tests/online/test_cache.py; here
the same modes are checked on the cache that a real `validate --nppes` run
creates.
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import io
import json
import os
import shutil
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from helpers import EXAMPLES
from pecoscheck import reporters, util
from pecoscheck.cli import app

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-26"]
OLD_REPORT = '{"an": "earlier report"}\n'
FORMATS = ["text", "json", "sarif", "junit", "github"] + (["html"] if "html" in reporters.FORMATS else [])


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    r = runner.invoke(app, ["validate", *args, *AS_OF, "--jobs", "1"], env=env)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture
def report(tmp_path: Path) -> Path:
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    out.write_text(OLD_REPORT, "utf-8")
    return out


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "report.json")


# --- --output is atomic ------------------------------------------------------------------------------


def test_output_replaces_the_old_report_whole(report: Path) -> None:
    os.chmod(report, 0o640)
    code, out, _ = invoke(str(EXAMPLES / "solo-practitioner"), "-f", "json", "-o", str(report))
    assert (code, out) == (0, "")
    assert json.loads(report.read_text("utf-8"))["summary"]["profiles"] == 1
    assert stat.S_IMODE(report.stat().st_mode) == 0o640  # the report keeps its mode
    assert _leftovers(report.parent) == []


@pytest.mark.parametrize("fail", ["reporter", "write", "fsync", "replace"])
def test_a_crash_while_writing_leaves_the_old_report_and_no_temporary_file(
        report: Path, monkeypatch: pytest.MonkeyPatch, fail: str) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    if fail == "reporter":
        def broken_writer(run: Any, ctx: Any, out: Any) -> None:
            for p in run:
                out.write(f"{p.path} was checked\n")  # part of the report is written, then the reporter fails
            raise RuntimeError("reporter crashed")
        monkeypatch.setattr(reporters, "writer", lambda name: broken_writer)
    elif fail == "write":
        real_fdopen = os.fdopen

        def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
            fh = real_fdopen(fd, *args, **kwargs)
            real_write = fh.write

            def write(text: str) -> int:
                real_write(text[: len(text) // 2])  # half the report reaches the temporary file, then the disk fills
                fh.flush()
                raise OSError(errno.ENOSPC, "No space left on device")

            fh.write = write  # type: ignore[method-assign]
            return fh

        monkeypatch.setattr(util.os, "fdopen", fdopen)
    elif fail == "fsync":
        monkeypatch.setattr(util.os, "fsync", boom)
    else:
        monkeypatch.setattr(util.os, "replace", boom)
    r = runner.invoke(app, ["validate", str(EXAMPLES / "solo-practitioner"), "-f", "json", "-o", str(report), *AS_OF])
    if fail == "reporter":
        assert isinstance(r.exception, RuntimeError)  # `pecoscheck` (cli.run) turns this into one line, exit 2
    else:
        assert r.exit_code == 2
        assert r.stderr == f"pecoscheck: cannot write {report}: No space left on device\n"
    assert report.read_text("utf-8") == OLD_REPORT
    assert _leftovers(report.parent) == []


def test_interrupt_while_writing_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    target.write_text(OLD_REPORT, "utf-8")

    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(util.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        util.atomic_write(target, "new report\n")
    assert target.read_text("utf-8") == OLD_REPORT
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_output_in_a_missing_folder_or_onto_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "report.json"
    code, out, err = invoke(str(EXAMPLES / "solo-practitioner"), "-f", "json", "-o", str(missing))
    assert (code, out) == (2, "")
    assert err == f"pecoscheck: cannot write {missing}: No such file or directory\n"
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, out, err = invoke(str(EXAMPLES / "solo-practitioner"), "-f", "json", "-o", str(folder))
    assert (code, out) == (2, "")
    assert err.startswith(f"pecoscheck: cannot write {folder}: ")
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["a-folder"]


# --- profiles and documents are never written -----------------------------------------------------------


def _snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """Every file and folder below ``root``: content hash (or 'dir'/'link'), mode and mtime in ns."""
    out: dict[str, tuple[str, int, int]] = {}
    for path in sorted([root, *root.rglob("*")]):
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            kind = "link:" + os.readlink(path)
        elif stat.S_ISDIR(st.st_mode):
            kind = "dir"
        else:
            kind = hashlib.sha256(path.read_bytes()).hexdigest()
        out[str(path.relative_to(root))] = (kind, st.st_mode, st.st_mtime_ns)
    return out


@pytest.fixture
def guarded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Fail the test on any open for writing below the folders appended to the yielded list."""
    protected: list[Path] = []
    real_open, real_io_open, real_os_open = builtins.open, io.open, os.open

    def inside(file: Any) -> bool:
        if isinstance(file, int):
            return False
        p = Path(os.path.abspath(os.fsdecode(file)))
        return any(p == root or root in p.parents for root in protected)

    def check_mode(file: Any, mode: str) -> None:
        assert not (inside(file) and any(c in mode for c in "wax+")), f"opened {file} with mode {mode!r}"

    def guard_open(real: Any) -> Any:
        def wrapper(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            check_mode(file, mode)
            return real(file, mode, *args, **kwargs)
        return wrapper

    def guarded_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND)
        assert not (inside(path) and writing), f"os.open({path}, {flags:#o})"
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guard_open(real_open))
    monkeypatch.setattr(io, "open", guard_open(real_io_open))
    monkeypatch.setattr(os, "open", guarded_os_open)
    yield protected


def test_validate_never_writes_to_profiles_or_documents(tmp_path: Path, guarded: list[Path],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "repo"
    shutil.copytree(EXAMPLES, tree, symlinks=True)
    elsewhere = tmp_path / "reports"
    elsewhere.mkdir()
    monkeypatch.chdir(tmp_path)  # the working folder is not the profiles' folder
    before = _snapshot(tree)
    guarded.append(tree)
    runs: list[list[str]] = [[str(tree)], [str(tree), "--strict", "--statistics"]]
    for fmt in FORMATS:
        runs.append([str(tree), "-f", fmt, "-o", str(elsewhere / f"report.{fmt}")])
    runs.append([str(tree / "not-ready"), "-f", "sarif"])
    for args in runs:
        code, _, err = invoke(*args, env={"GITHUB_STEP_SUMMARY": str(elsewhere / "summary.md")})
        assert code in (0, 1), (args, err)
    assert _snapshot(tree) == before
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted(["summary.md", *(f"report.{f}" for f in FORMATS)])


def test_validate_in_a_real_process_leaves_the_tree_unchanged(tmp_path: Path) -> None:
    import subprocess

    tree = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "group-practice", tree)
    before = _snapshot(tree)
    proc = subprocess.run([sys.executable, "-m", "pecoscheck", "validate", str(tree), "-f", "sarif", "-o",
                           str(tmp_path / "report.sarif"), *AS_OF], capture_output=True, text=True, cwd=tree)
    assert proc.returncode in (0, 1), proc.stderr
    assert _snapshot(tree) == before  # no report, cache, bytecode or lock file next to the profile


# --- the cache a real run creates ------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_registry_cache_made_by_validate_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from replay_server import ReplayServer

    cache = tmp_path / "cache-root" / "pecoscheck"
    with ReplayServer() as server:
        server.switches.synthetic = True
        monkeypatch.setenv("PECOSCHECK_NPPES_URL", server.url)
        monkeypatch.setenv("PECOSCHECK_CACHE_DIR", str(cache))
        old = os.umask(0o022)
        try:
            code, _, err = invoke(str(EXAMPLES / "group-practice"), "--nppes", "-f", "json")
        finally:
            os.umask(old)
        assert code in (0, 1), err
        assert server.requests
    folders = [cache.parent, cache, *[p for p in cache.rglob("*") if p.is_dir()]]
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert files
    assert {str(p): stat.S_IMODE(p.stat().st_mode) for p in folders} == {str(p): 0o700 for p in folders}
    assert {str(p): stat.S_IMODE(p.stat().st_mode) for p in files} == {str(p): 0o600 for p in files}
    assert not [p for p in files if p.name.startswith(".tmp-")]
