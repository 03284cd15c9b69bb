"""Noise-free outcome of a program: scores, side effects, charge density, energy, battery."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dbssim.errors import InputError
from dbssim.patient.response import DAY_S
from dbssim.patient.time_course import (
    PatientState,
    advance,
    current_side_effects,
    observed_item_scores,
    steady_state,
)
from dbssim.patient.virtual_patient import SideModel, VirtualPatient
from dbssim.physics.program import Program, Setting
from dbssim.physics.safety import (
    CHARGE_DENSITY_LIMIT_UC_CM2,
    compute_charge_density_uc_cm2,
    compute_teed_uw,
    estimate_battery,
)


@dataclass(frozen=True)
class SideDelivery:
    """What one side's program delivers: peak charge density, energy and total current."""

    charge_density_uc_cm2: float  # highest on any contact, per phase
    teed_uw: float
    current_ma: float  # the larger of the cathodic and the anodic sum

    @property
    def over_limit(self) -> bool:
        """Whether the charge density exceeds the limit clinician programmers enforce."""
        return self.charge_density_uc_cm2 > CHARGE_DENSITY_LIMIT_UC_CM2


def compute_side_delivery(model: SideModel, setting: Setting) -> SideDelivery:
    """Compute the charge density, TEED and current of one side's setting.

    The one rule for every caller (evaluation, session, reports), so the figures a
    trainee sees and the ones the scorer judges cannot drift apart.

    Parameters
    ----------
    model : SideModel
        The implanted lead of that side (contacts, impedances in Ω).
    setting : Setting
        The program on that side.

    Returns
    -------
    SideDelivery
        Unrounded values: peak charge density per phase (µC/cm²), TEED (µW) and the
        larger of the cathodic and anodic current sums (mA).
    """
    currents = model.currents_ma(setting)
    density = compute_charge_density_uc_cm2(currents, setting.pulse_width_us, model.lead)
    teed = compute_teed_uw(
        currents, model.impedances_ohm, setting.pulse_width_us, setting.frequency_hz
    )
    current = max(float(-currents[currents < 0].sum()), float(currents[currents > 0].sum()))
    return SideDelivery(float(density.max()), teed, current)


def battery_fields(patient: VirtualPatient, teed_uw_total: float) -> dict[str, Any]:
    """Estimate the battery for the energy both sides deliver together.

    Parameters
    ----------
    patient : VirtualPatient
        The patient, for the implanted device.
    teed_uw_total : float
        Energy delivered per second by both sides together, µW, ≥ 0.

    Returns
    -------
    dict of str to Any
        ``battery_months``: life of a primary cell (for a rechargeable device its rated
        service life), months, rounded to 0.1; ``recharge_interval_days``: days between
        charges for a rechargeable device, rounded to 0.1, else None.
    """
    estimate = estimate_battery(patient.device, teed_uw_total)
    interval = estimate.recharge_interval_days
    return {
        "battery_months": round(estimate.months, 1),
        "recharge_interval_days": None if interval is None else round(interval, 1),
    }


def program_settings(program: Program) -> dict[str, Setting]:
    """List the sides a program switches on.

    Parameters
    ----------
    program : Program
        A program for both sides.

    Returns
    -------
    dict of str to Setting
        ``"left"``/``"right"`` to its setting, for the sides that are not off (None).
    """
    return {s: getattr(program, s) for s in ("left", "right") if getattr(program, s) is not None}


