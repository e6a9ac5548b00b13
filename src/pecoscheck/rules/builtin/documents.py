"""Supporting-document rules that need code (the simple matrix is the ``rules/documents.yaml`` pack).

Document files are only ever looked at with ``os.stat``/``os.lstat`` (through ``os.path.realpath``):
pecoscheck never opens or reads a supporting document.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from functools import lru_cache
from pathlib import PurePosixPath, PureWindowsPath

from ...findings import Severity
from ...model import Document
from ...suggest import closest
from ...util import real_folder
from ..base import Context, Hit, rule

IRS_PROOF = ("irs_cp575", "irs_147c", "irs_941", "irs_notice")
NOT_IRS_PROOF = {"w9": "a W-9", "w2": "a W-2", "ss4": "an SS-4"}
FEE_BY_YEAR = {2024: 709.0, 2025: 730.0, 2026: 750.0}
FEE_EXEMPT_ORG_TYPES = ("group_practice", "clinic", "mdpp_supplier")

_BILLING = ("CMS-855I", "CMS-855B", "CMS-855A", "CMS-855S", "CMS-20134")
_FULL = ("initial", "revalidation", "reactivation")
_NOT_TERMINATION = ("initial", "revalidation", "change_of_information", "reactivation", "reassignment")
_S19 = "[S19] NGS Supporting Documentation Information"
_S24 = "[S24] RGBA Process Details"
_S26 = "[S26] NGS EFT instructions"
_S30 = ("application fee notices: CY2024 $709, 88 FR 76754 (2023-11-07); CY2025 $730, 89 FR 95215; CY2026 $750, "
        "90 FR 55738 (FR Doc 2025-21877) ([S30] for CY2025 and CY2026)")


def check_date_text(ctx: Context) -> str:
    """How to name the date rules measure against in a message."""
    if ctx.profile.enrollment.submitted_on:
        return f"the submission date {ctx.check_date.isoformat()}"
    return f"the check date {ctx.check_date.isoformat()}"


def needs_irs_proof(ctx: Context) -> bool:
    """An organization, or an individual billing under an EIN (``provider.tin`` set), on a billing form."""
    return ctx.application in _BILLING and (ctx.kind == "organization" or bool(ctx.profile.provider.tin))


def reassigns_all_benefits(ctx: Context) -> bool:
    """pecoscheck's criterion: an individual with at least one reassignment and no ``bank_account``."""
    p = ctx.profile
    return ctx.kind == "individual" and bool(p.reassignments) and p.bank_account is None


def fee_exempt(ctx: Context) -> str | None:
    """Why the provider pays no application fee (a phrase), or ``None`` when it may owe one."""
    app = ctx.application
    if app in ("CMS-855I", "CMS-855O"):
        return f"an individual practitioner on the {app}"
    if app == "CMS-20134":
        return "an MDPP supplier"
    kind = ctx.profile.provider.organization_type
    if app == "CMS-855B" and kind in FEE_EXEMPT_ORG_TYPES:
        return f"a {kind.replace('_', ' ')} on the CMS-855B"
    return None


def _describe(d: Document) -> str:
    return f"{d.type} `{d.file}`"


@rule("DOC002", "IRS proof offered as a W-9, W-2 or SS-4", "warning",
      hint="Replace it with the IRS CP-575 or a 147C letter (call the IRS Business & Specialty Tax Line for "
           "a 147C); keep the W-9 only if someone else asks for it.",
      rationale="A W-9, W-2 or SS-4 is filled in by the taxpayer or employer, not issued by the IRS, so it does "
                "not confirm the legal business name and TIN; RGBA lists W-2, W-9 and SS-4 as not acceptable. "
                "NGS lists the SS-4 among examples, so SS-4 acceptance varies by MAC. Reported when the "
                "profile needs IRS proof (an organization, or an individual with `provider.tin`) and lists "
                "none of irs_cp575, irs_147c, irs_941, irs_notice; DOC001 reports the missing proof itself.",
      source=f"{_S24}; [S21] NGS Top Reasons Behind Delays (Part B)",
      applications=_BILLING, actions=_FULL,
      example_fail="documents:\n  - {type: w9, file: docs/form-w9.pdf}",
      example_pass="documents:\n  - {type: irs_cp575, file: docs/irs-cp575.pdf}")
