"""Noise-free monopolar review: efficacy and side-effect thresholds per contact."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dbssim.errors import InputError
from dbssim.patient.response import (
    COMPONENTS,
    MINUTE_S,
    PERCEPTIBLE_SEVERITY,
    component_relief,
    side_effect_level,
)
from dbssim.patient.virtual_patient import BODY_SIDE_OF_LEAD, VirtualPatient

REVIEW_STEP_MA = 0.1  # DESIGN §6: thresholds in 0.1 mA steps
EFFICACY_FRACTION = 0.8  # DESIGN §6: 80 % of the best relief reachable on that side
ACUTE_ONSETS = ("immediate", "minutes")  # what a review visit can see
MIDLINE_SHARE = 0.5  # midline items are shared by the two leads
# What an examination during the review can see: relief present this long after a step is
# switched on (a step is judged after about a minute, a contact takes a few steps): 10
# minutes, teaching value, not from literature.
ACUTE_REVIEW_S = 10 * MINUTE_S


def compute_points_relieved(
    patient: VirtualPatient,
    side: str,
    acts: dict[str, np.ndarray],
    frequency_hz: float,
    components: set[str] | None = None,
    after_s: float | None = None,
) -> np.ndarray:
    """Score points one side relieves, per amplitude, from its activation curves (noise-free).

    Counts the items that side treats (the opposite body side in full, midline items by
    half), the given components only (all by default), at steady state or ``after_s``
    seconds after switching on. Negative where low frequencies worsen a component.
    """
    body = BODY_SIDE_OF_LEAD[side]
    total = np.zeros_like(next(iter(acts.values())))
    for item in patient.scale.items:
        if item.side not in ("none", body) or patient.baseline[item.id] == 0:
            continue
        drive = np.mean([acts[s] for s in patient.atlas.substrates[item.body_part]], axis=0)
        relief = np.zeros_like(drive)
        for comp_name, share in patient.item_components(item).items():
            if components is not None and comp_name not in components:
                continue
            comp = COMPONENTS[comp_name]
            steady = component_relief(comp, patient.scenario.relief_scale, frequency_hz, drive)
            kinetics = (
                1.0
                if after_s is None
                else 1.0 - math.exp(-after_s / patient.onset_tau_s(comp_name))
            )
            relief = relief + share * steady * kinetics
        weight = MIDLINE_SHARE if item.side == "none" else 1.0
        total = total + weight * patient.baseline[item.id] * np.minimum(relief, 1.0)
    return total


def _first_at_or_above(curve: np.ndarray, level: float, amps: np.ndarray) -> float | None:
    hit = np.flatnonzero(curve >= level - 1e-12)
    return round(float(amps[hit[0]]), 2) if hit.size else None


def _window(side_effect_ma: float | None, efficacy_ma: float | None) -> float | None:
    if side_effect_ma is None or efficacy_ma is None:
        return None
    return round(side_effect_ma - efficacy_ma, 2)


def compute_review(
    patient: VirtualPatient, side: str, pulse_width_us: float = 60.0, frequency_hz: float = 130.0
) -> list[dict[str, Any]]:
    """One row per contact of that side's lead (DESIGN §6 ``review``).

    ``efficacy_threshold_ma`` and ``window_ma`` are the long-term expectation (steady state);
    ``acute_efficacy_threshold_ma`` and ``acute_window_ma`` are what an examination during the
    review could see, :data:`ACUTE_REVIEW_S` after switching on (null: no benefit visible
    then, e.g. dystonia whose benefit builds over days to months).
    """
    if side not in patient.sides:
        raise InputError(
            "--side", f"this patient has no {side} lead; implanted: {', '.join(patient.sides)}"
        )
    device = patient.device
    device.check_pulse_width_us(pulse_width_us, "--pulse-width-us")
    device.check_frequency_hz(frequency_hz, "--frequency-hz")
    model = patient.sides[side]
    amps = np.round(np.arange(0.0, device.amplitude_max_ma + 1e-9, REVIEW_STEP_MA), 2)
    per_contact = []
    for idx, contact in enumerate(model.lead.contacts):
        acts = model.activation_curves(idx, amps, pulse_width_us)
        index = {patient.scenario.index_component}
        eff = compute_points_relieved(patient, side, acts, frequency_hz, components=index)
        acute = compute_points_relieved(
            patient, side, acts, frequency_hz, components=index, after_s=ACUTE_REVIEW_S
        )
        ses = {}
        for se in patient.atlas.side_effects:
            sev = side_effect_level(se, acts[se.structure], frequency_hz)
            ses[se.id] = (sev, se.onset)
        per_contact.append((contact.label, eff, acute, ses))
    best = max(float(eff.max()) for _, eff, _, _ in per_contact)
    rows = []
    for label, eff, acute_eff, ses in per_contact:
        efficacy = _first_at_or_above(eff, EFFICACY_FRACTION * best, amps) if best > 0 else None
        # The same bar as the long-term threshold (80 % of the best steady relief), reached by
        # the relief an exam can see minutes after switching on: null when it comes later.
        acute_efficacy = (
            _first_at_or_above(acute_eff, EFFICACY_FRACTION * best, amps) if best > 0 else None
        )
        thresholds = {
            sid: _first_at_or_above(sev, PERCEPTIBLE_SEVERITY, amps)
            for sid, (sev, _) in ses.items()
        }
        seen = [
            (t, sid)
            for sid, t in thresholds.items()
            if t is not None and ses[sid][1] in ACUTE_ONSETS
        ]
        se_threshold, se_id = min(seen) if seen else (None, None)
        window = _window(se_threshold, efficacy)
        rows.append(
            {
                "contact": label,
                "efficacy_threshold_ma": efficacy,
                "side_effect_threshold_ma": se_threshold,
                "side_effect": se_id,
                "window_ma": window,
                "side_effect_thresholds_ma": thresholds,
                "acute_efficacy_threshold_ma": acute_efficacy,
                "acute_window_ma": _window(se_threshold, acute_efficacy),
            }
        )
    return rows
