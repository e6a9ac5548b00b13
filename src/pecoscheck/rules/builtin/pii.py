"""PII rules: no Social Security number anywhere in a profile; every TIN a valid EIN.

Messages never repeat a full identifier: an SSN shows as ``***-**-6789``, an
EIN as ``12-***6789``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

from ...loader import format_path, iter_comments
from ...masking import SSN_SHAPE
from ..base import Context, Hit, rule

PathKey = tuple[str | int, ...]

_LABELLED_SSN = (r"(?i)(?<![a-z])(?:ssn|ss\#|soc(?:ial)?\.?\s*sec(?:urity)?\.?(?:\s*(?:number|num|no\.?|\#))?)"
                 r"\s*[:#=.-]?\s*(\d{9})(?!\d)")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The SSN shape and the labelled SSN, compiled for the first text that may hold one (0.7 ms of a start)."""
    return re.compile(SSN_SHAPE), re.compile(_LABELLED_SSN)


_EIN = re.compile(r"\d{2}-\d{7}")

_SRC_SPEC = ("Profile format (docs/profile-format.md), `provider.tin` "
             "(\"Individuals never store an SSN here or anywhere\")")
_SRC_DENIAL = "42 CFR 424.530 (no valid SSN/EIN for the applicant or any owner is a denial ground) via [S52]"


def ssn_numbers(text: str) -> Iterator[str]:
    """The 9 digits of each SSN-shaped number in ``text``: NNN-NN-NNNN (any separator), or 9 digits labelled SSN.

    The separators are those :mod:`pecoscheck.masking` masks: hyphen, en or em dash, dot, slash, space.
    """
    shape, labelled = _patterns()
    for m in shape.finditer(text):
        yield m.group(1) + m.group(2) + m.group(3)
    for m in labelled.finditer(text):
        yield m.group(1)


# Text folded for a quick pre-check: digits -> 0, blanks, dashes, dots and slashes -> space, letters lower-cased.
_FOLD = str.maketrans({**dict.fromkeys("0123456789", "0"), **dict.fromkeys(" \t\n\r\f\v\x1c\x1d\x1e\x1f-./", " "),
                       **{c: c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}})
_SHAPE_FOLDED = re.compile(r"000 +00 +0000")
_LABEL_FOLDED = re.compile(r"s(?:s[n#]|oc)")


def _may_hold_ssn(text: str) -> bool:
    """False when no value or comment of the profile with this text can hold an SSN-shaped number.

    Values are the text's scalars, folded (a line break and indentation become one space) but otherwise
    as written unless the text holds a backslash (an escape in a double-quoted scalar); comments are
    substrings of it (non-ASCII text, which may hold an en dash, is always searched). So NNN-NN-NNNN with
    any blanks, dashes, dots or slashes between the groups, and the labelled
    pattern tried where a label may start, find every match there can be, in one pass over the text.
    """
    if "\\" in text or not text.isascii():
        return True
    folded = text.translate(_FOLD)  # same length and positions as text
    if _SHAPE_FOLDED.search(folded):
        return True
    return any(_patterns()[1].match(text, m.start()) for m in _LABEL_FOLDED.finditer(folded))


def mask_ssn(digits: str) -> str:
    return f"***-**-{digits[-4:]}"


def mask_tin(value: str) -> str:
    """``12-3456789`` -> ``12-***6789``; other shapes keep only their last 4 digits."""
    v = value.strip()
    digits = re.sub(r"\D", "", v)
    if len(digits) == 9 and re.fullmatch(r"\d{2}-?\d{7}", v):
        return f"{digits[:2]}-***{digits[-4:]}"
    return re.sub(r"\d(?=(?:\D*\d){4})", "*", v)


