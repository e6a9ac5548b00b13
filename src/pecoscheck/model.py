"""Pydantic models of the enrollment profile, format version 1.

The models check shape and types only: which keys exist, which values a key
takes, dates written ``YYYY-MM-DD``. Whether the values are right for Medicare
is the rules' business, so identifiers (NPI, TIN, ZIP, state) are plain text
here and get precise findings from the rules.
"""


import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr
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
Text = StrictStr
Systems = list[Literal["PECOS", "NPPES"]]


def _no_items() -> list[Any]:
    """The default of a list field: Pydantic reads a builtin's signature from its text (~0.3 ms each)."""
    return []


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=False, defer_build=True)


class PersonName(_Model):
    """An individual's legal name, as at the SSA and in NPPES."""

    first: Text = Field(description="First name.", examples=["Jane"])
    middle: Text | None = Field(None, description="Middle name or initial.")
    last: Text = Field(description="Last name.", examples=["Doe"])
    suffix: Text | None = Field(None, description="Name suffix such as Jr. or III.")
    credential: Text | None = Field(None, description="Credential such as MD, DO, NP.", examples=["MD"])


class Taxonomy(_Model):
    """A NUCC health care provider taxonomy code held by the provider."""

    code: Text = Field(description="10-character NUCC taxonomy code.", examples=["207Q00000X"])
    primary: StrictBool = Field(False, description="Whether this is the primary taxonomy (exactly one is).")
    license_state: Text | None = Field(None, description="USPS state code of the license tied to this taxonomy.")


class Medicare(_Model):
    """Existing Medicare enrollment facts."""

    ptan: Text | None = Field(None, description="Provider Transaction Access Number from the MAC.",
                              examples=["012345"])
    enrollment_id: Text | None = Field(None, description="PECOS enrollment ID (I or O + 14 digits).",
                                       examples=["I20031110000070"])
    status: Literal["not_enrolled", "pending", "approved", "deactivated", "revoked"] | None = Field(
        None, description="Current Medicare enrollment status.")
    revalidation_due: DueDate | None = Field(
        None, description="Due date on the CMS Revalidation Due Date List (YYYY-MM-DD), or `TBD` while it lists none.")
    last_revalidated: IsoDate | None = Field(None, description="Date of the last approved revalidation.")


ProviderKind = Literal["individual", "organization"]
SuretyBondExemption = Literal["government_operated", "physician_or_practitioner", "orthotic_prosthetic_personnel",
                              "physical_or_occupational_therapist"]


class SoleOwnedOrganization(_Model):
    """The professional corporation, PLLC, LLC or corporation of which a practitioner is the sole owner."""

    legal_name: Text | None = Field(None, description="Legal business name, as on the IRS letter.")
    npi: Text | None = Field(None, description="The organization's own Type 2 NPI (a solely owned entity needs "
                                              "one beside the practitioner's Type 1 NPI).")


class Provider(_Model):
    """Who is enrolling."""

    kind: ProviderKind = Field(description="`individual` (a practitioner) or `organization`.")
    npi: Text = Field(description="10-digit National Provider Identifier.", examples=["1234567893"])
    name: PersonName | None = Field(None, description="Individuals: the legal name.")
    legal_name: Text | None = Field(None, description="Organizations: legal business name as on the IRS "
                                    "CP-575/147C letter.")
    dba_name: Text | None = Field(None, description="Organizations: doing-business-as name.")
    tin: Text | None = Field(None, description="Organizations: the EIN, NN-NNNNNNN. Never an SSN.",
                             examples=["12-3456789"])
    organization_type: Literal[
        "group_practice", "clinic", "hospital", "dmepos_supplier", "ambulance", "laboratory",
        "independent_diagnostic_testing_facility", "home_health_agency", "hospice",
        "skilled_nursing_facility", "federally_qualified_health_center", "rural_health_clinic",
        "mdpp_supplier", "ambulatory_surgical_center", "other",
    ] | None = Field(None, description="Organizations: the kind of organization.")
    practitioner_type: Literal[
        "physician", "nurse_practitioner", "physician_assistant", "clinical_nurse_specialist",
        "certified_registered_nurse_anesthetist", "certified_nurse_midwife", "clinical_psychologist",
        "clinical_social_worker", "physical_therapist", "occupational_therapist", "other",
    ] | None = Field(None, description="Individuals: the kind of practitioner.")
    sole_proprietor: StrictBool | None = Field(None, description="Individuals: a sole proprietor.")
    prescribes_controlled_substances: StrictBool | None = Field(
        None, description="Individuals: prescribes controlled substances (a DEA registration is expected).")
    surety_bond_exemption: SuretyBondExemption | None = Field(
        None, description="DMEPOS suppliers: the 42 CFR 424.57(d)(15) exception from the surety bond that applies, "
                          "if any (a government-operated supplier, a physician or non-physician practitioner "
                          "furnishing items to his or her own patients, state-licensed orthotic and prosthetic "
                          "personnel in private practice, or a physical or occupational therapist in private "
                          "practice).")
    sole_owned_organization: SoleOwnedOrganization | None = Field(
        None, description="Individuals: the organization (PC, PLLC, LLC, corporation) the practitioner solely owns "
                          "and bills through, if any.")
    disregarded_entity: StrictBool | None = Field(
        None, description="Organizations: an LLC that elected (IRS Form 8832) to be treated as a disregarded entity.")
    taxonomies: list[Taxonomy] = Field(default_factory=_no_items, description="NUCC taxonomy codes.")
    medicare: Medicare | None = Field(None, description="Existing Medicare enrollment facts.")


