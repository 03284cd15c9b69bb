"""Side-effect rules: severity, the perceptible level, grading, the patient's words, habituation.

One home for each rule; the patient, the review, the expert and the scorer all call these.
"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources

import numpy as np
import yaml

from dbssim.patient.anatomy import SideEffectSpec
from dbssim.patient.response import DAY_S, MINUTE_S, frequency_gain


def side_effect_severity(
    activated_fraction: float | np.ndarray,
    onset_fraction: float,
    full_at_fraction: float,
    gain: float,
) -> np.ndarray:
    """Compute the steady-state severity of a side effect from its substrate's activation.

    The one rule used by the patient, the review and the expert: severity rises
    linearly from 0 at ``onset_fraction`` of the substrate (scaled by ``gain``) to
    4 at ``full_at_fraction``. Accepts a number or an array of activations.

    Parameters
    ----------
    activated_fraction : float or numpy.ndarray
        Activated fraction of the side effect's substrate, 0–1.
    onset_fraction : float
        Effective fraction at which the effect begins (severity 0), 0–1.
    full_at_fraction : float
        Effective fraction at which it is maximal (severity 4); > ``onset_fraction``.
    gain : float
        Multiplies the activation first (frequency and medication gains), > 0.

    Returns
    -------
    numpy.ndarray
        Severity 0–4 (1 = perceptible, `PERCEPTIBLE_SEVERITY`), the shape of
        ``activated_fraction``.

    Notes
    -----
    ``severity = 4 · clip((a · gain - onset) / (full - onset), 0, 1)``.
    """
    x = (np.asarray(activated_fraction) * gain - onset_fraction) / (
        full_at_fraction - onset_fraction
    )
    return np.asarray(4.0 * np.clip(x, 0.0, 1.0))


def side_effect_level(
    spec: SideEffectSpec,
    activated_fraction: float | np.ndarray,
    frequency_hz: float,
    medication_level: float = 0.0,
) -> np.ndarray:
    """Compute the steady-state severity of one atlas side effect.

    Parameters
    ----------
    spec : SideEffectSpec
        The side effect: substrate onset and full fractions, frequency curve, medication gain.
    activated_fraction : float or ndarray
        Activated fraction of its substrate (one value or one per amplitude).
    frequency_hz : float
        Stimulation frequency, Hz, > 0.
    medication_level : float
        Current levodopa effect, ≥ 0: 0 off medication, up to the scenario's levodopa
        response when fully on.

    Returns
    -------
    ndarray
        Severity 0–4, the shape of ``activated_fraction``.

    Notes
    -----
    `side_effect_severity` with ``gain = frequency_gain(curve, f) ·
    (1 + medication_gain · medication_level)``: levodopa can make dyskinesia easier
    to provoke.
    """
    gain = frequency_gain(spec.frequency_curve, frequency_hz)
    gain *= 1.0 + spec.medication_gain * medication_level
    return side_effect_severity(
        activated_fraction, spec.onset_fraction, spec.full_at_fraction, gain
    )


# A side effect is seen and reported from severity 1: the same level defines the
# side-effect threshold of a monopolar review (DESIGN §6), the limit the expert respects
# and the severity the scorer penalises if left on, so what a trainee observes, the
# debrief's true thresholds and the score agree. Teaching value, not from literature.
PERCEPTIBLE_SEVERITY = 1.0


# Side-effect time courses: immediate (seconds), minutes, chronic (weeks): teaching values.
SIDE_EFFECT_TAU_S = {"immediate": 2.0, "minutes": 5 * MINUTE_S, "chronic": 14 * DAY_S}
SIDE_EFFECT_TAU_OFF_S = {"immediate": 2.0, "minutes": 10 * MINUTE_S, "chronic": 7 * DAY_S}
# Words for a side effect's strength: the 0–4 anchors of the MDS-UPDRS (1 slight, 2 mild,
# 3 moderate, 4 severe; Goetz et al. 2008, Mov Disord 23:2129), applied to the severity from
# the perceptible level up, so a patient 2 mA above a threshold is not described like one
# just at it. The cut-offs 1.75, 2.5 and 3.5 are teaching values, not from literature.
SEVERITY_GRADES = ((3.5, "severe"), (2.5, "moderate"), (1.75, "mild"), (0.0, "slight"))


def severity_grade(severity: float) -> str:
    """Name the strength of a side effect with an MDS-UPDRS anchor word.

    Parameters
    ----------
    severity : float
        Side-effect severity, 0–4.

    Returns
    -------
    str
        ``"slight"`` (below 1.75), ``"mild"`` (from 1.75), ``"moderate"`` (from 2.5)
        or ``"severe"`` (from 3.5); the cut-offs are teaching values.

    References
    ----------
    Goetz CG et al. 2008, Mov Disord 23:2129 (MDS-UPDRS: 1 slight, 2 mild, 3 moderate,
    4 severe).
    """
    return next(word for lower, word in SEVERITY_GRADES if severity >= lower)


@cache
def _grade_phrases() -> dict[str, str]:
    text = (resources.files("dbssim") / "data" / "phrases.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {k.removeprefix("grade_"): str(v) for k, v in data.items() if k.startswith("grade_")}


def graded_report(says: str, grade: str) -> str:
    """Word a side effect as the patient says it, with how strong it feels.

    Parameters
    ----------
    says : str
        The patient's words for the side effect (from the atlas).
    grade : str
        Strength from `severity_grade`; a grade whose phrase in ``data/phrases.yaml``
        is empty (``mild``) adds nothing.

    Returns
    -------
    str
        The words followed by the grade's phrase, e.g. "It's quite strong." for
        ``moderate``.
    """
    extra = _grade_phrases().get(grade, "")
    return f"{says} {extra}" if extra else says


# Transient paresthesia at switch-on fades within seconds to minutes (no primary source found,
# unconfirmed): habituation time constant 40 s; what is left after habituation is nothing
# at the perceptible level, rising to the whole severity two steps above it (teaching values).
HABITUATION_TAU_S = 40.0
HABITUATION_FULL_RESIDUAL_STEPS = 2.0


def habituated_severity(severity: float | np.ndarray, since_change_s: float) -> np.ndarray:
    """Compute the severity of a habituating side effect some time after a change.

    Just above the perceptible level a transient effect fades completely; a
    strong one persists. ``since_change_s = inf`` gives the level after
    habituation, as a long time on the same setting shows it.

    Parameters
    ----------
    severity : float or numpy.ndarray
        Severity right after the change, 0–4.
    since_change_s : float
        Time since the setting changed, s, ≥ 0; ``math.inf`` for the habituated level.

    Returns
    -------
    numpy.ndarray
        Severity now, 0–4, the shape of ``severity``.

    Notes
    -----
    ``s(t) = s · (r + (1 - r) · exp(-t / τ))`` with τ = 40 s and the residual
    ``r = clip((s - 1) / 2, 0, 1)``: nothing stays at severity 1, all of it from
    severity 3 (teaching values).
    """
    residual = np.clip(
        (np.asarray(severity) - PERCEPTIBLE_SEVERITY) / HABITUATION_FULL_RESIDUAL_STEPS, 0.0, 1.0
    )
    fading = 0.0 if math.isinf(since_change_s) else math.exp(-since_change_s / HABITUATION_TAU_S)
    return np.asarray(severity * (residual + (1 - residual) * fading))
