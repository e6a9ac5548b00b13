"""Issues 15, 16 and 23: data.cms.gov guards, SAM.gov screening, a private cache, and plain offline messages.

data.cms.gov: the only real recorded ``/data`` answer is of a sibling dataset (Hospital Enrollments,
``cmsdata_hospital_enrollment_data_atlanta_ga_psych.json``); none exists for the five datasets pecoscheck
reads, so the "renamed column" case replays that real answer in place of the enrollment dataset, and the
other cases use the constructed rows (see tests/fixtures/cmsdata/README.md).
"""

from __future__ import annotations

import json
import os
import socket
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cms_replay import CMS_FIXTURES, CmsReplayServer
from pecoscheck.cli import app
from pecoscheck.online.cache import DiskCache
from pecoscheck.online.cmsdata import CmsDataClient, Found, OptOut, PecosRecord, Unavailable
from pecoscheck.online.sam import SamFormatError, SamIndex, build_sam_index

from .conftest import SAM_V1, SAM_V2

PPEF = "2457ea29-fc82-48b0-86ec-3b0755de7515"
OPT_OUT = "9887a515-7552-4693-bf58-735c77af46d7"
HOSPITAL_ROWS = json.loads((CMS_FIXTURES / "cmsdata_hospital_enrollment_data_atlanta_ga_psych.json").read_text())
runner = CliRunner()


def test_the_filter_form_is_the_one_of_the_real_recorded_answer(make_cms: object, cms_env: CmsReplayServer) -> None:
    cassette = (CMS_FIXTURES / "provider_vcr_hospitals.yml").read_text("utf-8")
    assert "filter%5B0%5D%5Bcondition%5D%5Boperator%5D=&" in cassette  # empty operator, as pecoscheck sends
    CmsDataClient(cache=False).lookup("1320000015", group_reassignments=False)
    (first, *_) = cms_env.data_requests()
    assert first.params["filter[p1][condition][operator]"] == ""


def test_a_renamed_column_is_a_clear_error_never_not_found(cms_env: CmsReplayServer) -> None:
    cms_env.replaced_rows[PPEF] = HOSPITAL_ROWS  # the real layout of a sibling PECOS dataset
    result = CmsDataClient(cache=False).lookup("1320000015", group_reassignments=False)
    assert isinstance(result, Unavailable)
    assert "'Medicare Fee-For-Service Public Provider Enrollment' has no columns 'MULTIPLE_NPI_FLAG'" in result.reason
    assert "ENROLLMENT ID" in result.reason  # the columns it does have are listed
    r = runner.invoke(app, ["pecos", "lookup", "1320000015"])
    assert r.exit_code == 3 and "not in these extracts" not in r.stdout
    assert "has no columns" in r.stderr


def test_rows_for_another_npi_are_dropped_and_counted(cms_env: CmsReplayServer) -> None:
    other = next(row for row in cms_env.datasets[OPT_OUT] if row["NPI"] == "1320000080")
    cms_env.extra_rows[OPT_OUT] = [other]
    result = CmsDataClient(cache=False).lookup("1320000023", group_reassignments=False)
    assert isinstance(result, Found)
    assert [o.npi for o in result.record.opt_outs] == ["1320000023"] and result.record.dropped == {"opt_out": 1}
    r = runner.invoke(app, ["pecos", "lookup", "1320000023", "--as-of", "2026-11-26"])
    assert "rows for other NPIs were returned and ignored: 1 from opt_out" in r.stdout


def test_an_ignored_filter_is_unavailable_not_another_providers_rows(cms_env: CmsReplayServer) -> None:
    cms_env.extra_rows[OPT_OUT] = list(cms_env.datasets[OPT_OUT])
    result = CmsDataClient(cache=False).lookup("1234567893", group_reassignments=False)
    assert isinstance(result, Unavailable) and "the filter was ignored" in result.reason


def test_an_unreadable_opt_out_end_date_is_unknown_never_active_or_ended() -> None:
    row = {"NPI": "1320000080", "Optout Effective Date": "01/01/2020", "Optout End Date": "31/31/2022"}
    opt = OptOut.from_row(row)
    assert opt.decide(date(2026, 11, 26)) is None and not opt.active_on(date(2026, 11, 26))
    record = PecosRecord(npi="1320000080", opt_outs=(opt,))
    assert record.to_dict(date(2026, 11, 26))["opt_out"]["active"] is None
    assert record.unreadable_dates() == [("opt_out", "NPI 1320000080: end date '31/31/2022'")]


