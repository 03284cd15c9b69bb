"""The session engine: validation, clock, replay, seeded exam noise, append-only log."""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dbssim.patient.exam import true_exam
from dbssim.patient.scenario_library import list_scenario_ids, load_scenario
from dbssim.session.engine import ACTION_MINUTES, Session, SessionError

DYSTONIA = "dystonia-generalized-gpi"


def amplitude_key(session: Session) -> str:
    return "amplitude_v" if session.scenario.amplitude_mode == "voltage" else "amplitude_ma"


def set_action(
    session: Session, side: str, contacts: str, amplitude: float, pw: float = 60, f: float = 130
) -> dict[str, Any]:
    return {
        "action": "set",
        "side": side,
        "contacts": contacts,
        amplitude_key(session): amplitude,
        "pulse_width_us": pw,
        "frequency_hz": f,
    }


def script(session: Session) -> list[dict[str, Any]]:
    """A short plausible session on any scenario: review two contacts, then follow up."""
    actions: list[dict[str, Any]] = [{"action": "stim_on"}]
    for side, model in session.patient.sides.items():
        for label in model.lead.labels[:2]:
            for amplitude in (1.0, 2.0):
                actions += [
                    set_action(session, side, f"{label}-", amplitude),
                    {"action": "examine"},
                    {"action": "ask"},
                ]
            actions.append(
                {
                    "action": "record_threshold",
                    "side": side,
                    "contact": label,
                    "kind": "efficacy",
                    amplitude_key(session): 2.0,
                }
            )
    actions += [{"action": "wait", "minutes": 10}, {"action": "visit", "after_days": 30}]
    actions += [{"action": "examine"}, {"action": "finish"}]
    return actions


def snapshot(session: Session) -> Any:
    return (
        copy.deepcopy(session.log),
        dict(session.programs),
        session.stimulation_on,
        session.day,
        session.minute,
        session.finished,
        copy.deepcopy(session.thresholds),
        session.state,
        session._exam_rng.bit_generator.state,
    )


@pytest.mark.parametrize("scenario_id", list_scenario_ids())
def test_replay_gives_identical_log_and_outcome(scenario_id):
    first = Session.start(scenario_id, seed=7)
    for action in script(first):
        first.apply(action)
    again = Session.replay(scenario_id, 7, first.actions())
    assert again.log == first.log, "replay log differs from the original"
    assert again.state == first.state, "replay patient state differs"
    assert again.programs == first.programs
    assert again.to_records() == first.to_records()


def test_replay_of_a_random_patient():
    first = Session.start(DYSTONIA, seed=3, random_patient=True)
    for action in script(first):
        first.apply(action)
    again = Session.replay(first.scenario, first.seed, first.actions(), random_patient=True)
    assert again.log == first.log
    assert again.patient.scenario == first.patient.scenario


def test_random_patient_is_seeded():
    a = Session.start(DYSTONIA, seed=1, random_patient=True).patient.scenario
    b = Session.start(DYSTONIA, seed=1, random_patient=True).patient.scenario
    c = Session.start(DYSTONIA, seed=2, random_patient=True).patient.scenario
    plain = Session.start(DYSTONIA, seed=1).patient.scenario
    assert a == b, "same seed gave different random patients"
    assert a.leads["left"].tip_mm != c.leads["left"].tip_mm, "different seeds, same patient"
    assert plain.leads == load_scenario(DYSTONIA).leads, "random_patient=False changed the leads"


def _exam_totals(seed: int) -> list[dict[str, float]]:
    s = Session.start(DYSTONIA, seed=seed)
    return [s.apply({"action": "examine"})["result"]["items"] for _ in range(6)]


def test_same_seed_same_noisy_exams_different_seed_different():
    assert _exam_totals(11) == _exam_totals(11), "same seed gave different exams"
    assert _exam_totals(11) != _exam_totals(12), "different seeds gave identical exam noise"


