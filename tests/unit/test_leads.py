"""Lead registry: geometry from OSS-DBS v2 defaults, labels as programmers show them."""

import math

import pytest

from dbssim.physics.leads import get_lead, lead_registry

EXPECTED_IDS = {
    "medtronic-3387",
    "medtronic-3389",
    "medtronic-b33005",
    "medtronic-b33015",
    "bsci-vercise-directed",
    "abbott-6172",
    "abbott-6173",
}


def test_registry_has_every_required_lead():
    assert EXPECTED_IDS <= set(lead_registry())


def test_3389_contact_1_centre_matches_reference_geometry():
    # tip 1.5 mm, contacts 1.5 mm, spacing 0.5 mm -> contact 1 centre 4.25 mm (OSS-DBS v2)
    c = get_lead("medtronic-3389").contacts[1]
    assert c.label == "1"
    assert c.z_centre_mm == pytest.approx(4.25)


@pytest.mark.parametrize(
    ("lead_id", "index", "area_mm2"),
    [("medtronic-3389", 0, 5.98), ("medtronic-b33005", 0, 6.41), ("medtronic-b33005", 1, 1.60)],
)
def test_contact_areas_match_dossier(lead_id, index, area_mm2):
    # dossier §6.2: ring pi*d*h; 90° segment a quarter of that
    assert get_lead(lead_id).contacts[index].area_mm2 == pytest.approx(area_mm2, abs=0.01)


@pytest.mark.parametrize(
    ("lead_id", "labels"),
    [
        ("medtronic-3389", ["0", "1", "2", "3"]),
        ("medtronic-b33005", ["0", "1a", "1b", "1c", "2a", "2b", "2c", "3"]),
        ("bsci-vercise-directed", [str(i) for i in range(1, 9)]),
        ("abbott-6172", ["1", "2A", "2B", "2C", "3A", "3B", "3C", "4"]),
    ],
)
def test_labels(lead_id, labels):
    assert get_lead(lead_id).labels == labels


def test_segments_are_90_degrees_at_three_directions():
    lead = get_lead("medtronic-b33015")
    segs = [c for c in lead.contacts if c.is_segment]
    assert len(segs) == 6
    assert {c.angle_centre_deg for c in segs} == {0.0, 120.0, 240.0}
    assert all(c.angle_span_deg == 90.0 for c in segs)
    x, y, _ = segs[1].centre_mm  # "1b" at 120°
    assert math.degrees(math.atan2(y, x)) == pytest.approx(120.0)


def test_unknown_lead_error_names_value_and_suggests():
    with pytest.raises(ValueError, match=r"medtronic-3388.*Did you mean 'medtronic-3389'"):
        get_lead("medtronic-3388")
