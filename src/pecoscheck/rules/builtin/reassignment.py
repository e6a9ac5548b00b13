"""Reassignment of benefits (42 CFR 424.80, now on the CMS-855I): the receiving group and the entry's data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from ...findings import Severity
from ..base import Context, Hit, rule

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


@rule("REA005", "Physician assistant set up with a reassignment", "warning",
      hint="A PA's employer or contracting entity bills through the employment arrangement in the 855I, not "
           "a reassignment; check with the MAC.",
      rationale="Physician assistants were not eligible to use the reassignment form; their employer bills "
                "for them under the employment arrangement.",
      source=f"{_SOURCE_855R}; [S67] Baker Donelson, CMS clarifies 855R (CR 9552)", kinds=("individual",),
      example_fail="provider:\n  practitioner_type: physician_assistant\nreassignments:\n"
                   "  - {group_npi: \"1881649713\"}",
      example_pass="provider:\n  practitioner_type: physician_assistant\nreassignments: []")
def physician_assistant(ctx: Context) -> Iterator[Hit]:
    if ctx.profile.provider.practitioner_type != "physician_assistant":
        return
    for i, r in enumerate(ctx.profile.reassignments):
        yield Hit(("reassignments", i), f"physician assistant reassigns benefits to {r.group_name or r.group_npi}")


@rule("REA006", "Reassignment effective more than 60 days in the future", "warning",
      hint="Request an effective date no more than 60 days after the submission, or file later.",
      rationale="A third-party PECOS tutorial citing Noridian says a reassignment whose effective date is more "
                "than 60 days in the future causes a return. UNVERIFIED MAC practice, hence a warning. Measured "
                "from the planned submission date.",
      source="[S91] PECOS reassignment walkthrough citing Noridian (3P, UNVERIFIED)", kinds=("individual",),
      example_fail="enrollment:\n  submitted_on: 2026-11-30\nreassignments:\n"
                   "  - {group_npi: \"1881649713\", effective_date: 2027-03-01}",
      example_pass="enrollment:\n  submitted_on: 2026-11-30\nreassignments:\n"
                   "  - {group_npi: \"1881649713\", effective_date: 2026-12-15}")
def far_future(ctx: Context) -> Iterator[Hit]:
    limit = ctx.check_date + timedelta(days=_FUTURE_DAYS)
    for i, r in enumerate(ctx.profile.reassignments):
        if r.effective_date and r.effective_date > limit and r.status != "linked":
            yield Hit(("reassignments", i, "effective_date"),
                      f"reassignment effective {r.effective_date.isoformat()} is "
                      f"{(r.effective_date - ctx.check_date).days} days after the submission "
                      f"{ctx.check_date.isoformat()}")


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
