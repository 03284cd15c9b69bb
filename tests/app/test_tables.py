"""The UI's log-to-rows helpers, on a real session (no Streamlit needed)."""

from __future__ import annotations

import pytest

from dbssim.patient.scales import load_scale
from dbssim.physics.devices import get_device
from dbssim.session.engine import Session
from dbssim.session.setting_text import describe_setting
from dbssim.ui import cell_text, log_rows, program_fields, steps, threshold_rows

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
    assert program_fields.polarity_to_spec(polarity, LABELS) == spec
    back = program_fields.spec_to_polarity(spec, LABELS)
    assert {k: v for k, v in back.items() if v != "off"} == polarity


def test_spec_to_polarity_ignores_steering_and_unknown_labels() -> None:
    back = program_fields.spec_to_polarity("2a-:70, 2b-:30, 9+", ["1", "2a", "2b", "2c"])
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
    obs = log_rows.observations(session.entries, "left", scale, session.patient.baseline)
    assert [o["contacts"] for o in obs] == ["1-", "1-"]
    assert [o["amplitude"] for o in obs] == [2.0, 2.0]
    assert all(0 <= o["benefit_pct"] <= 100 for o in obs)
    base = sum(session.patient.baseline[i.id] for i in scale.items if i.side == "right")
    for o in obs:
        expected = base * o["benefit_pct"] / 100
        if o["change_points"] > 0:
            assert o["change_points"] == pytest.approx(expected, abs=0.1), o
    assert log_rows.observations(session.entries, "right", scale, session.patient.baseline) == []


def test_map_signs_are_those_of_this_lead_or_of_no_side() -> None:
    """The left lead serves the right body side: a left-hand sign is the right lead's."""
    s = Session.start("dystonia-generalized-gpi", seed=0)
    s.apply({"action": "stim_on"})
    for side in ("left", "right"):
        for amp in (2.0, 4.0, 6.0, 8.0):
            s.apply(
                {
                    "action": "set",
                    "side": side,
                    "contacts": "0-",
                    "amplitude_ma": amp,
                    "pulse_width_us": 60.0,
                    "frequency_hz": 130.0,
                }
            )
    s.apply({"action": "examine"})
    scale = load_scale("bfmdrs")
    (left,) = log_rows.observations(s.entries, "left", scale, s.patient.baseline)
    (right,) = log_rows.observations(s.entries, "right", scale, s.patient.baseline)
    seen = s.log[-1]["result"]["signs"]
    assert any("left" in x for x in seen) and any("right" in x for x in seen), seen
    unlateral = [x for x in seen if "left" not in x and "right" not in x]
    assert unlateral, "a sign that shows no side (speech) is expected at 8 mA"
    # Both leads deliver 8 mA: a sign without a body side may be either's (issue 11).
    shared = {x: f"{x} (no body side: either lead)" for x in unlateral}
    assert left["signs"] == [shared.get(x, x) for x in seen if "left" not in x]
    assert right["signs"] == [shared.get(x, x) for x in seen if "right" not in x]


def test_trainee_review_rows_give_the_window(session: Session) -> None:
    rows = threshold_rows.trainee_review_rows(session.thresholds, "left", LABELS)
    assert rows[1] == {"contact": "1", "efficacy": 2.0, "side_effect": 4.5, "window": 2.5}
    assert rows[0]["window"] is None


def test_trend_points_follow_session_time(session: Session) -> None:
    points = log_rows.trend_points(session.entries)
    assert len(points) == 3
    assert points[-1]["t_days"] >= 7
    assert "stimulation on" in points[-1]["label"]


def test_log_rows_are_newest_first(session: Session) -> None:
    rows = log_rows.log_rows(session.to_records())
    assert rows[0]["action"] == "examine" and rows[-1]["step"] == 0
    assert len(rows) == len(session.log)


def test_describe_setting() -> None:
    assert describe_setting(None, compact=True) == "off"
    text = describe_setting(
        {"contacts": "1-", "amplitude_v": 2.5, "pulse_width_us": 90, "frequency_hz": 130},
        compact=True,
    )
    assert text == "1- · 2.5 V · 90 µs · 130 Hz"


def test_a_new_record_replaces_the_old_one() -> None:
    log = [
        {"side": "left", "contact": "1", "kind": "efficacy", "amplitude_ma": 2.0},
        {"side": "left", "contact": "1", "kind": "side_effect", "amplitude_ma": 4.0},
        {"side": "right", "contact": "1", "kind": "efficacy", "amplitude_ma": 9.0},
        {"side": "left", "contact": "1", "kind": "efficacy", "amplitude_ma": 2.5},
    ]
    marks = threshold_rows.threshold_marks(log, "left")
    assert marks == [
        {"contact": "1-", "kind": "efficacy", "amplitude": 2.5},
        {"contact": "1-", "kind": "side_effect", "amplitude": 4.0},
    ]
    rows = threshold_rows.trainee_review_rows(log, "left", LABELS)
    assert rows[1] == {"contact": "1", "efficacy": 2.5, "side_effect": 4.0, "window": 1.5}


@pytest.mark.parametrize(
    ("windows", "starred"),
    [
        ([None, -1.0, None], []),
        ([None, 0.0, None], []),
        ([2.0, -3.0, 2.5], [2]),
        ([None, 1.0, 1.0], [1, 2]),
    ],
)
def test_mark_widest_skips_missing_and_negative_windows(
    windows: list[float | None], starred: list[int]
) -> None:
    rows = [{"contact": str(i), "window": w} for i, w in enumerate(windows)]
    marked = threshold_rows.mark_widest(rows)
    assert [i for i, r in enumerate(marked) if r["note"] == threshold_rows.WIDEST] == starred
    assert "note" not in rows[0], "the input rows are not changed"


def test_as_text_shows_a_dash_for_empty_cells() -> None:
    rows = [{"contact": "1", "efficacy": None, "window": 2.0, "n": float("nan")}]
    assert cell_text.as_text(rows, ("efficacy", "window", "n")) == [
        {"contact": "1", "efficacy": "—", "window": "2", "n": "—"}
    ]


@pytest.mark.parametrize(
    ("step", "fmt", "typed", "sent"),
    [
        (0.1, "%.1f", 1.23, 1.2),
        (0.1, "%.1f", 1.25, 1.3),  # half away from zero, as the browser shows it
        (0.1, "%.1f", 2.6000000000000001, 2.6),
        (0.05, "%.2f", 1.234, 1.23),
        (10.0, "%.0f", 65.4, 65.0),
        (5.0, "%.0f", 130.0, 130.0),
    ],
)
def test_values_are_sent_as_the_field_shows_them(
    step: float, fmt: str, typed: float, sent: float
) -> None:
    assert steps.number_format(step) == fmt
    assert steps.as_shown(typed, step) == sent


def test_device_grids_read_the_device() -> None:
    device = get_device("medtronic-kinetra")
    grids = steps.device_grids(device, voltage=True)
    assert grids["amplitude"] == steps.Grid("amplitude_v", 0.0, 10.5, 0.1, "V")
    assert grids["pulse_width_us"].step == 30 and grids["pulse_width_us"].low == 60
    assert grids["frequency_hz"].problem(300.0) == (
        "frequency_hz: 300 Hz is outside the range of the device (2 to 250 Hz)"
    )
    assert grids["frequency_hz"].problem(130.0) is None
