"""The patient over time: effects approach their targets with onset and washout kinetics."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from dbssim.patient.response import (
    COMPONENTS,
    LEVODOPA_TAU_OFF_S,
    LEVODOPA_TAU_ON_S,
    levodopa_effect,
    relax,
)
from dbssim.patient.side_effects import (
    PERCEPTIBLE_SEVERITY,
    SIDE_EFFECT_TAU_OFF_S,
    SIDE_EFFECT_TAU_S,
    habituated_severity,
)
from dbssim.patient.virtual_patient import SideEffectReading, VirtualPatient
from dbssim.physics.program import Setting


@dataclass(frozen=True)
class PatientState:
    """What the patient feels now, as the time course carries it from step to step.

    Relief per (item, component) as a fraction of baseline, side-effect severity 0–4 per
    (hemisphere, side-effect id), and seconds since each hemisphere's setting last
    changed (for habituation).
    """

    relief: dict[tuple[str, str], float] = field(default_factory=dict)
    side_effects: dict[tuple[str, str], float] = field(default_factory=dict)
    since_change_s: dict[str, float] = field(default_factory=dict)
    medication_on: bool = False  # PD: levodopa taken (the target of medication_level)
    medication_level: float = 0.0  # current levodopa relief, 0 up to the dose's effect
    ledd_mg_day: float | None = None  # PD: daily dose prescribed (None: the pre-operative dose)


def medication_target(patient: VirtualPatient, state: PatientState) -> float:
    """Compute the levodopa effect the current medication state and dose lead to.

    Parameters
    ----------
    patient : VirtualPatient
        The patient (its scenario's levodopa response and pre-operative dose).
    state : PatientState
        Whether levodopa is taken and the daily dose prescribed.

    Returns
    -------
    float
        Fraction of the off score levodopa relieves once it has acted: 0 off medication;
        on medication the scenario's ``levodopa_response`` at the pre-operative dose, and
        `levodopa_effect` of the prescribed dose over the pre-operative one otherwise.
        A case without a pre-operative dose ignores the prescribed dose.
    """
    if not state.medication_on:
        return 0.0
    response = patient.scenario.levodopa_response or 0.0
    preop = patient.scenario.preop_ledd_mg_day
    if preop is None or state.ledd_mg_day is None:
        return response
    return levodopa_effect(response, state.ledd_mg_day / preop)


def advance(
    patient: VirtualPatient, state: PatientState, settings: dict[str, Setting], dt_s: float
) -> PatientState:
    """Advance the patient by one time step under constant settings.

    Every relief, side effect and the levodopa effect relaxes towards its steady-state
    target with its own onset or washout constant (`relax`), so a trainee who waits
    sees effects build and wear off at clinically plausible speeds.

    Parameters
    ----------
    patient : VirtualPatient
        The patient (anatomy, scale, lead placement).
    state : PatientState
        State at the start of the step.
    settings : dict of str to Setting
        Hemisphere (``"left"``/``"right"``) to its program; a hemisphere left out is off.
    dt_s : float
        Length of the step, s, ≥ 0.

    Returns
    -------
    PatientState
        State after ``dt_s`` seconds; habituation clocks advanced by ``dt_s``.
    """
    activations = patient.compute_activations(settings)
    relief_t = patient.relief_targets(activations, settings)
    med_target = medication_target(patient, state)
    med = relax(state.medication_level, med_target, dt_s, LEVODOPA_TAU_ON_S, LEVODOPA_TAU_OFF_S)
    se_t = patient.side_effect_targets(activations, settings, med)
    relief = {}
    for key, target in relief_t.items():
        comp = COMPONENTS[key[1]]
        tau_on_s = patient.onset_tau_s(key[1])
        relief[key] = relax(state.relief.get(key, 0.0), target, dt_s, tau_on_s, comp.tau_off_s)
    side_effects = {}
    onsets = {se.id: se.onset for se in patient.atlas.side_effects}
    for key in set(se_t) | set(state.side_effects):
        onset = onsets[key[1]]
        side_effects[key] = relax(
            state.side_effects.get(key, 0.0),
            se_t.get(key, 0.0),
            dt_s,
            SIDE_EFFECT_TAU_S[onset],
            SIDE_EFFECT_TAU_OFF_S[onset],
        )
    since = {h: state.since_change_s.get(h, 0.0) + dt_s for h in patient.sides}
    return PatientState(relief, side_effects, since, state.medication_on, med, state.ledd_mg_day)


def mark_setting_change(state: PatientState, hemisphere: str) -> PatientState:
    """Restart the habituation clock of one hemisphere after its setting changed.

    Parameters
    ----------
    state : PatientState
        State before the change.
    hemisphere : str
        ``"left"`` or ``"right"``.

    Returns
    -------
    PatientState
        The same state with that hemisphere's time since change set to 0 s.
    """
    since = dict(state.since_change_s)
    since[hemisphere] = 0.0
    return replace(state, since_change_s=since)


def set_medication(state: PatientState, on: bool, ledd_mg_day: float | None = None) -> PatientState:
    """Give or withhold levodopa, optionally at a new daily dose.

    The effect then builds or wears off in `advance`.

    Parameters
    ----------
    state : PatientState
        State before the dose decision.
    on : bool
        True: levodopa taken (medication on); False: withheld (off).
    ledd_mg_day : float or None
        The levodopa-equivalent daily dose prescribed from now on, mg/day, ≥ 0; None
        keeps the dose prescribed before (at first the pre-operative dose).

    Returns
    -------
    PatientState
        The same state with the medication target changed; the level itself moves only
        as time passes.
    """
    dose = state.ledd_mg_day if ledd_mg_day is None else ledd_mg_day
    return replace(state, medication_on=on, ledd_mg_day=dose)


def steady_state(patient: VirtualPatient, settings: dict[str, Setting]) -> PatientState:
    """Compute the state reached after a very long time on constant settings.

    Used for what a setting does in the end (evaluation, the expert), without
    simulating the weeks a tonic dystonia response takes.

    Parameters
    ----------
    patient : VirtualPatient
        The patient.
    settings : dict of str to Setting
        Hemisphere to its program; a hemisphere left out is off.

    Returns
    -------
    PatientState
        Every relief and side effect at its target, habituation complete, medication off.
    """
    activations = patient.compute_activations(settings)
    long = {h: 1e9 for h in patient.sides}
    return PatientState(
        patient.relief_targets(activations, settings),
        patient.side_effect_targets(activations, settings),
        long,
    )


def current_side_effects(patient: VirtualPatient, state: PatientState) -> list[SideEffectReading]:
    """List the side effects the patient perceives now.

    Parameters
    ----------
    patient : VirtualPatient
        The patient, for the atlas's side effects and how they are described.
    state : PatientState
        Current state.

    Returns
    -------
    list of SideEffectReading
        One reading per side effect and hemisphere at or above `PERCEPTIBLE_SEVERITY`
        (after habituation), most severe first.
    """
    out = []
    for se in patient.atlas.side_effects:
        for h in patient.sides:
            level = state.side_effects.get((h, se.id), 0.0)
            if se.habituates:
                level = float(habituated_severity(level, state.since_change_s.get(h, 1e9)))
            if level >= PERCEPTIBLE_SEVERITY:
                out.append(patient.side_effect_reading(h, se, level))
    return sorted(out, key=lambda r: -r.severity)


def observed_item_scores(patient: VirtualPatient, state: PatientState) -> dict[str, float]:
    """Item scores a rater sees: the disease after relief, plus what side effects add.

    A side effect that the scale's items rate (dysarthria in the BFMDRS speech item,
    a pulled mouth in the mouth item) raises that item in proportion to its severity,
    up to the atlas's ``raises_items`` points at severity 4; items are clipped to their
    range. The one rule used by exams, the patient's own judgement and ``evaluate``.

    Parameters
    ----------
    patient : VirtualPatient
        The patient, for the scale, the baseline scores and the atlas.
    state : PatientState
        Current state.

    Returns
    -------
    dict of str to float
        Item id to its true (noise-free) score, within ``0 .. max_score``.
    """
    scores = patient.score_items(state.relief, state.medication_level)
    maxima = {item.id: item.max_score for item in patient.scale.items}
    specs = {se.id: se for se in patient.atlas.side_effects}
    for reading in current_side_effects(patient, state):
        for template, points in specs[reading.name].raises_items.items():
            item_id = template.format(side=reading.body_side)
            if item_id in scores:
                raised = scores[item_id] + points * reading.severity / 4.0
                scores[item_id] = min(maxima[item_id], raised)
    return scores
