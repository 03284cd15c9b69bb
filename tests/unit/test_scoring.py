"""Scores and debrief: refused before finish, careful beats careless, explanations present."""

from __future__ import annotations

import pytest

from dbssim.session.engine import Session, SessionError
from dbssim.session.scoring import debrief, score_session

DYSTONIA = "dystonia-generalized-gpi"
SCORES = ("outcome", "safety", "efficiency", "process")


def _set(side: str, contacts: str, amplitude_ma: float, pw: float = 60) -> dict:
    return {
        "action": "set",
        "side": side,
        "contacts": contacts,
        "amplitude_ma": amplitude_ma,
        "pulse_width_us": pw,
        "frequency_hz": 130,
    }


def careful_session() -> Session:
    """Every contact reviewed in small steps with thresholds, then a month's follow-up."""
    s = Session.start(DYSTONIA, seed=4)
    s.apply({"action": "stim_on"})
    for side, model in s.patient.sides.items():
        for label in model.lead.labels:
            for amp in (1.0, 2.0, 3.0):
                s.apply(_set(side, f"{label}-", amp))
                s.apply({"action": "examine"})
                s.apply({"action": "ask"})
            s.apply(_set(side, f"{label}-", 0.0))
            s.apply(
                {"action": "record_threshold", "side": side, "contact": label,
                 "kind": "side_effect", "amplitude_ma": 3.0, "note": "not reached"}
            )  # fmt: skip
        s.apply(_set(side, "1-", 1.0, pw=90))
        s.apply(_set(side, "1-", 2.0, pw=90))
    s.apply({"action": "visit", "after_days": 30})
    s.apply({"action": "examine"})
    s.apply({"action": "finish"})
    return s


def careless_session() -> Session:
    s = Session.start(DYSTONIA, seed=4)
    s.apply({"action": "stim_on"})
    s.apply(_set("left", "0-", 6.0))
    s.apply(_set("right", "0-", 6.0, pw=450))
    s.apply({"action": "finish"})
    return s


def test_debrief_refused_before_finish():
    s = Session.start(DYSTONIA, seed=0)
    s.apply({"action": "examine"})
    with pytest.raises(SessionError) as info:
        debrief(s)
    assert info.value.field == "finish"


def test_careful_scores_higher_on_process_and_safety():
    careful, careless = score_session(careful_session()), score_session(careless_session())
    assert careful["process"]["score"] > careless["process"]["score"] + 30, (
        f"process careful {careful['process']} vs careless {careless['process']}"
    )
    assert careful["safety"]["score"] > careless["safety"]["score"]
    assert careless["safety"]["unsafe_jumps"] == 2
    assert careless["safety"]["density_violations"] == 1
    assert careful["safety"]["unsafe_jumps"] == 0
    assert "judged dystonia on day 0" in careless["process"]["explanation"]
    assert careful["process"]["contacts_reviewed"] == careful["process"]["contacts_total"]


@pytest.mark.parametrize("make", [careful_session, careless_session])
def test_scores_in_range_with_explanations(make):
    scores = score_session(make())
    assert set(scores) == set(SCORES)
    for name in SCORES:
        assert 0 <= scores[name]["score"] <= 100, f"{name}: {scores[name]['score']}"
        text = scores[name]["explanation"]
        assert isinstance(text, str) and len(text) > 20, f"{name}: no explanation"


def test_debrief_reveals_the_truth():
    s = careful_session()
    d = debrief(s)
    assert set(d) == {
        "expert_program", "expert_outcome", "trainee_program", "trainee_outcome", "scores",
        "review",
    }  # fmt: skip
    assert set(d["review"]) == set(s.patient.sides)
    for side, rows in d["review"].items():
        contacts = [r["contact"] for r in rows if r.get("mode") != "ring"]
        assert contacts == s.patient.sides[side].lead.labels
    assert d["expert_outcome"]["after_days"] == 182
    assert d["trainee_program"]["left"]["amplitude_ma"] == 2.0
    assert d["expert_outcome"]["improvement_pct"] >= d["trainee_outcome"]["improvement_pct"] - 1
    assert d["scores"]["outcome"]["score"] > 50


def test_switched_off_at_finish_means_no_benefit():
    s = Session.start(DYSTONIA, seed=0)
    s.apply(_set("left", "1-", 2.0))
    s.apply({"action": "finish"})
    scores = score_session(s)
    assert scores["outcome"]["score"] == 0
    assert "switched on" in scores["outcome"]["explanation"]


def test_no_review_earns_no_efficiency():
    from dbssim.session.scoring import score_efficiency

    idle = Session.start("dystonia-generalized-gpi", seed=0)
    idle.apply({"action": "finish"})
    assert score_efficiency(idle)["score"] == 0.0
    worked = Session.start("dystonia-generalized-gpi", seed=0)
    worked.apply(
        {
            "action": "set",
            "side": "left",
            "contacts": "1-",
            "amplitude_ma": 2.0,
            "pulse_width_us": 60,
            "frequency_hz": 130,
        }
    )
    worked.apply({"action": "stim_on"})
    worked.apply({"action": "examine"})
    assert score_efficiency(worked)["score"] > 0


def _review_every_contact(wait_minutes: float = 0.0) -> Session:
    session = Session.start("dystonia-generalized-gpi", seed=0)
    session.apply({"action": "stim_on"})
    for side in ("left", "right"):
        for contact in "0123":
            for amplitude in (1.0, 2.0, 3.0):
                session.apply(_set(side, f"{contact}-", amplitude))
                session.apply({"action": "examine"})
                session.apply({"action": "ask"})
            session.apply(_set(side, f"{contact}-", 0.0))
    if wait_minutes:
        session.apply({"action": "wait", "minutes": wait_minutes})
    return session


def test_efficiency_is_a_thorough_review_done_briskly() -> None:
    """Issue 11: one contact reviewed quickly scored 94-100; the pace now counts in
    proportion to the contacts reviewed (1 of 8 here), and slowness still costs."""
    from dbssim.session.scoring import score_efficiency

    one = Session.start("dystonia-generalized-gpi", seed=0)
    one.apply(_set("left", "1-", 2.0))
    one.apply({"action": "stim_on"})
    one.apply({"action": "examine"})
    brisk_one = score_efficiency(one)
    assert brisk_one["score"] == 12.5, brisk_one  # pace 100 × 1/8 contacts
    assert "1 of 8" in brisk_one["explanation"] and "pace 100/100" in brisk_one["explanation"]
    thorough = score_efficiency(_review_every_contact())
    assert thorough["score"] == 100.0, thorough  # 8 contacts in 115 min, 81 actions
    slow = score_efficiency(_review_every_contact(wait_minutes=240))
    assert 60 < slow["score"] < 90, slow  # the same review with 4 idle hours
