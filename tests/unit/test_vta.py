"""VTA: axisymmetry of a ring, growth with amplitude, segments steer the volume."""

import numpy as np
import pytest

from dbssim.physics.leads import get_lead
from dbssim.physics.program import compute_currents_ma, parse_contacts
from dbssim.physics.vta import compute_vta


def test_ring_vta_mesh_is_axisymmetric():
    lead = get_lead("medtronic-3389")
    vta = compute_vta(lead, np.array([0, -3.0, 0, 0]), 60, with_mesh=True)
    rho = np.hypot(vta.vertices_mm[:, 0], vta.vertices_mm[:, 1]).reshape(17, 32)
    spread = (rho.max(axis=1) - rho.min(axis=1)).max()
    assert spread <= 0.15, f"radial extent varies by {spread:.2f} mm around the axis"


def test_vta_grows_with_amplitude_and_is_zero_when_off():
    lead = get_lead("medtronic-3389")
    volumes = [
        compute_vta(lead, np.array([0, -a, 0, 0]), 60, with_mesh=False).volume_mm3
        for a in (0.0, 1.0, 2.0, 4.0)
    ]
    assert volumes[0] == 0.0
    assert volumes[1] < volumes[2] < volumes[3]


def test_segment_vta_lies_on_its_side():
    lead = get_lead("medtronic-b33005")
    currents = compute_currents_ma(parse_contacts("2b-", lead), 8, amplitude_ma=3.0)
    vta = compute_vta(lead, currents, 60, with_mesh=True)
    centroid = vta.vertices_mm.mean(axis=0)
    angle = np.degrees(np.arctan2(centroid[1], centroid[0])) % 360
    assert angle == pytest.approx(120.0, abs=20.0), f"VTA centroid at {angle:.0f}°, segment at 120°"
