"""Pydantic models of the enrollment profile, format version 1.

The models check shape and types only: which keys exist, which values a key
takes, dates written ``YYYY-MM-DD``. Whether the values are right for Medicare
is the rules' business, so identifiers (NPI, TIN, ZIP, state) are plain text
here and get precise findings from the rules.
"""


import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise PydanticCustomError("iso_date", "expected a date written YYYY-MM-DD, got `{value}`",
                                  {"value": value})
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("iso_date", "`{value}` is not a real calendar date",
                                  {"value": value}) from None


def _tbd_or_date(value: Any) -> Any:
    if value == "TBD":
        return value
    return _iso_date(value)


def _version_one(value: Any) -> Any:
    if value in (1, "1"):
        return 1
    raise PydanticCustomError("schema_version", "`schema_version` must be 1 (the only profile format version), "
                              "got `{value}`", {"value": value})


SchemaVersion = Annotated[int, BeforeValidator(_version_one), Field(json_schema_extra={"const": 1})]
IsoDate = Annotated[date, BeforeValidator(_iso_date), Field(json_schema_extra={"format": "date"})]
DueDate = Annotated[
    date | Literal["TBD"],
    BeforeValidator(_tbd_or_date),
    Field(description="A date (YYYY-MM-DD), or `TBD` while CMS lists no due date."),
]
Text = str  # strict (see _Model): a value the loader did not give as text is not converted to text
Systems = list[Literal["PECOS", "NPPES"]]


def _no_items() -> list[Any]:
    """The default of a list field: Pydantic reads a builtin's signature from its text (~0.3 ms each)."""
    return []


class _Model(BaseModel):
    # strict: no coercion (text is text, `true`/`false` a boolean), as StrictStr and StrictBool on each field
    # were before; one model setting makes the schema ~1 ms quicker to build than 150 annotated fields.
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=False, defer_build=True, strict=True)


class PersonName(_Model):
    """An individual's legal name, as at the SSA and in NPPES."""

    first: Text = Field(examples=["Jane"])
    """First name."""
    middle: Text | None = None
    """Middle name or initial."""
    last: Text = Field(examples=["Doe"])
    """Last name."""
    suffix: Text | None = None
    """Name suffix such as Jr. or III."""
    credential: Text | None = Field(None, examples=["MD"])
    """Credential such as MD, DO, NP."""


class Taxonomy(_Model):
    """A NUCC health care provider taxonomy code held by the provider."""

    code: Text = Field(examples=["207Q00000X"])
    """10-character NUCC taxonomy code."""
    primary: bool = False
    """Whether this is the primary taxonomy (exactly one is)."""
    license_state: Text | None = None
    """USPS state code of the license tied to this taxonomy."""


class Medicare(_Model):
    """Existing Medicare enrollment facts."""

    ptan: Text | None = Field(None, examples=["012345"])
    """Provider Transaction Access Number from the MAC."""
    enrollment_id: Text | None = Field(None, examples=["I20031110000070"])
    """PECOS enrollment ID (I or O + 14 digits)."""
    status: Literal["not_enrolled", "pending", "approved", "deactivated", "revoked"] | None = None
    """Current Medicare enrollment status."""
    revalidation_due: DueDate | None = None
    """Due date on the CMS Revalidation Due Date List (YYYY-MM-DD), or `TBD` while it lists none."""
    last_revalidated: IsoDate | None = None
    """Date of the last approved revalidation."""


ProviderKind = Literal["individual", "organization"]
SuretyBondExemption = Literal["government_operated", "physician_or_practitioner", "orthotic_prosthetic_personnel",
                              "physical_or_occupational_therapist"]


class SoleOwnedOrganization(_Model):
    """The professional corporation, PLLC, LLC or corporation of which a practitioner is the sole owner."""

    legal_name: Text | None = None
    """Legal business name, as on the IRS letter."""
    npi: Text | None = None
    """The organization's own Type 2 NPI (a solely owned entity needs one beside the practitioner's Type 1 NPI)."""


