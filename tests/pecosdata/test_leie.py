"""The LEIE index: building from the real 2017 files, lookups, downloading from the replay server."""

from __future__ import annotations

import io
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from cms_replay import LEIE_FIXTURES, LEIE_UPDATED, CmsReplayServer
from pecoscheck.online.http import UnavailableError
from pecoscheck.online.leie import (
    COLUMNS,
    DEFAULT_LEIE_URL,
    LeieFormatError,
    LeieIndex,
    NoIndexError,
    build_index,
    business_key,
    default_index_path,
    index_status,
    leie_url,
    name_key,
    update,
)
from replay_server import SleepRecorder

HEADER = ",".join(f'"{c}"' for c in COLUMNS)


def csv_text(*rows: str, newline: str = "\r\n") -> str:
    return newline.join([HEADER, *rows]) + newline


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(("raw", "key"), [
    ("O'Neil-Smith", "ONEILSMITH"),
    ("de la Cruz", "DELACRUZ"),
    ("  José ", "JOSE"),
    ("", ""),
])
def test_name_key(raw: str, key: str) -> None:
    assert name_key(raw) == key


@pytest.mark.parametrize(("raw", "key"), [
    ("ANCOR MEDICAL SERVICES INC", "ANCORMEDICALSERVICES"),
    ("Ancor Medical Services, Inc.", "ANCORMEDICALSERVICES"),
    ("The Ancor Medical Services LLC", "ANCORMEDICALSERVICES"),
    ("Gulf Shore Anesthesia, P.A.", "GULFSHOREANESTHESIA"),
    ("Smith & Sons Pharmacy, L.L.C.", "SMITHANDSONSPHARMACY"),
    ("INC", "INC"),
])
def test_business_key(raw: str, key: str) -> None:
    assert business_key(raw) == key


# --------------------------------------------------------------------------- building


def test_build_from_real_updated_subset_crlf(tmp_path: Path) -> None:
    assert LEIE_UPDATED.read_bytes().count(b"\r\n") == 336
    status = build_index(LEIE_UPDATED, tmp_path / "leie.sqlite3", file_date=date(2017, 6, 6))
    assert (status.rows, status.active_rows, status.skipped_rows) == (335, 335, 0)
    with LeieIndex(tmp_path / "leie.sqlite3") as index:
        (joni,) = index.by_npi("1609915321")
    assert (joni.last_name, joni.first_name, joni.middle_name) == ("BARROWS", "JONI", None)
    assert joni.dob == date(1954, 5, 25) and joni.exclusion_date == date(2009, 2, 6)
    assert joni.reinstatement_date is None and joni.waiver_date is None and not joni.reinstated
    assert joni.exclusion_type == "1128b14" and joni.kind == "individual"


@pytest.mark.parametrize("name", ["oig_leie_oigmirror_1701EXCL.csv", "oig_leie_oigmirror_1702EXCL.csv"])
def test_build_from_real_lf_supplements(tmp_path: Path, name: str) -> None:
    source = LEIE_FIXTURES / name
    assert b"\r\n" not in source.read_bytes()
    status = build_index(source, tmp_path / "x.sqlite3")
    assert status.rows == len(source.read_bytes().splitlines()) - 1
    assert status.active_rows == status.rows and status.skipped_rows == 0


def test_placeholders_and_padding(tmp_path: Path) -> None:
    build_index(LEIE_UPDATED, tmp_path / "leie.sqlite3")
    with LeieIndex(tmp_path / "leie.sqlite3") as index:
        (crone,) = index.by_name("Crone", "Josephine")
        (ancor,) = index.by_business("Ancor Medical Services, Inc.")
    assert crone.exclusion_type == "1128a1"  # written "1128a1   " in the file
    assert crone.npi is None  # written 0000000000
    assert crone.middle_name is None  # written " "
    assert crone.waiver_date is None and crone.reinstatement_date is None  # written 00000000
    assert ancor.kind == "entity" and ancor.dob is None and ancor.npi is None
    assert ancor.business_name == "ANCOR MEDICAL SERVICES INC"
    assert "excluded 1993-10-12 under 1128a1" in ancor.describe()


def test_reinstated_rows_do_not_match(tmp_path: Path) -> None:
    status = build_index(LEIE_FIXTURES / "oig_leie_oigmirror_1702REIN.csv", tmp_path / "rein.sqlite3")
    assert status.rows == 77 and status.active_rows == 0
    with LeieIndex(tmp_path / "rein.sqlite3") as index:
        assert index.by_npi("1427205822") == []
        assert index.by_name("Ashley", "Heather") == []
        everyone = index.by_npi("1427205822", include_reinstated=True)
    assert {(r.last_name, r.first_name) for r in everyone} == {("ASHLEY", "HEATHER"), ("JOHNSON", "DEBORAH")}
    assert all(r.reinstated and r.reinstatement_date == date(2017, 2, 15) for r in everyone)


