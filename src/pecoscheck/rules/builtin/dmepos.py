"""DMEPOS supplier documents (CMS-855S): accreditation, the surety bond of 42 CFR 424.57(d) and its exceptions,
liability insurance."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..base import Context, Hit, rule
from .documents import known_types

BASE_BOND = 50_000
PER_ACTION = 50_000
LOOKBACK_YEARS = 10

_S57D = ("42 CFR 424.57(d) (surety bond: $50,000 base, elevated by $50,000 per final adverse action in the 10 "
         "years before enrollment, revalidation or reactivation; exceptions in 424.57(d)(15)); Palmetto GBA "
         "NPE West, Surety bonds for DMEPOS suppliers (2009)")
_REQUIRED: tuple[tuple[str, ...], ...] = (("accreditation", "accreditation_exemption"), ("surety_bond",),
                                           ("liability_insurance",))
_FULL = ("initial", "revalidation", "reactivation")


@rule("DOC014", "DMEPOS supplier without accreditation, surety bond or liability insurance", "error",
      hint="Attach the accreditation letter (or the basis of an exemption, `accreditation_exemption`), the surety "
           "bond (unless a 42 CFR 424.57(d)(15) exception applies: record it in "
           "`provider.surety_bond_exemption`) and the general liability insurance certificate (at least $300,000).",
      rationale="A DMEPOS supplier must be accredited by a CMS-approved accreditation organization (exempted "
                "professionals and qualifying pharmacies aside: record the basis as an `accreditation_exemption` "
                "document), prove general liability coverage of at least $300,000, and hold a surety bond of at "
                "least $50,000 (42 CFR 424.57(d)). The bond is not required of the suppliers 424.57(d)(15) "
                "excepts: government-operated suppliers (with a comparable State-law bond), physicians and "
                "non-physician practitioners furnishing items to their own patients as part of their "
                "professional service, state-licensed orthotic and prosthetic personnel in private practice, and "
                "physical and occupational therapists in private practice (the last three solely owning and "
                "operating the business); `provider.surety_bond_exemption` records which applies. Each missing "
                "document is reported separately.",
      source=f"[S12] CMS DMEPOS accreditation; [S11] CMS-855S form text; {_S57D}; [S29] Palmetto NSC attachments",
      applications=("CMS-855S",), actions=_FULL,
      example_fail="enrollment: {action: initial, application: CMS-855S}\ndocuments:\n"
                   "  - {type: accreditation, file: docs/accreditation-letter.pdf}\n"
                   "  - {type: liability_insurance, file: docs/general-liability.pdf}",
      example_pass="provider:\n  surety_bond_exemption: government_operated\ndocuments:\n"
                   "  - {type: accreditation, file: docs/accreditation-letter.pdf}\n"
                   "  - {type: liability_insurance, file: docs/general-liability.pdf}")
def dmepos_documents(ctx: Context) -> Iterator[Hit]:
    names = known_types()
    exempt = ctx.profile.provider.surety_bond_exemption is not None
    for types in _REQUIRED:
        if (types == ("surety_bond",) and exempt) or ctx.has_document(*types):
            continue
        named = " or ".join(names.get(t, t) for t in types)
        yield Hit(("documents",), f"the DMEPOS supplier lists no {named} (document type {' or '.join(types)})")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@rule("DOC021", "DMEPOS surety bond must be elevated for adverse legal actions", "warning",
      hint="Make sure the surety bond covers $50,000 plus $50,000 for each final adverse legal action of the "
           "last 10 years (the amount is in the message); ask the surety for a rider if it does not.",
      rationale="Under 42 CFR 424.57(d) the DMEPOS surety bond is $50,000, elevated by $50,000 for each final "
                "adverse action imposed in the 10 years before enrollment, revalidation or reactivation. "
                "pecoscheck counts the `adverse_actions` dated within 10 years before the filing date "
                "(`submitted_on`, else the as-of date) and names the amount; it cannot read the bond's amount, "
                "so this is a warning. Undated adverse actions are counted too, as the profile does not show "
                "they are older. Not checked when `provider.surety_bond_exemption` is set.",
      source=_S57D, applications=("CMS-855S",), actions=_FULL,
      example_fail="adverse_actions:\n  - {kind: license_suspension, date: 2019-04-02}\ndocuments:\n"
                   "  - {type: surety_bond, file: docs/surety-bond.pdf}",
      example_pass="adverse_actions: []\ndocuments:\n  - {type: surety_bond, file: docs/surety-bond.pdf}")
def elevated_bond(ctx: Context) -> Iterator[Hit]:
    p = ctx.profile
    if p.provider.surety_bond_exemption is not None:
        return
    since = _years_before(ctx.check_date, LOOKBACK_YEARS)
    counted = [a for a in p.adverse_actions if a.date is None or since <= a.date <= ctx.check_date]
    if not counted:
        return
    undated = sum(1 for a in counted if a.date is None)
    amount = BASE_BOND + PER_ACTION * len(counted)
    extra = f", {undated} of them undated" if undated else ""
    yield Hit(("adverse_actions",), f"{len(counted)} final adverse action(s) in the 10 years before "
              f"{ctx.check_date.isoformat()}{extra}: the surety bond must be at least ${amount:,} "
              f"(${BASE_BOND:,} + {len(counted)} x ${PER_ACTION:,})", at_key=True)