class Provider(_Model):
    """Who is enrolling."""

    kind: ProviderKind
    """`individual` (a practitioner) or `organization`."""
    npi: Text = Field(examples=["1234567893"])
    """10-digit National Provider Identifier."""
    name: PersonName | None = None
    """Individuals: the legal name."""
    legal_name: Text | None = None
    """Organizations: legal business name as on the IRS CP-575/147C letter."""
    dba_name: Text | None = None
    """Organizations: doing-business-as name."""
    tin: Text | None = Field(None, examples=["12-3456789"])
    """Organizations: the EIN, NN-NNNNNNN. Never an SSN."""
    organization_type: Literal[
        "group_practice", "clinic", "hospital", "dmepos_supplier", "ambulance", "laboratory",
        "independent_diagnostic_testing_facility", "home_health_agency", "hospice",
        "skilled_nursing_facility", "federally_qualified_health_center", "rural_health_clinic",
        "mdpp_supplier", "ambulatory_surgical_center", "other",
    ] | None = None
    """Organizations: the kind of organization."""
    practitioner_type: Literal[
        "physician", "nurse_practitioner", "physician_assistant", "clinical_nurse_specialist",
        "certified_registered_nurse_anesthetist", "certified_nurse_midwife", "clinical_psychologist",
        "clinical_social_worker", "physical_therapist", "occupational_therapist", "other",
    ] | None = None
    """Individuals: the kind of practitioner."""
    sole_proprietor: bool | None = None
    """Individuals: a sole proprietor."""
    prescribes_controlled_substances: bool | None = None
    """Individuals: prescribes controlled substances (a DEA registration is expected)."""
    surety_bond_exemption: SuretyBondExemption | None = None
    """DMEPOS suppliers: the 42 CFR 424.57(d)(15) exception from the surety bond that applies, if any (a
    government-operated supplier, a physician or non-physician practitioner furnishing items to his or her own
    patients, state-licensed orthotic and prosthetic personnel in private practice, or a physical or occupational
    therapist in private practice).
    """
    sole_owned_organization: SoleOwnedOrganization | None = None
    """Individuals: the organization (PC, PLLC, LLC, corporation) the practitioner solely owns and bills through, if
    any.
    """
    disregarded_entity: bool | None = None
    """Organizations: an LLC that elected (IRS Form 8832) to be treated as a disregarded entity."""
    taxonomies: list[Taxonomy] = Field(default_factory=_no_items)
    """NUCC taxonomy codes."""
    medicare: Medicare | None = None
    """Existing Medicare enrollment facts."""


class ApplicationFee(_Model):
    """The Medicare application fee (institutional providers and suppliers)."""

    required: bool | None = None
    """Whether the application fee applies (institutional providers and suppliers pay it; physicians, practitioners and
    their groups do not).
    """
    paid_on: IsoDate | None = None
    """Date the fee was paid (pay.gov)."""
    amount: float | None = Field(None, ge=0, strict=False, examples=[750])  # a whole number is a number
    """Amount paid in US dollars."""
    hardship_requested: bool | None = None
    """A hardship exception from the fee is requested."""


Application = Literal["CMS-855I", "CMS-855B", "CMS-855A", "CMS-855S", "CMS-855O", "CMS-20134", "CMS-855R"]


class Enrollment(_Model):
    """What is being prepared."""

    action: Literal["initial", "revalidation", "change_of_information", "reactivation", "reassignment",
                    "voluntary_termination"]
    """The enrollment action."""
    application: Application | None = None
    """The CMS form; derived from `provider` when absent. CMS-855R is discontinued."""
    effective_date: IsoDate | None = None
    """Requested effective date."""
    submitted_on: IsoDate | None = None
    """Planned or actual submission date."""
    signer: Text | None = None
    """Name of the person who will sign."""
    signed_on: IsoDate | None = None
    """Date the signer signed (or will sign) the certification statement; a PECOS application is received only once
    every signature is in, at most 20 days after submission.
    """
    presidential_disaster: bool | None = None
    """A Presidentially declared disaster (Stafford Act) kept the provider from enrolling before services began:
    retrospective billing reaches back 90 days instead of 30 (42 CFR 424.521(a)(2)).
    """
    application_fee: ApplicationFee | None = None
    """The Medicare application fee."""


