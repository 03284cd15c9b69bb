"""Scores of a finished session and the debrief that reveals the hidden truth (DESIGN §4).

Four scores, each 0–100 with a plain-language explanation:

- outcome: the trainee's final program against the expert's, both noise-free
  at six months;
- safety: side effects left on, charge-density violations, unsafe amplitude jumps and
  high starts, each listed with its step;
- efficiency: clinic time and number of actions per contact reviewed, scaled by the share
  of the contacts reviewed (a thorough review done briskly);
- process: contacts reviewed, thresholds recorded, and (dystonia) waiting
  long enough before judging the benefit.
"""

from __future__ import annotations

import copy
import weakref
from functools import lru_cache
from typing import Any

from dbssim.patient.evaluation import evaluate_program
from dbssim.patient.expert import HORIZON_S, find_expert_program
from dbssim.patient.review import compute_review
from dbssim.patient.side_effects import PERCEPTIBLE_SEVERITY
from dbssim.patient.virtual_patient import VirtualPatient
from dbssim.physics.program import Program, parse_contacts
from dbssim.session.attribution import lead_of_body_side
from dbssim.session.engine import Session, SessionError
from dbssim.session.log import ExamEntry, ThresholdEntry, entries_of
from dbssim.session.safety_steps import (
    PENALTY_SIDE_EFFECT,
    SAFE_STEP_MA,
    START_MAX_MA,
    Deduction,
    step_deductions,
)

# Efficiency: a thorough monopolar review takes about this much per contact: ~4 amplitude
# steps of set + targeted exam + question (teaching values).
REFERENCE_MINUTES_PER_CONTACT = 20.0
REFERENCE_ACTIONS_PER_CONTACT = 14.0
# Dystonia responds over days to weeks (DESIGN §3): judge after a week at least.
DYSTONIA_MIN_WAIT_DAYS = 7
# Process weights (teaching values): review, thresholds, waiting (dystonia only).
PROCESS_WEIGHTS_DYSTONIA = (0.4, 0.3, 0.3)
PROCESS_WEIGHTS_OTHER = (0.55, 0.45, 0.0)
EXPERT_CACHE_PATIENTS = 64  # a class on random draws: one patient per trainee


def _score(value: float) -> float:
    return round(min(100.0, max(0.0, value)), 1)


def score_outcome(trainee: dict[str, Any], expert: dict[str, Any]) -> dict[str, Any]:
    """Trainee's six-month improvement as a share of the expert's."""
    mine, best = trainee["improvement_pct"], expert["improvement_pct"]
    score = 100.0 * mine / best if best > 0 else (100.0 if mine >= best else 0.0)
    text = (
        f"At six months your final program improves the {trainee['scale'].upper()} score by "
        f"{mine:g} %; the expert program reaches {best:g} %."
    )
    if mine <= 0:
        text += " Your final program brings no benefit (is stimulation switched on?)."
    return {"score": _score(score), "explanation": text, "trainee_pct": mine, "expert_pct": best}


def score_safety(session: Session, trainee: dict[str, Any]) -> dict[str, Any]:
    """Points off for side effects left on, density violations, jumps and high starts.

    ``deductions`` lists every one with the step it came from (see
    :mod:`dbssim.session.safety_steps` for the rule).
    """
    leads = {side: model.lead for side, model in session.patient.sides.items()}
    deductions = step_deductions(session.walk(), leads)
    left_on = [se for se in trainee["side_effects"] if se["severity"] >= PERCEPTIBLE_SEVERITY]
    words = session.patient.atlas.effect_names()
    last = session.entries[-1] if session.entries else None
    for se in left_on:
        lead = lead_of_body_side(se["body_side"]) or se["body_side"]
        deductions.append(
            Deduction(
                "side_effect_left_on", PENALTY_SIDE_EFFECT,
                step=last.index if last else 0, day=last.day if last else 0,
                minute=round(last.minute, 1) if last else 0.0, side=lead,
                what=f"final program: {words.get(se['name'], se['name'])} from the {lead} lead "
                f"({se['body_side']} body, severity {se['severity']:g})",
                why="the final program leaves a side effect the patient must not keep",
            )
        )  # fmt: skip
    violations = sum(d.kind == "density" for d in deductions)
    jumps = sum(d.kind in ("jump", "high_start") for d in deductions)
    score = 100 - sum(d.points for d in deductions)
    sides = list(session.patient.sides)
    stimulated = any(step.delivered_current_ma(s) > 0 for step in session.walk() for s in sides)
    parts = []
    if left_on:
        names = ", ".join(
            f"{words.get(se['name'], se['name'])} "
            f"({lead_of_body_side(se['body_side']) or se['body_side']} lead, "
            f"{se['severity']:g})"
            for se in left_on
        )
        parts.append(f"Your final program leaves side effects on: {names}.")
    if violations:
        parts.append(
            f"Stimulation ran over the charge-density limit {violations} time(s): "
            "tissue damage becomes possible above it."
        )
    if jumps:
        steps = ", ".join(str(d.step) for d in deductions if d.kind in ("jump", "high_start"))
        parts.append(
            f"{jumps} amplitude change(s) were unsafe (steps {steps}): a rise of more than "
            f"{SAFE_STEP_MA:g} mA at once on the same contacts, or a new contact started above "
            f"{START_MAX_MA:g} mA, while stimulating."
        )
    text = " ".join(parts) or (
        "No side effect left on, the charge density stayed within the limit and "
        "amplitude changes while stimulating were small."
    )
    if not stimulated:  # issue 12: finishing at once is not safe programming
        score = 0
        text = (
            "No current was ever delivered: safety is credited for stimulating with care, "
            "and this session did not stimulate."
        )
    return {
        "score": _score(score),
        "explanation": text,
        "side_effects_left_on": [se["name"] for se in left_on],
        "density_violations": violations,
        "unsafe_jumps": jumps,
        "deductions": [d.to_dict() for d in deductions],
    }