def test_lookups_by_name(tmp_path: Path) -> None:
    text = csv_text(
        '"SMITH","MARY ANN"," ",,"NURSING PROFESSION","NURSE/NURSES AIDE",,"0000000000","19700101","1 A ST",'
        '"TOWN","TX","75001","1128b4","20200101","00000000","00000000",',
        '"SMITH","JOHN","Q ",,"DOCTOR(MD, DO)","GENERAL PRACTICE",,"1245227891","19600101","2 B ST",'
        '"TOWN","TX","75001","1128a1","20190101","00000000","20200101","TX"',
        '"O\'NEIL","PAT"," ","O\'NEIL HOME CARE","OTHER BUSINESS",,,"0000000000",,"3 C ST",'
        '"TOWN","TX","75001","1128b7","20180101","00000000","00000000",',
    )
    build_index(io.StringIO(text), tmp_path / "x.sqlite3")
    with LeieIndex(tmp_path / "x.sqlite3") as index:
        assert len(index.by_name("smith")) == 2
        assert [r.first_name for r in index.by_name("Smith", "Mary")] == ["MARY ANN"]  # first word of the first name
        assert [r.first_name for r in index.by_name("SMITH", "mary ann")] == ["MARY ANN"]
        assert index.by_name("Smith", "Maryann")[0].first_name == "MARY ANN"
        assert index.by_name("Smith", "Ann") == []
        assert index.by_name("Oneil", "Pat")[0].business_name == "O'NEIL HOME CARE"
        assert index.by_name("") == [] and index.by_npi("") == [] and index.by_npi("0000000000") == []
        (john,) = index.by_npi("1245227891")
        assert john.waiver_date == date(2020, 1, 1) and john.waiver_state == "TX"
        assert "waiver 2020-01-01 (TX)" in john.describe()


def test_missing_trailing_column_and_bad_rows(tmp_path: Path) -> None:
    text = csv_text(
        '"DOE","JANE"," ",,"X","Y",,"0000000000","19700101","A","B","TX","75001","1128a1","20200101","00000000",'
        '"00000000"',  # 17 fields: WVRSTATE missing
        '"TOO","FEW","FIELDS"',
        "",
    )
    target = tmp_path / "x.sqlite3"
    with pytest.raises(LeieFormatError, match=r"^line 3: 3 fields where the LEIE layout has 18 \(a truncated"):
        build_index(io.StringIO(text), target)
    assert not target.exists()


