"""Random patients: "a random patient like this one", drawn from published spreads.

A draw keeps the case (history, baseline scores, hardware) and varies what differs between
real patients with the same story: where the lead landed, how sensitive the fibres are, how
much the symptoms can improve and how fast. Every noise source has its own child stream of
the one generator (``Generator.spawn``), so adding a source never shifts another's draws.

The app, the session engine and the CLI's ``--random-patient SEED`` all call
:func:`draw_patient_for_seed`, so one seed means one patient everywhere.

Sources (see docs/science.md §2.5 for the table and what is a teaching value):

- Lead placement error: Bot et al. 2015, Stereotact Funct Neurosurg 93:316 (Leksell frame,
  116 leads).
- Spread of the maximal benefit and the share of dystonia patients with an acute response:
  the monopolar-review follow-up of a pallidal-stimulation trial cohort, Neurol Res Pract 2019
  (doi 10.1186/s42466-019-0032-2). The trial's 3-month result is not used here:
  Kupsch 2006 is a validation target.
"""

from __future__ import annotations

import math

import numpy as np

from dbssim.patient.anatomy import load_atlas
from dbssim.patient.response import COMPONENTS, MINUTE_S
from dbssim.patient.scales import load_scale
from dbssim.patient.scenario_schema import MAX_ONSET_TAU_S, Scenario

# A session's SeedSequence(seed) is split into this many child streams; the patient is drawn
# from PATIENT_STREAM, rater noise from the others (dbssim.session.engine).
SESSION_STREAMS = 2
PATIENT_STREAM = 0

_HALF_NORMAL_MEAN = math.sqrt(2.0 / math.pi)  # mean |X| / SD for a zero-mean normal X

# Placement error of frame-based DBS leads, per axis (x medial-lateral, y anterior-posterior,
# z dorsal-ventral): Bot et al. 2015, Stereotact Funct Neurosurg 93:316, Leksell frame, 116
# leads: absolute errors 1.4 ± 1.0, 1.2 ± 1.0 and 1.3 ± 0.9 mm, vector error 2.5 ± 1.2 mm.
# Modelled as a zero-mean normal per axis with SD = mean absolute error / sqrt(2/pi) [derived]:
# 1.75, 1.50, 1.63 mm. Check: the absolute values then have SD 1.06, 0.90, 0.98 mm and the
# vector error averages ~2.6 mm, close to the published 1.0, 1.0, 0.9 and 2.5 mm.
PLACEMENT_ERROR_SD_MM = (
    1.4 / _HALF_NORMAL_MEAN,
    1.2 / _HALF_NORMAL_MEAN,
    1.3 / _HALF_NORMAL_MEAN,
)

# Fibre and cell thresholds between patients: no published per-structure spread was found;
# most of the spread of clinical side-effect thresholds comes from where the lead sits, which
# PLACEMENT_ERROR_SD_MM carries. Coefficient of variation 0.1: teaching value, not from
# literature.
THRESHOLD_CV = 0.1

# Spread of the maximal benefit (multiplier of every component's relief), as a coefficient
# of variation of a log-normal with median 1.
# Dystonia: dystonia motor score improved by 73 ± 24 % at 3 years in hemispheres whose
# stimulated contact had shown an acute benefit (Neurol Res Pract 2019, 40 trial patients):
# CV = 24 / 73 = 0.33. Those patients had good leads, so this is mostly the spread of the
# patients' own responsiveness; it still holds some placement spread, so drawn patients vary
# somewhat more than real ones (said in docs/science.md).
# Parkinson's disease and essential tremor: no individual spread retrieved; CV 0.1 is a
# teaching value, not from literature.
RELIEF_CV = {"dystonia": 24 / 73, "parkinson": 0.1, "essential_tremor": 0.1}

# Dystonia with an acute response: in the monopolar review of the same trial cohort, 17 of
# the 80 implanted hemispheres (40 patients) had a contact with acute improvement of dystonia
# (Neurol Res Pract 2019); 17 / 80 = 0.21 [derived], used as the chance that a patient's
# phasic (mobile) dystonia responds within minutes. These patients are therefore an input,
# not a validation of the model.
ACUTE_PHASIC_PROBABILITY = 17 / 80
# How fast the acute part comes on: phasic signs return within minutes of switching off
# (Grips et al. 2007, JNNP 78:318; Levin et al. 2014, Mov Disord 29:944); an acute onset is
# taken to be as fast as that return (5 min): teaching value, not from literature.
ACUTE_PHASIC_TAU_S = 5 * MINUTE_S

# Spread of the delayed (tonic) onset constant between patients: benefit builds over weeks to
# months (still growing over the first year at 60 Hz, Alterman et al. 2007, Neurology 69:681)
# but no published distribution was found; log-normal with CV 0.5 around the component's
# usual constant: teaching value, not from literature.
TONIC_ONSET_CV = 0.5


def _lognormal_sigma(cv: float) -> float:
    """Convert a coefficient of variation to the log-space SD of a log-normal variable."""
    return math.sqrt(math.log1p(cv * cv))


def _relief_ceiling(scenario: Scenario) -> float:
    """Largest responsiveness at which no component relieves more than the whole score."""
    names: set[str] = set(scenario.component_weights or {})
    if not names:
        for item in load_scale(scenario.scale).items:
            names |= set(item.components)
    return 1.0 / max(COMPONENTS[n].relief_max for n in names)


