"""FORM rules: is the CMS application the right one for this provider and this action?"""

from __future__ import annotations

from collections.abc import Iterator

from ...model import expected_application
from ..base import Context, Hit, rule

_ORG_FORMS = frozenset({"CMS-855A", "CMS-855B", "CMS-855S", "CMS-20134"})
_GROUP_FORMS = frozenset({"CMS-855B", "CMS-855S"})

# Forms that fit besides the one `expected_application` derives, per §1 of the domain brief.
_ALSO = {
    "individual": frozenset({"CMS-855I", "CMS-855O", "CMS-855S"}),
    "group_practice": _GROUP_FORMS,
    "clinic": _GROUP_FORMS,
    "hospital": frozenset({"CMS-855A", "CMS-855B"}),
    "laboratory": frozenset({"CMS-855A", "CMS-855B"}),
    "other": _ORG_FORMS,
}

_ORG_TYPES = {
    "group_practice": "a group practice", "clinic": "a clinic", "hospital": "a hospital",
    "dmepos_supplier": "a DMEPOS supplier", "ambulance": "an ambulance supplier", "laboratory": "a laboratory",
    "independent_diagnostic_testing_facility": "an IDTF", "home_health_agency": "a home health agency",
    "hospice": "a hospice", "skilled_nursing_facility": "a skilled nursing facility",
    "federally_qualified_health_center": "an FQHC", "rural_health_clinic": "a rural health clinic",
    "mdpp_supplier": "an MDPP supplier", "ambulatory_surgical_center": "an ambulatory surgical center",
    "other": "an organization",
}


def allowed_applications(ctx: Context) -> frozenset[str]:
    """The CMS forms that can fit this provider."""
    p = ctx.profile.provider
    key = "individual" if p.kind == "individual" else (p.organization_type or "other")
    return _ALSO.get(key, frozenset()) | {expected_application(ctx.profile)}


@rule("FORM001", "Application does not fit the provider", "error",
      hint="Individual practitioners file the CMS-855I (CMS-855O to order/refer only); groups, clinics, labs "
           "and other Part B suppliers the CMS-855B; institutional providers the CMS-855A; DMEPOS suppliers "
           "the CMS-855S; MDPP suppliers the CMS-20134. Fix `enrollment.application` or `provider`.",
      rationale="Each CMS-855 form serves one class of enrollee: 855I physicians and non-physician "
                "practitioners (incl. sole proprietors and sole owners), 855O those who only order, certify, "
                "refer or prescribe, 855B clinics/group practices and other Part B suppliers (and hospitals "
                "billing Part B practitioner services), 855A institutional providers, 855S DMEPOS suppliers "
                "(a physician or group may enroll as one), 20134 MDPP suppliers.",
      source="[S1] CMS-855I form text; [S7] FCSO enrollment forms; [S8] Palmetto 855A FAQ; [S10] Noridian DME "
             "enrollment; [S13] Noridian order/certify/prescribe; [S16] NGS CMS-20134 tips; [S33] fee text "
             "(physician or group on the 855S)",
      example_fail="provider:\n  kind: individual\nenrollment:\n  action: initial\n  application: CMS-855B",
      example_pass="provider:\n  kind: individual\nenrollment:\n  action: initial\n  application: CMS-855I")
def application_mismatch(ctx: Context) -> Iterator[Hit]:
    p = ctx.profile.provider
    app = ctx.profile.enrollment.application
    if app is None or app == "CMS-855R" or app in allowed_applications(ctx):
        return
    who = ("an individual practitioner" if p.kind == "individual"
           else _ORG_TYPES.get(p.organization_type or "other", "an organization"))
    fits = " or ".join(sorted(allowed_applications(ctx)))
    yield Hit(("enrollment", "application"), f"{app} does not fit {who}; expected {fits}")


@rule("FORM002", "Plans the discontinued CMS-855R", "error",
      hint="Use `application: CMS-855I`: reassignments are established, changed and terminated in "
           "Section 1A of the CMS-855I.",
      rationale="The current CMS-855I states that all reassignment actions are reported on the 855I and "
                "that the CMS-855R has been discontinued; an 855R is an outdated form.",
      source="[S1] CMS-855I form text (OMB 0938-1355); [S2] FCSO, completing the CMS-855I; [S67] Baker "
             "Donelson on the 855R",
      example_fail="enrollment:\n  action: reassignment\n  application: CMS-855R",
      example_pass="enrollment:\n  action: reassignment\n  application: CMS-855I")
def discontinued_855r(ctx: Context) -> Iterator[Hit]:
    if ctx.profile.enrollment.application == "CMS-855R":
        yield Hit(("enrollment", "application"), "the CMS-855R is discontinued; reassignments are filed on "
                  "the CMS-855I")


@rule("FORM003", "CMS-855O profile declares billing", "error",
      hint="An order/refer-only (855O) enrollee never bills Medicare: remove the billing items, or file the "
           "CMS-855I to bill.",
      rationale="The CMS-855O is for physicians and eligible professionals who enroll solely to order, "
                "certify, refer or prescribe Part D drugs; they never bill, so reassignments, EFT bank "
                "details, a CMS-588 or CMS-460, or a special payments address do not belong with it.",
      source="[S13] Noridian JF-B Order/Certify/Prescribe; [S14] NGS CMS-855O completion tips",
      applications=("CMS-855O",),
      example_fail="enrollment:\n  application: CMS-855O\nbank_account:\n  routing_number: \"121000358\"",
      example_pass="enrollment:\n  application: CMS-855O")
def order_refer_billing(ctx: Context) -> Iterator[Hit]:
    p = ctx.profile
    for i, r in enumerate(p.reassignments):
        yield Hit(("reassignments", i), f"an 855O enrollee cannot reassign benefits (to group NPI {r.group_npi})")
    if p.bank_account is not None:
        yield Hit(("bank_account",), "an 855O enrollee receives no Medicare payments, so no EFT bank account",
                  at_key=True)
    if p.special_payments_address is not None:
        yield Hit(("special_payments_address",), "an 855O enrollee receives no Medicare payments, so no "
                  "special payments address", at_key=True)
    for i, d in ctx.documents_of("cms_588_eft", "cms_460"):
        form = "CMS-588 (EFT)" if d.type == "cms_588_eft" else "CMS-460 (participation agreement)"
        yield Hit(("documents", i, "type"), f"a {form} is for billing enrollees, not an 855O")
