"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and SARIF viewers (stdlib only).

One run; ``tool.driver.rules`` holds every rule that was checked or reported,
each result points at its profile with a path relative to the working folder
(``uriBaseId: %SRCROOT%``) and a full region, as GitHub code scanning requires.
Identifiers in messages are masked as in every other format; the text is JSON, lossless and valid
UTF-8 (:func:`pecoscheck.sinks.json_dumps`).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from .._version import __version__
from ..findings import Finding, ProfileResult, Report, Run, Severity
from ..sinks import json_dumps, mask_identifiers
from . import RenderContext, render_with

if TYPE_CHECKING:
    from ..duplicates import CrossFinding

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/pecoscheck/pecoscheck"
HELP_URI = "https://github.com/pecoscheck/pecoscheck/blob/main/README.md#rules"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "pecoscheck/v1"

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}
_MAX_TEXT = 1024  # GitHub: shortDescription and fullDescription at most 1024 characters


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def _rule_descriptor(rule_id: str, ctx: RenderContext) -> dict[str, Any]:
    rule = ctx.registry.rules.get(rule_id) if ctx.registry is not None else None
    if rule is None:
        return {
            "id": rule_id,
            "shortDescription": {"text": rule_id},
            "fullDescription": {"text": rule_id},
            "help": {"text": f"Run `pecoscheck rules explain {rule_id}`."},
            "helpUri": HELP_URI,
            "properties": {"tags": [rule_id.rstrip("0123456789") or rule_id]},
        }
    rationale = rule.rationale or rule.title
    text = [rationale]
    markdown = [f"**{rule.title}**", "", rationale]
    if rule.hint:
        text.append(f"How to fix: {rule.hint}")
        markdown += ["", f"**How to fix:** {rule.hint}"]
    if rule.source:
        text.append(f"Source: {rule.source}")
        markdown += ["", f"**Source:** {rule.source}"]
    markdown += ["", f"Run `pecoscheck rules explain {rule.id}` for examples."]
    return {
        "id": rule.id,
        "name": _slug(rule.title) or rule.id,
        "shortDescription": {"text": _clip(rule.title)},
        "fullDescription": {"text": _clip(rationale)},
        "help": {"text": "\n\n".join(text), "markdown": "\n".join(markdown)},
        "helpUri": HELP_URI,
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "tags": [rule.family],
            "precision": rule.precision,
            "problem.severity": PROBLEM_SEVERITY[rule.severity],
        },
    }


def _uri(path: str) -> tuple[str, str | None]:
    """The artifact URI of a report path and its base id (None for an absolute path)."""
    p = Path(path)
    if p.is_absolute():
        return p.as_uri(), None
    return quote(path.replace(os.sep, "/"), safe="/", errors="surrogateescape"), SRCROOT