def check_program(patient: VirtualPatient, program: Program) -> None:
    """Refuse a program that names a side without a lead or leaves the device's range.

    Parameters
    ----------
    patient : VirtualPatient
        The patient, for the implanted sides and the device.
    program : Program
        The program to check.

    Raises
    ------
    dbssim.errors.InputError
        Naming the field (e.g. ``left.amplitude_ma``): a side with no lead, an amplitude,
        pulse width or frequency outside the device range, or an unreadable contact
        specification.
    """
    device = patient.device
    for side, setting in program_settings(program).items():
        if side not in patient.sides:
            raise InputError(side, f"this patient has no {side} lead")
        if setting.amplitude_ma is not None:
            device.check_amplitude_ma(setting.amplitude_ma, f"{side}.amplitude_ma")
        if setting.amplitude_v is not None:
            device.check_amplitude_v(setting.amplitude_v, f"{side}.amplitude_v")
        device.check_pulse_width_us(setting.pulse_width_us, f"{side}.pulse_width_us")
        device.check_frequency_hz(setting.frequency_hz, f"{side}.frequency_hz")
        patient.sides[side].currents_ma(setting)  # parses the contacts, raising on errors


def state_after(patient: VirtualPatient, program: Program, after_s: float | None) -> PatientState:
    """Compute the patient's state some time after switching a program on from baseline.

    Parameters
    ----------
    patient : VirtualPatient
        The patient.
    program : Program
        The program switched on at time 0.
    after_s : float or None
        Time on the program, s, ≥ 0; None for the steady state.

    Returns
    -------
    PatientState
        State at that time, medication off.
    """
    settings = program_settings(program)
    if after_s is None:
        return steady_state(patient, settings)
    return advance(patient, PatientState(), settings, after_s)


def evaluate_program(
    patient: VirtualPatient, program: Program, after_s: float | None = None
) -> dict[str, Any]:
    """Evaluate a program without noise: the ``dbssim evaluate`` answer.

    Parameters
    ----------
    patient : VirtualPatient
        The patient.
    program : Program
        The program to evaluate; it is checked first (`check_program`).
    after_s : float or None
        Time on the program, s, ≥ 0; None (default) for the steady state.

    Returns
    -------
    dict of str to Any
        The JSON fields of the CLI contract: baseline and resulting totals,
        ``improvement_pct``, item scores, perceptible side effects, peak charge density
        (µC/cm²) with its limit, TEED (µW), battery fields and per-side delivery.

    Raises
    ------
    dbssim.errors.InputError
        If the program does not fit the patient or device (see `check_program`).
    """
    check_program(patient, program)
    state = state_after(patient, program, after_s)
    scores = observed_item_scores(patient, state)
    baseline_total = sum(patient.baseline.values())
    total = sum(scores.values())
    settings = program_settings(program)
    density, teed = 0.0, 0.0
    per_side = {}
    for side, setting in settings.items():
        delivery = compute_side_delivery(patient.sides[side], setting)
        density = max(density, delivery.charge_density_uc_cm2)
        teed += delivery.teed_uw
        per_side[side] = {
            "charge_density_uc_cm2": round(delivery.charge_density_uc_cm2, 3),
            "teed_uw": round(delivery.teed_uw, 2),
            "current_ma": round(delivery.current_ma, 3),
        }
    side_effects = [
        {
            "name": r.name,
            "severity": round(r.severity, 2),
            "structure": r.structure,
            "report": r.report,
            "body_side": r.body_side,
            "onset": r.onset,
            "grade": r.grade,
        }
        for r in current_side_effects(patient, state)
    ]
    return {
        "scenario": patient.scenario.id,
        "scale": patient.scale.id,
        "after_days": None if after_s is None else round(after_s / DAY_S, 4),
        "time_point": "steady state" if after_s is None else "after switching on",
        "baseline_total": round(baseline_total, 2),
        "total": round(total, 2),
        "improvement_pct": round(100 * (baseline_total - total) / baseline_total, 1)
        if baseline_total > 0
        else 0.0,
        "items": {k: round(v, 2) for k, v in scores.items()},
        "side_effects": side_effects,
        "charge_density_uc_cm2": round(density, 3),
        "charge_density_limit_uc_cm2": CHARGE_DENSITY_LIMIT_UC_CM2,
        "teed_uw": round(teed, 2),
        **battery_fields(patient, teed),
        "sides": per_side,
    }
