"""`monitor --exclusions` and `--pecos`: a record changed between two runs is reported once."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from cms_replay import CmsReplayServer
from pecoscheck.cli import app
from pecoscheck.online.leie import build_index, default_index_path
from pecoscheck.online.sam import build_sam_index

from .conftest import SAM_V2
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
    build_sam_index(SAM_V2, file_date=date(2026, 11, 20))  # --exclusions screens against SAM.gov too
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


def test_pecos_record_changed_since_the_last_run(cms_env: CmsReplayServer, tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    write(folder, organization())
    state = tmp_path / "state.json"
    args = ["monitor", str(folder), "--state", str(state), "--pecos", "-f", "json", "--as-of", "2026-11-26"]
    assert runner.invoke(app, args).exit_code in (0, 1)
    rows = cms_env.datasets["3746498e-874d-45d8-9c69-68603cafea60"]  # the Revalidation Due Date List
    row = next(r for r in rows if r["National Provider Identifier"] == "1881649713")
    row["Revalidation Due Date"] = "06/30/2027"
    r = runner.invoke(app, args)
    changed = json.loads(r.stdout)["records_changed"]
    assert [(c["source"], c["key"]) for c in changed] == [("pecos", "1881649713")]
    assert changed[0]["fields"] and all(f.startswith("revalidations[0].") for f in changed[0]["fields"])
    assert json.loads(runner.invoke(app, args).stdout)["records_changed"] == []
