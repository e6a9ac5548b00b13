"""The NPPES client against the replay server and the recorded responses."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pecoscheck.online.nppes import (
    DEFAULT_BASE_URL,
    Found,
    NotFound,
    NppesClient,
    NppesRecord,
    RecordFormatError,
    RegistryQueryError,
    RegistryUnavailableError,
    Rejected,
    Unavailable,
    nppes_base_url,
)
from replay_server import FIXTURES, ReplayServer, SleepRecorder, luhn_npi_ok, synthetic_npis

Client = Callable[..., NppesClient]


def found(result: object) -> NppesRecord:
    assert isinstance(result, Found), result
    return result.record


def fixture_records(name: str) -> list[NppesRecord]:
    doc = json.loads((FIXTURES / name).read_text())
    return [NppesRecord.from_api(r) for r in doc["results"]]


def test_individual_2019_format(make_client: Client) -> None:
    record = found(make_client().lookup("1720377294"))
    assert record.npi == "1720377294"
    assert record.type == "individual"
    assert record.status == "A"
    assert record.name is not None
    assert (record.name.first, record.name.middle, record.name.last) == ("ELISE", "AILEEN", "HIZA")
    assert record.name.credential == "M.D."
    assert record.name.suffix is None
    assert record.display_name == "ELISE AILEEN HIZA"
    assert record.sex == "F"
    assert record.sole_proprietor is True
    assert record.organization_name is None and record.authorized_official is None
    location = record.location_address
    assert location is not None
    assert (location.line1, location.line2, location.city, location.state, location.postal_code, location.country) == (
        "111 VICTORIA RD", None, "ASHEVILLE", "NC", "288014811", "US"
    )
    assert record.mailing_address is not None and record.mailing_address.city == "ASHEVILLE"
    assert [(p.line1, p.city, p.state, p.postal_code) for p in record.practice_locations] == [
        ("49 JESSE HILL JR DR SE # 307", "ATLANTA", "GA", "303033049")
    ]
    assert [(t.code, t.primary, t.state, t.license) for t in record.taxonomies] == [
        ("207X00000X", True, "NC", "2017-01132"),
        ("390200000X", False, None, None),
    ]
    assert record.primary_taxonomy is not None and record.primary_taxonomy.desc == "Orthopaedic Surgery"
    assert record.identifiers[0].desc == "MEDICAID" and record.identifiers[0].issuer is None
    assert record.enumeration_date == date(2011, 4, 5)
    assert record.last_updated == date(2018, 5, 8)
    assert record.created_at == datetime(2011, 4, 5, tzinfo=UTC)
    assert not record.is_deactivated


def test_organization_modern_format(make_client: Client) -> None:
    record = found(make_client().lookup("1225701881"))
    assert record.npi == "1225701881"
    assert record.type == "organization"
    assert record.organization_name == "VIOS FERTILITY INSTITUTE MICHIGAN PLLC"
    assert record.display_name == "VIOS FERTILITY INSTITUTE MICHIGAN PLLC"
    assert record.name is None
    assert record.organizational_subpart is False
    ao = record.authorized_official
    assert ao is not None
    assert (ao.first, ao.middle, ao.last, ao.title, ao.phone) == (
        "KATRINA", None, "MARSHALL", "Dir Ins Cred & Payor Contracts", "7734359036"
    )
    location = record.location_address
    assert location is not None
    assert (location.line1, location.line2, location.city, location.state, location.postal_code) == (
        "26400 W 12 MILE RD STE 140", None, "SOUTHFIELD", "MI", "480341753"
    )
    assert record.practice_locations == ()
    assert [(t.code, t.primary, t.state, t.license) for t in record.taxonomies] == [
        ("207VE0102X", True, None, None)
    ]
    assert record.certification_date == date(2024, 2, 12)
    assert record.last_updated == date(2024, 2, 12)
    assert record.updated_at == datetime.fromtimestamp(1707768606, tz=UTC)
    assert record.created_at is not None and record.created_at.year == 2021


def test_organization_2019_format(make_client: Client) -> None:
    record = found(make_client().lookup("1568946812"))
    assert record.organization_name == "CSP ANESTHESIA LLC"
    ao = record.authorized_official
    assert ao is not None
    assert (ao.first, ao.middle, ao.last, ao.credential, ao.title, ao.phone) == (
        "TIMOTHY", "GORDON", "BARTON", "CRNA", "MANAGING MEMBER", "888-408-0200"
    )
    assert record.mailing_address is not None and record.mailing_address.line1 == "PO BOX 1186"
    assert [p.line1 for p in record.practice_locations] == ["5505 ROSWELL RD STE 350B"]
    assert record.taxonomies[0].state is None and record.taxonomies[0].license is None
    assert record.created_at == datetime.fromtimestamp(1537574400, tz=UTC)


def test_doing_business_as_name(make_client: Client) -> None:
    record = found(make_client().lookup("1174270805"))
    assert [(o.code, o.type, o.name) for o in record.other_names] == [
        ("3", "Doing Business As", "KINDBODY OF PA MEDICAL PRACTICE, PC")
    ]
    assert record.authorized_official is not None and record.authorized_official.prefix == "Dr."


def test_both_formats_parse_to_the_same_kind_of_record() -> None:
    old = fixture_records("search_multi_city_atlanta_ind_10.json") + fixture_records("npi2_org_1568946812.json")
    new = fixture_records("search_multi_results_modern_200.json") + fixture_records("npi2_org_1225701881_modern.json")
    for record in old + new:
        assert isinstance(record.npi, str) and len(record.npi) == 10 and luhn_npi_ok(record.npi)
        assert record.type in ("individual", "organization")
        assert isinstance(record.enumeration_date, date)
        assert record.created_at is not None and 2000 < record.created_at.year < 2030
        assert record.updated_at is not None and record.updated_at >= record.created_at
        assert all(a.purpose in ("LOCATION", "MAILING") for a in record.addresses)
        assert all(v != "" and v != "--" for a in record.addresses for v in a.model_dump().values())
        assert set(record.to_dict()) >= {"npi", "found", "type", "status", "name", "addresses", "taxonomies",
                                         "last_updated"}
    assert [r.sex for r in old if r.type == "individual"].count("M") == 3
    new_sexes = [r.sex for r in new if r.type == "individual"]
    assert new_sexes.count("F") == 199 and new_sexes.count(None) == 1


def test_dash_dash_blank_and_sex_in_modern_record() -> None:
    records = {r.npi: r for r in fixture_records("search_multi_results_modern_200.json")}
    record = records["1851713903"]
    assert record.name is not None
    assert (record.name.first, record.name.last, record.name.prefix, record.name.suffix) == (
        "JOSEFINA", "DANWING", None, None
    )
    assert record.sex == "F"
    assert record.taxonomies[0].group is None
    assert record.mailing_address is not None and record.mailing_address.fax == "909-482-0691"


def test_reactivated_record() -> None:
    records = {r.npi: r for r in fixture_records("search_reactivated_npi_EDITED.json")}
    record = records["1003142399"]
    assert record.status == "A"
    assert record.deactivation_date == date(2015, 1, 14)
    assert record.reactivation_date == date(2019, 2, 13)
    assert not record.is_deactivated
    assert record.model_copy(update={"reactivation_date": None}).is_deactivated
    assert record.model_copy(update={"status": "D"}).is_deactivated


def test_foreign_address_state_kept_as_is() -> None:
    states = {a.state for r in fixture_records("search_multi_city_atlanta_10.json") for a in r.addresses}
    assert "GEORGIA" in states or "GAS" in states


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        {"enumeration_type": "NPI-1"},
        {"number": "12345", "enumeration_type": "NPI-1"},
        {"number": True, "enumeration_type": "NPI-1"},
        {"number": "1720377294", "enumeration_type": "NPI-3"},
        {"number": "1720377294", "enumeration_type": "NPI-1", "basic": "x"},
        {"number": "1720377294", "enumeration_type": "NPI-1", "addresses": {"a": 1}},
        {"number": "1720377294", "enumeration_type": "NPI-1", "taxonomies": ["207X00000X"]},
    ],
)
def test_wrongly_shaped_records_are_refused(raw: object) -> None:
    with pytest.raises(RecordFormatError):
        NppesRecord.from_api(raw)


def test_sparse_record_parses() -> None:
    record = NppesRecord.from_api({"number": 1720377294, "enumeration_type": "NPI-1", "created_epoch": "junk"})
    assert record.npi == "1720377294" and record.addresses == () and record.created_at is None


def test_not_found_says_it_may_be_deactivated(make_client: Client, replay: ReplayServer) -> None:
    result = make_client().lookup("1710983663")
    assert isinstance(result, NotFound)
    assert result.npi == "1710983663"
    assert "deactivated" in result.note
    as_dict = result.to_dict()
    assert as_dict["found"] is False and as_dict["npi"] == "1710983663"
    assert len(replay.lookups()) == 1


def test_unavailable_after_retries(make_client: Client, replay: ReplayServer, sleeps: SleepRecorder) -> None:
    replay.switches.fail_first = 100
    result = make_client().lookup("1720377294")
    assert isinstance(result, Unavailable)
    assert "HTTP 503" in result.reason and "3 attempts" in result.reason
    assert len(replay.requests) == 3
    assert len(sleeps.calls) == 2
    assert result.to_dict()["found"] is None


def test_recovers_when_retries_succeed(make_client: Client, replay: ReplayServer, sleeps: SleepRecorder) -> None:
    replay.switches.fail_first = 1
    replay.switches.fail_status = 429
    replay.switches.retry_after = "2"
    assert found(make_client().lookup("1720377294")).npi == "1720377294"
    assert sleeps.calls == [2.0]
    assert len(replay.requests) == 2


def test_retries_setting_is_the_attempt_limit(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.fail_first = 100
    assert isinstance(make_client(retries=1).lookup("1720377294"), Unavailable)
    assert len(replay.requests) == 1


def test_errors_answer_names_the_field(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.mode = "errors"
    result = make_client().lookup("1720377294")
    assert isinstance(result, Rejected)
    assert [(e.field, e.number) for e in result.errors] == [("enumeration_type", "09")]
    assert "enumeration_type" in result.message
    assert "requires additional search criteria" in result.message
    assert len(replay.requests) == 1


def test_search_errors_answer_raises(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.mode = "errors"
    replay.switches.errors_file = "errors_no_valid_search_criteria.json"
    with pytest.raises(RegistryQueryError) as info:
        make_client().search(city="Atlanta")
    assert info.value.field == "generic"
    assert info.value.errors[0].number == "04"
    assert info.value.description == "No valid search criteria provided"
    assert "generic" in str(info.value)


def test_lookup_sends_nothing_but_version_and_number(make_client: Client, replay: ReplayServer) -> None:
    client = make_client()
    client.lookup("1720377294")
    client.lookup("1720377294")
    assert len(replay.requests) == 2
    for request in replay.requests:
        assert request.method == "GET"
        assert request.path == "/api/"
        assert request.query == {"version": ["2.1"], "number": ["1720377294"]}
        assert set(request.headers) <= {"host", "accept", "accept-encoding", "connection", "user-agent"}
        assert request.headers["user-agent"].startswith("pecoscheck/")
        assert "cookie" not in request.headers


def test_invalid_npi_refused_before_any_request(make_client: Client, replay: ReplayServer) -> None:
    client = make_client()
    for bad in ("", "123", "17203772940", "172037729X", " 1720 377294", "abcdefghij"):
        with pytest.raises(ValueError):
            client.lookup(bad)
    with pytest.raises(ValueError):
        client.lookup_many(["1720377294", "nope"])
    strict = make_client(validate=luhn_npi_ok)
    with pytest.raises(ValueError, match="1234567890"):
        strict.lookup("1234567890")
    assert replay.requests == []
    assert found(client.lookup(" 1720377294\n")).npi == "1720377294"


@pytest.mark.parametrize("mode", ["truncated", "html", "invalid_json", "wrong_shape", "huge"])
def test_unusable_answers_are_unavailable(make_client: Client, replay: ReplayServer, mode: str) -> None:
    replay.switches.mode = mode  # type: ignore[assignment]
    result = make_client().lookup("1720377294")
    assert isinstance(result, Unavailable), result
    assert result.npi == "1720377294"


def test_twenty_megabyte_body_without_length(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.mode = "huge"
    replay.switches.huge_declared_length = False
    result = make_client().lookup("1720377294")
    assert isinstance(result, Unavailable) and "too large" in result.reason


def test_record_for_another_npi_is_unavailable(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.synthetic = True
    replay.records["1497758544"] = replay.records["1720377294"]
    result = make_client().lookup("1497758544")
    assert isinstance(result, Unavailable) and "another NPI" in result.reason


def test_redirect_is_not_followed(make_client: Client, replay: ReplayServer) -> None:
    with ReplayServer() as elsewhere:
        replay.switches.mode = "redirect"
        replay.switches.redirect_to = f"http://localhost:{elsewhere.port}/api/?version=2.1&number=1720377294"
        result = make_client().lookup("1720377294")
        assert isinstance(result, Unavailable) and "redirect" in result.reason
        assert elsewhere.requests == []
    assert len(replay.requests) == 1


def test_hang_becomes_unavailable_within_bounded_time(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.mode = "hang"
    replay.switches.hang_seconds = 30
    started = time.monotonic()
    result = make_client(timeout=0.4).lookup("1720377294")
    elapsed = time.monotonic() - started
    assert isinstance(result, Unavailable) and "0.4 s" in result.reason
    assert elapsed < 4
    assert len(replay.requests) == 3


def test_registry_down_is_unavailable(nppes_env: ReplayServer, sleeps: SleepRecorder) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with NppesClient(f"http://127.0.0.1:{port}/api/", cache=None, sleep=sleeps) as client:
        result = client.lookup("1720377294")
    assert isinstance(result, Unavailable) and "connection was refused" in result.reason


def test_lookup_many_keeps_input_order(make_client: Client, replay: ReplayServer) -> None:
    numbers = ["1225701881", "1234567893", "1720377294", "1568946812", "1720377294", "1174270805"]
    results = make_client().lookup_many(numbers)
    assert [r.npi for r in results] == numbers
    assert [type(r).__name__ for r in results] == ["Found", "NotFound", "Found", "Found", "Found", "Found"]
    assert len(replay.lookups()) == 5


def test_lookup_many_is_concurrent_and_bounded(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.synthetic = True
    replay.switches.latency = 0.1
    numbers = list(synthetic_npis(24))
    started = time.monotonic()
    results = make_client(max_in_flight=4).lookup_many(numbers)
    elapsed = time.monotonic() - started
    assert [found(r).npi for r in results] == numbers
    assert len(replay.lookups()) == 24
    assert replay.max_in_flight == 4
    assert elapsed < 24 * 0.1


def test_lookup_many_reports_each_outcome(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.fail_first = 3
    replay.switches.fail_status = 500
    results = make_client(max_in_flight=1).lookup_many(["1720377294", "1225701881"])
    assert isinstance(results[0], Unavailable)
    assert found(results[1]).organization_name == "VIOS FERTILITY INSTITUTE MICHIGAN PLLC"


def test_to_dict_is_json_and_matches_cli_contract(make_client: Client) -> None:
    data = found(make_client().lookup("1720377294")).to_dict()
    assert list(data)[:8] == ["npi", "found", "type", "status", "name", "addresses", "taxonomies", "last_updated"]
    assert data["npi"] == "1720377294" and data["found"] is True and data["type"] == "individual"
    assert data["name"] == "ELISE AILEEN HIZA"
    assert data["last_updated"] == "2018-05-08"
    assert data["addresses"][0]["city"] == "ASHEVILLE"
    assert data["taxonomies"][0]["code"] == "207X00000X"
    assert json.loads(json.dumps(data)) == data


def test_search_returns_records_and_sends_only_criteria(make_client: Client, replay: ReplayServer) -> None:
    result = make_client().search(city="Atlanta", enumeration_type="individual", limit=10)
    assert len(result.records) == 10
    assert not result.truncated
    assert result.requests == 1
    assert replay.requests[0].params == {
        "version": "2.1", "city": "Atlanta", "enumeration_type": "NPI-1", "limit": "10", "skip": "0"
    }
    types = {r.type for r in result.records}
    assert types == {"individual", "organization"}


def test_search_pages_until_a_short_page(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.synthetic_search_total = 450
    result = make_client().search(last_name="SMITH", limit=None)
    assert len(result.records) == 450
    assert len({r.npi for r in result.records}) == 450
    assert not result.truncated
    assert [(r.params["limit"], r.params["skip"]) for r in replay.requests] == [
        ("200", "0"), ("200", "200"), ("200", "400")
    ]


def test_search_stops_at_an_empty_page(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.synthetic_search_total = 400
    result = make_client().search(last_name="SMITH", limit=None)
    assert len(result.records) == 400 and not result.truncated
    assert result.requests == 3


def test_search_respects_limit(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.synthetic_search_total = 1500
    result = make_client().search(last_name="SMITH", limit=250)
    assert len(result.records) == 250 and not result.truncated
    assert [(r.params["limit"], r.params["skip"]) for r in replay.requests] == [("200", "0"), ("50", "200")]


def test_search_truncates_at_the_1200_ceiling(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.synthetic_search_total = 5000
    result = make_client().search(state="GA", city="ATLANTA", limit=5000)
    assert len(result.records) == 1200
    assert len({r.npi for r in result.records}) == 1200
    assert result.truncated
    skips = [int(r.params["skip"]) for r in replay.requests]
    assert skips == [0, 200, 400, 600, 800, 1000]
    assert all(int(r.params["limit"]) <= 200 for r in replay.requests)


def test_search_with_skip_past_1000_stays_in_the_window(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.synthetic_search_total = 5000
    pool_npis = [r.npi for r in make_client().search(city="X", limit=None).records]
    replay.requests.clear()
    result = make_client().search(city="X", skip=1050, limit=None)
    assert [r.npi for r in result.records] == pool_npis[1050:1200]
    assert result.truncated
    assert [(r.params["limit"], r.params["skip"]) for r in replay.requests] == [("200", "1000")]
    with pytest.raises(ValueError):
        make_client().search(city="X", skip=1200)


def test_search_exactly_1200_matches_is_flagged(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.synthetic_search_total = 1200
    result = make_client().search(city="X", limit=None)
    assert len(result.records) == 1200 and result.truncated


def test_search_unavailable_raises(make_client: Client, replay: ReplayServer) -> None:
    replay.switches.synthetic_search_total = 500
    replay.switches.mode = "html"
    with pytest.raises(RegistryUnavailableError, match="not JSON"):
        make_client().search(city="X", limit=None)


def test_search_wildcard_checked_locally(make_client: Client, replay: ReplayServer) -> None:
    client = make_client()
    for bad in ("J*", "*OHN", "JO*N*"):
        with pytest.raises(RegistryQueryError) as info:
            client.search(first_name=bad)
        assert info.value.field == "first_name"
    with pytest.raises(RegistryQueryError):
        client.search(first_name="JO", enumeration_type="dentist")
    assert replay.requests == []
    client.search(first_name="JO*", limit=5)
    assert replay.requests[0].params["first_name"] == "JO*"


def test_base_url_from_environment(nppes_env: ReplayServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert nppes_base_url() == nppes_env.url
    with NppesClient(cache=None) as client:
        assert client.base_url == nppes_env.url
    with NppesClient("http://127.0.0.1:9/x/", cache=None) as client:
        assert client.base_url == "http://127.0.0.1:9/x/"
    monkeypatch.delenv("PECOSCHECK_NPPES_URL")
    assert nppes_base_url() == DEFAULT_BASE_URL == "https://npiregistry.cms.hhs.gov/api/"
