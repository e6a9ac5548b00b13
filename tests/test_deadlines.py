"""`pecoscheck deadlines` and the deadlines library: every kind of date, the rules agree, and the outputs."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar
from typer.testing import CliRunner

from helpers import AS_OF, EXAMPLES, ROOT, check
from pecoscheck.cli import app
from pecoscheck.deadline_formats import CSV_COLUMNS, render_csv, render_ics
from pecoscheck.deadlines import Deadline, DeadlineRun, deadlines_for_paths, file_deadlines, select_within
from pecoscheck.rules.builtin.changes import change_deadline
from pecoscheck.rules.builtin.revalidation import add_months, revalidation_window_opens
from pecoscheck.rules.registry import default_registry

runner = CliRunner()

INDIVIDUAL = """\
schema_version: 1
provider:
  kind: individual
  npi: "1234567893"
  name: {first: Jane, last: Doe, credential: MD}
  practitioner_type: physician
  prescribes_controlled_substances: true
  taxonomies:
    - {code: 207Q00000X, primary: true, license_state: CA}
  medicare: {status: approved, revalidation_due: REVDUE}
enrollment:
  action: ACTION
licenses:
  - {state: CA, number: A123456, type: MD, status: active, expires: 2028-06-30}
practice_locations:
  - name: Doe Family Medicine
    address: {line1: 100 Main St, city: San Francisco, state: CA, zip: "94110"}
    primary: true
identity_access: {holder: Jane Doe, role: individual_provider, systems: [PECOS, NPPES]}
surrogates:
  - {name: Alicia Moreno, organization: Bay Billing, role: staff_end_user, systems: [PECOS], approved_by: Jane Doe,
     approved_on: 2026-01-10, status: approved, expires: 2027-01-10}
  - {name: Sam Pending, organization: Bay Billing, systems: [PECOS], status: pending, expires: 2027-02-01}
documents:
  - {type: state_license, file: docs/ca-license.pdf, expires: 2028-06-30, refers_to: CA}
  - {type: dea_certificate, file: docs/dea.pdf, expires: 2027-03-31, refers_to: CA}
  - {type: board_certification, file: docs/board.pdf}
changes:
  - {kind: ownership, effective_date: 2028-01-30}
  - {kind: name, effective_date: 2028-01-30}
  - {kind: practice_location, effective_date: 2026-09-01, reported_on: 2026-09-20}