def test_sam_extract_both_layouts_and_lookups(tmp_path: Path) -> None:
    v2 = build_sam_index(SAM_V2, tmp_path / "v2.sqlite3", file_date=date(2026, 11, 20))
    assert (v2.rows, v2.layout) == (16, 2)
    v1 = build_sam_index(SAM_V1, tmp_path / "v1.sqlite3")
    assert (v1.rows, v1.layout) == (4, 1)
    with SamIndex(tmp_path / "v2.sqlite3") as index:
        (cassie,) = index.by_person("Collins", "Cassie", "DC", day=date(2026, 11, 1))
        assert cassie.agency == "DOL" and "Ineligible (Proceedings Completed)" in cassie.describe()
        assert index.by_person("Collins", "Cassie", day=date(2026, 11, 21)) == []  # terminated 11/20/2026
        assert index.by_person("Collins", "Cassie", "TX", day=date(2026, 11, 1)) == []
        assert len(index.by_business("Terra Klean Solutions, Inc", "TX")) == 2  # indefinite


def test_a_truncated_sam_extract_names_the_line_and_keeps_the_index(tmp_path: Path) -> None:
    target = tmp_path / "sam.sqlite3"
    build_sam_index(SAM_V2, target)
    cut = tmp_path / "cut.csv"
    cut.write_text("".join(SAM_V2.read_text("utf-8").splitlines(keepends=True)[:5])[:-60], "utf-8")
    with pytest.raises(SamFormatError, match=r"^line 5: \d+ fields where the extract has 31"):
        build_sam_index(cut, target)
    with SamIndex(target) as index:
        assert index.status().rows == 16
    r = runner.invoke(app, ["data", "update", "sam", "--file", str(tmp_path / "nope.csv")])
    assert r.exit_code == 2


def test_validate_screens_parties_against_sam(tmp_path: Path, leie_index: Path) -> None:
    from .test_exclusion_rules import exc, organization

    group = organization(officials=[{"name": "Antonio Flores", "role": "authorized_official"}])
    group["practice_locations"][0]["address"]["state"] = "TX"
    (f,) = exc(tmp_path, group, "EXC002")
    assert f.severity.value == "warning" and "confirm it on SAM.gov" in f.message and "ANTONIO FLORES" in f.message
    group["practice_locations"][0]["address"]["state"] = "MN"
    group["licenses"] = []
    assert exc(tmp_path, group, "EXC002") == []  # the same name in another state: not this party


def test_a_foreign_cache_folder_is_refused_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.getuid() != 0:
        pytest.fail("this test plants a folder owned by another user, which needs root")
    planted = tmp_path / "planted"
    (planted / "http").mkdir(parents=True)
    os.chmod(planted, 0o777)
    os.chown(planted, 4242, 4242)
    cache = DiskCache(planted)
    url, params = "https://npiregistry.cms.hhs.gov/api/", {"number": "1720377294"}
    entry = cache.path_for(url, params)
    entry.write_text(json.dumps({"format": 1, "request": f"{url}?number=1720377294", "stored_at": 1e10,
                                 "value": {"forged": True}}))
    assert cache.get(url, params) is None and cache.put(url, params, {"x": 1}) is False
    assert DiskCache(planted).get(url, params) is None
    err = capsys.readouterr().err
    assert err.count("not using the cache folder") == 1 and "belongs to another user (uid 4242)" in err