def draw_similar_patient(scenario: Scenario, rng: np.random.Generator) -> Scenario:
    """Draw one random patient like this one, from one generator.

    Draws, in this order of child streams: each lead's placement error (moving its tip and,
    if set, the tip shown by imaging), every structure's threshold multiplier, the
    responsiveness (``relief_scale``), and for dystonia whether phasic dystonia responds
    acutely and how fast the tonic part comes on (``onset_tau_s``). A scenario's
    ``variability`` values, where set, replace the published spreads.

    Parameters
    ----------
    scenario : Scenario
        The case: history, baseline, hardware and intended lead placement are kept.
    rng : numpy.random.Generator
        The patient's generator; split into one child stream per noise source, so adding
        a source never shifts the others' draws.

    Returns
    -------
    Scenario
        A validated scenario with id ``<id>-draw``: lead tips moved, threshold scales,
        ``relief_scale`` and (dystonia) onset constants drawn.

    Notes
    -----
    Placement error: normal per axis, SD = mean absolute error / √(2/π), i.e. 1.75, 1.50
    and 1.63 mm (x, y, z). Thresholds, responsiveness and the tonic onset: log-normal with
    median 1 (times the scenario's value) and log-space SD ``√ln(1 + CV²)``;
    responsiveness is capped so that no component relieves more than the whole score.

    References
    ----------
    Bot et al. 2015, Stereotact Funct Neurosurg 93:316 (placement error). Neurol Res Pract
    2019, doi 10.1186/s42466-019-0032-2 (long-term follow-up of the 2006 pallidal-stimulation
    trial cohort: benefit spread, acute responders 17/80; the trial's own 3-month result is
    a validation target, not used here). Alterman et al. 2007, Neurology 69:681 (benefit
    still growing over the first year).
    """
    lead_rng, threshold_rng, relief_rng, acute_rng, onset_rng = rng.spawn(5)
    v = scenario.variability
    sd_mm = PLACEMENT_ERROR_SD_MM if v.lead_offset_sd_mm is None else (v.lead_offset_sd_mm,) * 3
    leads = {}
    for side, placement in scenario.leads.items():
        offset = lead_rng.normal(0.0, sd_mm)
        tip = tuple(float(a + b) for a, b in zip(placement.tip_mm, offset, strict=True))
        shown = None
        if placement.shown_tip_mm is not None:  # imaging sees the lead where it landed
            shown = tuple(float(a + b) for a, b in zip(placement.shown_tip_mm, offset, strict=True))
        leads[side] = placement.model_dump() | {"tip_mm": tip, "shown_tip_mm": shown}

    threshold_cv = THRESHOLD_CV if v.threshold_cv is None else v.threshold_cv
    structures = load_atlas(scenario.target).structure_ids()
    scales = {
        s: float(
            scenario.threshold_scales.get(s, 1.0)
            * threshold_rng.lognormal(0.0, _lognormal_sigma(threshold_cv))
        )
        for s in structures
    }

    relief_cv = RELIEF_CV[scenario.disease] if v.relief_cv is None else v.relief_cv
    drawn = scenario.relief_scale * relief_rng.lognormal(0.0, _lognormal_sigma(relief_cv))
    relief = float(min(drawn, _relief_ceiling(scenario)))

    onset = dict(scenario.onset_tau_s)
    if scenario.disease == "dystonia":
        if acute_rng.random() < ACUTE_PHASIC_PROBABILITY:
            onset["dystonia_phasic"] = ACUTE_PHASIC_TAU_S
        usual = onset.get("dystonia_tonic", COMPONENTS["dystonia_tonic"].tau_on_s)
        factor = onset_rng.lognormal(0.0, _lognormal_sigma(TONIC_ONSET_CV))
        onset["dystonia_tonic"] = float(min(usual * factor, MAX_ONSET_TAU_S))
    return scenario.revalidated(
        id=f"{scenario.id}-draw",
        leads=leads,
        threshold_scales=scales,
        relief_scale=relief,
        onset_tau_s=onset,
        title=f"{scenario.title} (a random patient like this one)",
    )


def draw_patient_for_seed(scenario: Scenario, seed: int) -> Scenario:
    """Draw the random patient of a seed: the one a session (app, class, replay) draws for it.

    Parameters
    ----------
    scenario : Scenario
        The case.
    seed : int
        Session seed; the patient comes from child stream `PATIENT_STREAM` of
        ``SeedSequence(seed)``, rater noise from the others.

    Returns
    -------
    Scenario
        The drawn patient, as `draw_similar_patient`.
    """
    streams = np.random.SeedSequence(int(seed)).spawn(SESSION_STREAMS)
    return draw_similar_patient(scenario, np.random.default_rng(streams[PATIENT_STREAM]))


def is_acute_responder(scenario: Scenario) -> bool:
    """Tell whether this patient's phasic dystonia responds within minutes.

    Parameters
    ----------
    scenario : Scenario
        A scenario, usually a drawn patient.

    Returns
    -------
    bool
        True if the phasic onset constant is at most `ACUTE_PHASIC_TAU_S` (5 min), so a
        monopolar review can see the benefit.
    """
    return scenario.onset_tau_s.get("dystonia_phasic", math.inf) <= ACUTE_PHASIC_TAU_S
