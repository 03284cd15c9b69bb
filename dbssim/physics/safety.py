"""Charge density, delivered energy (TEED) and estimated battery life."""

from __future__ import annotations

import numpy as np

from dbssim.errors import InputError
from dbssim.physics.leads import Lead
from dbssim.units import charge_per_phase_uc, mm2_to_cm2

# Charge-density limit per phase, as shown by clinician programmers. The number is the
# manufacturers' labelling (dossier §6.3: Medtronic labelling, not seen in a source);
# Kuncel & Grill 2004 call it a liberal estimate of the non-damaging limit.
CHARGE_DENSITY_LIMIT_UC_CM2 = 30.0

# Battery model: months = 1 / (DRAIN_FLOOR + DRAIN_PER_UW * TEED_uW), a primary cell.
# The form follows the least-squares fit in dossier §6.5 (MDS 2016 table); the two
# coefficients are re-calibrated on two cohort means (J Neural Transm 2016, 464 IPGs):
# STN-PD 51.5 months and GPi-dystonia 37 months, at assumed typical bilateral settings of
# 2.5 V/60 µs/130 Hz (97.5 µW) and 3.45 V/120 µs/130 Hz (Vercueil 2007 arm; 371.4 µW) at 1 kΩ.
# The typical settings are teaching values, so the result is an estimate for teaching.
_PD_UW, _PD_MONTHS = 97.5, 51.5
_DYS_UW, _DYS_MONTHS = 371.4, 37.0
DRAIN_PER_UW = (1 / _DYS_MONTHS - 1 / _PD_MONTHS) / (_DYS_UW - _PD_UW)
DRAIN_FLOOR = 1 / _PD_MONTHS - DRAIN_PER_UW * _PD_UW


def compute_charge_density_uc_cm2(
    currents_ma: np.ndarray, pulse_width_us: float, lead: Lead
) -> np.ndarray:
    """Charge density per phase on every contact, µC/cm²."""
    areas_cm2 = np.array([mm2_to_cm2(c.area_mm2) for c in lead.contacts])
    charge = charge_per_phase_uc(1.0, pulse_width_us) * np.abs(np.asarray(currents_ma))
    return charge / areas_cm2


def compute_max_current_for_density_ma(
    area_mm2: float,
    pulse_width_us: float,
    limit_uc_cm2: float = CHARGE_DENSITY_LIMIT_UC_CM2,
) -> float:
    """Highest current in mA that keeps one contact at or under the density limit."""
    return limit_uc_cm2 * mm2_to_cm2(area_mm2) / charge_per_phase_uc(1.0, pulse_width_us)


def compute_teed_uw(
    currents_ma: np.ndarray,
    impedances_ohm: np.ndarray,
    pulse_width_us: float,
    frequency_hz: float,
) -> float:
    """Total electrical energy delivered per second (TEED), µW.

    Notes
    -----
    Koss et al. 2005: TEED = U² f PW / Z. With currents, the same power is
    sum_k I_k² Z_k f PW over the active contacts (so a bipolar pair counts
    both contacts' impedances). mA² · ohm · Hz · µs = 1e-6 µW.
    """
    currents = np.asarray(currents_ma, dtype=float)
    return float(np.sum(currents**2 * impedances_ohm) * frequency_hz * pulse_width_us * 1e-6)


def estimate_battery_months(teed_uw_total: float) -> float:
    """Estimated life of a primary-cell IPG in months for a summed TEED in µW."""
    if teed_uw_total < 0:
        raise InputError("teed_uw_total", f"must be >= 0 µW (got {teed_uw_total})")
    return 1.0 / (DRAIN_FLOOR + DRAIN_PER_UW * teed_uw_total)
