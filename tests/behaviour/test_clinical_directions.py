"""Clinical directions of effect that must hold for every patient."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dbssim.patient.evaluation import evaluate_program
from dbssim.patient.expert import find_expert_program
from dbssim.patient.response import DAY_S
from dbssim.patient.review import compute_review
from dbssim.patient.scenario_library import list_scenario_ids, load_scenario
from dbssim.patient.time_course import PatientState, advance
from dbssim.patient.virtual_patient import VirtualPatient
from dbssim.physics.program import Program, Setting
from tests.helpers import patient, review_program

GPI = "dystonia-generalized-gpi"


def _program(p, spec="1-", amplitude_ma=2.5, sides=None):
    sides = sides or list(p.sides)
    return Program.model_validate(
        {s: {"contacts": spec, "amplitude_ma": amplitude_ma} for s in sides}
    )


@pytest.mark.parametrize("sid", list_scenario_ids())
def test_zero_amplitude_gives_baseline(sid):
    p = patient(sid)
    ring = p.sides[next(iter(p.sides))].lead.labels[0]
    out = evaluate_program(p, _program(p, f"{ring}-", 0.0), after_s=30 * DAY_S)
    assert out["total"] == pytest.approx(out["baseline_total"], abs=0.05)
    assert out["side_effects"] == []


@settings(max_examples=40, deadline=None)
@given(
    a=st.floats(0, 12),
    b=st.floats(0, 12),
    contact=st.integers(0, 3),
    pw=st.sampled_from([30.0, 60.0, 90.0, 210.0]),
)
def test_more_amplitude_never_reduces_activation(a, b, contact, pw):
    side = patient(GPI).sides["left"]
    lo, hi = sorted((a, b))
    cur = np.zeros(4)
    acts = []
    for amp in (lo, hi):
        cur[:] = 0
        cur[contact] = -amp
        acts.append(side.activations(cur, pw))
    for sid in acts[0]:
        assert acts[0][sid] <= acts[1][sid] + 1e-12, f"{sid}: {acts[0][sid]} > {acts[1][sid]}"


def test_contact_nearer_the_capsule_has_lower_capsular_threshold():
    p = patient(GPI)
    side = p.sides["left"]
    tract = next(t for t in p.atlas.tracts if t.id == "ic_corticobulbar")
    a, b = (np.asarray(x) for x in (tract.path_mm[0], tract.path_mm[-1]))
    centres = side.pose.to_atlas(np.array([c.centre_mm for c in side.lead.contacts]))
    u = (b - a) / np.linalg.norm(b - a)
    dist = [np.linalg.norm((c - a) - ((c - a) @ u) * u) for c in centres]
    rows = compute_review(p, "left")
    thresholds = [r["side_effect_thresholds_ma"]["muscle_contraction_face"] for r in rows]
    assert np.argsort(dist).tolist() == np.argsort(thresholds).tolist(), (dist, thresholds)


def test_lead_moved_towards_capsule_lowers_capsular_threshold():
    s = load_scenario(GPI)
    tip = s.leads["left"].tip_mm
    moved = s.revalidated(
        leads={
            "left": s.leads["left"].model_dump() | {"tip_mm": (tip[0] - 1.0, tip[1], tip[2])},
            "right": s.leads["right"].model_dump(),
        }
    )
    before = compute_review(patient(GPI), "left")
    after = compute_review(VirtualPatient.from_scenario(moved), "left")
    for r0, r1 in zip(before, after, strict=True):
        t0 = r0["side_effect_thresholds_ma"]["muscle_contraction_face"]
        t1 = r1["side_effect_thresholds_ma"]["muscle_contraction_face"]
        assert t1 < t0, f"contact {r0['contact']}: {t0} -> {t1} mA after moving 1 mm medially"


def test_benefit_is_contralateral():
    p = patient(GPI)
    out = evaluate_program(p, _program(p, "1-", 2.5, sides=["left"]))
    items, base = out["items"], p.baseline
    assert items["right_arm"] < base["right_arm"] * 0.7, "left lead must relieve the right arm"
    assert items["left_arm"] == pytest.approx(base["left_arm"]), "left lead must spare left arm"
    assert base["trunk"] > items["trunk"] > base["trunk"] * 0.5, "midline: partial benefit"


def test_side_effects_are_contralateral():
    p = patient(GPI)
    out = evaluate_program(p, _program(p, "0-", 6.0, sides=["left"]))
    assert out["side_effects"], "6 mA on contact 0 must cause a side effect"
    assert {e["body_side"] for e in out["side_effects"]} == {"right"}
    assert any("right" in e["report"] for e in out["side_effects"])


@pytest.mark.parametrize("sid", list_scenario_ids())
def test_washout_restores_baseline(sid):
    p = patient(sid)
    settings_on = {
        s: Setting(contacts=f"{p.sides[s].lead.labels[1]}-", amplitude_ma=2.5) for s in p.sides
    }
    on = advance(p, PatientState(), settings_on, 365 * DAY_S)
    assert sum(p.score_items(on.relief).values()) < sum(p.baseline.values())
    off = advance(p, on, {}, 60 * DAY_S)
    total_off = sum(p.score_items(off.relief).values())
    assert total_off == pytest.approx(sum(p.baseline.values()), rel=0.01)


def _has_a_window(p) -> bool:
    return any(
        r["window_ma"] is None or r["window_ma"] > 0
        for side in p.sides
        for r in compute_review(p, side)
        if r["efficacy_threshold_ma"] is not None
    )


@pytest.mark.parametrize("sid", list_scenario_ids())
def test_expert_like_program_helps_every_scenario_with_a_window(sid):
    p = patient(sid)
    if not _has_a_window(p):
        pytest.skip(f"{sid}: no contact has a positive window at 130 Hz (see the next test)")
    out = evaluate_program(p, review_program(p))
    assert out["improvement_pct"] > 10, f"{sid}: review-based program improves only {out}"


def test_medial_lead_without_window_gains_nothing_at_130_hz_but_the_expert_still_helps():
    # The medial-lead case has capsular contraction below the efficacy threshold on every
    # contact. Programming at the efficacy threshold anyway leaves capsular signs that the
    # BFMDRS mouth and speech items rate, so the trial algorithm at 130 Hz gains little; the
    # expert (lower frequency, lower amplitude) still helps.
    p = patient("dystonia-gpi-medial-lead")
    assert not _has_a_window(p)
    trial = evaluate_program(p, review_program(p))
    expert = evaluate_program(p, find_expert_program(p))
    assert trial["side_effects"] and trial["improvement_pct"] < 10
    assert expert["side_effects"] == [] and expert["improvement_pct"] > 10


def test_anodic_stimulation_needs_more_current_than_cathodic():
    p = patient(GPI)
    cathodic = evaluate_program(p, _program(p, "1-", 3.0))["improvement_pct"]
    anodic = evaluate_program(p, _program(p, "1+", 3.0))["improvement_pct"]
    assert anodic < cathodic - 5, f"anodic {anodic} % vs cathodic {cathodic} % at 3 mA"
    strong = evaluate_program(p, _program(p, "0+", 6.0, sides=["left"]))
    weak = evaluate_program(p, _program(p, "0-", 6.0, sides=["left"]))
    assert len(strong["side_effects"]) < len(weak["side_effects"]), "anode spares the capsule"
    assert strong["charge_density_uc_cm2"] == weak["charge_density_uc_cm2"], "same charge"
