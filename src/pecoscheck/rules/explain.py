"""The text of ``pecoscheck rules explain``: one rule's purpose, fix, source and examples.

A rule's ``source`` cites its facts as ``[Snn]`` ids; :func:`cited_sources` resolves them against the
shipped table ``data/sources.yaml`` (title and URLs), so every citation a user sees can be followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..packagedata import read_data
from .base import Rule

SOURCE_ID = re.compile(r"\[(S\d+)\]")


@dataclass(frozen=True)
class Link:
    url: str
    label: str = ""


@dataclass(frozen=True)
class CitedSource:
    """One entry of the source table: ``[S59]`` -> its title and where to read it."""

    id: str
    title: str
    links: tuple[Link, ...]

    def describe(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title,
                "links": [{"url": ln.url, **({"label": ln.label} if ln.label else {})} for ln in self.links]}


@cache
def source_table() -> dict[str, CitedSource]:
    """The shipped ``data/sources.yaml``, by id."""
    import yaml

    text = read_data("sources.yaml")
    data: dict[str, Any] = yaml.safe_load(text) or {}
    return {
        sid: CitedSource(id=sid, title=str(entry["title"]),
                         links=tuple(Link(str(ln["url"]), str(ln.get("label", ""))) for ln in entry.get("links", ())))
        for sid, entry in data.items()
    }


def cited_ids(text: str) -> list[str]:
    """The ``[Snn]`` ids in ``text``, in order of first appearance."""
    return list(dict.fromkeys(SOURCE_ID.findall(text)))


@cache
def _shipped_origins() -> frozenset[str]:
    from .registry import builtin_pack_dir

    return frozenset({"builtin", "core"} | {f"pack:{p.name}" for p in builtin_pack_dir().glob("*.y*ml")})


def resolves_sources(r: Rule) -> bool:
    """Whether ``[Snn]`` in this rule means pecoscheck's table: its own rules and packs, not a user's or a plugin's."""
    return r.origin in _shipped_origins()


def cited_sources(r: Rule) -> list[CitedSource]:
    """The table entries of the ``[Snn]`` ids the rule's source and rationale cite (unknown ids left out)."""
    if not resolves_sources(r):
        return []
    table = source_table()
    return [table[sid] for sid in cited_ids(f"{r.source} {r.rationale}") if sid in table]


def explain_data(r: Rule) -> dict[str, Any]:
    """``pecoscheck rules explain RULE --format json``: the rule's description plus its cited sources."""
    return {**r.describe(), "example_fail": r.example_fail, "example_pass": r.example_pass,
            "cited_sources": [s.describe() for s in cited_sources(r)]}


def explain_rule(r: Rule) -> str:
    """What ``pecoscheck rules explain RULE`` prints (and an editor shows on hover), without the final newline."""
    scope = []
    if r.kinds != {"individual", "organization"}:
        scope.append("providers: " + ", ".join(sorted(r.kinds)))
    if r.applications:
        scope.append("applications: " + ", ".join(sorted(r.applications)))
    if r.actions:
        scope.append("actions: " + ", ".join(sorted(r.actions)))
    parts = [f"{r.id}  {r.title}", f"severity: {r.severity.value}   family: {r.family}   origin: {r.origin}"
             + ("" if r.verified else "   fact: UNVERIFIED (see Why)")]
    if r.online:
        parts.append(f"needs: --{r.online}")
    parts.append("applies to: " + ("; ".join(scope) if scope else "every profile"))
    parts += ["", "Why", "  " + r.rationale]
    if r.hint:
        parts += ["", "How to fix", "  " + r.hint]
    parts += ["", "Source", "  " + r.source]
    cited = cited_sources(r)
    if cited:
        parts += ["", "Cited sources"]
        for s in cited:
            parts.append(f"  [{s.id}] {s.title}")
            parts += [f"    {ln.label + ': ' if ln.label else ''}{ln.url}" for ln in s.links]
    if r.example_fail:
        parts += ["", "Fails", *("  " + ln for ln in r.example_fail.splitlines())]
    if r.example_pass:
        parts += ["", "Passes", *("  " + ln for ln in r.example_pass.splitlines())]
    return "\n".join(parts)
