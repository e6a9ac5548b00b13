"""Draft profiles from the public registries: ``pecoscheck init --from-npi``.

:func:`read_registries` looks an NPI up in NPPES and in CMS's public PECOS
datasets (data.cms.gov); :func:`draft_profile` turns what they hold into a
profile text where every prefilled value names its source and date
(``# NPPES, 2026-12-04``) and every field the registries cannot know carries a
``TODO``. Only :func:`_clients` imports the registry clients.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .yaml_text import Flow, Note, document

if TYPE_CHECKING:
    from .online.cmsdata import PecosRecord
    from .online.nppes import Address, NppesRecord

EXIT_NOT_FOUND, EXIT_USAGE, EXIT_REGISTRY = 1, 2, 3
TODO = "TODO"


class PrefillError(Exception):
    """Nothing can be drafted: a bad or unknown NPI, or a registry out of reach (``code`` is the exit code)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _clients() -> tuple[ModuleType, ModuleType]:
    """The NPPES and data.cms.gov client modules (the one place that names their import path)."""
    from .online import cmsdata, nppes

    return nppes, cmsdata


@dataclass(frozen=True)
class Registries:
    """What the registries hold for one NPI, and when it was read."""

    nppes: NppesRecord
    pecos: PecosRecord
    read_on: date
    group_npis: dict[str, str] = field(default_factory=dict)  # group enrollment id -> group NPI (PPEF)

    def nppes_note(self, extra: str = "") -> str:
        return f"NPPES, {self.read_on.isoformat()}{extra}"

    def cms_note(self, dataset: str, extra: str = "") -> str:
        return f"CMS {dataset}, {self.read_on.isoformat()}{extra}"


def read_registries(npi: str, *, use_cache: bool = True, today: date | None = None, http: Any = None) -> Registries:
    """Look ``npi`` up in NPPES and the CMS public datasets; raises :class:`PrefillError`.

    ``http`` shares an open ``HttpClient`` between lookups (many drafts in one run).
    """
    from .npi import problem

    number = npi.strip()
    found = problem(number)
    if found is not None:
        raise PrefillError(f"{found[1]}; nothing was written", EXIT_USAGE)
    nppes, cmsdata = _clients()
    with nppes.NppesClient(cache=use_cache, http=http) as client:
        answer = client.lookup(number)
    if isinstance(answer, nppes.Unavailable):
        raise PrefillError(f"the NPPES registry could not be reached ({answer.reason}); check the network and try "
                           "again, nothing was written", EXIT_REGISTRY)
    if isinstance(answer, nppes.Rejected):
        raise PrefillError(f"NPPES refused the lookup of {number}: {answer.message}; nothing was written",
                           EXIT_USAGE)
    if isinstance(answer, nppes.NotFound):
        raise PrefillError(f"NPI {number} is not in NPPES: it was never issued or it is deactivated (the registry "
                           "answers alike); nothing was written", EXIT_NOT_FOUND)
    record: NppesRecord = answer.record
    if record.is_deactivated:
        when = f" on {record.deactivation_date.isoformat()}" if record.deactivation_date else ""
        raise PrefillError(f"NPI {number} was deactivated{when}; nothing was written", EXIT_NOT_FOUND)
    with cmsdata.CmsDataClient(cache=use_cache, http=http) as cms:
        result = cms.lookup(number)
        if isinstance(result, cmsdata.Unavailable):
            raise PrefillError(f"CMS's public data (data.cms.gov) could not be reached ({result.reason}); check the "
                               "network and try again, nothing was written", EXIT_REGISTRY)
        pecos: PecosRecord = result.record
        groups = _group_npis(cms, pecos)
    return Registries(nppes=record, pecos=pecos, read_on=today or date.today(), group_npis=groups)


def _group_npis(cms: Any, pecos: PecosRecord) -> dict[str, str]:
    """The NPI of each group the practitioner reassigns to, from the group's PPEF row (best effort)."""
    from .online.http import UnavailableError

    out: dict[str, str] = {}
    for r in pecos.reassignments_to:
        if not r.group_enrollment_id or r.group_enrollment_id in out:
            continue
        try:
            rows = cms.query("enrollment", "ENRLMT_ID", r.group_enrollment_id).rows
        except UnavailableError:
            continue
        npis = {row.get("NPI", "").strip() for row in rows} - {""}
        if len(npis) == 1:
            out[r.group_enrollment_id] = npis.pop()
    return out