def not_irs_proof(ctx: Context) -> Iterator[Hit]:
    if not needs_irs_proof(ctx) or ctx.has_document(*IRS_PROOF):
        return
    for i, d in ctx.documents_of(*NOT_IRS_PROOF):
        extra = " (some MACs accept an SS-4, others do not)" if d.type == "ss4" else ""
        yield Hit(("documents", i, "type"), f"the IRS proof of the legal business name and EIN is "
                  f"{NOT_IRS_PROOF[d.type]} (`{d.file}`), which the IRS does not issue{extra}")


@rule("DOC005", "CMS-588 without a voided check or bank letter, or with a deposit slip", "error",
      hint="Attach a voided check (`type: voided_check`) or a letter from the bank on its letterhead, signed "
           "by a bank officer, showing the legal name, routing and account number and account type "
           "(`type: bank_letter`). Deposit slips are not accepted.",
      rationale="The CMS-588 must come with a voided check or a bank letter confirming the account; deposit "
                "slips are not acceptable. (The account itself is checked by the EFT rules.)",
      source=f"{_S26}; [S27] FCSO CMS-588 tips; [S21] NGS Top Reasons Behind Delays (Part B)",
      example_fail="documents:\n  - {type: cms_588_eft, file: docs/cms-588.pdf}\n"
                   "  - {type: deposit_slip, file: docs/deposit-slip.pdf}",
      example_pass="documents:\n  - {type: cms_588_eft, file: docs/cms-588.pdf}\n"
                   "  - {type: voided_check, file: docs/voided-check.pdf}")
def eft_proof(ctx: Context) -> Iterator[Hit]:
    proof = ctx.has_document("voided_check", "bank_letter")
    if not proof:
        for i, d in ctx.documents_of("cms_588_eft"):
            yield Hit(("documents", i, "type"), f"the CMS-588 (`{d.file}`) has no voided check or bank letter "
                      "with it")
    for i, d in ctx.documents_of("deposit_slip"):
        yield Hit(("documents", i, "type"), f"a deposit slip (`{d.file}`) is not accepted as proof of the EFT "
                  "account")


def _money(amount: float) -> str:
    return f"${amount:,.0f}" if amount == int(amount) else f"${amount:,.2f}"


@rule("DOC008", "Application fee amount differs from the amount for the submission year", "warning",
      hint="Pay the fee for the calendar year in which the application is submitted (PECOS) or postmarked "
           "(paper): CY2024 $709, CY2025 $730, CY2026 $750.",
      rationale="The fee amount is set each calendar year (CY2024 $709, CY2025 $730, CY2026 $750) and the "
                "amount due is the one for the year of submission or postmark. pecoscheck takes the year of "
                "`enrollment.submitted_on`, else of the as-of date; for a year whose amount it does not know "
                "it reports a note instead.",
      source=f"{_S30}; [S33] fee amount year (MLN text)",
      example_fail="enrollment:\n  submitted_on: 2026-11-30\n  application_fee: {required: true, amount: 730}",
      example_pass="enrollment:\n  submitted_on: 2026-11-30\n  application_fee: {required: true, amount: 750}")
def fee_amount(ctx: Context) -> Iterator[Hit]:
    fee = ctx.profile.enrollment.application_fee
    if fee is None or not fee.amount:
        return
    year = ctx.check_date.year
    path = ("enrollment", "application_fee", "amount")
    expected = FEE_BY_YEAR.get(year)
    if expected is None:
        known = ", ".join(f"CY{y} {_money(a)}" for y, a in sorted(FEE_BY_YEAR.items()))
        yield Hit(path, f"the application fee for CY{year} is not known to pecoscheck (it knows {known}); "
                  f"check {_money(fee.amount)} against the CMS notice for CY{year}", severity=Severity.INFO)
    elif fee.amount != expected:
        other = next((f" (the CY{y} amount)" for y, a in FEE_BY_YEAR.items() if a == fee.amount), "")
        yield Hit(path, f"application fee {_money(fee.amount)}{other} differs from the CY{year} amount "
                  f"{_money(expected)} for {check_date_text(ctx)}")