def test_starts_off_with_no_program():
    s = Session.start(DYSTONIA, seed=0)
    assert s.stimulation_on is False
    assert s.programs == {"left": None, "right": None}
    assert (s.day, s.minute, s.finished, s.log, s.thresholds) == (0, 0.0, False, [], [])
    assert s.seed == 0 and s.scenario.id == DYSTONIA


def test_clock_advances_by_each_action_cost():
    s = Session.start(DYSTONIA, seed=0)
    ramp_min = s.patient.device.ramp_s / 60
    steps = [
        (set_action(s, "left", "1-", 1.0), ACTION_MINUTES["set"] + ramp_min),
        ({"action": "stim_on"}, ACTION_MINUTES["stim_on"]),
        ({"action": "examine"}, ACTION_MINUTES["examine"]),
        ({"action": "ask"}, ACTION_MINUTES["ask"]),
        ({"action": "wait", "minutes": 12.5}, 12.5),
        (
            {
                "action": "record_threshold",
                "side": "left",
                "contact": "1",
                "kind": "side_effect",
                "amplitude_ma": 1.0,
                "note": "none yet",
            },
            ACTION_MINUTES["record_threshold"],
        ),
        ({"action": "stim_off"}, ACTION_MINUTES["stim_off"]),
    ]
    for action, cost in steps:
        before = s.minute
        entry = s.apply(action)
        assert s.minute == pytest.approx(before + cost, abs=1e-9), f"{action['action']} cost"
        assert entry["minute"] == pytest.approx(s.minute, abs=1e-4)
        assert entry["day"] == 0
    entry = s.apply({"action": "visit", "after_days": 14})
    assert (s.day, s.minute) == (14, 0.0), "a visit moves the day on and resets the minute"
    assert entry["result"] == {"after_days": 14, "day": 14}
    assert [e["index"] for e in s.log] == list(range(len(s.log)))
    assert s.thresholds[0]["contact"] == "1" and s.thresholds[0]["note"] == "none yet"


def test_visit_lets_dystonia_improve():
    s = Session.start(DYSTONIA, seed=0)
    s.apply(set_action(s, "left", "1-", 2.0, pw=90))
    s.apply(set_action(s, "right", "1-", 2.0, pw=90))
    s.apply({"action": "stim_on"})
    s.apply({"action": "examine"})
    day0 = true_exam(s.patient, s.state).total
    s.apply({"action": "visit", "after_days": 30})
    day30 = true_exam(s.patient, s.state).total
    baseline = sum(s.patient.baseline.values())
    assert baseline - day0 < 0.05 * baseline, f"dystonia improved too fast: {day0} vs {baseline}"
    assert day30 < 0.8 * baseline, f"no improvement after 30 days: {day30} vs {baseline}"
    noisy = s.apply({"action": "examine"})["result"]
    assert noisy["total"] < baseline, f"exam after 30 days {noisy['total']} >= {baseline}"
    assert set(noisy) == {"items", "total", "signs"}


def test_side_effect_is_seen_and_reported():
    s = Session.start(DYSTONIA, seed=0)
    s.apply({"action": "stim_on"})
    for amp in (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0):
        s.apply(set_action(s, "left", "0-", amp))
    exam = s.apply({"action": "examine"})["result"]
    reports = s.apply({"action": "ask"})["result"]["reports"]
    assert exam["signs"], "no sign at 8 mA on the deepest contact"
    assert reports and all(isinstance(r, str) for r in reports)


