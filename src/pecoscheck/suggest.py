""""Did you mean": the closest allowed value or key for a misspelt one.

A small alias table covers well-known abbreviations (only for values the format really has); otherwise
rapidfuzz picks the closest candidate above a score cutoff, so far-off input gets no suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable

# Abbreviation -> allowed value; an entry is used only when that value is among the candidates.
ALIASES = {
    "np": "nurse_practitioner", "pa": "physician_assistant", "pa_c": "physician_assistant",
    "cns": "clinical_nurse_specialist", "crna": "certified_registered_nurse_anesthetist",
    "cnm": "certified_nurse_midwife", "md": "physician", "do": "physician", "pt": "physical_therapist",
    "ot": "occupational_therapist", "lcsw": "clinical_social_worker", "csw": "clinical_social_worker",
    "fqhc": "federally_qualified_health_center", "rhc": "rural_health_clinic", "snf": "skilled_nursing_facility",
    "hha": "home_health_agency", "idtf": "independent_diagnostic_testing_facility",
    "asc": "ambulatory_surgical_center", "dme": "dmepos_supplier", "dmepos": "dmepos_supplier",
    "ao": "authorized_official",
}

CUTOFF = 75.0
# Keys whose values are personal identifiers: never echoed back in a suggestion.
PII_KEYS = frozenset({"ssn", "tin", "ein", "account_number", "routing_number", "dob", "date_of_birth"})


def closest(value: object, candidates: Iterable[object], key: str = "") -> str | None:
    """The candidate ``value`` most likely meant, or ``None`` when nothing is close (or ``key`` is PII)."""
    if key.lower() in PII_KEYS or not isinstance(value, str) or not value.strip():
        return None
    options = [str(c) for c in candidates]
    if not options or value in options:
        return None
    norm = value.strip().lower().replace("-", "_").replace(" ", "_").replace(".", "")
    alias = ALIASES.get(norm)
    if alias in options:
        return alias
    lowered = {o.lower(): o for o in options}
    if norm in lowered:
        return lowered[norm]
    from rapidfuzz import fuzz, process, utils

    best = process.extractOne(norm, options, scorer=fuzz.WRatio, processor=utils.default_process,
                              score_cutoff=CUTOFF)
    return str(best[0]) if best else None