def _source_lines(path: str) -> list[str]:
    """A profile's source lines, to find where a finding's value ends."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read().splitlines()
    except (OSError, ValueError):
        return []


def _end_column(line_text: str, column: int) -> int:
    """One past the last character of the YAML token that starts at ``column`` (1-based, code points)."""
    rest = line_text[column - 1:]
    if not rest:
        return column + 1
    if rest[0] in "\"'":
        close = rest.find(rest[0], 1)
        length = close + 1 if close > 0 else len(rest.rstrip())
    else:
        in_flow = any(ch in "{[" for ch in line_text[: column - 1])
        stop = len(rest)
        comment = rest.find(" #")
        if comment >= 0:
            stop = comment
        if in_flow:
            for ch in ",]}":
                at = rest.find(ch, 0, stop)
                if at >= 0:
                    stop = at
        length = len(rest[:stop].rstrip())
    return column + max(1, length)


def _region(f: Finding, lines: list[str]) -> dict[str, int]:
    if f.line is None:  # whole-file finding: GitHub requires a region, so point at the start
        return {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2}
    column = f.column or 1
    text = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
    return {"startLine": f.line, "startColumn": column, "endLine": f.line,
            "endColumn": _end_column(text, column) if text else column + 1}


def _physical(path: str, f: Finding, lines: list[str]) -> dict[str, Any]:
    uri, base = _uri(path)
    artifact: dict[str, Any] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    return {"artifactLocation": artifact, "region": _region(f, lines)}


def _result(profile: ProfileResult, f: Finding, rule_index: dict[str, int], lines: list[str],
            seen: dict[str, int], state: str | None = None) -> dict[str, Any]:
    data = f.to_dict()
    text = str(data["message"])
    if data["hint"]:
        text += f"\nFix: {data['hint']}"
    location: dict[str, Any] = {
        "physicalLocation": _physical(profile.path, f, lines),
    }
    if f.path:
        location["logicalLocations"] = [{"fullyQualifiedName": data["path"], "kind": "member"}]
    fingerprint = f"{f.rule}:{profile.path}:{data['path'] or f'line {f.line or 0}'}"
    seen[fingerprint] = seen.get(fingerprint, 0) + 1
    if seen[fingerprint] > 1:
        fingerprint += f":{seen[fingerprint]}"
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index[f.rule],
        "level": LEVEL[f.severity],
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }
    if state is not None:  # SARIF 2.1.0 §3.27.24: new, unchanged, absent (absent: a passing result)
        result["baselineState"] = state
        if state == "absent":
            result["kind"], result["level"] = "pass", "none"
    if f.suppressed is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": f.masked().suppressed}]
    return result


def _cross_result(c: CrossFinding, rule_index: dict[str, int], state: str | None) -> dict[str, Any]:
    """A finding across profiles: located at its first profile, the others as related locations."""
    locations: list[dict[str, Any]] = [
        {"physicalLocation": _physical(path, Finding(c.rule, c.severity, c.message, "", line), _source_lines(path))}
        for path, line in c.places]
    for i, loc in enumerate(locations[1:], 1):
        loc["id"] = i
    message = mask_identifiers(c.message) + (f"\nFix: {c.hint}" if c.hint else "")
    result: dict[str, Any] = {
        "ruleId": c.rule,
        "ruleIndex": rule_index[c.rule],
        "level": LEVEL[c.severity],
        "message": {"text": message},
        "locations": locations[:1],
        "relatedLocations": locations[1:],
        "partialFingerprints": {FINGERPRINT: f"{c.rule}:" + ":".join(p for p, _ in c.places)},
    }
    if state is not None:
        result["baselineState"] = state
    return result


def as_dict(report: Report, ctx: RenderContext) -> dict[str, Any]:
    """The SARIF log as plain data."""
    data: dict[str, Any] = json.loads(render(report, ctx))
    return data


def _document(run: Run, ctx: RenderContext, rule_ids: list[str], results: object) -> dict[str, Any]:
    root = ctx.extra.get("root")
    root_uri = Path(str(root) if root else os.getcwd()).resolve().as_uri().rstrip("/") + "/"
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if run.registry_unavailable:
        invocation["toolExecutionNotifications"] = [{
            "level": "warning",
            "message": {"text": "the NPPES registry could not be reached; registry comparisons were skipped"},
        }]
    sarif_run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "pecoscheck",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [_rule_descriptor(rid, ctx) for rid in rule_ids],
        }},
        "originalUriBaseIds": {SRCROOT: {"uri": root_uri}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [invocation],
        "properties": {"asOf": run.as_of.isoformat(), "summary": run.summary},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [sarif_run]}


_SLOT = "\x00results\x00"
_INDENT = " " * 8  # each result's place in runs[0].results
_RULE_INDEX = re.compile(r'( {10}"ruleIndex": )(\d+)(,?)\n')
_SPOOL_IN_MEMORY = 4 << 20


def write(run: Run, ctx: RenderContext, out: TextIO) -> None:
    """The log with every result written as its profile is checked.

    ``tool.driver.rules`` comes before the results and lists, sorted, every rule checked or reported,
    which only the last profile settles. So the results are held in a spool (memory, then an unnamed
    private temporary file past a few MB) with each ``ruleIndex`` numbered in order of first
    appearance, and renumbered as they are copied out: a result's ``ruleIndex`` is the only line of
    its indentation that starts with that key, since JSON strings hold no raw line break. The text is
    the same as encoding the whole log at once.
    """
    if ctx.registry is None:
        from ..rules.registry import default_registry

        ctx.registry = default_registry()
    first_seen: dict[str, int] = {}
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY, mode="w+", encoding="utf-8",
                                       newline="") as spool:
        baseline = ctx.extra.get("baseline")
        for p in run:
            items = _with_states(p, baseline)
            for rid in (*p.rules_checked, *(f.rule for f, _ in items)):
                first_seen.setdefault(rid, len(first_seen))
            if not items:
                continue
            lines = _source_lines(p.path)
            seen: dict[str, int] = {}  # fingerprints name the profile, so they can only repeat within it
            for f, state in items:
                text = json_dumps(_result(p, f, first_seen, lines, seen, state))
                spool.write(("," if spool.tell() else "") + "\n" + _INDENT + text.replace("\n", "\n" + _INDENT))
        for c in run.cross:
            first_seen.setdefault(c.rule, len(first_seen))
            text = json_dumps(_cross_result(c, first_seen, "new" if baseline is not None else None))
            spool.write(("," if spool.tell() else "") + "\n" + _INDENT + text.replace("\n", "\n" + _INDENT))
        ordered = sorted(first_seen)
        final = {first_seen[rid]: i for i, rid in enumerate(ordered)}
        head, tail = json_dumps(_document(run, ctx, ordered, _SLOT)).split(json_dumps(_SLOT), 1)
        out.write(head)
        if not spool.tell():
            out.write("[]")
        else:
            out.write("[")
            spool.seek(0)
            for line in spool:
                m = _RULE_INDEX.fullmatch(line)
                out.write(f"{m[1]}{final[int(m[2])]}{m[3]}\n" if m else line)
            out.write("\n      ]")
        out.write(tail + "\n")


def _with_states(p: ProfileResult, baseline: object) -> list[tuple[Finding, str | None]]:
    """The profile's results with their baseline state (``None`` without a baseline)."""
    items: list[tuple[Finding, str | None]] = [(f, None) for f in (*p.findings, *p.suppressed)]
    cmp = getattr(baseline, "comparisons", {}).get(p.path) if baseline is not None else None
    if cmp is None:
        return items
    items = [(f, "new" if f.suppressed is None else None) for f, _ in items]
    items += [(f, "unchanged") for f in cmp.unchanged]
    items += [(Finding(e.rule, Severity(e.severity), e.message, e.path, e.line), "absent") for e in cmp.absent]
    return items


def render(report: Report, ctx: RenderContext) -> str:
    return render_with(write, report, ctx)
