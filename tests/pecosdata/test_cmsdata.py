"""The data.cms.gov client against the loopback replay server (real catalogue excerpt, constructed rows)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from cms_replay import CATALOG_FILE, CmsReplayServer
from pecoscheck.online.cache import DiskCache
from pecoscheck.online.cmsdata import (
    DATASETS,
    DEFAULT_BASE_URL,
    NOT_FOUND_NOTE,
    CmsDataClient,
    DueDate,
    Enrollment,
    Found,
    NotFound,
    OptOut,
    PecosRecord,
    Unavailable,
    cms_data_base_url,
    normalise_title,
    parse_cms_date,
)
from pecoscheck.online.cmsdata.datasets import _catalog_refs
from replay_server import SleepRecorder

Client = Callable[..., CmsDataClient]
PPEF = "2457ea29-fc82-48b0-86ec-3b0755de7515"
REVAL = "3746498e-874d-45d8-9c69-68603cafea60"
REASSIGN = "20f51cff-4137-4f3a-b6b7-bfc9ad57983b"


def found(result: object) -> PecosRecord:
    assert isinstance(result, Found), result
    return result.record


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(("text", "expected"), [
    ("03/31/2027", date(2027, 3, 31)),
    ("7/1/2025", date(2025, 7, 1)),
    ("2026-06-30", date(2026, 6, 30)),
    ("2026-06-30T00:00:00", date(2026, 6, 30)),
    ("TBD", "TBD"),
    ("tbd", "TBD"),
    ("", None),
    ("not a date", None),
    ("13/45/2027", None),
])
def test_parse_cms_date(text: str, expected: object) -> None:
    assert parse_cms_date(text) == expected


def test_due_date_tbd_and_display() -> None:
    tbd = DueDate.parse("TBD")
    assert tbd.tbd and not tbd.known and tbd.display() == "TBD" and tbd.to_json() == "TBD"
    known = DueDate.parse("04/30/2027")
    assert known.known and known.day == date(2027, 4, 30) and known.to_json() == "2027-04-30"
    empty = DueDate.parse("")
    assert not empty.known and not empty.tbd and empty.to_json() is None


def test_normalise_title_two_spaces() -> None:
    assert normalise_title("Medicare Fee-For-Service  Public Provider Enrollment") == normalise_title(
        "medicare fee-for-service public provider enrollment ")


def test_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PECOSCHECK_CMS_DATA_URL", raising=False)
    assert cms_data_base_url() == DEFAULT_BASE_URL == "https://data.cms.gov"
    monkeypatch.setenv("PECOSCHECK_CMS_DATA_URL", "http://127.0.0.1:1234/")
    assert cms_data_base_url() == "http://127.0.0.1:1234"


# --------------------------------------------------------------------------- catalogue


def test_catalogue_excerpt_resolves_all_five_titles() -> None:
    refs = _catalog_refs(json.loads(CATALOG_FILE.read_text("utf-8")))
    assert set(refs) == set(DATASETS)
    for key, ref in refs.items():
        assert ref.id == DATASETS[key].known_id
        assert ref.resolved_by == "catalog"
    assert refs["enrollment"].title == "Medicare Fee-For-Service Public Provider Enrollment"
    assert refs["enrollment"].version == "Medicare Fee-For-Service Public Provider Enrollment : 2025-04-02"
    assert refs["opt_out"].temporal == "2025-08-01/2025-08-31"


def test_ids_come_from_the_catalogue_by_title(make_cms: Client, cms_env: CmsReplayServer) -> None:
    new_id = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    catalog = json.loads(CATALOG_FILE.read_text("utf-8"))
    for entry in catalog["dataset"]:
        if entry["title"].startswith("Medicare Fee-For-Service"):
            entry["identifier"] = entry["identifier"].replace(PPEF, new_id)
            # the title, upper-cased and with single spaces, still resolves
            entry["title"] = "MEDICARE FEE-FOR-SERVICE PUBLIC PROVIDER ENROLLMENT"
    cms_env.catalog = json.dumps(catalog).encode()
    cms_env.dataset_alias[new_id] = PPEF
    record = found(make_cms().lookup("1881649713"))
    assert [e.enrollment_id for e in record.enrollments] == ["O20120405000318"]
    assert cms_env.data_requests(new_id) and not cms_env.data_requests(PPEF)


@pytest.mark.parametrize("mode", ["html", "empty"])
def test_catalogue_unavailable_falls_back_to_known_ids(make_cms: Client, cms_env: CmsReplayServer,
                                                       mode: str) -> None:
    cms_env.catalog_mode = mode
    client = make_cms()
    refs = client.dataset_refs()
    assert {k: r.id for k, r in refs.items()} == {k: d.known_id for k, d in DATASETS.items()}
    assert all(r.resolved_by == "fallback" for r in refs.values())
    assert client.catalog_problem
    assert found(client.lookup("1320000015")).enrollments


def test_catalogue_is_cached_with_its_own_ttl(make_cms: Client, cms_env: CmsReplayServer, cache_dir: Path) -> None:
    now = [1_000_000.0]
    cache = DiskCache(cache_dir, clock=lambda: now[0])
    catalog = DiskCache(cache_dir, ttl=7 * 24 * 3600, clock=lambda: now[0])
    make_cms(cache=cache, catalog_cache=catalog).dataset_refs()
    now[0] += 2 * 24 * 3600  # rows would have expired (24 h); the catalogue has not
    make_cms(cache=cache, catalog_cache=catalog).dataset_refs()
    catalog_hits = [r for r in cms_env.requests if r.path == "/data.json"]
    assert len(catalog_hits) == 1
    now[0] += 6 * 24 * 3600  # past the 7-day catalogue TTL
    make_cms(cache=cache, catalog_cache=catalog).dataset_refs()
    assert len([r for r in cms_env.requests if r.path == "/data.json"]) == 2


def test_fallback_ids_are_not_cached(make_cms: Client, cms_env: CmsReplayServer, cache_dir: Path) -> None:
    cms_env.catalog_mode = "html"
    cache = DiskCache(cache_dir)
    make_cms(cache=cache).dataset_refs()
    cms_env.catalog_mode = "normal"
    refs = make_cms(cache=cache).dataset_refs()
    assert refs["enrollment"].resolved_by == "catalog"


# --------------------------------------------------------------------------- lookups


def test_individual_with_everything(make_cms: Client) -> None:
    record = found(make_cms().lookup("1320000015"))
    (enrollment,) = record.enrollments
    assert enrollment == Enrollment(
        npi="1320000015", enrollment_id="I20150302000117", pac_id="8123456789", provider_type_code="14-08",
        provider_type_desc="PRACTITIONER - FAMILY PRACTICE", state="MN", first_name="ELENA", middle_name="R",
        last_name="MARSH", org_name=None, multiple_npi=False)
    assert enrollment.kind == "individual" and enrollment.name == "ELENA R MARSH"
    (reval,) = record.revalidations
    assert reval.due.day == date(2027, 4, 30) and not reval.adjusted_due.known
    assert reval.effective_due.day == date(2027, 4, 30)
    assert reval.enrollment_type_label == "Non-DME Part B" and reval.reassign_to_count == 2
    assert {r.group_enrollment_id for r in record.reassignments_to} == {"O20120405000318", "O20160810000222"}
    assert record.order_refer_eligible is True
    assert record.opt_outs == () and record.active_opt_out(date(2026, 11, 26)) is None
    assert record.enrollment_ids == {"I20150302000117"}
    assert set(record.sources) == set(DATASETS)


def test_adjusted_due_date_wins(make_cms: Client) -> None:
    (reval,) = found(make_cms().lookup("1320000056")).revalidations
    assert reval.due.day == date(2027, 1, 31)
    assert reval.adjusted_due.day == date(2027, 3, 31)
    assert reval.effective_due.day == date(2027, 3, 31)


def test_tbd_and_iso_due_dates(make_cms: Client) -> None:
    client = make_cms()
    (tbd,) = found(client.lookup("1320000031")).revalidations
    assert tbd.effective_due.tbd
    (iso,) = found(client.lookup("1320000049")).revalidations
    assert iso.effective_due.day == date(2026, 6, 30)


def test_opt_out_with_short_dates(make_cms: Client) -> None:
    record = found(make_cms().lookup("1320000023"))
    (opt,) = record.opt_outs
    assert (opt.effective, opt.end) == (date(2025, 7, 1), date(2027, 7, 1))
    assert opt.active_on(date(2026, 11, 26)) and not opt.active_on(date(2027, 7, 2))
    assert not opt.active_on(date(2025, 6, 30))
    assert opt.eligible_to_order_refer is True and opt.last_updated == date(2025, 9, 15)
    assert record.enrollments == ()
    assert record.to_dict(date(2026, 11, 26))["opt_out"]["active"] is True


def test_expired_opt_out_is_not_active(make_cms: Client) -> None:
    record = found(make_cms().lookup("1320000080"))
    assert record.active_opt_out(date(2026, 11, 26)) is None
    assert OptOut(npi="1", effective=date(2020, 1, 1)).active_on(date(2030, 1, 1))  # open end


def test_order_referring_all_no_is_not_eligible(make_cms: Client) -> None:
    record = found(make_cms().lookup("1320000064"))
    assert record.order_refer_eligible is False
    assert record.order_referring[0].flags == dict.fromkeys(("PARTB", "DME", "HHA", "PMD", "HOSPICE"), False)


def test_multiple_enrollments(make_cms: Client) -> None:
    record = found(make_cms().lookup("1320000098"))
    assert {(e.state, e.enrollment_id) for e in record.enrollments} == {
        ("MN", "I20100405000221"), ("WI", "I20140819000876")}
    assert all(e.multiple_npi for e in record.enrollments)
    assert {r.enrollment_id: r.effective_due.display() for r in record.revalidations} == {
        "I20100405000221": "2027-05-31", "I20140819000876": "TBD"}


def test_group_reassignments_from(make_cms: Client) -> None:
    record = found(make_cms().lookup("1881649713"))
    assert record.enrollments[0].kind == "organization"
    assert record.reassignments_to == ()
    incoming = record.reassignments_from
    assert {r.individual_npi for r in incoming} == {"1320000015", "1320000031", "1320000106"}
    assert [r.is_physician_assistant for r in incoming].count(True) == 1


def test_not_found_means_not_in_this_extract(make_cms: Client) -> None:
    result = make_cms().lookup("1234567893")
    assert isinstance(result, NotFound)
    assert "not in this extract" in result.note and result.note == NOT_FOUND_NOTE
    payload = result.record.to_dict()
    assert payload["found"] is False and "not in this extract" in payload["note"]


def test_only_the_npi_is_sent(make_cms: Client, cms_env: CmsReplayServer) -> None:
    make_cms().lookup("1320000015", group_reassignments=False)
    requests = cms_env.data_requests()
    assert len(requests) == 5
    for r in requests:
        filters = {k: v for k, v in r.params.items() if k.startswith("filter[")}
        assert filters["filter[p1][condition][value]"] == "1320000015"
        assert filters["filter[p1][condition][operator]"] == ""
        assert set(r.params) - set(filters) == {"size", "offset"}
        assert "cookie" not in r.headers
    assert {r.params["filter[p1][condition][path]"] for r in requests} == {
        "NPI", "National Provider Identifier", "Individual NPI"}
    checks = cms_env.data_requests(column_checks=True)
    assert len(checks) == 5 and all(set(r.params) == {"size", "offset"} for r in checks)


@pytest.mark.parametrize("bad", ["123", "1234567890", "abcdefghij", "", "3234567893"])
def test_invalid_npi_refused_before_any_request(make_cms: Client, cms_env: CmsReplayServer, bad: str) -> None:
    client = make_cms()
    with pytest.raises(ValueError, match="not a valid NPI"):
        client.lookup_many(["1320000015", bad])
    assert cms_env.data_requests() == []


def test_lookup_many_in_order_and_deduplicated(make_cms: Client, cms_env: CmsReplayServer) -> None:
    results = make_cms().lookup_many(["1320000023", "1234567893", "1320000023"])
    assert [type(r).__name__ for r in results] == ["Found", "NotFound", "Found"]
    assert len(cms_env.data_requests()) == 10


# --------------------------------------------------------------------------- failures


def test_retry_then_success(make_cms: Client, cms_env: CmsReplayServer, sleeps: SleepRecorder) -> None:
    cms_env.switches.fail_first = 2
    client = make_cms(use_catalog=False)
    assert found(client.lookup("1320000015", group_reassignments=False)).enrollments
    assert len(sleeps.calls) == 2


def test_unavailable_after_retries_keeps_what_answered(make_cms: Client, cms_env: CmsReplayServer) -> None:
    cms_env.switches.fail_status = 503
    cms_env.broken_datasets.add(REVAL)
    result = make_cms().lookup("1320000015")
    assert isinstance(result, Unavailable)
    assert "Revalidation Due Date List" in result.reason
    record = result.record
    assert set(record.unavailable) == {"revalidation"}
    assert record.enrollments and record.revalidations == ()
    assert record.available("enrollment", "opt_out") and not record.available("revalidation")
    assert record.to_dict()["found"] is True


def test_everything_down_is_unavailable_never_not_found(make_cms: Client, cms_env: CmsReplayServer,
                                                        sleeps: SleepRecorder) -> None:
    cms_env.switches.fail_first = 10_000
    result = make_cms(retries=2).lookup("1234567893")
    assert isinstance(result, Unavailable)
    assert "HTTP 503" in result.reason and "after 2 attempts" in result.reason
    assert result.record.to_dict()["found"] is None


@pytest.mark.parametrize("mode", ["html", "invalid_json", "truncated"])
def test_bad_bodies_are_unavailable(make_cms: Client, cms_env: CmsReplayServer, mode: str) -> None:
    cms_env.switches.mode = mode  # type: ignore[assignment]
    result = make_cms(use_catalog=False, retries=1).lookup("1320000015", group_reassignments=False)
    assert isinstance(result, Unavailable)


def test_error_object_is_unavailable(make_cms: Client, cms_env: CmsReplayServer) -> None:
    cms_env.broken_datasets.add(PPEF)
    result = make_cms().lookup("1320000015")
    assert isinstance(result, Unavailable) and "Dataset not found" in result.reason


def test_timeout_is_unavailable(make_cms: Client, cms_env: CmsReplayServer) -> None:
    cms_env.switches.mode = "hang"
    cms_env.switches.hang_seconds = 3
    result = make_cms(use_catalog=False, timeout=0.3, retries=1).lookup("1320000015", group_reassignments=False)
    assert isinstance(result, Unavailable) and "0.3 s" in result.reason


def test_bounded_concurrency(make_cms: Client, cms_env: CmsReplayServer) -> None:
    cms_env.switches.latency = 0.05
    npis = ["1320000015", "1320000023", "1320000031", "1320000049", "1320000056", "1320000064"]
    make_cms(max_in_flight=3, use_catalog=False).lookup_many(npis)
    assert cms_env.max_in_flight <= 3
    assert len(cms_env.data_requests()) == 30


# --------------------------------------------------------------------------- cache, paging, stats


def test_cache_hit_needs_no_request(make_cms: Client, cms_env: CmsReplayServer, cache_dir: Path) -> None:
    cache = DiskCache(cache_dir)
    first = make_cms(cache=cache).lookup("1320000015")
    before = len(cms_env.requests)
    second = make_cms(cache=cache).lookup("1320000015")
    assert isinstance(first, Found) and not first.from_cache
    assert isinstance(second, Found) and second.from_cache
    assert len(cms_env.requests) == before
    assert second.record == first.record


def test_cache_files_are_private(make_cms: Client, cache_dir: Path) -> None:
    make_cms(cache=DiskCache(cache_dir)).lookup("1320000015")
    entries = list((cache_dir / "http").iterdir())
    assert entries
    assert stat.S_IMODE(os.stat(cache_dir / "http").st_mode) == 0o700


def test_cache_ttl_expires(make_cms: Client, cms_env: CmsReplayServer, cache_dir: Path) -> None:
    now = [2_000_000.0]
    cache = DiskCache(cache_dir, ttl=3600, clock=lambda: now[0])
    make_cms(cache=cache, use_catalog=False).lookup("1320000015", group_reassignments=False)
    now[0] += 3601
    make_cms(cache=cache, use_catalog=False).lookup("1320000015", group_reassignments=False)
    assert len(cms_env.data_requests()) == 10


def test_no_cache_always_asks(make_cms: Client, cms_env: CmsReplayServer) -> None:
    make_cms(cache=False, use_catalog=False).lookup("1320000015", group_reassignments=False)
    make_cms(cache=False, use_catalog=False).lookup("1320000015", group_reassignments=False)
    assert len(cms_env.data_requests()) == 10


def test_not_found_answers_are_cached_too(make_cms: Client, cms_env: CmsReplayServer, cache_dir: Path) -> None:
    cache = DiskCache(cache_dir)
    make_cms(cache=cache).lookup("1234567893")
    before = len(cms_env.requests)
    assert isinstance(make_cms(cache=cache).lookup("1234567893"), NotFound)
    assert len(cms_env.requests) == before


def test_unavailable_answers_are_not_cached(make_cms: Client, cms_env: CmsReplayServer, cache_dir: Path) -> None:
    cache = DiskCache(cache_dir)
    cms_env.switches.mode = "html"
    assert isinstance(make_cms(cache=cache, use_catalog=False, retries=1).lookup("1320000015"), Unavailable)
    cms_env.switches.mode = "normal"
    assert isinstance(make_cms(cache=cache, use_catalog=False).lookup("1320000015"), Found)


def test_paging(make_cms: Client, cms_env: CmsReplayServer) -> None:
    client = make_cms(page_size=1, max_rows=100)
    result = client.query("reassignment", "Group Enrollment ID", "O20120405000318")
    assert len(result.rows) == 3 and not result.truncated
    offsets = [r.params["offset"] for r in cms_env.data_requests(REASSIGN)]
    assert offsets == ["0", "1", "2", "3"]
    assert all(r.params["size"] == "1" for r in cms_env.data_requests(REASSIGN))


def test_paging_is_capped(make_cms: Client) -> None:
    client = make_cms(page_size=1, max_rows=2)
    result = client.query("reassignment", "Group Enrollment ID", "O20120405000318")
    assert len(result.rows) == 2 and result.truncated


def test_stats(make_cms: Client) -> None:
    client = make_cms()
    stats = client.stats("enrollment", "NPI", "1320000098")
    assert (stats.found_rows, stats.total_rows) == (2, 10)
    assert client.stats("opt_out").found_rows == 2


def test_real_recorded_sibling_answer_has_the_shape_we_read() -> None:
    from pecoscheck.online.cmsdata.results import _rows

    recorded = json.loads((CATALOG_FILE.parent / "cmsdata_hospital_enrollment_data_atlanta_ga_psych.json")
                          .read_text("utf-8"))
    rows = _rows(recorded)
    assert len(rows) == 2 and all(isinstance(v, str) for r in rows for v in r.values())
    assert rows[0]["REH CONVERSION DATE"] == ""


def test_unknown_dataset_is_a_programming_error(make_cms: Client) -> None:
    with pytest.raises(ValueError, match="unknown dataset"):
        make_cms().query("revoked", "NPI", "1320000015")
