"""Placeholder rules: the sample values ``pecoscheck init`` writes, and ``# REPLACE`` / ``# TODO`` markers.

An untouched starter must not pass. Each placeholder gives one finding: a line that holds a sample
value is reported by the value's rule (PLH001-PLH006), not again for its marker (PLH010, PLH011).
All of them read the raw data and the text, so they also run when the profile fails the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from ...loader import PathKey, format_path, iter_comments
from ..base import Context, Hit, rule

_SRC = "pecoscheck's own starters (`pecoscheck init`): values written there as samples to replace"
_SUPPRESS = "If this really is the value, keep it with `# pecoscheck: ignore[{id}] <why>` on its line."

SAMPLE_NPIS = frozenset({"1234567893"})  # the starter's NPI, the check-digit example in CMS's NPI text
SAMPLE_TINS = frozenset({"12-3456789", "123456789"})
SAMPLE_NAMES = frozenset({"jane doe", "pat smith"})
SAMPLE_ORGS = frozenset({"example bank", "example health llc", "example health", "doe family practice"})
SAMPLE_LICENSES = frozenset({"A123456", "A123457", "A123458", "A123459"})
SAMPLE_ROUTING = "121000358"  # a real Bank of America number: a sample only where the starter marked it
_NEEDLES = ("1234567893", "3456789", "Jane", "Doe", "Pat Smith", "Example", "A12345", "REPLACE", "TODO")
_MARKER = re.compile(r"(?:^|[;.]\s*)(REPLACE|TODO)\b")  # a marker opens the comment or a clause


class _Sample(NamedTuple):
    rule: str
    path: PathKey
    message: str
    lines: tuple[int, ...]


def _strings(node: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, (*path, str(k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, (*path, i))


def _markers(ctx: Context) -> dict[int, str]:
    """Line -> ``REPLACE`` or ``TODO`` for every comment carrying one of those words."""
    out: dict[int, str] = {}
    if "REPLACE" not in ctx.text and "TODO" not in ctx.text:
        return out
    for line, comment in iter_comments(ctx.text):
        m = _MARKER.search(comment)
        if m:
            out[line] = m.group(1)
    return out


def _line(ctx: Context, path: PathKey) -> int:
    return ctx.source.locate(path)[0] or 0


def _samples(ctx: Context) -> list[_Sample]:
    """Every sample value in the profile, with the lines it covers (found once per profile, kept on the context)."""
    memo: list[_Sample] | None = vars(ctx).get("_placeholders")
    if memo is None:
        memo = vars(ctx)["_placeholders"] = _find_samples(ctx)
    return memo


def _find_samples(ctx: Context) -> list[_Sample]:
    if not ctx.text or not any(n in ctx.text for n in _NEEDLES):
        return []
    out: list[_Sample] = []
    markers: dict[int, str] | None = None
    raw = ctx.raw
    name = (raw.get("provider") or {}).get("name") if isinstance(raw.get("provider"), dict) else None
    if isinstance(name, dict) and str(name.get("first", "")).strip().lower() == "jane" \
            and str(name.get("last", "")).strip().lower() == "doe":
        first, last = ("provider", "name", "first"), ("provider", "name", "last")
        out.append(_Sample("PLH003", first, "`provider.name` is the starter's sample name Jane Doe",
                           (_line(ctx, first), _line(ctx, last))))
    for path, value in _strings(raw):
        v = value.strip()
        where = f"`{format_path(path)}`"
        last_key = path[-1] if path else ""
        found: tuple[str, str] | None = None
        if v in SAMPLE_NPIS:
            found = "PLH001", f"{where} is the sample NPI the starter writes (the textbook check-digit example)"
        elif v in SAMPLE_TINS and isinstance(last_key, str) and "tin" in last_key:
            found = "PLH002", f"{where} is the starter's sample EIN"
        elif v.lower() in SAMPLE_NAMES:
            found = "PLH003", f"{where} is the starter's sample name {v}"
        elif v.lower() in SAMPLE_ORGS:
            found = "PLH004", f"{where} is the starter's sample name {v!r}"
        elif v in SAMPLE_LICENSES and last_key == "number" and path[:1] == ("licenses",):
            found = "PLH005", f"{where} is the starter's sample license number {v}"
        elif v == SAMPLE_ROUTING:
            markers = _markers(ctx) if markers is None else markers
            if markers.get(_line(ctx, path)) == "REPLACE":
                found = "PLH006", f"{where} is the starter's sample routing number, still marked REPLACE"
        elif v == "TODO":
            found = "PLH011", f"{where} is still `TODO`"
        if found:
            out.append(_Sample(found[0], path, found[1], (_line(ctx, path),)))
    return out


def _hits(ctx: Context, rule_id: str) -> Iterator[Hit]:
    for s in _samples(ctx):
        if s.rule == rule_id:
            yield Hit(s.path, s.message)


def _line_paths(ctx: Context) -> dict[int, PathKey]:
    """The first path (key or value) that starts on each line."""
    out: dict[int, PathKey] = {}
    for path, (line, _col) in sorted({**ctx.source.values, **ctx.source.keys}.items(), key=lambda kv: kv[1]):
        if path and line not in out:
            out[line] = path
    return out


def _marker_hits(ctx: Context, word: str, rule_id: str) -> Iterator[Hit]:
    markers = _markers(ctx)
    if word not in markers.values():
        return
    covered = {line for s in _samples(ctx) for line in s.lines}
    places = _line_paths(ctx)
    for line, found in sorted(markers.items()):
        if found != word or line in covered:
            continue
        path = places.get(line) or next((places[n] for n in sorted(places) if n > line), ())
        what = f"`{format_path(path)}`" if path and line in places else f"the comment on line {line}"
        yield Hit(path, f"{what} is still marked {word}")


def _hint(text: str, rule_id: str) -> str:
    return f"{text} {_SUPPRESS.format(id=rule_id)}"


@rule("PLH001", "Sample NPI left in the profile", "error",
      hint=_hint("Write the real NPI, copied from the NPPES registry (npiregistry.cms.hhs.gov).", "PLH001"),
      rationale="The sample NPI is the one `pecoscheck init` writes and the worked example of the NPI check "
                "digit; it passes every format check, so a profile that still holds it would look ready.",
      source=_SRC, raw=True,
      example_fail='provider:\n  npi: "1234567893"', example_pass='provider:\n  npi: "1680729906"')
def sample_npi(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "PLH001")


@rule("PLH002", "Sample EIN left in the profile", "error",
      hint=_hint("Write the EIN from the IRS CP-575 or 147C letter.", "PLH002"),
      rationale="The organization starters write a sample EIN (12 then the digits 3 to 9); it is well formed, "
                "so only this rule tells it from a real one.",
      source=_SRC, raw=True)
def sample_tin(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "PLH002")


@rule("PLH003", "Sample person's name left in the profile", "error",
      hint=_hint("Write the person's legal name (for the practitioner: as on the Social Security card).",
                 "PLH003"),
      rationale="Jane Doe (the practitioner, signer, account holder) and Pat Smith (the organization's owner "
                "and official) are the starters' sample people.",
      source=_SRC, raw=True,
      example_fail="enrollment:\n  signer: Jane Doe", example_pass="enrollment:\n  signer: Priya Raman")
def sample_person(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "PLH003")


@rule("PLH004", "Sample bank, organization or practice name left in the profile", "error",
      hint=_hint("Write the real name: the bank's, the legal business name (IRS), the location's.", "PLH004"),
      rationale="Example Bank, Example Health LLC, Example Health and Doe Family Practice are the starters' "
                "sample names.",
      source=_SRC, raw=True,
      example_fail="bank_account:\n  bank_name: Example Bank",
      example_pass="bank_account:\n  bank_name: Idaho First Bank")
def sample_organization(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "PLH004")


@rule("PLH005", "Sample license number left in the profile", "error",
      hint=_hint("Write the license number as the state board's license lookup shows it.", "PLH005"),
      rationale="A123456, A123457 ... are the license numbers the starters write, one per license.",
      source=_SRC, raw=True,
      example_fail="licenses:\n  - {state: CA, number: A123456, type: MD}",
      example_pass="licenses:\n  - {state: CA, number: A98231, type: MD}")
def sample_license(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "PLH005")


@rule("PLH006", "Sample routing number left in the profile", "error",
      hint=_hint("Write the routing number from the voided check or bank letter, and remove `# REPLACE`.",
                 "PLH006"),
      rationale="The starters write 121000358 with a `# REPLACE` marker. It is a real Bank of America routing "
                "number, so it is a placeholder only on a line that still carries the marker.",
      source=_SRC, raw=True,
      example_fail='bank_account:\n  routing_number: "121000358"   # REPLACE',
      example_pass='bank_account:\n  routing_number: "121000358"')
def sample_routing(ctx: Context) -> Iterator[Hit]:
    return _hits(ctx, "PLH006")


@rule("PLH010", "`# REPLACE` marker left in the profile", "error",
      hint="Put the real value on that line, then delete the `# REPLACE` comment.",
      rationale="`pecoscheck init` marks every value the user must replace with `# REPLACE`; a marker still "
                "there means a value has not been looked at.",
      source=_SRC, raw=True,
      example_fail="practice_locations:\n  - effective_date: 2026-11-16  # REPLACE",
      example_pass="practice_locations:\n  - effective_date: 2026-11-16")
def replace_marker(ctx: Context) -> Iterator[Hit]:
    return _marker_hits(ctx, "REPLACE", "PLH010")


@rule("PLH011", "`TODO` left in the profile", "error",
      hint="Fill in the value (or confirm the prefilled one), then delete `TODO` from the value or comment.",
      rationale="`pecoscheck init --from-npi` writes TODO for every field no registry holds and for values "
                "to confirm; one left means the draft is not finished.",
      source=_SRC, raw=True,
      example_fail="medicare:\n  ptan:        # TODO: from the MAC's approval letter",
      example_pass="medicare:\n  ptan: ID1234567")
def todo_marker(ctx: Context) -> Iterator[Hit]:
    yield from _hits(ctx, "PLH011")
    yield from _marker_hits(ctx, "TODO", "PLH011")
