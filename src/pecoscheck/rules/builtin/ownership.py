"""Ownership and managing control (CMS-855A/B/S Sections 5 and 6): who must be listed, and with what."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...findings import Severity
from ...model import Owner, Profile
from ..base import Context, Hit, rule
from .signatures import OWNER_ROLES, ownership_entries

_SOURCE_FORM = "[S47] CMS-855B form Sections 5/6 text (formsbank.com, page=25 and page=22)"
_REPORTABLE_PERCENT = 5.0

# Compiled at the first organization's name (re's own cache): individuals never need them.
_CORPORATION = r"(?:\b(?:inc|incorporated|corp|corporation)|\bp\.?\s?c|\bp\.?\s?a|professional corporation)\.?\s*$"
_PARTNERSHIP_SUFFIX = r"\b(?:l\.?\s?l\.?\s?l\.?\s?p|l\.?\s?l\.?\s?p|l\.?\s?p)\.?\s*$"
_PARTNERSHIP_WORD = r"\bpartners(?:hip)?\b"
_OTHER_ENTITY = r"\b(?:l\.?\s?l\.?\s?c|p\.?\s?l\.?\s?l\.?\s?c|ltd|limited|co|company|trust)\.?\s*$"


def entity_form(legal_name: str | None) -> str | None:
    """``"corporation"``, ``"partnership"`` or ``None``, guessed from the legal name's suffix (a heuristic)."""
    name = (legal_name or "").strip().rstrip(",")
    if re.search(_CORPORATION, name, re.IGNORECASE):
        return "corporation"
    if re.search(_PARTNERSHIP_SUFFIX, name, re.IGNORECASE):
        return "partnership"
    if re.search(_PARTNERSHIP_WORD, name, re.IGNORECASE) and not re.search(_OTHER_ENTITY, name, re.IGNORECASE):
        return "partnership"
    return None


def _is_owner(o: Owner) -> bool:
    return bool(set(o.roles) & OWNER_ROLES) or (o.percent or 0) > 0


@rule("OWN001", "Organization lists no owner and no managing employee", "error",
      hint="List every owner (direct, indirect, partner) and at least one managing employee in `ownership`.",
      rationale="The supplier must report at least one owner and/or managing employee (Noridian: the 855A must "
                "list at least one managing employee). An entry counts when it has an ownership role, a "
                "percentage above 0, or the `managing_employee` role; officers, directors and managing "
                "organizations alone do not. (An empty `ownership` list is reported by the format check SCH002.)",
      source=f"{_SOURCE_FORM}; [S49] Noridian JE-A Top Reasons for Delays", kinds=("organization",),
      example_fail="ownership:\n  - {party: individual, name: Ann Lee, roles: [officer]}",
      example_pass="ownership:\n  - {party: individual, name: Ann Lee, percent: 100, roles: [direct_owner]}")
def no_owner(ctx: Context) -> Iterator[Hit]:
    own = ctx.profile.ownership
    if own and not any(_is_owner(o) or "managing_employee" in o.roles for o in own):
        yield Hit(("ownership",), f"none of the {len(own)} `ownership` entries is an owner or a managing "
                  "employee", at_key=True)


def _org_owner_percent(profile: Profile) -> float:
    return sum(o.percent or 0 for o in profile.ownership
               if o.party == "organization" and {"direct_owner", "indirect_owner"} & set(o.roles))


@rule("OWN002", "Ownership interest incompletely reported", "warning",
      hint="Give every owner its `percent` and its roles (`direct_owner`, `indirect_owner`, `partner`); list "
           "everyone with 5% or more of the applicant, directly or through an organizational owner.",
      rationale="Every person or organization with 5% or more direct or indirect ownership must be reported; "
                "indirect ownership is the product of the percentages up the chain. A profile cannot show a "
                "party that is missing from it, so this rule checks what it can: an indirect owner without a "
                "percentage, an owner of 5% or more without an ownership role, an indirect interest larger "
                "than all organizational owners together, and, as a note, the share of each organizational "
                "owner that makes one of its owners a 5% indirect owner here. Incomplete ownership data "
                "(percentages, relationships) is a development reason, so this is a warning, not the form's "
                "error for an omitted owner.",
      source=f"{_SOURCE_FORM}; [S50] PECOS Help FAQ (indirect ownership); [S22] NGS Top Reasons (Part A)",
      kinds=("organization",),
      example_fail="ownership:\n  - {party: individual, name: Bo Chen, roles: [indirect_owner]}",
      example_pass="ownership:\n  - {party: individual, name: Bo Chen, percent: 20, roles: [indirect_owner]}")
