"""``pecoscheck init``: commented starter profiles, one per practitioner type or provider kind.

Every value to replace is marked ``# REPLACE``; the sample values are the
well-known ones (NPI 1234567893, Jane Doe, license A123456, Example Bank) so
that a starter left untouched is recognisable.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .yaml_text import Flow, Note, document

SAMPLE_NPI = "1234567893"
SAMPLE_ROUTING = "121000358"
SAMPLE_TIN = "12-3456789"
SAMPLE_EXPIRES = date(2028, 6, 30)
APPLICATIONS = ("CMS-855I", "CMS-855B", "CMS-855A", "CMS-855S", "CMS-855O", "CMS-20134")


@dataclass(frozen=True)
class StarterType:
    """What a starter of one practitioner type or provider kind holds."""

    id: str
    kind: str
    label: str
    application: str
    taxonomy: tuple[str, str]  # NUCC code, its meaning
    licenses: tuple[str, ...] = ()  # license types, all in the practice state
    credential: str = ""
    documents: tuple[tuple[str, str], ...] = ()  # (type, file) beyond licenses and banking
    fee: bool = False
    aliases: tuple[str, ...] = field(default=())


_NPP_DOCS = (("diploma", "docs/diploma.pdf"), ("national_certification", "docs/national-certification.pdf"))

TYPES: dict[str, StarterType] = {t.id: t for t in (
    StarterType("physician", "individual", "physician", "CMS-855I", ("207Q00000X", "Family Medicine"),
                ("MD",), "MD", aliases=("md", "do", "doctor")),
    StarterType("nurse_practitioner", "individual", "nurse practitioner", "CMS-855I",
                ("363LF0000X", "Nurse Practitioner, Family"), ("RN", "APRN-CNP"), "APRN, CNP", _NPP_DOCS,
                aliases=("np", "aprn", "fnp", "cnp")),
    StarterType("physician_assistant", "individual", "physician assistant", "CMS-855I",
                ("363A00000X", "Physician Assistant"), ("PA",), "PA-C", _NPP_DOCS, aliases=("pa", "pa-c")),
    StarterType("clinical_nurse_specialist", "individual", "clinical nurse specialist", "CMS-855I",
                ("364S00000X", "Clinical Nurse Specialist"), ("RN", "APRN-CNS"), "APRN, CNS", _NPP_DOCS,
                aliases=("cns",)),
    StarterType("certified_registered_nurse_anesthetist", "individual", "nurse anesthetist (CRNA)", "CMS-855I",
                ("367500000X", "Nurse Anesthetist, Certified Registered"), ("RN", "APRN-CRNA"), "CRNA",
                _NPP_DOCS, aliases=("crna",)),
    StarterType("certified_nurse_midwife", "individual", "certified nurse-midwife", "CMS-855I",
                ("367A00000X", "Advanced Practice Midwife"), ("RN", "APRN-CNM"), "CNM", _NPP_DOCS,
                aliases=("cnm", "midwife")),
    StarterType("clinical_psychologist", "individual", "clinical psychologist", "CMS-855I",
                ("103TC0700X", "Psychologist, Clinical"), ("Psychologist",), "PhD", aliases=("psychologist",)),
    StarterType("clinical_social_worker", "individual", "clinical social worker", "CMS-855I",
                ("1041C0700X", "Social Worker, Clinical"), ("LCSW",), "LCSW", aliases=("lcsw", "csw")),
    StarterType("physical_therapist", "individual", "physical therapist", "CMS-855I",
                ("225100000X", "Physical Therapist"), ("PT",), "PT", aliases=("pt", "dpt")),
    StarterType("occupational_therapist", "individual", "occupational therapist", "CMS-855I",
                ("225X00000X", "Occupational Therapist"), ("OT",), "OTR/L", aliases=("ot", "otr")),
    StarterType("group_practice", "organization", "physician or practitioner group", "CMS-855B",
                ("193400000X", "Single Specialty Group"), aliases=("group",)),
    StarterType("clinic", "organization", "clinic", "CMS-855B", ("261QM1300X", "Clinic/Center, Multi-Specialty")),
    StarterType("dmepos_supplier", "organization", "DMEPOS supplier", "CMS-855S",
                ("332B00000X", "Durable Medical Equipment & Medical Supplies"), ("DME permit",),
                documents=(("accreditation", "docs/accreditation-letter.pdf"), ("surety_bond", "docs/surety-bond.pdf"),
                           ("liability_insurance", "docs/liability-insurance.pdf")),
                fee=True, aliases=("dme", "dmepos")),
    StarterType("laboratory", "organization", "clinical laboratory", "CMS-855B",
                ("291U00000X", "Clinical Medical Laboratory"),
                documents=(("clia_certificate", "docs/clia-certificate.pdf"),), fee=True, aliases=("lab",)),
)}

KIND_DEFAULT = {"individual": "physician", "organization": "group_practice"}


class UnknownTypeError(ValueError):
    """A ``--type`` the starters do not know; the message suggests the closest."""


def resolve_type(text: str) -> StarterType:
    """The starter type for ``text`` (an id, an alias such as ``NP``, any case); raises :class:`UnknownTypeError`."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    if key in TYPES:
        return TYPES[key]
    for t in TYPES.values():
        if key in t.aliases or key.replace("_", "-") in t.aliases:
            return t
    words = list(TYPES) + [a for t in TYPES.values() for a in t.aliases]
    close = difflib.get_close_matches(key, words, n=1, cutoff=0.6)
    if not close:
        close = [w for w in TYPES if w.startswith(key)][:1] if len(key) >= 2 else []
    hint = ""
    if close:
        target = close[0] if close[0] in TYPES else next(t.id for t in TYPES.values() if close[0] in t.aliases)
        hint = f"; did you mean `{target}`?"
    raise UnknownTypeError(f"unknown type {text!r}{hint} (one of: {', '.join(TYPES)})")


