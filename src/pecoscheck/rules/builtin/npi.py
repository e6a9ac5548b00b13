"""NPI rules: format, first digit, check digit and type, for every NPI in a profile."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from ... import npi as npi_math
from ..base import Context, Hit, rule

_SOURCE_S61 = ("[S61] CMS NPI check-digit text (Luhn with the 80840 prefix), quoted at "
               "forums.studentdoctor.net/threads/npi-check-digit-validation.406385")


def _npis(ctx: Context) -> Iterator[tuple[tuple[str | int, ...], str]]:
    p = ctx.profile
    yield ("provider", "npi"), p.provider.npi
    for i, r in enumerate(p.reassignments):
        yield ("reassignments", i, "group_npi"), r.group_npi
    owned = p.provider.sole_owned_organization
    if owned is not None and owned.npi:
        yield ("provider", "sole_owned_organization", "npi"), owned.npi
    for i, o in enumerate(p.ownership):
        if o.npi:
            yield ("ownership", i, "npi"), o.npi



_problem = lru_cache(maxsize=1024)(npi_math.problem)  # NPI001-NPI003 each ask about the same NPIs


def _hits(ctx: Context, rule_id: str) -> Iterator[Hit]:
    for path, value in _npis(ctx):
        found = _problem(value)
        if found and found[0] == rule_id:
            yield Hit(path, found[1])


@rule("NPI001", "NPI is not exactly 10 digits", "error",
      hint="Write the NPI as 10 digits with no spaces or dashes, copied from the NPPES registry.",
      rationale="An NPI is a 10-position all-numeric identifier (9 digits and a check digit). "
                "Checked for the provider, every reassignment's group and every owner with an NPI.",
      source=_SOURCE_S61,
      example_fail="provider:\n  npi: 123-456-7893", example_pass='provider:\n  npi: "1234567893"')
def npi_length(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "NPI001")


@rule("NPI002", "NPI does not start with 1 or 2", "error",
      hint="NPIs issued so far start with 1 or 2; check for a typo or a number that is not an NPI "
           "(a PTAN, a license number).",
      rationale="NPIs were initially issued with first digit 1 or 2; any other first digit is not an "
                "NPI in use.",
      source=_SOURCE_S61,
      example_fail='provider:\n  npi: "3234567893"', example_pass='provider:\n  npi: "1234567893"')
def npi_first_digit(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "NPI002")


@rule("NPI003", "NPI fails the check digit", "error",
      hint="Copy the NPI from the NPPES registry; a typo changes the check digit.",
      rationale="The last digit of an NPI is a Luhn check digit computed as if the number were "
                "prefixed with 80840 (80 = health, 840 = USA).",
      source=_SOURCE_S61,
      example_fail='provider:\n  npi: "1234567890"', example_pass='provider:\n  npi: "1234567893"')
def npi_check_digit(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "NPI003")