class License(_Model):
    """A professional license."""

    state: Text = Field(examples=["CA"])
    """USPS two-letter state code."""
    number: Text = Field(examples=["A123456"])
    """License number."""
    type: Text | None = None
    """License type, e.g. MD, RN, APRN."""
    status: Literal["active", "inactive", "expired", "suspended", "revoked", "pending"] = "active"
    """License status."""
    issued: IsoDate | None = None
    """Date the license was issued."""
    expires: IsoDate | None = None
    """Date the license expires."""


class Address(_Model):
    """A US street address."""

    line1: Text = Field(examples=["100 Main St"])
    """Street address (practice locations: a physical site, no P.O. box)."""
    line2: Text | None = Field(None, examples=["Suite 300"])
    """Suite, unit or floor."""
    city: Text = Field(examples=["San Francisco"])
    """City."""
    state: Text = Field(examples=["CA"])
    """USPS two-letter state code."""
    zip: Text = Field(examples=["94110"])
    """NNNNN or NNNNN-NNNN."""


class PracticeLocation(_Model):
    """A place where services are rendered."""

    name: Text | None = None
    """Name of the site."""
    address: Address
    """Physical street address of the site."""
    phone: Text | None = Field(None, examples=["503-555-0131"])
    """Phone number of the site."""
    primary: bool = False
    """The primary practice location."""
    effective_date: IsoDate | None = None
    """Date this location became effective for Medicare."""
    services_began: IsoDate | None = None
    """Date the first Medicare patient was seen here."""


class Reassignment(_Model):
    """A reassignment of the practitioner's Medicare benefits to a group."""

    group_npi: Text
    """The receiving group's Type 2 NPI."""
    group_name: Text | None = None
    """Legal business name of the group."""
    group_tin: Text | None = Field(None, examples=["12-3456789"])
    """The group's EIN, NN-NNNNNNN."""
    group_ptan: Text | None = None
    """The group's PTAN."""
    group_enrolled: bool | None = None
    """The group is enrolled in Medicare."""
    group_signer: Text | None = None
    """The receiving group's authorized or delegated official who signs the reassignment."""
    effective_date: IsoDate | None = None
    """Effective date of the reassignment."""
    status: Literal["linked", "pending", "not_submitted"] = "not_submitted"
    """`linked` (approved and visible in PECOS), `pending` or `not_submitted`."""


OwnershipRole = Literal["direct_owner", "indirect_owner", "partner", "managing_control", "managing_employee",
                        "officer", "director", "managing_organization"]


class Owner(_Model):
    """An owner or party with managing control."""

    party: Literal["individual", "organization"]
    """`individual` or `organization`."""
    name: Text
    """Legal name of the person or organization."""
    npi: Text | None = None
    """The owner's NPI, when it has one."""
    tin: Text | None = None
    """Organizational owners: EIN."""
    percent: float | None = Field(None, ge=0, le=100, strict=False)  # a whole number is a number
    """Ownership percentage, 0-100."""
    roles: list[OwnershipRole] = Field(default_factory=_no_items)
    """Ownership and control roles."""
    effective_date: IsoDate | None = None
    """Date the interest or control began."""
    w2_managing_employee: bool | None = None
    """A W-2 managing employee of the provider."""


class Official(_Model):
    """An authorized or delegated official of an organization."""

    name: Text
    """Full name."""
    role: Literal["authorized_official", "delegated_official"]
    """`authorized_official` or `delegated_official`."""
    title: Text | None = Field(None, examples=["Chief Executive Officer"])
    """Job title."""
    email: Text | None = None
    """Email address."""
    is_owner: bool | None = None
    """Also an owner of the organization."""
    w2_managing_employee: bool | None = None
    """A W-2 managing employee (a delegated official must be an owner or one)."""


