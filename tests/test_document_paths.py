"""Document paths that leave the profile's repository: a finding, and the file is never opened (issue 6).

The DOC020 rule's own tests (tests/rules/test_documents.py) call the engine;
these go through `pecoscheck validate` in every output format, with every way
of opening a file watched, and check that nothing of the outside file (here
a stand-in for /etc/passwd) reaches any output.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from helpers import EXAMPLES
from pecoscheck.cli import app
from pecoscheck.rules.registry import default_registry

SECRET = "root:x:0:0:secret-canary:/root:/bin/bash"
FORMATS = ["json", "text", "sarif", "junit", "github", "html"]
runner = CliRunner()



def test_the_rule_exists() -> None:
    assert "DOC020" in default_registry().rules


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, Path]:
    """A repository holding a profile whose documents point out of it in every way; and the outside file."""
    outside = tmp_path / "etc" / "passwd"
    outside.parent.mkdir()
    outside.write_text(SECRET + "\n", "utf-8")
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "solo-practitioner", repo / "providers" / "doe")
    (repo / ".git").mkdir()  # the repository's root: `..` within it is fine
    (repo / "shared").mkdir()
    (repo / "shared" / "board.pdf").write_bytes(b"%PDF-1.7 specimen\n")
    docs = repo / "providers" / "doe" / "docs"
    (docs / "link-out.pdf").symlink_to(outside)
    (docs / "folder-out").symlink_to(outside.parent, target_is_directory=True)
    profile = repo / "providers" / "doe" / "profile.yaml"
    extra = "".join(f"  - {{type: other, file: {f}}}\n" for f in (
        "../../../etc/passwd", outside, "docs/link-out.pdf", "docs/folder-out/passwd", "../../shared/board.pdf"))
    text = profile.read_text("utf-8")
    assert "\ndocuments:\n" in text, "test setup: no documents section"
    profile.write_text(text.replace("\ndocuments:\n", "\ndocuments:\n" + extra, 1), "utf-8")
    return profile, outside


@pytest.fixture
def never_opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Fail the test if anything opens a file below one of the listed folders (by any of Python's opens)."""
    watched: list[Path] = []
    real = {"open": builtins.open, "io": io.open, "os": os.open}

    def check(file: Any) -> None:
        if isinstance(file, int):
            return
        p = Path(os.path.realpath(os.fsdecode(file)))
        assert not any(p == w or w in p.parents for w in watched), f"opened {file}"

    def wrap(fn: Any) -> Any:
        def wrapper(file: Any, *args: Any, **kwargs: Any) -> Any:
            check(file)
            return fn(file, *args, **kwargs)
        return wrapper

    monkeypatch.setattr(builtins, "open", wrap(real["open"]))
    monkeypatch.setattr(io, "open", wrap(real["io"]))
    monkeypatch.setattr(os, "open", wrap(real["os"]))
    yield watched


def test_every_escape_is_a_finding_and_never_opened(case: tuple[Path, Path], never_opened: list[Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    profile, outside = case
    never_opened.append(outside.parent)
    monkeypatch.chdir(profile.parent)
    lines = profile.read_text("utf-8").splitlines()
    for fmt in FORMATS:
        r = runner.invoke(app, ["validate", str(profile), "-f", fmt, "--as-of", "2026-11-26", "--jobs", "1",
                                "--select", "DOC017,DOC020"])
        assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
        assert r.exit_code == 1, r.stderr
        assert "secret-canary" not in r.stdout + r.stderr
        if fmt != "json":
            assert "DOC020" in r.stdout
            continue
        findings = json.loads(r.stdout)["profiles"][0]["findings"]
        escapes = {lines[f["line"] - 1].strip(): f["message"] for f in findings if f["rule"] == "DOC020"}
        assert set(escapes) == {
            "- {type: other, file: ../../../etc/passwd}",
            f"- {{type: other, file: {outside}}}",
            "- {type: other, file: docs/link-out.pdf}",
            "- {type: other, file: docs/folder-out/passwd}",
        }, escapes
        assert "`..`" in escapes["- {type: other, file: ../../../etc/passwd}"]
        assert "absolute" in escapes[f"- {{type: other, file: {outside}}}"]
        assert "symbolic link" in escapes["- {type: other, file: docs/link-out.pdf}"]
        assert "symbolic link" in escapes["- {type: other, file: docs/folder-out/passwd}"]
        # an escaping path is not also checked for existence (that would stat the outside file)
        places = {f["path"] for f in findings if f["rule"] == "DOC020"}
        assert not [f for f in findings if f["rule"] == "DOC017" and f["path"] in places]
        # `..` that stays inside the repository is fine, and the file there is found
        shared = "- {type: other, file: ../../shared/board.pdf}"
        assert [f for f in findings if lines[f["line"] - 1].strip() == shared] == []
