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
    # (clinical rule of thumb, no primary source: phasic 1–3 days, tonic 1–3 months);
    # phasic features return within minutes off stimulation (Levin et al. 2014; Grips 2007),
    # tonic over hours (BFM 24 -> 49 after 48 h off, Mov Disord 2009;24:2363 -> tau ~12 h).
    # relief_max 0.62: long-term BFMDRS improvement of ~58–68 % (Volkmann 2012 [unconfirmed],
    # Charité cohort 64–68 %); teaching value inside that range.
    "dystonia_phasic": Component("dystonia_phasic", 0.62, 1 * DAY_S, 5 * MINUTE_S, "dystonia"),
    "dystonia_tonic": Component("dystonia_tonic", 0.62, 60 * DAY_S, 12 * HOUR_S, "dystonia"),
    # PD (STN): off-medication improvements tremor -84 %, rigidity -70 %, bradykinesia -44 %,
    # gait -49 % at 1 y (Antioquia series). Washout: tremor within minutes,
    # rigidity and bradykinesia over 30–60 min, axial over 3–4 h (Temperli et al. 2003):
    # tau_off = time to ~95 % / 3. Onset constants are teaching values of the same order.
    "pd_tremor": Component("pd_tremor", 0.84, 30.0, 1 * MINUTE_S, "tremor"),
    "pd_rigidity": Component("pd_rigidity", 0.70, 2 * MINUTE_S, 15 * MINUTE_S, "pd_high"),
    "pd_bradykinesia": Component("pd_bradykinesia", 0.44, 10 * MINUTE_S, 20 * MINUTE_S, "pd_high"),
    "pd_axial": Component("pd_axial", 0.49, 1 * HOUR_S, 70 * MINUTE_S, "pd_axial"),
    # ET (VIM): FTM-TRS -73 % at 6 months (Rodríguez Cruz et al. 2016); tremor returns within
    # seconds to minutes off stimulation (unconfirmed): teaching constants.
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
    """Compute the drive of a synaptically relayed side effect relative to 130 Hz.

    About 0.81 at 60 Hz, 1 at 130 Hz and 1.17 at 180 Hz: a lower rate raises the
    side-effect threshold but never removes it.

    Parameters
    ----------
    frequency_hz : float
        Pulse rate, Hz, > 0.

    Returns
    -------
    float
        Gain relative to `SUMMATION_REFERENCE_HZ` (130 Hz), > 0.

    Raises
    ------
    ValueError
        If ``frequency_hz`` is not positive.

    Notes
    -----
    Each pulse leaves a postsynaptic potential decaying with τ = `SUMMATION_TAU_MS`
    (5 ms); at steady state the peak is ``1 / (1 - exp(-T/τ))`` times one pulse's, with
    period ``T = 1000 / f`` ms. The gain is that peak at ``f`` over the peak at 130 Hz.

    References
    ----------
    Motoneurone membrane time constant 4.0–5.4 ms: J Physiol 2005;568:841, Table 1.
    Paresthesia and ataxia growing with frequency in VIM DBS: Kuncel et al. 2006,
    Mov Disord 21:1920.
    """
    if not frequency_hz > 0:
        raise ValueError(f"frequency_hz: must be > 0 Hz (got {frequency_hz})")
    return _summation(frequency_hz) / _summation(SUMMATION_REFERENCE_HZ)


