"""``pecoscheck init``: commented starter profiles."""

from __future__ import annotations

_HEADER = """\
# yaml-language-server: $schema={schema}
# pecoscheck enrollment profile (format version 1).
# Replace every value marked REPLACE, list your documents, then run:
#   pecoscheck validate {name}
# Create the schema file for editor completion with: pecoscheck schema -o {schema}
schema_version: 1
"""

_INDIVIDUAL = """\
provider:
  kind: individual
  npi: "1234567893"            # REPLACE with your 10-digit NPI (Type 1), exactly as in NPPES
  name:                        # your legal name as on your Social Security card and in NPPES
    first: Jane                # REPLACE
    last: Doe                  # REPLACE
    credential: MD
  practitioner_type: physician
  sole_proprietor: false
  prescribes_controlled_substances: false   # true: a DEA registration is expected
  taxonomies:
    - {code: 207Q00000X, primary: true, license_state: CA}   # REPLACE: NUCC code (207Q00000X = Family Medicine)

enrollment:
  action: initial              # initial | revalidation | change_of_information | reactivation | ...
  application: CMS-855I
  signer: Jane Doe             # for a CMS-855I only the practitioner signs

licenses:
  - state: CA
    number: A123456            # REPLACE
    type: MD
    status: active
    expires: 2028-06-30        # REPLACE

practice_locations:
  - name: Doe Family Medicine
    address: {line1: 100 Main St, city: San Francisco, state: CA, zip: "94110"}   # REPLACE; no P.O. boxes
    primary: true

identity_access:               # your CMS I&A account, through which PECOS is reached
  holder: Jane Doe
  role: individual_provider
  systems: [PECOS, NPPES]

bank_account:                  # CMS-588 EFT (no account number in a profile)
  bank_name: Example Bank
  routing_number: "121000358"  # REPLACE
  account_holder: Jane Doe     # the name on your SSA record or the IRS legal business name
  account_type: checking

documents:                     # paths are relative to this file's folder
  - {type: state_license, file: docs/ca-license.pdf, refers_to: CA}
  - {type: cms_588_eft, file: docs/cms-588.pdf}
  - {type: voided_check, file: docs/voided-check.pdf}
"""

_ORGANIZATION = """\
provider:
  kind: organization
  npi: "1234567893"            # REPLACE with the organization's Type 2 NPI
  legal_name: Example Medical Group PC   # REPLACE exactly as on the IRS CP-575 or 147C letter
  tin: "12-3456789"            # REPLACE: the EIN
  organization_type: group_practice
  taxonomies:
    - {code: 193400000X, primary: true}   # Single Specialty Group

enrollment:
  action: initial
  application: CMS-855B
  signer: Pat Smith            # an authorized official signs an initial enrollment

practice_locations:
  - name: Example Medical Group
    address: {line1: 200 Market St, city: San Francisco, state: CA, zip: "94105"}   # REPLACE
    primary: true

ownership:                     # every owner with 5% or more, and every managing employee
  - {party: individual, name: Pat Smith, percent: 100, roles: [direct_owner]}   # REPLACE

officials:
  - {name: Pat Smith, role: authorized_official, title: President, is_owner: true}   # REPLACE

identity_access:               # the I&A account that reaches PECOS for the organization
  holder: Pat Smith
  role: authorized_official
  organization_registered: true
  systems: [PECOS, NPPES]

bank_account:
  bank_name: Example Bank
  routing_number: "121000358"  # REPLACE
  account_holder: Example Medical Group PC   # must be the legal business name
  account_type: checking

documents:
  - {type: irs_cp575, file: docs/irs-cp575.pdf}
  - {type: cms_588_eft, file: docs/cms-588.pdf}
  - {type: bank_letter, file: docs/bank-letter.pdf}
"""


def starter_profile(kind: str, schema_url: str = "profile.schema.json", name: str = "profile.yaml") -> str:
    body = _INDIVIDUAL if kind == "individual" else _ORGANIZATION
    return _HEADER.format(schema=schema_url, name=name) + "\n" + body