class ApplicationFee(_Model):
    """The Medicare application fee (institutional providers and suppliers)."""

    required: StrictBool | None = Field(
        None, description="Whether the application fee applies (institutional providers and suppliers pay it; "
                          "physicians, practitioners and their groups do not).")
    paid_on: IsoDate | None = Field(None, description="Date the fee was paid (pay.gov).")
    amount: float | None = Field(None, ge=0, description="Amount paid in US dollars.", examples=[750])
    hardship_requested: StrictBool | None = Field(None, description="A hardship exception from the fee is requested.")


Application = Literal["CMS-855I", "CMS-855B", "CMS-855A", "CMS-855S", "CMS-855O", "CMS-20134", "CMS-855R"]


class Enrollment(_Model):
    """What is being prepared."""

    action: Literal["initial", "revalidation", "change_of_information", "reactivation", "reassignment",
                    "voluntary_termination"] = Field(description="The enrollment action.")
    application: Application | None = Field(
        None, description="The CMS form; derived from `provider` when absent. CMS-855R is discontinued.")
    effective_date: IsoDate | None = Field(None, description="Requested effective date.")
    submitted_on: IsoDate | None = Field(None, description="Planned or actual submission date.")
    signer: Text | None = Field(None, description="Name of the person who will sign.")
    signed_on: IsoDate | None = Field(
        None, description="Date the signer signed (or will sign) the certification statement; a PECOS application "
                          "is received only once every signature is in, at most 20 days after submission.")
    presidential_disaster: StrictBool | None = Field(
        None, description="A Presidentially declared disaster (Stafford Act) kept the provider from enrolling before "
                          "services began: retrospective billing reaches back 90 days instead of 30 "
                          "(42 CFR 424.521(a)(2)).")
    application_fee: ApplicationFee | None = Field(None, description="The Medicare application fee.")


class License(_Model):
    """A professional license."""

    state: Text = Field(description="USPS two-letter state code.", examples=["CA"])
    number: Text = Field(description="License number.", examples=["A123456"])
    type: Text | None = Field(None, description="License type, e.g. MD, RN, APRN.")
    status: Literal["active", "inactive", "expired", "suspended", "revoked", "pending"] = Field(
        "active", description="License status.")
    issued: IsoDate | None = Field(None, description="Date the license was issued.")
    expires: IsoDate | None = Field(None, description="Date the license expires.")


class Address(_Model):
    """A US street address."""

    line1: Text = Field(description="Street address (practice locations: a physical site, no P.O. box).",
                        examples=["100 Main St"])
    line2: Text | None = Field(None, description="Suite, unit or floor.", examples=["Suite 300"])
    city: Text = Field(examples=["San Francisco"], description="City.")
    state: Text = Field(description="USPS two-letter state code.", examples=["CA"])
    zip: Text = Field(description="NNNNN or NNNNN-NNNN.", examples=["94110"])