# -- what the registries say, as profile values

_INDIVIDUAL_TYPES = (
    ("363L", "nurse_practitioner"), ("363A", "physician_assistant"), ("364S", "clinical_nurse_specialist"),
    ("3675", "certified_registered_nurse_anesthetist"), ("367A", "certified_nurse_midwife"),
    ("103T", "clinical_psychologist"), ("1041C", "clinical_social_worker"), ("2251", "physical_therapist"),
    ("225X", "occupational_therapist"), ("207", "physician"), ("208", "physician"),
)
_ORGANIZATION_TYPES = (
    ("193", "group_practice"), ("332B", "dmepos_supplier"), ("291U", "laboratory"), ("282N", "hospital"),
    ("251E", "home_health_agency"), ("251G", "hospice"), ("314", "skilled_nursing_facility"),
    ("261QF0400X", "federally_qualified_health_center"), ("261QR1300X", "rural_health_clinic"),
    ("261QA1903X", "ambulatory_surgical_center"), ("3416", "ambulance"), ("261Q", "clinic"),
)
_APPLICATION = {"dmepos_supplier": "CMS-855S", "hospital": "CMS-855A", "home_health_agency": "CMS-855A",
                "hospice": "CMS-855A", "skilled_nursing_facility": "CMS-855A",
                "federally_qualified_health_center": "CMS-855A", "rural_health_clinic": "CMS-855A"}


def provider_type(record: NppesRecord) -> str | None:
    """The profile's practitioner or organization type implied by the primary taxonomy (None: unknown)."""
    primary = record.primary_taxonomy
    if primary is None:
        return None
    table = _INDIVIDUAL_TYPES if record.type == "individual" else _ORGANIZATION_TYPES
    return next((kind for prefix, kind in table if primary.code.upper().startswith(prefix)), None)


def _zip(postal: str | None) -> str | None:
    digits = (postal or "").replace("-", "").strip()
    if len(digits) == 9 and digits.isdigit():
        return f"{digits[:5]}-{digits[5:]}"
    return digits or None


def _phone(raw: str | None) -> str | None:
    digits = "".join(ch for ch in raw or "" if ch.isdigit())
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}" if len(digits) == 10 else (raw or None)


def address_values(a: Address) -> dict[str, str] | None:
    """A profile address from a registry address; None for a foreign or incomplete one."""
    if (a.country or "US").upper() != "US" or not (a.line1 and a.city and a.state and a.postal_code):
        return None
    out = {"line1": a.line1}
    if a.line2:
        out["line2"] = a.line2
    out.update(city=a.city, state=a.state, zip=_zip(a.postal_code) or "")
    return out


def _same_address(a: dict[str, str] | None, b: dict[str, str] | None) -> bool:
    def key(x: dict[str, str]) -> tuple[str, ...]:
        return tuple(" ".join(str(x.get(k, "")).upper().split()) for k in ("line1", "line2", "city", "state"))
    return a is not None and b is not None and key(a) == key(b) and a.get("zip", "")[:5] == b.get("zip", "")[:5]


def _name_of(first: str | None, middle: str | None, last: str | None, suffix: str | None = None) -> str:
    return " ".join(p for p in (first, middle, last, suffix) if p)


# -- the draft


def draft_tree(reg: Registries, *, kind: str | None = None, application: str | None = None) -> dict[str, Any]:
    """The draft profile as a :mod:`pecoscheck.yaml_text` tree; raises :class:`PrefillError` on a kind mismatch."""
    rec = reg.nppes
    if kind and kind != rec.type:
        raise PrefillError(f"NPI {rec.npi} is an {rec.type} NPI in NPPES (Type {1 if rec.type == 'individual' else 2})"
                           f", not an {kind}; nothing was written", EXIT_USAGE)
    sections: dict[str, Any] = {}
    if rec.type == "individual":
        _individual(reg, sections, application)
    else:
        _organization(reg, sections, application)
    return sections


