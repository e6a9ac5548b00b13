"""TAX rules: the provider's NUCC taxonomy codes against the NUCC code set and the CMS crosswalk.

The code set (NUCC 25.1) and the Medicare Provider and Supplier Taxonomy
Crosswalk (October 2025) ship in ``pecoscheck/data/nucc`` (see its
``SOURCES.md``); they are read on first use and cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import NamedTuple

from ...packagedata import read_data, rows_of, table_rows
from ..base import Context, Hit, rule

NUCC_FILE = "nucc_taxonomy_251.csv"
CROSSWALK_FILE = "Medicare_Provider_and_Supplier_Taxonomy_Crosswalk_October_2025.csv"
NUCC_VERSION = "25.1"

# For reading the CSVs themselves (scripts/make_nucc_index.py), so compiled there, not at every start.
_INACTIVE = r"(\d{1,2}/\d{1,2}/\d{4}):\s*marked inactive(?:,\s*use\s+(?:value\s+)?([0-9A-Z]{9}X))?"
_MARKER = r"\[\d+\]"

_SRC_NUCC = ("NUCC Health Care Provider Taxonomy code set 25.1 (nucc.org, nucc_taxonomy_251.csv, shipped in "
             "pecoscheck/data/nucc); [S83] NPPES API taxonomies (NUCC codes with a primary flag)")
_SRC_XWALK = ("CMS Medicare Provider and Supplier Taxonomy Crosswalk, October 2025 (data.cms.gov, shipped in "
              "pecoscheck/data/nucc); [S82] OIG NPPES/PECOS inconsistency summary (3P)")


class NuccCode(NamedTuple):
    """One row of the NUCC code set, reduced to what the rules use."""

    code: str
    grouping: str
    name: str
    section: str
    inactive_since: str | None = None
    replacement: str | None = None

    @property
    def organizational(self) -> bool:
        """Non-Individual section, or the Group grouping (which NUCC files under Individual)."""
        return self.section == "Non-Individual" or self.grouping == "Group"


def _data_text(name: str) -> str:
    return read_data("nucc", name, encoding="utf-8-sig")


INDEX_FILE = "nucc_index.tsv"
CROSSWALK_INDEX_FILE = "crosswalk_index.tsv"


class _Index(Mapping[str, NuccCode]):
    """Code -> :class:`NuccCode`, each row of the index found in its text when first asked for.

    A profile names a few codes of the ~900: splitting every row into a table cost about 0.5 ms a run,
    so a lookup searches the text for the row (the whole table is built only to iterate it).
    """

    def __init__(self, text: str) -> None:
        self._text = "\n" + text  # every row then follows a line break
        self._made: dict[str, NuccCode] = {}
        self._table: dict[str, str] | None = None

    def _row(self, code: str) -> str | None:
        if self._table is not None:
            return self._table.get(code)
        if not code or "\t" in code or "\n" in code or code.startswith("#"):
            return None
        at = self._text.find(f"\n{code}\t")
        if at < 0:
            return None
        start = at + len(code) + 2
        end = self._text.find("\n", start)
        return (self._text[start:end] if end >= 0 else self._text[start:]).rstrip("\r")

    def _rows(self) -> dict[str, str]:
        if self._table is None:
            self._table = dict(rows_of(self._text))
        return self._table

    def __getitem__(self, code: str) -> NuccCode:
        found = self._made.get(code)
        if found is None:
            row = self._row(code) if isinstance(code, str) else None
            if row is None:
                raise KeyError(code)
            grouping, name, section, since, use = row.split("\t")
            found = self._made[code] = NuccCode(code, grouping, name, section, since or None, use or None)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows())

    def __len__(self) -> int:
        return len(self._rows())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self._row(code) is not None


@cache
def nucc_codes() -> Mapping[str, NuccCode]:
    """Every code in the shipped NUCC code set, by code (from its index: see :func:`index_text`)."""
    return _Index(read_data("nucc", INDEX_FILE))


def parse_code_set() -> dict[str, NuccCode]:
    """The NUCC code set parsed from NUCC's own CSV (half a megabyte: 20 ms, so the rules read the index)."""
    import csv
    import io

    rows = csv.reader(io.StringIO(_data_text(NUCC_FILE)))
    header = next(rows)
    at = {name: header.index(name) for name in ("Code", "Grouping", "Notes", "Display Name", "Section")}
    out: dict[str, NuccCode] = {}
    for row in rows:
        if len(row) < len(header):
            continue
        code = row[at["Code"]].strip()
        m = re.search(_INACTIVE, row[at["Notes"]])
        out[code] = NuccCode(code, row[at["Grouping"]].strip(), row[at["Display Name"]].strip(),
                             row[at["Section"]].strip(), m.group(1) if m else None, m.group(2) if m else None)
    return out


