"""Medicare Diabetes Prevention Program suppliers (CMS-20134, 42 CFR 424.205)."""

from __future__ import annotations

from collections.abc import Iterator

from ..base import Context, Hit, rule

_S205 = ("42 CFR 424.205(b) (conditions for MDPP supplier enrollment: MDPP preliminary recognition or CDC DPRP "
         "full recognition); [S16] Noridian JE-B, MDPP enrollment, Enrollment eligibility; CMS MDPP enrollment "
         "checklist (recognition documents for CMS-20134 sections 2 and 17: certificate for full, letter for "
         "preliminary recognition); [S16] NGS CMS-20134 completion tips, section 2B2")


@rule("MDP001", "MDPP supplier without CDC recognition", "error",
      hint="Attach the CDC DPRP full-recognition certificate or the MDPP preliminary-recognition letter "
           "(`type: cdc_recognition`, with `issued` and `expires`).",
      rationale="An entity may enroll as an MDPP supplier only with MDPP preliminary recognition (CMS interim "
                "preliminary or CDC preliminary DPRP recognition) or CDC DPRP full recognition (42 CFR "
                "424.205(b)). The CMS-20134 reports the recognition status, its dates and the organizational "
                "code, and CMS's enrollment checklist asks for a copy of the certificate (full recognition) or "
                "the letter (preliminary recognition). Checked for initial enrollments, revalidations and "
                "reactivations on the CMS-20134; an expired recognition document is DOC018's finding.",
      source=_S205, kinds=("organization",), applications=("CMS-20134",),
      actions=("initial", "revalidation", "reactivation"),
      example_fail="enrollment: {action: initial, application: CMS-20134}\ndocuments:\n"
                   "  - {type: irs_cp575, file: docs/cp575.pdf}",
      example_pass="enrollment: {action: initial, application: CMS-20134}\ndocuments:\n"
                   "  - {type: cdc_recognition, file: docs/cdc-full-recognition.pdf, expires: 2028-06-30}")
def cdc_recognition(ctx: Context) -> Iterator[Hit]:
    if not ctx.has_document("cdc_recognition"):
        yield Hit(("documents",), "an MDPP supplier needs CDC recognition (MDPP preliminary or DPRP full "
                  "recognition, 42 CFR 424.205(b)), and no `cdc_recognition` document is listed", at_key=True)
