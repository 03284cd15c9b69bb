"""Observation: what a trainee sees and hears — noisy integer scores and the patient's words.

The noise-free truth is a separate call (``true_exam``), used only for
scoring, the debrief and the ground-truth CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from dbssim.patient.time_course import PatientState, current_side_effects, observed_item_scores
from dbssim.patient.virtual_patient import VirtualPatient
from dbssim.validation import load_yaml

# How much the total must change before the patient says so (teaching values).
MUCH_BETTER_FRACTION = 0.35
BETTER_FRACTION = 0.10
WORSE_FRACTION = 0.05


@dataclass(frozen=True)
class Finding:
    """A sign the examiner sees, and the body side it shows on.

    ``body_side`` is what the examiner can tell: ``left`` or ``right`` when the sign
    shows on one side of the body (a hand cramps), ``none`` when it shows no side
    (slurred speech), so it cannot be put down to one lead by looking.
    """

    sign: str
    body_side: str


@dataclass(frozen=True)
class ExamResult:
    """An examination: item scores (as a rater gives them), total and the findings seen."""

    items: dict[str, float]
    total: float
    findings: tuple[Finding, ...]

    @property
    def signs(self) -> list[str]:
        """The findings' signs, most severe first."""
        return [f.sign for f in self.findings]


@cache
def _phrases() -> dict[str, str]:
    text = (resources.files("dbssim") / "data" / "phrases.yaml").read_text(encoding="utf-8")
    data = load_yaml(text)
    return {str(k): str(v) for k, v in data.items()}


def _nearest(value: float, allowed: list[float]) -> float:
    arr = np.asarray(allowed)
    return float(arr[np.argmin(np.abs(arr - value))])


def _findings(patient: VirtualPatient, state: PatientState) -> tuple[Finding, ...]:
    """Side effects present now as findings; a sign shows a side when its text names it."""
    lateral = {se.id: "{side}" in se.sign for se in patient.atlas.side_effects}
    return tuple(
        Finding(r.sign, r.body_side if lateral[r.name] else "none")
        for r in current_side_effects(patient, state)
    )


def true_exam(patient: VirtualPatient, state: PatientState) -> ExamResult:
    """Examine without rater noise: the hidden truth used for scoring and the debrief.

    Parameters
    ----------
    patient : VirtualPatient
        The patient.
    state : PatientState
        Current state.

    Returns
    -------
    ExamResult
        Continuous item scores (not rounded to allowed scores), their total and the
        findings seen now.
    """
    items = observed_item_scores(patient, state)
    return ExamResult(items, sum(items.values()), _findings(patient, state))


def examine(patient: VirtualPatient, state: PatientState, rng: np.random.Generator) -> ExamResult:
    """Examine as a rater does: each item with noise, rounded to a score the scale allows.

    Parameters
    ----------
    patient : VirtualPatient
        The patient.
    state : PatientState
        Current state.
    rng : numpy.random.Generator
        Source of rater noise: one normal draw per item in scale order, drawn even
        where it is not used, so the stream stays aligned whatever the true scores are.

    Returns
    -------
    ExamResult
        Item scores as a rater gives them, their total and the findings seen now.

    Notes
    -----
    ``score = nearest_allowed(clip(true + ε, 0, max))`` with ε ~ N(0, σ_i²) where the
    true score is above zero, ε = 0 where it is zero: a rater does not find a sign in a
    region that has none. σ_i (`Scale.item_noise_sd`) is derived from the scale's
    published reliability, so the noise of the total is about the published standard
    error of measurement.
    """
    truth = observed_item_scores(patient, state)
    scale = patient.scale
    items = {}
    for item in scale.items:
        # A rater does not find dystonia in a region that has none: noise only where the
        # true score is above zero (the draw is made either way, so streams stay aligned).
        draw = rng.normal(0.0, scale.item_noise_sd(item.id))
        noisy = truth[item.id] + (draw if truth[item.id] > 0 else 0.0)
        items[item.id] = _nearest(float(np.clip(noisy, 0, item.max_score)), item.scores())
    return ExamResult(items, sum(items.values()), _findings(patient, state))


def ask_patient(patient: VirtualPatient, state: PatientState) -> list[str]:
    """Ask the patient how they feel.

    Parameters
    ----------
    patient : VirtualPatient
        The patient.
    state : PatientState
        Current state.

    Returns
    -------
    list of str
        The patient's words for each perceptible side effect, most severe first; with
        none, one sentence on how they feel compared with baseline: much better (over
        35 % lower total), better (over 10 %), worse (over 5 % higher) or no change
        (teaching thresholds).
    """
    reports = []
    for reading in current_side_effects(patient, state):
        if reading.report not in reports:
            reports.append(reading.report)
    if reports:
        return reports
    items = patient.score_items(state.relief, state.medication_level)
    base = sum(patient.baseline.values())
    change = (base - sum(items.values())) / base if base > 0 else 0.0
    phrases = _phrases()
    if change > MUCH_BETTER_FRACTION:
        return [phrases["feels_much_better"]]
    if change > BETTER_FRACTION:
        return [phrases["feels_better"]]
    if change < -WORSE_FRACTION:
        return [phrases["feels_worse"]]
    return [phrases["nothing_new"]]
