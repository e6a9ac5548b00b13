"""`monitor --exclusions`: an owner excluded between two runs is reported once, as a finding and a record."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from cms_replay import CmsReplayServer
from pecoscheck.cli import app
from pecoscheck.online.leie import build_index, default_index_path

from .profiles import organization, write

runner = CliRunner()
NPI = "1609915321"  # BARROWS, JONI: an active exclusion in the 2017 subset


def _round(folder: Path, state: Path) -> dict[str, object]:
    r = runner.invoke(app, ["monitor", str(folder), "--state", str(state), "--exclusions", "-f", "json",
                            "--as-of", "2026-11-26"])
    assert r.exit_code in (0, 1), r.output
    doc: dict[str, object] = json.loads(r.stdout)
    return doc


def test_owner_excluded_since_the_last_run(cms_env: CmsReplayServer, leie_csv: Path, tmp_path: Path) -> None:
    owner = {"party": "individual", "name": "Joni Barrows", "npi": NPI, "percent": 10, "roles": ["direct_owner"]}
    folder = tmp_path / "profiles"
    folder.mkdir()
    write(folder, organization(ownership=[*organization()["ownership"], owner]))
    before = tmp_path / "before.csv"
    before.write_bytes(b"\n".join(line for line in leie_csv.read_bytes().split(b"\n") if NPI.encode() not in line))
    build_index(before, default_index_path(), file_date=date(2026, 10, 10), file_date_from="last-modified")
    state = tmp_path / "state.json"
    first = _round(folder, state)
    assert not any(f["rule"] == "EXC001" for f in first["new"])  # type: ignore[attr-defined,index]

    build_index(leie_csv, default_index_path(), file_date=date(2026, 11, 10), file_date_from="last-modified")
    second = _round(folder, state)
    assert [f["rule"] for f in second["new"]] == ["EXC001"]  # type: ignore[attr-defined,index]
    keys = {(c["source"], c["key"]) for c in second["records_changed"]}  # type: ignore[attr-defined,index]
    assert ("exclusions", NPI) in keys and ("exclusions", "Joni Barrows") in keys
    fields = next(c["fields"] for c in second["records_changed"] if c["key"] == NPI)  # type: ignore[attr-defined,index]
    assert any(f.startswith("matches[0].") for f in fields)
    registry = json.dumps(json.loads(state.read_text("utf-8"))["registry"])
    assert NPI in registry and "Joni Barrows" not in registry  # a party's name is kept as a hash only
    third = _round(folder, state)
    assert third["changed"] is False
