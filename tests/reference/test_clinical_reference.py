"""Clinical reference tests: published findings the virtual patients must reproduce.

Each test names its source and tolerance. Where only a direction is published,
the test checks the direction.
"""

import math

import pytest

from dbssim.patient.evaluation import evaluate_program
from dbssim.patient.response import DAY_S, MINUTE_S
from dbssim.patient.review import compute_review
from dbssim.patient.time_course import PatientState, advance
from dbssim.physics.program import Program, Setting
from tests.helpers import patient, review_program

GPI = "dystonia-generalized-gpi"
STN = "pd-stn"


def _lowest_se(rows):
    return min(r["side_effect_threshold_ma"] for r in rows if r["side_effect_threshold_ma"])


@pytest.mark.xfail(
    strict=True,
    reason=(
        "known failure since one fibre physiology serves every atlas (issue 10 item 2): the "
        "capsular chronaxie is no longer set from Vercueil 2007 but is the 150 µs of the "
        "OSS-DBS MRG fit, so this is now a validation. Model (current control) 0.645 at "
        "120 µs and 0.387 at 450 µs against 0.774 and 0.554 published (voltage control; "
        "voltage chronaxies run 30-40 % below current ones, Holsheimer et al. 2000)"
    ),
)
def test_vercueil_2007_side_effect_strength_duration():
    # Vercueil et al. 2007 (J Neurol 254:1533): at 90 % of the side-effect threshold,
    # 4.46 / 3.45 / 2.47 V at 60 / 120 / 450 µs. Ratios to 60 µs must match within 10 %.
    # Validation: no model constant is set from this result any more.
    p = patient(GPI)
    se = {pw: _lowest_se(compute_review(p, "left", pw)) for pw in (60, 120, 450)}
    for pw, published in ((120, 3.45), (450, 2.47)):
        model_ratio = se[pw] / se[60]
        ratio = published / 4.46
        assert model_ratio == pytest.approx(ratio, rel=0.10), (
            f"{pw} µs: threshold ratio {model_ratio:.3f}, Vercueil {ratio:.3f} ({se})"
        )


def test_reich_2015_short_pulse_widens_window():
    # Reich et al. 2015 (Ann Clin Transl Neurol 2:427): the therapeutic window widens at
    # 30 µs and narrows at 120 µs compared with 60 µs (direction only).
    p = patient(STN)
    windows = {}
    for pw in (30, 60, 120):
        rows = [r for r in compute_review(p, "left", pw) if r["window_ma"] is not None]
        windows[pw] = max(r["window_ma"] for r in rows)
    assert windows[30] > windows[60] > windows[120], windows


@pytest.mark.parametrize("frequency_hz", [10, 50])
def test_rizzone_2001_no_rigidity_control_at_low_frequency(frequency_hz):
    # Rizzone et al. 2001 (JNNP 71:215): rigidity control impossible at 10 and 50 Hz.
    p = patient(STN)
    program = review_program(p, frequency_hz=130)
    low = Program.model_validate(
        {s: getattr(program, s).model_dump() | {"frequency_hz": frequency_hz} for s in p.sides}
    )
    out = evaluate_program(p, low)
    for item in p.scale.items:
        if "rigidity" in item.id:
            assert out["items"][item.id] >= p.baseline[item.id] - 1e-6, (
                f"{item.id} improved at {frequency_hz} Hz: {out['items'][item.id]}"
            )
    assert evaluate_program(p, program)["improvement_pct"] > 20


def _time_to_return(p, on_state, component, fraction=0.95):
    """Minutes until a fraction of a component's relief has washed out after switching off."""
    keys = [k for k in on_state.relief if k[1] == component and on_state.relief[k] > 0]
    start = sum(on_state.relief[k] for k in keys)
    state, minutes = on_state, 0.0
    while minutes < 24 * 60:
        state = advance(p, state, {}, MINUTE_S / 2)
        minutes += 0.5
        if sum(state.relief[k] for k in keys) <= start * (1 - fraction):
            return minutes
    return math.inf


def test_temperli_2003_washout_order():
    # Temperli et al. 2003 (Neurology 60:78): after switching STN-DBS off, tremor returns
    # within minutes, bradykinesia and rigidity over 30–60 min, axial signs over 3–4 h.
    p = patient(STN)
    settings = {s: Setting(**getattr(review_program(p), s).model_dump()) for s in p.sides}
    on = advance(p, PatientState(), settings, 2 * DAY_S)
    t = {
        c: _time_to_return(p, on, c)
        for c in ("pd_tremor", "pd_rigidity", "pd_bradykinesia", "pd_axial")
    }
    assert t["pd_tremor"] < t["pd_rigidity"] <= t["pd_bradykinesia"] < t["pd_axial"], t
    assert t["pd_tremor"] <= 10, f"tremor back in {t['pd_tremor']} min (within minutes)"
    for c in ("pd_rigidity", "pd_bradykinesia"):
        assert 30 <= t[c] <= 60, f"{c} back in {t[c]} min (30–60 min)"
    assert 180 <= t["pd_axial"] <= 240, f"axial back in {t['pd_axial']} min (3–4 h)"


def test_dystonia_trial_magnitudes_and_slow_growth():
    # Vidailhet et al. 2005 (NEJM 352:459): BFMDRS 46.3 -> 24.6 on stimulation at 3 months
    # (-47 %) and 21.0 at 12 months (-55 %). Kupsch et al. 2006 (NEJM): change at 3 months
    # -15.8 ± 14.1 points. Program by the trial algorithm: 0.5 below the side-effect threshold.
    p = patient(GPI)
    program = review_program(p, margin_ma=0.5)
    pct = {
        d: evaluate_program(p, program, d * DAY_S)["improvement_pct"] for d in (7, 30, 90, 180, 365)
    }
    assert pct[7] < pct[30] < pct[90] < pct[180] <= pct[365], f"benefit must grow: {pct}"
    assert pct[90] == pytest.approx(47.0, abs=10), f"3 months: {pct[90]} % vs Vidailhet 47 %"
    assert pct[365] == pytest.approx(55.0, abs=10), f"12 months: {pct[365]} % vs Vidailhet 55 %"
    change = evaluate_program(p, program, 90 * DAY_S)
    drop = change["baseline_total"] - change["total"]
    assert abs(drop - 15.8) <= 14.1, f"3-month change {drop:.1f} points vs Kupsch 15.8 ± 14.1"