def test_a_truncated_file_leaves_the_previous_index(tmp_path: Path) -> None:
    """A copy cut off mid-row names the line and keeps the index that was there."""
    target = tmp_path / "x.sqlite3"
    build_index(LEIE_UPDATED, target, file_date=date(2017, 6, 6))
    data = LEIE_UPDATED.read_bytes()
    cut = tmp_path / "UPDATED.csv"
    cut.write_bytes(data[: len(data) // 2])
    lines = cut.read_bytes().count(b"\n") + 1
    with pytest.raises(LeieFormatError, match=rf"^line {lines}: \d+ fields"):
        build_index(cut, target)
    with LeieIndex(target) as index:
        assert index.status().rows == 335


@pytest.mark.parametrize("body", [
    "<!DOCTYPE html><html><body>Maintenance</body></html>\n",
    "",
    '"NAME","NPI"\n"X","1"\n',
])
def test_not_the_layout_is_refused_and_old_index_kept(tmp_path: Path, body: str) -> None:
    target = tmp_path / "leie.sqlite3"
    build_index(LEIE_UPDATED, target)
    before = target.read_bytes()
    with pytest.raises(LeieFormatError, match="LEIE layout"):
        build_index(io.StringIO(body), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["leie.sqlite3"]  # no temporary file left


def test_index_file_is_private(tmp_path: Path) -> None:
    target = tmp_path / "new" / "folder" / "leie.sqlite3"
    build_index(LEIE_UPDATED, target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(target.parent).st_mode) == 0o700


def test_status_and_age(tmp_path: Path) -> None:
    target = tmp_path / "leie.sqlite3"
    build_index(LEIE_UPDATED, target, file_date=date(2026, 10, 10), file_date_from="last-modified",
                source_name="https://example.invalid/UPDATED.csv")
    status = index_status(target)
    assert status is not None
    assert status.file_date == date(2026, 10, 10) and status.rows == 335
    assert status.age_days(date(2026, 11, 26)) == 47 and status.stale(date(2026, 11, 26))
    assert not status.stale(date(2026, 11, 1))
    payload = status.to_dict(date(2026, 11, 26))
    assert payload["file_date"] == "2026-10-10" and payload["age_days"] == 47 and payload["stale"] is True


def test_no_index(tmp_path: Path) -> None:
    with pytest.raises(NoIndexError, match="pecoscheck data update leie"):
        LeieIndex(tmp_path / "missing.sqlite3")
    assert index_status(tmp_path / "missing.sqlite3") is None
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database")
    with pytest.raises(NoIndexError):
        LeieIndex(tmp_path / "junk.sqlite3")


def test_default_locations(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PECOSCHECK_CACHE_DIR", str(tmp_path))
    assert default_index_path() == tmp_path / "leie" / "leie.sqlite3"
    monkeypatch.delenv("PECOSCHECK_LEIE_URL", raising=False)
    assert leie_url() == DEFAULT_LEIE_URL == "https://oig.hhs.gov/exclusions/downloadables/UPDATED.csv"


# --------------------------------------------------------------------------- downloading


def test_update_downloads_the_real_2017_file(cms_env: CmsReplayServer, sleeps: SleepRecorder) -> None:
    result = update(sleep=sleeps)
    assert result.outcome == "updated"
    status = result.status
    assert status.path == default_index_path()
    assert (status.rows, status.active_rows) == (335, 335)
    assert status.file_date == date(2017, 6, 6) and status.file_date_from == "last-modified"
    assert status.source == cms_env.leie_url
    assert result.bytes == LEIE_UPDATED.stat().st_size
    (request,) = [r for r in cms_env.requests if r.path.endswith("UPDATED.csv")]
    assert request.headers["user-agent"].startswith("pecoscheck/") and "cookie" not in request.headers
    with LeieIndex() as index:
        assert index.by_npi("1609915321")[0].last_name == "BARROWS"
    leftovers = [p.name for p in status.path.parent.iterdir()]
    assert leftovers == ["leie.sqlite3"]


def test_update_is_conditional(cms_env: CmsReplayServer, sleeps: SleepRecorder) -> None:
    update(sleep=sleeps)
    again = update(sleep=sleeps)
    assert again.outcome == "current" and again.status.rows == 335
    last = [r for r in cms_env.requests if r.path.endswith("UPDATED.csv")][-1]
    assert last.headers["if-modified-since"] == "Tue, 06 Jun 2017 12:00:00 GMT"
    forced = update(sleep=sleeps, force=True)
    assert forced.outcome == "updated"
    assert "if-modified-since" not in [r for r in cms_env.requests if r.path.endswith("UPDATED.csv")][-1].headers


def test_update_without_last_modified_uses_download_date(cms_env: CmsReplayServer, sleeps: SleepRecorder) -> None:
    cms_env.leie_last_modified = None
    status = update(sleep=sleeps, today=lambda: date(2026, 11, 26)).status
    assert status.file_date == date(2026, 11, 26) and status.file_date_from == "download date"


def test_update_retries_then_succeeds(cms_env: CmsReplayServer, sleeps: SleepRecorder) -> None:
    cms_env.switches.fail_first = 2
    assert update(sleep=sleeps).outcome == "updated"
    assert len(sleeps.calls) == 2


def test_update_unavailable_keeps_the_old_index(cms_env: CmsReplayServer, sleeps: SleepRecorder) -> None:
    update(sleep=sleeps)
    before = default_index_path().read_bytes()
    cms_env.switches.fail_first = 100
    with pytest.raises(UnavailableError, match=r"HTTP 503 \(after 3 attempts"):
        update(sleep=sleeps, force=True)
    assert default_index_path().read_bytes() == before


def test_maintenance_page_is_not_an_index(cms_env: CmsReplayServer, sleeps: SleepRecorder) -> None:
    cms_env.switches.mode = "html"
    with pytest.raises(UnavailableError, match="not the LEIE file"):
        update(sleep=sleeps)
    assert not default_index_path().exists()


def test_redirect_not_followed(cms_env: CmsReplayServer, sleeps: SleepRecorder) -> None:
    cms_env.switches.mode = "redirect"
    with pytest.raises(UnavailableError, match="redirect"):
        update(sleep=sleeps)


def test_truncated_download_is_retried_and_reported(cms_env: CmsReplayServer, sleeps: SleepRecorder) -> None:
    cms_env.switches.mode = "truncated"
    with pytest.raises(UnavailableError):
        update(sleep=sleeps, retries=2)
    assert not default_index_path().exists()


def test_too_large_is_refused(cms_env: CmsReplayServer, sleeps: SleepRecorder) -> None:
    with pytest.raises(UnavailableError, match="too large"):
        update(sleep=sleeps, max_bytes=1000)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_accented_names_in_either_encoding(tmp_path: Path, encoding: str) -> None:
    row = ('"NÚÑEZ","JOSÉ"," ",,"NURSING PROFESSION",,,"0000000000","19700101","1 A ST","TOWN","TX","75001",'
           '"1128b4","20200101","00000000","00000000",')
    path = tmp_path / "x.csv"
    path.write_bytes(csv_text(row).encode(encoding))
    build_index(path, tmp_path / "x.sqlite3")
    with LeieIndex(tmp_path / "x.sqlite3") as index:
        (record,) = index.by_name("Nunez", "Jose")
    assert (record.last_name, record.first_name) == ("NÚÑEZ", "JOSÉ")
