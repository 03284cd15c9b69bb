"""Parkinson's disease medication state: levodopa acts with its own time course."""

import pytest

from dbssim.patient.response import HOUR_S
from dbssim.patient.time_course import PatientState, advance, set_medication
from dbssim.physics.program import Setting
from dbssim.session.engine import Session, SessionError
from tests.helpers import patient

PD = "pd-stn"


def _total(p, state):
    return sum(p.score_items(state.relief, state.medication_level).values())


def test_levodopa_builds_within_an_hour_and_wears_off_over_hours():
    p = patient(PD)
    base = sum(p.baseline.values())
    on = advance(p, set_medication(PatientState(), True), {}, 1.5 * HOUR_S)
    assert _total(p, on) < base * 0.6, "levodopa should relieve ~half of the score after 90 min"
    early = advance(p, set_medication(PatientState(), True), {}, 5 * 60)
    assert _total(p, early) > base * 0.85, "five minutes after a dose little has changed"
    off = advance(p, set_medication(on, False), {}, 8 * HOUR_S)
    assert _total(p, off) == pytest.approx(base, rel=0.03)


def test_levodopa_adds_to_stimulation_and_raises_dyskinesia():
    p = patient(PD)
    settings = {s: Setting(contacts="1-", amplitude_ma=3.0) for s in p.sides}
    stim = advance(p, PatientState(), settings, 2 * HOUR_S)
    both = advance(p, set_medication(PatientState(), True), settings, 2 * HOUR_S)
    assert _total(p, both) < _total(p, stim)
    key = ("left", "dyskinesia")
    assert both.side_effects.get(key, 0.0) >= stim.side_effects.get(key, 0.0)


def test_medication_action_in_a_session_and_refused_without_medication():
    s = Session.start(PD, seed=1)
    entry = s.apply({"action": "medication", "state": "on"})
    assert entry["result"] == {"medication_on": True} and s.medication_on
    s.apply({"action": "wait", "minutes": 90})
    exam = s.apply({"action": "examine"})["result"]
    assert exam["total"] < sum(s.patient.baseline.values()) * 0.7
    replayed = Session.replay(PD, 1, s.actions())
    assert replayed.log == s.log
    dystonia = Session.start("dystonia-generalized-gpi", seed=1)
    with pytest.raises(SessionError, match="no medication"):
        dystonia.apply({"action": "medication", "state": "on"})
    assert dystonia.log == []
    with pytest.raises(SessionError) as err:
        s.apply({"action": "medication", "state": "maybe"})
    assert err.value.field == "state"


# --- dose (issue 10: the prescribed daily dose reaches the patient model) ---------------------
def test_levodopa_effect_follows_the_dose_relative_to_the_preoperative_one():
    from dbssim.patient.response import MAX_LEVODOPA_EFFECT, levodopa_effect

    assert levodopa_effect(0.5, 0.0) == 0.0
    assert levodopa_effect(0.5, 1.0) == pytest.approx(0.5)
    doses = [0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0]
    effects = [levodopa_effect(0.5, r) for r in doses]
    assert effects == sorted(effects) and len(set(effects)) == len(effects), effects
    # Saturating (Emax): halving the dose loses less than half the benefit.
    assert 0.25 < levodopa_effect(0.5, 0.5) < 0.5
    assert levodopa_effect(0.85, 10.0) == MAX_LEVODOPA_EFFECT


def test_prescribed_dose_is_kept_until_changed_and_sets_the_target():
    from dbssim.patient.time_course import medication_target

    p = patient(PD)
    preop = p.scenario.preop_ledd_mg_day
    assert preop == 1250
    full = set_medication(PatientState(), True)
    assert medication_target(p, full) == pytest.approx(p.scenario.levodopa_response)
    half = set_medication(full, True, preop / 2)
    assert half.ledd_mg_day == preop / 2
    assert medication_target(p, half) < medication_target(p, full)
    kept = set_medication(set_medication(half, False), True)
    assert kept.ledd_mg_day == preop / 2, "a dose stays prescribed until the trainee changes it"
    assert medication_target(p, set_medication(half, False)) == 0.0
    later = advance(p, half, {}, 2 * HOUR_S)
    assert later.ledd_mg_day == preop / 2


def test_session_passes_the_prescribed_dose_to_the_patient():
    full, half = Session.start(PD, seed=3), Session.start(PD, seed=3)
    full.apply({"action": "medication", "state": "on"})
    entry = half.apply({"action": "medication", "state": "on", "ledd_mg_day": 625})
    assert entry["result"] == {"medication_on": True, "ledd_mg_day": 625}
    for s in (full, half):
        s.apply({"action": "wait", "minutes": 120})
    assert half.state.medication_level < full.state.medication_level
    assert Session.replay(PD, 3, half.actions()).log == half.log


def test_preoperative_dose_needs_a_medication_case():
    import yaml

    from dbssim.errors import InputError
    from dbssim.patient.scenario_files import parse_scenario
    from dbssim.patient.scenario_library import load_scenario

    data = load_scenario("dystonia-generalized-gpi").model_dump(mode="json")
    data["preop_ledd_mg_day"] = 800
    with pytest.raises(InputError) as err:
        parse_scenario(yaml.safe_dump(data))
    assert "preop_ledd_mg_day" in err.value.field
    assert "levodopa_response" in str(err.value)