class IdentityAccess(_Model):
    """The CMS Identity & Access account through which PECOS is used."""

    holder: Text
    """Whose I&A account is tied to this provider."""
    email: Text | None = None
    """Email address of the I&A account."""
    role: Literal["individual_provider", "authorized_official", "access_manager"]
    """The holder's I&A role."""
    organization_registered: bool | None = None
    """Organizations: the organization is registered in I&A."""
    systems: Systems = Field(default_factory=_no_items)
    """Systems the account reaches."""


class Surrogate(_Model):
    """A person or organization working in PECOS on the provider's behalf."""

    name: Text
    """Name of the person acting as surrogate."""
    organization: Text | None = None
    """The surrogate organization, e.g. a billing company."""
    email: Text | None = None
    """Email address."""
    role: Literal["authorized_official", "access_manager", "staff_end_user"] | None = None
    """The person's I&A role at the surrogate organization."""
    systems: Systems = Field(default_factory=_no_items)
    """Systems the surrogate connection covers."""
    approved_by: Text | None = None
    """Who approved the connection: the provider (individuals), or an authorized official or access manager of the
    provider organization.
    """
    approved_on: IsoDate | None = None
    """Date the connection was approved in I&A."""
    status: Literal["approved", "pending", "revoked"]
    """Status of the surrogate connection."""
    expires: IsoDate | None = None
    """Date the connection expires."""


class Document(_Model):
    """A supporting document on file."""

    type: Text = Field(examples=["irs_cp575"])
    """A document type id from the document rule pack."""
    file: Text = Field(examples=["docs/cp575.pdf"])
    """Path relative to the profile's folder."""
    issued: IsoDate | None = None
    """Date the document was issued."""
    expires: IsoDate | None = None
    """Date the document expires."""
    refers_to: Text | None = None
    """What the document is for, e.g. a license state."""
    signed_by: Text | None = None
    """Who signed the document (forms such as the CMS-588)."""
    form_version: Text | None = Field(None, examples=["11/23"])
    """Forms: the version date printed at the foot of the form, MM/YY."""


class BankAccount(_Model):
    """EFT details for the CMS-588 (never the account number)."""

    bank_name: Text | None = None
    """Name of the bank."""
    routing_number: Text = Field(examples=["021000021"])
    """9-digit ABA routing number of the bank."""
    account_holder: Text | None = None
    """Name on the account."""
    account_type: Literal["checking", "savings", "money_market"] = "checking"
    """Account type."""
    joint: bool | None = None
    """A joint account."""


class Change(_Model):
    """A change that happened and must be reported."""

    kind: Literal["ownership", "managing_control", "practice_location", "adverse_action", "license", "name",
                  "bank_account", "authorized_official", "tin", "other"]
    """What changed (`tin`: a new TIN without a change of ownership)."""
    effective_date: IsoDate
    """Date the change took effect."""
    location: Literal["added", "moved", "removed"] | None = None
    """Practice-location changes: whether a location is added, moved or removed (an added location of an institutional
    provider owes the application fee).
    """
    reported_on: IsoDate | None = None
    """Date the change was (or will be) reported to Medicare."""
    description: Text | None = None
    """What changed, in words."""


class AdverseAction(_Model):
    """A final adverse legal action."""

    kind: Text
    """What happened, e.g. a license suspension, a felony conviction or an exclusion."""
    party: Text | None = None
    """Whom it concerns: the provider, an owner or an official."""
    date: IsoDate | None = None
    """Date of the final adverse action."""
    description: Text | None = None
    """Details."""
    reported_on: IsoDate | None = None
    """Date it was reported to Medicare."""


