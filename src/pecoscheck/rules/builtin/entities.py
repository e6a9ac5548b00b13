"""Business-structure facts: a TIN change, a solely owned organization's NPI, a disregarded-entity LLC."""

from __future__ import annotations

from collections.abc import Iterator

from ..base import Context, Hit, rule

_NGS_TIN = ("NGS, Report a Change of Tax ID (Other than Change of Ownership), Step 1 (ngsmedicare.com article "
            "2097178); [S77] NGS, Change of Tax ID Instructions and Forms (article 1012133)")
_NGS_SOLE = "NGS Part B, Provider Enrollment Situations and Resolutions, Situation 1 (sole owner of a PC, PLLC, LLC)"
_NGS_8832 = ("[S19] NGS, Supporting Documentation Information (ngsmedicare.com article 11208794: IRS form 8832 "
             "confirming LLC as a disregarded entity)")


@rule("FORM004", "TIN change filed as a change of information", "warning",
      hint="A new TIN (without a change of ownership) is reported within 30 days by an initial application under "
           "the new TIN (a group: CMS-855B plus a CMS-855I reassignment for each practitioner).",
      rationale="NGS instructs an enrolled organization whose Tax ID changes without a change of ownership to "
                "report it within 30 days by submitting an initial application with the new Tax ID, not a change "
                "of information; a clinic or group also files a CMS-855I reassignment for each practitioner. This "
                "is one MAC's instruction, not verified against PIM chapter 10, hence a warning.",
      source=_NGS_TIN, actions=("change_of_information", "revalidation", "reactivation"),
      example_fail="enrollment: {action: change_of_information}\nchanges:\n"
                   "  - {kind: tin, effective_date: 2026-11-01}",
      example_pass="enrollment: {action: initial}\nchanges:\n  - {kind: tin, effective_date: 2026-11-01}")
def tin_change(ctx: Context) -> Iterator[Hit]:
    for i, c in enumerate(ctx.profile.changes):
        if c.kind == "tin":
            yield Hit(("changes", i, "kind"), f"a TIN change ({c.effective_date.isoformat()}) is filed as an "
                      f"initial application under the new TIN, not as a {ctx.action.replace('_', ' ')}")


@rule("NPI005", "Solely owned organization without its own NPI", "warning",
      hint="Give `provider.sole_owned_organization.npi`: the organization's own Type 2 NPI from NPPES.",
      rationale="A practitioner who is the sole owner of a PC, PLLC, LLC or corporation needs an NPI for the "
                "business as well as his or her own (NGS). pecoscheck warns when the solely owned organization "
                "has no NPI or shows the practitioner's own NPI. One MAC's text, hence a warning.",
      source=_NGS_SOLE, kinds=("individual",),
      example_fail="provider:\n  npi: \"1653828966\"\n  sole_owned_organization: {legal_name: \"Ferreira MD, PC\"}",
      example_pass="provider:\n  npi: \"1653828966\"\n  sole_owned_organization: {legal_name: \"Ferreira MD, PC\", "
                   "npi: \"1294176031\"}")
def sole_owner_npi(ctx: Context) -> Iterator[Hit]:
    owned = ctx.profile.provider.sole_owned_organization
    if owned is None:
        return
    if not owned.npi:
        yield Hit(("provider", "sole_owned_organization"), "the solely owned organization has no NPI of its own "
                  "(a Type 2 NPI is needed besides the practitioner's)", at_key=True)
    elif owned.npi == ctx.profile.provider.npi:
        yield Hit(("provider", "sole_owned_organization", "npi"), "the solely owned organization shows the "
                  "practitioner's own NPI; the organization needs its own Type 2 NPI")


@rule("DOC023", "Disregarded-entity LLC without IRS Form 8832", "warning",
      hint="Attach the IRS Form 8832 election (`type: irs_8832`).",
      rationale="NGS lists IRS Form 8832 confirming an LLC as a disregarded entity among the supporting documents "
                "of an enrollment (the Form 8832 half of the ownership-chart rule DOC016). Set "
                "`provider.disregarded_entity: true` for such an LLC. One MAC's list, hence a warning.",
      source=_NGS_8832, kinds=("organization",),
      actions=("initial", "revalidation", "change_of_information", "reactivation"),
      example_fail="provider: {kind: organization, disregarded_entity: true}\ndocuments: []",
      example_pass="provider: {kind: organization, disregarded_entity: true}\ndocuments:\n"
                   "  - {type: irs_8832, file: docs/form-8832.pdf}")
def form_8832(ctx: Context) -> Iterator[Hit]:
    if ctx.profile.provider.disregarded_entity and not ctx.has_document("irs_8832"):
        yield Hit(("provider", "disregarded_entity"), "the LLC is a disregarded entity, and no IRS Form 8832 "
                  "(`irs_8832`) is listed")
