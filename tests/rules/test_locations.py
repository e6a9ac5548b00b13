"""LOC rules: practice locations and the other addresses."""

from __future__ import annotations

import pytest

from helpers import EXAMPLES, check, findings_of, line_of, make_profile
from pecoscheck.rules.builtin.locations import po_box, usps_state, zip_states

READY = ("solo-practitioner", "reassigning-np", "group-practice", "dmepos-supplier", "clinical-lab")
SOLO_PRACTICE_STATE = "      state: CA\n      zip: \"95404\""
SOLO_MAIL_STATE = "  state: CA\n  zip: \"95404\""


@pytest.mark.parametrize("text", ["PO Box 12", "P.O. Box 5", "P O Box 5", "POBox 5", "Post Office Box 77",
                                  "POB 12", "P.O.B. 12", "Box 123", "Box #12", "PO Drawer 4", "Lockbox 5",
                                  "PMB 301"])
def test_po_box_variants(text: str) -> None:
    assert po_box(text)


@pytest.mark.parametrize("text", ["100 Main St", "1320 Fourth St", "Boxwood Rd", "12 Box Elder St", "Suite 200",
                                  "Portland Blvd", "200 Post Rd", "Pob Street", "Unit 2B"])
def test_not_po_box(text: str) -> None:
    assert po_box(text) is None


def test_usps_state_and_zip_tables() -> None:
    assert usps_state("DC") and usps_state("PR") and usps_state("GU") and usps_state("ca")
    assert usps_state("Tex") is None and usps_state("06") is None and usps_state("California") is None
    assert usps_state("AA") is None and usps_state("AA", mailing=True)
    assert zip_states("29607") == ("SC",)
    assert zip_states("99999") == ()


def test_loc001_po_box_in_line1(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"line1: 1320 Fourth St": "line1: PO Box 1320"})
    [f] = findings_of(check(path), "LOC001")
    assert f.severity.value == "error"
    assert f.path == "practice_locations[0].address.line1"
    assert f.line == line_of(path, "line1: PO Box 1320")
    assert "PO Box 1320" in f.message


def test_loc001_box_in_line2(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"line2: Suite 200": "line2: Box 200"})
    [f] = findings_of(check(path), "LOC001")
    assert f.path == "practice_locations[0].address.line2"
    assert f.line == line_of(path, "line2: Box 200")


def test_loc001_not_ready_example() -> None:
    path = EXAMPLES / "not-ready" / "po-box-location.yaml"
    [f] = findings_of(check(path), "LOC001")
    assert f.path == "practice_locations[0].address.line1"
    assert f.line == line_of(path, "line1: P.O. Box 16422")


def test_loc001_po_box_as_correspondence_address_passes(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"line1: 1320 Fourth St\n  line2: Suite 200":
                                                        "line1: PO Box 1320\n  line2: Suite 200"})
    assert "PO Box 1320" in path.read_text()
    assert findings_of(check(path), "LOC001") == []


def test_loc002_correspondence_in_care_of_billing_company(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {
        "correspondence_address: {line1: 2918 Hennepin Ave S, line2: Suite 300":
        "correspondence_address: {line1: c/o Meridian Revenue Partners, line2: 2918 Hennepin Ave S"})
    [f] = findings_of(check(path), "LOC002")
    assert f.severity.value == "error"
    assert f.path == "correspondence_address.line1"
    assert f.line == line_of(path, "c/o Meridian Revenue Partners")
    assert "Meridian Revenue Partners" in f.message


def test_loc002_managing_organization(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {
        "correspondence_address: {line1: 2918 Hennepin Ave S, line2: Suite 300":
        "correspondence_address: {line1: 2918 Hennepin Ave S, line2: Attn Lakeshore Practice Management",
        "  - {party: individual, name: Karen Dahl,":
        "  - {party: organization, name: Lakeshore Practice Management, tin: 41-3958128, percent: 0, "
        "roles: [managing_organization]}\n  - {party: individual, name: Karen Dahl,"})
    [f] = findings_of(check(path), "LOC002")
    assert f.path == "correspondence_address.line2"
    assert "managing organization" in f.message


def test_loc002_reassignment_group_address_passes(tmp_path) -> None:
    path = make_profile(tmp_path, "reassigning-np", append='\ncorrespondence_address: {line1: '
                        '"c/o Northstar Family Medicine, LLC", line2: 2918 Hennepin Ave S, city: Minneapolis, '
                        'state: MN, zip: "55408"}\n')
    assert findings_of(check(path), "LOC002") == []
    for name in READY:
        assert findings_of(check(make_profile(tmp_path / name, name)), "LOC002") == []


def test_loc003_missing_services_began(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"    services_began: 2026-11-16\n": ""})
    [f] = findings_of(check(path), "LOC003")
    assert f.severity.value == "warning"
    assert f.path == "practice_locations[0]"
    assert f.line == line_of(path, "- name: Ferreira Family Medicine")
    assert "Ferreira Family Medicine" in f.message


def test_loc003_passes_on_examples(tmp_path) -> None:
    for name in READY:
        assert findings_of(check(make_profile(tmp_path / name, name)), "LOC003") == []


def test_loc004_855a_without_zip4(tmp_path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {"organization_type: laboratory": "organization_type: hospital",
                                                   "application: CMS-855B": "application: CMS-855A"})
    [f] = findings_of(check(path), "LOC004")
    assert f.severity.value == "warning"
    assert f.path == "practice_locations[0].address.zip"
    assert f.line == line_of(path, 'zip: "01801"')
    assert "01801" in f.message


