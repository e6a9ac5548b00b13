"""PECOS public-data rules (``--pecos``): the profile compared with CMS's public enrollment datasets.

The datasets (data.cms.gov: Public Provider Enrollment, Revalidation Due Date
List, Revalidation Reassignment List, Order and Referring, Opt Out Affidavits)
are periodic public extracts, not live PECOS status: a missing row means "not
in this extract", and every message says which extract it read. The records
come from ``ctx.online["pecos"][npi]`` (:class:`~pecoscheck.online.cmsdata.PecosRecord`);
a dataset listed in ``record.unavailable`` is never read as "no row".
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ...findings import Severity
from ..base import Context, Hit, rule

if TYPE_CHECKING:
    from ...online.cmsdata import PecosRecord, Reassignment, Revalidation

_S65 = ("[S65] CMS data dictionaries of the data.cms.gov Public Provider Enrollment, Revalidation Due Date List "
        "and Revalidation Reassignment List (andrewallenbruce.github.io/provider articles mcr-ffs-prov-enroll, "
        "mcr-revalidation)")
_S_REVAL = "[S34] Noridian JE-B Revalidation; [S35] CGS Revalidation; [S65] Revalidation Due Date List dictionary"
_S_OPTOUT = ("[S80] CMS Opt Out Affidavits page (cms.gov MedicareProviderSupEnroll/OptOutAffidavits); "
             "[S76] Noridian opt-out period renewal and cancellation")
_S_ORDER = ("[S84] Order and Referring dataset fields (andrewallenbruce/provider R/cms-order_refer.R); "
            "[S13] Noridian JF-B Order/Certify/Prescribe; [S14] NGS CMS-855O completion tips")
EXTRACT_CAVEAT = ("CMS's public file is refreshed periodically and is not live PECOS status, so a missing row "
                  "means 'not in this extract', not 'not enrolled'.")


def record_of(ctx: Context, npi: str | None = None) -> PecosRecord | None:
    """The public-data record of ``npi`` (default: the provider's), or None when it was not fetched."""
    from ...online.cmsdata import PecosRecord

    answer = ctx.online.get("pecos", {}).get(npi or ctx.profile.provider.npi)
    return answer if isinstance(answer, PecosRecord) else None


def _extract(record: PecosRecord, dataset: str) -> str:
    """``the Revalidation Due Date List (Revalidation Due Date List : 2025-10-01)`` for messages."""
    from ...online.cmsdata import DATASETS

    ref = record.sources.get(dataset)
    title = ref.title if ref else " ".join(DATASETS[dataset].title.split())
    version = ref.version if ref and ref.version else None
    when = version.rsplit(":", 1)[-1].strip() if version and ":" in version else None
    return f"CMS's {title} ({'extract of ' + when if when else 'data.cms.gov'})"


def _medicare(ctx: Context) -> Any:
    return ctx.profile.provider.medicare


def _reval_rows(ctx: Context, record: PecosRecord) -> list[Revalidation]:
    """The due-date rows of the profile's enrollment (by enrollment id), else all rows of the NPI."""
    m = _medicare(ctx)
    wanted = (m.enrollment_id or "").strip().upper() if m else ""
    rows = list(record.revalidations)
    mine = [r for r in rows if wanted and (r.enrollment_id or "").upper() == wanted]
    return mine or rows


def _due_path(ctx: Context) -> tuple[str, ...]:
    m = _medicare(ctx)
    if m is not None and m.revalidation_due is not None:
        return ("provider", "medicare", "revalidation_due")
    return ("provider", "npi")


def _describe_due(row: Revalidation) -> str:
    due = row.effective_due.display() or "no date"
    adjusted = " (adjusted due date)" if row.adjusted_due.known and row.effective_due is row.adjusted_due else ""
    where = f"enrollment {row.enrollment_id}" if row.enrollment_id else "the enrollment"
    return f"{due}{adjusted} for {where}" + (f" ({row.state})" if row.state else "")


# --------------------------------------------------------------------------- enrollment


@rule("PEC001", "Approved in the profile, but no enrollment in CMS's public enrollment file", "warning",
      online="pecos",
      hint="Check the enrollment in PECOS. If it is approved, note that the public file lags (quarterly) and "
           "lists extra NPIs of an enrollment only in a download-only sub-file; otherwise correct "
           "`provider.medicare.status`.",
      rationale="The Medicare Fee-For-Service Public Provider Enrollment file lists actively approved "
                "enrollments by NPI. " + EXTRACT_CAVEAT + " Hence a warning, never an error.",
      source=_S65,
      example_fail="provider:\n  medicare: {status: approved}   # NPI not in the enrollment file",
      example_pass="provider:\n  medicare: {status: approved}   # NPI listed with an enrollment")
def approved_not_on_record(ctx: Context) -> Iterator[Hit]:
    m = _medicare(ctx)
    record = record_of(ctx)
    if m is None or m.status != "approved" or record is None or not record.available("enrollment"):
        return
    if not record.enrollments:
        yield Hit(("provider", "medicare", "status"),
                  f"`status` is approved, but {_extract(record, 'enrollment')} has no enrollment for NPI "
                  f"{record.npi}; {EXTRACT_CAVEAT}")


@rule("PEC002", "Enrollment ID is not among the NPI's enrollments on record", "error", online="pecos",
      hint="Copy the enrollment ID (I or O + 14 digits) from PECOS or from the enrollment on record; an "
           "NPI enrolled in several states or as several provider types has one enrollment ID each.",
      rationale="The public enrollment file and the Revalidation Due Date List give every enrollment ID of "
                "the NPI; an ID that is none of them is a typo or another provider's enrollment.",
      source=_S65,
      example_fail="provider:\n  medicare: {enrollment_id: I20150302000199}   # on record: I20150302000117",
      example_pass="provider:\n  medicare: {enrollment_id: I20150302000117}")
def enrollment_id_not_on_record(ctx: Context) -> Iterator[Hit]:
    m = _medicare(ctx)
    record = record_of(ctx)
    if m is None or not m.enrollment_id or record is None:
        return
    if not record.available("enrollment", "revalidation") or not record.enrollment_ids:
        return
    if m.enrollment_id.strip().upper() not in record.enrollment_ids:
        listed = ", ".join(sorted(record.enrollment_ids))
        yield Hit(("provider", "medicare", "enrollment_id"),
                  f"enrollment ID {m.enrollment_id} is not among the enrollments CMS's public data lists for "
                  f"NPI {record.npi}: {listed}")


# --------------------------------------------------------------------------- revalidation


@rule("PEC003", "Revalidation due date differs from CMS's Revalidation Due Date List", "error", online="pecos",
      hint="Copy the due date (or TBD) from the Revalidation Due Date List on data.cms.gov; when CMS "
           "lists an adjusted due date, that one counts.",
      rationale="CMS posts revalidation due dates about 6-7 months ahead on the Revalidation Due Date List "
                "(\"TBD\" when none is set). A different date in the profile makes every revalidation "
                "deadline check wrong.",
      source=_S_REVAL,
      example_fail="provider:\n  medicare: {revalidation_due: 2027-06-30}   # list: 04/30/2027",
      example_pass="provider:\n  medicare: {revalidation_due: 2027-04-30}")
def due_date_differs(ctx: Context) -> Iterator[Hit]:
    m = _medicare(ctx)
    record = record_of(ctx)
    if m is None or m.revalidation_due is None or record is None or not record.available("revalidation"):
        return
    rows = [r for r in _reval_rows(ctx, record) if not r.effective_due.unreadable]  # PEC011 reports those
    if not rows:
        return
    mine = m.revalidation_due

    def same(row: Revalidation) -> bool:
        due = row.effective_due
        return (due.tbd and mine == "TBD") or (due.day is not None and due.day == mine)

    if not any(same(r) for r in rows):
        shown = "; ".join(_describe_due(r) for r in rows)
        profile = mine if mine == "TBD" else mine.isoformat()
        yield Hit(("provider", "medicare", "revalidation_due"),
                  f"`revalidation_due` is {profile}, but {_extract(record, 'revalidation')} shows {shown}")


@rule("PEC004", "Revalidation due date on CMS's list has passed", "error", online="pecos",
      hint="Check the enrollment's status in PECOS now. If the revalidation was not filed, file it at "
           "once: after the due date the enrollment is stayed and then deactivated.",
      rationale="A past due date on the Revalidation Due Date List means the revalidation was due before "
                "the planned submission. Past dates can linger on the list until CMS finishes processing a "
                "revalidation already received, so confirm in PECOS before acting.",
      source=_S_REVAL + "; [S36] FCSO revalidation overview; [S75] DAB ALJ CR5613",
      example_fail="# list: due 2026-06-30, submission planned 2026-11-30",
      example_pass="# list: due 2027-04-30")
def due_date_past(ctx: Context) -> Iterator[Hit]:
    record = record_of(ctx)
    if record is None or not record.available("revalidation"):
        return
    when = ctx.check_date
    for row in _reval_rows(ctx, record):
        due = row.effective_due.day
        if due is not None and due < when:
            yield Hit(_due_path(ctx),
                      f"{_extract(record, 'revalidation')} shows revalidation due {_describe_due(row)}, before "
                      f"{when.isoformat()}; past dates can linger until CMS finishes processing, so confirm in "
                      "PECOS")


@rule("PEC005", "Revalidation due on CMS's list within the warning window and none planned", "warning",
      online="pecos",
      hint="Prepare the revalidation: it may be filed from 7 months before the due date (earlier filings are "
           "returned as unsolicited).",
      rationale="CMS lists due dates about 6-7 months ahead; once a date is listed the revalidation should be "
                "prepared. The window is `revalidation_warning_days` in the config (default 214, about 7 "
                "months). No warning when the profile already is a revalidation.",
      source=_S_REVAL,
      example_fail="enrollment: {action: change_of_information}   # list: due in 4 months",
      example_pass="enrollment: {action: revalidation}")
def due_date_soon(ctx: Context) -> Iterator[Hit]:
    record = record_of(ctx)
    if record is None or not record.available("revalidation") or ctx.action == "revalidation":
        return
    when = ctx.check_date
    horizon = when + timedelta(days=ctx.settings.revalidation_warning_days)
    for row in _reval_rows(ctx, record):
        due = row.effective_due.day
        if due is not None and when <= due <= horizon:
            days = (due - when).days
            yield Hit(_due_path(ctx),
                      f"{_extract(record, 'revalidation')} shows revalidation due {_describe_due(row)}, {days} "
                      f"days after {when.isoformat()}, and this profile plans no revalidation")


@rule("PEC006", "Revalidation planned while CMS lists the due date as TBD", "error", online="pecos",
      actions=("revalidation",),
      hint="Do not submit a revalidation before CMS posts a due date: wait until the Revalidation Due Date "
           "List shows one (about 6-7 months ahead), or file a change of information instead.",
      rationale="\"TBD\" on the Revalidation Due Date List means CMS has not set a due date; a revalidation "
                "submitted then is returned as unsolicited.",
      source=_S_REVAL,
      example_fail="enrollment: {action: revalidation}   # list: TBD",
      example_pass="enrollment: {action: revalidation}   # list: 04/30/2027")
def revalidation_while_tbd(ctx: Context) -> Iterator[Hit]:
    record = record_of(ctx)
    if record is None or not record.available("revalidation"):
        return
    rows = _reval_rows(ctx, record)
    if rows and all(r.effective_due.tbd for r in rows):
        which = ", ".join(r.enrollment_id or "?" for r in rows)
        yield Hit(("enrollment", "action"),
                  f"a revalidation is planned, but {_extract(record, 'revalidation')} lists the due date as TBD "
                  f"(enrollment {which}): CMS has not asked for one yet")


# --------------------------------------------------------------------------- reassignments


def _group_matches(ctx: Context, reassignment: Any, row: Reassignment) -> bool | None:
    """Does the profile's reassignment point at the group of ``row``? None when it cannot be told."""
    from ...online.leie import business_key

    group = record_of(ctx, reassignment.group_npi)
    if group is not None and group.enrollment_ids:
        return (row.group_enrollment_id or "").upper() in group.enrollment_ids
    if reassignment.group_name and row.group_name:
        return business_key(reassignment.group_name) == business_key(row.group_name)
    return None  # the group has no enrollment on record and no name to compare: cannot tell


@rule("PEC007", "Reassignment marked linked is not on CMS's Revalidation Reassignment List", "error",
      online="pecos", kinds=("individual",),
      hint="Check My Associates > Reassignments in PECOS. If the reassignment is not approved, set its "
           "`status` to pending or not_submitted; if it is, allow for the list's monthly refresh.",
      rationale="`linked` means an approved reassignment visible in PECOS; approved reassignments appear on "
                "the Revalidation Reassignment List by group enrollment ID. " + EXTRACT_CAVEAT,
      source=_S65 + "; [S5] CMS-855R form text (reassignment, 42 CFR 424.80)",
      example_fail="reassignments:\n  - {group_npi: \"2820000018\", status: linked}   # not on the list",
      example_pass="reassignments:\n  - {group_npi: \"1881649713\", status: linked}   # on the list")
def linked_not_on_record(ctx: Context) -> Iterator[Hit]:
    record = record_of(ctx)
    if record is None or not record.available("reassignment"):
        return
    rows = [r for r in record.reassignments_to if not r.is_physician_assistant]
    for i, reassignment in enumerate(ctx.profile.reassignments):
        if reassignment.status != "linked":
            continue
        verdicts = [_group_matches(ctx, reassignment, row) for row in rows]
        if any(v is True for v in verdicts):
            continue
        if rows and any(v is None for v in verdicts):
            continue  # the group's enrollment could not be read: say nothing
        group = record_of(ctx, reassignment.group_npi)
        ids = ", ".join(sorted(group.enrollment_ids)) if group and group.enrollment_ids else None
        to = f"group NPI {reassignment.group_npi}" + (f" (enrollment {ids})" if ids else "")
        yield Hit(("reassignments", i, "status"),
                  f"the reassignment to {to} is marked linked, but {_extract(record, 'reassignment')} shows no "
                  f"reassignment from NPI {record.npi} to that group; {EXTRACT_CAVEAT}")


@rule("PEC008", "Reassignment on CMS's list is missing from the profile", "warning", online="pecos",
      kinds=("individual",),
      hint="List every group the practitioner reassigns benefits to under `reassignments`, or end the "
           "reassignment in PECOS if it no longer applies.",
      rationale="The Revalidation Reassignment List shows the practitioner's approved reassignments. One that "
                "the profile omits is either stale in PECOS (to be terminated) or missing from the profile.",
      source=_S65 + "; [S5] CMS-855R form text",
      example_fail="reassignments: []   # list: reassigns to O20120405000318",
      example_pass="reassignments:\n  - {group_npi: \"1881649713\", status: linked}")
def on_record_not_in_profile(ctx: Context) -> Iterator[Hit]:
    record = record_of(ctx)
    if record is None or not record.available("reassignment"):
        return
    path: tuple[str, ...] = ("reassignments",) if "reassignments" in ctx.raw else ("provider", "npi")
    for row in record.reassignments_to:
        if row.is_physician_assistant:
            continue
        verdicts = [_group_matches(ctx, r, row) for r in ctx.profile.reassignments]
        if any(v is True or v is None for v in verdicts):
            continue
        group = row.group_name or "a group"
        yield Hit(path, f"{_extract(record, 'reassignment')} shows NPI {record.npi} reassigning benefits to "
                        f"{group} (enrollment {row.group_enrollment_id}"
                        + (f", {row.group_state}" if row.group_state else "") + "), which is not in "
                        "`reassignments`")


# --------------------------------------------------------------------------- opt-out, order and referring


@rule("EXC003", "Practitioner has an active Medicare opt-out and plans a billing enrollment", "error",
      online="pecos", kinds=("individual",),
      actions=("initial", "revalidation", "change_of_information", "reactivation", "reassignment"),
      hint="An opted-out practitioner cannot bill Medicare until the opt-out ends: cancel it in writing at "
           "least 30 days before the next 2-year period starts, or enroll only to order and refer (CMS-855O).",
      rationale="Opt-out affidavits run for 2 years and renew automatically; during an opt-out the "
                "practitioner may not bill Medicare (CMS-855I), though ordering and referring (CMS-855O) "
                "remains possible, so an 855O plan is only noted.",
      source=_S_OPTOUT,
      example_fail="enrollment: {application: CMS-855I}   # Opt Out Affidavits: 7/1/2025 to 7/1/2027",
      example_pass="enrollment: {application: CMS-855I}   # not on the opt-out list")
def active_opt_out(ctx: Context) -> Iterator[Hit]:
    record = record_of(ctx)
    if record is None or not record.available("opt_out"):
        return
    opt = record.active_opt_out(ctx.check_date)
    if opt is None:
        for undecided in record.undecided_opt_outs(ctx.check_date):
            yield Hit(("enrollment", "application"),
                      f"could not decide whether NPI {record.npi} is opted out of Medicare on "
                      f"{ctx.check_date.isoformat()}: {_extract(record, 'opt_out')} lists an opt-out whose "
                      f"{' and '.join(undecided.unreadable)} cannot be read; check the opt-out on CMS's Opt Out "
                      "Affidavits page or with the MAC before filing", severity=Severity.WARNING)
        return
    period = (f"from {opt.effective.isoformat() if opt.effective else '?'} to "
              f"{opt.end.isoformat() if opt.end else 'an open end'}")
    listed = _extract(record, "opt_out")
    if ctx.application == "CMS-855O":
        order = {True: "yes", False: "no"}.get(opt.eligible_to_order_refer or False, "not stated")
        yield Hit(("enrollment", "application"),
                  f"{listed} shows NPI {record.npi} opted out {period}; ordering and referring (CMS-855O) "
                  f"remains possible (eligible to order and refer: {order})", severity=Severity.INFO)
        return
    yield Hit(("enrollment", "application"),
              f"{listed} shows NPI {record.npi} opted out of Medicare {period}: a {ctx.application} billing "
              f"enrollment cannot be approved while the opt-out runs")


@rule("PEC009", "CMS-855O enrollment approved but not eligible on the Order and Referring list", "info",
      online="pecos", kinds=("individual",), applications=("CMS-855O",),
      hint="Check the enrollment and the specialty in PECOS: eligibility to order and refer needs an "
           "approved (or opted-out) enrollment and an eligible specialty. The list is refreshed weekly.",
      rationale="After an 855O enrollment is approved, the practitioner appears on the Order and Referring "
                "list with Y flags for what they may order or refer (Part B, DME, HHA, PMD, hospice); claims "
                "naming an ineligible orderer deny. " + EXTRACT_CAVEAT,
      source=_S_ORDER,
      example_fail="provider: {medicare: {status: approved}}\nenrollment: {application: CMS-855O}   # all flags N",
      example_pass="provider: {medicare: {status: approved}}\nenrollment: {application: CMS-855O}   # PARTB Y")
def order_refer_not_eligible(ctx: Context) -> Iterator[Hit]:
    m = _medicare(ctx)
    record = record_of(ctx)
    if m is None or m.status != "approved" or record is None or not record.available("order_referring"):
        return
    if record.order_refer_eligible:
        return
    if record.order_referring:
        flags = ", ".join(f"{k} {'Y' if v else 'N'}" for k, v in record.order_referring[0].flags.items())
        what = f"lists NPI {record.npi} with no eligibility ({flags})"
    else:
        what = f"does not list NPI {record.npi}"
    yield Hit(("enrollment", "application"),
              f"the CMS-855O enrollment is approved, but {_extract(record, 'order_referring')} {what}")


@rule("PEC010", "Initial CMS-855O for a practitioner already eligible to order and refer", "info",
      online="pecos", kinds=("individual",), applications=("CMS-855O",), actions=("initial",),
      hint="Check PECOS for the existing enrollment: a change of information (or nothing) may be what is "
           "needed rather than a new CMS-855O.",
      rationale="The Order and Referring list already shows the practitioner as eligible, which requires an "
                "approved or opted-out Medicare enrollment; a second initial enrollment is likely a duplicate.",
      source=_S_ORDER,
      example_fail="enrollment: {action: initial, application: CMS-855O}   # list: PARTB Y",
      example_pass="enrollment: {action: initial, application: CMS-855O}   # not on the list")
def order_refer_already_eligible(ctx: Context) -> Iterator[Hit]:
    record = record_of(ctx)
    if record is None or not record.available("order_referring") or not record.order_refer_eligible:
        return
    flags = ", ".join(k for k, v in record.order_referring[0].flags.items() if v)
    yield Hit(("enrollment", "action"),
              f"{_extract(record, 'order_referring')} already shows NPI {record.npi} as eligible to order and "
              f"refer ({flags}); an initial CMS-855O may duplicate an existing enrollment")


# --------------------------------------------------------------------------- what the data could not tell


@rule("PEC011", "A date on CMS's public list cannot be read", "warning", online="pecos",
      hint="Look the enrollment up on data.cms.gov (or ask the MAC): the rules that need this date could not "
           "decide, and say so rather than guess.",
      rationale="A revalidation due date or an opt-out date that is neither a date nor TBD cannot be compared; "
                "reading it as absent would make an ended opt-out look active or hide a due date, so the "
                "rules that need it report that they could not decide.",
      source=_S_REVAL + "; " + _S_OPTOUT,
      example_fail="# Opt Out Affidavits: Optout End Date '13/45/2027'",
      example_pass="# Opt Out Affidavits: Optout End Date '07/01/2027'")
def unreadable_dates(ctx: Context) -> Iterator[Hit]:
    record = record_of(ctx)
    if record is None:
        return
    for dataset, what in record.unreadable_dates():
        if record.available(dataset):
            yield Hit(("provider", "npi"), f"{_extract(record, dataset)} gives a date that cannot be read ({what}); "
                                           "checks that need it could not decide")


@rule("PEC012", "CMS's public data answered with rows for another NPI", "warning", online="pecos",
      hint="Nothing to fix in the profile: pecoscheck ignored those rows. If it keeps happening, data.cms.gov "
           "may have changed how its filters work; report it.",
      rationale="Every row used must carry the NPI asked about; a row for another NPI (an ignored or changed "
                "filter) would credit another provider's enrollment to this one, so such rows are dropped and "
                "counted here.",
      source=_S65,
      example_fail="# data.cms.gov answered a query for NPI 1320000015 with a row for 1320000023",
      example_pass="# every row carries NPI 1320000015")
def off_npi_rows(ctx: Context) -> Iterator[Hit]:
    record = record_of(ctx)
    if record is None or not record.dropped:
        return
    counts = ", ".join(f"{n} from {_extract(record, d)}" for d, n in sorted(record.dropped.items()))
    yield Hit(("provider", "npi"), f"rows that do not carry NPI {record.npi} were returned and ignored: {counts}")
