"""Issue 11 findings 2 and 6: uneven current steering, ring-level thresholds, live charge
density and refusal above the limit (AppTest; the browser walk is in tests/e2e)."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.app.helpers import click, errors, figures, go, live, start, table

MakeApp = Callable[[], AppTest]


def test_a_70_30_split_between_two_segments_is_applied(new_app: MakeApp) -> None:
    at = start(new_app(), "pd-stn")
    click(at, "contact_left_2a")
    click(at, "contact_left_2b")
    assert at.number_input(key="share_left_2a").value == 50
    at.number_input(key="share_left_2a").set_value(70).run()
    at.number_input(key="share_left_2b").set_value(30).run()
    at.number_input(key="amp_left").set_value(2.0).run()
    click(at, "apply_left")
    assert live(at).programs["left"].contacts == "2a-:70,2b-:30", errors(at)
    currents = live(at).patient.sides["left"].currents_ma(live(at).programs["left"])
    labels = live(at).patient.sides["left"].lead.labels
    by_label = dict(zip(labels, currents.tolist(), strict=True))
    assert round(by_label["2a"], 3) == -1.4 and round(by_label["2b"], 3) == -0.6
    assert "(changes not applied yet)" not in at.button(key="apply_left").label


def test_shares_that_do_not_add_up_are_refused(new_app: MakeApp) -> None:
    at = start(new_app(), "pd-stn")
    click(at, "contact_left_2a")
    click(at, "contact_left_2b")
    at.number_input(key="share_left_2a").set_value(70).run()
    assert any("add up to 120 %" in e for e in errors(at)), errors(at)
    at.number_input(key="amp_left").set_value(2.0).run()
    click(at, "apply_left")
    assert live(at).programs["left"] is None, "a split over 100 % must not be applied"


def test_a_ring_level_threshold_is_recorded_and_shown(new_app: MakeApp) -> None:
    at = start(new_app(), "pd-stn")
    for label in ("2a", "2b", "2c"):
        click(at, f"contact_left_{label}")
    at.number_input(key="amp_left").set_value(1.5).run()
    click(at, "apply_left")
    click(at, "stim_on")
    click(at, "examine")
    go(at, "Monopolar review")
    contact = at.selectbox(key="thr_contact_left")
    assert contact.value == "2", "the applied whole level is offered as the ring"
    assert contact.format_func("2") == "2 (ring)"
    at.radio(key="thr_kind_left").set_value("efficacy")
    at.number_input(key="thr_amp_left").set_value(1.5)
    click(at, "thr_submit_left")
    assert live(at).thresholds[-1]["contact"] == "2"
    rows = table(at, "review_table_left")
    ring = rows[rows["contact"] == "2 (ring)"].iloc[0]
    assert ring["efficacy"] == "1.5"
    effects = figures(at)["effects_map_left"]
    marks = effects["data"][2]
    assert list(marks["y"]) == ["2-"] and list(marks["x"]) == [1.5], marks
    assert "2-" in list(effects["data"][0]["y"]), "the exam on the ring sits on the same row"


def test_charge_density_is_shown_before_apply_and_over_the_limit_refused(
    new_app: MakeApp,
) -> None:
    at = start(new_app(), "pd-stn")
    click(at, "contact_left_1a")
    at.number_input(key="amp_left").set_value(5.0).run()
    at.number_input(key="pw_left").set_value(450.0).run()
    bars = [p.proto.text for p in at.get("progress")]
    assert any(t.startswith("This setting: charge density") and "0.0 of" not in t for t in bars)
    assert any("will not deliver" in e for e in errors(at)), errors(at)
    click(at, "apply_left")
    assert live(at).programs["left"] is None, "over the limit: not applied"
    assert any(e.startswith("Not applied: charge density") for e in errors(at)), errors(at)


def test_recording_a_threshold_on_programming_is_confirmed(new_app: MakeApp) -> None:
    at = start(new_app(), "pd-stn")
    click(at, "contact_left_1a")
    at.number_input(key="amp_left").set_value(1.0).run()
    click(at, "apply_left")
    at.radio(key="thr_kind_left").set_value("side_effect")
    at.number_input(key="thr_amp_left").set_value(1.0)
    click(at, "thr_submit_left")
    assert live(at).thresholds[-1]["contact"] == "1a"
    assert [s.value for s in at.success] == [
        "Recorded: side-effect threshold 1 mA on 1a (step 1)"
    ], [s.value for s in at.success]
