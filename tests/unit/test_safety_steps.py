"""Safety deductions tied to their steps (issue 11, finding 3): one session pinned."""

from __future__ import annotations

from typing import Any

from dbssim.session.engine import Session
from dbssim.session.scoring import score_session

DYSTONIA = "dystonia-generalized-gpi"


def _set(contacts: str, amplitude_ma: float, pw: int = 60) -> dict[str, Any]:
    return {
        "action": "set", "side": "left", "contacts": contacts,
        "amplitude_ma": amplitude_ma, "pulse_width_us": pw, "frequency_hz": 130,
    }  # fmt: skip


ACTIONS = [
    _set("1-", 1.0),  # 0: programmed while off
    {"action": "stim_on"},  # 1: starts at 1 mA: low, fine
    {"action": "examine"},  # 2
    _set("1-", 2.0),  # 3: +1 mA on the same contact: a ramp step, fine
    _set("1-", 3.5),  # 4: +1.5 mA on the same contact: a jump
    {"action": "examine"},  # 5: no sign: 1- at 3.5 mA is now known to be tolerated
    _set("3-", 4.0),  # 6: a new contact started at 4 mA: a high start
    {"action": "examine"},  # 7
    _set("1-", 3.5),  # 8: back to the tolerated program: not a jump
    _set("2-", 3.0),  # 9: a new contact started at 3 mA: low enough
    _set("2-", 4.0, pw=450),  # 10: +1 mA but 450 µs: over the charge-density limit
    _set("1-", 3.5),  # 11: back to the tolerated program again
    {"action": "finish"},  # 12
]


def test_each_deduction_comes_with_its_step_and_reason() -> None:
    session = Session.replay(DYSTONIA, 0, ACTIONS)
    assert [e.signs for e in session.entries if e.action == "examine"] == [[], [], []], (
        "the pinned case assumes no sign at these exams; the patient model changed"
    )
    safety = score_session(session)["safety"]
    got = [(d["kind"], d["step"], d["points"]) for d in safety["deductions"]]
    kinds = [k for k, _, _ in got]
    assert got[:3] == [("jump", 4, 10.0), ("high_start", 6, 10.0), ("density", 10, 15.0)], got
    assert set(kinds[3:]) <= {"side_effect_left_on"}, got
    assert all(step == 12 for kind, step, _ in got[3:]), "left on: the finish step"
    assert safety["unsafe_jumps"] == 2 and safety["density_violations"] == 1
    assert safety["score"] == max(0.0, 100 - sum(p for _, _, p in got))
    jump = safety["deductions"][0]
    assert jump["what"] == "left: 1- 2 mA, 60 µs, 130 Hz → 1- 3.5 mA, 60 µs, 130 Hz"
    assert "rose by 1.5 mA" in jump["why"]
    assert (jump["day"], jump["minute"]) == (0, session.entries[4].minute)
    assert "steps 4, 6" in safety["explanation"]


def test_ramping_in_one_ma_steps_and_switching_back_costs_nothing() -> None:
    actions = [
        {"action": "stim_on"},
        *(_set("1-", a) for a in (1.0, 2.0, 3.0, 3.5)),
        {"action": "examine"},
        _set("2-", 1.0),
        _set("2-", 2.0),
        _set("1-", 3.5),  # the program examined at step 5 without a sign
        {"action": "finish"},
    ]
    session = Session.replay(DYSTONIA, 0, actions)
    assert session.entries[5].signs == [], "the case assumes 1- at 3.5 mA shows no sign"
    kinds = {d["kind"] for d in score_session(session)["safety"]["deductions"]}
    assert not kinds & {"jump", "high_start"}, kinds