@rule("DOC009", "Application fee recorded for a fee-exempt provider", "info",
      hint="Check the form and provider type; physicians, non-physician practitioners, their group practices "
           "and clinics, and MDPP suppliers pay no application fee.",
      rationale="The application fee is for institutional providers: 42 CFR 424.502 defines them as those "
                "enrolling on the CMS-855A, the CMS-855B (not physician and non-physician practitioner "
                "organizations) or the CMS-855S, as every annual fee notice repeats. Physicians and "
                "non-physician practitioners (CMS-855I, CMS-855O), their group practices and clinics, and MDPP "
                "suppliers (CMS-20134, not in that definition) pay none; an individual enrolling as a DMEPOS "
                "supplier on the CMS-855S does.",
      source=f"42 CFR 424.502 (institutional provider), quoted in the fee notice 88 FR 76754; {_S30}; [S31] NGS "
             "application fee decision tree; [S33] fee refunds (MLN text)",
      example_fail="provider: {kind: organization, organization_type: group_practice}\n"
                   "enrollment:\n  application_fee: {paid_on: 2026-11-20, amount: 750}",
      example_pass="provider: {kind: organization, organization_type: group_practice}\n"
                   "enrollment:\n  application_fee: {required: false}")
def fee_not_needed(ctx: Context) -> Iterator[Hit]:
    why = fee_exempt(ctx)
    if why is None:
        return
    fee = ctx.profile.enrollment.application_fee
    if fee is not None and (fee.amount or fee.paid_on):
        paid = ", ".join(filter(None, (f"paid {fee.paid_on.isoformat()}" if fee.paid_on else "",
                                       _money(fee.amount) if fee.amount else "")))
        yield Hit(("enrollment", "application_fee"), f"an application fee is recorded ({paid}) but {why} "
                  "pays none")
        return
    for i, d in ctx.documents_of("application_fee_receipt"):
        yield Hit(("documents", i, "type"), f"an application fee receipt (`{d.file}`) is attached but {why} "
                  "pays no fee")


CMS_588_VERSION = "11/23"


def _version_key(text: str) -> str:
    """``"11/23"`` for ``11/23``, ``11/2023``, ``11-23`` or ``(11/23)``."""
    parts = [x for x in text.strip("() ").replace("-", "/").split("/") if x]
    if len(parts) == 2 and all(x.isdigit() for x in parts):
        return f"{int(parts[0]):02d}/{parts[1][-2:]}"
    return text.strip()


@rule("DOC022", "CMS-588 on an outdated form version", "error",
      hint=f"Fill in and sign the current CMS-588 ({CMS_588_VERSION}); MACs return older versions. In PECOS, "
           "entering the bank details and uploading a voided check or bank letter replaces the paper form.",
      rationale=f"Since 2024-04-30 MACs accept only the CMS-588 EFT authorization agreement version "
                f"{CMS_588_VERSION}; an outdated form is returned. Checked when a `cms_588_eft` document records "
                "its `form_version` (the date at the foot of the form, MM/YY).",
      source="NGS, New CMS-588 EFT Authorization Agreement (11/23) version (posted 2024-03-25); FCSO, EFT: revised "
             "form required",
      example_fail="documents:\n  - {type: cms_588_eft, file: docs/cms-588.pdf, form_version: 01/17}",
      example_pass=f"documents:\n  - {{type: cms_588_eft, file: docs/cms-588.pdf, form_version: {CMS_588_VERSION}}}")
def eft_form_version(ctx: Context) -> Iterator[Hit]:
    for i, d in ctx.documents_of("cms_588_eft"):
        if d.form_version and _version_key(d.form_version) != CMS_588_VERSION:
            yield Hit(("documents", i, "form_version"), f"the CMS-588 (`{d.file}`) is version {d.form_version}; "
                      f"MACs accept only version {CMS_588_VERSION} since 2024-04-30")


@rule("DOC010", "W-9 attached", "info",
      hint="Medicare enrollment does not need a W-9; leave it out unless another payer (e.g. a state Medicaid "
           "program) asks for it.",
      rationale="A W-9 is not a Medicare enrollment requirement and is not IRS proof of the legal name and TIN "
                "(some state Medicaid programs require W-9s; do not conflate them).",
      source=_S24,
      example_fail="documents:\n  - {type: w9, file: docs/form-w9.pdf}",
      example_pass="documents:\n  - {type: irs_cp575, file: docs/irs-cp575.pdf}")
