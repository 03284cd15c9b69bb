"""Issue 11 finding 1: an exam finding counts only for the lead that causes it, and the
page shows the other lead's state during a review."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.app.helpers import click, figures, go, live, start

MakeApp = Callable[[], AppTest]


def _program(at: AppTest, side: str, contact: str, amplitude: float) -> AppTest:
    polarity = at.session_state["drafts"][side]["polarity"]
    if polarity.get(contact) != "cathode":
        click(at, f"contact_{side}_{contact}")
    at.number_input(key=f"amp_{side}").set_value(amplitude).run()
    return click(at, f"apply_{side}")


def _review_left_then_right(at: AppTest) -> AppTest:
    """Review the left lead, turn it to 0 mA, then review the right lead (pd-stn)."""
    _program(at, "left", "0", 2.0)
    click(at, "stim_on")
    click(at, "examine")
    _program(at, "left", "0", 0.0)
    _program(at, "right", "0", 3.0)
    return click(at, "examine")


def test_a_sign_of_the_right_lead_is_not_pinned_on_the_left_lead_at_0_ma(
    new_app: MakeApp,
) -> None:
    at = _review_left_then_right(start(new_app(), "pd-stn"))
    exam = live(at).entries[-1]
    assert exam.findings, "the right lead at 3 mA on contact 0 should cause a sign (the case)"
    assert live(at).programs["left"].amplitude_ma == 0.0
    go(at, "Monopolar review")
    maps = figures(at)
    left_marks = maps["effects_map_left"]["data"][1]
    assert list(left_marks["x"]) == [], f"left lead at 0 mA got a ✕: {left_marks}"
    right_marks = maps["effects_map_right"]["data"][1]
    assert list(right_marks["x"]) == [3.0], right_marks
    assert exam.signs[0] in right_marks["text"][0]


def test_the_other_leads_state_is_shown_beside_the_review(new_app: MakeApp) -> None:
    at = _review_left_then_right(start(new_app(), "pd-stn"))
    for page in ("Programming", "Monopolar review", "Follow-up"):
        go(at, page)
        shown = "\n".join(str(m.value) for m in at.markdown)
        assert "Left lead: OFF (0 mA)" in shown, f"{page}: {shown}"
        assert "Right lead: ON 3.0 mA on 0-" in shown, f"{page}: {shown}"
        assert "Stimulation ON" in shown and "Day 0" in shown, f"{page}: {shown}"


def test_each_sign_names_its_lead_on_the_programming_page(new_app: MakeApp) -> None:
    at = _review_left_then_right(start(new_app(), "pd-stn"))
    seen = "\n".join(str(w.value) for w in at.warning)
    assert "Signs seen" in seen
    assert "— *right lead*" in seen, seen
    assert "left lead" not in seen, f"the left lead is at 0 mA: {seen}"
