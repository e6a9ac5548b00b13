"""`pecoscheck reference` (what a profile may contain) and the "did you mean" suggestions (issue 23)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from helpers import check, findings_of, make_profile
from pecoscheck.cli import app
from pecoscheck.suggest import closest


def _run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, ["reference", *args])
    return r.exit_code, r.stdout, r.stderr


def test_no_topic_lists_the_topics() -> None:
    code, out, _ = _run()
    assert code == 0
    for topic in ("sections", "enums", "documents"):
        assert topic in out


def test_documents_text_and_json() -> None:
    code, out, _ = _run("documents")
    assert code == 0 and "irs_cp575" in out and "dea_certificate" in out
    code, out, _ = _run("documents", "--format", "json")
    data = json.loads(out)
    assert code == 0 and "state_license" in data and data["state_license"]


def test_sections_and_one_section() -> None:
    code, out, _ = _run("sections", "-f", "json")
    names = [s["name"] for s in json.loads(out)]
    assert code == 0 and names[:3] == ["schema_version", "provider", "enrollment"] and "licenses" in names
    code, out, _ = _run("licenses", "-f", "json")
    keys = {k["key"]: k for k in json.loads(out)}
    assert code == 0 and keys["state"]["required"] is True and keys["expires"]["required"] is False
    assert keys["expires"]["type"] == "date (optional)"
    code, out, _ = _run("provider")
    assert code == 0 and "practitioner_type" in out and "nurse_practitioner" in out


def test_enums_and_one_enum() -> None:
    code, out, _ = _run("enums", "-f", "json")
    data = json.loads(out)
    assert code == 0 and data["provider.kind"]["values"] == ["individual", "organization"]
    assert "licenses.status" in data
    for args in (("provider.practitioner_type",), ("enum", "practitioner_type")):
        code, out, _ = _run(*args, "-f", "json")
        data = json.loads(out)
        assert code == 0 and data["key"] == "provider.practitioner_type"
        assert "nurse_practitioner" in data["values"]


def test_unknown_topic_exits_2_listing_topics() -> None:
    code, _, err = _run("bogus")
    assert code == 2
    assert "unknown reference topic `bogus`" in err and "sections, enums, documents" in err


def test_bad_format_exits_2() -> None:
    code, _, err = _run("documents", "-f", "xml")
    assert code == 2 and "--format" in err


# --- did you mean --------------------------------------------------------------------------------

def test_closest_aliases_fuzzy_and_cutoff() -> None:
    kinds = ["physician", "nurse_practitioner", "physician_assistant", "other"]
    assert closest("NP", kinds) == "nurse_practitioner"
    assert closest("PA", kinds) == "physician_assistant"
    assert closest("CRNA", kinds) is None  # alias target not among the candidates
    assert closest("phisician", kinds) == "physician"
    assert closest("zzqx", kinds) is None
    assert closest("123-45-6789", ["123-45-6780"], key="ssn") is None  # never echo PII


def test_np_practitioner_type_suggests_nurse_practitioner(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"practitioner_type: physician": "practitioner_type: NP"})
    [f] = findings_of(check(path), "SCH003")
    assert "did you mean `nurse_practitioner`?" in f.message
    assert "pecoscheck reference provider.practitioner_type" in f.hint


def test_far_off_value_gets_no_suggestion(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"practitioner_type: physician": "practitioner_type: zzqx"})
    [f] = findings_of(check(path), "SCH003")
    assert "did you mean" not in f.message and "expected" in f.message


def test_dea_document_type_suggests_dea_certificate(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"type: board_certification": "type: dea"})
    [f] = findings_of(check(path), "DOC019")
    assert "did you mean `dea_certificate`" in f.message


def test_misspelt_nested_key_is_suggested(tmp_path: Path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"    type: MD": "    tipe: MD"})
    [f] = findings_of(check(path), "SCH001")
    assert f.message == "unknown key `tipe`; did you mean `type`?"