def _taxonomies(reg: Registries) -> list[Any]:
    out = []
    primary = reg.nppes.primary_taxonomy
    for t in reg.nppes.taxonomies:
        item: dict[str, Any] = {"code": t.code, "primary": t is primary}
        if t.state:
            item["license_state"] = t.state
        out.append(Note(Flow(item), reg.nppes_note(f"; {t.desc}" if t.desc else "")))
    return out


def _licenses(reg: Registries) -> list[Any]:
    seen: dict[tuple[str, str], None] = {}
    for t in reg.nppes.taxonomies:
        if t.license and t.state:
            seen.setdefault((t.state, t.license), None)
    return [Note(Flow({"state": state, "number": number, "status": "active"}),
                 reg.nppes_note("; TODO: confirm status, add type, issued and expires from the license"))
            for state, number in seen]


def _locations(reg: Registries, name: str) -> tuple[list[Any], dict[str, str] | None]:
    rec = reg.nppes
    out: list[Any] = []
    main = rec.location_address
    seen: list[dict[str, str]] = []
    for i, a in enumerate(([main] if main else []) + list(rec.practice_locations)):
        values = address_values(a)
        if values is None or any(_same_address(values, s) for s in seen):
            continue
        seen.append(values)
        item: dict[str, Any] = {"name": Note(name, "TODO: the site's name"),
                                "address": Note(Flow(values), reg.nppes_note())}
        phone = _phone(a.phone)
        if phone:
            item["phone"] = Note(phone, reg.nppes_note())
        item["primary"] = i == 0 and main is not None
        item["effective_date"] = Note(None, "TODO: date this location became effective for Medicare")
        item["services_began"] = Note(None, "TODO: date the first patient was seen here")
        out.append(item)
    mailing = address_values(rec.mailing_address) if rec.mailing_address else None
    if mailing is not None and any(_same_address(mailing, s) for s in seen):
        mailing = None
    return out, mailing


def _medicare(reg: Registries, state: str | None) -> tuple[dict[str, Any], bool]:
    p = reg.pecos
    enrollments = sorted(p.enrollments, key=lambda e: (e.state != state, e.enrollment_id))
    if not enrollments:
        note = (f"not in CMS's public enrollment extract on {reg.read_on.isoformat()}, which does not mean "
                "not enrolled")
        return {"#": f"medicare: {note}. TODO: status (not_enrolled, approved, ...) and ptan",
                "status": Note(None, "TODO"), "ptan": Note(None, "TODO: from the MAC's approval letter")}, False
    e = enrollments[0]
    out: dict[str, Any] = {"status": Note("approved", reg.cms_note("Public Provider Enrollment", "; TODO: confirm")),
                           "enrollment_id": Note(e.enrollment_id, reg.cms_note("Public Provider Enrollment")),
                           "ptan": Note(None, "TODO: not public; from the MAC's approval letter")}
    reval = next((r for r in p.revalidations if (r.enrollment_id or "").upper() == e.enrollment_id.upper()), None)
    if reval is not None:
        due = reval.effective_due
        if due.known or due.tbd:
            value: Any = due.day if due.known else "TBD"
            out["revalidation_due"] = Note(value, reg.cms_note("Revalidation Due Date List"))
    return out, True


def _remarks(reg: Registries) -> str:
    lines = []
    p = reg.pecos
    opt = p.active_opt_out(reg.read_on)
    if opt is not None:
        until = f" until {opt.end.isoformat()}" if opt.end else ""
        lines.append(f"CMS Opt Out Affidavits ({reg.read_on.isoformat()}): opted out of Medicare{until}; an opted-out "
                     "practitioner cannot bill Medicare.")
    eligible = p.order_refer_eligible
    if eligible is not None:
        lines.append(f"CMS Order and Referring ({reg.read_on.isoformat()}): "
                     f"{'eligible' if eligible else 'listed but not eligible'} to order and refer.")
    if len(p.enrollments) > 1:
        lines.append("CMS Public Provider Enrollment lists " + ", ".join(
            f"{e.enrollment_id} ({e.state})" for e in p.enrollments) + "; this draft takes the first.")
    return "\n".join(lines)


