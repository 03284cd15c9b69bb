"""The expert program: a search of the settings space on the hidden truth (DESIGN §4).

Each implanted side is searched on its own: every single contact as a
monopolar cathode (case anode) and every whole level of a directional lead,
amplitudes in 0.1 mA steps within the device, a few pulse widths and
frequencies. The objective is the noise-free improvement six months after
switching on, counted over the items that side treats (contralateral items in
full, midline items by half, as the two leads share them). A setting is
allowed only if no side effect reaches severity 1 at steady state and the
charge density stays within the limit; among settings whose improvement is
within a small tolerance of the best, the one delivering the least energy
(TEED) wins.

Notes
-----
Superposition makes this fast: one unit solution per candidate contact
configuration serves every amplitude (``SideModel.activation_curves``).
Habituating side effects (transient paresthesia) are allowed when their
steady severity *after habituation* stays below 1; this mirrors how
``time_course.current_side_effects`` reports them after a long time on.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from dbssim.patient.response import DAY_S
from dbssim.patient.review import compute_points_relieved
from dbssim.patient.side_effects import PERCEPTIBLE_SEVERITY, habituated_severity, side_effect_level
from dbssim.patient.virtual_patient import SideModel, VirtualPatient
from dbssim.physics.program import Program, Setting
from dbssim.physics.safety import CHARGE_DENSITY_LIMIT_UC_CM2
from dbssim.physics.structure_stack import StackedStructures
from dbssim.units import charge_per_phase_uc, mm2_to_cm2

SEARCH_STEP_MA = 0.1  # brief: amplitudes in 0.1 mA steps, as the review (DESIGN §6)
SEARCH_PULSE_WIDTHS_US = (60.0, 90.0, 120.0)  # the widths used in clinical practice (teaching)
SEARCH_FREQUENCIES_HZ = (60.0, 130.0, 180.0)  # low, conventional and high (teaching value)
HORIZON_S = 182 * DAY_S  # DESIGN §4: chronic improvement at six months (26 weeks, as the UI)
# Improvements within half a percentage point of the best count as equal, and energy then
# decides: far below what a rater can tell apart (teaching value).
TIE_TOLERANCE_PCT = 0.5


@dataclass(frozen=True)
class Candidate:
    """One contact configuration: its specification and currents per mA of total current."""

    contacts: str
    unit_currents_ma: np.ndarray  # signed, negative on cathodes, cathodic sum = -1


@dataclass(frozen=True)
class SideChoice:
    """The best setting found for one side, with its objective and energy."""

    setting: Setting | None
    points_relieved: float
    teed_uw: float


def list_candidates(model: SideModel, amplitude_mode: str) -> list[Candidate]:
    """List the contact configurations the expert tries on one side.

    Every single contact, and every whole level that has several segments.
    In voltage mode a level's current divides by conductance, not evenly,
    so the unit currents come from the program model itself.

    Parameters
    ----------
    model : SideModel
        The implanted lead of that side.
    amplitude_mode : str
        ``"current"`` or ``"voltage"``, as the scenario's device is programmed.

    Returns
    -------
    list of Candidate
        Monopolar cathodic configurations (case anode), with currents per mA of
        total cathodic current.
    """
    lead = model.lead
    specs = [f"{label}-" for label in lead.labels]
    for level in range(lead.n_levels):
        idx = lead.level_contacts(level)
        if len(idx) < 2:
            continue
        if level < len(lead.level_labels):
            specs.append(f"{lead.level_labels[level]}-")
        else:  # no label for the whole level (e.g. Boston Scientific): name every segment
            specs.append(",".join(f"{lead.contacts[i].label}-" for i in idx))
    out = []
    for spec in specs:
        amp = {"amplitude_v": 1.0} if amplitude_mode == "voltage" else {"amplitude_ma": 1.0}
        currents = model.currents_ma(Setting(contacts=spec, **amp))
        total = -currents[currents < 0].sum()
        out.append(Candidate(spec, currents / total))
    return out


def project_candidate(structures: StackedStructures, candidate: Candidate) -> StackedStructures:
    """Project the stacked unit fields onto a candidate's current pattern.

    The result is a one-column 'lead' whose contact 0 at -1 mA is the
    candidate at 1 mA in total: ``activation_curves(0, ...)`` drives it.

    Parameters
    ----------
    structures : StackedStructures
        Unit fields of a side's structures (or a selection of them).
    candidate : Candidate
        The contact configuration.

    Returns
    -------
    StackedStructures
        The same structures with one "contact": the candidate.
    """
    basis = -candidate.unit_currents_ma[:, None]  # activation_curves drives column 0 at -1 mA
    return dataclasses.replace(
        structures,
        region_efield=structures.region_efield @ basis,
        tract_af=structures.tract_af @ basis,
    )


def compute_candidate_curves(
    model: SideModel,
    candidate: Candidate,
    amplitudes_ma: np.ndarray,
    pulse_width_us: float,
    projected: StackedStructures | None = None,
) -> dict[str, np.ndarray]:
    """Compute the activated fraction of every structure against amplitude for one candidate.

    ``projected`` (from ``project_candidate``) may be given to reuse one
    projection, or to restrict the curves to some structures; by default all
    of the side's structures are projected.

    Parameters
    ----------
    model : SideModel
        The implanted lead of that side.
    candidate : Candidate
        The contact configuration.
    amplitudes_ma : numpy.ndarray, shape (A,)
        Total cathodic currents, mA, ≥ 0.
    pulse_width_us : float
        Pulse width, µs, > 0.
    projected : StackedStructures, optional
        A projection from `project_candidate` to reuse.

    Returns
    -------
    dict of str to numpy.ndarray
        Structure id to its activated fraction 0–1 at each amplitude, shape (A,).
    """
    if projected is None:
        projected = project_candidate(model.structures, candidate)
    curves = projected.activation_curves(0, amplitudes_ma, pulse_width_us)
    return {sid: curves[:, k] for k, sid in enumerate(projected.ids)}


def compute_worst_side_effect(
    patient: VirtualPatient, acts: dict[str, np.ndarray], frequency_hz: float
) -> np.ndarray:
    """Compute the worst steady-state side effect at each amplitude, after habituation.

    Parameters
    ----------
    patient : VirtualPatient
        The patient, for the atlas's side effects.
    acts : dict of str to numpy.ndarray
        Structure id to its activated fraction 0–1 per amplitude (every side-effect
        structure must be present).
    frequency_hz : float
        Pulse rate, Hz, > 0.

    Returns
    -------
    numpy.ndarray
        Highest severity 0–4 over all side effects, one per amplitude; the expert keeps
        only amplitudes below 1 (perceptible).
    """
    worst = np.zeros_like(next(iter(acts.values())))
    for se in patient.atlas.side_effects:
        level = side_effect_level(se, acts[se.structure], frequency_hz)
        if se.habituates:  # what is left after habituation, as time_course reports it
            level = habituated_severity(level, math.inf)
        worst = np.maximum(worst, level)
    return worst


def _amplitude_limit_ma(
    patient: VirtualPatient, model: SideModel, candidate: Candidate, pulse_width_us: float
) -> float:
    """Highest total current the device and the charge-density limit allow."""
    device = patient.device
    share = np.abs(candidate.unit_currents_ma)
    active = share > 0
    areas_cm2 = np.array([mm2_to_cm2(c.area_mm2) for c in model.lead.contacts])
    density_per_ma = charge_per_phase_uc(1.0, pulse_width_us) * share / areas_cm2
    limits = [
        device.amplitude_max_ma,
        float(np.min(device.contact_max_ma / share[active])),
        float(np.min(CHARGE_DENSITY_LIMIT_UC_CM2 / density_per_ma[active])),
    ]
    if patient.scenario.amplitude_mode == "voltage":
        limits.append(device.amplitude_max_v * _ma_per_volt(model, candidate))
    return min(limits)


def _ma_per_volt(model: SideModel, candidate: Candidate) -> float:
    """Total current driven by 1 V through the candidate's contacts (voltage mode)."""
    currents = model.currents_ma(Setting(contacts=candidate.contacts, amplitude_v=1.0))
    return float(-currents[currents < 0].sum())


