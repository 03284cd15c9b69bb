"""Monopolar review and follow-up after a new user's test: thresholds are recorded only as
typed, replaced by a new record, shown without "None"; dystonia's notes; visits by day."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dbssim.ui import log_rows
from dbssim.ui.text import load_text
from tests.app.helpers import (
    click,
    errors,
    figures,
    go,
    live,
    markdown_and_errors,
    program_left,
    start,
    table,
    text,
)

MakeApp = Callable[[], AppTest]


def on_review(at: AppTest, contact: str = "1") -> AppTest:
    click(at, f"contact_left_{contact}")
    at.number_input(key="amp_left").set_value(2.0).run()
    click(at, "apply_left")
    click(at, "stim_on")
    click(at, "examine")
    return go(at, "Monopolar review")


def record(at: AppTest, contact: str, kind: str, amplitude: float | None) -> AppTest:
    at.selectbox(key="thr_contact_left").set_value(contact)
    at.radio(key="thr_kind_left").set_value(kind)
    if amplitude is not None:
        at.number_input(key="thr_amp_left").set_value(amplitude)
    return click(at, "thr_submit_left")


def review_row(at: AppTest, contact: str) -> dict[str, Any]:
    rows = table(at, "review_table_left")
    row: dict[str, Any] = rows[rows["contact"] == contact].iloc[0].to_dict()
    return row


# --- only what was typed is recorded ----------------------------------------------------------
def test_threshold_amplitude_starts_empty_and_is_never_prefilled(new_app: MakeApp) -> None:
    at = on_review(start(new_app()))
    field = at.number_input(key="thr_amp_left")
    assert field.value is None, "a pre-filled amplitude could be recorded without being typed"
    assert not at.warning and not at.exception, [w.value for w in at.warning]
    assert not field.proto.has_min and not field.proto.has_max, (
        "with min/max the browser swallows an out-of-range entry and submits the old value"
    )
    record(at, "1", "efficacy", None)
    assert live(at).thresholds == [], "nothing typed, nothing recorded"
    assert any("type the amplitude" in e for e in errors(at)), errors(at)


@pytest.mark.parametrize(
    ("amplitude", "why"),
    [
        (40.0, "outside the range of the device (0 to 25.5 mA)"),
        (-1.0, "outside the range"),
        (0.0, "greater than 0"),
    ],
)
def test_refused_threshold_shows_the_engine_error(
    new_app: MakeApp, amplitude: float, why: str
) -> None:
    at = on_review(start(new_app()))
    record(at, "1", "efficacy", amplitude)
    assert live(at).thresholds == [], f"{amplitude} mA must not be recorded"
    shown = [e for e in errors(at) if e.startswith("amplitude_ma:")]
    assert shown and why in shown[0], errors(at)
    assert at.number_input(key="thr_amp_left").value == amplitude, "keep what was typed"


def test_a_new_record_replaces_the_old_one_in_table_and_map(new_app: MakeApp) -> None:
    at = on_review(start(new_app()))
    record(at, "1", "efficacy", 2.0)
    assert at.number_input(key="thr_amp_left").value is None, "typed afresh after a record"
    record(at, "1", "efficacy", 2.5)
    assert [t["amplitude_ma"] for t in live(at).thresholds] == [2.0, 2.5], "the log keeps both"
    assert review_row(at, "1")["efficacy"] == "2.5"
    efficacy = figures(at)["effects_map_left"]["data"][2]
    assert list(efficacy["x"]) == [2.5] and list(efficacy["y"]) == ["1-"], efficacy
    assert load_text("threshold_replace") in text(at), "the UI explains how to replace"


def test_widest_window_is_never_a_negative_or_missing_one(new_app: MakeApp) -> None:
    at = on_review(start(new_app()))
    record(at, "1", "efficacy", 3.0)
    record(at, "1", "side_effect", 2.0)  # side effect before benefit: no window
    assert review_row(at, "1")["window"] == "-1"
    # Dystonia without a window: the star goes by the highest side-effect threshold (issue 11).
    assert review_row(at, "1")["note"] == "★", "the only side-effect threshold, not a window"
    record(at, "2", "side_effect", 4.0)  # missing efficacy: no window either
    notes = dict(
        zip(
            table(at, "review_table_left")["contact"],
            table(at, "review_table_left")["note"],
            strict=True,
        )
    )
    assert notes == {"0": "", "1": "", "2": "★", "3": ""}, notes
    assert load_text("dystonia_choice") in text(at)
    record(at, "3", "efficacy", 1.0)
    record(at, "3", "side_effect", 3.5)
    rows = table(at, "review_table_left")
    notes = dict(zip(rows["contact"], rows["note"], strict=True))
    assert notes == {"0": "", "1": "", "2": "", "3": "★"}, notes


def test_empty_cells_show_a_dash_not_none(new_app: MakeApp) -> None:
    at = on_review(start(new_app()))
    record(at, "1", "side_effect", 4.0)
    rows = table(at, "review_table_left")
    cells = rows[["efficacy", "side_effect", "window"]].to_numpy().ravel().tolist()
    assert None not in cells and "None" not in cells, cells
    assert review_row(at, "0") | {} == {
        "contact": "0",
        "efficacy": "—",
        "side_effect": "—",
        "window": "—",
        "note": "",
    }
    at.sidebar.checkbox(key="finish_confirm").check().run()
    click(at, "finish")
    for key in ("true_review_left", "your_review_left"):
        cells = table(at, key).to_numpy().ravel().tolist()
        assert None not in cells and "None" not in cells, f"{key}: {cells}"
    assert "—" in table(at, "your_review_left")["efficacy"].tolist()
    assert "efficacy_now" in table(at, "true_review_left").columns
    assert "efficacy_now" not in table(at, "your_review_left").columns, "no empty column"


# --- dystonia -------------------------------------------------------------------------------
def test_dystonia_pages_explain_that_benefit_is_slow_and_noisy(new_app: MakeApp) -> None:
    at = start(new_app())
    note = load_text("dystonia_note")
    assert note in [i.value for i in at.info], "Programming page: dystonia note missing"
    on_review(at)
    assert note in [i.value for i in at.info], "Monopolar review: dystonia note missing"
    kinds = at.radio(key="thr_kind_left")
    assert "optional" in kinds.format_func("efficacy"), "efficacy threshold optional"
    effects = figures(at)["effects_map_left"]
    benefit = effects["data"][0]
    assert "points" in benefit["marker"]["colorbar"]["title"]["text"]
    assert benefit["marker"]["cmin"] == -benefit["marker"]["cmax"], "centred on no change"
    # Day 0, no acute benefit in this case: the first exam differs from the baseline exam
    # only by rater noise (SEM derived from published reliability, docs/science.md §2.5), so
    # its hover names the noise band in points rather than a change.
    assert "no change beyond rater noise (±" in benefit["text"][0]
    assert "points)" in benefit["text"][0]
    assert "noise" in effects["layout"]["title"]["subtitle"]["text"]


def test_other_diseases_have_no_dystonia_note(new_app: MakeApp) -> None:
    at = on_review(start(new_app(), "pd-stn"), contact="0")
    assert load_text("dystonia_note") not in markdown_and_errors(at)
    assert "optional" not in at.radio(key="thr_kind_left").format_func("efficacy")
    benefit = figures(at)["effects_map_left"]["data"][0]
    assert benefit["marker"]["colorbar"]["title"]["text"] == "Benefit (%)"


# --- follow-up ------------------------------------------------------------------------------
def test_visit_buttons_land_on_their_day_since_the_start(new_app: MakeApp) -> None:
    at = program_left(start(new_app()), amplitude=2.0)
    click(at, "stim_on")
    go(at, "Follow-up")
    assert "The patient is on **day 0**" in text(at)
    click(at, "visit_7")
    assert live(at).day == 7
    click(at, "visit_30")
    assert live(at).day == 30, "1 month is day 30 since the start, not 30 days later"
    assert live(at).log[-1]["action"] == {"action": "visit", "after_days": 23}
    assert "The patient is on **day 30**" in text(at)
    disabled = {b.key: b.disabled for b in at.button if str(b.key).startswith("visit_")}
    assert disabled == {"visit_7": True, "visit_30": True, "visit_91": False, "visit_182": False}
    assert at.button(key="visit_91").label == "3 months (day 91)"
    click(at, "visit_182")
    assert live(at).day == 182
    assert all(b.disabled for b in at.button if str(b.key).startswith("visit_"))
    assert "Every planned visit has passed." in text(at)


# --- issue 11, findings 4 and 8 ----------------------------------------------------------------
def test_both_maps_share_one_amplitude_axis_and_noise_is_neutral(new_app: MakeApp) -> None:
    at = on_review(start(new_app()))  # dystonia: left 1- at 2 mA, one exam
    maps = figures(at)
    left, right = maps["effects_map_left"]["layout"], maps["effects_map_right"]["layout"]
    assert left["xaxis"]["range"] == right["xaxis"]["range"], (left["xaxis"], right["xaxis"])
    assert left["xaxis"]["range"][1] >= 2.0
    benefit = maps["effects_map_left"]["data"][0]
    session = live(at)
    points = log_rows.observations(
        session.entries, "left", session.patient.scale, session.patient.baseline
    )
    expected = [0.0 if o["within_noise"] else o["change_points"] for o in points]
    assert _numbers(benefit["marker"]["color"]) == expected
    for o, hover in zip(points, benefit["text"], strict=True):
        assert ("rater noise" in hover) == o["within_noise"], (o, hover)


def _numbers(values: Any) -> list[float]:
    """A Plotly array as numbers (plotly >= 6 sends {"dtype", "bdata"})."""
    if isinstance(values, dict):
        data = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        return [float(v) for v in data]
    return [float(v) for v in values]


def test_review_table_has_no_unlabelled_column(new_app: MakeApp) -> None:
    at = on_review(start(new_app()))
    columns = at.get_by_key("review_table_left").dataframe[0].proto.columns
    assert '"label": ""' not in columns and "Choice" in columns, columns


def test_pd_has_no_dystonia_guidance_and_the_debrief_names_its_own_anatomy(
    new_app: MakeApp,
) -> None:
    at = on_review(start(new_app(), "pd-stn"), contact="0")
    go(at, "Follow-up")
    shown = markdown_and_errors(at)
    assert "Why wait?" not in shown and "Dystonia responds" not in shown, shown
    assert "levodopa-equivalent" in shown
    at.sidebar.checkbox(key="finish_confirm").check().run()
    click(at, "finish")
    debrief_text = markdown_and_errors(at)
    assert "subthalamic nucleus" in debrief_text
    for word in ("pallidum", "optic tract"):
        assert word not in debrief_text.lower(), word
