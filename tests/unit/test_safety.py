"""Charge density, TEED and battery estimate."""

import itertools

import numpy as np
import pytest

from dbssim.physics.devices import Device, get_device
from dbssim.physics.leads import get_lead
from dbssim.physics.safety import (
    compute_charge_density_uc_cm2,
    compute_teed_uw,
    estimate_battery,
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


def test_battery_calibration_residual_pd_cohort():
    # Calibration: the housekeeping power is set from the J Neural Transm 2016 STN-PD mean of
    # 51.5 months at an assumed 97.5 µW (docs/science.md); the residual is zero by design.
    assert estimate_battery_months(97.5) == pytest.approx(51.5, rel=1e-6)


def test_battery_drain_slope_is_the_published_fit():
    # The drain per µW is the MDS 2016 fit's 9.1e-5 per µW per month (dossier §6.5).
    a, b = estimate_battery_months(100.0), estimate_battery_months(300.0)
    assert 1 / b - 1 / a == pytest.approx(200 * 9.1e-5, rel=1e-6)


def test_halving_energy_extends_life_by_more_than_half_at_dystonia_settings():
    # Would fail with the old drain floor (36.2 -> 46.0 months, +27 %).
    high = estimate_battery_months(391.75)  # bilateral 3.5 mA, 120 µs, 130 Hz
    low = estimate_battery_months(180.81)  # same at 60 Hz
    assert low / high > 1.5


def test_rechargeable_device_reports_recharge_interval():
    rc = get_device("medtronic-activa-rc")
    light, heavy = estimate_battery(rc, 100.0), estimate_battery(rc, 400.0)
    assert light.months == heavy.months == 180
    assert light.recharge_interval_days is not None and heavy.recharge_interval_days is not None
    assert light.recharge_interval_days > heavy.recharge_interval_days > 0
    primary = estimate_battery(get_device("medtronic-percept-pc"), 100.0)
    assert primary.recharge_interval_days is None


def test_rechargeable_device_needs_its_battery_fields():
    data = get_device("medtronic-activa-rc").model_dump()
    data["recharge_budget_uw_days"] = None
    with pytest.raises(ValueError, match="recharge_budget_uw_days"):
        Device.model_validate(data)
