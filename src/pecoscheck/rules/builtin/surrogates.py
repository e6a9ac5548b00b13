"""CMS Identity & Access (I&A): the account PECOS is reached through, and surrogate connections.

Every surrogate listed in a profile is taken to be working in PECOS on this application; remove the ones
that are not (or suppress the finding with the reason).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from ...findings import Severity
from ...model import Profile
from ..base import Context, Hit, rule
from .signatures import find_official, is_practitioner, practitioner_name, same_person

_SOURCE_SURROGACY = ("[S56] CMS surrogacy program parts 1-2 (3P); [S57] Approving a surrogate (3P); [S53] CMS "
                     "Access Manager (3P citing CMS I&A FAQ)")
_SOURCE_ROLES = "[S53] CMS Access Manager (3P); [S54] Registering as AO in I&A (3P); [S55] I&A roles (3P)"
_ORG_ROLES = frozenset({"authorized_official", "access_manager"})


def _approver_ok(profile: Profile, approver: str) -> bool:
    if profile.provider.kind == "individual":
        return is_practitioner(approver, profile)
    ia = profile.identity_access
    if ia.role in _ORG_ROLES and same_person(approver, ia.holder):
        return True
    found = find_official(profile, approver)
    return found is not None and found[1].role == "authorized_official"


@rule("SUR001", "Surrogate has no approved connection covering PECOS", "error",
      hint="Have the practitioner (or the organization's AO/AM) approve the surrogate's I&A connection for "
           "PECOS, or remove the surrogate if it is not working on this application.",
      rationale="A surrogate can work in PECOS for a provider only through an approved I&A connection to that "
                "provider that covers PECOS; sharing the provider's login instead is prohibited. A connection "
                "that is pending or revoked, or does not list PECOS, does not qualify (an expired one is "
                "SUR007). Every surrogate listed is taken to be the one doing the work.",
      source=_SOURCE_SURROGACY,
      example_fail="surrogates:\n  - {name: Alicia Moreno, systems: [PECOS], status: pending}",
      example_pass="surrogates:\n  - {name: Alicia Moreno, systems: [PECOS], approved_by: Monica Reyes, "
                   "status: approved}")
def surrogate_connection(ctx: Context) -> Iterator[Hit]:
    for i, s in enumerate(ctx.profile.surrogates):
        if s.status != "approved":
            yield Hit(("surrogates", i, "status"), f"surrogate {s.name}'s I&A connection is {s.status}, not "
                      "approved")
        elif "PECOS" not in s.systems:
            covered = ", ".join(s.systems) or "no system"
            yield Hit(("surrogates", i, "systems"), f"surrogate {s.name}'s connection covers {covered}, not PECOS")


@rule("SUR007", "Surrogate connection expired", "warning",
      hint="Renew the surrogate connection in I&A (the provider, or the organization's AO/AM, approves it "
           "again) and update `expires`, or remove the surrogate if it is not working on this application.",
      rationale="A surrogate works in PECOS only while its approved I&A connection lasts; one that expires "
                "before the submission date no longer lets the surrogate prepare or submit the application. "
                "Every surrogate listed is taken to be the one doing the work. UNVERIFIED: that I&A surrogate "
                "connections carry an expiry date and stop working at it is known only from third-party "
                "guides, not from CMS I&A documentation, hence a warning.",
      source=_SOURCE_SURROGACY,
      example_fail="enrollment:\n  submitted_on: 2026-11-30\nsurrogates:\n"
                   "  - {name: Alicia Moreno, systems: [PECOS], status: approved, expires: 2026-10-31}",
      example_pass="enrollment:\n  submitted_on: 2026-11-30\nsurrogates:\n"
                   "  - {name: Alicia Moreno, systems: [PECOS], status: approved, expires: 2027-10-31}")
def surrogate_expired(ctx: Context) -> Iterator[Hit]:
    for i, s in enumerate(ctx.profile.surrogates):
        if s.status == "approved" and s.expires is not None and s.expires < ctx.check_date:
            yield Hit(("surrogates", i, "expires"), f"surrogate {s.name}'s connection expired on "
                      f"{s.expires.isoformat()}, before {ctx.check_date.isoformat()}")


@rule("SUR011", "Surrogate connection expires soon", "warning",
      hint="Renew the surrogate connection in I&A before it lapses (signatures can take up to 20 days).",
      rationale="A surrogate connection that lapses stops the surrogate from working in PECOS; warned "
                "`surrogate_expiry_warning_days` (default 30, a pecoscheck threshold) ahead of the submission "
                "date. UNVERIFIED, like SUR007: connection expiry is known only from third-party guides.",
      source=_SOURCE_SURROGACY,
      example_fail="enrollment:\n  submitted_on: 2026-11-30\nsurrogates:\n"
                   "  - {name: Alicia Moreno, systems: [PECOS], status: approved, expires: 2026-12-10}",
      example_pass="enrollment:\n  submitted_on: 2026-11-30\nsurrogates:\n"
                   "  - {name: Alicia Moreno, systems: [PECOS], status: approved, expires: 2027-12-10}")
def surrogate_expiring(ctx: Context) -> Iterator[Hit]:
    limit = ctx.check_date + timedelta(days=ctx.settings.surrogate_expiry_warning_days)
    for i, s in enumerate(ctx.profile.surrogates):
        if s.status == "approved" and s.expires is not None and ctx.check_date <= s.expires <= limit:
            yield Hit(("surrogates", i, "expires"), f"surrogate {s.name}'s connection expires on "
                      f"{s.expires.isoformat()}, {(s.expires - ctx.check_date).days} days after "
                      f"{ctx.check_date.isoformat()}")


@rule("SUR003", "Surrogate connection approved by the wrong person", "error",
      hint="The connection must be approved in I&A by the practitioner himself or herself, or for an "
           "organization by its I&A authorized official or access manager.",
      rationale="The individual practitioner approves a surrogate connection to his or her enrollment; for an "
                "organization its I&A authorized official or access manager does. pecoscheck accepts as "
                "approver of an organization's connection the `identity_access` holder (role AO or AM) or an "
                "`officials[]` authorized official (assumed to hold an I&A AO role as well). An approved "
                "connection with no `approved_by` gets a warning.",
      source=f"{_SOURCE_SURROGACY}; [S43] NGS AO and DO roles",
      example_fail="provider:\n  name: {first: Priya, last: Raman}\nsurrogates:\n"
                   "  - {name: Karen Dahl, approved_by: Karen Dahl, status: approved}",
      example_pass="provider:\n  name: {first: Priya, last: Raman}\nsurrogates:\n"
                   "  - {name: Karen Dahl, approved_by: Priya Raman, status: approved}")
def surrogate_approver(ctx: Context) -> Iterator[Hit]:
    p = ctx.profile
    who = (f"the practitioner {practitioner_name(p)}" if ctx.kind == "individual"
           else "the organization's I&A authorized official or access manager")
    for i, s in enumerate(p.surrogates):
        if s.status != "approved" or (ctx.kind == "individual" and p.provider.name is None):
            continue
        if not s.approved_by:
            yield Hit(("surrogates", i, "approved_by"), f"approved surrogate {s.name} has no `approved_by`; it "
                      f"must be {who}", severity=Severity.WARNING)
        elif not _approver_ok(p, s.approved_by):
            yield Hit(("surrogates", i, "approved_by"), f"surrogate {s.name}'s connection was approved by "
                      f"{s.approved_by}, not by {who}")


@rule("SUR004", "A surrogate is named as the signer", "error",
      hint="Name the practitioner (855I) or an authorized/delegated official as `enrollment.signer`; the "
           "surrogate prepares the application and PECOS sends the signature request to the signer.",
      rationale="Even an approved surrogate cannot sign: PECOS sends e-signature requests to the practitioner "
                "or to the AO/DO, or a signed certification statement is uploaded.",
      source="[S59] Palmetto, sign electronically; FCSO PECOS signatures",
      example_fail="enrollment:\n  signer: Brooke Tanner\nsurrogates:\n  - {name: Brooke Tanner, status: approved}",
      example_pass="enrollment:\n  signer: Jared Olsen\nsurrogates:\n  - {name: Brooke Tanner, status: approved}")
def surrogate_signs(ctx: Context) -> Iterator[Hit]:
    signer = ctx.profile.enrollment.signer
    for s in ctx.profile.surrogates:
        if same_person(signer, s.name):
            org = f" of {s.organization}" if s.organization else ""
            yield Hit(("enrollment", "signer"), f"signer `{signer}` is a surrogate{org}; a surrogate cannot sign")
            return


@rule("SUR005", "Surrogate appears to use the provider's own I&A login", "warning",
      hint="Each surrogate needs his or her own I&A account and an approved connection; never share the "
           "provider's login.",
      rationale="Sharing a provider's I&A credentials is prohibited; the surrogacy program exists to replace "
                "it. A surrogate recorded with the same email as the provider's I&A account suggests a shared "
                "login. The email is only indirect evidence, hence a warning.",
      source="[S58] Zetter, Medicare surrogacy (3P); [S56] CMS surrogacy program (3P)",
      example_fail="identity_access: {holder: Jane Doe, email: jdoe@x.example.com, role: individual_provider}\n"
                   "surrogates:\n  - {name: Mark Lee, email: jdoe@x.example.com, status: approved}",
      example_pass="identity_access: {holder: Jane Doe, email: jdoe@x.example.com, role: individual_provider}\n"
                   "surrogates:\n  - {name: Mark Lee, email: mlee@billing.example.com, status: approved}")
def shared_login(ctx: Context) -> Iterator[Hit]:
    email = (ctx.profile.identity_access.email or "").strip().casefold()
    for i, s in enumerate(ctx.profile.surrogates):
        if email and (s.email or "").strip().casefold() == email:
            yield Hit(("surrogates", i, "email"), f"surrogate {s.name} uses the provider's I&A email {s.email}")


@rule("SUR006", "I&A authorized official is not an authorized official of the enrollment", "info",
      hint="Confirm that the I&A authorized official is meant to manage this enrollment; add him or her to "
           "`officials` if he or she is also its AO.",
      rationale="I&A roles are separate from the AO/DO on the Medicare enrollment record: an I&A authorized "
                "official is not automatically an AO of the enrollment (and is not added to the application). "
                "A note to confirm the difference is intended.",
      source="[S43] NGS Understanding AO and DO Roles; [S55] I&A roles (3P)", kinds=("organization",),
      example_fail="identity_access: {holder: Pat Lee, role: authorized_official}\nofficials:\n"
                   "  - {name: Ann Lee, role: authorized_official}",
      example_pass="identity_access: {holder: Ann Lee, role: authorized_official}\nofficials:\n"
                   "  - {name: Ann Lee, role: authorized_official}")
def ia_ao_not_official(ctx: Context) -> Iterator[Hit]:
    ia = ctx.profile.identity_access
    if ia.role != "authorized_official":
        return
    found = find_official(ctx.profile, ia.holder)
    if found is None:
        yield Hit(("identity_access", "holder"), f"I&A authorized official {ia.holder} is not among `officials`")
    elif found[1].role != "authorized_official":
        yield Hit(("identity_access", "holder"), f"I&A authorized official {ia.holder} is a delegated, not an "
                  "authorized, official of the enrollment")


@rule("SUR008", "Individual's I&A account is not the practitioner's own", "error",
      hint="The practitioner uses his or her own I&A account (role Individual Provider); others work through "
           "surrogate connections the practitioner approves.",
      rationale="PECOS is reached only through CMS I&A; a practitioner manages his or her own enrollment with "
                "the Individual Provider role, and sharing credentials is prohibited. `identity_access` must "
                "be held by the practitioner (matched by first and last name) with role `individual_provider`.",
      source=f"{_SOURCE_ROLES}; [S58] Zetter, Medicare surrogacy (3P)", kinds=("individual",),
      example_fail="provider:\n  name: {first: Jane, last: Doe}\n"
                   "identity_access: {holder: Mark Lee, role: individual_provider, systems: [PECOS]}",
      example_pass="provider:\n  name: {first: Jane, last: Doe}\n"
                   "identity_access: {holder: Jane Doe, role: individual_provider, systems: [PECOS]}")
def individual_account(ctx: Context) -> Iterator[Hit]:
    ia = ctx.profile.identity_access
    if ctx.profile.provider.name is not None and not is_practitioner(ia.holder, ctx.profile):
        yield Hit(("identity_access", "holder"), f"I&A account holder {ia.holder} is not the practitioner "
                  f"{practitioner_name(ctx.profile)}")
    if ia.role != "individual_provider":
        yield Hit(("identity_access", "role"), f"I&A role is {ia.role}; a practitioner's own account has the "
                  "role individual_provider")


@rule("SUR009", "Organization's I&A access is not through a registered organization's AO or AM", "error",
      hint="Register the organization in I&A (its authorized official, usually with the IRS CP-575) and use "
           "the AO's or an access manager's account; record `organization_registered: true`.",
      rationale="An organization reaches PECOS through I&A only after its authorized official registers it as "
                "an employer organization (approved automatically or by CMS EUS); its AO or an access manager "
                "(formerly 'delegated official' in I&A) then works in PECOS or connects surrogates. "
                "`organization_registered: false` or an `individual_provider` role is an error; an unrecorded "
                "registration is a warning.",
      source=_SOURCE_ROLES, kinds=("organization",),
      example_fail="identity_access: {holder: Ann Lee, role: authorized_official, organization_registered: false}",
      example_pass="identity_access: {holder: Ann Lee, role: authorized_official, organization_registered: true}")
def organization_account(ctx: Context) -> Iterator[Hit]:
    ia = ctx.profile.identity_access
    if ia.organization_registered is False:
        yield Hit(("identity_access", "organization_registered"), "the organization is not registered in I&A")
    elif ia.organization_registered is None:
        yield Hit(("identity_access",), "the profile does not say whether the organization is registered in I&A "
                  "(`organization_registered`)", severity=Severity.WARNING)
    if ia.role not in _ORG_ROLES:
        yield Hit(("identity_access", "role"), f"I&A role is {ia.role}; an organization's account holder must be "
                  "its authorized official or an access manager")


@rule("SUR010", "I&A account does not reach PECOS", "error",
      hint="Add PECOS to the I&A account's `systems` (the same I&A user ID serves NPPES and PECOS).",
      rationale="PECOS is used only through a CMS I&A account; one I&A user ID works for NPPES and PECOS. An "
                "`identity_access` whose `systems` omit PECOS cannot be used to file.",
      source="[S55] I&A roles (3P); [S56] CMS surrogacy program (3P)",
      example_fail="identity_access: {holder: Jane Doe, role: individual_provider, systems: [NPPES]}",
      example_pass="identity_access: {holder: Jane Doe, role: individual_provider, systems: [PECOS, NPPES]}")
def account_reaches_pecos(ctx: Context) -> Iterator[Hit]:
    ia = ctx.profile.identity_access
    if "PECOS" not in ia.systems:
        yield Hit(("identity_access", "systems"), f"I&A account of {ia.holder} lists "
                  f"{', '.join(ia.systems) or 'no systems'}, not PECOS")