def search_side(patient: VirtualPatient, side: str) -> SideChoice:
    """Search the best setting for one side: most points relieved, then least energy.

    Parameters
    ----------
    patient : VirtualPatient
        The noise-free patient.
    side : str
        Implanted hemisphere, ``"left"`` or ``"right"``.

    Returns
    -------
    SideChoice
        The chosen setting (None if nothing relieves without a perceptible side effect),
        the points it relieves at six months and its TEED, µW.
    """
    model = patient.sides[side]
    mode = patient.scenario.amplitude_mode
    device = patient.device
    baseline_total = sum(patient.baseline.values())
    frequencies = [
        f for f in SEARCH_FREQUENCIES_HZ if device.frequency_min_hz <= f <= device.frequency_max_hz
    ]
    # Side effects first, at every amplitude; the other structures only where some
    # frequency is free of side effects. Each structure's numbers are those of the full
    # stack, so the choice is the same as scoring everything everywhere, at a fraction of
    # the work (the activation curves dominate the search).
    harmful = {se.structure for se in patient.atlas.side_effects}
    se_stack = model.structures.select([s for s in model.structures.ids if s in harmful])
    other_stack = model.structures.select([s for s in model.structures.ids if s not in harmful])
    rows: list[tuple[float, float, Candidate, float, float, float]] = []
    for candidate in list_candidates(model, mode):
        energy_per_ma2 = float(np.sum(candidate.unit_currents_ma**2 * model.impedances_ohm))
        se_projected = project_candidate(se_stack, candidate)
        other_projected = project_candidate(other_stack, candidate)
        for pw in SEARCH_PULSE_WIDTHS_US:
            if not device.pulse_width_min_us <= pw <= device.pulse_width_max_us:
                continue
            top = _amplitude_limit_ma(patient, model, candidate, pw)
            n_steps = math.floor(top / SEARCH_STEP_MA + 1e-9)
            amps = np.round(np.arange(1, n_steps + 1) * SEARCH_STEP_MA, 2)
            if amps.size == 0 or not frequencies:
                continue
            se_acts = compute_candidate_curves(model, candidate, amps, pw, se_projected)
            ok_at = {
                f: compute_worst_side_effect(patient, se_acts, f) < PERCEPTIBLE_SEVERITY
                for f in frequencies
            }
            keep = np.flatnonzero(np.logical_or.reduce(list(ok_at.values())))
            if keep.size == 0:
                continue
            acts = {sid: curve[keep] for sid, curve in se_acts.items()}
            acts |= compute_candidate_curves(model, candidate, amps[keep], pw, other_projected)
            kept_amps = amps[keep]
            for f in frequencies:
                ok = ok_at[f][keep]
                points = compute_points_relieved(patient, side, acts, f, after_s=HORIZON_S)
                teed = kept_amps**2 * energy_per_ma2 * f * pw * 1e-6
                for k in np.flatnonzero(ok & (points > 0)):
                    rows.append((float(points[k]), float(teed[k]), candidate, kept_amps[k], pw, f))
    if not rows:
        return SideChoice(None, 0.0, 0.0)
    best = max(r[0] for r in rows)
    tolerance = TIE_TOLERANCE_PCT / 100 * baseline_total
    tied = [r for r in rows if r[0] >= best - tolerance]
    best_points, best_teed, chosen, amp, pw, f = min(tied, key=lambda r: (r[1], -r[0]))
    setting = _express(patient, model, chosen, float(amp), pw, f)
    return SideChoice(setting, float(best_points), float(best_teed))


