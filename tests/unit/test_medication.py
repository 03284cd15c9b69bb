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