def frequency_gain(curve: str, frequency_hz: float) -> float:
    """Compute the relative benefit of a symptom component at a stimulation frequency.

    Parameters
    ----------
    curve : str
        Frequency curve name: ``pd_high``, ``pd_axial``, ``tremor``, ``dystonia``,
        ``summation`` or ``flat``.
    frequency_hz : float
        Pulse rate, Hz, > 0.

    Returns
    -------
    float
        Gain multiplying the component's maximum relief: about 0 to 1 for the benefit
        curves (negative = stimulation worsens the sign, ``pd_high`` below 50 Hz); above 1
        possible for ``summation``.

    Raises
    ------
    dbssim.errors.InputError
        Field ``frequency_curve``: for an unknown curve name.

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

    The logistic is ``1 / (1 + exp(-(f - centre) / width))``.

    References
    ----------
    Rizzone et al. 2001, J Neurol Neurosurg Psychiatry 71:215. Timmermann et al. 2004,
    Mov Disord (doi 10.1002/mds.20198). Moro et al. 2002, Neurology 59:706, via Paff et
    al. 2020, J Mov Disord 13:185. Khoo et al. 2014, Mov Disord 29:270. Xie et al. 2017,
    Transl Neurodegener. Kuncel et al. 2006, Mov Disord 21:1920. Moro et al. 2009, Eur J
    Neurol 16:506. Alterman et al. 2007, Neurology 69:681.
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
    """Compute the share of the full worsening reached at a substrate activation.

    Used instead of `dose_response` where the frequency gain is negative (low-frequency
    worsening): the harm grows linearly and saturates early.

    Parameters
    ----------
    activated_fraction : float or numpy.ndarray
        Activated fraction of the symptom's substrate, 0–1.

    Returns
    -------
    float or numpy.ndarray
        Share of the full worsening, 0–1: ``min(1, a / 0.25)``
        (`WORSENING_FULL_AT_FRACTION`, a teaching value).
    """
    if isinstance(activated_fraction, float):  # one value: the same IEEE steps, no numpy
        return min(1.0, activated_fraction / WORSENING_FULL_AT_FRACTION)
    return np.minimum(1.0, np.asarray(activated_fraction) / WORSENING_FULL_AT_FRACTION)


# Dose–response of relief against the activated fraction of the substrate: a Hill curve
# normalised to 1 at full activation. EC50 0.3 and Hill 2: teaching values.
EC50_FRACTION = 0.3
HILL = 2.0


def dose_response(activated_fraction: float | np.ndarray) -> float | np.ndarray:
    """Compute the fraction of the maximal relief reached at a substrate activation.

    Parameters
    ----------
    activated_fraction : float or numpy.ndarray
        Activated fraction of the symptom's substrate; clipped to 0–1.

    Returns
    -------
    float or numpy.ndarray
        Fraction of the maximal relief, 0–1 (1 at full activation), same shape.

    Notes
    -----
    A Hill curve normalised to reach 1 at ``a = 1``:
    ``(1 + EC50^n) · a^n / (a^n + EC50^n)`` with EC50 = 0.3 and n = 2 (teaching values),
    so half the relief needs about 30 % of the substrate.
    """
    if isinstance(activated_fraction, float):  # one value: the same IEEE steps, no numpy
        a = min(max(activated_fraction, 0.0), 1.0) ** HILL
    else:
        a = np.clip(activated_fraction, 0.0, 1.0) ** HILL
    return (1.0 + EC50_FRACTION**HILL) * a / (a + EC50_FRACTION**HILL)


def mean_drive(fractions: list[float]) -> float:
    """Average the activated fractions of a symptom's substrates, as ``np.mean`` does.

    Bit for bit numpy's mean: below 8 values numpy adds them one after another from 0,
    as ``sum`` does, so short lists (every atlas today) skip its overhead; longer ones,
    which numpy sums pairwise, still go through ``np.mean``.

    Parameters
    ----------
    fractions : list of float
        Activated fractions, 0–1, at least one.

    Returns
    -------
    float
        Their mean.
    """
    if 0 < len(fractions) < 8:
        return sum(fractions) / len(fractions)
    return float(np.mean(fractions))


def component_relief(
    component: Component,
    relief_scale: float,
    frequency_hz: float,
    drive: float | np.ndarray,
) -> np.ndarray:
    """Compute the steady-state relief of one symptom component.

    The one relief rule used by the patient and the review: the component's maximum,
    times the patient's responsiveness, times the frequency gain, times the
    dose–response of the substrate activation ``drive`` (the worsening dose where the
    gain is negative).

    Parameters
    ----------
    component : Component
        The symptom component (maximum relief, frequency curve).
    relief_scale : float
        The patient's responsiveness, multiplying the maximum relief (1 = typical).
    frequency_hz : float
        Pulse rate, Hz, > 0.
    drive : float or numpy.ndarray
        Activated fraction of the component's substrate, 0–1 (one value or one per
        amplitude).

    Returns
    -------
    numpy.ndarray
        Relief as a fraction of the baseline score (0.6 = 60 % better; negative = worse),
        the shape of ``drive``.

    Notes
    -----
    ``relief = relief_max · relief_scale · g(f) · D(drive)``, with ``g`` from
    `frequency_gain` and ``D`` = `dose_response` if ``g ≥ 0``, else `worsening_dose`.
    """
    gain = frequency_gain(component.frequency_curve, frequency_hz)
    full = component.relief_max * relief_scale * gain
    return np.asarray(full * (dose_response(drive) if gain >= 0 else worsening_dose(drive)))


# Levodopa short-duration response: benefit builds within ~30–60 min of a dose and wears
# off over hours (no source found). Onset tau 20 min, offset tau 90 min: teaching values.
LEVODOPA_TAU_ON_S = 20 * MINUTE_S
LEVODOPA_TAU_OFF_S = 90 * MINUTE_S

# Levodopa benefit against the daily dose, relative to the pre-operative dose: an Emax curve
# (Hill coefficient 1) whose half-maximal dose is half the pre-operative dose, normalised so
# the pre-operative dose gives the scenario's levodopa response. So half the dose keeps 3/4
# of the benefit and doubling it adds a fifth. Teaching values, not from literature: no
# published chronic LEDD-benefit curve was found (the published LEDD reduction after STN
# DBS is kept as a validation target, never an input).
LEVODOPA_ED50_FRACTION = 0.5
# No dose relieves more than this fraction of the off score (the scenario's own upper bound
# for levodopa_response): teaching value, not from literature.
MAX_LEVODOPA_EFFECT = 0.9


def levodopa_effect(response_at_preop_dose: float, dose_fraction: float) -> float:
    """Levodopa benefit at a daily dose, from the benefit at the pre-operative dose.

    Parameters
    ----------
    response_at_preop_dose : float
        Fraction of the off-medication score the pre-operative dose relieves (the
        scenario's ``levodopa_response``), 0 to `MAX_LEVODOPA_EFFECT`.
    dose_fraction : float
        Daily levodopa-equivalent dose over the pre-operative one, ≥ 0 (1 = unchanged).

    Returns
    -------
    float
        Fraction of the off score relieved at that dose:
        ``E_pre · r · (1 + K) / (K + r)`` with ``K`` = `LEVODOPA_ED50_FRACTION`, capped at
        `MAX_LEVODOPA_EFFECT`; 0 at no dose, ``E_pre`` at the pre-operative dose.
    """
    r = max(dose_fraction, 0.0)
    k = LEVODOPA_ED50_FRACTION
    return min(response_at_preop_dose * r * (1 + k) / (k + r), MAX_LEVODOPA_EFFECT)


def relax(current: float, target: float, dt_s: float, tau_on_s: float, tau_off_s: float) -> float:
    """Move an effect towards its target by first-order kinetics over one time step.

    The onset constant applies while the effect grows, the washout constant
    while it shrinks; within one constant setting the direction never changes,
    so the exponential is exact.

    Parameters
    ----------
    current : float
        Effect now (relief fraction or severity; any unit, kept).
    target : float
        Steady-state effect under the present setting, same unit.
    dt_s : float
        Time step, s; ``dt_s ≤ 0`` leaves the effect unchanged.
    tau_on_s : float
        Onset time constant, s, > 0, used while ``|target| > |current|``.
    tau_off_s : float
        Washout time constant, s, > 0, used otherwise.

    Returns
    -------
    float
        Effect after ``dt_s``: ``target + (current - target) · exp(-dt_s / τ)``.
    """
    if dt_s <= 0:
        return current
    tau = tau_on_s if abs(target) > abs(current) else tau_off_s
    return target + (current - target) * math.exp(-dt_s / tau)