def _individual(reg: Registries, out: dict[str, Any], application: str | None) -> None:
    rec = reg.nppes
    n = rec.name
    assert n is not None
    src = reg.nppes_note()
    name: dict[str, Any] = {"first": Note(n.first or TODO, src)}
    if n.middle:
        name["middle"] = Note(n.middle, src)
    name["last"] = Note(n.last or TODO, src)
    if n.suffix:
        name["suffix"] = Note(n.suffix, src)
    if n.credential:
        name["credential"] = Note(n.credential, src)
    full = _name_of(n.first, None, n.last)
    kind_of = provider_type(rec)
    type_note = reg.nppes_note("; from the primary taxonomy") if kind_of else "TODO: the kind of practitioner"
    provider: dict[str, Any] = {"kind": "individual", "npi": Note(rec.npi, src), "name": name,
                                "practitioner_type": Note(kind_of or "other", type_note)}
    if rec.sole_proprietor is not None:
        provider["sole_proprietor"] = Note(rec.sole_proprietor, src)
    provider["prescribes_controlled_substances"] = Note(False, "TODO: true when you prescribe them (DEA expected)")
    provider["taxonomies"] = _taxonomies(reg)
    main = rec.location_address
    medicare, enrolled = _medicare(reg, main.state if main else None)
    provider["medicare"] = medicare
    remarks = _remarks(reg)
    if remarks:
        out["#registries"] = remarks
    out["provider"] = provider
    out["enrollment"] = {
        "action": Note("revalidation" if enrolled else "initial",
                       "TODO: choose the action (initial, revalidation, change_of_information, ...)"),
        "application": Note(application or "CMS-855I", "the practitioner's own enrollment"),
        "signer": Note(full, reg.nppes_note("; only the practitioner signs a CMS-855I")),
    }
    out["licenses"] = _licenses(reg) or Note([], "TODO: every license (state, number, type, status, expires)")
    locations, mailing = _locations(reg, full)
    out["practice_locations"] = locations or Note([], "TODO: where you see patients")
    if mailing:
        out["correspondence_address"] = Note(Flow(mailing), reg.nppes_note("; the mailing address"))
    reassign = []
    for r in reg.pecos.reassignments_to:
        group_npi = reg.group_npis.get(r.group_enrollment_id or "")
        reassign.append({
            "group_npi": Note(group_npi, reg.cms_note("Public Provider Enrollment")) if group_npi
            else Note(TODO, "TODO: the group's Type 2 NPI"),
            "group_name": Note(r.group_name or TODO, reg.cms_note("Revalidation Reassignment List")),
            "group_ptan": Note(None, "TODO: the group's PTAN (not public)"),
            "group_enrolled": Note(True, reg.cms_note("Revalidation Reassignment List")),
            "status": Note("linked", reg.cms_note("Revalidation Reassignment List")),
        })
    if reassign:
        out["reassignments"] = reassign
    out["identity_access"] = Note({"holder": full, "role": "individual_provider", "email": Note(None, "TODO"),
                                   "systems": ["PECOS", "NPPES"]}, "TODO: confirm: your CMS I&A account")
    _unknowable(out, bank=not reassign)


