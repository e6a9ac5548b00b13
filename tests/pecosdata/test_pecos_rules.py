"""PEC rules and EXC003 (``--pecos``): each finding fails and passes, against the replay server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cms_replay import CmsReplayServer
from pecoscheck.findings import Severity
from pecoscheck.rules.registry import default_registry

from .profiles import AS_OF, findings, individual, organization, run, write

pytestmark = pytest.mark.usefixtures("cms_env")

REVAL = "3746498e-874d-45d8-9c69-68603cafea60"
PPEF = "2457ea29-fc82-48b0-86ec-3b0755de7515"


def check(tmp_path: Path, profile: dict[str, Any], rule: str, **kwargs: Any) -> list[Any]:
    report = run([write(tmp_path, profile)], {"pecos"}, **kwargs)
    assert report.unavailable == {}
    return findings(report, rule)


def one(items: list[Any]) -> Any:
    assert len(items) == 1, items
    return items[0]


# --------------------------------------------------------------------------- PEC001 / PEC002


def test_pec001_approved_but_not_in_enrollment_file(tmp_path: Path) -> None:
    f = one(check(tmp_path, individual("1320000023", "Samuel", "Okafor", reassignments=[]), "PEC001"))
    assert f.severity is Severity.WARNING and f.path == "provider.medicare.status"
    assert "not in this extract" in f.message and "refreshed periodically" in f.message
    assert "extract of 2025-04-02" in f.message


def test_pec001_passes_when_enrolled_or_not_claimed(tmp_path: Path) -> None:
    assert check(tmp_path, individual(), "PEC001") == []
    pending = individual("1320000023", "Samuel", "Okafor", medicare={"status": "pending"}, reassignments=[])
    assert check(tmp_path, pending, "PEC001") == []


def test_pec002_enrollment_id_not_on_record(tmp_path: Path) -> None:
    f = one(check(tmp_path, individual(medicare={"enrollment_id": "I20150302000199"}), "PEC002"))
    assert f.severity is Severity.ERROR and f.path == "provider.medicare.enrollment_id"
    assert "I20150302000117" in f.message


def test_pec002_passes(tmp_path: Path) -> None:
    assert check(tmp_path, individual(medicare={"enrollment_id": "i20150302000117"}), "PEC002") == []
    # several enrollments (MN and WI): either id is on record
    holm = individual("1320000098", "Arne", "Holm", medicare={"enrollment_id": "I20140819000876",
                                                              "revalidation_due": "TBD"}, reassignments=[])
    assert check(tmp_path, holm, "PEC002") == []


# --------------------------------------------------------------------------- PEC003 .. PEC006


def test_pec003_due_date_differs(tmp_path: Path) -> None:
    f = one(check(tmp_path, individual(medicare={"revalidation_due": "2027-06-30"}), "PEC003"))
    assert f.severity is Severity.ERROR and f.path == "provider.medicare.revalidation_due"
    assert "2027-06-30" in f.message and "2027-04-30 for enrollment I20150302000117" in f.message


def test_pec003_passes_with_the_listed_date(tmp_path: Path) -> None:
    assert check(tmp_path, individual(), "PEC003") == []


def test_pec003_adjusted_due_date_counts(tmp_path: Path) -> None:
    park = individual("1320000056", "Grace", "Park", medicare={"enrollment_id": "I20120917000508",
                                                               "revalidation_due": "2027-01-31"}, reassignments=[])
    f = one(check(tmp_path, park, "PEC003"))
    assert "2027-03-31 (adjusted due date)" in f.message
    park["provider"]["medicare"]["revalidation_due"] = "2027-03-31"
    assert check(tmp_path, park, "PEC003") == []


def test_pec003_tbd(tmp_path: Path) -> None:
    lund = individual("1320000031", "Hannah", "Lund", medicare={"enrollment_id": "I20180115000345",
                                                                "revalidation_due": "2027-04-30"},
                      reassignments=[])
    assert "shows TBD" in one(check(tmp_path, lund, "PEC003")).message
    lund["provider"]["medicare"]["revalidation_due"] = "TBD"
    assert check(tmp_path, lund, "PEC003") == []


def test_pec003_picks_the_profiles_enrollment(tmp_path: Path) -> None:
    holm = individual("1320000098", "Arne", "Holm", medicare={"enrollment_id": "I20100405000221",
                                                              "revalidation_due": "TBD"}, reassignments=[])
    f = one(check(tmp_path, holm, "PEC003"))
    assert "2027-05-31 for enrollment I20100405000221 (MN)" in f.message and "I20140819000876" not in f.message


def test_pec004_due_date_past(tmp_path: Path) -> None:
    victor = individual("1320000049", "Victor", "Espinoza", medicare={"enrollment_id": "I20090610000777",
                                                                      "revalidation_due": "2026-06-30"},
                        reassignments=[])
    f = one(check(tmp_path, victor, "PEC004"))
    assert f.severity is Severity.ERROR and f.path == "provider.medicare.revalidation_due"
    assert "2026-06-30" in f.message and "confirm in PECOS" in f.message


def test_pec004_passes_when_due_later(tmp_path: Path) -> None:
    assert check(tmp_path, individual(), "PEC004") == []


def test_pec004_measures_against_the_planned_submission(tmp_path: Path) -> None:
    late = individual(enrollment={"action": "revalidation", "submitted_on": "2027-05-15"})
    assert "before 2027-05-15" in one(check(tmp_path, late, "PEC004")).message


def test_pec005_due_soon_and_no_revalidation_planned(tmp_path: Path) -> None:
    f = one(check(tmp_path, individual(), "PEC005"))
    assert f.severity is Severity.WARNING and "151 days after 2026-11-30" in f.message


def test_pec005_passes_when_revalidating_or_far_away(tmp_path: Path) -> None:
    assert check(tmp_path, individual(enrollment={"action": "revalidation"}), "PEC005") == []
    assert check(tmp_path, individual(enrollment={"submitted_on": "2026-08-01"}), "PEC005") == []


def test_pec006_revalidation_while_tbd(tmp_path: Path) -> None:
    lund = individual("1320000031", "Hannah", "Lund", medicare={"enrollment_id": "I20180115000345",
                                                                "revalidation_due": "TBD"},
                      enrollment={"action": "revalidation"}, reassignments=[])
    f = one(check(tmp_path, lund, "PEC006"))
    assert f.severity is Severity.ERROR and f.path == "enrollment.action" and "TBD" in f.message


def test_pec006_passes_with_a_due_date(tmp_path: Path) -> None:
    assert check(tmp_path, individual(enrollment={"action": "revalidation"}), "PEC006") == []
    lund = individual("1320000031", "Hannah", "Lund", medicare={"enrollment_id": "I20180115000345",
                                                                "revalidation_due": "TBD"}, reassignments=[])
    assert check(tmp_path, lund, "PEC006") == []  # TBD, but no revalidation planned


def test_organization_due_dates(tmp_path: Path) -> None:
    group = organization()
    assert check(tmp_path, group, "PEC003") == []
    group["provider"]["medicare"]["revalidation_due"] = "2027-02-28"
    assert "2027-03-31" in one(check(tmp_path, group, "PEC003")).message


# --------------------------------------------------------------------------- PEC007 / PEC008


def test_pec007_linked_but_not_on_record(tmp_path: Path) -> None:
    lund = individual("1320000031", "Hannah", "Lund", medicare={"enrollment_id": "I20180115000345",
                                                                "revalidation_due": "TBD"},
                      reassignments=[{"group_npi": "1881649713", "status": "linked"},
                                     {"group_npi": "2820000018", "status": "linked"}])
    f = one(check(tmp_path, lund, "PEC007"))
    assert f.severity is Severity.ERROR and f.path == "reassignments[1].status"
    assert "group NPI 2820000018 (enrollment O20160810000222)" in f.message and "not in this extract" in f.message


def test_pec007_passes_when_on_record_or_not_linked(tmp_path: Path) -> None:
    assert check(tmp_path, individual(), "PEC007") == []
    lund = individual("1320000031", "Hannah", "Lund", medicare={"enrollment_id": "I20180115000345",
                                                                "revalidation_due": "TBD"},
                      reassignments=[{"group_npi": "1881649713", "status": "linked"},
                                     {"group_npi": "2820000018", "status": "pending"}])
    assert check(tmp_path, lund, "PEC007") == []


def test_pec007_group_by_name_when_the_group_npi_is_unknown(tmp_path: Path) -> None:
    marsh = individual(reassignments=[
        {"group_npi": "1881649713", "status": "linked"},
        {"group_npi": "1234567893", "group_name": "Lake Country Urgent Care, P.A.", "status": "linked"}])
    assert check(tmp_path, marsh, "PEC007") == []
    marsh["reassignments"][1]["group_name"] = "Some Other Clinic"
    assert one(check(tmp_path, marsh, "PEC007")).path == "reassignments[1].status"


def test_pec008_on_record_missing_from_profile(tmp_path: Path) -> None:
    marsh = individual(reassignments=[{"group_npi": "1881649713", "status": "linked"}])
    f = one(check(tmp_path, marsh, "PEC008"))
    assert f.severity is Severity.WARNING and f.path == "reassignments"
    assert "LAKE COUNTRY URGENT CARE, PA (enrollment O20160810000222, MN)" in f.message


def test_pec008_without_a_reassignments_key(tmp_path: Path) -> None:
    f = one(check(tmp_path, individual("1320000031", "Hannah", "Lund", medicare={
        "enrollment_id": "I20180115000345", "revalidation_due": "TBD"}, reassignments=None), "PEC008"))
    assert f.path == "provider.npi" and "NORTHSTAR" in f.message


def test_pec008_passes(tmp_path: Path) -> None:
    assert check(tmp_path, individual(), "PEC008") == []
    # any status counts as listed
    marsh = individual(reassignments=[{"group_npi": "1881649713", "status": "linked"},
                                      {"group_npi": "2820000018", "status": "not_submitted"}])
    assert check(tmp_path, marsh, "PEC008") == []


# --------------------------------------------------------------------------- EXC003, PEC009, PEC010


def test_exc003_opted_out_and_billing(tmp_path: Path) -> None:
    okafor = individual("1320000023", "Samuel", "Okafor", medicare=None, enrollment={"action": "initial"},
                        reassignments=[])
    f = one(check(tmp_path, okafor, "EXC003"))
    assert f.severity is Severity.ERROR and f.path == "enrollment.application"
    assert "from 2025-07-01 to 2027-07-01" in f.message


def test_exc003_855o_is_info(tmp_path: Path) -> None:
    okafor = individual("1320000023", "Samuel", "Okafor", medicare=None,
                        enrollment={"action": "initial", "application": "CMS-855O"}, reassignments=[],
                        practice_locations=None)
    f = one(check(tmp_path, okafor, "EXC003"))
    assert f.severity is Severity.INFO and "eligible to order and refer: yes" in f.message


def test_exc003_passes_without_an_active_opt_out(tmp_path: Path) -> None:
    assert check(tmp_path, individual(), "EXC003") == []
    dahl = individual("1320000080", "Ingrid", "Dahl", medicare=None, enrollment={"action": "initial"},
                      reassignments=[])
    assert check(tmp_path, dahl, "EXC003") == []  # the opt-out ended 2022-01-01
    okafor = individual("1320000023", "Samuel", "Okafor", medicare=None, reassignments=[],
                        enrollment={"action": "initial", "submitted_on": "2027-07-15"})
    assert check(tmp_path, okafor, "EXC003") == []  # submitted after the opt-out ends


def _ordering(npi: str, first: str, last: str, **enrollment: str) -> dict[str, Any]:
    return individual(npi, first, last, medicare={"status": "approved", "enrollment_id": None,
                                                  "revalidation_due": None},
                      enrollment={"application": "CMS-855O", **enrollment}, reassignments=[],
                      practice_locations=None)


def test_pec009_approved_855o_not_eligible(tmp_path: Path) -> None:
    f = one(check(tmp_path, _ordering("1320000064", "Olivia", "Berg"), "PEC009"))
    assert f.severity is Severity.INFO and "PARTB N" in f.message
    g = one(check(tmp_path, _ordering("1320000049", "Victor", "Espinoza"), "PEC009"))
    assert "does not list NPI 1320000049" in g.message


def test_pec009_passes_when_eligible(tmp_path: Path) -> None:
    assert check(tmp_path, _ordering("1320000072", "Marcus", "Reid"), "PEC009") == []


def test_pec010_initial_855o_already_eligible(tmp_path: Path) -> None:
    reid = _ordering("1320000072", "Marcus", "Reid", action="initial")
    f = one(check(tmp_path, reid, "PEC010"))
    assert f.severity is Severity.INFO and f.path == "enrollment.action" and "PARTB" in f.message


def test_pec010_passes_when_not_eligible(tmp_path: Path) -> None:
    assert check(tmp_path, _ordering("1320000064", "Olivia", "Berg", action="initial"), "PEC010") == []


# --------------------------------------------------------------------------- the online switch and failures


def test_rules_need_the_pecos_switch(tmp_path: Path, cms_env: CmsReplayServer) -> None:
    report = run([write(tmp_path, individual(medicare={"enrollment_id": "I20150302000199"}))], set())
    assert [f for f in report.profiles[0].findings if f.rule.startswith("PEC")] == []
    assert cms_env.requests == []


def test_only_profile_npis_are_sent(tmp_path: Path, cms_env: CmsReplayServer) -> None:
    run([write(tmp_path, individual())], {"pecos"})
    sent = {r.params["filter[p1][condition][value]"] for r in cms_env.data_requests()}
    # the provider's and its two groups' NPIs, nothing else (no name, no group enrollment id)
    assert sent == {"1320000015", "1881649713", "2820000018"}


def test_unavailable_dataset_skips_its_rules_and_reports(tmp_path: Path, cms_env: CmsReplayServer) -> None:
    cms_env.broken_datasets.add(REVAL)
    report = run([write(tmp_path, individual(medicare={"revalidation_due": "2027-06-30",
                                                        "enrollment_id": "I20150302000199"}))], {"pecos"})
    assert "pecos" in report.unavailable and "Revalidation Due Date List" in report.unavailable["pecos"]
    assert findings(report, "PEC003") == []
    assert findings(report, "PEC002") == []  # needs both enrollment and revalidation ids
    assert report.registry_unavailable


def test_everything_down_still_reports_offline_findings(tmp_path: Path, cms_env: CmsReplayServer) -> None:
    cms_env.switches.mode = "html"  # a maintenance page: unavailable at once, no retry
    profile = individual()
    profile["provider"]["npi"] = "1320000016"  # bad check digit: NPI003 is offline
    report = run([write(tmp_path, profile)], {"pecos"}, select=("PEC", "NPI"))
    assert "pecos" in report.unavailable
    assert [f.rule for f in report.profiles[0].findings] == ["NPI003"]


def test_many_profiles_in_worker_processes(tmp_path: Path) -> None:
    paths = [write(tmp_path, individual(medicare={"revalidation_due": "2027-06-30"}), f"p{i}.yaml")
             for i in range(8)]
    report = run(paths, {"pecos"}, jobs=2)
    assert [len(findings(report, "PEC003", i)) for i in range(8)] == [1] * 8


def test_every_pec_rule_is_registered_with_examples() -> None:
    registry = default_registry([])
    ids = [*sorted(r for r in registry.rules if r.startswith("PEC")), "EXC003"]
    assert ids == [f"PEC{n:03d}" for n in range(1, 13)] + ["EXC003"]
    for rid in ids:
        r = registry.rules[rid]
        assert r.online == "pecos" and r.source.startswith("[S") and r.example_fail and r.example_pass
    assert AS_OF.isoformat() == "2026-11-26"


def test_a_group_that_cannot_be_identified_silences_both_reassignment_rules(tmp_path: Path) -> None:
    # 1234567893 has no enrollment on record and the profile gives no group name: it may be Lake Country
    marsh = individual(reassignments=[{"group_npi": "1881649713", "status": "linked"},
                                      {"group_npi": "1234567893", "status": "linked"}])
    assert check(tmp_path, marsh, "PEC007") == []
    assert check(tmp_path, marsh, "PEC008") == []