def resolve_application(text: str) -> str:
    """``CMS-855I`` from ``855i``, ``cms855i`` ...; raises ValueError with a suggestion."""
    key = text.strip().upper().replace(" ", "").replace("_", "-")
    if not key.startswith("CMS"):
        key = "CMS-" + key
    key = key.replace("CMS--", "CMS-")
    if not key.startswith("CMS-"):
        key = "CMS-" + key[3:]
    if key in APPLICATIONS:
        return key
    close = difflib.get_close_matches(key, APPLICATIONS, n=1, cutoff=0.6)
    hint = f"; did you mean `{close[0]}`?" if close else ""
    raise ValueError(f"unknown application {text!r}{hint} (one of: {', '.join(APPLICATIONS)})")


def _replace(value: Any, what: str = "") -> Note:
    return Note(value, f"REPLACE{': ' + what if what else ''}")


def _licenses(t: StarterType, state: str) -> list[Any]:
    return [Flow({"state": state, "number": _replace(f"A12345{i + 6}"), "type": kind, "status": "active",
                  "expires": SAMPLE_EXPIRES}) for i, kind in enumerate(t.licenses)]


def _individual(t: StarterType, application: str) -> dict[str, Any]:
    order_refer_only = application == "CMS-855O"
    provider: dict[str, Any] = {
        "kind": "individual",
        "npi": _replace(SAMPLE_NPI, "your 10-digit NPI (Type 1), exactly as in NPPES"),
        "name": Note({"first": _replace("Jane"), "last": _replace("Doe"), "credential": t.credential},
                     "your legal name as on your Social Security card and in NPPES"),
        "practitioner_type": t.id,
        "sole_proprietor": False,
        "prescribes_controlled_substances": Note(False, "true: a DEA registration is expected"),
        "taxonomies": [Note(Flow({"code": t.taxonomy[0], "primary": True, "license_state": "CA"}),
                            f"REPLACE: NUCC code ({t.taxonomy[0]} = {t.taxonomy[1]})")],
    }
    docs: list[Any] = [Flow({"type": "state_license", "file": f"docs/ca-{kind.lower().replace(' ', '-')}-license.pdf",
                             "refers_to": "CA"}) for kind in t.licenses]
    docs += [Flow({"type": kind, "file": path}) for kind, path in t.documents]
    tree: dict[str, Any] = {
        "provider": provider,
        "enrollment": {
            "action": Note("initial", "initial | revalidation | change_of_information | reactivation | ..."),
            "application": Note(application, "CMS-855O: to order and refer only, without billing"
                                if order_refer_only else "the practitioner's own enrollment"),
            "signer": Note("Jane Doe", "for a CMS-855I or 855O only the practitioner signs"),
        },
        "licenses": _licenses(t, "CA"),
    }
    if not order_refer_only:
        tree["practice_locations"] = [{
            "name": "Doe Family Practice",
            "address": Note(Flow({"line1": "100 Main St", "city": "San Francisco", "state": "CA", "zip": "94110"}),
                            "REPLACE; no P.O. boxes"),
            "primary": True,
            "effective_date": _replace(date(2026, 11, 16), "the date Medicare billing should start here"),
            "services_began": _replace(date(2026, 11, 16), "the date the first patient was seen here"),
        }]
        tree["#reassign"] = ("Billing through a group instead? Add `reassignments:` (group_npi, group_name,\n"
                             "group_ptan, group_enrolled, status) and drop bank_account and the CMS-588 documents.")
    tree["identity_access"] = Note({"holder": "Jane Doe", "role": "individual_provider",
                                    "systems": ["PECOS", "NPPES"]},
                                   "your CMS I&A account, through which PECOS is reached")
    if not order_refer_only:
        tree["bank_account"] = Note({
            "bank_name": "Example Bank",
            "routing_number": _replace(SAMPLE_ROUTING),
            "account_holder": Note("Jane Doe", "the name on your SSA record or the IRS legal business name"),
            "account_type": "checking",
        }, "CMS-588 EFT (no account number in a profile)")
        docs += [Flow({"type": "cms_588_eft", "file": "docs/cms-588.pdf"}),
                 Flow({"type": "voided_check", "file": "docs/voided-check.pdf"})]
    tree["documents"] = Note(docs, "paths are relative to this file's folder")
    return tree