def test_loc004_fqhc_with_two_locations(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {
        "organization_type: group_practice": "organization_type: federally_qualified_health_center",
        "application: CMS-855B": "application: CMS-855A",
        'zip: "55408"}': 'zip: "55408-1234"}', 'zip: "55105"}': 'zip: "55105-2222"}'})
    [f] = findings_of(check(path), "LOC004")
    assert f.path == "practice_locations[1]"
    assert f.line == line_of(path, "- name: Northstar Family Medicine - Highland Park")
    assert "2 practice locations" in f.message


def test_loc004_passes_with_zip4_and_on_855b(tmp_path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {"organization_type: laboratory": "organization_type: hospital",
                                                   "application: CMS-855B": "application: CMS-855A",
                                                   'zip: "01801"': 'zip: "01801-1234"'})
    assert findings_of(check(path), "LOC004") == []
    assert findings_of(check(make_profile(tmp_path / "b", "clinical-lab")), "LOC004") == []


def test_loc005_two_primary_locations(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {"    primary: false\n": "    primary: true\n"})
    [f] = findings_of(check(path), "LOC005")
    assert f.severity.value == "error"
    assert f.path == "practice_locations[1].primary"
    assert f.line == line_of(path, "    primary: true", nth=2)
    assert "location 2" in f.message


def test_loc005_no_primary_location(tmp_path) -> None:
    path = make_profile(tmp_path, "group-practice", {"    phone: 612-555-0142\n    primary: true":
                                                     "    phone: 612-555-0142\n    primary: false"})
    [f] = findings_of(check(path), "LOC005")
    assert f.path == "practice_locations"
    assert f.line == line_of(path, "practice_locations:")
    assert "2 practice locations" in f.message


def test_loc005_single_unmarked_location_passes(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {"    primary: true\n": "    primary: false\n"})
    assert findings_of(check(path), "LOC005") == []
    assert findings_of(check(make_profile(tmp_path / "g", "group-practice")), "LOC005") == []


def test_loc006_practice_state_not_usps(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner",
                        {SOLO_PRACTICE_STATE: "      state: Calif\n      zip: \"95404\""})
    result = check(path)
    [f] = findings_of(result, "LOC006")
    assert f.severity.value == "error"
    assert f.path == "practice_locations[0].address.state"
    assert f.line == line_of(path, "state: Calif")
    assert "Calif" in f.message
    assert findings_of(result, "LOC008") == [] and findings_of(result, "LOC009") == []


def test_loc006_special_payments_address(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", append='\nspecial_payments_address: {line1: PO Box 4410, '
                        'city: Santa Rosa, state: XX, zip: "95402"}\n')
    [f] = findings_of(check(path), "LOC006")
    assert f.path == "special_payments_address.state"
    assert f.line == line_of(path, "special_payments_address:")


def test_loc006_accepts_dc_territories_and_apo_mail(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", append='\nspecial_payments_address: {line1: Unit 2050 '
                        'Box 4190, city: APO, state: AE, zip: "09096"}\n')
    assert findings_of(check(path), "LOC006") == []
    path = make_profile(tmp_path / "pr", "solo-practitioner", {SOLO_MAIL_STATE: '  state: PR\n  zip: "00901"'})
    result = check(path)
    assert findings_of(result, "LOC006") == [] and findings_of(result, "LOC008") == []


def test_loc007_malformed_zip(tmp_path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {'zip: "01801"': "zip: 1801"})
    [f] = findings_of(check(path), "LOC007")
    assert f.severity.value == "error"
    assert f.path == "practice_locations[0].address.zip"
    assert f.line == line_of(path, "zip: 1801")
    assert "1801" in f.message


def test_loc007_passes_on_zip4(tmp_path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {'zip: "01801"': 'zip: "01801-2310"'})
    assert findings_of(check(path), "LOC007") == []


def test_loc008_zip_in_other_state_not_ready_example() -> None:
    path = EXAMPLES / "not-ready" / "zip-not-in-state.yaml"
    [f] = findings_of(check(path), "LOC008")
    assert f.severity.value == "error"
    assert f.path == "practice_locations[0].address.zip"
    assert f.line == line_of(path, 'zip: "29607"')
    assert "29607" in f.message and "SC" in f.message and "NC" in f.message


def test_loc008_correspondence_zip_in_other_state(tmp_path) -> None:
    path = make_profile(tmp_path, "solo-practitioner", {SOLO_MAIL_STATE: '  state: CA\n  zip: "89501"'})
    [f] = findings_of(check(path), "LOC008")
    assert f.path == "correspondence_address.zip"
    assert f.line == line_of(path, 'zip: "89501"')
    assert "NV" in f.message


def test_loc008_and_loc009_pass_on_examples(tmp_path) -> None:
    for name in READY:
        result = check(make_profile(tmp_path / name, name))
        assert findings_of(result, "LOC008") == [] and findings_of(result, "LOC009") == []


def test_loc009_unknown_zip(tmp_path) -> None:
    path = make_profile(tmp_path, "clinical-lab", {'zip: "01801"': 'zip: "01809"'})
    [f] = findings_of(check(path), "LOC009")
    assert f.severity.value == "warning"
    assert f.path == "practice_locations[0].address.zip"
    assert f.line == line_of(path, 'zip: "01809"')
    assert "01809" in f.message


def test_loc009_retired_zip(tmp_path) -> None:
    path = make_profile(tmp_path, "dmepos-supplier", {'zip: "85711"': 'zip: "85099"'})
    [f] = findings_of(check(path), "LOC009")
    assert "85099" in f.message and "no longer" in f.message
