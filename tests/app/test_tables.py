"""The UI's log-to-rows helpers, on a real session (no Streamlit needed)."""

from __future__ import annotations

import pytest

from dbssim.scales import load_scale
from dbssim.session import Session
from dbssim.ui import tables

LABELS = ["0", "1", "2", "3"]


@pytest.mark.parametrize(
    ("polarity", "spec"),
    [
        ({"1": "cathode"}, "1-"),
        ({"1": "cathode", "2": "anode"}, "1-,2+"),
        ({"3": "anode", "0": "cathode", "1": "cathode"}, "0-,1-,3+"),
        ({}, ""),
    ],
)
def test_spec_round_trip(polarity: dict[str, str], spec: str) -> None:
    assert tables.polarity_to_spec(polarity, LABELS) == spec
    back = tables.spec_to_polarity(spec, LABELS)
    assert {k: v for k, v in back.items() if v != "off"} == polarity


def test_spec_to_polarity_ignores_steering_and_unknown_labels() -> None:
    back = tables.spec_to_polarity("2a-:70, 2b-:30, 9+", ["1", "2a", "2b", "2c"])
    assert back == {"1": "off", "2a": "cathode", "2b": "cathode", "2c": "off"}


@pytest.fixture(scope="module")
def session() -> Session:
    s = Session.start("dystonia-generalized-gpi", seed=3)
    s.apply({"action": "examine"})  # off: not on the map
    s.apply(
        {
            "action": "set",
            "side": "left",
            "contacts": "1-",
            "amplitude_ma": 2.0,
            "pulse_width_us": 60.0,
            "frequency_hz": 130.0,
        }
    )
    s.apply({"action": "stim_on"})
    s.apply({"action": "examine"})
    s.apply(
        {
            "action": "record_threshold",
            "side": "left",
            "contact": "1",
            "kind": "efficacy",
            "amplitude_ma": 2.0,
        }
    )
    s.apply(
        {
            "action": "record_threshold",
            "side": "left",
            "contact": "1",
            "kind": "side_effect",
            "amplitude_ma": 4.5,
        }
    )
    s.apply({"action": "visit", "after_days": 7})
    s.apply({"action": "examine"})
    return s


def test_observations_only_count_exams_with_this_side_on(session: Session) -> None:
    scale = load_scale("bfmdrs")
    obs = tables.observations(session.log, "left", scale, session.patient.baseline)
    assert [o["contacts"] for o in obs] == ["1-", "1-"]
    assert [o["amplitude"] for o in obs] == [2.0, 2.0]
    assert all(0 <= o["benefit_pct"] <= 100 for o in obs)
    assert tables.observations(session.log, "right", scale, session.patient.baseline) == []


def test_trainee_review_rows_give_the_window(session: Session) -> None:
    rows = tables.trainee_review_rows(session.thresholds, "left", LABELS)
    assert rows[1] == {"contact": "1", "efficacy": 2.0, "side_effect": 4.5, "window": 2.5}
    assert rows[0]["window"] is None


def test_trend_points_follow_session_time(session: Session) -> None:
    points = tables.trend_points(session.log)
    assert len(points) == 3
    assert points[-1]["t_days"] >= 7
    assert "stimulation on" in points[-1]["label"]


def test_log_rows_are_newest_first(session: Session) -> None:
    rows = tables.log_rows(session.to_records())
    assert rows[0]["action"] == "examine" and rows[-1]["step"] == 0
    assert len(rows) == len(session.log)


def test_describe_setting() -> None:
    assert tables.describe_setting(None) == "off"
    text = tables.describe_setting(
        {"contacts": "1-", "amplitude_v": 2.5, "pulse_width_us": 90, "frequency_hz": 130}
    )
    assert text == "1- · 2.5 V · 90 µs · 130 Hz"