def _organization(t: StarterType, application: str) -> dict[str, Any]:
    provider: dict[str, Any] = {
        "kind": "organization",
        "npi": _replace(SAMPLE_NPI, "the organization's Type 2 NPI"),
        "legal_name": _replace("Example Health LLC", "exactly as on the IRS CP-575 or 147C letter"),
        "tin": _replace(SAMPLE_TIN, "the EIN"),
        "organization_type": t.id,
        "taxonomies": [Note(Flow({"code": t.taxonomy[0], "primary": True, "license_state": "CA"}),
                            f"REPLACE: NUCC code ({t.taxonomy[0]} = {t.taxonomy[1]})")],
    }
    enrollment: dict[str, Any] = {
        "action": Note("initial", "initial | revalidation | change_of_information | reactivation | ..."),
        "application": application,
        "signer": Note("Pat Smith", "an authorized official signs an initial enrollment"),
    }
    docs: list[Any] = [Flow({"type": "irs_cp575", "file": "docs/irs-cp575.pdf"})]
    docs += [Flow({"type": "state_license", "file": "docs/ca-license.pdf", "refers_to": "CA"}) for _ in t.licenses]
    docs += [Flow({"type": kind, "file": path}) for kind, path in t.documents]
    if t.fee:
        enrollment["application_fee"] = Note(Flow({"required": True, "paid_on": date(2026, 11, 20), "amount": 750}),
                                             "REPLACE: the fee of the year you submit in, paid on pay.gov")
        docs.append(Flow({"type": "application_fee_receipt", "file": "docs/application-fee-receipt.pdf"}))
    tree: dict[str, Any] = {"provider": provider, "enrollment": enrollment}
    if t.licenses:
        tree["licenses"] = _licenses(t, "CA")
    tree["practice_locations"] = [{
        "name": "Example Health",
        "address": Note(Flow({"line1": "200 Market St", "city": "San Francisco", "state": "CA", "zip": "94105"}),
                        "REPLACE"),
        "primary": True,
        "effective_date": _replace(date(2026, 11, 16), "the date Medicare billing should start here"),
        "services_began": _replace(date(2026, 11, 16), "the date the first patient was seen here"),
    }]
    tree["ownership"] = Note([Note(Flow({"party": "individual", "name": "Pat Smith", "percent": 100,
                                         "roles": ["direct_owner"]}), "REPLACE")],
                             "every owner with 5% or more, and every managing employee")
    tree["officials"] = [Note(Flow({"name": "Pat Smith", "role": "authorized_official", "title": "President",
                                    "is_owner": True}), "REPLACE")]
    tree["identity_access"] = Note({"holder": "Pat Smith", "role": "authorized_official",
                                    "organization_registered": True, "systems": ["PECOS", "NPPES"]},
                                   "the I&A account that reaches PECOS for the organization")
    tree["bank_account"] = {
        "bank_name": "Example Bank",
        "routing_number": _replace(SAMPLE_ROUTING),
        "account_holder": Note("Example Health LLC", "must be the legal business name"),
        "account_type": "checking",
    }
    docs += [Flow({"type": "cms_588_eft", "file": "docs/cms-588.pdf"}),
             Flow({"type": "bank_letter", "file": "docs/bank-letter.pdf"})]
    tree["documents"] = Note(docs, "paths are relative to this file's folder")
    return tree


def header(schema_ref: str | None, name: str, lines: tuple[str, ...] = ()) -> str:
    """The comment block every profile ``init`` writes starts with."""
    out = [f"# yaml-language-server: $schema={schema_ref}"] if schema_ref else []
    out.append("# pecoscheck enrollment profile (format version 1).")
    out.extend(f"# {ln}".rstrip() for ln in lines)
    out.append(f"# Check it with: pecoscheck validate {name}")
    return "\n".join(out) + "\n"


def starter_profile(kind: str | None = None, schema_url: str | None = "profile.schema.json",
                    name: str = "profile.yaml", *, type: str | None = None, application: str | None = None) -> str:
    """The starter profile text for ``type`` (or the default type of ``kind``), as ``init`` writes it.

    Raises :class:`UnknownTypeError` or ValueError for an unknown type or application, or one that does
    not fit the kind.
    """
    t = resolve_type(type) if type else TYPES[KIND_DEFAULT.get(kind or "individual", "physician")]
    if kind and kind != t.kind:
        raise ValueError(f"type `{t.id}` is an {t.kind}, not an {kind}")
    app = resolve_application(application) if application else t.application
    if t.kind == "individual" and app not in ("CMS-855I", "CMS-855O"):
        raise ValueError(f"a {t.label} enrolls on the CMS-855I (or the CMS-855O to order and refer only), not {app}")
    if t.kind == "organization" and app in ("CMS-855I", "CMS-855O"):
        raise ValueError(f"{app} is for individuals; a {t.label} files the {t.application}")
    tree = _individual(t, app) if t.kind == "individual" else _organization(t, app)
    intro = (f"Starter for a {t.label} ({app}).",
             "Replace every value marked REPLACE, put your documents under docs/ (or fix the paths).")
    return header(schema_url, name, intro) + "schema_version: 1\n\n" + document(tree)
