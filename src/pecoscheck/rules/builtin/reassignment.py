"""Reassignment of benefits (42 CFR 424.80, now on the CMS-855I): the receiving group and the entry's data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from ...findings import Severity
from ..base import Context, Hit, rule
from .effective import filing_date

_SOURCE_855R = ("[S5] CMS-855R form text (OMB 0938-1179); [S21] NGS Top Reasons Behind Delays (Part B)")
_FUTURE_DAYS = 60


@rule("REA001", "Reassignment to a group that is not enrolled", "error",
      hint="Reassign only to a group that is enrolled in Medicare, or file the group's CMS-855B together with "
           "this application; record `group_enrolled: true` once it is enrolled.",
      rationale="Both the practitioner and the receiving entity must be enrolled, or concurrently enrolling "
                "(a dependent 855B); an 855I reassigning to an entity that is not enrolled is a top delay "
                "reason. `group_enrolled: false` is an error (if the group's 855B is being filed at the same "
                "time, suppress with that reason); a missing `group_enrolled` is a warning. A `linked` "
                "reassignment implies an enrolled group.",
      source=_SOURCE_855R, kinds=("individual",),
      example_fail="reassignments:\n  - {group_npi: \"1881649713\", group_enrolled: false}",
      example_pass="reassignments:\n  - {group_npi: \"1881649713\", group_enrolled: true}")
def group_not_enrolled(ctx: Context) -> Iterator[Hit]:
    for i, r in enumerate(ctx.profile.reassignments):
        who = r.group_name or f"NPI {r.group_npi}"
        if r.group_enrolled is False:
            yield Hit(("reassignments", i, "group_enrolled"), f"receiving group {who} is not enrolled in Medicare")
        elif r.group_enrolled is None and r.status != "linked":
            yield Hit(("reassignments", i), f"the profile does not say whether receiving group {who} is enrolled "
                      "(`group_enrolled`)", severity=Severity.WARNING)


@rule("REA004", "Reassignment lacks the group's name, PTAN or NPI", "warning",
      hint="Give the receiving group's legal name, NPI and (once it is enrolled) its PTAN.",
      rationale="A reassignment section missing the receiving entity's name, PTAN or NPI is a common "
                "development reason. The PTAN is expected only when the group is enrolled (`group_enrolled: "
                "true` or a `linked` reassignment); a group that is still enrolling has none yet.",
      source="[S68] CGS top development reasons (2017)", kinds=("individual",),
      example_fail="reassignments:\n  - {group_npi: \"1881649713\", group_enrolled: true}",
      example_pass="reassignments:\n  - {group_npi: \"1881649713\", group_name: \"Northstar Family Medicine, "
                   "LLC\", group_ptan: \"N418275\", group_enrolled: true}")
def reassignment_fields(ctx: Context) -> Iterator[Hit]:
    for i, r in enumerate(ctx.profile.reassignments):
        who = r.group_name or f"NPI {r.group_npi}"
        if not r.group_npi.strip():
            yield Hit(("reassignments", i, "group_npi"), f"reassignment to {who} has no group NPI")
        if not (r.group_name or "").strip():
            yield Hit(("reassignments", i, "group_name"), f"reassignment to NPI {r.group_npi} has no group name")
        if (r.group_enrolled or r.status == "linked") and not (r.group_ptan or "").strip():
            yield Hit(("reassignments", i, "group_ptan"), f"reassignment to enrolled group {who} has no "
                      "group PTAN")


@rule("REA005", "Withdrawn: physician assistant set up with a reassignment", "info",
      hint="Nothing to do: since 2022-01-01 a physician assistant may reassign benefits like other practitioners.",
      rationale="WITHDRAWN; this rule no longer reports anything and is kept so that configurations and "
                "suppressions naming it still load. It warned that physician assistants may not reassign "
                "benefits, as the retired CMS-855R said. Since 1 January 2022 section 403 of the Consolidated "
                "Appropriations Act, 2021, amending SSA 1842(b)(6)(C) (implemented in the CY2022 Physician Fee "
                "Schedule final rule), lets PAs enroll, be paid directly, form PA groups and reassign benefits "
                "to an employer or other entity (Palmetto GBA, 16 Feb 2022).",
      source="Consolidated Appropriations Act, 2021 sec. 403; SSA 1842(b)(6)(C); CY2022 PFS final rule; Palmetto GBA "
             "(2022-02-16)", kinds=("individual",),
      example_fail="",
      example_pass="provider:\n  practitioner_type: physician_assistant\nreassignments:\n"
                   "  - {group_npi: \"1881649713\"}")
def physician_assistant(ctx: Context) -> Iterator[Hit]:
    return iter(())


@rule("REA006", "Reassignment effective more than 60 days after filing", "error",
      hint="File no earlier than 60 days before the reassignment's effective date, or request an earlier date.",
      rationale="CMS may return an application that the contractor receives more than 60 days before the "
                "effective date listed on it (42 CFR 424.526(a)(2)); a reassignment's effective date is such a "
                "date on the CMS-855I. Measured from the filing date: `enrollment.submitted_on` (else the "
                "as-of date), or `signed_on` when later, since a PECOS application is received only with all "
                "its signatures. Reassignments already `linked` are not checked. The enrollment's own "
                "`effective_date` is checked by EFF003.",
      source="42 CFR 424.526(a)(2); [S60] Noridian JF-A, PECOS e-signature timeline (CR 9776)", kinds=("individual",),
      example_fail="enrollment:\n  submitted_on: 2026-11-30\nreassignments:\n"
                   "  - {group_npi: \"1881649713\", effective_date: 2027-03-01}",
      example_pass="enrollment:\n  submitted_on: 2026-11-30\nreassignments:\n"
                   "  - {group_npi: \"1881649713\", effective_date: 2026-12-15}")
def far_future(ctx: Context) -> Iterator[Hit]:
    filed = filing_date(ctx)
    limit = filed + timedelta(days=_FUTURE_DAYS)
    for i, r in enumerate(ctx.profile.reassignments):
        if r.effective_date and r.effective_date > limit and r.status != "linked":
            yield Hit(("reassignments", i, "effective_date"),
                      f"reassignment effective {r.effective_date.isoformat()} is "
                      f"{(r.effective_date - filed).days} days after the filing date {filed.isoformat()}; CMS may "
                      f"return an application received more than 60 days before its effective date "
                      f"(424.526(a)(2))")


@rule("REA002", "Reassignment without the receiving group's signer", "warning",
      hint="Record the receiving group's authorized or delegated official who signs the reassignment "
           "(`group_signer`); in PECOS, give that official's email address for the e-signature.",
      rationale="A new reassignment is signed by the practitioner and by an authorized or delegated official of "
                "the receiving organization; PECOS sends that official an e-signature request, and an "
                "application is received only once every signature is in (within 20 days). pecoscheck cannot "
                "see the group's officials, so it only asks that the signer be named (a group's official may "
                "also be the practitioner's surrogate). Reassignments already `linked` are not checked.",
      source="[S59] Palmetto GBA JJ, Sign your Medicare enrollment application electronically (2020-12-31); [S5] "
             "CMS-855R form text; [S60] Noridian JF-A, PECOS e-signature timeline (CR 9776)",
      kinds=("individual",), actions=("initial", "change_of_information", "reactivation", "reassignment"),
      example_fail="reassignments:\n  - {group_npi: \"1881649713\", status: pending}",
      example_pass="reassignments:\n  - {group_npi: \"1881649713\", status: pending, group_signer: Thomas "
                   "Lindqvist}")
def group_signer(ctx: Context) -> Iterator[Hit]:
    for i, r in enumerate(ctx.profile.reassignments):
        if r.status == "linked" or (r.group_signer or "").strip():
            continue
        who = r.group_name or f"NPI {r.group_npi}"
        yield Hit(("reassignments", i), f"reassignment to {who} names no `group_signer`; the group's authorized "
                  "or delegated official must sign it too")


@rule("REA007", "Linked reassignment for a practitioner who is not enrolled yet", "warning",
      hint="A reassignment filed with an initial 855I is `pending` (or `not_submitted`) until the MAC approves "
           "it; correct `status`, or the enrollment status and action.",
      rationale="'Linked' (pecoscheck's term for an approved reassignment visible in PECOS) needs an approved "
                "individual enrollment; a practitioner whose first enrollment is still being prepared cannot "
                "have one. Interpretation of PECOS practice, hence a warning.",
      source="[S65] CMS reassignment sub-files via andrewallenbruce/provider; [S67] Baker Donelson (CR 9552)",
      kinds=("individual",), actions=("initial",),
      example_fail="provider:\n  medicare: {status: not_enrolled}\nreassignments:\n"
                   "  - {group_npi: \"1881649713\", status: linked}",
      example_pass="provider:\n  medicare: {status: not_enrolled}\nreassignments:\n"
                   "  - {group_npi: \"1881649713\", status: pending}")
def linked_before_enrolled(ctx: Context) -> Iterator[Hit]:
    m = ctx.profile.provider.medicare
    if m is not None and m.status not in (None, "not_enrolled", "pending"):
        return
    for i, r in enumerate(ctx.profile.reassignments):
        if r.status == "linked":
            yield Hit(("reassignments", i, "status"), f"reassignment to {r.group_name or r.group_npi} is "
                      "`linked`, but this is an initial enrollment of a practitioner not yet enrolled")


@rule("REA008", "Reassignment to the practitioner's own NPI", "error",
      hint="Use the receiving group's Type 2 NPI as `group_npi`, not the practitioner's own.",
      rationale="A reassignment lets a group (another entity) bill for the practitioner's services; the "
                "receiving entity's NPI cannot be the practitioner's own Type 1 NPI.",
      source=f"{_SOURCE_855R}; [S62] NPI categories (CMS text)", kinds=("individual",),
      example_fail="provider:\n  npi: \"1680729906\"\nreassignments:\n  - {group_npi: \"1680729906\"}",
      example_pass="provider:\n  npi: \"1680729906\"\nreassignments:\n  - {group_npi: \"1881649713\"}")
def own_npi(ctx: Context) -> Iterator[Hit]:
    own = ctx.profile.provider.npi.strip()
    for i, r in enumerate(ctx.profile.reassignments):
        if r.group_npi.strip() == own:
            yield Hit(("reassignments", i, "group_npi"), f"group NPI {r.group_npi} is the practitioner's own NPI")


@rule("REA009", "Same group listed twice", "error",
      hint="Keep one reassignment entry per receiving group; remove or merge the duplicate.",
      rationale="A reassignment is established separately for each receiving entity; two entries for the same "
                "group NPI contradict each other.",
      source=_SOURCE_855R, kinds=("individual",),
      example_fail="reassignments:\n  - {group_npi: \"1881649713\"}\n  - {group_npi: \"1881649713\"}",
      example_pass="reassignments:\n  - {group_npi: \"1881649713\"}\n  - {group_npi: \"1184699621\"}")
def duplicate_group(ctx: Context) -> Iterator[Hit]:
    seen: dict[str, int] = {}
    for i, r in enumerate(ctx.profile.reassignments):
        key = r.group_npi.strip()
        if key in seen:
            yield Hit(("reassignments", i, "group_npi"), f"group NPI {key} is already listed at "
                      f"reassignments[{seen[key]}]")
        else:
            seen[key] = i