def index_text(codes: dict[str, NuccCode]) -> str:
    """``data/nucc/nucc_index.tsv``: one line per code (code, grouping, name, section, inactive since, use)."""
    return _table_text(f"Derived from {NUCC_FILE} (NUCC {NUCC_VERSION}) by scripts/make_nucc_index.py: the "
                       "columns the TAX rules read.",
                       ((c.code, c.grouping, c.name, c.section, c.inactive_since or "", c.replacement or "")
                        for c in codes.values()))


def crosswalk_index_text(crosswalk: dict[str, tuple[str, ...]]) -> str:
    """``data/nucc/crosswalk_index.tsv``: one line per taxonomy code, then the Medicare specialties it maps to."""
    if any(not specialties or not all(specialties) for specialties in crosswalk.values()):
        raise ValueError("a crosswalk code without a specialty, or with an empty one")
    return _table_text(f"Derived from {CROSSWALK_FILE} by scripts/make_nucc_index.py: taxonomy code, then its "
                       "specialties.", ((code, *specialties) for code, specialties in crosswalk.items()))


def _table_text(header: str, rows: Iterable[tuple[str, ...]]) -> str:
    """A table for :func:`pecoscheck.packagedata.table_rows`: a ``#`` header line, then tab-separated rows."""
    lines = [f"# {header}\n"]
    for cells in rows:
        if any("\t" in x or "\n" in x for x in cells):
            raise ValueError(f"{cells[0]}: a tab or a line break in a cell")
        lines.append("\t".join(cells) + "\n")
    return "".join(lines)


@cache
def medicare_specialties() -> dict[str, tuple[str, ...]]:
    """Taxonomy code -> the Medicare specialties ("08 Physician/Family Practice") it maps to.

    Read from ``crosswalk_index.tsv`` (a code, then its specialties, tab-separated), derived from the CSV by
    ``scripts/make_nucc_index.py``: parsing the CSV costs about 3 ms a run.
    """
    return {code: tuple(rest.split("\t")) for code, rest in table_rows("nucc", CROSSWALK_INDEX_FILE)}


def parse_crosswalk() -> dict[str, tuple[str, ...]]:
    """:func:`medicare_specialties` parsed from the CMS crosswalk CSV itself."""
    import csv
    import io

    rows = csv.reader(io.StringIO(_data_text(CROSSWALK_FILE)))
    next(rows)
    out: dict[str, list[str]] = {}
    for row in rows:
        if len(row) < 3:
            continue
        specialty, desc, code = (re.sub(_MARKER, "", cell).strip() for cell in row[:3])
        if code:
            out.setdefault(code, []).append(f"{specialty} {' '.join(desc.split())}")
    return {k: tuple(v) for k, v in out.items()}