class PracticeLocation(_Model):
    """A place where services are rendered."""

    name: Text | None = Field(None, description="Name of the site.")
    address: Address = Field(description="Physical street address of the site.")
    phone: Text | None = Field(None, description="Phone number of the site.", examples=["503-555-0131"])
    primary: StrictBool = Field(False, description="The primary practice location.")
    effective_date: IsoDate | None = Field(None, description="Date this location became effective for Medicare.")
    services_began: IsoDate | None = Field(None, description="Date the first Medicare patient was seen here.")


class Reassignment(_Model):
    """A reassignment of the practitioner's Medicare benefits to a group."""

    group_npi: Text = Field(description="The receiving group's Type 2 NPI.")
    group_name: Text | None = Field(None, description="Legal business name of the group.")
    group_tin: Text | None = Field(None, description="The group's EIN, NN-NNNNNNN.", examples=["12-3456789"])
    group_ptan: Text | None = Field(None, description="The group's PTAN.")
    group_enrolled: StrictBool | None = Field(None, description="The group is enrolled in Medicare.")
    group_signer: Text | None = Field(
        None, description="The receiving group's authorized or delegated official who signs the reassignment.")
    effective_date: IsoDate | None = Field(None, description="Effective date of the reassignment.")
    status: Literal["linked", "pending", "not_submitted"] = Field(
        "not_submitted", description="`linked` (approved and visible in PECOS), `pending` or `not_submitted`.")


OwnershipRole = Literal["direct_owner", "indirect_owner", "partner", "managing_control", "managing_employee",
                        "officer", "director", "managing_organization"]


class Owner(_Model):
    """An owner or party with managing control."""

    party: Literal["individual", "organization"] = Field(description="`individual` or `organization`.")
    name: Text = Field(description="Legal name of the person or organization.")
    npi: Text | None = Field(None, description="The owner's NPI, when it has one.")
    tin: Text | None = Field(None, description="Organizational owners: EIN.")
    percent: float | None = Field(None, ge=0, le=100, description="Ownership percentage, 0-100.")
    roles: list[OwnershipRole] = Field(default_factory=_no_items, description="Ownership and control roles.")
    effective_date: IsoDate | None = Field(None, description="Date the interest or control began.")
    w2_managing_employee: StrictBool | None = Field(None, description="A W-2 managing employee of the provider.")


class Official(_Model):
    """An authorized or delegated official of an organization."""

    name: Text = Field(description="Full name.")
    role: Literal["authorized_official", "delegated_official"] = Field(
        description="`authorized_official` or `delegated_official`.")
    title: Text | None = Field(None, description="Job title.", examples=["Chief Executive Officer"])
    email: Text | None = Field(None, description="Email address.")
    is_owner: StrictBool | None = Field(None, description="Also an owner of the organization.")
    w2_managing_employee: StrictBool | None = Field(
        None, description="A W-2 managing employee (a delegated official must be an owner or one).")


class IdentityAccess(_Model):
    """The CMS Identity & Access account through which PECOS is used."""

    holder: Text = Field(description="Whose I&A account is tied to this provider.")
    email: Text | None = Field(None, description="Email address of the I&A account.")
    role: Literal["individual_provider", "authorized_official", "access_manager"] = Field(
        description="The holder's I&A role.")
    organization_registered: StrictBool | None = Field(
        None, description="Organizations: the organization is registered in I&A.")
    systems: Systems = Field(default_factory=_no_items, description="Systems the account reaches.")


class Surrogate(_Model):
    """A person or organization working in PECOS on the provider's behalf."""

    name: Text = Field(description="Name of the person acting as surrogate.")
    organization: Text | None = Field(None, description="The surrogate organization, e.g. a billing company.")
    email: Text | None = Field(None, description="Email address.")
    role: Literal["authorized_official", "access_manager", "staff_end_user"] | None = Field(
        None, description="The person's I&A role at the surrogate organization.")
    systems: Systems = Field(default_factory=_no_items, description="Systems the surrogate connection covers.")
    approved_by: Text | None = Field(
        None, description="Who approved the connection: the provider (individuals), or an authorized official or "
                          "access manager of the provider organization.")
    approved_on: IsoDate | None = Field(None, description="Date the connection was approved in I&A.")
    status: Literal["approved", "pending", "revoked"] = Field(description="Status of the surrogate connection.")
    expires: IsoDate | None = Field(None, description="Date the connection expires.")