def w9_attached(ctx: Context) -> Iterator[Hit]:
    for i, d in ctx.documents_of("w9"):
        yield Hit(("documents", i, "type"), f"a W-9 (`{d.file}`) is attached; Medicare enrollment does not "
                  "require one")


@rule("DOC011", "CMS-460 while all benefits are reassigned", "info",
      hint="Leave the CMS-460 out: a practitioner who reassigns all benefits takes the group's participation "
           "status, and the MAC returns the form.",
      rationale="Practitioners who reassign all their benefits inherit the group's participating (PAR) status "
                "and should not send a CMS-460. pecoscheck treats an individual with at least one reassignment "
                "and no `bank_account` as reassigning all benefits.",
      source="[S28] FCSO CMS-460",
      kinds=("individual",),
      example_fail="reassignments:\n  - {group_npi: \"1881649713\"}\n"
                   "documents:\n  - {type: cms_460, file: docs/cms-460.pdf}",
      example_pass="reassignments:\n  - {group_npi: \"1881649713\"}\n"
                   "documents:\n  - {type: state_license, file: docs/mn-license.pdf, refers_to: MN}")
def par_agreement_reassigned(ctx: Context) -> Iterator[Hit]:
    if not reassigns_all_benefits(ctx):
        return
    for i, d in ctx.documents_of("cms_460"):
        yield Hit(("documents", i, "type"), f"a CMS-460 (`{d.file}`) is attached although all benefits are "
                  "reassigned (no `bank_account`), so the group's participation status applies")


@rule("DOC012", "Controlled-substance prescriber without a DEA certificate for the practice state", "warning",
      hint="Attach the DEA registration certificate for each state where you prescribe "
           "(`type: dea_certificate`, `refers_to: <state>`).",
      rationale="MACs ask for a copy of the DEA certificate when applicable, and a missing DEA registration is "
                "a common development reason. DEA registrations are held per state, so when the DEA "
                "documents name states in `refers_to`, each practice-location state needs one; a DEA "
                "document that names no state is taken to cover every state.",
      source="[S20] NGS Supporting Documentation Required for Revalidations; [S21] NGS Top Reasons Behind "
             "Delays (Part B); [S2] FCSO 855I Section 2B",
      kinds=("individual",), actions=_NOT_TERMINATION,
      example_fail="provider:\n  prescribes_controlled_substances: true\n"
                   "documents:\n  - {type: state_license, file: docs/ca-license.pdf, refers_to: CA}",
      example_pass="provider:\n  prescribes_controlled_substances: true\n"
                   "documents:\n  - {type: dea_certificate, file: docs/dea-ca.pdf, refers_to: CA}")
def dea_certificate(ctx: Context) -> Iterator[Hit]:
    if not ctx.profile.provider.prescribes_controlled_substances:
        return
    deas = [d for _, d in ctx.documents_of("dea_certificate")]
    if not deas:
        yield Hit(("provider", "prescribes_controlled_substances"), "the practitioner prescribes controlled "
                  "substances but no DEA registration certificate (dea_certificate) is listed")
        return
    named = {(d.refers_to or "").strip().upper() for d in deas}
    if any(len(s) != 2 or not s.isalpha() for s in named):
        return
    seen: set[str] = set()
    for i, loc in enumerate(ctx.profile.practice_locations):
        state = loc.address.state.strip().upper()
        if state in named or state in seen:
            continue
        seen.add(state)
        yield Hit(("practice_locations", i, "address", "state"), f"the practitioner prescribes controlled "
                  f"substances in {state} but the DEA certificates listed are for {', '.join(sorted(named))}")


# --- document files -------------------------------------------------------------------------------------


@lru_cache(maxsize=1024)  # LRU: the parents every profile shares stay; one-off folders go
def _git_root(folder: str) -> str:
    """The nearest folder at or above ``folder`` that holds ``.git``, else ``folder`` itself."""
    found = _git_above(folder)
    return folder if found is None else found


@lru_cache(maxsize=1024)
def _git_above(folder: str) -> str | None:
    """:func:`_git_root`'s walk, one ``lexists`` per folder: sibling profile folders share their parents' answers."""
    if os.path.lexists(os.path.join(folder, ".git")):
        return folder
    parent = os.path.dirname(folder)
    return None if parent == folder else _git_above(parent)