def closest_code(code: str) -> str | None:
    """The NUCC code nearest to ``code`` by edit distance (at most 2 edits), for a hint."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    found = process.extractOne(code.strip().upper(), list(nucc_codes()), scorer=Levenshtein.distance,
                               score_cutoff=2)
    return str(found[0]) if found else None


def _label(c: NuccCode) -> str:
    return f"{c.code} ({c.name})"


def _known(ctx: Context) -> Iterator[tuple[int, NuccCode]]:
    codes = nucc_codes()
    for i, t in enumerate(ctx.profile.provider.taxonomies):
        found = codes.get(t.code)
        if found is not None:
            yield i, found


def _path(i: int, key: str = "code") -> tuple[str | int, ...]:
    return ("provider", "taxonomies", i, key)


@rule("TAX001", "Taxonomy code is not in the NUCC code set", "error",
      hint="Copy the 10-character code (9 characters and a closing X) from the NUCC code set or from "
           "the NPPES record.",
      rationale=f"Taxonomy codes come from the NUCC Health Care Provider Taxonomy code set (version "
                f"{NUCC_VERSION} is shipped with pecoscheck); NPPES records carry NUCC codes, and a code "
                "outside the set cannot match the NPPES record or any Medicare specialty.",
      source=_SRC_NUCC,
      example_fail="provider:\n  taxonomies:\n    - {code: 207Q0000X, primary: true}",
      example_pass="provider:\n  taxonomies:\n    - {code: 207Q00000X, primary: true}")
def taxonomy_unknown(ctx: Context) -> Iterator[Hit]:
    codes = nucc_codes()
    for i, t in enumerate(ctx.profile.provider.taxonomies):
        if t.code in codes:
            continue
        near = closest_code(t.code)
        hint = (f"Did you mean {_label(codes[near])}? Copy the code from the NUCC code set or NPPES."
                if near else None)
        yield Hit(_path(i), f"taxonomy code `{t.code}` is not in the NUCC code set {NUCC_VERSION}", hint)


@rule("TAX002", "Not exactly one primary taxonomy", "error",
      hint="Mark exactly one taxonomy `primary: true` (the one matching the Medicare specialty) and the "
           "others `primary: false`.",
      rationale="The profile format requires exactly one primary taxonomy, as NPPES keeps one primary "
                "taxonomy per NPI; with none or several, the specialty the enrollment is compared with is "
                "undefined.",
      source="Profile format (docs/profile-format.md), `provider.taxonomies`; [S83] NPPES API taxonomies "
             "(primary flag)",
      example_fail="provider:\n  taxonomies:\n    - {code: 207Q00000X, primary: true}\n"
                   "    - {code: 207R00000X, primary: true}",
      example_pass="provider:\n  taxonomies:\n    - {code: 207Q00000X, primary: true}\n"
                   "    - {code: 207R00000X, primary: false}")
def taxonomy_primary(ctx: Context) -> Iterator[Hit]:
    taxonomies = ctx.profile.provider.taxonomies
    primaries = [i for i, t in enumerate(taxonomies) if t.primary]
    if not taxonomies:
        yield Hit(("provider", "taxonomies"), "no taxonomy is listed; one must be marked `primary: true`",
                  at_key=True)
    elif not primaries:
        codes = ", ".join(t.code for t in taxonomies)
        yield Hit(("provider", "taxonomies"), f"none of the taxonomies ({codes}) is marked `primary: true`",
                  at_key=True)
    for i in primaries[1:]:
        yield Hit(_path(i, "primary"), f"taxonomy {taxonomies[i].code} is marked primary, but "
                  f"{taxonomies[primaries[0]].code} already is; exactly one may be primary")


@rule("TAX003", "Individual lists an organizational taxonomy", "error",
      hint="Use the practitioner's own taxonomy (NUCC section Individual), e.g. 207Q00000X for a family "
           "physician; group, clinic, facility and supplier codes belong to the organization's NPI.",
      rationale="NUCC's Section column splits the code set into Individual and Non-Individual codes. "
                "Non-Individual codes (facilities, agencies, suppliers) and the Group codes 193200000X and "
                "193400000X (which NUCC files under Individual although they describe organizations) "
                "describe organizations, which hold Type 2 NPIs; an individual practitioner holds a Type 1 "
                "NPI.",
      source=_SRC_NUCC + "; [S62] NPI categories (Type 1 individuals, Type 2 organizations)",
      kinds=("individual",),
      example_fail="provider:\n  kind: individual\n  taxonomies:\n    - {code: 193400000X, primary: true}",
      example_pass="provider:\n  kind: individual\n  taxonomies:\n    - {code: 207Q00000X, primary: true}")
def taxonomy_individual_section(ctx: Context) -> Iterator[Hit]:
    for i, c in _known(ctx):
        if c.organizational:
            what = "a Group code" if c.grouping == "Group" else f"a {c.section} code ({c.grouping})"
            yield Hit(_path(i), f"taxonomy {_label(c)} is {what}, which describes an organization, "
                      "not an individual practitioner")


@rule("TAX004", "Primary taxonomy maps to no Medicare specialty", "warning",
      hint="Check the primary taxonomy against the CMS taxonomy crosswalk; pick the code for the specialty "
           "you enroll with, or expect the MAC to ask which specialty applies.",
      rationale="CMS publishes which taxonomy codes correspond to each Medicare provider/supplier specialty. "
                "A primary taxonomy with no Medicare specialty suggests a taxonomy inconsistent with the "
                "enrollment (a common NPPES/PECOS mismatch). A warning, not an error: the crosswalk notes "
                "that specialty 88 (Unknown Supplier/Provider) would link to every non-physician code and "
                "is not listed code by code.",
      source=_SRC_XWALK,
      example_fail="provider:\n  taxonomies:\n    - {code: 390200000X, primary: true}",
      example_pass="provider:\n  taxonomies:\n    - {code: 207Q00000X, primary: true}")
def taxonomy_no_specialty(ctx: Context) -> Iterator[Hit]:
    crosswalk = medicare_specialties()
    for i, c in _known(ctx):
        t = ctx.profile.provider.taxonomies[i]
        if t.primary and c.inactive_since is None and c.code not in crosswalk:
            yield Hit(_path(i), f"primary taxonomy {_label(c)} maps to no Medicare specialty in the CMS "
                      "taxonomy crosswalk (October 2025)")


@rule("TAX005", "Taxonomy license state has no license", "warning",
      hint="List the license for that state under `licenses`, or correct the taxonomy's `license_state`.",
      rationale="`license_state` names the state of the license tied to the taxonomy (as NPPES records a "
                "license number and state with each taxonomy). A state with no entry in `licenses` means "
                "one of the two lists is wrong or incomplete. A pecoscheck consistency check; organizations "
                "that list no licenses are not checked.",
      source="Profile format (docs/profile-format.md), `provider.taxonomies[].license_state`; [S83] NPPES API "
             "taxonomies (license, state)",
      example_fail="provider:\n  taxonomies:\n    - {code: 207Q00000X, primary: true, license_state: NV}\n"
                   "licenses:\n  - {state: CA, number: A123456}",
      example_pass="provider:\n  taxonomies:\n    - {code: 207Q00000X, primary: true, license_state: CA}\n"
                   "licenses:\n  - {state: CA, number: A123456}")
def taxonomy_license_state(ctx: Context) -> Iterator[Hit]:
    licenses = ctx.profile.licenses
    if not licenses and ctx.kind == "organization":
        return
    states = {lic.state.strip().upper() for lic in licenses}
    for i, t in enumerate(ctx.profile.provider.taxonomies):
        if t.license_state and t.license_state.strip().upper() not in states:
            held = ", ".join(sorted(states)) or "none"
            yield Hit(_path(i, "license_state"), f"taxonomy {t.code} names license state {t.license_state}, "
                      f"but `licenses` has no {t.license_state} license (states listed: {held})")


@rule("TAX006", "Taxonomy code is deactivated", "warning",
      hint="Replace the code with its current NUCC successor, in NPPES and in the profile.",
      rationale="NUCC keeps retired codes in the code set marked inactive (with the date, and often the "
                "code to use instead); a deactivated code is no longer a current taxonomy. A warning: the "
                "sources pecoscheck relies on do not say how NPPES or a MAC treats a record that still "
                "carries one.",
      source=_SRC_NUCC,
      example_fail="provider:\n  taxonomies:\n    - {code: 1835G0000X, primary: true}",
      example_pass="provider:\n  taxonomies:\n    - {code: 183500000X, primary: true}")
def taxonomy_deactivated(ctx: Context) -> Iterator[Hit]:
    codes = nucc_codes()
    for i, c in _known(ctx):
        if c.inactive_since is None:
            continue
        hint = None
        if c.replacement and c.replacement in codes:
            hint = f"NUCC names {_label(codes[c.replacement])} as its replacement; use that code."
        yield Hit(_path(i), f"taxonomy {_label(c)} was marked inactive by NUCC on {c.inactive_since}", hint)


@rule("TAX007", "Organization's primary taxonomy is a practitioner code", "info",
      hint="Confirm the NPPES record of the organization's NPI uses this code; a group usually uses "
           "193200000X/193400000X and a facility or supplier its Non-Individual code.",
      rationale="NUCC files this code under Individual (a practitioner type), while the provider is an "
                "organization. Whether an organization's NPI may carry a practitioner code is not settled "
                "by the sources pecoscheck relies on, so this is only a note to confirm the intended "
                "specialty.",
      source=_SRC_NUCC,
      kinds=("organization",),
      example_fail="provider:\n  kind: organization\n  taxonomies:\n    - {code: 207Q00000X, primary: true}",
      example_pass="provider:\n  kind: organization\n  taxonomies:\n    - {code: 193400000X, primary: true}")
def taxonomy_org_individual_code(ctx: Context) -> Iterator[Hit]:
    for i, c in _known(ctx):
        if ctx.profile.provider.taxonomies[i].primary and not c.organizational:
            yield Hit(_path(i), f"primary taxonomy {_label(c)} is an Individual (practitioner) code, "
                      "but the provider is an organization")
