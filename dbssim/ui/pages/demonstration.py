"""Educator page: project a case and reveal its hidden truth layer by layer, programming live.

Layers, revealed in order: the anatomy with the lead where it really sits, the volume
activated by the program now on, the true (noise-free) monopolar review with its
therapeutic windows, and the expert program. This page shows the hidden truth of an
unfinished session, so it exists only for a signed-in educator (navigation checks it on
every run, and so does :func:`render`); nothing it computes goes into session state.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from dbssim import viz
from dbssim.patient.expert import find_expert_program
from dbssim.patient.review import compute_review
from dbssim.patient.scenario_files import ScenarioError
from dbssim.patient.virtual_patient import VirtualPatient
from dbssim.physics.program import Setting
from dbssim.physics.vta import compute_vta
from dbssim.session.engine import Session
from dbssim.session.setting_text import describe_setting
from dbssim.ui import (
    case_files,
    clinic,
    control_errors,
    educator,
    observations,
    program_editor,
    program_fields,
    safety_panels,
    state,
    storage,
    threshold_rows,
)
from dbssim.ui.pages.classes import case_choices
from dbssim.ui.pages.debrief import review_cells, review_columns
from dbssim.ui.state import PREFERRED_SCENARIO
from dbssim.ui.text import plain

LAYERS = ("Anatomy", "Activated volume", "True monopolar review", "Expert program")
DEMO_TRAINEE = "Demonstration"


def _start() -> None:
    ss = st.session_state
    try:
        scenario = case_files.load_case(storage.get_store(), ss["demo_case"])
        new = storage.get_store().start_session(scenario, scenario.seed, DEMO_TRAINEE)
    except (ScenarioError, *storage.STORE_ERRORS) as exc:
        ss["errors"]["demo_start"] = storage.database_message(exc)
        return
    state.install(new)
    ss["demo_layer"] = 0


def _step(delta: int) -> None:
    layer = int(st.session_state.get("demo_layer", 0)) + delta
    st.session_state["demo_layer"] = min(max(layer, 0), len(LAYERS))


@st.cache_data(show_spinner="Searching for the expert program…", max_entries=16)
def expert_program(session_id: str, _patient: VirtualPatient) -> dict[str, Any]:
    """The expert program of a demonstrated patient (one search per session)."""
    return find_expert_program(_patient).model_dump(exclude_none=True)


def live_vta(current: Session, side: str) -> tuple[np.ndarray, np.ndarray] | None:
    setting = current.programs.get(side)
    if setting is None or not current.stimulation_on:
        return None
    model = current.patient.sides[side]
    program = Setting.model_validate(program_fields.setting_dict(setting))
    vta = compute_vta(
        model.lead,
        model.currents_ma(program),
        program.pulse_width_us,
        conductivity_s_m=current.patient.scenario.conductivity_s_m,
        with_mesh=True,
    )
    return model.pose.to_atlas(vta.vertices_mm), vta.faces


def stepper(shown: int) -> None:
    c1, c2, c3, c4 = st.columns([1.2, 1, 1, 4], vertical_alignment="center")
    c1.button(
        "Reveal next layer",
        key="demo_next",
        type="primary",
        icon=":material/visibility:",
        on_click=_step,
        args=(1,),
        disabled=shown >= len(LAYERS),
        width="stretch",
    )
    c2.button("Hide last", key="demo_back", on_click=_step, args=(-1,), disabled=shown == 0)
    c3.button("Hide all", key="demo_hide", on_click=_step, args=(-len(LAYERS),))
    c4.markdown(
        " · ".join(
            f"**{n + 1}. {name}**" if n < shown else f":gray[{n + 1}. {name}]"
            for n, name in enumerate(LAYERS)
        )
    )


def layers(current: Session, side: str, shown: int) -> None:
    if shown == 0:
        st.info("Nothing revealed yet: program as the class suggests, then reveal the layers.")
        return
    model = current.patient.sides[side]
    applied = program_fields.setting_dict(current.programs.get(side))
    polarity = (
        program_fields.spec_to_polarity(applied["contacts"], model.lead.labels) if applied else {}
    )
    vtas = {}
    if shown >= 2:
        mesh = live_vta(current, side)
        if mesh is not None:
            vtas["live"] = mesh
    fig = viz.plot_anatomy_3d(
        current.patient.atlas,
        model.lead,
        model.pose,
        polarity,
        vtas,
        title=f"{side.capitalize()} lead where it really sits",
    )
    st.plotly_chart(fig, key="demo_anatomy")
    if shown >= 2 and not vtas:
        st.caption("No volume activated on this side: no program applied or stimulation off.")
    if shown >= 3:
        truth = threshold_rows.true_review_rows(compute_review(current.patient, side))
        mine = threshold_rows.trainee_review_rows(current.thresholds, side, model.lead.labels)
        unit = "V" if current.scenario.amplitude_mode == "voltage" else "mA"
        st.plotly_chart(
            viz.plot_windows(truth, mine if unit == "mA" else [], "mA", title="True windows"),
            key="demo_windows",
        )
        st.container(key="demo_review").dataframe(
            review_cells(truth),
            hide_index=True,
            width="stretch",
            column_config=review_columns("mA"),
        )
    if shown >= 4:
        program = expert_program(st.session_state["stored"].id, current.patient)
        st.success(
            f"**Expert program, {side} lead:** {describe_setting(program.get(side), compact=True)}",
            icon=":material/star:",
        )


def exam_summary(current: Session) -> None:
    """The last exam in one line (the full table is on the Programming page)."""
    latest = observations.latest_exam(current)
    if latest is None:
        return
    entry, result = latest
    signs = ", ".join(result.get("signs") or []) or "no side effect seen"
    st.markdown(
        f"**Last exam**, day {entry.get('day', 0)}: {current.patient.scale.name} "
        f"**{float(result.get('total', 0)):g}** (baseline "
        f"{sum(current.patient.baseline.values()):g}); {signs}."
    )


def controls(current: Session, side: str) -> None:
    program_editor.program_editor(current, side, show_lead=False)
    safety_panels.safety_panel(current, side)
    exam_summary(current)
    observations.patient_words(current, n=1)


def render() -> None:
    st.header("Demonstration")
    if not educator.signed_in():
        st.info("Sign in as an educator to use this page.", icon=":material/lock:")
        return
    choices = case_choices()
    options = list(choices)
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.selectbox(
        "Case",
        options,
        index=options.index(PREFERRED_SCENARIO) if PREFERRED_SCENARIO in options else 0,
        key="demo_case",
        format_func=lambda c: choices.get(c, c),
    )
    c2.button("Start the demonstration", key="demo_start", on_click=_start, width="stretch")
    control_errors.show_error("demo_start")
    current = state.session()
    if current is None:
        st.info("Start a demonstration: a session of its own, saved like any other.")
        return
    st.caption(
        f"Demonstrating **{plain(current.scenario.title)}**. The layers show this case's hidden "
        "truth: reveal them after the class has had its turn."
    )
    st.session_state.setdefault("demo_layer", 0)
    shown = int(st.session_state["demo_layer"])
    stepper(shown)
    clinic.clinic_controls(current)
    sides = list(current.patient.sides)
    left, right = st.columns([1, 2], gap="large")
    with left:
        side = sides[0]
        if len(sides) > 1:
            side = st.radio("Lead", sides, key="demo_side", horizontal=True)
        controls(current, side)
    with right:
        layers(current, side, shown)