def ownership_incomplete(ctx: Context) -> Iterator[Hit]:
    p = ctx.profile
    org_total = _org_owner_percent(p)
    indirect_listed = False
    for i, o in enumerate(p.ownership):
        roles = set(o.roles)
        if "indirect_owner" in roles:
            indirect_listed = True
            if o.percent is None:
                yield Hit(("ownership", i), f"indirect owner {o.name} has no `percent`; whether the interest "
                          "reaches 5% (the product of the percentages up the chain) cannot be told")
            elif "direct_owner" not in roles and o.percent > org_total + 1e-9:
                yield Hit(("ownership", i, "percent"),
                          f"indirect owner {o.name} is listed with {o.percent:g}%, but the organizational "
                          f"owners together hold only {org_total:g}%; an indirect interest is the product of "
                          "the percentages up the chain and cannot exceed them")
        if (o.percent or 0) >= _REPORTABLE_PERCENT and not roles & OWNER_ROLES:
            yield Hit(("ownership", i, "roles"), f"{o.name} holds {o.percent:g}% but has no ownership role "
                      "(`direct_owner`, `indirect_owner` or `partner`)")
    if indirect_listed:
        return
    for i, o in enumerate(p.ownership):
        if o.party == "organization" and "direct_owner" in o.roles and (o.percent or 0) >= _REPORTABLE_PERCENT:
            share = _REPORTABLE_PERCENT / (o.percent or 100) * 100
            yield Hit(("ownership", i, "percent"),
                      f"organizational owner {o.name} holds {o.percent:g}%: anyone owning {share:.3g}% or more "
                      "of it owns 5% or more of the applicant indirectly and must be listed; no "
                      "`indirect_owner` is listed (fine if its owners are already listed here)",
                      severity=Severity.INFO)


@rule("OWN003", "Partnership lists no partners", "warning",
      hint="List every general and limited partner in `ownership` with `roles: [partner]`, whatever the "
           "percentage.",
      rationale="All partners of a partnership applicant must be reported regardless of percentage. The "
                "profile has no legal-form field, so a partnership is recognized only from the legal name "
                "(ending in LP, LLP, LLLP, or containing 'Partners'/'Partnership' without another entity "
                "suffix): a heuristic, hence a warning.",
      source=_SOURCE_FORM, kinds=("organization",),
      example_fail="provider:\n  legal_name: Lakeview Surgical Partners, LLP\nownership:\n"
                   "  - {party: individual, name: Ann Lee, percent: 50, roles: [direct_owner]}",
      example_pass="provider:\n  legal_name: Lakeview Surgical Partners, LLP\nownership:\n"
                   "  - {party: individual, name: Ann Lee, percent: 50, roles: [partner]}")
def partnership_partners(ctx: Context) -> Iterator[Hit]:
    p = ctx.profile
    if entity_form(p.provider.legal_name) == "partnership" and not any("partner" in o.roles for o in p.ownership):
        yield Hit(("provider", "legal_name"), f"`{p.provider.legal_name}` looks like a partnership, but no "
                  "`ownership` entry has the `partner` role")


@rule("OWN004", "Corporation lists no officers or directors", "warning",
      hint="List the corporation's officers (`roles: [officer]`) and directors (`roles: [director]`) in "
           "`ownership`, alongside the owners.",
      rationale="If the applicant is a corporation (for-profit or nonprofit), all officers and directors must "
                "be reported; the form treats a missing one as an error. The profile has no legal-form field, "
                "so a corporation is recognized from the legal name's suffix (Inc., Corp., Corporation, P.C., "
                "P.A.): a heuristic, hence a warning.",
      source=_SOURCE_FORM, kinds=("organization",),
      example_fail="provider:\n  legal_name: Bay State Diagnostic Laboratory, Inc.\nownership:\n"
                   "  - {party: individual, name: Ann Lee, percent: 100, roles: [direct_owner]}",
      example_pass="provider:\n  legal_name: Bay State Diagnostic Laboratory, Inc.\nownership:\n"
                   "  - {party: individual, name: Ann Lee, percent: 100, roles: [direct_owner, officer, director]}")
