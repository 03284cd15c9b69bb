"""The typed session log: immutable records per action kind, and walk() over them."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import pytest

from dbssim.patient.exam import Finding
from dbssim.physics.program import Setting
from dbssim.session.engine import Session
from dbssim.session.log import (
    AskEntry,
    ExamEntry,
    FinishEntry,
    LogEntry,
    MedicationEntry,
    SetEntry,
    StimOffEntry,
    StimOnEntry,
    ThresholdEntry,
    VisitEntry,
    WaitEntry,
    entries_of,
    walk,
)
from dbssim.session.setting_text import describe_setting

DYSTONIA = "dystonia-generalized-gpi"
PD = "pd-stn"


def set_action(side: str, contacts: str, amplitude_ma: float) -> dict[str, Any]:
    return {
        "action": "set",
        "side": side,
        "contacts": contacts,
        "amplitude_ma": amplitude_ma,
        "pulse_width_us": 60,
        "frequency_hz": 130,
    }


ACTIONS: list[dict[str, Any]] = [
    {"action": "examine"},
    set_action("left", "1-", 2.0),
    {"action": "examine"},
    {"action": "stim_on"},
    {"action": "examine"},
    set_action("right", "2-", 3),  # an int amplitude stays an int in the action as given
    {"action": "ask"},
    {"action": "medication", "state": "on"},
    {"action": "stim_off"},
    {"action": "wait", "minutes": 5},
    {
        "action": "record_threshold",
        "side": "left",
        "contact": "0",
        "kind": "efficacy",
        "amplitude_ma": 2.0,
        "note": "clear",
    },
    set_action("left", "0-", 1.5),
    {"action": "stim_on"},
    {"action": "visit", "after_days": 7},
    {"action": "examine"},
    {"action": "finish"},
]


@pytest.fixture(scope="module")
def session() -> Session:
    s = Session.start(PD, seed=2)
    for action in ACTIONS:
        s.apply(action)
    return s


# --- record models -------------------------------------------------------------------------
def test_one_record_kind_per_action(session: Session) -> None:
    kinds = [type(e) for e in session.entries]
    assert kinds == [
        ExamEntry,
        SetEntry,
        ExamEntry,
        StimOnEntry,
        ExamEntry,
        SetEntry,
        AskEntry,
        MedicationEntry,
        StimOffEntry,
        WaitEntry,
        ThresholdEntry,
        SetEntry,
        StimOnEntry,
        VisitEntry,
        ExamEntry,
        FinishEntry,
    ]
    assert [e.action for e in session.entries] == [a["action"] for a in ACTIONS]
    assert [e.index for e in session.entries] == list(range(len(ACTIONS)))


def test_records_carry_their_results(session: Session) -> None:
    e = session.entries
    first_set = e[1]
    assert isinstance(first_set, SetEntry)
    assert first_set.setting == Setting(
        contacts="1-", amplitude_ma=2.0, pulse_width_us=60, frequency_hz=130
    )
    assert first_set.current_ma == 2.0
    assert first_set.jump_ma == round(2.0 / 3, 3), "level 1 splits over three segments"
    assert first_set.stimulation_on is False
    second = e[11]
    assert isinstance(second, SetEntry) and second.jump_ma == 1.5, "1.5 mA on a fresh contact"
    visit, threshold, finish = e[13], e[10], e[15]
    assert isinstance(visit, VisitEntry) and (visit.after_days, visit.day) == (7, 7)
    assert isinstance(threshold, ThresholdEntry)
    assert (threshold.side, threshold.contact, threshold.kind, threshold.amplitude) == (
        "left",
        "0",
        "efficacy",
        2.0,
    )
    assert isinstance(finish, FinishEntry) and finish.clinic_minutes == session.clinic_minutes


def test_dict_view_matches_what_apply_returned() -> None:
    s = Session.start(PD, seed=2)
    returned = [s.apply(a) for a in ACTIONS]
    assert s.log == returned
    assert [e.to_dict() for e in s.entries] == returned
    assert s.actions() == ACTIONS
    assert type(s.actions()[5]["amplitude_ma"]) is int, "the action as given, not as parsed"
    assert s.thresholds == [returned[10]["result"]]


def test_records_are_immutable(session: Session) -> None:
    entry = session.entries[1]
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.day = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        entry.given["contacts"] = "3-"  # type: ignore[index]
    exam = session.entries[0]
    assert isinstance(exam, ExamEntry)
    with pytest.raises(TypeError):
        exam.items["x"] = 1.0  # type: ignore[index]
    with pytest.raises(AttributeError):
        session.entries = ()  # type: ignore[misc]


def test_records_copy_and_pickle(session: Session) -> None:
    assert copy.deepcopy(session.entries) == session.entries
    assert pickle.loads(pickle.dumps(session.entries)) == session.entries
    assert copy.deepcopy(session.entries[1]) != session.entries[3], "different records differ"


def test_changing_the_given_action_afterwards_changes_no_record() -> None:
    s = Session.start(PD, seed=0)
    action = set_action("left", "1-", 1.0)
    s.apply(action)
    action["contacts"] = "3-"
    assert s.entries[0].given["contacts"] == "1-"
    entry = s.entries[0]
    assert isinstance(entry, SetEntry) and entry.setting.contacts == "1-"


def test_summaries_use_the_one_setting_description(session: Session) -> None:
    entry = session.entries[1]
    assert isinstance(entry, SetEntry)
    assert entry.summary() == "left: 1- 2 mA, 60 µs, 130 Hz"
    assert entry.summary() == f"left: {describe_setting(entry.setting)}"
    assert describe_setting(entry.setting, compact=True) == "1- · 2 mA · 60 µs · 130 Hz"
    rows = session.to_records()
    assert rows[10]["summary"] == "efficacy threshold left contact 0: 2 mA"
    assert rows[13]["summary"] == "visit after 7 days (day 7)"
    assert rows[7]["summary"] == "levodopa taken"
    assert [r["summary"] for r in rows[3:4] + rows[8:9]] == ["stimulation on", "stimulation off"]


def test_threshold_in_volts_keeps_its_unit() -> None:
    entry = ThresholdEntry(
        index=0,
        day=0,
        minute=0.5,
        given={},
        side="right",
        contact="2",
        kind="side_effect",
        amplitude_v=3.5,
    )
    assert entry.amplitude == 3.5
    assert "amplitude_ma" not in entry.result() and entry.result()["amplitude_v"] == 3.5
    assert entry.summary() == "side_effect threshold right contact 2: 3.5 V"


# --- exam findings keep their body side ------------------------------------------------------
def test_exam_findings_keep_the_body_side() -> None:
    s = Session.start(PD, seed=0)
    s.apply({"action": "stim_on"})
    for amp in (2.0, 4.0, 6.0, 8.0):
        s.apply(set_action("left", "0-", amp))
    s.apply({"action": "examine"})
    exam = s.entries[-1]
    assert isinstance(exam, ExamEntry) and exam.findings
    sides = {f.body_side for f in exam.findings}
    assert sides <= {"right", "none"}, "the left lead acts on the right body side"
    assert "right" in sides and "none" in sides, sides
    for finding in exam.findings:
        assert ("right" in finding.sign) == (finding.body_side == "right"), finding
    assert exam.result()["signs"] == [f.sign for f in exam.findings]


# --- walk -------------------------------------------------------------------------------------
def test_walk_matches_the_engine_after_every_action() -> None:
    """Each step equals the state of a session that stopped right after that action."""
    steps = list(Session.replay(PD, 2, ACTIONS).walk())
    assert len(steps) == len(ACTIONS)
    for k, step in enumerate(steps):
        upto = Session.replay(PD, 2, ACTIONS[: k + 1])
        programmed = {s: p for s, p in upto.programs.items() if p is not None}
        assert dict(step.settings) == programmed, k
        assert dict(step.delivered) == upto.active_settings(), k
        assert step.stimulation_on == upto.stimulation_on, k
        assert step.medication_on == upto.medication_on, k
        assert (step.entry.day, step.entry.minute) == (upto.day, round(upto.minute, 4)), k


def test_walk_states_by_hand() -> None:
    def stamp(i: int) -> dict[str, Any]:
        return {"index": i, "day": 0, "minute": float(i), "given": {}}

    on_2ma = Setting(contacts="1-", amplitude_ma=2.0)
    on_1ma = Setting(contacts="0-", amplitude_ma=1.0)
    common = {"jump_ma": 0.0, "stimulation_on": False, "charge_density_uc_cm2": 1.0}
    entries: list[LogEntry] = [
        SetEntry(
            **stamp(0), side="left", setting=on_2ma, current_ma=2.0, over_limit=False, **common
        ),
        StimOnEntry(**stamp(1)),
        SetEntry(
            **stamp(2), side="right", setting=on_1ma, current_ma=1.0, over_limit=False, **common
        ),
        MedicationEntry(**stamp(3), medication_on=True),
        StimOffEntry(**stamp(4)),
        ExamEntry(**stamp(5), items={"a": 1.0}, total=1.0),
    ]
    steps = list(walk(entries))
    assert [s.stimulation_on for s in steps] == [False, True, True, True, False, False]
    assert [s.medication_on for s in steps] == [False, False, False, True, True, True]
    assert [sorted(s.settings) for s in steps] == [["left"]] * 2 + [["left", "right"]] * 4
    assert [s.delivered_current_ma("left") for s in steps] == [0.0, 2.0, 2.0, 2.0, 0.0, 0.0]
    assert [s.delivered_current_ma("right") for s in steps] == [0.0, 0.0, 1.0, 1.0, 0.0, 0.0]
    assert dict(steps[2].delivered) == {"left": on_2ma, "right": on_1ma}
    assert dict(steps[5].delivered) == {} and steps[5].settings["right"] == on_1ma
    assert [s.entry for s in steps] == entries
    assert entries_of(entries, SetEntry) == [entries[0], entries[2]]


def test_a_finding_shows_its_side() -> None:
    exam = ExamEntry(
        index=0,
        day=0,
        minute=3.0,
        given={},
        items={},
        total=0.0,
        findings=(
            Finding("Tonic flexion of the right hand.", "right"),
            Finding("Slurred.", "none"),
        ),
    )
    assert exam.signs == ["Tonic flexion of the right hand.", "Slurred."]
    assert exam.summary() == "exam total 0; Tonic flexion of the right hand.; Slurred."
