"""Signers and officials: who signs the application, and who may be an authorized or delegated official.

Also holds the name matching the surrogate, ownership and reassignment families share.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ...findings import Severity
from ...model import Official, PersonName, Profile
from ..base import Context, Hit, rule

_HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "mx", "miss", "prof"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})
_CREDENTIALS = frozenset({
    "md", "do", "np", "pa", "pa-c", "aprn", "cnp", "fnp", "fnp-c", "fnp-bc", "rn", "phd", "psyd", "dpm", "dds",
    "dmd", "od", "crna", "cnm", "cns", "lcsw", "pt", "dpt", "ot", "otr", "mba", "mph", "mha", "dnp", "msn",
    "bsn", "facp", "faafp", "facs", "esq", "cpa",
})
_WORD = re.compile(r"[^\W\d_][\w'\-]*")

_SOURCE_SIGN = ("[S45] FCSO, who signs the CMS-855 (medicare.fcso.com/node/611); [S42] Palmetto NPE West, AO vs DO; "
                "[S46] 1st Credentialing, AO vs DO (3P)")
_SOURCE_DO = ("42 CFR 424.502 (delegated official) via [S42] Palmetto NPE West, AO vs DO; [S43] NGS Understanding "
              "AO and DO Roles; [S44] Integrity Credentialing (3P)")
OWNER_ROLES = frozenset({"direct_owner", "indirect_owner", "partner"})
CONTROL_ROLES = frozenset({"direct_owner", "indirect_owner", "partner", "managing_control"})


def _words(text: str) -> list[str]:
    return [w.strip("'-") for w in _WORD.findall(text.casefold().replace(".", " ")) if w.strip("'-")]


@lru_cache(maxsize=1024)  # rules compare the same few names of a profile many times
def name_key(text: str | None) -> tuple[str, str] | None:
    """``(first, last)`` of a written name, case-folded, without titles, middle names, suffixes or credentials.

    ``"Dr. Thomas J. Lindqvist, MD"`` and ``"thomas lindqvist"`` give the same key; ``"Lindqvist, Thomas"``
    (last name first) is read as such. ``None`` when fewer than two name words remain.
    """
    if not text:
        return None
    head, _, tail = text.partition(",")
    words = _words(head)
    rest = [w for w in _words(tail) if w not in _CREDENTIALS and w not in _SUFFIXES]
    if len(words) == 1 and rest:
        words = [rest[0], words[0]]
    while words and words[0] in _HONORIFICS:
        words.pop(0)
    while len(words) > 2 and (words[-1] in _SUFFIXES or words[-1] in _CREDENTIALS):
        words.pop()
    if len(words) < 2:
        return None
    return words[0], words[-1]


def person_key(name: PersonName) -> tuple[str, str] | None:
    """The :func:`name_key` of a structured name (first word of ``first``, last word of ``last``)."""
    first, last = _words(name.first), _words(name.last)
    return (first[0], last[-1]) if first and last else None


def same_person(a: str | None, b: str | None) -> bool:
    """Whether two written names are the same first and last name (see :func:`name_key`)."""
    ka, kb = name_key(a), name_key(b)
    return ka is not None and ka == kb


def is_practitioner(text: str | None, profile: Profile) -> bool:
    """Whether ``text`` names the individual practitioner of ``profile``."""
    name = profile.provider.name
    key = name_key(text)
    return name is not None and key is not None and key == person_key(name)


def practitioner_name(profile: Profile) -> str:
    name = profile.provider.name
    return f"{name.first} {name.last}" if name else "the practitioner"


def find_official(profile: Profile, text: str | None) -> tuple[int, Official] | None:
    """The first official whose name matches ``text``."""
    for i, o in enumerate(profile.officials):
        if same_person(o.name, text):
            return i, o
    return None


def authorized_officials(profile: Profile) -> list[str]:
    return [o.name for o in profile.officials if o.role == "authorized_official"]


def _names(names: list[str]) -> str:
    return " or ".join(names) if names else "an authorized official (none is listed)"


@rule("SIG002", "CMS-855I or CMS-855O signer is not the practitioner", "error",
      hint="Name the practitioner as `enrollment.signer`: only the practitioner signs his or her own 855I or "
           "855O (the group's AO/DO signs a reassignment separately, through PECOS).",
      rationale="On the CMS-855I only the practitioner signs, also for an entity he or she solely owns; the "
                "signature cannot be delegated. The CMS-855O is likewise the individual's own application, "
                "certified by the physician or eligible professional who orders, certifies or refers, so staff "
                "cannot sign it either. The signer is compared with `provider.name` by first and last name, "
                "ignoring case, middle names, titles, suffixes and credentials.",
      source="[S45] FCSO, who signs the CMS-855 (medicare.fcso.com/node/611); CMS-855O form (OMB 0938-1135), "
             "the ordering/certifying physician's or eligible professional's own application",
      kinds=("individual",), applications=("CMS-855I", "CMS-855O"),
      example_fail="provider:\n  name: {first: Jane, last: Doe}\nenrollment:\n  signer: Mark Office-Manager",
      example_pass="provider:\n  name: {first: Jane, last: Doe}\nenrollment:\n  signer: Jane A. Doe, MD")
def individual_signer(ctx: Context) -> Iterator[Hit]:
    signer = ctx.profile.enrollment.signer
    if signer and ctx.profile.provider.name is not None and not is_practitioner(signer, ctx.profile):
        yield Hit(("enrollment", "signer"),
                  f"signer `{signer}` is not the practitioner {practitioner_name(ctx.profile)}; only the "
                  f"practitioner may sign a {ctx.application}")


@rule("SIG001", "Initial or revalidation signer is not an authorized official", "error",
      hint="Name an authorized official (`officials[]` with `role: authorized_official`) as `enrollment.signer`; "
           "a delegated official may sign changes, but not an initial enrollment or a revalidation.",
      rationale="Only an authorized official may sign an organization's initial enrollment and revalidation; "
                "delegated officials may sign changes only. A signer who is not among `officials` at all (a "
                "billing company, an office manager) cannot sign either.",
      source=_SOURCE_SIGN, kinds=("organization",), actions=("initial", "revalidation"),
      example_fail="enrollment:\n  action: revalidation\n  signer: Karen Dahl\nofficials:\n"
                   "  - {name: Karen Dahl, role: delegated_official}",
      example_pass="enrollment:\n  action: revalidation\n  signer: Thomas Lindqvist\nofficials:\n"
                   "  - {name: Thomas Lindqvist, role: authorized_official}")
def organization_signer_ao(ctx: Context) -> Iterator[Hit]:
    signer = ctx.profile.enrollment.signer
    if not signer:
        return
    found = find_official(ctx.profile, signer)
    aos = _names(authorized_officials(ctx.profile))
    action = "initial enrollment" if ctx.action == "initial" else "revalidation"
    if found is None:
        yield Hit(("enrollment", "signer"), f"signer `{signer}` is not among `officials`; the {action} must be "
                  f"signed by an authorized official ({aos})")
    elif found[1].role != "authorized_official":
        yield Hit(("enrollment", "signer"), f"signer `{signer}` is a delegated official; only an authorized "
                  f"official ({aos}) may sign the {action}")


@rule("SIG005", "Change signer is not an authorized or delegated official", "error",
      hint="Name an authorized or delegated official listed under `officials` as `enrollment.signer`.",
      rationale="An organization's changes are signed by an authorized official or a delegated official; "
                "someone who is neither (a surrogate, a consultant) cannot sign. Initial enrollments and "
                "revalidations are checked by SIG001.",
      source=_SOURCE_SIGN, kinds=("organization",),
      actions=("change_of_information", "reactivation", "reassignment", "voluntary_termination"),
      example_fail="enrollment:\n  action: change_of_information\n  signer: Outside Consultant\nofficials:\n"
                   "  - {name: Karen Dahl, role: delegated_official}",
      example_pass="enrollment:\n  action: change_of_information\n  signer: Karen Dahl\nofficials:\n"
                   "  - {name: Karen Dahl, role: delegated_official}")
def organization_signer_official(ctx: Context) -> Iterator[Hit]:
    signer = ctx.profile.enrollment.signer
    if signer and find_official(ctx.profile, signer) is None:
        names = [o.name for o in ctx.profile.officials]
        yield Hit(("enrollment", "signer"),
                  f"signer `{signer}` is not among `officials` ({', '.join(names) or 'none listed'}); only an "
                  "authorized or delegated official may sign")


@rule("SIG004", "No signer named", "warning",
      hint="Set `enrollment.signer` to the person who will sign, so the signer rules can check it.",
      rationale="A missing or wrong signature is a top development and rejection reason. The practitioner "
                "signs a CMS-855I; an authorized official signs an organization's initial enrollment or "
                "revalidation; an authorized or delegated official signs its changes.",
      source=f"{_SOURCE_SIGN}; [S21] NGS Top Reasons Behind Delays (Part B)",
      example_fail="enrollment:\n  action: initial", example_pass="enrollment:\n  action: initial\n  signer: Jane Doe")
def missing_signer(ctx: Context) -> Iterator[Hit]:
    if ctx.profile.enrollment.signer:
        return
    p = ctx.profile
    if ctx.kind == "individual":
        who = f"the practitioner, {practitioner_name(p)}" if p.provider.name else "the practitioner"
    elif ctx.action in ("initial", "revalidation"):
        who = f"an authorized official ({_names(authorized_officials(p))})"
    else:
        who = f"an authorized or delegated official ({', '.join(o.name for o in p.officials) or 'none listed'})"
    action = "initial enrollment" if ctx.action == "initial" else ctx.action.replace("_", " ")
    yield Hit(("enrollment", "signer"), f"no `signer` named; this {ctx.application} {action} must be signed "
              f"by {who}", at_key=True)


_SOURCE_588 = ("[S26] NGS, EFT form and instructions (the agreement is signed by the AO/DO who signed the enrollment "
               "application); CGS and Cahaba GBA EFT pages (same authorized official); [S27] FCSO CMS-588 tips")
ESIGN_DAYS = 20


@rule("SIG003", "PECOS signatures given more than 20 days after submission", "error",
      hint="Have every signer e-sign (or upload the signed certification statement) within 20 days of submitting "
           "in PECOS; after that the application is rejected and must be resubmitted.",
      rationale="Since 2017-01-09 (CR 9776) signers have 20 calendar days to sign an application submitted in "
                "PECOS, by e-signature or an uploaded certification statement; a PECOS application is not "
                "received until every signature is in, and one still unsigned after 20 days is rejected. "
                "Compares `enrollment.signed_on` with `enrollment.submitted_on`; a signature date before the "
                "submission (a paper or uploaded certification statement) is not checked here.",
      source="[S60] Noridian JF-A, Changes in PECOS e-signature timeline (effective 2017-01-09; CR 9776)",
      example_fail="enrollment:\n  submitted_on: 2026-11-02\n  signed_on: 2026-11-30",
      example_pass="enrollment:\n  submitted_on: 2026-11-20\n  signed_on: 2026-11-30")
def esignature_window(ctx: Context) -> Iterator[Hit]:
    e = ctx.profile.enrollment
    if e.signed_on is None or e.submitted_on is None:
        return
    late = (e.signed_on - e.submitted_on).days
    if late > ESIGN_DAYS:
        yield Hit(("enrollment", "signed_on"), f"signed on {e.signed_on.isoformat()}, {late} days after the PECOS "
                  f"submission {e.submitted_on.isoformat()}; applications not signed within {ESIGN_DAYS} days are "
                  "rejected")


@rule("SIG006", "CMS-588 signed by someone other than the application's signer", "error",
      hint="Have the CMS-588 signed by the person who signs the enrollment application: the practitioner, or "
           "for an organization the same authorized or delegated official; record it in `signed_by`.",
      rationale="MAC instructions for the EFT authorization agreement (CMS-588) say it is signed by the "
                "individual practitioner (sole proprietor), or by the authorized or delegated official who "
                "signed the enrollment application. Compares each `cms_588_eft` document's `signed_by` with "
                "`enrollment.signer`; without a signer named, with the practitioner (individuals) or with the "
                "authorized and delegated officials listed (organizations). A CMS-588 with no `signed_by` is "
                "not checked.",
      source=_SOURCE_588,
      example_fail="enrollment:\n  signer: Thomas Lindqvist\ndocuments:\n"
                   "  - {type: cms_588_eft, file: docs/cms-588.pdf, signed_by: Karen Dahl}",
      example_pass="enrollment:\n  signer: Thomas Lindqvist\ndocuments:\n"
                   "  - {type: cms_588_eft, file: docs/cms-588.pdf, signed_by: Thomas Lindqvist}")
def eft_signer(ctx: Context) -> Iterator[Hit]:
    p = ctx.profile
    signer = p.enrollment.signer
    for i, d in ctx.documents_of("cms_588_eft"):
        if not d.signed_by:
            continue
        path = ("documents", i, "signed_by")
        if signer:
            if not same_person(d.signed_by, signer):
                yield Hit(path, f"the CMS-588 (`{d.file}`) is signed by {d.signed_by}, but the application's "
                          f"signer is {signer}")
        elif ctx.kind == "individual":
            if p.provider.name is not None and not is_practitioner(d.signed_by, p):
                yield Hit(path, f"the CMS-588 (`{d.file}`) is signed by {d.signed_by}, not by the practitioner "
                          f"{practitioner_name(p)}")
        elif find_official(p, d.signed_by) is None:
            names = ", ".join(o.name for o in p.officials) or "none listed"
            yield Hit(path, f"the CMS-588 (`{d.file}`) is signed by {d.signed_by}, who is not among `officials` "
                      f"({names})")


@rule("OFF001", "Organization has no authorized official", "error",
      hint="Add the person the organization authorized to enroll it as `officials[]` with "
           "`role: authorized_official` (and list him or her in `ownership`).",
      rationale="Only an authorized official can sign an initial enrollment or revalidation and add or remove "
                "delegated officials, so an organization needs at least one. (An empty `officials` list is "
                "already reported by the format check SCH002.)",
      source=_SOURCE_SIGN, kinds=("organization",),
      example_fail="officials:\n  - {name: Karen Dahl, role: delegated_official}",
      example_pass="officials:\n  - {name: Thomas Lindqvist, role: authorized_official}")
def no_authorized_official(ctx: Context) -> Iterator[Hit]:
    officials = ctx.profile.officials
    if officials and not authorized_officials(ctx.profile):
        yield Hit(("officials",), f"none of the {len(officials)} official(s) listed has "
                  "`role: authorized_official`", at_key=True)


def ownership_entries(profile: Profile, name: str) -> list[tuple[int, set[str], bool | None]]:
    """``(index, roles, w2_managing_employee)`` for each ``ownership`` entry naming ``name``."""
    return [(i, set(o.roles), o.w2_managing_employee) for i, o in enumerate(profile.ownership)
            if same_person(o.name, name) or o.name.strip().casefold() == name.strip().casefold()]


@rule("OWN007", "Delegated official has no ownership or control interest and is not a W-2 managing employee",
      "error",
      hint="Make the delegated official an owner or party with managing control, or record "
           "`w2_managing_employee: true` if he or she is a W-2 managing employee; otherwise remove the DO.",
      rationale="42 CFR 424.502 allows as delegated official only a person with an ownership or control "
                "interest in the provider, or a W-2 managing employee; contracted managing employees are not "
                "allowed. Accepted evidence: `is_owner: true`, an `ownership` entry with an ownership or "
                "control role, or `w2_managing_employee: true` on the official or the ownership entry. A "
                "managing employee whose W-2 status is not recorded gets a warning.",
      source=_SOURCE_DO, kinds=("organization",),
      example_fail="officials:\n  - {name: Pat Lee, role: delegated_official, is_owner: false, "
                   "w2_managing_employee: false}",
      example_pass="officials:\n  - {name: Pat Lee, role: delegated_official, is_owner: false, "
                   "w2_managing_employee: true}")
def delegated_official_interest(ctx: Context) -> Iterator[Hit]:
    for i, o in enumerate(ctx.profile.officials):
        if o.role != "delegated_official" or o.is_owner or o.w2_managing_employee:
            continue
        entries = ownership_entries(ctx.profile, o.name)
        roles = set().union(*(r for _, r, _ in entries)) if entries else set()
        if roles & CONTROL_ROLES or any(w2 for _, _, w2 in entries):
            continue
        w2_known = o.w2_managing_employee is False or any(w2 is False for _, _, w2 in entries)
        if "managing_employee" in roles and not w2_known:
            yield Hit(("officials", i, "w2_managing_employee"),
                      f"delegated official {o.name} is a managing employee, but the profile does not say whether "
                      "he or she is a W-2 employee (a contracted managing employee cannot be a DO)",
                      severity=Severity.WARNING)
            continue
        why = ("a contracted (non-W-2) managing employee" if "managing_employee" in roles
               else "neither an owner, a party with managing control, nor a W-2 managing employee")
        yield Hit(("officials", i), f"delegated official {o.name} is {why}")