BAD_ACTIONS = [
    ("not a dict", "action"),
    ({}, "action"),
    ({"action": "jump"}, "action"),
    ({"action": 3}, "action"),
    ({"action": "wait"}, "minutes"),
    ({"action": "wait", "minutes": 0}, "minutes"),
    ({"action": "wait", "minutes": "5"}, "minutes"),
    ({"action": "wait", "minutes": math.nan}, "minutes"),
    ({"action": "examine", "extra": 1}, "extra"),
    ({"action": "visit", "after_days": 0}, "after_days"),
    ({"action": "visit", "after_days": 2.5}, "after_days"),
    (
        {"action": "set", "side": "top", "contacts": "1-", "amplitude_ma": 1.0,
         "pulse_width_us": 60, "frequency_hz": 130},
        "side",
    ),
    (
        {"action": "set", "side": "left", "contacts": "9-", "amplitude_ma": 1.0,
         "pulse_width_us": 60, "frequency_hz": 130},
        "contacts",
    ),
    (
        {"action": "set", "side": "left", "contacts": "1-", "amplitude_ma": 26.0,
         "pulse_width_us": 60, "frequency_hz": 130},
        "amplitude_ma",
    ),
    (
        {"action": "set", "side": "left", "contacts": "1-", "amplitude_ma": 1.0,
         "pulse_width_us": 5, "frequency_hz": 130},
        "pulse_width_us",
    ),
    (
        {"action": "set", "side": "left", "contacts": "1-", "amplitude_ma": 1.0,
         "pulse_width_us": 60, "frequency_hz": 300},
        "frequency_hz",
    ),
    (
        {"action": "set", "side": "left", "contacts": "1-", "pulse_width_us": 60,
         "frequency_hz": 130},
        "amplitude_ma",
    ),
    (
        {"action": "set", "side": "left", "contacts": "1-", "amplitude_ma": 1.0,
         "pulse_width_us": 60},
        "frequency_hz",
    ),
    (
        {"action": "set", "side": "left", "contacts": "1-", "amplitud_ma": 1.0,
         "pulse_width_us": 60, "frequency_hz": 130},
        "amplitud_ma",
    ),
    (
        {"action": "record_threshold", "side": "left", "contact": "7", "kind": "efficacy",
         "amplitude_ma": 1.0},
        "contact",
    ),
    (
        {"action": "record_threshold", "side": "left", "contact": "1", "kind": "best",
         "amplitude_ma": 1.0},
        "kind",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("action", "field"), BAD_ACTIONS)
def test_bad_action_names_the_field_and_logs_nothing(action, field):
    s = Session.start(DYSTONIA, seed=0)
    s.apply({"action": "stim_on"})
    before = snapshot(s)
    with pytest.raises(SessionError) as info:
        s.apply(action)
    assert info.value.field == field, f"expected field {field}, got {info.value.field}"
    assert str(info.value).startswith(f"{field}:"), str(info.value)
    assert info.value.message
    assert snapshot(s) == before, "a refused action changed the session"


def test_unknown_key_suggests_the_closest():
    s = Session.start(DYSTONIA, seed=0)
    with pytest.raises(SessionError, match="did you mean 'amplitude_ma'"):
        s.apply(
            {"action": "set", "side": "left", "contacts": "1-", "amplitude_mA": 1.0,
             "pulse_width_us": 60, "frequency_hz": 130}
        )  # fmt: skip


def test_side_without_a_lead_is_refused():
    base = load_scenario(DYSTONIA)
    one_sided = base.revalidated(leads={"left": base.leads["left"].model_dump()})
    s = Session.start(one_sided, seed=0)
    assert list(s.programs) == ["left"]
    for action in (
        set_action(s, "right", "1-", 1.0),
        {"action": "record_threshold", "side": "right", "contact": "1", "kind": "efficacy",
         "amplitude_ma": 1.0},
    ):  # fmt: skip
        with pytest.raises(SessionError, match="no right lead") as info:
            s.apply(action)
        assert info.value.field == "side"
    assert s.log == []


def test_start_refuses_bad_seed_and_unknown_scenario():
    with pytest.raises(SessionError) as info:
        Session.start(DYSTONIA, seed=-1)
    assert info.value.field == "seed"
    with pytest.raises(SessionError) as info:
        Session.start("dystonia-generalised-gpi", seed=0)
    assert info.value.field == "scenario" and "did you mean" in info.value.message


@pytest.mark.parametrize(
    "action",
    [
        {"action": "examine"},
        {"action": "ask"},
        {"action": "stim_on"},
        {"action": "wait", "minutes": 1},
        {"action": "visit", "after_days": 1},
        {"action": "finish"},
        {"action": "set", "side": "left", "contacts": "1-", "amplitude_ma": 1.0,
         "pulse_width_us": 60, "frequency_hz": 130},
    ],
)  # fmt: skip
def test_actions_after_finish_are_refused(action):
    s = Session.start(DYSTONIA, seed=0)
    s.apply({"action": "finish"})
    assert s.finished
    before = snapshot(s)
    with pytest.raises(SessionError, match="finished"):
        s.apply(action)
    assert snapshot(s) == before


def test_log_entries_are_copies():
    s = Session.start(DYSTONIA, seed=0)
    action = set_action(s, "left", "1-", 1.0)
    entry = s.apply(action)
    entry["result"]["program"]["contacts"] = "3-"
    action["contacts"] = "2-"
    assert s.log[0]["action"]["contacts"] == "1-"
    assert s.log[0]["result"]["program"]["contacts"] == "1-"
    assert set(entry) == {"index", "action", "day", "minute", "result"}


def test_amplitude_jump_and_density_are_reported():
    s = Session.start(DYSTONIA, seed=0)
    s.apply({"action": "stim_on"})
    r = s.apply(set_action(s, "left", "1-", 5.0, pw=450))["result"]
    assert r["jump_ma"] == pytest.approx(5.0) and r["stimulation_on"] is True
    assert r["over_limit"] and r["warnings"], "5 mA at 450 µs on a 3389 ring is over 30 µC/cm²"
    status = s.safety_status()
    assert set(status) == {"left", "right"}
    assert set(status["left"]) == {
        "charge_density_uc_cm2", "limit", "over_limit", "teed_uw", "battery_months",
        "recharge_interval_days",
    }  # fmt: skip
    assert status["left"]["over_limit"] and not status["right"]["over_limit"]
    assert status["left"]["charge_density_uc_cm2"] == pytest.approx(37.5, rel=0.02)
    assert status["left"]["battery_months"] == status["right"]["battery_months"]


def test_records_are_flat_rows():
    s = Session.start(DYSTONIA, seed=0)
    for action in script(s):
        s.apply(action)
    rows = s.to_records()
    assert len(rows) == len(s.log)
    for row in rows:
        assert set(row) == {"index", "action", "day", "minute", "summary"}
        assert isinstance(row["summary"], str) and row["summary"]


# --- property: random action sequences --------------------------------------------------------
_numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-10, 10_000),
    st.booleans(),
    st.none(),
    st.text(max_size=4),
)
_sides = st.sampled_from(["left", "right", "top", ""])
_labels = st.sampled_from(["0", "1", "2", "3", "9", "1a"])
_valid = st.one_of(
    st.builds(
        lambda side, label, amp, pw, f: {
            "action": "set", "side": side, "contacts": f"{label}-", "amplitude_ma": amp,
            "pulse_width_us": pw, "frequency_hz": f,
        },
        st.sampled_from(["left", "right"]), st.sampled_from(["0", "1", "2", "3"]),
        st.floats(0, 8).map(lambda x: round(x, 1)), st.sampled_from([60, 90, 120, 450]),
        st.sampled_from([60, 130, 180]),
    ),
    st.sampled_from([{"action": a} for a in ("stim_on", "stim_off", "examine", "ask")]),
    st.builds(lambda m: {"action": "wait", "minutes": m}, st.floats(0.1, 60)),
    st.builds(lambda d: {"action": "visit", "after_days": d}, st.integers(1, 60)),
    st.builds(
        lambda side, label, kind, amp: {
            "action": "record_threshold", "side": side, "contact": label, "kind": kind,
            "amplitude_ma": amp,
        },
        st.sampled_from(["left", "right"]), st.sampled_from(["0", "1", "2", "3"]),
        st.sampled_from(["efficacy", "side_effect"]), st.floats(0, 10),
    ),
)  # fmt: skip
_invalid = st.one_of(
    st.dictionaries(st.sampled_from(["action", "side", "minutes", "x"]), _numbers, max_size=3),
    st.builds(
        lambda side, label, amp, pw, f, key: {
            "action": "set", "side": side, "contacts": label, key: amp,
            "pulse_width_us": pw, "frequency_hz": f,
        },
        _sides, st.one_of(_labels, st.text(max_size=6)), _numbers, _numbers, _numbers,
        st.sampled_from(["amplitude_ma", "amplitude_v", "amp"]),
    ),
    st.builds(lambda m: {"action": "wait", "minutes": m}, _numbers),
    st.builds(lambda d: {"action": "visit", "after_days": d}, _numbers),
    st.builds(
        lambda side, label, kind, amp: {
            "action": "record_threshold", "side": side, "contact": label, "kind": kind,
            "amplitude_ma": amp,
        },
        _sides, st.one_of(_labels, st.text(max_size=3)), st.text(max_size=10), _numbers,
    ),
    st.sampled_from([None, [], "examine", {"action": ["set"]}, {"action": "finish", "x": 1}]),
)  # fmt: skip


