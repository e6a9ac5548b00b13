"""The text of ``pecoscheck rules explain``: one rule's purpose, fix, source and examples."""

from __future__ import annotations

from .base import Rule


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
    if r.example_fail:
        parts += ["", "Fails", *("  " + ln for ln in r.example_fail.splitlines())]
    if r.example_pass:
        parts += ["", "Passes", *("  " + ln for ln in r.example_pass.splitlines())]
    return "\n".join(parts)