def repository_root(ctx: Context) -> str:
    """The profile's repository: ``ctx.root``, else the git work tree above the profile, else its folder."""
    if ctx.root is not None:
        return os.path.abspath(ctx.root)
    return _git_root(os.path.abspath(ctx.folder))


def _inside(path: str, root: str) -> bool:
    if path == root or path.startswith(root.rstrip(os.sep) + os.sep):  # the common case, without commonpath
        return True
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:
        return False


@lru_cache(maxsize=1024)
def _absolute(file: str) -> bool:
    return PurePosixPath(file).is_absolute() or bool(PureWindowsPath(file).anchor)


def _realpath(path: str) -> tuple[str, os.stat_result | None]:
    """``os.path.realpath`` of an absolute, normalized path (its folder's from the cache, then its last part),
    and the path's ``lstat`` when it exists and is not a link (then it is also its ``stat``)."""
    try:
        st: os.stat_result | None = os.lstat(path)
    except (OSError, ValueError):
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode):
        return os.path.realpath(path), None
    head, tail = os.path.split(path)
    return os.path.join(real_folder(head), tail), st


def escape_reason(ctx: Context, file: str) -> str | None:
    """Why ``file`` leads outside the profile's repository, or ``None``. Uses only lstat/readlink."""
    # DOC017 and DOC020 both ask, for every document: answer once per profile (kept on the context).
    return _escape(ctx, file)[0]


def _escape(ctx: Context, file: str) -> tuple[str | None, os.stat_result | None]:
    """:func:`escape_reason`, and the file's ``stat`` when the check took it (see :func:`_realpath`)."""
    memo: tuple[str, str, dict[str, tuple[str | None, os.stat_result | None]]] | None = vars(ctx).get("_doc_escape")
    if memo is None:
        folder = os.path.abspath(ctx.folder)
        root = os.path.abspath(ctx.root) if ctx.root is not None else _git_root(folder)  # repository_root(ctx)
        memo = vars(ctx)["_doc_escape"] = (folder, root, {})
    folder, root, reasons = memo
    if file not in reasons:
        reasons[file] = _escape_reason(file, folder, root)
    return reasons[file]


def _escape_reason(file: str, folder: str, root: str) -> tuple[str | None, os.stat_result | None]:
    if _absolute(file):
        return "is an absolute path; document paths are relative to the profile's folder", None
    target = os.path.normpath(os.path.join(folder, file))
    if not _inside(target, root):
        return "leads out of the repository with `..`", None
    real, st = _realpath(target)
    if not _inside(real, real_folder(root)):
        return "goes through a symbolic link that points outside the repository", None
    # normpath folds `..` and a trailing `/` by text, the kernel after links: such a path is stat'ed as written
    return None, st if ".." not in file and not file.endswith(("/", os.sep)) else None


@rule("DOC017", "Document file missing or empty", "error",
      hint="Add the file at that path (relative to the profile's folder), or correct `file`.",
      rationale="Every listed document is uploaded or mailed with the application; a file that is not there "
                "(or is empty) means the package is incomplete. pecoscheck only checks that a non-empty "
                "regular file exists; it never opens or reads it.",
      source=_S19,
      example_fail="documents:\n  - {type: irs_cp575, file: docs/irs-cp575.pdf}   # no such file",
      example_pass="documents:\n  - {type: irs_cp575, file: docs/irs-cp575.pdf}   # file present")