def _organization(reg: Registries, out: dict[str, Any], application: str | None) -> None:
    rec = reg.nppes
    src = reg.nppes_note()
    kind_of = provider_type(rec)
    provider: dict[str, Any] = {"kind": "organization", "npi": Note(rec.npi, src),
                                "legal_name": Note(rec.organization_name or TODO, src)}
    dba = next((o.name for o in rec.other_names if (o.code or "") == "3" and o.name), None)
    if dba:
        provider["dba_name"] = Note(dba, src)
    provider["#tin"] = 'TODO tin: "NN-NNNNNNN"  (the EIN, exactly as on the IRS CP-575 or 147C; not public)'
    provider["organization_type"] = Note(kind_of or "other", reg.nppes_note("; from the primary taxonomy") if kind_of
                                         else "TODO: the kind of organization")
    provider["taxonomies"] = _taxonomies(reg)
    main = rec.location_address
    medicare, enrolled = _medicare(reg, main.state if main else None)
    provider["medicare"] = medicare
    remarks = _remarks(reg)
    if remarks:
        out["#registries"] = remarks
    out["provider"] = provider
    ao = rec.authorized_official
    ao_name = _name_of(ao.first, None, ao.last) if ao else ""
    app = application or _APPLICATION.get(kind_of or "", "CMS-855B")
    out["enrollment"] = {
        "action": Note("revalidation" if enrolled else "initial",
                       "TODO: choose the action (initial, revalidation, change_of_information, ...)"),
        "application": Note(app, "TODO: confirm the form" if kind_of is None else "from the NPPES taxonomy"),
        "signer": Note(ao_name or TODO, reg.nppes_note("; the authorized official; TODO: confirm who signs")
                       if ao_name else "TODO: an authorized official"),
    }
    if kind_of in ("dmepos_supplier",) or _licenses(reg):
        out["licenses"] = _licenses(reg) or Note([], "TODO: the state licenses or permits")
    locations, mailing = _locations(reg, rec.organization_name or "")
    out["practice_locations"] = locations or Note([], "TODO: every practice location")
    if mailing:
        out["correspondence_address"] = Note(Flow(mailing), reg.nppes_note("; the mailing address"))
    out["ownership"] = Note([], "TODO: every owner with 5% or more, every managing employee (not public)")
    if ao and ao_name:
        official: dict[str, Any] = {"name": Note(ao_name, reg.nppes_note("; the authorized official")),
                                    "role": "authorized_official"}
        if ao.title:
            official["title"] = Note(ao.title, src)
        official["email"] = Note(None, "TODO")
        out["officials"] = [official]
    else:
        out["officials"] = Note([], "TODO: the authorized official(s)")
    out["identity_access"] = Note({"holder": ao_name or TODO, "role": "authorized_official",
                                   "organization_registered": Note(None, "TODO: true when registered in I&A"),
                                   "systems": ["PECOS", "NPPES"]}, "TODO: confirm: the I&A account for PECOS")
    incoming = reg.pecos.reassignments_from
    if incoming:
        rows = [f"  {r.individual_npi or '?'}  {r.individual_name}"
                + (f"  ({r.individual_specialty})" if r.individual_specialty else "")
                + ("  [physician assistant]" if r.is_physician_assistant else "") for r in incoming]
        out["#practitioners"] = (f"Practitioners who reassign benefits to this group (CMS Revalidation Reassignment "
                                 f"List, {reg.read_on.isoformat()}):\n" + "\n".join(rows))
    _unknowable(out, bank=True)


def _unknowable(out: dict[str, Any], *, bank: bool) -> None:
    out["#surrogates"] = ("TODO surrogates: anyone who works in PECOS for the provider through I&A, e.g.\n"
                          "surrogates:\n  - {name: ..., organization: ..., role: staff_end_user, status: approved}")
    if bank:
        out["#bank_account"] = ("TODO bank_account: the CMS-588 EFT account (never the account number), e.g.\n"
                                "bank_account: {bank_name: ..., routing_number: \"NNNNNNNNN\", account_holder: ..., "
                                "account_type: checking}")
    out["documents"] = Note([], "TODO: every supporting document; `pecoscheck validate` names the missing ones")


def draft_profile(reg: Registries, *, kind: str | None = None, application: str | None = None,
                  schema_ref: str | None = None, name: str = "profile.yaml") -> str:
    """The draft profile text; raises :class:`PrefillError` when ``kind`` does not fit the NPI."""
    from .starter import header

    tree = draft_tree(reg, kind=kind, application=application)
    intro = (f"Draft from the public registries for NPI {reg.nppes.npi}, read {reg.read_on.isoformat()}:",
             "a comment names the source of each prefilled value; fill in every TODO.")
    return header(schema_ref, name, intro) + "schema_version: 1\n\n" + document(tree)


def prefilled(tree: Any, path: tuple[str | int, ...] = (), source: str | None = None,
              ) -> Iterable[tuple[tuple[str | int, ...], Any, str]]:
    """Every value of a draft tree that came from a registry: (path, value, source comment)."""
    if isinstance(tree, Note):
        if tree.comment.startswith(("NPPES", "CMS")):
            source = tree.comment
        yield from prefilled(tree.value, path, source)
    elif isinstance(tree, Flow):
        yield from prefilled(tree.items, path, source)
    elif isinstance(tree, dict):
        for k, v in tree.items():
            if not k.startswith("#"):
                yield from prefilled(v, (*path, k), source)
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            yield from prefilled(v, (*path, i), source)
    elif source is not None and tree is not None:
        yield path, tree, source
