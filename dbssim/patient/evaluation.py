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
    """Charge density, TEED and current of one side's setting: the one rule for every caller.

    Parameters
    ----------
    model : SideModel
        The implanted lead (contacts, impedances).
    setting : Setting
        The program on that side.

    Returns
    -------
    SideDelivery
        Unrounded values.
    """
    currents = model.currents_ma(setting)
    density = compute_charge_density_uc_cm2(currents, setting.pulse_width_us, model.lead)
    teed = compute_teed_uw(
        currents, model.impedances_ohm, setting.pulse_width_us, setting.frequency_hz
    )
    current = max(float(-currents[currents < 0].sum()), float(currents[currents > 0].sum()))
    return SideDelivery(float(density.max()), teed, current)


def battery_fields(patient: VirtualPatient, teed_uw_total: float) -> dict[str, Any]:
    """Battery fields for the energy both sides deliver together (rounded for display).

    ``battery_months`` is the life of a primary cell (for a rechargeable device its
    rated service life); ``recharge_interval_days`` is set for rechargeable devices only.
    """
    estimate = estimate_battery(patient.device, teed_uw_total)
    interval = estimate.recharge_interval_days
    return {
        "battery_months": round(estimate.months, 1),
        "recharge_interval_days": None if interval is None else round(interval, 1),
    }


def program_settings(program: Program) -> dict[str, Setting]:
    """The sides that are on, as a dict."""
    return {s: getattr(program, s) for s in ("left", "right") if getattr(program, s) is not None}


def check_program(patient: VirtualPatient, program: Program) -> None:
    """Refuse a program that names a side without a lead or leaves the device's range."""
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
    """State from baseline after ``after_s`` seconds on the program (None: steady state)."""
    settings = program_settings(program)
    if after_s is None:
        return steady_state(patient, settings)
    return advance(patient, PatientState(), settings, after_s)


def evaluate_program(
    patient: VirtualPatient, program: Program, after_s: float | None = None
) -> dict[str, Any]:
    """The ``dbssim evaluate`` answer (DESIGN §6), noise-free."""
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
