"""What changed between two versions of a profile, in the parts Medicare must be told about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..findings import mask_identifiers
from ..loader import PathKey

_ACTION = re.compile(r"suspen|revo[ck]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RawChange:
    """One reportable difference: the part, the ``changes:`` kind that decides its window, where it is today."""

    part: str  # ownership, officials, practice_location, name, tin, bank_account, adverse_action, license, reassignment
    kind: str  # a Change.kind, for change_window
    what: str
    path: PathKey  # in the newer version (for removals: the list)
    effective: str | None = None  # the item's own date (YYYY-MM-DD) when it has one
    description: str = ""


def _get(d: Any, *keys: str) -> Any:
    for k in keys:
        d = d.get(k) if isinstance(d, dict) else None
    return d


def _items(d: Any, key: str) -> list[Any]:
    v = d.get(key) if isinstance(d, dict) else None
    return v if isinstance(v, list) else []


def _label(item: Any, *keys: str) -> str:
    if not isinstance(item, dict):
        return str(item)
    for k in keys:
        v = item.get(k)
        if isinstance(v, dict):
            return ", ".join(str(v.get(x)) for x in ("line1", "city", "state") if v.get(x))
        if v:
            return str(v)
    return "an entry"


def _lists(old: Any, new: Any, key: str, ident: tuple[str, ...], part: str, kind: str, noun: str,
           date_key: str | None = "effective_date") -> list[RawChange]:
    """Added, removed and changed items of a list, matched by ``ident`` (their first non-empty key)."""
    def key_of(item: Any) -> str:
        return repr(item.get(ident[0]) if isinstance(item, dict) else item)

    before = {key_of(i): i for i in _items(old, key)}
    out: list[RawChange] = []
    seen: set[str] = set()
    for n, item in enumerate(_items(new, key)):
        k = key_of(item)
        seen.add(k)
        eff = item.get(date_key) if isinstance(item, dict) and date_key else None
        eff = str(eff) if eff else None
        if k not in before:
            out.append(RawChange(part, kind, f"{noun} added: {_label(item, *ident)}", (key, n), eff))
        elif before[k] != item:
            fields = sorted(f for f in set(item) | set(before[k]) if isinstance(item, dict) and isinstance(
                before[k], dict) and item.get(f) != before[k].get(f))
            first = fields[0] if fields else None
            desc = " ".join(f"{f} {before[k].get(f)} -> {item.get(f)}" for f in fields)
            out.append(RawChange(part, kind, f"{noun} changed ({', '.join(fields)}): {_label(item, *ident)}",
                                 (key, n, first) if first and first in item else (key, n), None, desc))
    for k, item in before.items():
        if k not in seen:
            out.append(RawChange(part, kind, f"{noun} removed: {_label(item, *ident)}", (key,)))
    return out


def reportable_changes(old: dict[str, Any], new: dict[str, Any]) -> list[RawChange]:
    """Every reportable difference from ``old`` to ``new`` (raw profile data)."""
    out: list[RawChange] = []
    for key, noun in (("legal_name", "legal business name"), ("dba_name", "doing-business-as name")):
        if _get(old, "provider", key) != _get(new, "provider", key):
            out.append(RawChange("name", "name", f"{noun} changed", ("provider", key)))
    if _get(old, "provider", "name") != _get(new, "provider", "name"):
        out.append(RawChange("name", "name", "name changed", ("provider", "name")))
    if _get(old, "provider", "tin") != _get(new, "provider", "tin"):
        out.append(RawChange("tin", "other", "TIN changed (a new TIN usually needs a new enrollment, not a "
                             "change of information)", ("provider", "tin")))
    if _get(old, "bank_account") != _get(new, "bank_account"):
        out.append(RawChange("bank_account", "bank_account", "bank account (EFT) changed", ("bank_account",)))
    out += _lists(old, new, "ownership", ("name",), "ownership", "ownership", "owner")
    out += _lists(old, new, "officials", ("name",), "officials", "authorized_official", "official", None)
    out += _lists(old, new, "practice_locations", ("address", "name"), "practice_location",
                  "practice_location", "practice location")
    out += _lists(old, new, "reassignments", ("group_npi",), "reassignment", "other", "reassignment")
    out += _lists(old, new, "adverse_actions", ("kind",), "adverse_action", "adverse_action", "adverse action",
                  "date")
    new_licenses = _items(new, "licenses")
    for c in _lists(old, new, "licenses", ("number",), "license", "license", "license", None):
        item = new_licenses[c.path[1]] if len(c.path) > 1 and isinstance(c.path[1], int) else None
        status = item.get("status") if isinstance(item, dict) else None
        if _ACTION.search(c.description) or (c.what.startswith("license added") and _ACTION.search(str(status))):
            c = RawChange(c.part, "adverse_action", c.what, c.path, c.effective,
                          f"{c.description} (a license suspension or revocation is an adverse action)".strip())
        out.append(c)
    return [RawChange(c.part, c.kind, mask_identifiers(c.what), c.path, c.effective,
                      mask_identifiers(c.description)) for c in out]
