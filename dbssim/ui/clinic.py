"""Clinic controls: stimulation on/off, examine, ask, wait, and (Parkinson's) medication.

Every action goes through :func:`dbssim.ui.actions.apply_action`; a refusal is shown
beside the control that caused it.
"""

from __future__ import annotations

import streamlit as st

from dbssim.session.actions import MAX_LEDD_MG_DAY
from dbssim.session.engine import Session
from dbssim.session.log import MedicationEntry, entries_of
from dbssim.ui import actions, control_errors, program_fields, state
from dbssim.ui.text import load_text


def delivering(current: Session) -> bool:
    """Whether switching on delivers anything: some lead programmed above 0 mA (or 0 V)."""
    return any(
        program_fields.amplitude_of(program_fields.setting_dict(p) or {}) > 0
        for p in current.programs.values()
    )


def has_medication(current: Session) -> bool:
    """Parkinson's cases with a levodopa response accept the medication action."""
    return current.patient.scenario.levodopa_response is not None


def _wait() -> None:
    actions.apply_action({"action": "wait", "minutes": st.session_state["wait_minutes"]}, "wait")


def clinic_controls(current: Session) -> None:
    """Stimulation on/off, examine, ask the patient, wait N minutes."""
    disabled = current.finished
    # One flex row that wraps: on a tablet the labels stay whole instead of "Stimula…".
    row = st.container(horizontal=True, wrap=True, gap="small", vertical_alignment="bottom")
    row.button(
        "Stimulation on",
        key="stim_on",
        on_click=actions.act,
        args=({"action": "stim_on"}, "stim"),
        disabled=disabled or current.stimulation_on,
        type="primary" if not current.stimulation_on else "secondary",
    )
    row.button(
        "Stimulation off",
        key="stim_off",
        on_click=actions.act,
        args=({"action": "stim_off"}, "stim"),
        disabled=disabled or not current.stimulation_on,
    )
    row.button(
        "Examine",
        key="examine",
        on_click=actions.act,
        args=({"action": "examine"}, "examine"),
        disabled=disabled,
        help="Rate the scale items and look for side effects",
    )
    row.button(
        "Ask the patient",
        key="ask",
        on_click=actions.act,
        args=({"action": "ask"}, "ask"),
        disabled=disabled,
    )
    if "wait_minutes" not in st.session_state:
        st.session_state["wait_minutes"] = 5
    # No min/max: Streamlit keeps the last valid number when one out of range is typed,
    # without a word; the action's own check names the value and the allowed range.
    row.number_input(
        "Minutes",
        key="wait_minutes",
        step=1,
        label_visibility="collapsed",
        disabled=disabled,
        help="Minutes to wait in clinic",
        width=120,
    )
    row.button("Wait", key="wait", on_click=_wait, disabled=disabled)
    for key in ("stim", "examine", "ask", "wait"):
        control_errors.show_error(key)
    if current.stimulation_on and not delivering(current):
        st.warning(load_text("nothing_delivered"), icon=":material/warning:")


def near_controls(current: Session, side: str) -> None:
    """Examine and Wait right under a lead's Apply: on a tablet or phone the main clinic
    row is a screen away from the amplitude being ramped."""
    row = st.container(horizontal=True, wrap=False, gap="small")
    row.button(
        "Examine",
        key=f"examine_{side}",
        on_click=actions.act,
        args=({"action": "examine"}, f"examine_{side}"),
        disabled=current.finished,
        width="stretch",
        icon=":material/stethoscope:",
    )
    minutes = int(st.session_state.get("wait_minutes", 5))
    row.button(
        f"Wait {minutes} min",
        key=f"wait_{side}",
        on_click=actions.act,
        args=({"action": "wait", "minutes": minutes}, f"wait_{side}"),
        disabled=current.finished,
        width="stretch",
        icon=":material/hourglass_top:",
    )
    for key in (f"examine_{side}", f"wait_{side}"):
        control_errors.show_error(key)


# --- Parkinson's disease: levodopa ------------------------------------------------------------
def _medication() -> None:
    taken = bool(st.session_state["medication"])
    actions.apply_action({"action": "medication", "state": "on" if taken else "off"}, "medication")


def medication_control(current: Session) -> None:
    """Levodopa taken or withheld (only for cases with a levodopa response)."""
    if not has_medication(current):
        return
    st.session_state["medication"] = current.medication_on  # a view of the engine's state
    st.toggle(
        "Levodopa taken (medication on)",
        key="medication",
        on_change=_medication,
        disabled=current.finished,
    )
    control_errors.show_error("medication")
    st.caption(load_text("medication_help"))


def prescribed_ledd(current: Session) -> float | None:
    """The last daily levodopa-equivalent dose the trainee prescribed (mg/day), if any."""
    doses = [e.ledd_mg_day for e in entries_of(current.entries, MedicationEntry)]
    given = [d for d in doses if d is not None]
    return given[-1] if given else None


def _set_dose() -> None:
    current = state.session()
    dose = st.session_state.get("ledd_mg_day")
    if current is None or dose is None:
        st.session_state["errors"]["ledd_set"] = "ledd_mg_day: type the daily dose (mg/day) first"
        return
    actions.apply_action(
        {
            "action": "medication",
            "state": "on" if current.medication_on else "off",
            "ledd_mg_day": float(dose),
        },
        "ledd_set",
    )


def medication_dose(current: Session) -> None:
    """Parkinson's: the daily levodopa-equivalent dose prescribed from this visit on."""
    if not has_medication(current):
        return
    prescribed = prescribed_ledd(current)
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    c1.number_input(
        "Daily levodopa-equivalent dose from now on (mg/day)",
        key="ledd_mg_day",
        value=prescribed,
        min_value=0.0,
        max_value=MAX_LEDD_MG_DAY,
        step=50.0,
        format="%.0f",
        placeholder="as before",
        disabled=current.finished,
    )
    c2.button("Prescribe", key="ledd_set", on_click=_set_dose, disabled=current.finished)
    control_errors.show_error("ledd_set")
    st.caption(
        "Prescribed: "
        + (f"**{prescribed:g} mg/day** LEDD" if prescribed is not None else "no change yet")
        + ". The simulated patient's medication benefit follows the dose against the "
        "pre-operative dose (half the dose keeps about three quarters of the benefit); the "
        "dose is also shown in the debrief."
    )


def medication_status(current: Session) -> str:
    """``Medication on`` / ``off`` for the sidebar, or empty for cases without medication."""
    if not has_medication(current):
        return ""
    return "Medication :orange[**on**]" if current.medication_on else "Medication off"
