"""Noise-free monopolar review: efficacy and side-effect thresholds per contact."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dbssim.patient.response import (
    COMPONENTS,
    dose_response,
    frequency_gain,
    side_effect_severity,
    worsening_dose,
)
from dbssim.patient.virtual_patient import BODY_SIDE_OF_LEAD, VirtualPatient
from dbssim.physics.leads import Lead

REVIEW_STEP_MA = 0.1  # DESIGN §6: thresholds in 0.1 mA steps
EFFICACY_FRACTION = 0.8  # DESIGN §6: 80 % of the best relief reachable on that side
ACUTE_ONSETS = ("immediate", "minutes")  # what a review visit can see
MIDLINE_SHARE = 0.5  # midline items are shared by the two leads


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
            gain = frequency_gain(comp.frequency_curve, frequency_hz)
            full = comp.relief_max * patient.scenario.relief_scale * gain
            dose = dose_response(drive) if gain >= 0 else worsening_dose(drive)
            kinetics = 1.0 if after_s is None else 1.0 - math.exp(-after_s / comp.tau_on_s)
            relief = relief + share * full * dose * kinetics
        weight = MIDLINE_SHARE if item.side == "none" else 1.0
        total = total + weight * patient.baseline[item.id] * np.minimum(relief, 1.0)
    return total


def _first_at_or_above(curve: np.ndarray, level: float, amps: np.ndarray) -> float | None:
    hit = np.flatnonzero(curve >= level - 1e-12)
    return round(float(amps[hit[0]]), 2) if hit.size else None


def compute_review(
    patient: VirtualPatient, side: str, pulse_width_us: float = 60.0, frequency_hz: float = 130.0
) -> list[dict[str, Any]]:
    """One row per contact of that side's lead (DESIGN §6 ``review``), then one row per
    whole level of a directional lead in ring mode (``"mode": "ring"``, contact = the
    level's label, e.g. ``2``), so ring and segment windows compare side by side."""
    if side not in patient.sides:
        raise ValueError(
            f"--side: this patient has no {side} lead; implanted: {', '.join(patient.sides)}"
        )
    device = patient.device
    device.check_pulse_width_us(pulse_width_us, "--pulse-width-us")
    device.check_frequency_hz(frequency_hz, "--frequency-hz")
    model = patient.sides[side]
    amps = np.round(np.arange(0.0, device.amplitude_max_ma + 1e-9, REVIEW_STEP_MA), 2)
    per_contact = [
        (contact.label, _curves(patient, side, model.activation_curves(idx, amps, pulse_width_us),
                                frequency_hz))
        for idx, contact in enumerate(model.lead.contacts)
    ]  # fmt: skip
    rings = [
        (label, _curves(patient, side, model.pattern_curves(unit, amps, pulse_width_us),
                        frequency_hz))
        for label, unit in ring_levels(model.lead)
    ]  # fmt: skip
    # The efficacy level is set by single contacts, so adding ring rows leaves their rows as
    # they were; a ring row is measured against the same level.
    best = max(float(eff.max()) for _, (eff, _) in per_contact)
    rows = []
    for label, (eff, ses) in per_contact + rings:
        efficacy = _first_at_or_above(eff, EFFICACY_FRACTION * best, amps) if best > 0 else None
        thresholds = {sid: _first_at_or_above(sev, 1.0, amps) for sid, (sev, _) in ses.items()}
        acute = [
            (t, sid)
            for sid, t in thresholds.items()
            if t is not None and ses[sid][1] in ACUTE_ONSETS
        ]
        se_threshold, se_id = min(acute) if acute else (None, None)
        window = (
            round(se_threshold - efficacy, 2)
            if se_threshold is not None and efficacy is not None
            else None
        )
        rows.append(
            {
                "contact": label,
                "efficacy_threshold_ma": efficacy,
                "side_effect_threshold_ma": se_threshold,
                "side_effect": se_id,
                "window_ma": window,
                "side_effect_thresholds_ma": thresholds,
            }
            | ({"mode": "ring"} if label in dict(rings) else {})
        )
    return rows


def ring_levels(lead: Lead) -> list[tuple[str, np.ndarray]]:
    """Every level with several segments that has a label, and its even cathodic split.

    The split is even in current (a current-controlled ring mode); leads without level
    labels (Boston Scientific's) have no ring row.
    """
    out = []
    for level in range(lead.n_levels):
        idx = lead.level_contacts(level)
        if len(idx) < 2 or level >= len(lead.level_labels):
            continue
        unit = np.zeros(len(lead.contacts))
        unit[idx] = -1.0 / len(idx)
        out.append((lead.level_labels[level], unit))
    return out


Curves = tuple[np.ndarray, dict[str, tuple[np.ndarray, str]]]


def _curves(
    patient: VirtualPatient, side: str, acts: dict[str, np.ndarray], frequency_hz: float
) -> Curves:
    """Points relieved and each side effect's severity per amplitude, from activations."""
    eff = compute_points_relieved(
        patient, side, acts, frequency_hz, components={patient.scenario.index_component}
    )
    ses: dict[str, tuple[np.ndarray, str]] = {}
    for se in patient.atlas.side_effects:
        gain = frequency_gain(se.frequency_curve, frequency_hz)
        sev = np.array(
            [
                side_effect_severity(a, se.onset_fraction, se.full_at_fraction, gain)
                for a in acts[se.structure]
            ]
        )
        ses[se.id] = (sev, se.onset)
    return eff, ses
