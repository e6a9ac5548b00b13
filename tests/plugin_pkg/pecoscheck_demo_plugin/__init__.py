"""A tiny third-party rule plugin used by the tests: one rule through the entry point group."""

from __future__ import annotations

from collections.abc import Iterator

from pecoscheck import Context, Hit, Rule, Severity


def _check(ctx: Context) -> Iterator[Hit]:
    p = ctx.profile.provider
    if p.kind == "individual" and p.name is not None and not p.name.credential:
        yield Hit(("provider", "name"), "the practitioner's credential (MD, DO, NP, ...) is not recorded")


def rules() -> list[Rule]:
    return [Rule(id="ACME001", title="Credential recorded", severity=Severity.WARNING, check=_check,
                 hint="Add `credential:` to the name.", rationale="House rule of the ACME billing company.",
                 source="ACME credentialing manual, section 2")]
