"""Identifiers stay private: no output, file, log or request carries a full TIN or SSN (issue 6).

Three profiles hold the EIN 12-3456789 and the SSN-shaped 123-45-6789 (and a
second pair, 41-9876543 and 078 05 1120) in many places: ``provider.tin``, an
owner's ``tin``, a reassignment's ``group_tin``, descriptions, comments, a
suppression reason, keys, and values that the format rejects (so they are
echoed in messages). Every output format is produced, on stdout and with
``-o``, and every output (and the GitHub step summary) is searched for the
digits in any spelling: with or without dashes, spaces or dots between them.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import EXAMPLES
from pecoscheck.cli import app
from pecoscheck.findings import Finding, Severity, mask_identifiers

SECRETS = ("123456789", "419876543", "078051120")


def _spelled_any_way(digits: str) -> re.Pattern[str]:
    return re.compile(r"[\s\-./]*".join(digits))


LEAKS = [_spelled_any_way(d) for d in SECRETS]
FORMATS = ["text", "json", "sarif", "junit", "github"] + (
    ["html"] if importlib.util.find_spec("pecoscheck.reporters.html") else [])
runner = CliRunner()


def leaks(text: str) -> list[str]:
    return [m.group(0) for pattern in LEAKS for m in pattern.finditer(text)]


def _edit(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert old in text, f"test setup: {old!r} not found"
        text = text.replace(old, new, 1)
    return text


def _append_to_line(path: Path, needle: str, comment: str) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    [i] = [i for i, line in enumerate(lines) if needle in line]
    lines[i] = lines[i].rstrip("\n") + comment + "\n"
    path.write_text("".join(lines), "utf-8")


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    """A folder of three profiles full of identifiers (and the example documents they list)."""
    folder = tmp_path / "profiles"
    shutil.copytree(EXAMPLES / "group-practice", folder / "org")
    shutil.copytree(EXAMPLES / "reassigning-np", folder / "np")
    org = folder / "org" / "profile.yaml"
    org.write_text(_edit(org.read_text("utf-8"), [
        ("tin: 41-2873906", "tin: 12-3456789  # EIN 12-3456789 (owner's SSN 123-45-6789 kept elsewhere)"),
        ("tin: 41-3958127", "tin: 12-3456789"),
        ("name: Anika Sorensen,", "name: Anika Sorensen, tin: 123-45-6789,"),
        ("description: Highland Park clinic moved",
         "description: SSN 123-45-6789 (also 123 45 6789, 078-05-1120, 123.45.6789) and EIN 123456789 moved;"
         " Highland Park clinic moved"),
    ]), "utf-8")
    # suppression comments whose reasons hold identifiers: one used (PII001 fires there), one unused
    _append_to_line(org, "name: Anika Sorensen,", "  # pecoscheck: ignore[PII001] fake SSN 123-45-6789 for a test")
    _append_to_line(org, "name: \"Lakeside Physician Holdings", "  # pecoscheck: ignore[OWN002] EIN 41-9876543")
    np = folder / "np" / "profile.yaml"
    np.write_text(_edit(np.read_text("utf-8"), [
        ("group_tin: 41-2873906", "group_tin: 12-3456789"),
        ('  npi: "1680729906"\n', '  npi: "1680729906"\n  tin: "123456789"  # her SSN 078-05-1120, not an EIN\n'),
    ]) + "\nchanges:\n  - kind: other\n    effective_date: 2026-10-01\n    reported_on: 2026-10-02\n"
         "    description: \"Group EIN 41-9876543; SSN 078 05 1120\"\n", "utf-8")
    # rejected values are echoed in format messages; keys that are identifiers appear in paths
    broken = folder / "broken.yaml"
    broken.write_text(
        "schema_version: 1\n"
        "provider:\n"
        "  kind: organization\n"
        "  npi: 123-45-6789\n"
        "  legal_name: Example Clinic, LLC\n"
        "  tin: [12-3456789]\n"
        "  12-3456789: the EIN as a key\n"
        "enrollment: {action: initial, effective_date: 41-9876543}\n"
        "ownership:\n"
        "  - {party: individual, name: A Owner, percent: 078 05 1120, roles: [direct_owner]}\n"
        "  - {party: individual, name: B Owner, percent: '123-45-6789', roles: [direct_owner]}\n"
        "  - {party: organization, name: C Holdings, percent: '12-3456789', roles: [direct_owner]}\n"
        "identity_access: {holder: A Owner, role: authorized_official, systems: [PECOS]}\n"
        "documents:\n"
        "  - {type: '123-45-6789', file: docs/123456789.pdf}\n"
        "123-45-6789: an SSN as a key\n"
        "123-45-6789: and again (a duplicate key)\n", "utf-8")
    return folder


def _all_outputs(profiles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> Iterator[
        tuple[str, str]]:
    """(label, text) of every output of every format: stdout, stderr, -o files, the GitHub step summary."""
    monkeypatch.chdir(tmp_path)
    summary = tmp_path / "step-summary.md"
    for fmt in FORMATS:
        for to_file in (False, True):
            out_file = tmp_path / "reports" / f"report-{fmt}.out"
            out_file.parent.mkdir(exist_ok=True)
            args = ["validate", str(profiles), "-f", fmt, "--as-of", "2026-11-26", "--jobs", "1", *extra]
            if to_file:
                args += ["-o", str(out_file)]
            env = {"GITHUB_STEP_SUMMARY": str(summary)} if fmt == "github" else {}
            r = runner.invoke(app, args, env=env)
            assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
            assert r.exit_code == 1, (fmt, r.stderr)
            label = f"{fmt}{' -o' if to_file else ''}"
            yield f"{label} stdout", r.stdout
            yield f"{label} stderr", r.stderr
            if to_file:
                yield f"{label} file", out_file.read_text("utf-8")
    yield "GITHUB_STEP_SUMMARY", summary.read_text("utf-8")
    leftovers = [p.name for p in (tmp_path / "reports").iterdir() if not p.name.startswith("report-")]
    assert leftovers == []


def test_no_output_format_shows_a_full_tin_or_ssn(profiles: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    found = {label: leaks(text) for label, text in _all_outputs(profiles, tmp_path, monkeypatch, "--statistics")}
    assert {k: v for k, v in found.items() if v} == {}
    # the profiles really were checked: the identifiers' findings are there, masked
    report = json.loads(runner.invoke(app, ["validate", str(profiles), "-f", "json", "--as-of", "2026-11-26"]).stdout)
    messages = [f["message"] for p in report["profiles"] for f in p["findings"]]
    assert any("***-**-6789" in m for m in messages), messages
    assert any("12-***6789" in m for m in messages), messages
    suppressed = [s for p in report["profiles"] for s in p.get("suppressed", [])]
    assert suppressed and all(not leaks(json.dumps(s)) for s in suppressed)


def test_quiet_and_verbose_text_and_statistics(profiles: Path, tmp_path: Path) -> None:
    for extra in (["--quiet"], ["--statistics"], ["--strict"], ["--select", "PII,SCH,YML"]):
        r = runner.invoke(app, ["validate", str(profiles), "--as-of", "2026-11-26", *extra])
        assert r.exit_code == 1
        assert leaks(r.stdout) == [] and leaks(r.stderr) == []


def test_nothing_personal_is_logged(profiles: Path, caplog: pytest.LogCaptureFixture, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.DEBUG)
    for _ in _all_outputs(profiles, tmp_path, monkeypatch):
        pass
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    assert leaks(logged) == []


def test_masking_covers_every_spelling_and_leaves_npis_alone() -> None:
    text = ("EIN 12-3456789 or EIN 123456789; SSN 123-45-6789, 123 45 6789, 123.45.6789, 123/45/6789, "
            "123\u201345\u20136789; NPI 1234567893; phone 612-555-0142; ZIP 55408-1234; date 2026-11-26")
    assert mask_identifiers(text) == (
        "EIN 12-***6789 or EIN 12-***6789; SSN ***-**-6789, ***-**-6789, ***-**-6789, ***-**-6789, "
        "***-**-6789; NPI 1234567893; phone 612-555-0142; ZIP 55408-1234; date 2026-11-26")
    # a bare 9-digit run is masked where it is about a TIN, not elsewhere (a mistyped NPI must stay visible)
    assert mask_identifiers("TIN 123456789 is not an EIN", "provider.tin") == "TIN 12-***6789 is not an EIN"
    assert mask_identifiers("value 123456789", "ownership[0].tin") == "value *****6789"
    assert mask_identifiers("NPI `123456789` is not exactly 10 digits", "provider.npi") == (
        "NPI `123456789` is not exactly 10 digits")
    f = Finding("X001", Severity.ERROR, "SSN 123-45-6789", "a.b", 1, 1, "EIN 12-3456789", "reason 078 05 1120")
    masked = f.masked()
    assert (masked.message, masked.hint, masked.suppressed) == ("SSN ***-**-6789", "EIN 12-***6789",
                                                                "reason ***-**-1120")
    assert leaks(json.dumps(f.to_dict())) == []


# --- the registry sees nothing but the NPI ---------------------------------------------------------------


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[object]:
    from replay_server import ReplayServer

    with ReplayServer() as server:
        server.switches.synthetic = True  # any valid NPI is "found"
        monkeypatch.setenv("PECOSCHECK_NPPES_URL", server.url)
        monkeypatch.setenv("PECOSCHECK_CACHE_DIR", str(tmp_path / "cache"))
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        yield server


def test_registry_lookups_send_only_version_and_number(profiles: Path, replay: object, tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    from replay_server import ReplayServer

    assert isinstance(replay, ReplayServer)
    caplog.set_level(logging.DEBUG)
    r = runner.invoke(app, ["validate", str(profiles), "--nppes", "-f", "json", "--as-of", "2026-11-26"])
    assert r.exit_code == 1, r.stderr
    assert leaks(r.stdout) == [] and leaks(r.stderr) == []
    profile_npis = set(re.findall(r"\b[12]\d{9}\b", "".join(p.read_text("utf-8") for p in profiles.rglob("*.yaml"))))
    assert replay.requests, "no registry request was made"
    for request in replay.requests:
        assert request.method == "GET" and request.path == "/api/"
        assert sorted(request.query) == ["number", "version"]
        assert request.query["version"] == ["2.1"]
        [number] = request.query["number"]
        assert number in profile_npis
        assert set(request.headers) <= {"host", "accept", "accept-encoding", "connection", "user-agent"}
        assert leaks(json.dumps([request.path, request.query, request.headers])) == []
    # the answers cached on disk hold the request (the NPI) and the registry's answer, nothing from the profile
    cached = "".join(p.read_text("utf-8") for p in (tmp_path / "cache").rglob("*.json"))
    assert cached and leaks(cached) == []
    assert "Northstar" not in cached.replace("NORTHSTAR", "")  # profile names are not stored either
    logged = "\n".join(f"{rec.name} {rec.getMessage()}" for rec in caplog.records)
    assert leaks(logged) == []


# --- issue 16: account numbers, SSNs with any separator, what is typed on the command line -----------

ACCOUNT = "4417123456789"


def _solo(tmp_path: Path, replace: dict[str, str]) -> Path:
    from helpers import make_profile

    return make_profile(tmp_path, "solo-practitioner", replace)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("field", ["routing_number", "account_type"])
def test_an_account_number_in_a_bank_field_is_masked(tmp_path: Path, fmt: str, field: str) -> None:
    old = {"routing_number": 'routing_number: "121000358"', "account_type": "account_type: checking"}[field]
    path = _solo(tmp_path, {old: f'{field}: "{ACCOUNT}"'})
    r = runner.invoke(app, ["validate", str(path), "-f", fmt, "--as-of", "2026-11-26"])
    assert r.exit_code == 1, r.stderr
    assert ACCOUNT not in r.stdout and ACCOUNT[:9] not in r.stdout
    assert "*********6789" in r.stdout.replace("\\u002a", "*")  # the finding is there, masked


def test_an_account_number_in_free_text_is_masked_in_deadlines_and_html(tmp_path: Path) -> None:
    path = _solo(tmp_path, {"expires: 2028-05-31, refers_to: CA}\n  # DEA":  # within the HTML timeline's 12 months
                            f'expires: 2027-05-31, refers_to: "CA acct {ACCOUNT}"}}\n  # DEA'})
    for args in (["deadlines", "--within", "3000"], ["deadlines", "-f", "csv", "--within", "3000"],
                 ["deadlines", "-f", "ics", "--within", "3000"], ["validate", "-f", "html"]):
        r = runner.invoke(app, [*args, str(path), "--as-of", "2026-11-26"])
        assert r.exit_code in (0, 1), r.stderr
        out = r.stdout.replace("\r\n ", "")  # ics folds long lines
        assert ACCOUNT not in out and "acct *********6789" in out, args


@pytest.mark.parametrize("ssn", ["987.65.4329", "987/65/4329", "987\u201365\u20134329", "987 65 4329", "987-65-4329"])
def test_the_ssn_rule_catches_any_separator(tmp_path: Path, ssn: str) -> None:
    from helpers import check, findings_of

    path = _solo(tmp_path, {"bank_name: Bank of America, N.A.": f'bank_name: "Bank of America (owner {ssn})"'})
    [finding] = findings_of(check(path), "PII001")
    assert "***-**-4329" in finding.message and ssn not in finding.message


@pytest.mark.parametrize("args", [["npi", "check", "987-65-4329"], ["npi", "check", "-f", "json", "987-65-4329"],
                                  ["deadlines", ".", "--as-of", "987-65-4329"],
                                  ["validate", ".", "--as-of", "987.65.4329"]])
def test_what_is_typed_is_echoed_masked(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    if args[:2] == ["npi", "check"]:
        from pecoscheck.__main__ import main

        with pytest.raises(SystemExit):
            main(args)
        out = capsys.readouterr()
        text = out.out + out.err
    else:
        r = runner.invoke(app, args)
        assert r.exit_code == 2
        text = r.stdout + r.stderr
    assert "4329" in text and not leaks(text.replace("987", "123").replace("65", "45").replace("4329", "6789"))


def test_license_numbers_and_mistyped_npis_stay_visible(tmp_path: Path) -> None:
    """Issue 23: masking goes by field and shape, not by digit count alone."""
    path = _solo(tmp_path, {"number: A178452": "number: 20-1232233NP", 'npi: "1653828966"': 'npi: "165382896"'})
    r = runner.invoke(app, ["validate", str(path), "-f", "json", "--as-of", "2026-11-26"])
    messages = " ".join(f["message"] for p in json.loads(r.stdout)["profiles"] for f in p["findings"])
    assert "165382896" in messages
    d = runner.invoke(app, ["deadlines", str(path), "-f", "json", "--as-of", "2026-11-26", "--within", "3000"])
    assert "20-1232233NP" in d.stdout
    assert mask_identifiers("NPI 16538289661 has 11 digits", "provider.npi") == "NPI 16538289661 has 11 digits"


@pytest.mark.parametrize("field", ["", "bank_account.routing_number", "provider.tin"])
def test_masking_twice_changes_nothing(field: str) -> None:
    text = f"routing {ACCOUNT}, acct {ACCOUNT}, SSN 123-45-6789, EIN 12-3456789, value 123456789, ending 6789"
    once = mask_identifiers(text, field)
    assert mask_identifiers(once, field) == once and ACCOUNT not in once
