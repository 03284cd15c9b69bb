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
    """Noise-free item scores (continuous) and signs: the hidden truth."""
    items = observed_item_scores(patient, state)
    return ExamResult(items, sum(items.values()), _findings(patient, state))


def examine(patient: VirtualPatient, state: PatientState, rng: np.random.Generator) -> ExamResult:
    """A rater's examination: each item rounded to a score the scale allows, with noise.

    Rater noise is Gaussian with the scale's ``rater_noise_sd`` per item.
    """
    truth = observed_item_scores(patient, state)
    sd = patient.scale.rater_noise_sd
    items = {}
    for item in patient.scale.items:
        # A rater does not find dystonia in a region that has none: noise only where the
        # true score is above zero (the draw is made either way, so streams stay aligned).
        draw = rng.normal(0.0, sd) if sd > 0 else 0.0
        noisy = truth[item.id] + (draw if truth[item.id] > 0 else 0.0)
        items[item.id] = _nearest(float(np.clip(noisy, 0, item.max_score)), item.scores())
    return ExamResult(items, sum(items.values()), _findings(patient, state))


def ask_patient(patient: VirtualPatient, state: PatientState) -> list[str]:
    """What the patient says: side effects first (most severe first), else how they feel."""
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