def _strings(node: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, (*path, str(k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, (*path, i))


def _line_paths(ctx: Context) -> list[tuple[int, int, PathKey]]:
    places = {**ctx.source.values, **ctx.source.keys}
    return sorted((line, col, path) for path, (line, col) in places.items() if path)


def _comment_path(lines: list[tuple[int, int, PathKey]], line: int) -> PathKey:
    """The key on the comment's line, else the next one below it, else the last one above it."""
    after = [p for p in lines if p[0] >= line]
    if after:
        return after[0][2]
    return lines[-1][2] if lines else ()


@rule("PII001", "SSN-shaped number in the profile", "error",
      hint="Delete the number, from the value and from the git history (profiles live in repositories). "
           "SSNs go on the application itself, never in a profile.",
      rationale="Profiles are kept in git and shared; an individual's Social Security number must never be "
                "stored in one, in any field or comment. Flags NNN-NN-NNNN anywhere, whatever separates the "
                "groups (hyphen, en or em dash, dot, slash, space), and 9 digits labelled SSN or Social "
                "Security. The message shows only the last 4 digits.",
      source=_SRC_SPEC, raw=True,
      example_fail="changes:\n  - kind: name\n    description: \"SSN 123-45-6789 unchanged\"",
      example_pass="changes:\n  - kind: name\n    description: \"SSA record updated\"")
def ssn_in_profile(ctx: Context) -> Iterator[Hit]:
    if ctx.text and not _may_hold_ssn(ctx.text):
        return
    seen: set[str] = set()
    for path, text in _strings(ctx.raw):
        for digits in dict.fromkeys(ssn_numbers(text)):
            seen.add(digits)
            yield Hit(path, f"`{format_path(path)}` holds an SSN-shaped number {mask_ssn(digits)}")
    text = ctx.text
    if "#" not in text:
        return
    lines: list[tuple[int, int, PathKey]] | None = None
    for line, comment in iter_comments(text):
        for digits in ssn_numbers(comment):
            if digits not in seen:
                seen.add(digits)
                lines = _line_paths(ctx) if lines is None else lines
                yield Hit(_comment_path(lines, line), f"the comment on line {line} holds an SSN-shaped number "
                          f"{mask_ssn(digits)}")


def _tins(ctx: Context) -> Iterator[tuple[PathKey, str, bool]]:
    """(path, value, held by an individual) for every TIN in the profile."""
    p = ctx.profile
    if p.provider.tin:
        yield ("provider", "tin"), p.provider.tin, p.provider.kind == "individual"
    for i, o in enumerate(p.ownership):
        if o.tin:
            yield ("ownership", i, "tin"), o.tin, o.party == "individual"
    for i, r in enumerate(p.reassignments):
        if r.group_tin:
            yield ("reassignments", i, "group_tin"), r.group_tin, False


def ein_problem(value: str) -> str | None:
    """Why ``value`` is not a valid EIN (NN-NNNNNNN with an IRS-issued prefix), or ``None``."""
    v = value.strip()
    if not _EIN.fullmatch(v):
        return "is not written NN-NNNNNNN"
    if not _ein_prefix_issued(v[:2]):
        return f"has the prefix {v[:2]}, which the IRS does not issue"
    return None


@lru_cache(maxsize=128)
def _ein_prefix_issued(prefix: str) -> bool:
    """python-stdnum's answer for NN-NNNNNNN depends only on the prefix NN: ask it once per prefix."""
    from stdnum.us import ein

    return bool(ein.is_valid(f"{prefix}-0000000"))


def _ssn_shaped(value: str) -> bool:
    return any(True for _ in ssn_numbers(value))


@rule("PII002", "TIN is not a valid EIN", "error",
      hint="Copy the EIN as NN-NNNNNNN from the IRS CP-575 or 147C letter of that organization.",
      rationale="An organization's TIN is its EIN: 9 digits written NN-NNNNNNN, whose 2-digit prefix is "
                "one the IRS issues. No valid EIN for the applicant or an owner is a denial ground. Checked "
                "for the provider, every organizational owner and every reassignment group.",
      source=_SRC_DENIAL + "; profile format (docs/profile-format.md) `tin` (NN-NNNNNNN); EIN prefixes per "
                            "python-stdnum `stdnum.us.ein`",
      example_fail="provider:\n  kind: organization\n  tin: 07-1234567",
      example_pass="provider:\n  kind: organization\n  tin: 41-2873906")
def tin_not_ein(ctx: Context) -> Iterator[Hit]:
    for path, value, individual in _tins(ctx):
        if individual or _ssn_shaped(value):
            continue
        problem = ein_problem(value)
        if problem:
            yield Hit(path, f"TIN {mask_tin(value)} {problem}")


@rule("PII003", "Individual's TIN is not an EIN (possibly an SSN)", "error",
      hint="Remove it: an individual's SSN is never stored in a profile. A sole proprietor's EIN may be "
           "kept, written NN-NNNNNNN.",
      rationale="The profile format keeps `tin` for EINs and says individuals never store an SSN there or "
                "anywhere. An individual's (provider's or owner's) `tin` that is not a valid EIN is most "
                "likely an SSN. A valid EIN is accepted (a sole proprietor may use one).",
      source=_SRC_SPEC + "; [S62] NPI categories (sole proprietors apply with their SSN)",
      example_fail="provider:\n  kind: individual\n  tin: \"123456789\"",
      example_pass="provider:\n  kind: individual\n  # no tin")
def individual_tin(ctx: Context) -> Iterator[Hit]:
    for path, value, individual in _tins(ctx):
        if individual and not _ssn_shaped(value) and ein_problem(value):
            who = "the practitioner" if path[0] == "provider" else "an individual owner"
            yield Hit(path, f"TIN {mask_tin(value)} of {who} is not a valid EIN; it may be an SSN")