class Document(_Model):
    """A supporting document on file."""

    type: Text = Field(description="A document type id from the document rule pack.", examples=["irs_cp575"])
    file: Text = Field(description="Path relative to the profile's folder.", examples=["docs/cp575.pdf"])
    issued: IsoDate | None = Field(None, description="Date the document was issued.")
    expires: IsoDate | None = Field(None, description="Date the document expires.")
    refers_to: Text | None = Field(None, description="What the document is for, e.g. a license state.")
    signed_by: Text | None = Field(None, description="Who signed the document (forms such as the CMS-588).")
    form_version: Text | None = Field(
        None, description="Forms: the version date printed at the foot of the form, MM/YY.", examples=["11/23"])


class BankAccount(_Model):
    """EFT details for the CMS-588 (never the account number)."""

    bank_name: Text | None = Field(None, description="Name of the bank.")
    routing_number: Text = Field(description="9-digit ABA routing number of the bank.", examples=["021000021"])
    account_holder: Text | None = Field(None, description="Name on the account.")
    account_type: Literal["checking", "savings", "money_market"] = Field("checking", description="Account type.")
    joint: StrictBool | None = Field(None, description="A joint account.")


class Change(_Model):
    """A change that happened and must be reported."""

    kind: Literal["ownership", "managing_control", "practice_location", "adverse_action", "license", "name",
                  "bank_account", "authorized_official", "tin", "other"] = Field(
        description="What changed (`tin`: a new TIN without a change of ownership).")
    effective_date: IsoDate = Field(description="Date the change took effect.")
    location: Literal["added", "moved", "removed"] | None = Field(
        None, description="Practice-location changes: whether a location is added, moved or removed (an added "
                          "location of an institutional provider owes the application fee).")
    reported_on: IsoDate | None = Field(None, description="Date the change was (or will be) reported to Medicare.")
    description: Text | None = Field(None, description="What changed, in words.")


class AdverseAction(_Model):
    """A final adverse legal action."""

    kind: Text = Field(description="What happened, e.g. a license suspension, a felony conviction or an exclusion.")
    party: Text | None = Field(None, description="Whom it concerns: the provider, an owner or an official.")
    date: IsoDate | None = Field(None, description="Date of the final adverse action.")
    description: Text | None = Field(None, description="Details.")
    reported_on: IsoDate | None = Field(None, description="Date it was reported to Medicare.")


class Profile(_Model):
    """One enrolling party and the enrollment action being prepared for PECOS."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="pecoscheck enrollment profile")

    schema_version: SchemaVersion = Field(description="Always 1.")
    provider: Provider = Field(description="Who is enrolling: the practitioner or the organization.")
    enrollment: Enrollment = Field(description="What is being prepared: the enrollment action and the CMS form.")
    licenses: list[License] = Field(
        default_factory=_no_items, description="Professional licenses (individuals: at least one).")
    practice_locations: list[PracticeLocation] = Field(
        default_factory=_no_items, description="Where services are rendered (required except for CMS-855O).")
    correspondence_address: Address | None = Field(None, description="Mailing address for Medicare correspondence.")
    special_payments_address: Address | None = Field(
        None, description="Where paper remittances and special payments go.")
    reassignments: list[Reassignment] = Field(
        default_factory=_no_items, description="An individual's reassignments of Medicare benefits to groups.")
    ownership: list[Owner] = Field(
        default_factory=_no_items, description="Owners and parties with managing control (organizations: required).")
    officials: list[Official] = Field(
        default_factory=_no_items, description="Authorized and delegated officials (organizations: at least one AO).")
    identity_access: IdentityAccess = Field(
        description="The CMS Identity & Access (I&A) account through which PECOS is used.")
    surrogates: list[Surrogate] = Field(
        default_factory=_no_items, description="People or organizations working in PECOS on the provider's behalf.")
    documents: list[Document] = Field(
        default_factory=_no_items, description="Supporting documents on file, each with its type and file path.")
    bank_account: BankAccount | None = Field(
        None, description="EFT details for the CMS-588 (never the account number).")
    changes: list[Change] = Field(
        default_factory=_no_items, description="Changes that happened and must be reported to Medicare.")
    adverse_actions: list[AdverseAction] = Field(
        default_factory=_no_items, description="Final adverse legal actions: convictions, exclusions, license actions.")


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
