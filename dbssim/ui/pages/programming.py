"""Programming page: per lead the drawing and settings; clinic actions; what you observe."""

from __future__ import annotations

import streamlit as st

from dbssim.ui import clinic, observations, program_editor, safety_panels, state
from dbssim.ui.pages import review
from dbssim.ui.text import authored, show_text


def render() -> None:
    st.header("Programming")
    current = state.require_session()
    if current is None:
        return
    with st.expander("How to program", expanded=False):
        show_text("programming_help")
    if current.finished:
        st.info("This session is finished: settings are locked. See the Debrief.")
    review.dystonia_note(current)
    sides = list(current.patient.sides)
    columns = st.columns(max(2, len(sides)), gap="large")
    if len(sides) == 1:  # one lead: keep the editor half-width, the task beside it
        with columns[1]:
            st.markdown("**Your task**")
            st.markdown(authored(current.scenario.case.question))
    for col, side in zip(columns, sides, strict=False):
        with col:
            program_editor.program_editor(current, side)
            safety_panels.safety_panel(current, side)
            with st.expander("Record a threshold for the monopolar review"):
                review.threshold_form(current, side)
    safety_panels.energy_panel(current)
    st.divider()
    clinic.medication_control(current)
    clinic.clinic_controls(current)
    exam_col, words_col = st.columns([3, 2], gap="large")
    with exam_col:
        observations.last_exam(current)
    with words_col:
        st.markdown("**The patient says**")
        observations.patient_words(current)
    st.markdown("**Log**")
    observations.log_table(current)