def _n_contacts(session: Session) -> int:
    return sum(len(m.lead.contacts) for m in session.patient.sides.values())


def score_efficiency(session: Session) -> dict[str, Any]:
    """A thorough review done briskly: pace per contact reviewed, scaled by coverage.

    The pace compares clinic time and actions with a thorough review of as many contacts
    (``REFERENCE_*_PER_CONTACT``); the coverage is the share of the implanted contacts
    that were examined while stimulating them. Reviewing one contact quickly is brisk but
    not efficient: it leaves the rest of the review to another visit. A session that
    reviews no contact earns nothing, however short it was.
    """
    reviewed = len(reviewed_contacts(session))
    total = _n_contacts(session)
    minutes = session.clinic_minutes
    steps = len(session.entries)
    if reviewed == 0:
        return {
            "score": 0.0,
            "explanation": "No contact was examined while stimulating it, so there is no review "
            "whose pace could be credited.",
            "clinic_minutes": round(minutes, 1),
            "actions": steps,
        }
    ref_minutes = REFERENCE_MINUTES_PER_CONTACT * reviewed
    ref_steps = REFERENCE_ACTIONS_PER_CONTACT * reviewed
    time_part = min(1.0, ref_minutes / minutes) if minutes > 0 else 1.0
    step_part = min(1.0, ref_steps / steps) if steps > 0 else 1.0
    pace = 50 * (time_part + step_part)
    coverage = min(1.0, reviewed / total)
    text = (
        f"You used {minutes:.0f} minutes of clinic time and {steps} actions for {reviewed} "
        f"contact(s) reviewed; a thorough review takes about {ref_minutes:.0f} minutes and "
        f"{ref_steps:.0f} actions for as many contacts (pace {_score(pace):g}/100). "
        f"Efficiency is a thorough review done briskly: the pace counts in proportion to the "
        f"contacts reviewed, {reviewed} of {total}."
    )
    return {
        "score": _score(pace * coverage),
        "explanation": text,
        "clinic_minutes": round(minutes, 1),
        "actions": steps,
    }


def reviewed_contacts(session: Session) -> set[tuple[str, int]]:
    """(side, contact index) pairs that were cathodes during an exam while stimulating."""
    seen: set[tuple[str, int]] = set()
    for step in session.walk():
        if not isinstance(step.entry, ExamEntry) or not step.stimulation_on:
            continue
        for side, setting in step.settings.items():
            lead = session.patient.sides[side].lead
            terms = parse_contacts(setting.contacts, lead)
            seen |= {(side, t.index) for t in terms if t.polarity < 0}
    return seen


