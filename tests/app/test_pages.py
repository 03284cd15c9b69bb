"""Every page with Streamlit's AppTest: smoke runs and keyed interactions (STYLE 18)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from dbssim.patient.scenario_library import list_scenario_ids, load_scenario
from dbssim.physics.devices import get_device
from dbssim.ui.state import PAGES
from tests.app.helpers import SCENARIO, click, errors, figures, go, live, program_left, start, text

MakeApp = Callable[[], AppTest]


# --- smoke -------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_before_a_session(new_app: MakeApp, page: str) -> None:
    at = go(new_app(), page)
    if page not in ("Case",):
        assert at.info, f"{page} without a session should say how to start one"


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_during_a_session(new_app: MakeApp, page: str) -> None:
    at = program_left(start(new_app()))
    click(at, "stim_on")
    click(at, "examine")
    go(at, page)
    assert not errors(at), f"{page} shows errors: {errors(at)}"


@pytest.mark.parametrize("scenario_id", list_scenario_ids())
def test_every_scenario_starts_and_programs(new_app: MakeApp, scenario_id: str) -> None:
    at = start(new_app(), scenario_id)
    scenario = load_scenario(scenario_id)
    side = next(iter(scenario.leads))
    first = live(at).patient.sides[side].lead.labels[0]
    click(at, f"contact_{side}_{first}")
    at.number_input(key=f"amp_{side}").set_value(1.0).run()
    click(at, f"apply_{side}")
    assert not errors(at), f"{scenario_id}: {errors(at)}"
    assert live(at).programs[side] is not None
    for page in PAGES[2:4]:
        go(at, page)


# --- case page ---------------------------------------------------------------------------------
def test_case_sheet_follows_the_chosen_scenario(new_app: MakeApp) -> None:
    at = new_app()
    for scenario_id in list_scenario_ids():
        at.selectbox(key="case_scenario").set_value(scenario_id).run()
        title = load_scenario(scenario_id).title
        assert title in [s.value for s in at.subheader], f"case sheet of {scenario_id} not shown"
        assert at.session_state["case"]["scenario_id"] == scenario_id


def test_random_patient_like_this_one(new_app: MakeApp) -> None:
    at = new_app()
    at.checkbox(key="case_random").check().run()
    at.number_input(key="case_seed").set_value(7).run()
    at.button(key="start").click().run()
    session = live(at)
    assert session.random_patient and session.seed == 7
    assert "random patient" in session.patient.scenario.title


# --- programming page: keyed interactions --------------------------------------------------------
def test_contact_click_cycles_polarity_and_redraws_the_lead(new_app: MakeApp) -> None:
    at = start(new_app())
    cathode_colour = "#d1495b"
    shapes = figures(at)["lead_fig_left"]["layout"]["shapes"]
    assert cathode_colour not in [s["fillcolor"] for s in shapes], "no cathode before a click"
    click(at, "contact_left_1")
    assert at.button(key="contact_left_1").label == "1 −"
    shapes = figures(at)["lead_fig_left"]["layout"]["shapes"]
    assert [s["fillcolor"] for s in shapes].count(cathode_colour) == 1
    click(at, "contact_left_1")
    assert at.button(key="contact_left_1").label == "1 +"
    click(at, "contact_left_1")
    assert at.button(key="contact_left_1").label == "1"


def test_controls_read_their_steps_and_ranges_from_the_device(new_app: MakeApp) -> None:
    at = start(new_app())
    device = get_device(load_scenario(SCENARIO).device)
    for key, step, low, high, fmt in (
        ("amp_left", device.amplitude_step_ma, 0.0, device.amplitude_max_ma, "%.1f"),
        (
            "pw_left",
            device.pulse_width_step_us,
            device.pulse_width_min_us,
            device.pulse_width_max_us,
            "%.0f",
        ),
        (
            "freq_left",
            device.frequency_step_hz,
            device.frequency_min_hz,
            device.frequency_max_hz,
            "%.0f",
        ),
    ):
        widget = at.number_input(key=key)
        assert widget.step == step, f"{key}: step {widget.step}, device steps by {step}"
        assert widget.proto.format == fmt, f"{key}: format {widget.proto.format!r}, want {fmt!r}"
        assert f"{low:g} to {high:g}" in widget.help, f"{key}: range not in help {widget.help!r}"
        # No min/max on the widget: the browser would keep an out-of-range entry on screen
        # and send nothing, so Apply would silently send the old value.
        assert not widget.proto.has_min and not widget.proto.has_max, key


def test_apply_stim_on_examine_ask_change_what_is_shown(new_app: MakeApp) -> None:
    at = start(new_app())
    assert "Applied: off" in text(at)
    program_left(at, amplitude=2.5)
    assert "Applied: 1- · 2.5 mA · 60 µs · 130 Hz" in text(at)
    assert live(at).programs["left"].contacts == "1-"
    assert "of 30 µC/cm²" in at.get("progress")[0].proto.text
    assert "Stimulation off" in text(at)
    click(at, "stim_on")
    assert live(at).stimulation_on
    assert "Stimulation :green[**on**]" in text(at)
    assert len(at.dataframe) == 1, "only the log table before examining"
    click(at, "examine")
    assert "Last exam" in text(at)
    assert len(at.dataframe) == 2, "exam table and log table expected"
    assert len(at.dataframe[0].value) == len(live(at).patient.scale.items)
    click(at, "ask")
    assert "— *the patient, day 0" in text(at)
    at.number_input(key="wait_minutes").set_value(30).run()
    before = live(at).minute
    click(at, "wait")
    assert live(at).minute == pytest.approx(before + 30)


def test_amplitude_change_marks_pending_until_applied(new_app: MakeApp) -> None:
    at = program_left(start(new_app()), amplitude=1.0)
    assert at.button(key="apply_left").label == "Apply"
    at.number_input(key="amp_left").set_value(1.5).run()
    assert "not applied" in at.button(key="apply_left").label
    click(at, "apply_left")
    assert at.button(key="apply_left").label == "Apply"


def test_bad_input_shows_an_error_beside_the_control(new_app: MakeApp) -> None:
    at = start(new_app())
    click(at, "apply_left")  # no contact chosen
    assert any(e.startswith("contacts:") for e in errors(at)), errors(at)
    assert live(at).log == [], "a refused action must leave no trace"


def test_engine_refusal_shows_the_field_not_a_traceback(new_app: MakeApp) -> None:
    # Vercise Genus: 20 mA in total but at most 12.7 mA on one contact.
    at = start(new_app(), "dystonia-cervical-gpi")
    device = get_device("bsci-vercise-genus")
    assert device.contact_max_ma < 15.0 <= device.amplitude_max_ma
    click(at, "contact_left_1")
    at.number_input(key="amp_left").set_value(15.0).run()
    click(at, "apply_left")
    assert any(e.startswith("amplitude_ma:") for e in errors(at)), errors(at)
    assert live(at).programs["left"] is None


def test_pages_survive_the_drafts_being_left(new_app: MakeApp) -> None:
    at = start(new_app())
    click(at, "contact_left_1")
    at.number_input(key="amp_left").set_value(3.0).run()
    go(at, "Case")
    go(at, "Programming")
    assert at.number_input(key="amp_left").value == 3.0, "draft lost on page change"
    assert at.button(key="contact_left_1").label == "1 −"


# --- monopolar review --------------------------------------------------------------------------
def test_recorded_threshold_fills_the_table_and_the_map(new_app: MakeApp) -> None:
    at = program_left(start(new_app()), amplitude=2.0)
    click(at, "stim_on")
    click(at, "examine")
    go(at, "Monopolar review")
    maps = figures(at)
    assert len(maps["effects_map_left"]["data"][0]["x"]) == 1, "one exam on the map"
    at.selectbox(key="thr_contact_left").set_value("1")
    at.radio(key="thr_kind_left").set_value("side_effect")
    at.number_input(key="thr_amp_left").set_value(4.0)
    click(at, "thr_submit_left")
    assert live(at).thresholds[-1]["amplitude_ma"] == 4.0
    table = at.dataframe[0].value
    row = table[table["contact"] == "1"].iloc[0]
    assert row["side_effect"] == "4"
    marks = figures(at)["effects_map_left"]["data"][3]
    assert list(marks["y"]) == ["1-"], "side-effect threshold marked on the map"


# --- follow-up ---------------------------------------------------------------------------------
def test_follow_up_visit_moves_the_clock_and_the_trend(new_app: MakeApp) -> None:
    at = program_left(start(new_app()), amplitude=2.0)
    click(at, "stim_on")
    go(at, "Follow-up")
    click(at, "visit_30")
    assert live(at).day == 30
    click(at, "examine")
    click(at, "visit_91")
    click(at, "examine")
    trend = figures(at)["trend_fig"]
    assert len(trend["data"][0]["y"]) == 2
    assert "day 91" in text(at)


# --- debrief -----------------------------------------------------------------------------------
def test_debrief_is_unreachable_before_finishing(new_app: MakeApp) -> None:
    at = program_left(start(new_app()))
    click(at, "stim_on")
    go(at, "Debrief")
    assert at.info, "a locked debrief explains why"
    assert not at.get("plotly_chart") and not at.dataframe and not at.metric
    assert at.session_state["debrief"] is None, "no hidden truth computed before finishing"
    assert at.sidebar.button(key="finish").disabled, "finishing needs a confirmation"


def test_finish_opens_the_debrief(new_app: MakeApp) -> None:
    at = program_left(start(new_app()), amplitude=2.0)
    click(at, "stim_on")
    click(at, "examine")
    at.sidebar.checkbox(key="finish_confirm").check().run()
    click(at, "finish")
    assert at.session_state["page"] == "Debrief"
    assert live(at).finished
    assert [m.label for m in at.metric] == ["Outcome", "Safety", "Efficiency", "Process"]
    assert "anatomy_fig" not in figures(at), "the 3D view is drawn on request"
    at.toggle(key="debrief_3d").set_value(True).run()
    figs = figures(at)
    types = {trace["type"] for trace in figs["anatomy_fig"]["data"]}
    assert {"mesh3d", "scatter3d"} <= types
    names = [trace.get("name", "") for trace in figs["anatomy_fig"]["data"]]
    assert "VTA: your program" in names and "VTA: expert program" not in names
    at.checkbox(key="debrief_expert").check().run()
    names = [trace.get("name", "") for trace in figures(at)["anatomy_fig"]["data"]]
    assert "VTA: your program" in names and "VTA: expert program" in names
    assert {"windows_fig_left", "windows_fig_right", "timeline_fig"} <= set(figs)
    go(at, "Programming")
    assert at.button(key="apply_left").disabled, "a finished session is locked"
    go(at, "Debrief")
    at.radio(key="debrief_side").set_value("right").run()
    assert not at.exception
