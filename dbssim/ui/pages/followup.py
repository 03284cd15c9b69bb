"""Follow-up page: fast-forward to later visits, examine, adjust; the trend of the scale total."""

from __future__ import annotations

import streamlit as st

from dbssim import viz
from dbssim.session.engine import Session
from dbssim.ui import (
    actions,
    clinic,
    control_errors,
    lead_status,
    log_rows,
    observations,
    program_editor,
    safety_panels,
    state,
)
from dbssim.ui.text import load_text, show_text

# Visit -> its day since the session started (day 0); six months is 182 days everywhere.
VISITS = {"1 week": 7, "1 month": 30, "3 months": 91, "6 months": 182}
# On a tablet or phone (under 1200 px) the trend and the last exam stack: side by side the
# exam's column is too narrow for its item names ("Speech and swallowing").
STACK_CSS = """<style>
@media (max-width: 1200px) {
  .st-key-followup_split [data-testid="stColumn"] { min-width: 100%; }
}
</style>"""


def visit_buttons(current: Session) -> None:
    """One button per planned visit; it lands on that day (``after_days = day − today``)."""
    st.markdown("**Go to the visit at …** (days since the session started)")
    cols = st.columns(len(VISITS))
    for col, (label, day) in zip(cols, VISITS.items(), strict=True):
        col.button(
            f"{label} (day {day})",
            key=f"visit_{day}",
            on_click=actions.act,
            args=({"action": "visit", "after_days": day - current.day}, "visit"),
            disabled=current.finished or day <= current.day,
            width="stretch",
        )
    if current.day >= max(VISITS.values()):
        st.caption("Every planned visit has passed.")
    any_day(current)
    control_errors.show_error("visit")


def _go_to_day() -> None:
    current = state.session()
    day = st.session_state.get("visit_day")
    if current is None or day is None:
        st.session_state["errors"]["visit"] = "day: type the day of the visit first"
        return
    if int(day) <= current.day:
        st.session_state["errors"]["visit"] = (
            f"day: {int(day)} is not after today (day {current.day}); give a later day"
        )
        return
    actions.apply_action({"action": "visit", "after_days": int(day) - current.day}, "visit")


def any_day(current: Session) -> None:
    """A visit on any later day (2 weeks, 12 months, …), not only the planned ones."""
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    # No min/max: Streamlit keeps the last valid number when one out of range is typed,
    # without a word; the action's own check names the value and the allowed range.
    c1.number_input(
        "… or on day (since the session started)",
        key="visit_day",
        value=None,
        step=1,
        placeholder="e.g. 14 or 365",
        disabled=current.finished,
    )
    c2.button("Go to that day", key="goto_day", on_click=_go_to_day, disabled=current.finished)


def trend(current: Session) -> None:
    scale = current.patient.scale
    fig = viz.plot_trend(
        log_rows.trend_points(current.entries),
        scale.name,
        baseline_total=sum(current.patient.baseline.values()),
        total_max=scale.modelled_max,
    )
    st.plotly_chart(fig, key="trend_fig")


def render() -> None:
    st.header("Follow-up")
    current = state.require_session()
    if current is None:
        return
    lead_status.status_badges(current)
    with st.expander("About follow-up visits", expanded=False):
        show_text("followup_help")
    if current.scenario.disease == "dystonia":
        st.info(load_text("followup_dystonia"), icon=":material/hourglass_top:")
    st.markdown(
        f"The patient is on **day {current.day}** since the session started. Stimulation "
        f"is **{'on' if current.stimulation_on else 'off'}**."
    )
    visit_buttons(current)
    if clinic.has_medication(current):
        st.divider()
        st.markdown(load_text("followup_pd"))
        clinic.medication_control(current)
        clinic.medication_dose(current)
    st.divider()
    clinic.clinic_controls(current)
    st.html(STACK_CSS)
    left, right = st.container(key="followup_split").columns([3, 2], gap="large")
    with left:
        trend(current)
    with right:
        observations.last_exam(current)
        st.markdown("**The patient says**")
        observations.patient_words(current, n=2)
    with st.expander("Adjust the program", expanded=False):
        sides = list(current.patient.sides)
        for col, side in zip(st.columns(len(sides), gap="large"), sides, strict=True):
            with col:
                program_editor.program_editor(current, side, show_lead=False)
                safety_panels.safety_panel(current, side)
