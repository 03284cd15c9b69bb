"""Noise-free monopolar review: efficacy and side-effect thresholds per contact."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dbssim.errors import InputError
from dbssim.patient.response import COMPONENTS, MINUTE_S, component_relief
from dbssim.patient.side_effects import PERCEPTIBLE_SEVERITY, side_effect_level
from dbssim.patient.virtual_patient import BODY_SIDE_OF_LEAD, VirtualPatient
from dbssim.physics.leads import Lead

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
    """Compute the score points one side relieves at each amplitude (noise-free).

    Counts the items that side treats (the opposite body side in full, midline items by
    half), the given components only (all by default), at steady state or ``after_s``
    seconds after switching on. Negative where low frequencies worsen a component.

    Parameters
    ----------
    patient : VirtualPatient
        The patient.
    side : str
        Implanted hemisphere, ``"left"`` or ``"right"``.
    acts : dict of str to numpy.ndarray
        Structure id to its activated fraction 0–1 per amplitude, shape (A,).
    frequency_hz : float
        Pulse rate, Hz, > 0.
    components : set of str, optional
        Symptom components to count (e.g. the scenario's index component); all by
        default.
    after_s : float, optional
        Time since switching on, s, ≥ 0; None (default) for the steady state.

    Returns
    -------
    numpy.ndarray, shape (A,)
        Score points relieved, in the scale's units; each item's relief is capped at its
        baseline.

    Notes
    -----
    ``points = Σ_items w · baseline · min(1, Σ_components share · relief)``, with
    ``w = 0.5`` for midline items, ``relief`` the rule of
    `dbssim.patient.response.component_relief` and, at ``after_s``, the onset factor
    ``1 - exp(-after_s / τ_on)``.
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
    """Run a noise-free monopolar review of one side: the ``dbssim review`` answer.

    One row per contact of that side's lead, then one row per whole level of a directional
    lead in ring mode (``"mode": "ring"``, contact = the level's label, e.g. ``2``), so
    ring and segment windows compare side by side.

    ``efficacy_threshold_ma`` and ``window_ma`` are the long-term expectation (steady state);
    ``acute_efficacy_threshold_ma`` and ``acute_window_ma`` are what an examination during the
    review could see, :data:`ACUTE_REVIEW_S` after switching on (null: no benefit visible
    then, e.g. dystonia whose benefit builds over days to months).

    Parameters
    ----------
    patient : VirtualPatient
        The patient.
    side : str
        Implanted hemisphere, ``"left"`` or ``"right"``.
    pulse_width_us : float
        Pulse width, µs, within the device range; default 60 µs.
    frequency_hz : float
        Pulse rate, Hz, within the device range; default 130 Hz.

    Returns
    -------
    list of dict of str to Any
        One row per contact (DESIGN §6), amplitudes in mA in 0.1 mA steps up to the
        device maximum: the efficacy threshold (first amplitude reaching 80 % of the
        best relief of the index component on that side), the lowest threshold of an
        acute side effect (severity 1) and which, the window between them, every side
        effect's threshold, and the acute efficacy threshold and window. None where a
        threshold is not reached.

    Raises
    ------
    dbssim.errors.InputError
        If the patient has no lead on ``side``, or the pulse width or frequency is
        outside the device range.
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
    best = max(float(eff.max()) for _, (eff, _, _) in per_contact)
    rows = []
    for label, (eff, acute_eff, ses) in per_contact + rings:
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
            | ({"mode": "ring"} if label in dict(rings) else {})
        )
    return rows


def ring_levels(lead: Lead) -> list[tuple[str, np.ndarray]]:
    """List every level with several segments that has a label, and its even cathodic split.

    The split is even in current (a current-controlled ring mode); leads without level
    labels (Boston Scientific's) have no ring row.

    Parameters
    ----------
    lead : Lead
        The lead model.

    Returns
    -------
    list of tuple of (str, numpy.ndarray)
        Level label and unit currents per contact (−1 mA shared evenly over the level's
        segments).
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


Curves = tuple[np.ndarray, np.ndarray, dict[str, tuple[np.ndarray, str]]]


def _curves(
    patient: VirtualPatient, side: str, acts: dict[str, np.ndarray], frequency_hz: float
) -> Curves:
    """Points relieved (steady state and acute) and each side effect's severity per amplitude.

    Parameters
    ----------
    patient : VirtualPatient
        The patient.
    side : str
        Implanted hemisphere, ``"left"`` or ``"right"``.
    acts : dict of str to numpy.ndarray
        Structure id → activated fraction (0–1) per amplitude step.
    frequency_hz : float
        Pulse rate, Hz.

    Returns
    -------
    tuple
        Steady-state points relieved of the index component, the same
        :data:`ACUTE_REVIEW_S` after switching on, and side-effect id → (severity per
        amplitude, onset kind).
    """
    index = {patient.scenario.index_component}
    eff = compute_points_relieved(patient, side, acts, frequency_hz, components=index)
    acute = compute_points_relieved(
        patient, side, acts, frequency_hz, components=index, after_s=ACUTE_REVIEW_S
    )
    ses: dict[str, tuple[np.ndarray, str]] = {}
    for se in patient.atlas.side_effects:
        ses[se.id] = (side_effect_level(se, acts[se.structure], frequency_hz), se.onset)
    return eff, acute, ses
