"""A number typed out of range gets an error naming the field and the allowed range; the
app never falls back to the last valid value in silence (user test of the merged app)."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.app.helpers import click, errors, go, live, start

MakeApp = Callable[..., AppTest]


def test_a_negative_wait_is_refused_and_the_clock_stays(new_app: MakeApp) -> None:
    at = start(new_app())
    before = live(at).minute
    at.number_input(key="wait_minutes").set_value(-10).run()
    click(at, "wait")
    assert live(at).minute == before
    shown = " ".join(errors(at))
    assert "minutes" in shown and "-10" in shown, shown


def test_a_wait_longer_than_a_clinic_day_is_refused(new_app: MakeApp) -> None:
    at = start(new_app())
    at.number_input(key="wait_minutes").set_value(99999).run()
    click(at, "wait")
    assert live(at).minute == 0
    assert any("480" in e for e in errors(at)), errors(at)


def test_a_share_over_100_percent_is_refused_not_evened_out(new_app: MakeApp) -> None:
    at = start(new_app(), "pd-stn")
    click(at, "contact_left_2a")
    click(at, "contact_left_2b")
    at.number_input(key="share_left_2a").set_value(150).run()
    at.number_input(key="amp_left").set_value(2.0).run()
    click(at, "apply_left")
    assert live(at).programs.get("left") is None, "nothing applied"
    assert any("add up to 200 %" in e for e in errors(at)), errors(at)  # 150 + the other 50


def test_a_visit_day_beyond_ten_years_names_the_limit(new_app: MakeApp) -> None:
    at = go(start(new_app()), "Follow-up")
    at.number_input(key="visit_day").set_value(100000).run()
    click(at, "goto_day")
    assert live(at).day == 0
    shown = " ".join(errors(at))
    assert "day" in shown and "type the day" not in shown, shown
