"""``--format junit``: JUnit XML for GitLab (``artifacts:reports:junit``), GitHub JUnit reporters and Jenkins.

One ``<testsuite>`` per profile and one ``<testcase>`` per finding, so the case count grows with the
findings, not with the rules checked (GitLab keeps at most 500,000 cases per report). Each case
carries ``file`` (the profile's path, as GitLab links it) and ``line`` (as action-junit-report
annotates it), and is named ``RULE path (line:col)`` so that names stay unique within the suite
(GitLab drops duplicate names). An error finding is a ``<failure>``; a YAML load or parse error
(``YML*``) is an ``<error>``; a warning or note is ``<skipped>`` with its text, the one status
besides failures whose text the readers show (under ``--strict`` a warning is a ``<failure>``).
A profile with no finding gets one passing case. Built with :mod:`xml.etree` only.
Every text and attribute is masked and holds only characters XML 1.0 allows (:func:`pecoscheck.sinks.xml`).
"""

from __future__ import annotations

import shutil
import tempfile
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, TextIO

from ..findings import Finding, ProfileResult, Report, Run, Severity
from ..sinks import mask_identifiers, xml
from . import RenderContext, render_with

if TYPE_CHECKING:
    from ..duplicates import CrossFinding


def _clean(text: str, field: str = "") -> str:
    """Text safe for XML 1.0 (forbidden characters dropped), identifiers masked as fits ``field``."""
    return xml(mask_identifiers(text, field))


def _where(profile: ProfileResult, f: Finding) -> str:
    where = profile.path
    if f.line is not None:
        where += f":{f.line}"
        if f.column is not None:
            where += f":{f.column}"
    return where


def _body(profile: ProfileResult, f: Finding) -> str:
    text = f"{_where(profile, f)}: {f.severity.value} {f.rule} {f.message}"
    if f.hint:
        text += f"\nfix: {f.hint}"
    return _clean(text, f.path)


def _case_name(f: Finding) -> str:
    place = f"({f.line}:{f.column})" if f.line is not None and f.column is not None else (
        f"(line {f.line})" if f.line is not None else "(file)")
    return " ".join(part for part in (f.rule, f.path, place) if part)


def _case(profile: ProfileResult, name: str) -> ET.Element:
    path = xml(profile.path)
    return ET.Element("testcase", classname=path, name=name, file=path, time="0")


def _rule_order(profile: ProfileResult) -> list[str]:
    """Ids that reported without being a checked rule (YML, SCH, SUP...), then the rules in the order they ran."""
    order = list(dict.fromkeys(profile.rules_checked))
    return sorted({f.rule for f in profile.findings} - set(order)) + order


def _suite(profile: ProfileResult, ctx: RenderContext) -> tuple[ET.Element, dict[str, int]]:
    suite = ET.Element("testsuite", name=xml(profile.path))
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    order = {rule: n for n, rule in enumerate(_rule_order(profile))}
    names: set[str] = set()

    def unique(name: str) -> str:
        candidate, n = name, 1
        while candidate in names:
            n += 1
            candidate = f"{name} #{n}"
        names.add(candidate)
        return candidate

    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="ready", value=str(profile.ready).lower())
    for key, value in profile.counts.items():
        ET.SubElement(properties, "property", name=key, value=str(value))

    cases: list[ET.Element] = []
    for f in sorted(profile.findings, key=lambda f: order.get(f.rule, -1)):
        case = _case(profile, unique(_clean(_case_name(f))))
        if f.line is not None:
            case.set("line", str(f.line))
        if f.severity is Severity.ERROR or (profile.strict and f.severity is Severity.WARNING):
            tag = "error" if f.rule.startswith("YML") else "failure"
            counts["errors" if tag == "error" else "failures"] += 1
        else:
            tag = "skipped"
            counts["skipped"] += 1
        child = ET.SubElement(case, tag, type=xml(f.rule),
                              message=_clean(f"{f.severity.value}: {f.message}", f.path))
        child.text = _body(profile, f)
        cases.append(case)
    if not cases:
        checked = len(set(profile.rules_checked))
        cases.append(_case(profile, f"pecoscheck: no finding ({checked} rule{'s' if checked != 1 else ''} checked)"))
    if profile.suppressed:
        out = "\n".join(f"suppressed {f.rule} at {_where(profile, f)}: {f.masked().suppressed}"
                        for f in profile.suppressed)
        ET.SubElement(suite, "system-out").text = _clean(out)
    counts["tests"] = len(cases)
    for key in ("tests", "failures", "errors", "skipped"):
        suite.set(key, str(counts[key]))
    suite.set("time", "0")
    # properties first, then test cases, then the suite's system-out (junit-4.xsd order)
    tail = [el for el in suite if el.tag == "system-out"]
    for el in tail:
        suite.remove(el)
    suite.extend(cases)
    suite.extend(tail)
    return suite, counts


def _cross_suite(cross: list[CrossFinding], strict: bool) -> tuple[ET.Element, dict[str, int]]:
    """One ``across profiles`` suite with a case per finding across profiles, filed under its first profile."""
    suite = ET.Element("testsuite", name="across profiles")
    counts = {"tests": len(cross), "failures": 0, "errors": 0, "skipped": 0}
    for n, c in enumerate(cross, 1):
        path, line = c.places[0]
        case = ET.SubElement(suite, "testcase", classname="across profiles", name=f"{c.rule} #{n}",
                             file=xml(path), time="0")
        if line is not None:
            case.set("line", str(line))
        failing = c.severity is Severity.ERROR or (strict and c.severity is Severity.WARNING)
        tag = "failure" if failing else "skipped"
        counts["failures" if failing else "skipped"] += 1
        child = ET.SubElement(case, tag, type=xml(c.rule), message=_clean(f"{c.severity.value}: {c.message}"))
        places = "\n".join(f"  {p}:{ln}" if ln is not None else f"  {p}" for p, ln in c.places)
        child.text = _clean(f"{c.severity.value} {c.rule} {c.message}\n{places}\nfix: {c.hint}")
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("time", "0")
    return suite, counts


def write(run: Run, ctx: RenderContext, out: TextIO) -> None:
    """The ``<testsuites>`` element, whose totals come first, around each profile's suite as it arrives.

    The suites are held in a spool (memory, then an unnamed private temporary file past a few MB)
    until the totals are known; the text is the same as indenting and serialising the whole tree.
    """
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY, mode="w+", encoding="utf-8",
                                       newline="") as spool:
        for profile in run:
            suite, counts = _suite(profile, ctx)
            ET.indent(suite, level=1)
            spool.write("\n  " + ET.tostring(suite, encoding="unicode"))
            for key in totals:
                totals[key] += counts[key]
        cross = run.cross
        if cross:
            suite, counts = _cross_suite(cross, run.strict)
            ET.indent(suite, level=1)
            spool.write("\n  " + ET.tostring(suite, encoding="unicode"))
            for key in totals:
                totals[key] += counts[key]
        root = ET.Element("testsuites", name="pecoscheck")
        for key, value in totals.items():
            root.set(key, str(value))
        root.set("time", "0")
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        if not spool.tell():
            out.write(ET.tostring(root, encoding="unicode") + "\n")
            return
        root.text = _MARK
        start_tag, end_tag = ET.tostring(root, encoding="unicode").split(_MARK)
        out.write(start_tag)
        spool.seek(0)
        shutil.copyfileobj(spool, out)
        out.write("\n" + end_tag + "\n")


_SPOOL_IN_MEMORY = 4 << 20
_MARK = "@suites@"


def render(report: Report, ctx: RenderContext) -> str:
    return render_with(write, report, ctx)
