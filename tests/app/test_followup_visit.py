"""Issue 11 findings 5 and 7: follow-up on any day, late side effects in the debrief, the
levodopa switch and the daily dose on the Follow-up page."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.app.helpers import click, errors, go, live, markdown_and_errors, start, table

MakeApp = Callable[[], AppTest]


def _program_2b(at: AppTest) -> AppTest:
    """pd-stn, left 2b- at 2 mA: no sign in clinic, dyskinesia within weeks (the model)."""
    click(at, "contact_left_2b")
    at.number_input(key="amp_left").set_value(2.0).run()
    click(at, "apply_left")
    click(at, "stim_on")
    click(at, "examine")
    assert live(at).entries[-1].signs == [], "the case assumes no sign on day 0"
    return go(at, "Follow-up")


def _visit_day(at: AppTest, day: int) -> AppTest:
    at.number_input(key="visit_day").set_value(day).run()
    return click(at, "goto_day")


def test_any_follow_up_day_and_late_side_effects_reach_the_debrief(new_app: MakeApp) -> None:
    at = _program_2b(start(new_app(), "pd-stn"))
    _visit_day(at, 14)
    assert live(at).day == 14
    click(at, "examine")
    _visit_day(at, 365)
    assert live(at).day == 365, "a visit a year after the start"
    click(at, "examine")
    late = live(at).entries[-1].signs
    assert late, "dyskinesia is expected within a year at 2 mA on 2b"
    _visit_day(at, 100)
    assert live(at).day == 365 and any("not after today" in e for e in errors(at)), errors(at)
    at.sidebar.checkbox(key="finish_confirm").check().run()
    click(at, "finish")
    shown = markdown_and_errors(at)
    assert "Seen at follow-up" in shown and late[0] in shown, shown
    seen = table(at, "signs_seen")
    row = seen[seen["sign"] == late[0]].iloc[0]
    assert row["lead"] == "left" and row["at your last exam"] == "yes", row.to_dict()


def test_levodopa_switch_and_dose_on_the_follow_up_page(new_app: MakeApp) -> None:
    at = _program_2b(start(new_app(), "pd-stn"))
    at.toggle(key="medication").set_value(True).run()
    assert live(at).medication_on
    at.number_input(key="ledd_mg_day").set_value(900.0).run()
    click(at, "ledd_set")
    last = live(at).log[-1]
    assert last["action"] == {"action": "medication", "state": "on", "ledd_mg_day": 900.0}
    assert last["result"] == {"medication_on": True, "ledd_mg_day": 900.0}
    assert "900 mg/day" in markdown_and_errors(at)
    at.sidebar.checkbox(key="finish_confirm").check().run()
    click(at, "finish")
    assert "Your medication plan:** 900 mg/day" in markdown_and_errors(at)


def test_dystonia_follow_up_has_no_dose_and_keeps_its_why_wait(new_app: MakeApp) -> None:
    at = go(start(new_app()), "Follow-up")
    shown = markdown_and_errors(at)
    assert "Why wait?" in shown and "levodopa-equivalent" not in shown
    assert not [n for n in at.number_input if n.key == "ledd_mg_day"]