"""


def write(tmp_path: Path, text: str, name: str = "profile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def individual(tmp_path: Path, due: str = "2028-02-29", action: str = "change_of_information", **more: str) -> Path:
    text = INDIVIDUAL.replace("REVDUE", due).replace("ACTION", action)
    for old, new in more.items():
        assert old in text
        text = text.replace(old, new)
    return write(tmp_path, text)


def items(path: Path, as_of: date = AS_OF) -> list[Deadline]:
    got = file_deadlines(path, as_of)
    assert not isinstance(got, str), got
    return got.deadlines


def by_path(found: list[Deadline]) -> dict[tuple[str, str], Deadline]:
    return {(d.path, d.kind if d.kind != "change_report_due" else d.rule): d for d in found}


# --- every kind of date ------------------------------------------------------------------------------------


def test_every_kind_of_date_of_an_individual(tmp_path: Path) -> None:
    path = individual(tmp_path)
    got = by_path(items(path))
    lic = got[("licenses[0].expires", "license_expires")]
    assert (lic.date, lic.rule, lic.what) == (date(2028, 6, 30), "LIC001", "License CA A123456 expires")
    assert lic.days_left == (date(2028, 6, 30) - AS_OF).days and lic.status == "upcoming"
    assert (lic.provider, lic.npi, lic.line) == ("Jane Doe", "1234567893", 14)
    assert lic.profile.endswith("profile.yaml")

    dea = got[("documents[1].expires", "dea_expires")]
    assert (dea.date, dea.rule, dea.what) == (date(2027, 3, 31), "DOC018", "DEA registration CA expires")
    copy = got[("documents[0].expires", "document_expires")]
    assert (copy.date, copy.rule) == (date(2028, 6, 30), "DOC018")
    assert not any(k[0] == "documents[2].expires" for k in got)  # no expiry date, no item

    sur = got[("surrogates[0].expires", "surrogate_expires")]
    assert (sur.date, sur.rule) == (date(2027, 1, 10), "SUR007")
    assert "Alicia Moreno (Bay Billing)" in sur.what
    assert ("surrogates[1].expires", "surrogate_expires") not in got  # pending: nothing expires

    due = got[("provider.medicare.revalidation_due", "revalidation_due")]
    assert (due.date, due.rule) == (date(2028, 2, 29), "REV001")
    opens = got[("provider.medicare.revalidation_due", "revalidation_window")]
    # leap day: 7 calendar months before 2028-02-29 is 2027-07-29, as the revalidation rules compute it
    assert opens.date == revalidation_window_opens(date(2028, 2, 29)) == add_months(date(2028, 2, 29), -7)
    assert opens.date == date(2027, 7, 29)
    assert (opens.rule, opens.is_start, opens.overdue) == ("REV002", True, False)

    # a 30-day change effective 2028-01-30 is due on the leap day; a 90-day one on 2028-04-29
    own = got[("changes[0].reported_on", "CHG001")]
    assert own.date == date(2028, 2, 29) == change_deadline(check_profile(path), check_profile(path).changes[0])
    name = got[("changes[1].reported_on", "CHG002")]
    assert name.date == date(2028, 4, 29)
    assert not any(k[0] == "changes[2].reported_on" for k in got)  # already reported
    assert {d.kind for d in got.values()} == {"license_expires", "dea_expires", "document_expires",
                                              "surrogate_expires", "revalidation_due", "revalidation_window",
                                              "change_report_due"}


def check_profile(path: Path):  # the validated model of a profile file
    from pecoscheck.deadlines import load_profile

    profile, _, problem = load_profile(path)
    assert profile is not None, problem
    return profile


def test_tbd_due_date_is_an_undated_note(tmp_path: Path) -> None:
    got = file_deadlines(individual(tmp_path, due="TBD"), AS_OF)
    assert not isinstance(got, str)
    assert not [d for d in got.deadlines if d.kind.startswith("revalidation")]
    assert [(u.kind, u.path) for u in got.undated] == [("revalidation_due", "provider.medicare.revalidation_due")]
    assert "TBD" in got.undated[0].note


@pytest.mark.parametrize("replace", [
    {"status: approved, revalidation_due": "status: deactivated, revalidation_due"},
    {"status: approved, revalidation_due": "status: revoked, revalidation_due"},
])
def test_no_revalidation_deadline_where_rev001_does_not_apply(tmp_path: Path, replace: dict[str, str]) -> None:
    got = items(individual(tmp_path, **replace))
    assert not [d for d in got if d.kind.startswith("revalidation")]


def test_voluntary_termination_has_no_revalidation_deadline(tmp_path: Path) -> None:
    got = items(individual(tmp_path, action="voluntary_termination"))
    assert not [d for d in got if d.kind.startswith("revalidation")]


def test_window_item_dropped_once_the_due_date_has_passed(tmp_path: Path) -> None:
    got = items(individual(tmp_path, due="2026-09-30"))
    rev = [d for d in got if d.kind.startswith("revalidation")]
    assert [(d.kind, d.status, d.days_left) for d in rev] == [("revalidation_due", "overdue", -57)]


def test_open_window_is_not_overdue(tmp_path: Path) -> None:
    got = items(individual(tmp_path, due="2027-03-31"))
    opens = next(d for d in got if d.kind == "revalidation_window")
    assert opens.date == date(2026, 8, 31) and opens.days_left < 0
    assert (opens.status, opens.overdue) == ("open", False)


def test_window_dates_agree_with_rev002(tmp_path: Path) -> None:
    """Filing the day before the window opens fires REV002; filing on that day does not."""
    opens = revalidation_window_opens(date(2028, 2, 29))
    for submitted, fires in ((opens - timedelta(days=1), True), (opens, False)):
        path = individual(tmp_path, action=f"revalidation\n  submitted_on: {submitted.isoformat()}")
        assert next(d for d in items(path) if d.kind == "revalidation_window").date == opens
        hits = [f for f in check(path, date(2026, 11, 26)).findings if f.rule == "REV002"]
        assert bool(hits) is fires, (submitted, hits)


def test_organization_license_and_change_windows(tmp_path: Path) -> None:
    text = (EXAMPLES / "clinical-lab" / "profile.yaml").read_text("utf-8")
    profile = yaml.safe_load(text)
    profile["provider"]["organization_type"] = "hospital"
    profile["enrollment"]["application"] = "CMS-855A"
    profile["changes"] = [{"kind": "practice_location", "effective_date": "2027-01-15"},
                          {"kind": "managing_control", "effective_date": "2027-01-15"}]
    path = write(tmp_path, yaml.safe_dump(profile, sort_keys=False))
    got = items(path)
    assert {d.rule for d in got if d.kind == "license_expires"} == {"LIC006"}
    loc = sorted((d.date, d.rule) for d in got if d.path == "changes[0].reported_on")
    # institutional providers: 30 days under the CY2024 rule (CHG006), 90 days by regulation (CHG002)
    assert loc == [(date(2027, 2, 14), "CHG006"), (date(2027, 4, 15), "CHG002")]
    assert loc[0][0] == change_deadline(check_profile(path), check_profile(path).changes[0])
    ctl = [(d.date, d.rule) for d in got if d.path == "changes[1].reported_on"]
    assert ctl == [(date(2027, 2, 14), "CHG004")]


def test_dmepos_changes_are_30_days(tmp_path: Path) -> None:
    text = (EXAMPLES / "dmepos-supplier" / "profile.yaml").read_text("utf-8")
    text += "\nchanges:\n  - {kind: bank_account, effective_date: 2026-11-01}\n"
    got = [d for d in items(write(tmp_path, text)) if d.kind == "change_report_due"]
    assert [(d.date, d.rule, d.days_left, d.status) for d in got] == [(date(2026, 12, 1), "CHG003", 5, "upcoming")]


def test_sorted_overdue_first_then_by_date(tmp_path: Path) -> None:
    got = items(individual(tmp_path, due="2026-09-30"), as_of=date(2027, 2, 1))
    overdue = [d for d in got if d.overdue]
    assert got[: len(overdue)] == overdue and overdue
    assert [d.date for d in overdue] == sorted(d.date for d in overdue)
    rest = got[len(overdue):]
    assert [d.date for d in rest] == sorted(d.date for d in rest)


def test_within_keeps_overdue(tmp_path: Path) -> None:
    got = items(individual(tmp_path, due="2026-09-30"))
    near = select_within(got, 30)
    assert near and all(d.days_left <= 30 for d in near)
    assert any(d.overdue for d in near)
    assert select_within(got, None) == got


def test_uid_is_stable_and_unique(tmp_path: Path) -> None:
    path = individual(tmp_path)
    a, b = items(path), items(path, as_of=date(2027, 5, 1))
    assert [d.uid for d in a] == [d.uid for d in b]
    assert len({d.uid for d in a}) == len(a)


def test_profile_that_fails_the_schema_is_skipped(tmp_path: Path) -> None:
    good = individual(tmp_path)
    bad = write(tmp_path, good.read_text("utf-8").replace("licenses:", "licences:"), "bad.yaml")
    run = deadlines_for_paths([good, bad], AS_OF)
    assert [Path(p).name for p, _ in run.skipped] == ["bad.yaml"]
    assert "licences" in run.skipped[0][1]
    assert run.deadlines


# --- the deadlines agree with the rules --------------------------------------------------------------------

UNVERIFIED_WARNINGS = ("SUR007",)  # its fact is not verified against a primary source, so at most a warning
ALL_EXAMPLES = sorted(EXAMPLES.glob("*/profile.yaml")) + sorted((EXAMPLES / "not-ready").glob("*.yaml"))


def _example_items() -> list[tuple[Path, Deadline]]:
    out = []
    for path in ALL_EXAMPLES:
        got = file_deadlines(path, AS_OF)
        if isinstance(got, str):
            continue
        out += [(path, d) for d in got.deadlines if not d.is_start]
    return out


@pytest.mark.parametrize(("path", "item"), _example_items(),
                         ids=lambda v: v.name if isinstance(v, Path) else f"{v.path}-{v.rule}")
def test_rule_fires_once_the_date_has_passed(tmp_path: Path, path: Path, item: Deadline) -> None:
    """As of the deadline the rule is quiet at that place; the day after, it fires there (as an error)."""
    text = path.read_text("utf-8")

    def findings(as_of: date):
        body = re.sub(r"submitted_on: \d{4}-\d{2}-\d{2}", f"submitted_on: {as_of.isoformat()}", text)
        copy = tmp_path / path.name
        copy.write_text(body, "utf-8")
        wanted = "warning" if item.rule in UNVERIFIED_WARNINGS else "error"
        return [f for f in check(copy, as_of).findings if f.rule == item.rule and f.severity.value == wanted]

    def here(found: list) -> list:
        if item.rule == "LIC001":  # one hit per practice state, at the license that lapsed last
            return [f for f in found if f.path.startswith("licenses[")]
        return [f for f in found if f.path == item.path]

    assert here(findings(item.date)) == []
    assert here(findings(item.date + timedelta(days=1))), f"{item.rule} did not fire the day after {item.date}"


def test_rule_ids_exist() -> None:
    registry = default_registry()
    from pecoscheck import deadlines as mod

    for rid in (mod.LICENSE_RULE, mod.ORG_LICENSE_RULE, mod.DEA_RULE, mod.DOCUMENT_RULE, mod.SURROGATE_RULE,
                mod.REVALIDATION_RULE, mod.WINDOW_RULE, "CHG006"):
        assert rid in registry.rules, rid


# --- the command and its formats ---------------------------------------------------------------------------


def invoke(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["deadlines", *args])
    return r.exit_code, r.stdout, r.stderr


def _dates_in_yaml(path: Path) -> set[tuple[str, str]]:
    """(item path, date) of every expiry and revalidation date written in a profile, read independently."""
    data = yaml.safe_load(path.read_text("utf-8"))
    out: set[tuple[str, str]] = set()
    for key in ("licenses", "documents", "surrogates"):
        for i, item in enumerate(data.get(key) or []):
            if item.get("expires") and (key != "surrogates" or item.get("status") == "approved"):
                out.add((f"{key}[{i}].expires", str(item["expires"])))
    medicare = (data.get("provider") or {}).get("medicare") or {}
    if isinstance(medicare.get("revalidation_due"), date):
        out.add(("provider.medicare.revalidation_due", str(medicare["revalidation_due"])))
    for i, c in enumerate(data.get("changes") or []):
        if not c.get("reported_on"):
            out.add((f"changes[{i}].reported_on", "*"))
    return out


def test_examples_within_a_year_list_every_dated_item(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    not_ready = [str(p.relative_to(ROOT)) for p in sorted((EXAMPLES / "not-ready").glob("*.yaml"))]
    code, out, err = invoke("examples/", *not_ready, "--within", "365", "--as-of", "2026-11-26", "-f", "json")
    assert code == 0, err
    listed = json.loads(out)
    skipped = {s["path"] for s in listed["skipped"]}
    assert "examples/not-ready/misspelled-licences.yaml" in skipped
    assert all(f"skipped {p}" in err for p in skipped)
    got = {(d["profile"], d["path"], d["date"]) for d in listed["deadlines"]}
    expected = 0
    for path in [*sorted(EXAMPLES.glob("*/profile.yaml")), *(ROOT / p for p in not_ready)]:
        shown = str(path.relative_to(ROOT))
        if shown in skipped or path.name == "duplicate-key.yaml":  # PyYAML keeps the other duplicate
            continue
        for where, when in _dates_in_yaml(path):
            if when == "*":
                assert any(p == shown and w == where for p, w, _ in got), (shown, where)
                continue
            if (date.fromisoformat(when) - AS_OF).days <= 365 and not (
                    where.endswith("revalidation_due") and "deactivated" in path.read_text("utf-8")):
                expected += 1
                assert (shown, where, when) in got, (shown, where, when)
    assert expected >= 10
    assert all(d["days_left"] <= 365 for d in listed["deadlines"])
    assert listed["summary"]["overdue"] == sum(d["overdue"] for d in listed["deadlines"]) >= 1


def test_ready_examples_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """From the repository root the config leaves out examples/not-ready, as for `validate`."""
    monkeypatch.chdir(ROOT)
    code, out, err = invoke("examples/", "--within", "365", "--as-of", "2026-11-26")
    assert code == 0, err
    assert "not-ready" not in out
    rows = [ln for ln in out.splitlines() if re.match(r"\d{4}-\d{2}-\d{2} ", ln)]
    code, js, _ = invoke("examples/", "--within", "365", "--as-of", "2026-11-26", "-f", "json")
    listed = json.loads(js)["deadlines"]
    assert len(rows) == len(listed) >= 3
    for row, item in zip(rows, listed, strict=True):
        assert row.startswith(item["date"]) and item["rule"] in row and item["what"][:20] in out
    assert re.search(r"\d+ items due within 365 days of 2026-11-26", out)


def _run(tmp_path: Path, *args: str) -> str:
    path = individual(tmp_path, due="2026-09-30", **{"number: A123456": "number: 12-3456789"})
    code, out, err = invoke(str(path), "--as-of", "2026-11-26", "--within", "800", *args)
    assert code == 0, err
    return out


def test_ics_parses_back_one_event_per_row(tmp_path: Path) -> None:
    table = _run(tmp_path)
    rows = [ln for ln in table.splitlines() if re.match(r"\d{4}-\d{2}-\d{2} ", ln)]
    cal = Calendar.from_ical(_run(tmp_path, "-f", "ics"))
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(rows) >= 6
    listed = json.loads(_run(tmp_path, "-f", "json"))["deadlines"]
    assert [e.decoded("dtstart") for e in events] == [date.fromisoformat(d["date"]) for d in listed]
    assert [ln[:10] for ln in rows] == [d["date"] for d in listed]
    for event, item in zip(events, listed, strict=True):
        start = event.decoded("dtstart")
        assert type(start) is date  # all-day
        assert event.decoded("dtend") == start + timedelta(days=1)
        assert str(event["uid"]) == item["uid"]
        assert event.get("dtstamp") is not None
        assert item["rule"] in str(event["description"]) and "Fix:" in str(event["description"])
        alarms = list(event.walk("VALARM"))
        assert len(alarms) == 1 and alarms[0].decoded("trigger") == timedelta(days=-14)
    assert cal["version"] == "2.0" and "pecoscheck" in str(cal["prodid"])
    again = Calendar.from_ical(_run(tmp_path, "-f", "ics", "--remind", "3"))
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == [str(e["uid"]) for e in events]
    assert {a.decoded("trigger") for a in again.walk("VALARM")} == {timedelta(days=-3)}
    assert list(Calendar.from_ical(_run(tmp_path, "-f", "ics", "--remind", "0")).walk("VALARM")) == []


def test_identifiers_masked_in_every_format(tmp_path: Path) -> None:
    for fmt in ("table", "json", "csv", "ics"):
        out = _run(tmp_path, "-f", fmt)
        assert "12-3456789" not in out.replace("\r\n ", ""), fmt
        assert "12-***6789" in out.replace("\r\n ", ""), fmt


def test_csv_shape(tmp_path: Path) -> None:
    out = _run(tmp_path, "-f", "csv")
    reader = csv.DictReader(io.StringIO(out))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    rows = list(reader)
    assert len(rows) == len(json.loads(_run(tmp_path, "-f", "json"))["deadlines"])
    assert rows[0]["status"] == "overdue" and int(rows[0]["days_left"]) < 0
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"]) for r in rows)


def test_json_shape(tmp_path: Path) -> None:
    data = json.loads(_run(tmp_path, "-f", "json"))
    assert set(data) == {"tool", "as_of", "within_days", "deadlines", "undated", "skipped", "summary"}
    assert data["as_of"] == "2026-11-26" and data["within_days"] == 800
    assert set(data["deadlines"][0]) == {"date", "days_left", "status", "overdue", "kind", "what", "rule", "fix",
                                         "profile", "provider", "npi", "path", "line", "uid"}
    tbd = individual(tmp_path / "x" if (tmp_path / "x").mkdir() is None else tmp_path, due="TBD")
    code, out, _ = invoke(str(tbd), "--as-of", "2026-11-26", "-f", "json")
    assert code == 0 and json.loads(out)["undated"][0]["kind"] == "revalidation_due"


def test_within_limits_the_list(tmp_path: Path) -> None:
    far = json.loads(_run(tmp_path, "-f", "json"))["deadlines"]
    path = tmp_path / "profile.yaml"
    code, out, _ = invoke(str(path), "--as-of", "2026-11-26", "--within", "30", "-f", "json")
    near = json.loads(out)["deadlines"]
    assert code == 0 and 0 < len(near) < len(far)
    assert all(d["days_left"] <= 30 for d in near)


def test_output_file(tmp_path: Path) -> None:
    path = individual(tmp_path)
    target = tmp_path / "out.ics"
    code, out, _ = invoke(str(path), "--as-of", "2026-11-26", "-f", "ics", "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text("utf-8").startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize("args", [
    ["--format", "xml"], ["--as-of", "26/11/2026"], ["--within", "-1"], ["--remind", "-2"],
])
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    code, _, err = invoke(str(individual(tmp_path)), *args)
    assert code == 2 and err.startswith("pecoscheck: ")


def test_missing_path_exits_2(tmp_path: Path) -> None:
    code, _, err = invoke(str(tmp_path / "nope.yaml"))
    assert code == 2 and "no such file" in err


def test_renderers_take_an_empty_run() -> None:
    run = DeadlineRun(AS_OF)
    assert render_csv([]).splitlines() == [",".join(CSV_COLUMNS)]
    assert list(Calendar.from_ical(render_ics(run, [])).walk("VEVENT")) == []