def score_process(session: Session) -> dict[str, Any]:
    """Systematic review, thresholds recorded, and waiting before judging dystonia."""
    n = _n_contacts(session)
    reviewed = reviewed_contacts(session)
    with_threshold = {(t.side, t.contact) for t in entries_of(session.entries, ThresholdEntry)}
    dystonia = session.patient.scenario.disease == "dystonia"
    waited = session.day >= DYSTONIA_MIN_WAIT_DAYS
    w_review, w_thresholds, w_wait = PROCESS_WEIGHTS_DYSTONIA if dystonia else PROCESS_WEIGHTS_OTHER
    score = 100 * (
        w_review * min(1.0, len(reviewed) / n)
        + w_thresholds * min(1.0, len(with_threshold) / n)
        + w_wait * (1.0 if waited else 0.0)
    )
    text = (
        f"You examined the patient while stimulating {len(reviewed)} of {n} contacts and "
        f"recorded thresholds on {len(with_threshold)} of them."
    )
    if dystonia and waited:
        text += f" You judged the dystonia on day {session.day}, after letting it respond."
    elif dystonia:
        text += (
            f" You judged dystonia on day {session.day}: dystonia improves over days to "
            f"weeks, so schedule a visit at least {DYSTONIA_MIN_WAIT_DAYS} days later "
            "before judging the benefit."
        )
    return {
        "score": _score(score),
        "explanation": text,
        "contacts_reviewed": len(reviewed),
        "contacts_with_thresholds": len(with_threshold),
        "contacts_total": n,
        "waited_days": session.day,
    }


class _PatientKey:
    """A patient, hashed and compared by its hidden truth (the scenario it was built from).

    For a random patient that scenario holds the drawn values, so the key is the scenario
    and the patient seed in effect; for a fixed patient the seed changes only rater noise.
    """

    def __init__(self, patient: VirtualPatient):
        self._patient = weakref.ref(patient)  # the cache keeps the answer, not the patient
        self.truth = patient.scenario.model_dump_json()

    @property
    def patient(self) -> VirtualPatient:
        patient = self._patient()
        assert patient is not None, "only a key just made is searched"
        return patient

    def __hash__(self) -> int:
        return hash(self.truth)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _PatientKey) and other.truth == self.truth


@lru_cache(maxsize=EXPERT_CACHE_PATIENTS)
def _expert(key: _PatientKey) -> tuple[Program, dict[str, Any]]:
    """The expert program of a patient and its outcome: searched once per patient."""
    program = find_expert_program(key.patient)
    return program, evaluate_program(key.patient, program, HORIZON_S)


@lru_cache(maxsize=EXPERT_CACHE_PATIENTS)
def _review(key: _PatientKey) -> dict[str, list[dict[str, Any]]]:
    """The noise-free monopolar review of every side: computed once per patient."""
    return {side: compute_review(key.patient, side) for side in key.patient.sides}


def true_review(patient: VirtualPatient) -> dict[str, list[dict[str, Any]]]:
    """The true monopolar review of each side (cached per patient; a fresh copy)."""
    return copy.deepcopy(_review(_PatientKey(patient)))


def expert_plan(patient: VirtualPatient) -> tuple[Program, dict[str, Any]]:
    """The expert program and its six-month outcome (cached per patient; a fresh copy)."""
    program, outcome = _expert(_PatientKey(patient))
    return program, copy.deepcopy(outcome)


def _outcomes(session: Session) -> tuple[Program, dict[str, Any], dict[str, Any]]:
    patient = session.patient
    expert_program, expert = expert_plan(patient)
    trainee = evaluate_program(patient, session.final_program(), HORIZON_S)
    return expert_program, expert, trainee


def _scores(session: Session, expert: dict[str, Any], trainee: dict[str, Any]) -> dict[str, Any]:
    return {
        "outcome": score_outcome(trainee, expert),
        "safety": score_safety(session, trainee),
        "efficiency": score_efficiency(session),
        "process": score_process(session),
    }


def score_session(session: Session) -> dict[str, Any]:
    """Four scores 0–100 (outcome, safety, efficiency, process), each with an explanation.

    The final program is what is being delivered when the session is scored:
    with stimulation off, that is no stimulation at all.
    """
    _, expert, trainee = _outcomes(session)
    return _scores(session, expert, trainee)


def debrief(session: Session) -> dict[str, Any]:
    """The hidden truth after a finished session: expert program, outcomes, scores, review.

    Raises
    ------
    SessionError
        With ``field="finish"`` while the session is not finished.
    """
    if not session.finished:
        raise SessionError(
            "finish",
            "the debrief opens once the session is finished; apply {'action': 'finish'} first",
        )
    expert_program, expert, trainee = _outcomes(session)
    return {
        "expert_program": expert_program.model_dump(exclude_none=True),
        "expert_outcome": expert,
        "trainee_program": session.final_program().model_dump(exclude_none=True),
        "trainee_outcome": trainee,
        "scores": _scores(session, expert, trainee),
        "review": true_review(session.patient),
    }
