"""Clinical response: symptom components, frequency gains, dose–response, side effects.

Pure functions and constant tables. Each symptom item of a rating scale is a
mix of components (dystonia phasic/tonic, PD tremor/rigidity/bradykinesia/
axial, ET tremor); a component has a maximum relief, a frequency gain curve
and onset/washout time constants.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import yaml

from dbssim.errors import InputError
from dbssim.patient.anatomy import SideEffectSpec

MINUTE_S = 60.0
HOUR_S = 3600.0
DAY_S = 86400.0


@dataclass(frozen=True)
class Component:
    """A symptom component: how much, how fast and at which frequency it responds."""

    name: str
    relief_max: float  # fraction of the baseline score removed at full effect
    tau_on_s: float  # onset time constant
    tau_off_s: float  # washout time constant
    frequency_curve: str


# Time constants and maxima. Sources in comments; see docs/science.md part 2.
COMPONENTS: dict[str, Component] = {
    # Dystonia: phasic parts improve within hours to days, tonic over weeks to months
    # (dossier §4.1 rule of thumb and suggestion: phasic 1–3 days, tonic 1–3 months);
    # phasic features return within minutes off stimulation (Levin et al. 2014; Grips 2007),
    # tonic over hours (BFM 24 -> 49 after 48 h off, Mov Disord 2009;24:2363 -> tau ~12 h).
    # relief_max 0.62: long-term BFMDRS improvement of ~58–68 % (Volkmann 2012 [unconfirmed],
    # Charité cohort 64–68 %); teaching value inside that range.
    "dystonia_phasic": Component("dystonia_phasic", 0.62, 1 * DAY_S, 5 * MINUTE_S, "dystonia"),
    "dystonia_tonic": Component("dystonia_tonic", 0.62, 60 * DAY_S, 12 * HOUR_S, "dystonia"),
    # PD (STN): off-medication improvements tremor -84 %, rigidity -70 %, bradykinesia -44 %,
    # gait -49 % at 1 y (Antioquia series, dossier §4.2). Washout: tremor within minutes,
    # rigidity and bradykinesia over 30–60 min, axial over 3–4 h (Temperli et al. 2003):
    # tau_off = time to ~95 % / 3. Onset constants are teaching values of the same order.
    "pd_tremor": Component("pd_tremor", 0.84, 30.0, 1 * MINUTE_S, "tremor"),
    "pd_rigidity": Component("pd_rigidity", 0.70, 2 * MINUTE_S, 15 * MINUTE_S, "pd_high"),
    "pd_bradykinesia": Component("pd_bradykinesia", 0.44, 10 * MINUTE_S, 20 * MINUTE_S, "pd_high"),
    "pd_axial": Component("pd_axial", 0.49, 1 * HOUR_S, 70 * MINUTE_S, "pd_axial"),
    # ET (VIM): FTM-TRS -73 % at 6 months (Rodríguez Cruz et al. 2016); tremor returns within
    # seconds to minutes off stimulation (dossier §4.3, unconfirmed): teaching constants.
    "et_tremor": Component("et_tremor", 0.75, 10.0, 30.0, "tremor"),
}


def _logistic(x: float) -> float:
    return 0.5 * (1.0 + math.tanh(0.5 * x))


# Side effects carried by fibres that excite a further neuron (corticospinal and
# corticobulbar fibres onto motoneurones, lemniscal fibres onto thalamic relay cells) add up
# over successive pulses: each pulse leaves a postsynaptic potential that decays with the
# membrane time constant, so at a higher rate fewer fibres suffice. Motoneurone membrane
# time constant 4.0–5.4 ms (rat tibial motoneurones, J Physiol 2005;568:841, Table 1); 5 ms.
# The muscle response itself is a fused contraction at every clinical rate: human muscle
# fuses above ~45–50 pulses/s (force–frequency relation of electrically stimulated muscle;
# at 10 Hz more current is needed for the same force, Vromans & Faghri 2017, Eur J Transl
# Myol 27:6816), so capsular contraction does not vanish at 60 Hz. The same law is used for
# paresthesia and ataxia, whose intensity grows with frequency in VIM stimulation (Kuncel et
# al. 2006, Mov Disord 21:1920); using the motoneurone constant there is a teaching choice.
SUMMATION_TAU_MS = 5.0
SUMMATION_REFERENCE_HZ = 130.0  # normalisation: atlas side-effect fractions describe 130 Hz


def _summation(frequency_hz: float) -> float:
    """Peak postsynaptic depolarisation at steady state relative to a single pulse."""
    period_ms = 1000.0 / frequency_hz
    return 1.0 / (1.0 - math.exp(-period_ms / SUMMATION_TAU_MS))


def temporal_summation_gain(frequency_hz: float) -> float:
    """Drive of a synaptically relayed side effect relative to 130 Hz.

    About 0.81 at 60 Hz, 1 at 130 Hz and 1.17 at 180 Hz: a lower rate raises the
    side-effect threshold but never removes it.
    """
    if not frequency_hz > 0:
        raise ValueError(f"frequency_hz: must be > 0 Hz (got {frequency_hz})")
    return _summation(frequency_hz) / _summation(SUMMATION_REFERENCE_HZ)


def frequency_gain(curve: str, frequency_hz: float) -> float:
    """Relative benefit (negative = worsening) of a component at a stimulation frequency.

    Notes
    -----
    - ``pd_high``: no rigidity control at 10 or 50 Hz (Rizzone 2001), 10 Hz worsens
      (Timmermann 2004), benefit above ~50 Hz, maximal around 130 Hz, plateau to 185 Hz
      (Moro 2002 via Paff 2020). Logistic centre 90 Hz, width 10 Hz; -0.3 at <= 20 Hz:
      teaching values shaped to those findings.
    - ``pd_axial``: 60 Hz as good as or better than 130 Hz for axial signs (Khoo 2014;
      Xie 2017): centre 45 Hz, 10 % loss above 130 Hz (teaching values).
    - ``tremor``: suppression plateaus near 100 Hz (Kuncel 2006): centre 70 Hz, width 8 Hz.
    - ``dystonia``: benefit from ~60 Hz, best around 130 Hz (Moro 2009 cervical;
      Alterman 2007): centre 50 Hz, width 6 Hz.
    - ``summation``: side effects driven through a synapse, whose drive per activated
      fibre grows with the pulse rate (``temporal_summation_gain``).
    """
    f = frequency_hz
    if curve == "pd_high":
        if f <= 20:
            return -0.3
        if f <= 50:
            return -0.3 * (50 - f) / 30
        return _logistic((f - 90) / 10)
    if curve == "pd_axial":
        return _logistic((f - 45) / 6) * (1 - 0.1 * _logistic((f - 150) / 10))
    if curve == "tremor":
        return _logistic((f - 70) / 8)
    if curve == "dystonia":
        return _logistic((f - 50) / 6)
    if curve == "summation":
        return temporal_summation_gain(f)
    if curve == "flat":
        return 1.0
    raise InputError("frequency_curve", f"unknown curve '{curve}'")


# Below about 50 Hz some components worsen (PD rigidity/bradykinesia at 5–10 Hz). The
# worsening reaches its full size once a quarter of the substrate is activated: teaching value.
WORSENING_FULL_AT_FRACTION = 0.25


def worsening_dose(activated_fraction: float | np.ndarray) -> float | np.ndarray:
    """Share of the full worsening reached at a substrate activation (0–1 -> 0–1)."""
    return np.minimum(1.0, np.asarray(activated_fraction) / WORSENING_FULL_AT_FRACTION)


# Dose–response of relief against the activated fraction of the substrate: a Hill curve
# normalised to 1 at full activation. EC50 0.3 and Hill 2: teaching values.
EC50_FRACTION = 0.3
HILL = 2.0


def dose_response(activated_fraction: float | np.ndarray) -> float | np.ndarray:
    """Fraction of the maximal relief reached for a substrate activation (0–1 -> 0–1)."""
    a = np.clip(activated_fraction, 0.0, 1.0) ** HILL
    return (1.0 + EC50_FRACTION**HILL) * a / (a + EC50_FRACTION**HILL)


def component_relief(
    component: Component,
    relief_scale: float,
    frequency_hz: float,
    drive: float | np.ndarray,
) -> np.ndarray:
    """Steady-state relief of one component (fraction of baseline; negative = worse).

    The one relief rule used by the patient and the review: the component's maximum,
    times the patient's responsiveness, times the frequency gain, times the
    dose–response of the substrate activation ``drive`` (the worsening dose where the
    gain is negative).
    """
    gain = frequency_gain(component.frequency_curve, frequency_hz)
    full = component.relief_max * relief_scale * gain
    return np.asarray(full * (dose_response(drive) if gain >= 0 else worsening_dose(drive)))


def side_effect_severity(
    activated_fraction: float | np.ndarray,
    onset_fraction: float,
    full_at_fraction: float,
    gain: float,
) -> np.ndarray:
    """Steady-state severity 0–4 of a side effect from its substrate's activation.

    The one rule used by the patient, the review and the expert: severity rises
    linearly from 0 at ``onset_fraction`` of the substrate (scaled by ``gain``) to
    4 at ``full_at_fraction``. Accepts a number or an array of activations.
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
    """Steady-state severity 0–4 of one atlas side effect at a frequency (and levodopa level).

    Parameters
    ----------
    spec : SideEffectSpec
        The side effect: substrate onset and full fractions, frequency curve, medication gain.
    activated_fraction : float or ndarray
        Activated fraction of its substrate (one value or one per amplitude).
    frequency_hz : float
        Stimulation frequency.
    medication_level : float
        Current levodopa effect (0 = none).

    Returns
    -------
    ndarray
        Severity 0–4, the shape of ``activated_fraction``.
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
    """The anchor word for a side-effect severity (0–4)."""
    return next(word for lower, word in SEVERITY_GRADES if severity >= lower)


@cache
def _grade_phrases() -> dict[str, str]:
    text = (resources.files("dbssim") / "data" / "phrases.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {k.removeprefix("grade_"): str(v) for k, v in data.items() if k.startswith("grade_")}


def graded_report(says: str, grade: str) -> str:
    """The patient's words for a side effect, with how strong it feels."""
    extra = _grade_phrases().get(grade, "")
    return f"{says} {extra}" if extra else says


