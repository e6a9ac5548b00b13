"""Profiles for the PECOS-data and exclusion rule tests, built as data and written as YAML."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from pecoscheck.engine import Options, validate_paths
from pecoscheck.findings import Finding, Report

AS_OF = date(2026, 11, 26)


def individual(npi: str = "1320000015", first: str = "Elena", last: str = "Marsh", **changes: Any) -> dict[str, Any]:
    """A practitioner's profile; ``changes`` replace top-level keys or, as ``medicare=``/``enrollment=``, merge."""
    profile: dict[str, Any] = {
        "schema_version": 1,
        "provider": {
            "kind": "individual",
            "npi": npi,
            "name": {"first": first, "last": last, "credential": "MD"},
            "practitioner_type": "physician",
            "medicare": {"status": "approved", "enrollment_id": "I20150302000117",
                         "revalidation_due": "2027-04-30"},
        },
        "enrollment": {"action": "change_of_information", "application": "CMS-855I", "submitted_on": "2026-11-30"},
        "licenses": [{"state": "MN", "number": "44120", "type": "MD", "status": "active", "expires": "2028-06-30"}],
        "practice_locations": [{"address": {"line1": "2918 Hennepin Ave S", "city": "Minneapolis", "state": "MN",
                                            "zip": "55408"}, "primary": True}],
        "reassignments": [
            {"group_npi": "1881649713", "group_name": "Northstar Family Medicine, LLC", "status": "linked"},
            {"group_npi": "2820000018", "group_name": "Lake Country Urgent Care, PA", "status": "linked"},
        ],
        "identity_access": {"holder": f"{first} {last}", "role": "individual_provider"},
        "documents": [{"type": "state_license", "file": "docs/license.pdf"}],
    }
    return _apply(profile, changes)


def organization(npi: str = "1881649713", **changes: Any) -> dict[str, Any]:
    """The group practice's profile."""
    profile: dict[str, Any] = {
        "schema_version": 1,
        "provider": {
            "kind": "organization",
            "npi": npi,
            "legal_name": "Northstar Family Medicine, LLC",
            "tin": "41-2873906",
            "organization_type": "group_practice",
            "medicare": {"status": "approved", "enrollment_id": "O20120405000318",
                         "revalidation_due": "2027-03-31"},
        },
        "enrollment": {"action": "revalidation", "application": "CMS-855B", "submitted_on": "2026-11-30"},
        "practice_locations": [{"address": {"line1": "2918 Hennepin Ave S", "city": "Minneapolis", "state": "MN",
                                            "zip": "55408"}, "primary": True}],
        "ownership": [
            {"party": "individual", "name": "Thomas Lindqvist", "npi": "1097080240", "percent": 60,
             "roles": ["direct_owner", "managing_control"]},
            {"party": "organization", "name": "Lakeside Physician Holdings, LLC", "tin": "41-3958127",
             "percent": 40, "roles": ["direct_owner"]},
            {"party": "individual", "name": "Karen Dahl", "percent": 0, "roles": ["managing_employee"]},
        ],
        "officials": [{"name": "Thomas Lindqvist", "role": "authorized_official"}],
        "identity_access": {"holder": "Thomas Lindqvist", "role": "authorized_official"},
        "documents": [{"type": "irs_cp575", "file": "docs/cp575.pdf"}],
    }
    return _apply(profile, changes)


def _apply(profile: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    profile = copy.deepcopy(profile)
    for key, value in changes.items():
        if key == "medicare":
            if value is None:
                profile["provider"].pop("medicare", None)
            else:
                profile["provider"]["medicare"] = {**profile["provider"].get("medicare", {}), **value}
                profile["provider"]["medicare"] = {k: v for k, v in profile["provider"]["medicare"].items()
                                                   if v is not None}
        elif key == "enrollment":
            profile["enrollment"] = {**profile["enrollment"], **value}
        elif key == "provider":
            profile["provider"] = {**profile["provider"], **value}
        elif value is None:
            profile.pop(key, None)
        else:
            profile[key] = value
    return profile


def write(tmp_path: Path, profile: dict[str, Any], name: str = "profile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(profile, sort_keys=False), "utf-8")
    return path


def run(paths: list[Path], online: set[str], as_of: date = AS_OF, select: tuple[str, ...] = ("PEC", "EXC"),
        jobs: int = 1) -> Report:
    options = Options(as_of=as_of, online=frozenset(online), select=list(select))
    return validate_paths(paths, options, jobs=jobs)


def findings(report: Report, rule: str, index: int = 0) -> list[Finding]:
    return [f for f in report.profiles[index].findings if f.rule == rule]