def corporation_officers(ctx: Context) -> Iterator[Hit]:
    p = ctx.profile
    if entity_form(p.provider.legal_name) != "corporation":
        return
    missing = [r + "s" for r in ("officer", "director") if not any(r in o.roles for o in p.ownership)]
    if missing:
        yield Hit(("provider", "legal_name"), f"`{p.provider.legal_name}` looks like a corporation, but no "
                  f"{' and no '.join(missing)} are listed in `ownership`")


@rule("OWN005", "Authorized or delegated official not listed in ownership", "error",
      hint="Add each official to `ownership` (as owner, partner, officer/director or managing employee).",
      rationale="Authorized and delegated officials must appear in Section 6 with their relationship to the "
                "organization; an AO/DO added without a Section 6 entry is a common development reason. "
                "Officials are matched to `ownership` entries by first and last name.",
      source=f"{_SOURCE_FORM}; [S45] FCSO, who signs the CMS-855; [S43] NGS AO and DO roles; [S69] NGS "
             "Avoiding Common Errors",
      kinds=("organization",),
      example_fail="officials:\n  - {name: Pat Lee, role: authorized_official}\nownership:\n"
                   "  - {party: individual, name: Ann Lee, percent: 100, roles: [direct_owner]}",
      example_pass="officials:\n  - {name: Pat Lee, role: authorized_official}\nownership:\n"
                   "  - {party: individual, name: Pat Lee, percent: 100, roles: [direct_owner]}")
def official_not_in_ownership(ctx: Context) -> Iterator[Hit]:
    for i, o in enumerate(ctx.profile.officials):
        if not ownership_entries(ctx.profile, o.name):
            role = "authorized" if o.role == "authorized_official" else "delegated"
            yield Hit(("officials", i, "name"), f"{role} official {o.name} is not listed in `ownership`")


@rule("OWN008", "Organizational owner has no TIN", "error",
      hint="Add the owner organization's EIN as `tin: NN-NNNNNNN` (and file its IRS letter).",
      rationale="No valid EIN for an owner or managing organization is a denial ground, and the MAC needs the "
                "IRS documents of every organization in the ownership sections. (Individuals' SSNs and dates of "
                "birth are never stored in a profile, so that half of the rule is not checked.)",
      source="[S52] Noridian denial decision tree; [S22] NGS Top Reasons (Part A); [S19] NGS Supporting "
             "Documentation Information",
      kinds=("organization",),
      example_fail="ownership:\n  - {party: organization, name: Lakeside Holdings, LLC, percent: 40, "
                   "roles: [direct_owner]}",
      example_pass="ownership:\n  - {party: organization, name: Lakeside Holdings, LLC, tin: 41-3958127, "
                   "percent: 40, roles: [direct_owner]}")
def organization_owner_tin(ctx: Context) -> Iterator[Hit]:
    for i, o in enumerate(ctx.profile.ownership):
        if o.party == "organization" and not (o.tin or "").strip():
            yield Hit(("ownership", i, "tin"), f"organizational owner {o.name} has no `tin`")


@rule("OWN010", "Direct ownership adds up to more than 100%", "warning",
      hint="Correct the percentages: direct interests (direct owners and partners) cannot exceed 100% in total.",
      rationale="A data-consistency check of pecoscheck's own: the direct ownership percentages of one "
                "organization cannot sum to more than 100%. Indirect interests are not added in.",
      source="pecoscheck consistency check (direct ownership shares cannot add up to more than 100%); "
             "[S47] CMS-855B Sections 5/6",
      kinds=("organization",),
      example_fail="ownership:\n  - {party: individual, name: A, percent: 60, roles: [direct_owner]}\n"
                   "  - {party: individual, name: B, percent: 50, roles: [direct_owner]}",
      example_pass="ownership:\n  - {party: individual, name: A, percent: 60, roles: [direct_owner]}\n"
                   "  - {party: individual, name: B, percent: 40, roles: [direct_owner]}")
def direct_over_100(ctx: Context) -> Iterator[Hit]:
    direct = [o.percent or 0 for o in ctx.profile.ownership if {"direct_owner", "partner"} & set(o.roles)]
    total = sum(direct)
    if total > 100 + 1e-6:
        yield Hit(("ownership",), f"direct ownership percentages add up to {total:g}% (more than 100%)",
                  at_key=True)
