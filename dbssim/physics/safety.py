"""Charge density, delivered energy (TEED) and estimated battery life."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dbssim.errors import InputError
from dbssim.physics.devices import Device, get_device
from dbssim.physics.leads import Lead
from dbssim.units import charge_per_phase_uc, mm2_to_cm2

# Charge-density limit per phase, as shown by clinician programmers. The number is the
# manufacturers' labelling (Medtronic labelling, not seen in a source);
# Kuncel & Grill 2004 call it a liberal estimate of the non-damaging limit.
CHARGE_DENSITY_LIMIT_UC_CM2 = 30.0

# Primary-cell battery: life = energy budget / (housekeeping + TEED), per device (Device
# fields, physics.devices). The budget and housekeeping power are stated there with their
# sources; the defaults below are the Medtronic primary-cell values.


def compute_charge_density_uc_cm2(
    currents_ma: np.ndarray, pulse_width_us: float, lead: Lead
) -> np.ndarray:
    """Compute the charge density per phase on every contact.

    Parameters
    ----------
    currents_ma : numpy.ndarray, shape (n_contacts,)
        Signed current per contact, mA (sign ignored).
    pulse_width_us : float
        Pulse width (one phase), µs, > 0.
    lead : Lead
        The lead, for the contact areas.

    Returns
    -------
    numpy.ndarray, shape (n_contacts,)
        Charge density per phase, µC/cm², to compare with
        `CHARGE_DENSITY_LIMIT_UC_CM2`.

    Notes
    -----
    ``Q/A = |I| · PW / A``; mA × µs = nC, so 1 mA for 60 µs is 0.06 µC.

    References
    ----------
    The 30 µC/cm² limit: manufacturers' labelling; Kuncel AM, Grill WM. Selection of
    stimulus parameters for deep brain stimulation. Clin Neurophysiol. 2004.
    """
    areas_cm2 = np.array([mm2_to_cm2(c.area_mm2) for c in lead.contacts])
    charge = charge_per_phase_uc(1.0, pulse_width_us) * np.abs(np.asarray(currents_ma))
    return charge / areas_cm2


def compute_max_current_for_density_ma(
    area_mm2: float,
    pulse_width_us: float,
    limit_uc_cm2: float = CHARGE_DENSITY_LIMIT_UC_CM2,
) -> float:
    """Compute the highest current that keeps one contact at or under the density limit.

    Parameters
    ----------
    area_mm2 : float
        Contact surface area, mm², > 0.
    pulse_width_us : float
        Pulse width (one phase), µs, > 0.
    limit_uc_cm2 : float
        Charge-density limit per phase, µC/cm²; default the labelled 30 µC/cm².

    Returns
    -------
    float
        Current, mA. Narrower pulses and larger contacts allow more.
    """
    return limit_uc_cm2 * mm2_to_cm2(area_mm2) / charge_per_phase_uc(1.0, pulse_width_us)


def compute_teed_uw(
    currents_ma: np.ndarray,
    impedances_ohm: np.ndarray,
    pulse_width_us: float,
    frequency_hz: float,
) -> float:
    """Compute the total electrical energy delivered per second (TEED).

    Parameters
    ----------
    currents_ma : numpy.ndarray, shape (n_contacts,)
        Signed current per contact, mA.
    impedances_ohm : numpy.ndarray, shape (n_contacts,)
        Contact impedances, Ω, > 0.
    pulse_width_us : float
        Pulse width, µs, > 0.
    frequency_hz : float
        Pulse rate, Hz, > 0.

    Returns
    -------
    float
        Delivered power, µW; the battery drain from stimulation.

    Notes
    -----
    Koss et al. 2005: TEED = U² f PW / Z. With currents, the same power is
    sum_k I_k² Z_k f PW over the active contacts (so a bipolar pair counts
    both contacts' impedances). mA² · ohm · Hz · µs = 1e-6 µW.

    References
    ----------
    Koss AM, Alterman RL, Tagliati M, Shils JL. Calculating total electrical energy
    delivered by deep brain stimulation systems. Ann Neurol. 2005.
    """
    currents = np.asarray(currents_ma, dtype=float)
    return float(np.sum(currents**2 * impedances_ohm) * frequency_hz * pulse_width_us * 1e-6)


@dataclass(frozen=True)
class BatteryEstimate:
    """Battery outlook for a summed TEED: months of life, and days between recharges."""

    months: float  # primary cell: until replacement; rechargeable: rated service life
    recharge_interval_days: float | None  # rechargeable only


def estimate_battery(device: Device, teed_uw_total: float) -> BatteryEstimate:
    """Battery life (primary cell) or recharge interval (rechargeable) for a device.

    Parameters
    ----------
    device : Device
        The IPG, with its energy budget and housekeeping power.
    teed_uw_total : float
        Energy delivered per second by all its programs together, µW.

    Returns
    -------
    BatteryEstimate
        A primary cell lasts ``battery_budget_uw_months / (housekeeping_uw + TEED)``
        months. A rechargeable device lasts its rated service life and needs a
        recharge every ``recharge_budget_uw_days / (housekeeping_uw + TEED)`` days.

    Raises
    ------
    dbssim.errors.InputError
        If ``teed_uw_total`` is negative.

    References
    ----------
    Drain per delivered energy: least-squares fit to the per-IPG table of an MDS 2016
    abstract (Kinetra to Activa PC replacements). Housekeeping power set so that a
    typical PD setting gives the 51.5-month mean life of 464 STN-PD IPGs, J Neural
    Transm 2016 (doi 10.1007/s00702-016-1562-1). Both in `dbssim.physics.devices`.
    """
    if teed_uw_total < 0:
        raise InputError("teed_uw_total", f"must be >= 0 µW (got {teed_uw_total})")
    drain_uw = device.housekeeping_uw + teed_uw_total
    if device.rechargeable:
        assert device.recharge_budget_uw_days is not None  # checked by Device
        assert device.service_life_months is not None
        return BatteryEstimate(
            device.service_life_months, device.recharge_budget_uw_days / drain_uw
        )
    return BatteryEstimate(device.battery_budget_uw_months / drain_uw, None)


def estimate_battery_months(teed_uw_total: float, device: Device | None = None) -> float:
    """Estimate the battery life of an IPG in months.

    Parameters
    ----------
    teed_uw_total : float
        Energy delivered per second by all programs on the IPG, µW, ≥ 0.
    device : Device, optional
        The IPG; default the Medtronic primary cell the drain figures come from
        (`DEFAULT_BATTERY_DEVICE`).

    Returns
    -------
    float
        Months until replacement (primary cell) or the rated service life
        (rechargeable); see `estimate_battery`.
    """
    return estimate_battery(device or get_device(DEFAULT_BATTERY_DEVICE), teed_uw_total).months


# The device whose battery ``estimate_battery_months`` describes when none is named: the
# Medtronic primary cell the drain figures come from (see physics.devices).
DEFAULT_BATTERY_DEVICE = "medtronic-percept-pc"