class Profile(_Model):
    """One enrolling party and the enrollment action being prepared for PECOS."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="pecoscheck enrollment profile")

    schema_version: SchemaVersion
    """Always 1."""
    provider: Provider
    """Who is enrolling: the practitioner or the organization."""
    enrollment: Enrollment
    """What is being prepared: the enrollment action and the CMS form."""
    licenses: list[License] = Field(default_factory=_no_items)
    """Professional licenses (individuals: at least one)."""
    practice_locations: list[PracticeLocation] = Field(default_factory=_no_items)
    """Where services are rendered (required except for CMS-855O)."""
    correspondence_address: Address | None = None
    """Mailing address for Medicare correspondence."""
    special_payments_address: Address | None = None
    """Where paper remittances and special payments go."""
    reassignments: list[Reassignment] = Field(default_factory=_no_items)
    """An individual's reassignments of Medicare benefits to groups."""
    ownership: list[Owner] = Field(default_factory=_no_items)
    """Owners and parties with managing control (organizations: required)."""
    officials: list[Official] = Field(default_factory=_no_items)
    """Authorized and delegated officials (organizations: at least one AO)."""
    identity_access: IdentityAccess
    """The CMS Identity & Access (I&A) account through which PECOS is used."""
    surrogates: list[Surrogate] = Field(default_factory=_no_items)
    """People or organizations working in PECOS on the provider's behalf."""
    documents: list[Document] = Field(default_factory=_no_items)
    """Supporting documents on file, each with its type and file path."""
    bank_account: BankAccount | None = None
    """EFT details for the CMS-588 (never the account number)."""
    changes: list[Change] = Field(default_factory=_no_items)
    """Changes that happened and must be reported to Medicare."""
    adverse_actions: list[AdverseAction] = Field(default_factory=_no_items)
    """Final adverse legal actions: convictions, exclusions, license actions."""


def derived_application(profile: Profile) -> str:
    """The CMS form this profile implies, from ``enrollment.application`` or the provider."""
    if profile.enrollment.application:
        return profile.enrollment.application
    return expected_application(profile)


def expected_application(profile: Profile) -> str:
    """The CMS form that fits the provider (ignoring what the profile says)."""
    p = profile.provider
    if p.kind == "individual":
        return "CMS-855I"
    return {
        "dmepos_supplier": "CMS-855S",
        "hospital": "CMS-855A",
        "home_health_agency": "CMS-855A",
        "hospice": "CMS-855A",
        "skilled_nursing_facility": "CMS-855A",
        "federally_qualified_health_center": "CMS-855A",
        "rural_health_clinic": "CMS-855A",
        "mdpp_supplier": "CMS-20134",
    }.get(p.organization_type or "", "CMS-855B")


def shape_problems(profile: Profile) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Keys the format requires for this kind of provider: (path, message, hint) for each one missing."""
    out: list[tuple[tuple[str | int, ...], str, str]] = []
    p = profile.provider
    if p.kind == "individual":
        if p.name is None:
            out.append((("provider", "name"), "an individual provider needs `name` with `first` and `last`",
                        "Add `name: {first: ..., last: ...}` as on the Social Security card."))
        if p.legal_name is not None:
            out.append((("provider", "legal_name"), "`legal_name` is for organizations; an individual has `name`",
                        "Move the name into `name: {first: ..., last: ...}`."))
        if not profile.licenses and derived_application(profile) != "CMS-20134":
            out.append((("licenses",), "an individual provider needs at least one entry in `licenses`",
                        "List every state license, with number, status and expiry date."))
    else:
        if not p.legal_name:
            out.append((("provider", "legal_name"), "an organization needs `legal_name`",
                        "Copy the legal business name exactly as on the IRS CP-575 or 147C letter."))
        if not p.tin:
            out.append((("provider", "tin"), "an organization needs `tin` (its EIN)",
                        "Add the EIN as NN-NNNNNNN, from the IRS letter."))
        if p.name is not None:
            out.append((("provider", "name"), "`name` is for individuals; an organization has `legal_name`",
                        "Use `legal_name` (and `dba_name` for a trade name)."))
        if not profile.ownership:
            out.append((("ownership",), "an organization needs `ownership` (owners and managing parties)",
                        "List every owner with 5% or more and every managing employee."))
        if not profile.officials:
            out.append((("officials",), "an organization needs `officials` (at least one authorized official)",
                        "Add the authorized official who will sign the application."))
    if not profile.practice_locations and derived_application(profile) != "CMS-855O":
        out.append((("practice_locations",), "at least one practice location is required",
                    "Add the physical address where services are rendered (CMS-855O enrollments have none)."))
    if not profile.documents:
        out.append((("documents",), "`documents` is required (the supporting documents on file)",
                    "List each supporting document with its `type` and `file`."))
    return out
