"""Clinical response: symptom components, frequency gains, dose–response, side effects.

Pure functions and constant tables. Each symptom item of a rating scale is a
mix of components (dystonia phasic/tonic, PD tremor/rigidity/bradykinesia/
axial, ET tremor); a component has a maximum relief, a frequency gain curve
and onset/washout time constants.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dbssim.errors import InputError

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
    if curve == "tetanic":
        # Capsular contraction needs fused tetanic drive: 80 Hz let ventral GPi contacts be
        # used without capsular effects that 130–185 Hz caused (Alterman 2007 case report).
        # Centre 90 Hz, width 10 Hz: teaching values.
        return _logistic((f - 90) / 10)
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


def side_effect_severity(
    activated_fraction: float, onset_fraction: float, full_at_fraction: float, gain: float
) -> float:
    """Steady-state severity 0–4 of a side effect from its substrate's activation."""
    x = (activated_fraction * gain - onset_fraction) / (full_at_fraction - onset_fraction)
    return 4.0 * min(1.0, max(0.0, x))


# Side-effect time courses: immediate (seconds), minutes, chronic (weeks): teaching values.
SIDE_EFFECT_TAU_S = {"immediate": 2.0, "minutes": 5 * MINUTE_S, "chronic": 14 * DAY_S}
SIDE_EFFECT_TAU_OFF_S = {"immediate": 2.0, "minutes": 10 * MINUTE_S, "chronic": 7 * DAY_S}
# Transient paresthesia at switch-on fades within seconds to minutes (dossier §5.3,
# unconfirmed): habituation time constant 40 s, residual 0 at threshold rising to 1 at
# twice the onset activation (teaching values).
HABITUATION_TAU_S = 40.0


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