# Transient paresthesia at switch-on fades within seconds to minutes (dossier §5.3,
# unconfirmed): habituation time constant 40 s; what is left after habituation is nothing
# at the perceptible level, rising to the whole severity two steps above it (teaching values).
HABITUATION_TAU_S = 40.0
HABITUATION_FULL_RESIDUAL_STEPS = 2.0


def habituated_severity(severity: float | np.ndarray, since_change_s: float) -> np.ndarray:
    """Severity of a habituating side effect ``since_change_s`` seconds after a change.

    Just above the perceptible level a transient effect fades completely; a
    strong one persists. ``since_change_s = inf`` gives the level after
    habituation, as a long time on the same setting shows it.
    """
    residual = np.clip(
        (np.asarray(severity) - PERCEPTIBLE_SEVERITY) / HABITUATION_FULL_RESIDUAL_STEPS, 0.0, 1.0
    )
    fading = 0.0 if math.isinf(since_change_s) else math.exp(-since_change_s / HABITUATION_TAU_S)
    return np.asarray(severity * (residual + (1 - residual) * fading))


# Levodopa short-duration response: benefit builds within ~30–60 min of a dose and wears
# off over hours (dossier: not sourced). Onset tau 20 min, offset tau 90 min: teaching values.
LEVODOPA_TAU_ON_S = 20 * MINUTE_S
LEVODOPA_TAU_OFF_S = 90 * MINUTE_S


def relax(current: float, target: float, dt_s: float, tau_on_s: float, tau_off_s: float) -> float:
    """First-order approach of an effect to its target over dt_s seconds.

    The onset constant applies while the effect grows, the washout constant
    while it shrinks; within one constant setting the direction never changes,
    so the exponential is exact.
    """
    if dt_s <= 0:
        return current
    tau = tau_on_s if abs(target) > abs(current) else tau_off_s
    return target + (current - target) * math.exp(-dt_s / tau)