def test_own_cache_is_tightened_and_foreign_entries_are_misses(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o777)
    os.chmod(mine, 0o777)
    cache = DiskCache(mine)
    assert cache.put("https://x.invalid/", {"a": "1"}, {"ok": True})
    assert os.stat(mine).st_mode & 0o777 == 0o700
    entry = cache.path_for("https://x.invalid/", {"a": "1"})
    os.chmod(entry, 0o666)
    assert DiskCache(mine).get("https://x.invalid/", {"a": "1"}) is None


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_offline_pecos_lookup_says_it_once(cms_env: CmsReplayServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PECOSCHECK_CMS_DATA_URL", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("PECOSCHECK_HTTP_TIMEOUT", "0.5")
    r = runner.invoke(app, ["pecos", "lookup", "1320000015", "1320000023", "--no-cache"])
    assert r.exit_code == 3
    assert "not in these extracts" not in r.stdout and r.stdout.strip() == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 300, lines
    assert "data.cms.gov could not be reached (the connection was refused" in lines[0]
    assert "Check the network connection" in lines[0] and "Errno" not in lines[0]


def test_offline_leie_update_mentions_file(cms_env: CmsReplayServer) -> None:
    r = runner.invoke(app, ["data", "update", "leie", "--url", f"http://127.0.0.1:{_closed_port()}/UPDATED.csv"])
    assert r.exit_code == 3
    assert "could not be reached" in r.stderr and "--file UPDATED.csv" in r.stderr
    assert r.stderr.count("\n") == 1


def test_leie_supplements_from_files_recorded_and_shown(cms_env: CmsReplayServer, tmp_path: Path) -> None:
    from cms_replay import LEIE_FIXTURES, LEIE_UPDATED

    full = tmp_path / "UPDATED.csv"
    full.write_bytes(LEIE_UPDATED.read_bytes())
    files = []
    for name in ("oig_leie_oigmirror_1701EXCL.csv", "oig_leie_oigmirror_1702EXCL.csv",
                 "oig_leie_oigmirror_1702REIN.csv", "oig_leie_1703REIN.csv"):
        files += ["--file", str(LEIE_FIXTURES / name)]
    r = runner.invoke(app, ["data", "update", "leie", "--file", str(full), "--file-date", "2017-01-12", *files])
    assert r.exit_code == 0, r.stderr
    assert "supplements applied: 1701EXCL, 1702EXCL, 1702REIN, 1703REIN" in r.stdout
    assert "GAP: the supplements 1701REIN, 1703EXCL are missing" in r.stdout
    r = runner.invoke(app, ["data", "status", "-f", "json"])
    leie = json.loads(r.stdout)["leie"]
    assert leie["supplements"] == ["1701EXCL", "1702EXCL", "1702REIN", "1703REIN"]
    assert leie["full_file_through"] == "2016-12" and leie["gaps"] == ["1701REIN", "1703EXCL"] and leie["stale"]
    assert leie["rows"] > 335


def test_a_damaged_supplement_leaves_the_index(cms_env: CmsReplayServer, tmp_path: Path) -> None:
    from cms_replay import LEIE_FIXTURES, LEIE_UPDATED

    assert runner.invoke(app, ["data", "update", "leie", "--file", str(LEIE_UPDATED)]).exit_code == 0
    bad = tmp_path / "1702EXCL.csv"
    text = (LEIE_FIXTURES / "oig_leie_oigmirror_1702EXCL.csv").read_text("utf-8")
    bad.write_text(text[: len(text) // 3], "utf-8")
    r = runner.invoke(app, ["data", "update", "leie", "--file", str(bad)])
    assert r.exit_code == 2 and "1702EXCL.csv: line" in r.stderr and "unchanged" in r.stderr
    status = json.loads(runner.invoke(app, ["data", "status", "-f", "json"]).stdout)["leie"]
    assert status["supplements"] == [] and status["rows"] == 335


def test_leie_update_downloads_the_missing_supplements(cms_env: CmsReplayServer) -> None:
    from cms_replay import LEIE_FIXTURES
    from pecoscheck.online.leie import update

    cms_env.leie_last_modified = "Thu, 12 Jan 2017 12:00:00 GMT"
    cms_env.leie_supplements["/exclusions/downloadables/2017/1701EXCL.csv"] = (
        LEIE_FIXTURES / "oig_leie_oigmirror_1701EXCL.csv").read_bytes()
    cms_env.leie_supplements["/exclusions/downloadables/2017/1701rein.csv"] = (
        LEIE_FIXTURES / "oig_leie_oigmirror_1702REIN.csv").read_bytes()
    result = update(today=lambda: date(2017, 2, 20))
    assert result.supplements == ("1701EXCL", "1701REIN")  # the lower-case name was found too
    assert result.status.latest_month is not None and not result.status.stale(date(2017, 2, 20))
    assert result.status.stale(date(2017, 3, 20))


def test_sam_api_client_against_a_local_replay(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A constructed answer in GSA's documented layout (no recorded answer exists); the key never leaks."""
    import http.server
    import threading

    from pecoscheck.online.http import UnavailableError
    from pecoscheck.online.sam.api import NoApiKeyError, SamApiClient

    seen: list[str] = []
    answer = {"totalRecords": 1, "excludedEntity": [{
        "exclusionDetails": {"classificationType": "Individual", "exclusionType": "Prohibition/Restriction",
                             "exclusionProgram": "Reciprocal", "excludingAgencyCode": "HHS"},
        "exclusionIdentification": {"firstName": "DAVID", "lastName": "FINK", "npi": "1609915321"},
        "exclusionActions": {"listOfActions": [{"activateDate": "05/20/2003", "terminationDate": "Indefinite"}]},
        "exclusionPrimaryAddress": {"city": "METUCHEN", "stateOrProvinceCode": "NJ", "countryCode": "USA"}}]}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            seen.append(self.path)
            status, body = (200, json.dumps(answer).encode()) if "npi=" in self.path else (404, b"{}")
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/entity-information/v4/exclusions"
    monkeypatch.setenv("PECOSCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PECOSCHECK_SAM_API_KEY", raising=False)
    with pytest.raises(NoApiKeyError):
        SamApiClient(url)
    monkeypatch.setenv("PECOSCHECK_SAM_API_KEY", "SECRET-KEY-123")
    try:
        with SamApiClient(url, sleep=lambda s: None) as client:
            assert "SECRET" not in repr(client)
            (record,) = client.by_npi("1609915321")
            assert record.display_name == "DAVID FINK" and record.indefinite and record.active_on(date(2026, 1, 1))
            with pytest.raises(UnavailableError) as caught:
                client.by_name("Nobody")
            assert "SECRET" not in caught.value.reason
    finally:
        server.shutdown()
    assert "api_key=SECRET-KEY-123" in seen[0]
    assert not (tmp_path / "cache").exists() or "SECRET" not in "".join(
        p.read_text(errors="ignore") for p in (tmp_path / "cache").rglob("*") if p.is_file())
