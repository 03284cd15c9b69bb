"""Named programs A/B (issue 11): save_program is logged, replayed, and switching back to a
tolerated program is no jump, while switching to an untested high program still is."""

from __future__ import annotations

from typing import Any

import pytest

from dbssim.patient.scenario_library import load_scenario
from dbssim.session.action_files import dry_run
from dbssim.session.engine import Session, SessionError
from dbssim.session.log import SaveProgramEntry
from dbssim.session.named_programs import active_name, named_program_rows, switch_action
from dbssim.session.safety_steps import step_deductions

DYSTONIA = "dystonia-generalized-gpi"


def _set(contacts: str, amplitude_ma: float) -> dict[str, Any]:
    return {
        "action": "set", "side": "left", "contacts": contacts,
        "amplitude_ma": amplitude_ma, "pulse_width_us": 60, "frequency_hz": 130,
    }  # fmt: skip


def _save(name: str, side: str = "left") -> dict[str, Any]:
    return {"action": "save_program", "side": side, "name": name}


# Contact 2 ramped to 4 mA and examined (no sign in this patient at seed 0): kept as A.
# Contact 3 at 1 mA kept as B. Then back to A: 4 mA on a configuration other than the one
# delivered just before, which the safety rule would call a high start were A not known.
RAMP_TO_A = [
    {"action": "stim_on"},
    _set("2-", 1.0), _set("2-", 2.0), _set("2-", 3.0), _set("2-", 4.0),
    {"action": "examine"},
    _save("A"),
    _set("3-", 1.0),
    {"action": "examine"},
    _save("B"),
]  # fmt: skip


def _deductions(session: Session) -> list[Any]:
    leads = {side: m.lead for side, m in session.patient.sides.items()}
    return step_deductions(session.walk(), leads)


def test_save_program_is_logged_and_read_back() -> None:
    session = Session.replay(DYSTONIA, 0, RAMP_TO_A)
    saved = [e for e in session.entries if isinstance(e, SaveProgramEntry)]
    assert [(e.side, e.name, e.setting.contacts) for e in saved] == [
        ("left", "A", "2-"),
        ("left", "B", "3-"),
    ]
    kept = session.named_programs["left"]
    assert kept["A"].amplitude_ma == 4.0 and kept["B"].amplitude_ma == 1.0
    assert active_name(kept, session.programs["left"]) == "B"
    assert session.log[-1]["result"]["program"]["contacts"] == "3-"
    assert "program B saved" in session.to_records()[-1]["summary"]


def test_save_takes_no_clinic_time_and_changes_no_program() -> None:
    session = Session.replay(DYSTONIA, 0, RAMP_TO_A[:-1])
    before = (session.clinic_minutes, dict(session.programs), session.stimulation_on)
    session.apply(_save("B"))
    assert (session.clinic_minutes, dict(session.programs), session.stimulation_on) == before


def test_switching_is_a_set_that_restores_the_kept_program() -> None:
    session = Session.replay(DYSTONIA, 0, RAMP_TO_A)
    action = switch_action(session.entries, "left", "A")
    assert action == _set("2-", 4.0)
    session.apply(action)
    assert session.programs["left"] == session.named_programs["left"]["A"]
    assert active_name(session.named_programs["left"], session.programs["left"]) == "A"


def test_switching_back_to_a_tolerated_program_is_no_jump() -> None:
    session = Session.replay(DYSTONIA, 0, RAMP_TO_A)
    assert [e.signs for e in session.entries if e.action == "examine"] == [[], []], (
        "the case assumes no sign at these exams; the patient model changed"
    )
    session.apply(switch_action(session.entries, "left", "A"))
    assert _deductions(session) == []


def test_switching_to_an_unexamined_high_program_is_still_a_high_start() -> None:
    # The same path without the exam under A: A is not known to be tolerated.
    actions = [a for i, a in enumerate(RAMP_TO_A) if i != 5]
    session = Session.replay(DYSTONIA, 0, actions)
    session.apply(switch_action(session.entries, "left", "A"))
    kinds = [(d.kind, d.step) for d in _deductions(session)]
    assert kinds == [("high_start", len(actions))], kinds


def test_replay_gives_the_same_log_and_programs() -> None:
    first = Session.replay(DYSTONIA, 0, RAMP_TO_A)
    first.apply(switch_action(first.entries, "left", "A"))
    again = Session.replay(DYSTONIA, 0, first.actions())
    assert again.log == first.log
    assert again.named_programs == first.named_programs
    # An action file with the new action passes the CLI's dry run too.
    scenario = load_scenario(DYSTONIA)
    assert dry_run(scenario, 0, [*first.actions(), {"action": "finish"}]).finished


def test_rows_for_debrief_and_report_mark_the_applied_one() -> None:
    session = Session.replay(DYSTONIA, 0, RAMP_TO_A)
    rows = named_program_rows(session.entries, session.programs)
    assert [(r["side"], r["name"], r["active"]) for r in rows] == [
        ("left", "A", False),
        ("left", "B", True),
    ]
    assert rows[0]["program"] == "2- 4 mA, 60 µs, 130 Hz"


@pytest.mark.parametrize(
    ("action", "field", "says"),
    [
        (_save("C"), "name", "'A' or 'B' (got 'C')"),
        (_save("a"), "name", "'A' or 'B' (got 'a')"),
        ({"action": "save_program", "side": "left"}, "name", "Field required"),
        ({"action": "save_program", "side": "up", "name": "A"}, "side", "'left' or 'right'"),
        ({"action": "save_program", "side": "left", "name": "A", "x": 1}, "x", "allowed keys"),
    ],
)
def test_bad_save_names_the_field_value_and_what_is_allowed(
    action: dict[str, Any], field: str, says: str
) -> None:
    session = Session.replay(DYSTONIA, 0, [_set("1-", 1.0)])
    with pytest.raises(SessionError) as info:
        session.apply(action)
    assert info.value.field == field and says in str(info.value), str(info.value)
    assert len(session.entries) == 1, "a refused action leaves no trace"


def test_nothing_to_save_before_a_program_is_applied() -> None:
    session = Session.start(DYSTONIA, 0)
    with pytest.raises(SessionError, match="no program is applied on this side yet"):
        session.apply(_save("A"))
    with pytest.raises(ValueError, match="no program 'A' is kept on the left side"):
        switch_action(session.entries, "left", "A")