def document_file(ctx: Context) -> Iterator[Hit]:
    for i, d in enumerate(ctx.profile.documents):
        if not d.file.strip():
            continue
        why, st = _escape(ctx, d.file)
        if why is not None:
            continue
        path = ("documents", i, "file")
        try:
            st = st or os.stat(os.path.join(ctx.folder, d.file))
        except (FileNotFoundError, NotADirectoryError):
            yield Hit(path, f"document file `{d.file}` ({d.type}) does not exist (paths are relative to the "
                      "profile's folder)")
            continue
        except OSError as exc:
            yield Hit(path, f"document file `{d.file}` ({d.type}) cannot be checked: {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield Hit(path, f"document file `{d.file}` ({d.type}) is a folder, not a file")
        elif not stat.S_ISREG(st.st_mode):
            yield Hit(path, f"document file `{d.file}` ({d.type}) is not a regular file")
        elif st.st_size == 0:
            yield Hit(path, f"document file `{d.file}` ({d.type}) is empty (0 bytes)")


@rule("DOC018", "Document expired or expiring", "error",
      hint="Renew the document (or attach the current one) and update `expires`.",
      rationale="An expired license, certificate, bond or policy is not proof of anything current, and MACs "
                "develop applications with out-of-date documents. Measured against `enrollment.submitted_on` "
                "(else the as-of date); within `document_expiry_warning_days` (default 30, a pecoscheck "
                "threshold, not a CMS rule) it is a warning.",
      source="[S69] NGS Avoiding Common Errors (expired license information); [S21] NGS Top Reasons Behind "
             "Delays (Part B)",
      actions=_NOT_TERMINATION,
      example_fail="enrollment: {submitted_on: 2026-11-30}\n"
                   "documents:\n  - {type: surety_bond, file: docs/bond.pdf, expires: 2026-10-31}",
      example_pass="enrollment: {submitted_on: 2026-11-30}\n"
                   "documents:\n  - {type: surety_bond, file: docs/bond.pdf, expires: 2027-10-31}")
def document_expiry(ctx: Context) -> Iterator[Hit]:
    cd = ctx.check_date
    days = ctx.settings.document_expiry_warning_days
    for i, d in enumerate(ctx.profile.documents):
        if d.expires is None:
            continue
        path = ("documents", i, "expires")
        if d.expires < cd:
            yield Hit(path, f"{_describe(d)} expired on {d.expires.isoformat()}, before {check_date_text(ctx)}")
        elif (d.expires - cd).days <= days:
            yield Hit(path, f"{_describe(d)} expires on {d.expires.isoformat()}, {(d.expires - cd).days} days "
                      f"after {check_date_text(ctx)} (pecoscheck warns within {days} days)",
                      severity=Severity.WARNING)


def known_types() -> dict[str, str]:
    from ..registry import known_document_types

    return known_document_types()


@rule("DOC019", "Unknown document type", "error",
      hint="Use a document type id listed by `pecoscheck reference documents` (e.g. irs_cp575, state_license, "
           "cms_588_eft), or `other` for anything else.",
      rationale="Document rules find documents by `type`; a misspelt type is invisible to them, so a present "
                "document would be reported missing (or a missing one go unnoticed). The ids are defined by "
                "the `document_types` of the rule packs (the built-in pack plus any `--rules` packs; "
                "`pecoscheck reference documents` lists them).",
      source="pecoscheck profile format v1 (docs/profile-format.md, `documents[]`)",
      example_fail="documents:\n  - {type: cp575, file: docs/irs-cp575.pdf}",
      example_pass="documents:\n  - {type: irs_cp575, file: docs/irs-cp575.pdf}")
def document_type(ctx: Context) -> Iterator[Hit]:
    known = known_types()
    for i, d in enumerate(ctx.profile.documents):
        if d.type in known:
            continue
        guess = closest(d.type, known)
        tip = f"; did you mean `{guess}` ({known[guess]})?" if guess else ""
        yield Hit(("documents", i, "type"), f"document type `{d.type}` is not a known type{tip}")


@rule("DOC020", "Document path outside the profile's repository", "error",
      hint="Copy the document into the profile's repository (e.g. a `docs/` folder next to the profile) and "
           "give its path relative to the profile's folder.",
      rationale="Profiles and their documents live together in one repository so the package can be "
                "reviewed and shared as a unit. A path that is absolute, climbs out with `..`, or follows a "
                "symbolic link out of the repository (the git work tree above the profile, else the profile's "
                "folder) could expose unrelated files; pecoscheck reports it and never opens the file.",
      source="pecoscheck profile format v1 (docs/profile-format.md: `file` is relative to the profile's folder)",
      example_fail="documents:\n  - {type: irs_cp575, file: /home/me/Downloads/cp575.pdf}",
      example_pass="documents:\n  - {type: irs_cp575, file: docs/irs-cp575.pdf}")
def document_escape(ctx: Context) -> Iterator[Hit]:
    for i, d in enumerate(ctx.profile.documents):
        why = escape_reason(ctx, d.file)
        if why:
            yield Hit(("documents", i, "file"), f"document path `{d.file}` ({d.type}) {why}")
