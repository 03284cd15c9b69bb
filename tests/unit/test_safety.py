"""Charge density, TEED and battery estimate."""

import itertools

import numpy as np
import pytest

from dbssim.physics.leads import get_lead
from dbssim.physics.safety import (
    compute_charge_density_uc_cm2,
    compute_teed_uw,
    estimate_battery_months,
)


def test_charge_density_of_3389_ring():
    lead = get_lead("medtronic-3389")
    d = compute_charge_density_uc_cm2(np.array([0, -3.0, 0, 0]), 60, lead)
    # 3 mA * 60 µs = 0.18 µC over 0.0598 cm² = 3.01 µC/cm²
    assert d[1] == pytest.approx(3.01, abs=0.01)
    assert d[0] == 0


def test_teed_counts_both_contacts_of_a_bipolar_pair():
    z = np.full(4, 1000.0)
    mono = compute_teed_uw(np.array([0, -3.0, 0, 0]), z, 60, 130)
    bi = compute_teed_uw(np.array([0, -3.0, 3.0, 0]), z, 60, 130)
    assert bi == pytest.approx(2 * mono)


def test_battery_decreases_with_energy_and_is_finite():
    months = [estimate_battery_months(p) for p in (0, 50, 100, 400, 1000)]
    assert all(np.isfinite(months))
    assert all(a > b for a, b in itertools.pairwise(months))
    with pytest.raises(ValueError, match="teed_uw_total"):
        estimate_battery_months(-1)


def test_battery_calibration_anchors():
    # J Neural Transm 2016 cohort means used for calibration (docs/science.md)
    assert estimate_battery_months(97.5) == pytest.approx(51.5, rel=1e-6)
    assert estimate_battery_months(371.4) == pytest.approx(37.0, rel=1e-6)