def _express(
    patient: VirtualPatient,
    model: SideModel,
    candidate: Candidate,
    amplitude_ma: float,
    pulse_width_us: float,
    frequency_hz: float,
) -> Setting:
    """Express a setting in the device's units: mA, or volts rounded down to the step.

    Rounding volts down keeps the current at or below the one the search
    found safe.
    """
    if patient.scenario.amplitude_mode == "current":
        return Setting(
            contacts=candidate.contacts,
            amplitude_ma=round(amplitude_ma, 2),
            pulse_width_us=pulse_width_us,
            frequency_hz=frequency_hz,
        )
    step = patient.device.amplitude_step_v
    volts = math.floor(amplitude_ma / _ma_per_volt(model, candidate) / step + 1e-9) * step
    return Setting(
        contacts=candidate.contacts,
        amplitude_v=round(max(volts, step), 2),
        pulse_width_us=pulse_width_us,
        frequency_hz=frequency_hz,
    )


def find_expert_program(patient: VirtualPatient) -> Program:
    """Find the expert's program for a patient, searched on the hidden truth.

    Parameters
    ----------
    patient : VirtualPatient
        The noise-free patient.

    Returns
    -------
    Program
        One setting per implanted side (a side where nothing helps without a
        side effect is left off).
    """
    sides = {side: search_side(patient, side).setting for side in patient.sides}
    return Program.model_validate({s: v.model_dump() for s, v in sides.items() if v is not None})