def _state_is_finite(s: Session) -> bool:
    values = [*s.state.relief.values(), *s.state.side_effects.values()]
    return all(np.isfinite(values)) and math.isfinite(s.minute)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_valid, _invalid, st.just({"action": "finish"})), max_size=25))
def test_random_action_sequences_never_corrupt_the_session(actions):
    s = Session.start(DYSTONIA, seed=5)
    for action in actions:
        before = snapshot(s)
        day, minute = s.day, s.minute
        try:
            entry = s.apply(action)
        except SessionError as exc:
            assert exc.field and exc.message
            assert snapshot(s) == before, f"refused {action!r} changed the session"
            continue
        assert entry == s.log[-1] and entry["index"] == len(s.log) - 1
        assert (s.day, s.minute) >= (day, minute), "the clock went back"
        assert _state_is_finite(s), f"non-finite patient state after {action!r}"
    assert Session.replay(DYSTONIA, 5, s.actions()).log == s.log


def test_settings_off_the_device_grid_are_refused():
    s = Session.start("dystonia-generalized-gpi", seed=0)
    base = {
        "action": "set",
        "side": "left",
        "contacts": "1-",
        "amplitude_ma": 2.0,
        "pulse_width_us": 60,
        "frequency_hz": 130,
    }
    for key, bad in (("amplitude_ma", 1.23), ("pulse_width_us", 65), ("frequency_hz", 131)):
        with pytest.raises(SessionError) as err:
            s.apply(base | {key: bad})
        assert err.value.field == key, err.value
        assert "steps by" in str(err.value)
    assert s.log == []
    s.apply(base | {"amplitude_ma": 1.2})
    assert len(s.log) == 1


def test_rater_never_scores_a_normal_region_as_dystonic():
    s = Session.start("dystonia-generalized-gpi", seed=5)
    normal = [k for k, v in s.patient.baseline.items() if v == 0]
    assert normal
    for _ in range(20):
        items = s.apply({"action": "examine"})["result"]["items"]
        assert all(items[k] == 0 for k in normal), items


def test_threshold_at_zero_amplitude_is_refused():
    s = Session.start("dystonia-generalized-gpi", seed=0)
    with pytest.raises(SessionError) as err:
        s.apply(
            {
                "action": "record_threshold",
                "side": "left",
                "contact": "1",
                "kind": "efficacy",
                "amplitude_ma": 0,
            }
        )
    assert err.value.field == "amplitude_ma"
