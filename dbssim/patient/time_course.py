"""The patient over time: effects approach their targets with onset and washout kinetics."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from dbssim.patient.response import (
    COMPONENTS,
    LEVODOPA_TAU_OFF_S,
    LEVODOPA_TAU_ON_S,
    PERCEPTIBLE_SEVERITY,
    SIDE_EFFECT_TAU_OFF_S,
    SIDE_EFFECT_TAU_S,
    habituated_severity,
    relax,
)
from dbssim.patient.virtual_patient import SideEffectReading, VirtualPatient
from dbssim.physics.program import Setting


@dataclass(frozen=True)
class PatientState:
    """Current relief per (item, component), side-effect level per (hemisphere, id),
    and seconds since each hemisphere's setting last changed (for habituation)."""

    relief: dict[tuple[str, str], float] = field(default_factory=dict)
    side_effects: dict[tuple[str, str], float] = field(default_factory=dict)
    since_change_s: dict[str, float] = field(default_factory=dict)
    medication_on: bool = False  # PD: levodopa taken (the target of medication_level)
    medication_level: float = 0.0  # current levodopa relief, 0 to the scenario's response


def advance(
    patient: VirtualPatient, state: PatientState, settings: dict[str, Setting], dt_s: float
) -> PatientState:
    """State after ``dt_s`` seconds under constant settings (sides absent are off)."""
    activations = patient.compute_activations(settings)
    relief_t = patient.relief_targets(activations, settings)
    med_target = (patient.scenario.levodopa_response or 0.0) if state.medication_on else 0.0
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
    return PatientState(relief, side_effects, since, state.medication_on, med)


def mark_setting_change(state: PatientState, hemisphere: str) -> PatientState:
    """Restart the habituation clock of one hemisphere after its setting changed."""
    since = dict(state.since_change_s)
    since[hemisphere] = 0.0
    return replace(state, since_change_s=since)


def set_medication(state: PatientState, on: bool) -> PatientState:
    """Levodopa taken (on) or withheld (off); its effect then builds or wears off."""
    return replace(state, medication_on=on)


def steady_state(patient: VirtualPatient, settings: dict[str, Setting]) -> PatientState:
    """The state reached after a very long time on constant settings."""
    activations = patient.compute_activations(settings)
    long = {h: 1e9 for h in patient.sides}
    return PatientState(
        patient.relief_targets(activations, settings),
        patient.side_effect_targets(activations, settings),
        long,
    )


def current_side_effects(patient: VirtualPatient, state: PatientState) -> list[SideEffectReading]:
    """Side effects present now (severity > 0), habituation applied, most severe first."""
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
