"""``--format roster``: one line per provider with verdict, counts, next deadline and name."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from helpers import EXAMPLES, make_profile
from pecoscheck.cli import app

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-26"]


def test_one_line_per_profile_with_the_next_deadline() -> None:
    r = runner.invoke(app, ["validate", str(EXAMPLES / "not-ready" / "expired-license.yaml"),
                            str(EXAMPLES / "solo-practitioner"), "-f", "roster", *AS_OF])
    lines = r.stdout.splitlines()
    assert r.exit_code == 1
    assert lines[0].split() == ["status", "errors", "warnings", "next", "deadline", "provider", "profile"]
    bad, good = lines[1], lines[2]
    assert bad.startswith("NOT READY ") and " 2028" not in bad
    assert "2026-08-31 OVERDUE State license copy TX expires" in bad and "Hannah Brooks" in bad
    assert good.startswith("READY ") and "2028-05-31" in good and "Lucia Ferreira" in good
    assert good.endswith("solo-practitioner/profile.yaml")
    assert bad.index("Hannah") == good.index("Lucia"), "columns line up"
    assert lines[3] == "" and lines[4] == "1 of 2 profiles ready (as of 2026-11-26)"


def test_roster_neutralises_profile_text_and_shows_drafts(tmp_path: Path) -> None:
    named = make_profile(tmp_path / "n", "solo-practitioner", replace={"first: Lucia": "first: \"Lu\\e[31mcia\""})
    draft = make_profile(tmp_path / "d", "solo-practitioner", replace={"\nlicenses:": "\nlicences:"})
    draft.write_text("# pecoscheck: draft\n" + draft.read_text("utf-8"), "utf-8")
    r = runner.invoke(app, ["validate", str(draft), str(named), "-f", "roster", *AS_OF])
    rows = r.stdout.splitlines()
    assert r.exit_code == 1 and rows[1].startswith("DRAFT, NOT READY")  # the renamed one is not ready
    assert "\x1b" not in r.stdout and "Lu" in rows[2] and "cia Ferreira" in rows[2]
