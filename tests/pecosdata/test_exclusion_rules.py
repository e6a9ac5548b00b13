"""EXC001 and EXC900 (``--exclusions``) against an LEIE index built from the real 2017 files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cms_replay import LEIE_FIXTURES, CmsReplayServer
from pecoscheck.findings import Severity
from pecoscheck.online.leie import build_index, default_index_path
from pecoscheck.online.screening import person_candidates

from .profiles import findings, individual, organization, run, write


def exc(tmp_path: Path, profile: dict[str, Any], rule: str = "EXC001") -> list[Any]:
    report = run([write(tmp_path, profile)], {"exclusions"})
    assert report.unavailable == {}
    return findings(report, rule)


def owner(name: str, npi: str | None = None, party: str = "individual", roles: tuple[str, ...] = ("direct_owner",),
          percent: float = 10) -> dict[str, Any]:
    out: dict[str, Any] = {"party": party, "name": name, "percent": percent, "roles": list(roles)}
    if npi:
        out["npi"] = npi
    return out


@pytest.fixture(autouse=True)
def _index(leie_index: Path) -> Path:
    return leie_index


def test_owner_npi_match_is_an_error(tmp_path: Path) -> None:
    group = organization(ownership=[*organization()["ownership"], owner("Joni Barrows", "1609915321")])
    (f,) = exc(tmp_path, group)
    assert f.severity is Severity.ERROR and f.path == "ownership[3].npi"
    assert "NPI 1609915321 is on the OIG LEIE copy of 2026-11-10 as excluded" in f.message
    assert "excluded 2009-02-06 under 1128b14" in f.message


def test_provider_npi_match_is_an_error(tmp_path: Path) -> None:
    joni = individual("1609915321", "Joni", "Barrows", reassignments=[])
    (f,) = exc(tmp_path, joni)  # the name match on the same row is not repeated
    assert f.severity is Severity.ERROR and f.path == "provider.npi" and f.message.startswith("the provider:")


def test_name_only_match_is_a_warning_never_an_error(tmp_path: Path) -> None:
    group = organization(ownership=[*organization()["ownership"],
                                    owner("Joni Barrows", roles=("managing_employee",), percent=0)])
    (f,) = exc(tmp_path, group)
    assert f.severity is Severity.WARNING and f.path == "ownership[3].name"
    assert f.message.startswith("managing employee Joni Barrows: possible match by name only")
    assert "no SSN or EIN" in f.message and "online search" in f.message


def test_official_and_business_names_are_screened(tmp_path: Path) -> None:
    group = organization(
        ownership=[*organization()["ownership"],
                   owner("Ancor Medical Services, Inc.", party="organization")],
        officials=[{"name": "Thomas Lindqvist", "role": "authorized_official"},
                   {"name": "Crone, Josephine", "role": "delegated_official"}])
    found = {f.path: f for f in exc(tmp_path, group)}
    assert set(found) == {"ownership[3].name", "officials[1].name"}
    assert all(f.severity is Severity.WARNING for f in found.values())
    assert "ANCOR MEDICAL SERVICES INC" in found["ownership[3].name"].message
    assert found["officials[1].name"].message.startswith("delegated official Crone, Josephine")


def test_provider_business_name(tmp_path: Path) -> None:
    group = organization(provider={"legal_name": "Bright Start Resources, Inc."})
    (f,) = exc(tmp_path, group)
    assert f.path == "provider.legal_name" and f.severity is Severity.WARNING


def test_clean_profiles_pass(tmp_path: Path) -> None:
    assert exc(tmp_path, organization()) == []
    assert exc(tmp_path, individual()) == []


def test_reinstated_exclusions_do_not_match(tmp_path: Path) -> None:
    # ASHLEY, HEATHER (NPI 1427205822) is in the index only as reinstated on 2017-02-15
    group = organization(ownership=[*organization()["ownership"], owner("Heather Ashley", "1427205822")])
    assert exc(tmp_path, group) == []


def test_name_match_with_another_npi_is_another_person(tmp_path: Path) -> None:
    # COLLINS, STEVEN is excluded with NPI 1396736260; an owner with a different NPI is someone else
    group = organization(ownership=[*organization()["ownership"], owner("Steven Collins", "1097080240")])
    assert exc(tmp_path, group) == []
    group = organization(ownership=[*organization()["ownership"], owner("Steven J. Collins, MD")])
    (f,) = exc(tmp_path, group)
    assert f.severity is Severity.WARNING and "NPI 1396736260" in f.message


def test_exc900_old_copy(tmp_path: Path, leie_csv: Path) -> None:
    build_index(leie_csv, default_index_path(), file_date=date(2026, 9, 1))
    (f,) = exc(tmp_path, organization(), "EXC900")
    assert f.severity is Severity.WARNING
    assert "holding exclusions through 2026-07, but OIG had published 2026-10 by 2026-11-26" in f.message


def test_exc900_a_missed_supplement_month_is_a_gap(tmp_path: Path, leie_csv: Path) -> None:
    """The full file of 2017-01-12 holds 2016-12; 1701REIN was never applied, 1702EXCL/REIN were."""
    from pecoscheck.online.leie import apply_supplements

    build_index(leie_csv, default_index_path(), file_date=date(2017, 1, 12))
    folder = LEIE_FIXTURES
    apply_supplements([(folder / "oig_leie_oigmirror_1701EXCL.csv", "1701EXCL.csv"),
                       (folder / "oig_leie_oigmirror_1702EXCL.csv", "1702EXCL.csv"),
                       (folder / "oig_leie_oigmirror_1702REIN.csv", "1702REIN.csv")])
    messages = [f.message for f in exc(tmp_path, organization(), "EXC900")]
    assert any("lacks the monthly supplements 1701REIN between" in m for m in messages), messages


def test_exc900_passes_with_a_recent_copy(tmp_path: Path) -> None:
    assert exc(tmp_path, organization(), "EXC900") == []


def test_no_index_is_unavailable_and_offline_findings_stay(tmp_path: Path) -> None:
    default_index_path().unlink()
    profile = individual()
    profile["provider"]["npi"] = "1320000016"
    report = run([write(tmp_path, profile)], {"exclusions"}, select=("EXC", "NPI"))
    assert report.unavailable == {"exclusions": "no local copy of the OIG exclusion list: run "
                                                "`pecoscheck data update leie`"}
    assert [f.rule for f in report.profiles[0].findings] == ["NPI003"]


def test_screening_sends_nothing(tmp_path: Path, cms_env: CmsReplayServer) -> None:
    exc(tmp_path, organization())
    assert cms_env.requests == []


@pytest.mark.parametrize(("name", "expected"), [
    ("Thomas Lindqvist", [("Lindqvist", "Thomas")]),
    ("Doe, Jane Q", [("Doe", "Jane"), ("Doe", "Jane Q")]),
    ("Steven J Collins, MD", [("J Collins", "Steven"), ("Collins", "Steven J"), ("Collins", "Steven")]),
    ("Madonna", [("Madonna", "")]),
    ("", []),
])
def test_person_candidates(name: str, expected: list[tuple[str, str]]) -> None:
    assert person_candidates(name) == expected


def test_compound_names_match(tmp_path: Path, cms_env: CmsReplayServer) -> None:
    from pecoscheck.online.leie import COLUMNS, LeieIndex
    from pecoscheck.online.screening import screen_person

    header = ",".join(f'"{c}"' for c in COLUMNS)
    row = ('"DE LA CRUZ","MARIA"," ",,"NURSING PROFESSION",,,"0000000000","19700101","1 A ST","TOWN","TX",'
           '"75001","1128b4","20200101","00000000","00000000",')
    path = tmp_path / "x.csv"
    path.write_text(f"{header}\n{row}\n")
    build_index(path, tmp_path / "x.sqlite3")
    with LeieIndex(tmp_path / "x.sqlite3") as index:
        assert screen_person(index, "María Elena de la Cruz")
        assert screen_person(index, "de la Cruz, Maria")
        assert not screen_person(index, "Maria Cruz-Lopez")
